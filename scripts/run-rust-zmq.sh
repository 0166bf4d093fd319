#!/usr/bin/env bash
# scripts/run-rust-zmq.sh PREFIX
#
# Runs the test suite of the Rust binding `zmq` 0.9.2 (crates.io, rust-zmq;
# its zmq-sys finds libzmq with pkg-config and links it dynamically) on OUR
# library, installed in PREFIX by scripts/install.sh:
#   1. fetches zmq 0.9.2 with cargo (a scratch crate that depends on it) and
#      copies its source to a work directory outside the repository, without
#      its compile-fail tests (they need compiletest_rs, not libzmq);
#   2. builds its tests with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig;
#   3. runs every test binary with LD_LIBRARY_PATH=PREFIX/lib, after checking
#      that the dynamic loader resolves libzmq.so.5 to PREFIX/lib.
# Ends with "rust-zmq: N passed, N failed, N skipped" (skipped: the whole
# suite, when the crate cannot be fetched or built: no registry access);
# exit status 1 if a test failed. Logs: build/rust-zmq/.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
PREFIX="${1:-${LIBZMQ_RS_PREFIX:-}}"
LOGS="$REPO/build/rust-zmq"
WORK="$(mktemp -d /tmp/libzmq-rs-rust-zmq.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$LOGS"
mkdir -p "$LOGS"

skip_all() {
    echo "SKIP  rust-zmq: $1"
    echo "rust-zmq: 0 passed, 0 failed, 1 skipped"
    exit 0
}

[ -n "$PREFIX" ] && [ -e "$PREFIX/lib/libzmq.so.5" ] ||
    { echo "usage: run-rust-zmq.sh PREFIX (an install of libzmq-rs)"; exit 2; }

# ---- 1. the crate's source ----------------------------------------------------
mkdir -p "$WORK/fetch/src"
cat >"$WORK/fetch/Cargo.toml" <<'EOF'
[package]
name = "fetch-rust-zmq"
version = "0.0.0"
edition = "2021"

[dependencies]
zmq = "=0.9.2"
EOF
echo 'fn main() {}' >"$WORK/fetch/src/main.rs"
(cd "$WORK/fetch" && cargo fetch) >"$LOGS/fetch.log" 2>&1 ||
    skip_all "cargo could not fetch zmq 0.9.2 (see $LOGS/fetch.log)"
SRC="$(cd "$WORK/fetch" && cargo metadata --format-version 1 2>>"$LOGS/fetch.log" |
    python3 -c 'import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "zmq":
        print(p["manifest_path"].rsplit("/", 1)[0])')"
[ -n "$SRC" ] && [ -d "$SRC/tests" ] || skip_all "no source of zmq 0.9.2 in cargo's registry"
cp -r "$SRC" "$WORK/zmq"
rm -f "$WORK/zmq/tests/compile-tests.rs"
python3 - "$WORK/zmq/Cargo.toml" <<'EOF' || skip_all "unexpected Cargo.toml in zmq 0.9.2"
import re, sys
path = sys.argv[1]
text = open(path).read()
# The compile-fail suite and its dev-dependency test rustc, not libzmq.
text, n1 = re.subn(r'\[dev-dependencies\.compiletest_rs\]\n(?:[^\[\n][^\n]*\n)*', '', text)
text, n2 = re.subn(r'\[\[test\]\]\nname = "compile-tests"\n(?:[^\[\n][^\n]*\n)*', '', text)
open(path, 'w').write(text)
sys.exit(0 if n1 == 1 else 1)
EOF

# ---- 2. build -----------------------------------------------------------------
echo "==> building zmq 0.9.2's tests against $PREFIX/lib/pkgconfig/libzmq.pc"
if ! (cd "$WORK/zmq" && PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig" \
    cargo test --tests --no-run --message-format=json) >"$LOGS/build.json" 2>"$LOGS/build.log"; then
    tail -n 20 "$LOGS/build.log"
    skip_all "zmq 0.9.2's tests did not build (see $LOGS/build.log)"
fi
mapfile -t BINS < <(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["executable"])' "$LOGS/build.json")
[ ${#BINS[@]} -gt 0 ] || skip_all "no test binaries were built"

# ---- 3. run ---------------------------------------------------------------------
PASSED=0
FAILED=0
for bin in "${BINS[@]}"; do
    name="$(basename "$bin")"
    name="${name%-*}"
    deps="$(LD_LIBRARY_PATH="$PREFIX/lib" ldd "$bin")"
    if ! grep -q "libzmq.so.5" <<<"$deps"; then
        # The crate's own unit-test binary: no test calls libzmq.
        echo "SKIP  rust-zmq/$name (does not load libzmq)"
        continue
    fi
    if ! grep -q "libzmq.so.5 => $PREFIX/lib/" <<<"$deps"; then
        echo "FAIL  rust-zmq/$name: libzmq.so.5 does not resolve to $PREFIX/lib"
        FAILED=$((FAILED + 1))
        continue
    fi
    (cd "$WORK/zmq" && LD_LIBRARY_PATH="$PREFIX/lib" timeout 300 "$bin") >"$LOGS/$name.log" 2>&1
    rc=$?
    line="$(grep -E '^test result: ' "$LOGS/$name.log" | tail -n1)"
    p="$(sed -n 's/.* \([0-9]\+\) passed;.*/\1/p' <<<"$line")"
    f="$(sed -n 's/.* \([0-9]\+\) failed;.*/\1/p' <<<"$line")"
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        f=1
    fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    if [ "$f" = 0 ]; then
        echo "PASS  rust-zmq/$name ($p tests)"
    else
        echo "FAIL  rust-zmq/$name ($f of $((p + f)) failed, exit $rc; log $LOGS/$name.log)"
        grep -E '^(test .* FAILED|---- )' "$LOGS/$name.log" | head -n 20 | sed -e 's/^/      | /'
    fi
done
echo "rust-zmq: $PASSED passed, $FAILED failed, 0 skipped"
[ "$FAILED" = 0 ]
