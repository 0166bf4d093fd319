use super::*;

#[test]
fn parse_ok() {
    assert_eq!(
        parse("tcp://127.0.0.1:5555").unwrap(),
        Endpoint::Tcp("127.0.0.1:5555".into())
    );
    assert_eq!(
        parse("ipc:///tmp/x").unwrap(),
        Endpoint::Ipc("/tmp/x".into())
    );
    let e = parse("inproc://a://b").unwrap();
    assert_eq!(e, Endpoint::Inproc("a://b".into()));
    assert_eq!(e.protocol(), "inproc");
    assert_eq!(e.address(), "a://b");
}

#[test]
fn parse_errors() {
    assert_eq!(parse("foo"), Err(Error::EINVAL));
    assert_eq!(parse(""), Err(Error::EINVAL));
    assert_eq!(parse("://x"), Err(Error::EINVAL));
    assert_eq!(parse("tcp://"), Err(Error::EINVAL));
    assert_eq!(parse("inproc://"), Err(Error::EINVAL));
    assert_eq!(parse("ipc://"), Err(Error::EINVAL));
    assert_eq!(parse("bar://x"), Err(Error::EPROTONOSUPPORT));
    assert_eq!(parse("TCP://x:1"), Err(Error::EPROTONOSUPPORT));
    assert_eq!(parse("udp://"), Err(Error::EINVAL));
    assert_eq!(parse("udp://x:1").unwrap().protocol(), "udp");
    for p in ["pgm", "epgm", "norm", "tipc", "vmci", "ws", "wss"] {
        assert_eq!(parse(&format!("{p}://x")), Err(Error::EPROTONOSUPPORT));
    }
}
