//! ABI checks: our `include/zmq.h` and the shared object against libzmq.
//!
//! Role: fail the build whenever the C face of libzmq-rs drifts from libzmq
//! 4.3.5's. Each test is a real comparison, driven by a C compiler (`gcc`,
//! `g++`) and binutils (`nm`, `readelf`):
//!
//! - `constants_match_system_header`: every integer `ZMQ_*`/`E*` macro of
//!   Debian's `/usr/include/zmq.h` (libzmq 4.3.4, package libzmq3-dev) has the
//!   same value in ours, both compiled with `ZMQ_BUILD_DRAFT_API`, except the
//!   known 4.3.5 changes ([`CHANGED_IN_435`]); the constants new in 4.3.5
//!   ([`NEW_IN_435`]) have their 4.3.5 values; ours defines every macro name
//!   Debian's defines.
//! - `layouts_match_system_header`: sizeof/alignof/offsetof of `zmq_msg_t`,
//!   `zmq_pollitem_t` and `zmq_poller_event_t` are equal under both headers.
//! - `prototypes_match_rust_exports`: cbindgen (config `cbindgen.toml`)
//!   prints the prototypes of every exported `extern "C"` function; a C
//!   file includes our zmq.h and then those prototypes, so any difference is
//!   a "conflicting types" compile error. Every exported name must also be in
//!   `tests/abi/symbols.txt`.
//! - `shared_object_exports_libzmq_symbols`: the cdylib exports each function
//!   of `tests/abi/symbols.txt` (70 stable + 26 draft of libzmq 4.3.5) as a
//!   text symbol, and its SONAME is `libzmq.so.5`.
//! - `headers_compile_strictly`: zmq.h and zmq_utils.h compile as C99 and
//!   C++11 with `-Wall -Wextra -Werror`, with and without the draft API.
//!
//! Invariants: no fixed repository path (everything hangs off
//! `CARGO_MANIFEST_DIR`), scratch files go to `CARGO_TARGET_TMPDIR`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's libzmq header, the reference for constant values and layouts.
const SYSTEM_HEADER: &str = "/usr/include/zmq.h";

/// Constants whose value changed between libzmq 4.3.4 and 4.3.5, with the
/// 4.3.5 value.
const CHANGED_IN_435: &[(&str, i64)] = &[
    ("ZMQ_VERSION_PATCH", 5),
    ("ZMQ_VERSION", 40305),
    ("ZMQ_RECONNECT_STOP_AFTER_DISCONNECT", 4),
];

/// Draft constants that libzmq 4.3.5 added, with their values.
const NEW_IN_435: &[(&str, i64)] = &[
    ("ZMQ_BUSY_POLL", 113),
    ("ZMQ_HICCUP_MSG", 114),
    ("ZMQ_XSUB_VERBOSE_UNSUBSCRIBE", 115),
    ("ZMQ_TOPICS_COUNT", 116),
    ("ZMQ_NORM_MODE", 117),
    ("ZMQ_NORM_UNICAST_NACK", 118),
    ("ZMQ_NORM_BUFFER_SIZE", 119),
    ("ZMQ_NORM_SEGMENT_SIZE", 120),
    ("ZMQ_NORM_BLOCK_SIZE", 121),
    ("ZMQ_NORM_NUM_PARITY", 122),
    ("ZMQ_NORM_NUM_AUTOPARITY", 123),
    ("ZMQ_NORM_PUSH", 124),
    ("ZMQ_NORM_FIXED", 0),
    ("ZMQ_NORM_CC", 1),
    ("ZMQ_NORM_CCL", 2),
    ("ZMQ_NORM_CCE", 3),
    ("ZMQ_NORM_CCE_ECNONLY", 4),
];

// ---- helpers ---------------------------------------------------------------

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn our_header() -> PathBuf {
    manifest_dir().join("include").join("zmq.h")
}

