use super::*;
use std::io::{Read, Write};
use std::time::Instant;

fn opts() -> TcpOptions {
    TcpOptions::default()
}

fn opts6() -> TcpOptions {
    TcpOptions {
        ipv6: true,
        ..TcpOptions::default()
    }
}

fn have_ipv6() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

/// Waits until the non-blocking connect completes (or fails).
fn wait_connected(s: &mio::net::TcpStream) -> io::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match connect_finished(s) {
            Err(e) if e.raw_os_error() == Some(libc::ENOTCONN) => {}
            other => return other,
        }
        if Instant::now() > deadline {
            return Err(os_err(libc::ETIMEDOUT));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn accept(l: &mio::net::TcpListener) -> mio::net::TcpStream {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match l.accept() {
            Ok((s, _)) => return s,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("accept: {e}"),
        }
        assert!(Instant::now() < deadline, "accept timed out");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn port_of(ep: &str) -> u16 {
    ep.rsplit_once(':').unwrap().1.parse().unwrap()
}

#[test]
fn defaults_are_libzmqs() {
    let o = TcpOptions::default();
    assert_eq!((o.sndbuf, o.rcvbuf, o.tos, o.backlog), (-1, -1, 0, 100));
    assert_eq!(
        (
            o.keepalive,
            o.keepalive_cnt,
            o.keepalive_idle,
            o.keepalive_intvl
        ),
        (-1, -1, -1, -1)
    );
    assert!(!o.ipv6 && o.bindtodevice.is_none() && o.maxrt == 0 && o.priority == 0);
}

#[test]
fn ports_like_libzmq() {
    assert_eq!(parse_port("*", true), Ok(0));
    assert_eq!(parse_port("*", false), Err(Error::EINVAL));
    assert_eq!(parse_port("0", false), Ok(0));
    assert_eq!(parse_port("5555", false), Ok(5555));
    assert_eq!(parse_port("5555x", false), Ok(5555));
    assert_eq!(parse_port("70000", true), Ok(4464));
    assert_eq!(parse_port("-1", true), Ok(65535));
    assert_eq!(parse_port("abc", true), Err(Error::EINVAL));
    assert_eq!(parse_port("", true), Err(Error::EINVAL));
}

#[test]
fn bind_wildcards_and_loopback() {
    let (_l, ep) = tcp_bind("*:*", &opts()).unwrap();
    assert!(ep.starts_with("tcp://0.0.0.0:"), "{ep}");
    assert_ne!(port_of(&ep), 0);
    let (_l, ep) = tcp_bind("*:0", &opts()).unwrap();
    assert!(ep.starts_with("tcp://0.0.0.0:"), "{ep}");
    let (_l, ep) = tcp_bind("127.0.0.1:*", &opts()).unwrap();
    assert!(ep.starts_with("tcp://127.0.0.1:"), "{ep}");
    let (_l, ep) = tcp_bind("[127.0.0.1]:*", &opts()).unwrap();
    assert!(ep.starts_with("tcp://127.0.0.1:"), "{ep}");
}

#[test]
fn bind_interface_name() {
    let (_l, ep) = tcp_bind("lo:*", &opts()).unwrap();
    assert!(ep.starts_with("tcp://127.0.0.1:"), "{ep}");
    assert_eq!(tcp_bind("bogus0:5555", &opts()).err(), Some(Error::ENODEV));
}

#[test]
fn bind_errors_like_libzmq() {
    assert_eq!(tcp_bind("localhost:*", &opts()).err(), Some(Error::ENODEV));
    assert_eq!(tcp_bind(":*", &opts()).err(), Some(Error::ENODEV));
    assert_eq!(tcp_bind("[::1]:*", &opts()).err(), Some(Error::ENODEV));
    assert_eq!(tcp_bind("127.0.0.1", &opts()).err(), Some(Error::EINVAL));
    assert_eq!(
        tcp_bind("127.0.0.1:abc", &opts()).err(),
        Some(Error::EINVAL)
    );
    assert_eq!(tcp_bind("*:", &opts()).err(), Some(Error::EINVAL));
    assert_eq!(tcp_bind("[::1%]:*", &opts6()).err(), Some(Error::EINVAL));
    assert_eq!(
        tcp_bind("[fe80::1%nosuchif]:*", &opts6()).err(),
        Some(Error::EINVAL)
    );
    // A documentation address is never local.
    assert_eq!(
        tcp_bind("203.0.113.7:*", &opts()).err(),
        Some(Error::EADDRNOTAVAIL)
    );
}

#[test]
fn bind_twice_is_eaddrinuse() {
    let (_l, ep) = tcp_bind("127.0.0.1:*", &opts()).unwrap();
    let again = format!("127.0.0.1:{}", port_of(&ep));
    assert_eq!(tcp_bind(&again, &opts()).err(), Some(Error::EADDRINUSE));
}

#[test]
fn bind_applies_options() {
    let o = TcpOptions {
        sndbuf: 65536,
        rcvbuf: 32768,
        tos: 0x20,
        bindtodevice: Some("lo".into()),
        ..TcpOptions::default()
    };
    match tcp_bind("127.0.0.1:*", &o) {
        Ok((l, _)) => {
            let s = SockRef::from(&l);
            assert!(s.reuse_address().unwrap());
            // Linux doubles the requested buffer sizes.
            assert!(s.send_buffer_size().unwrap() >= 65536);
            assert!(s.recv_buffer_size().unwrap() >= 32768);
            assert_eq!(s.tos().unwrap(), 0x20);
            assert_eq!(s.device().unwrap().as_deref(), Some(&b"lo"[..]));
        }
        // SO_BINDTODEVICE needs CAP_NET_RAW on older kernels.
        Err(e) => assert_eq!(e, Error(libc::EPERM)),
    }
}

#[test]
fn connect_check_syntax() {
    for ok in [
        "127.0.0.1:5555",
        "127.0.0.1:0",
        "localhost:5555",
        "nonexist.invalid:5555",
        "[::1]:5555",
        ":5555",
        "127.0.0.1:5555x",
        "127.0.0.1:0;127.0.0.1:5555",
        "lo:*;127.0.0.1:5555",
    ] {
        assert_eq!(tcp_check_connect(ok), Ok(()), "{ok}");
    }
    for bad in [
        "127.0.0.1:*",
        "127.0.0.1",
        "127.0.0.1:abc",
        "*:*;127.0.0.1:5555",
        "a b:5555",
        "-x:5555",
        "_x:5555",
        "",
    ] {
        assert_eq!(tcp_check_connect(bad), Err(Error::EINVAL), "{bad}");
    }
}

#[test]
fn resolve_connect_forms() {
    let t = tcp_resolve_connect("127.0.0.1:5555", false).unwrap();
    assert_eq!(t.source, None);
    assert_eq!(t.addrs, vec!["127.0.0.1:5555".parse().unwrap()]);
    let t = tcp_resolve_connect("localhost:5555", false).unwrap();
    assert!(t.addrs.contains(&"127.0.0.1:5555".parse().unwrap()));
    let t = tcp_resolve_connect("127.0.0.1:0;127.0.0.1:5555", false).unwrap();
    assert_eq!(t.source, Some("127.0.0.1:0".parse().unwrap()));
    let t = tcp_resolve_connect("lo:*;127.0.0.1:5555", false).unwrap();
    assert_eq!(t.source, Some("127.0.0.1:0".parse().unwrap()));
    let t = tcp_resolve_connect("[::1]:5555", true).unwrap();
    assert_eq!(t.addrs, vec!["[::1]:5555".parse().unwrap()]);
    let t = tcp_resolve_connect("127.0.0.1:5555", true).unwrap();
    assert_eq!(t.addrs, vec!["[::ffff:127.0.0.1]:5555".parse().unwrap()]);
}

#[test]
fn resolve_connect_errors() {
    let e = |a: &str, v6| tcp_resolve_connect(a, v6).err();
    assert_eq!(e("127.0.0.1:*", false), Some(Error::EINVAL));
    assert_eq!(e("127.0.0.1", false), Some(Error::EINVAL));
    assert_eq!(e("[::1]:5555", false), Some(Error::EINVAL));
    assert_eq!(e(":5555", false), Some(Error::EINVAL));
    assert_eq!(e("nonexist.invalid:5555", false), Some(Error::EINVAL));
    assert_eq!(e("bogus0:*;127.0.0.1:5555", false), Some(Error::ENODEV));
}

#[test]
fn connect_to_listener_and_exchange() {
    let (l, ep) = tcp_bind("127.0.0.1:*", &opts()).unwrap();
    let target = tcp_resolve_connect(&ep["tcp://".len()..], false).unwrap();
    let mut c = tcp_connect(&target, &opts()).unwrap();
    wait_connected(&c).unwrap();
    let tuned = TcpOptions {
        keepalive: 1,
        keepalive_cnt: 3,
        keepalive_idle: 30,
        keepalive_intvl: 5,
        maxrt: 1500,
        ..TcpOptions::default()
    };
    tcp_tune_stream(&c, &tuned).unwrap();
    let r = SockRef::from(&c);
    assert!(r.nodelay().unwrap());
    assert!(r.keepalive().unwrap());
    assert_eq!(r.keepalive_retries().unwrap(), 3);
    assert_eq!(r.keepalive_time().unwrap(), Duration::from_secs(30));
    assert_eq!(r.keepalive_interval().unwrap(), Duration::from_secs(5));
    assert_eq!(
        r.tcp_user_timeout().unwrap(),
        Some(Duration::from_millis(1500))
    );
    let mut a = accept(&l);
    tcp_tune_stream(&a, &opts()).unwrap();
    assert_eq!(peer_address_string(&a), "127.0.0.1");
    c.write_all(b"hi").unwrap();
    let mut buf = [0u8; 2];
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match a.read_exact(&mut buf) {
            Ok(()) => break,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("{e}"),
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(&buf, b"hi");
}

#[test]
fn connect_with_source_binds_it() {
    let (l, ep) = tcp_bind("127.0.0.1:*", &opts()).unwrap();
    let addr = format!("127.0.0.1:0;{}", &ep["tcp://".len()..]);
    let target = tcp_resolve_connect(&addr, false).unwrap();
    let c = tcp_connect(&target, &opts()).unwrap();
    wait_connected(&c).unwrap();
    let a = accept(&l);
    assert_eq!(
        a.peer_addr().unwrap(),
        c.local_addr().unwrap(),
        "accepted peer is our bound source"
    );
}

#[test]
fn connect_refused_reports_error() {
    // Take a free port, then close it.
    let port = {
        let (_l, ep) = tcp_bind("127.0.0.1:*", &opts()).unwrap();
        port_of(&ep)
    };
    let target = tcp_resolve_connect(&format!("127.0.0.1:{port}"), false).unwrap();
    let r = match tcp_connect(&target, &opts()) {
        Ok(c) => wait_connected(&c),
        Err(e) => Err(e),
    };
    assert_eq!(r.unwrap_err().raw_os_error(), Some(libc::ECONNREFUSED));
}

#[test]
fn ipv6_loopback() {
    if !have_ipv6() {
        return;
    }
    let (l, ep) = tcp_bind("[::1]:*", &opts6()).unwrap();
    assert!(ep.starts_with("tcp://[::1]:"), "{ep}");
    let (_l2, ep2) = tcp_bind("::1:*", &opts6()).unwrap();
    assert!(ep2.starts_with("tcp://[::1]:"), "{ep2}");
    let (_l3, ep3) = tcp_bind("lo:*", &opts6()).unwrap();
    assert!(ep3.starts_with("tcp://[::1]:"), "{ep3}");
    let (_l4, ep4) = tcp_bind("127.0.0.1:*", &opts6()).unwrap();
    assert!(ep4.starts_with("tcp://[::ffff:127.0.0.1]:"), "{ep4}");

    let target = tcp_resolve_connect(&ep["tcp://".len()..], true).unwrap();
    let c = tcp_connect(&target, &opts6()).unwrap();
    wait_connected(&c).unwrap();
    let a = accept(&l);
    assert_eq!(peer_address_string(&a), "::1");
}

#[test]
fn ipv6_wildcard_accepts_ipv4() {
    if !have_ipv6() {
        return;
    }
    let (l, ep) = tcp_bind("*:*", &opts6()).unwrap();
    assert!(ep.starts_with("tcp://[::]:"), "{ep}");
    assert!(!SockRef::from(&l).only_v6().unwrap());
    let target = tcp_resolve_connect(&format!("127.0.0.1:{}", port_of(&ep)), false).unwrap();
    let c = tcp_connect(&target, &opts()).unwrap();
    wait_connected(&c).unwrap();
    let a = accept(&l);
    assert_eq!(peer_address_string(&a), "::ffff:127.0.0.1");
}

#[test]
fn format_endpoints() {
    assert_eq!(
        format_tcp_endpoint(&"1.2.3.4:5".parse().unwrap()),
        "tcp://1.2.3.4:5"
    );
    assert_eq!(
        format_tcp_endpoint(&"[::1]:5".parse().unwrap()),
        "tcp://[::1]:5"
    );
}

#[test]
fn bind_ignores_a_valid_source_part() {
    // libzmq checks the part before ';' as a local address, then binds
    // the part after it.
    let (_l, ep) = tcp_bind("127.0.0.1:5;lo:*", &opts()).unwrap();
    assert!(ep.starts_with("tcp://127.0.0.1:"), "{ep}");
    assert_eq!(
        tcp_bind("nosuchhost:*;127.0.0.1:*", &opts()).err(),
        Some(Error::ENODEV)
    );
    assert!(tcp_bind("127.0.0.1:*;localhost:*", &opts()).is_err());
}
