use super::*;

#[test]
fn group_datagrams() {
    let (g, b) = split_group(b"\x03abcbody").unwrap();
    assert_eq!(g.data(), b"abc");
    assert_eq!(b.data(), b"body");
    let (g, b) = split_group(b"\x00").unwrap();
    assert!(g.data().is_empty() && b.data().is_empty());
    assert!(split_group(b"").is_none());
    assert!(split_group(b"\x05abc").is_none());
}