fn system_header() -> PathBuf {
    let p = PathBuf::from(SYSTEM_HEADER);
    assert!(
        p.is_file(),
        "{SYSTEM_HEADER} is missing: the ABI checks compare against Debian's libzmq header; \
         install it with `apt-get install -y libzmq3-dev`"
    );
    p
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("abi")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn write(path: &Path, text: &str) {
    fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Runs a command, panicking with its output when it fails; returns stdout.
fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start {cmd:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{what}: {cmd:?} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Compiles `src` (C, gnu11) into an executable, runs it, returns its output.
fn compile_and_run(dir: &Path, stem: &str, src: &str) -> String {
    let c = dir.join(format!("{stem}.c"));
    let exe = dir.join(stem);
    write(&c, src);
    run(
        Command::new("gcc")
            .arg("-std=gnu11")
            .arg("-Wall")
            .arg("-o")
            .arg(&exe)
            .arg(&c),
        &format!("compiling {}", c.display()),
    );
    run(
        &mut Command::new(&exe),
        &format!("running {}", exe.display()),
    )
}

/// Joins backslash-continued lines.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if let Some(stripped) = line.strip_suffix('\\') {
            cur.push_str(stripped);
            cur.push(' ');
        } else {
            cur.push_str(line);
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// One object-like `#define` of a header: name and replacement text.
struct Define {
    name: String,
    value: String,
}

/// The object-like `ZMQ_*` and `E*` macros a header defines (textually).
fn defines(header: &Path) -> Vec<Define> {
    let mut out = Vec::new();
    for line in logical_lines(&read(header)) {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix('#') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("define") else {
            continue;
        };
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        let rest = rest.trim_start();
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (name, tail) = rest.split_at(name_len);
        if tail.starts_with('(') {
            continue; // function-like macro
        }
        if !(name.starts_with("ZMQ_") || name.starts_with('E')) {
            continue;
        }
        let mut value = tail.to_string();
        for marker in ["//", "/*"] {
            if let Some(i) = value.find(marker) {
                value.truncate(i);
            }
        }
        out.push(Define {
            name: name.to_string(),
            value: value.trim().to_string(),
        });
    }
    out
}

/// Whether a macro's replacement text is an integer constant expression
/// (literals, other macros, parentheses, `+`, `-`, `|`, macro calls).
fn is_integer_expr(d: &Define) -> bool {
    !d.value.is_empty()
        && d.name != "ZMQ_EXPORT"
        && !d.value.contains("__")
        && d.value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _()+-|,".contains(c))
}

/// Values of the integer macros of `header`, as the C compiler sees them
/// with the draft API enabled.
fn integer_values(dir: &Path, stem: &str, header: &Path) -> BTreeMap<String, i64> {
    let names: BTreeSet<String> = defines(header)
        .into_iter()
        .filter(is_integer_expr)
        .map(|d| d.name)
        .collect();
    assert!(
        names.len() > 200,
        "only {} integer macros parsed from {}",
        names.len(),
        header.display()
    );
    let mut src = format!(
        "#define ZMQ_BUILD_DRAFT_API\n#include \"{}\"\n#include <stdio.h>\nint main(void)\n{{\n",
        header.display()
    );
    for n in &names {
        // A name may sit in a branch for another platform: print it only
        // when this compilation defines it.
        src.push_str(&format!(
            "#ifdef {n}\n    printf(\"{n} %lld\\n\", (long long) ({n}));\n#endif\n"
        ));
    }
    src.push_str("    return 0;\n}\n");
    let out = compile_and_run(dir, stem, &src);
    out.lines()
        .filter_map(|l| {
            let (n, v) = l.split_once(' ')?;
            Some((n.to_string(), v.parse().ok()?))
        })
        .collect()
}

// ---- a. constants ------------------------------------------------------------

#[test]
fn constants_match_system_header() {
    let sys = system_header();
    let dir = scratch("constants");
    let theirs = integer_values(&dir, "theirs", &sys);
    let ours = integer_values(&dir, "ours", &our_header());

    let changed: BTreeMap<&str, i64> = CHANGED_IN_435.iter().copied().collect();
    let mut problems = Vec::new();
    for (name, &v) in &theirs {
        match (ours.get(name), changed.get(name.as_str())) {
            (None, _) => problems.push(format!("{name}: missing (libzmq 4.3.4 has {v})")),
            (Some(&o), Some(&want)) if o != want => {
                problems.push(format!("{name}: {o}, but libzmq 4.3.5 has {want}"))
            }
            (Some(&o), None) if o != v => {
                problems.push(format!("{name}: {o}, but libzmq 4.3.4 has {v}"))
            }
            _ => {}
        }
    }
    for &(name, want) in CHANGED_IN_435.iter().chain(NEW_IN_435) {
        match ours.get(name) {
            Some(&o) if o == want => {}
            other => problems.push(format!("{name}: {other:?}, libzmq 4.3.5 has {want}")),
        }
    }

    // Every macro name of the system header, integer or not (strings,
    // empty feature macros), must exist in ours (drafts enabled).
    // ZMQ_EXPORT is #undef'd at the end of both headers.
    let names: BTreeSet<String> = defines(&sys)
        .into_iter()
        .map(|d| d.name)
        .filter(|n| n != "ZMQ_EXPORT")
        .collect();
    let mut src = format!(
        "#define ZMQ_BUILD_DRAFT_API\n#include \"{}\"\n#include <stdio.h>\nint main(void)\n{{\n",
        our_header().display()
    );
    for n in &names {
        src.push_str(&format!("#ifndef {n}\n    puts(\"{n}\");\n#endif\n"));
    }
    src.push_str("    return 0;\n}\n");
    for missing in compile_and_run(&dir, "names", &src).lines() {
        problems.push(format!("{missing}: not defined by our zmq.h"));
    }

    assert!(
        problems.is_empty(),
        "include/zmq.h differs from {SYSTEM_HEADER} ({} compared):\n  {}",
        theirs.len(),
        problems.join("\n  ")
    );
}

// ---- b. layouts --------------------------------------------------------------

fn layout_report(dir: &Path, stem: &str, header: &Path) -> String {
    let src = format!(
        r#"#define ZMQ_BUILD_DRAFT_API
#include "{}"
#include <stdio.h>
#include <stddef.h>
#define SHOW(T) printf(#T " size=%zu align=%zu\n", sizeof (T), (size_t) _Alignof (T))
#define FIELD(T, f) printf(#T "." #f " offset=%zu size=%zu\n", offsetof (T, f), sizeof (((T *) 0)->f))
int main(void)
{{
    SHOW (zmq_msg_t);
    SHOW (zmq_fd_t);
    SHOW (zmq_pollitem_t);
    FIELD (zmq_pollitem_t, socket);
    FIELD (zmq_pollitem_t, fd);
    FIELD (zmq_pollitem_t, events);
    FIELD (zmq_pollitem_t, revents);
    SHOW (zmq_poller_event_t);
    FIELD (zmq_poller_event_t, socket);
    FIELD (zmq_poller_event_t, fd);
    FIELD (zmq_poller_event_t, user_data);
    FIELD (zmq_poller_event_t, events);
    return 0;
}}
"#,
        header.display()
    );
    compile_and_run(dir, stem, &src)
}

#[test]
fn layouts_match_system_header() {
    let sys = system_header();
    let dir = scratch("layouts");
    let theirs = layout_report(&dir, "theirs", &sys);
    let ours = layout_report(&dir, "ours", &our_header());
    assert!(
        theirs.contains("zmq_msg_t size=64"),
        "unexpected system layout:\n{theirs}"
    );
    assert_eq!(
        ours, theirs,
        "struct layouts differ (left: ours, right: {SYSTEM_HEADER})"
    );
}

// ---- c. prototypes -------------------------------------------------------------

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Function names declared by a cbindgen C header.
fn declared_functions(generated: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in generated.lines() {
        let Some(open) = line.find('(') else { continue };
        if line.trim_start().starts_with(['#', '/', '*']) {
            continue;
        }
        let head = line[..open].trim_end();
        let start = head
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let name = &head[start..];
        if !name.is_empty() {
            out.insert(name.to_string());
        }
    }
    out
}

#[test]
fn prototypes_match_rust_exports() {
    let root = manifest_dir();
    let dir = scratch("prototypes");
    let config_path = root.join("cbindgen.toml");
    let config = cbindgen::Config::from_file(&config_path)
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", config_path.display()));

    // The whole crate from src/lib.rs (cbindgen follows `mod` items without
    // running cargo), so that type aliases used by src/ffi resolve; cbindgen
    // names the file it cannot parse in its error.
    let lib_rs = root.join("src").join("lib.rs");
    let mut files = Vec::new();
    rust_files(&root.join("src").join("ffi"), &mut files);
    let builder = cbindgen::Builder::new()
        .with_config(config)
        .with_src(&lib_rs);
    let bindings = builder.generate().unwrap_or_else(|e| {
        panic!(
            "cbindgen could not turn the crate's exports into C prototypes: {e}\n\
             (src/ffi holds {files:?}). Fix the Rust item it names, or teach \
             cbindgen.toml about it."
        )
    });
    let generated_path = dir.join("zmq_rs_exports.h");
    bindings.write_to_file(&generated_path);
    let generated = read(&generated_path);

    let exported = declared_functions(&generated);
    assert!(
        !exported.is_empty(),
        "cbindgen found no extern \"C\" function in src/ffi:\n{generated}"
    );
    let mut problems = Vec::new();

    // zmq.h first, then the prototypes of what Rust exports: a function
    // whose Rust signature differs from zmq.h is a "conflicting types" error.
    let c = dir.join("check.c");
    write(
        &c,
        &format!(
            "#define ZMQ_BUILD_DRAFT_API\n#include \"{}\"\n#include \"{}\"\nint main (void)\n{{\n    return 0;\n}}\n",
            our_header().display(),
            generated_path.display()
        ),
    );
    let out = Command::new("gcc")
        .args(["-std=gnu99", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"])
        .arg(&c)
        .output()
        .unwrap_or_else(|e| panic!("cannot start gcc: {e}"));
    if !out.status.success() {
        problems.push(format!(
            "Rust exports that do not match their prototype in include/zmq.h \
             (prototypes generated into {}):\n{}",
            generated_path.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    // Nothing beyond libzmq's own exports.
    let expected: BTreeSet<String> = read_symbols().into_iter().collect();
    let unknown: Vec<&String> = exported.difference(&expected).collect();
    if !unknown.is_empty() {
        problems.push(format!(
            "src/ffi exports functions that libzmq 4.3.5 does not (see tests/abi/symbols.txt): {unknown:?}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("{} Rust exports match include/zmq.h", exported.len());
}

// ---- d. exported symbols ---------------------------------------------------------

/// Names from tests/abi/symbols.txt.
fn read_symbols() -> Vec<String> {
    let path = manifest_dir().join("tests").join("abi").join("symbols.txt");
    let names: Vec<String> = read(&path)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    assert_eq!(
        names.len(),
        96,
        "{} should list libzmq 4.3.5's 96 exports",
        path.display()
    );
    names
}

/// The cdylib of this crate: next to the test binary's `deps/` directory,
/// built by `cargo build --lib` if `cargo test` did not leave one there.
fn cdylib() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
    // <target>/<profile>/deps/abi-<hash>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| panic!("unexpected test binary path {}", exe.display()))
        .to_path_buf();
    let lib = profile_dir.join("libzmq.so");
    if !lib.is_file() {
        let target_dir = profile_dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(["build", "--lib", "--manifest-path"])
            .arg(manifest_dir().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target_dir);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        run(&mut cmd, "building the cdylib");
    }
    assert!(lib.is_file(), "no shared object at {}", lib.display());
    lib
}

#[test]
fn shared_object_exports_libzmq_symbols() {
    let lib = cdylib();
    let nm = run(
        Command::new("nm").args(["-D", "--defined-only"]).arg(&lib),
        "listing dynamic symbols",
    );
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for line in nm.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let [_, kind, name] = f[..] {
            // Versioned names look like name@@VERSION.
            let name = name.split('@').next().unwrap_or(name);
            kinds.insert(name.to_string(), kind.to_string());
        }
    }
    let expected = read_symbols();
    let mut problems = Vec::new();
    for name in &expected {
        match kinds.get(name).map(String::as_str) {
            Some("T") => {}
            Some(k) => problems.push(format!("{name}: exported as '{k}', not a function (T)")),
            None => problems.push(format!("{name}: not exported")),
        }
    }
    let extra: Vec<&String> = kinds
        .keys()
        .filter(|n| n.starts_with("zmq_") && !expected.contains(n))
        .collect();
    if !extra.is_empty() {
        eprintln!(
            "note: {} also exports {extra:?}, which libzmq does not",
            lib.display()
        );
    }

    let dynamic = run(
        Command::new("readelf").arg("-d").arg(&lib),
        "reading the dynamic section",
    );
    if !dynamic.contains("Library soname: [libzmq.so.5]") {
        problems.push(format!("SONAME is not libzmq.so.5:\n{dynamic}"));
    }
    assert!(
        problems.is_empty(),
        "{} ({} of {} functions missing or wrong):\n  {}",
        lib.display(),
        problems.len(),
        expected.len(),
        problems.join("\n  ")
    );
}

// ---- e. headers compile strictly ---------------------------------------------------

#[test]
fn headers_compile_strictly() {
    let dir = scratch("strict");
    let include = manifest_dir().join("include");
    // Uses the types too, so that their declarations are fully checked.
    let src = r#"#include <zmq.h>
#include <zmq_utils.h>
int main (void)
{
    zmq_msg_t msg;
    zmq_pollitem_t item;
#ifdef ZMQ_BUILD_DRAFT_API
    zmq_poller_event_t event;
    (void) event;
#endif
    (void) msg;
    (void) item;
    return ZMQ_VERSION == ZMQ_MAKE_VERSION (4, 3, 5) ? 0 : 1;
}
"#;
    let file = dir.join("use_headers.c");
    write(&file, src);
    let mut failures = Vec::new();
    for (compiler, lang, std) in [("gcc", "c", "-std=c99"), ("g++", "c++", "-std=c++11")] {
        for draft in [false, true] {
            let mut cmd = Command::new(compiler);
            cmd.args([
                "-x",
                lang,
                std,
                "-Wall",
                "-Wextra",
                "-Werror",
                "-fsyntax-only",
                "-I",
            ])
            .arg(&include);
            if draft {
                cmd.arg("-DZMQ_BUILD_DRAFT_API");
            }
            cmd.arg(&file);
            let out = cmd
                .output()
                .unwrap_or_else(|e| panic!("cannot start {compiler}: {e}"));
            if !out.status.success() {
                failures.push(format!(
                    "{compiler} {std} draft={draft}:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "headers do not compile cleanly:\n{}",
        failures.join("\n")
    );
}
