use super::*;

#[test]
fn capabilities() {
    assert!(has("ipc"));
    assert!(has("curve"));
    for name in [
        "gssapi", "pgm", "tipc", "norm", "vmci", "draft", "IPC", "", "x",
    ] {
        assert!(!has(name), "{name}");
    }
}
