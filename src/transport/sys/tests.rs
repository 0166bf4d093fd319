use super::*;

#[test]
fn loopback_has_ipv4() {
    let a = interface_addr("lo", false).unwrap();
    assert_eq!(a, Some((IpAddr::V4(Ipv4Addr::LOCALHOST), 0)));
    assert_eq!(interface_addr("bogus-if0", false).unwrap(), None);
}

#[test]
fn nametoindex() {
    assert!(if_nametoindex("lo") > 0);
    assert_eq!(if_nametoindex("bogus-if0"), 0);
    assert_eq!(if_nametoindex("a\0b"), 0);
}

#[test]
fn mkdtemp_makes_dir() {
    let d = mkdtemp("/tmp/zmqrs-sys-XXXXXX").unwrap();
    assert!(d.is_dir());
    std::fs::remove_dir(&d).unwrap();
}

#[test]
fn int_options() {
    let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    setsockopt_int(&s, libc::SOL_SOCKET, libc::SO_PRIORITY, 3).unwrap();
    assert_eq!(
        getsockopt_int(&s, libc::SOL_SOCKET, libc::SO_PRIORITY).unwrap(),
        3
    );
    let e = setsockopt_int(&s, libc::SOL_SOCKET, 9999, 1).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::ENOPROTOOPT));
}

#[test]
fn vectored_send_and_read_into_spare_capacity() {
    let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
    let bufs = [io::IoSlice::new(b"abc"), io::IoSlice::new(b"defgh")];
    assert_eq!(send_vectored(&a, &bufs).unwrap(), 8);
    let mut v = Vec::with_capacity(16);
    v.extend_from_slice(b"x");
    assert_eq!(read_spare(&b, &mut v, 5).unwrap(), (5, 5));
    assert_eq!(v, b"xabcde");
    let spare = v.capacity() - v.len();
    assert_eq!(read_spare(&b, &mut v, 100).unwrap(), (3, spare));
    assert_eq!(v, b"xabcdefgh");
    drop(b);
    let e = send_vectored(&a, &bufs).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(libc::EPIPE));
}
