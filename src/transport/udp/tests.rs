use super::*;

fn v4(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

#[test]
fn resolve_unicast() {
    let a = udp_resolve("127.0.0.1:5556", true, false).unwrap();
    assert_eq!(a.bind, v4("127.0.0.1:5556"));
    assert!(!a.multicast);
    let a = udp_resolve("*:5556", true, false).unwrap();
    assert_eq!(a.bind, v4("0.0.0.0:5556"));
    let a = udp_resolve("127.0.0.1:*", true, false).unwrap();
    assert_eq!(a.bind.port(), 0);
    let a = udp_resolve("127.0.0.1:5556", false, false).unwrap();
    assert_eq!(a.target, v4("127.0.0.1:5556"));
    assert_eq!(a.bind, v4("0.0.0.0:5556"));
    let a = udp_resolve("127.0.0.1:5556", true, true).unwrap();
    assert_eq!(a.bind, v4("127.0.0.1:5556"));
}

#[test]
fn resolve_multicast() {
    let a = udp_resolve("239.0.0.1:5556", true, false).unwrap();
    assert!(a.multicast);
    assert_eq!(a.bind, v4("0.0.0.0:5556"));
    let a = udp_resolve("127.0.0.1;239.0.0.1:5556", false, false).unwrap();
    assert_eq!(a.bind, v4("127.0.0.1:5556"));
    assert_eq!(a.target, v4("239.0.0.1:5556"));
    let a = udp_resolve("lo;239.0.0.1:5556", true, false).unwrap();
    assert!(a.bind_if > 0);
}

#[test]
fn resolve_errors() {
    assert_eq!(udp_resolve("127.0.0.1", true, false), Err(Error::EINVAL));
    assert_eq!(udp_resolve("127.0.0.1:x", true, false), Err(Error::EINVAL));
    assert_eq!(udp_resolve("127.0.0.1:*", false, false), Err(Error::EINVAL));
    assert_eq!(
        udp_resolve("no-such-host.invalid:5", true, false),
        Err(Error::ENODEV)
    );
    assert_eq!(
        udp_resolve("127.0.0.1;127.0.0.2:5556", true, false),
        Err(Error::EINVAL)
    );
    assert_eq!(
        udp_resolve("239.0.0.2;239.0.0.1:5556", true, false),
        Err(Error::EINVAL)
    );
}

#[test]
fn peer_frames() {
    let a = v4("10.1.2.3:4567");
    assert_eq!(format_peer(&a), b"10.1.2.3:4567\0");
    assert_eq!(parse_peer(b"10.1.2.3:4567\0"), Some(a));
    assert_eq!(parse_peer(b"10.1.2.3:4567"), Some(a));
    assert_eq!(parse_peer(b"10.1.2.3:0"), None);
    assert_eq!(parse_peer(b"10.1.2.3"), None);
    assert_eq!(parse_peer(b"host:5"), None);
    assert_eq!(parse_peer(b""), None);
    assert_eq!(parse_peer(b"[::1]:5"), Some("[::1]:5".parse().unwrap()));
    let mapped = peer_for_socket(a, true);
    assert_eq!(format_peer(&mapped), b"10.1.2.3:4567\0");
}
