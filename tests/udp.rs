//! The `udp://` transport through the C API (zmq_udp(7), zmq_socket(3)
//! RADIO/DISH/DGRAM): RADIO to DISH by group over unicast, DGRAM to DGRAM
//! with the address frame, endpoint errors and the socket types allowed.
//! Ports come from the OS (a std socket bound to port 0, then dropped):
//! a udp bind reports its address as given (ZMQ_LAST_ENDPOINT without
//! `udp://`), as libzmq does, so a wildcard port cannot be read back. Waits are receive timeouts, never
//! sleeps; "not delivered" is checked with a sentinel sent after it.

mod common;

use common::{
    set_int, ZMQ_DGRAM, ZMQ_DISH, ZMQ_IPV6, ZMQ_LINGER, ZMQ_PAIR, ZMQ_PUB, ZMQ_RADIO, ZMQ_RCVHWM,
    ZMQ_RCVMORE, ZMQ_RCVTIMEO, ZMQ_SNDMORE,
};
use libc::{c_int, c_void};
use std::ffi::{CStr, CString};
use zmq::error::{errno, ENOCOMPATPROTO};
use zmq::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
use zmq::ffi::msg::{
    zmq_msg_close, zmq_msg_data, zmq_msg_group, zmq_msg_init, zmq_msg_init_size, zmq_msg_set_group,
    zmq_msg_size, zmq_msg_t,
};
use zmq::ffi::proxy::zmq_join;
use zmq::ffi::socket::{
    zmq_bind, zmq_close, zmq_connect, zmq_disconnect, zmq_getsockopt, zmq_msg_recv, zmq_msg_send,
    zmq_recv, zmq_send, zmq_socket, zmq_unbind,
};

/// A port nobody uses right now on 127.0.0.1.
fn free_port() -> u16 {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    s.local_addr().unwrap().port()
}

fn new_socket(ctx: *mut c_void, kind: c_int) -> *mut c_void {
    // SAFETY: live context.
    let s = unsafe { zmq_socket(ctx, kind) };
    assert!(!s.is_null());
    set_int(s, ZMQ_LINGER, 0);
    set_int(s, ZMQ_RCVTIMEO, 5000);
    s
}

/// zmq_bind or zmq_connect; the errno on failure.
fn attach(s: *mut c_void, ep: &str, bind: bool) -> Result<(), c_int> {
    let c = CString::new(ep).unwrap();
    // SAFETY: live socket, C string.
    let rc = unsafe {
        if bind {
            zmq_bind(s, c.as_ptr())
        } else {
            zmq_connect(s, c.as_ptr())
        }
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(errno())
    }
}

fn join(s: *mut c_void, group: &str) {
    let g = CString::new(group).unwrap();
    // SAFETY: live socket, C string.
    assert_eq!(unsafe { zmq_join(s, g.as_ptr()) }, 0);
}

fn send_group(s: *mut c_void, group: &str, data: &[u8]) {
    let mut m = std::mem::MaybeUninit::<zmq_msg_t>::uninit();
    let g = CString::new(group).unwrap();
    // SAFETY: init_size initialises the message, `data` fits in it; the
    // message is sent (or closed on failure) exactly once.
    unsafe {
        assert_eq!(zmq_msg_init_size(m.as_mut_ptr(), data.len()), 0);
        let m = m.as_mut_ptr();
        std::ptr::copy_nonoverlapping(data.as_ptr(), zmq_msg_data(m).cast(), data.len());
        assert_eq!(zmq_msg_set_group(m, g.as_ptr()), 0);
        let rc = zmq_msg_send(m, s, 0);
        if rc < 0 {
            zmq_msg_close(m);
        }
        assert!(rc >= 0, "send: errno {}", errno());
    }
}

/// The next message's group and body (panics on timeout).
fn recv_group(s: *mut c_void) -> (String, Vec<u8>) {
    let mut m = std::mem::MaybeUninit::<zmq_msg_t>::uninit();
    // SAFETY: zmq_msg_init initialises the message, read within its size,
    // closed once.
    unsafe {
        zmq_msg_init(m.as_mut_ptr());
        let m = m.as_mut_ptr();
        let rc = zmq_msg_recv(m, s, 0);
        assert!(rc >= 0, "recv: errno {}", errno());
        let body =
            std::slice::from_raw_parts(zmq_msg_data(m) as *const u8, zmq_msg_size(m)).to_vec();
        let group = CStr::from_ptr(zmq_msg_group(m))
            .to_str()
            .unwrap()
            .to_string();
        zmq_msg_close(m);
        (group, body)
    }
}

fn send(s: *mut c_void, data: &[u8], flags: c_int) -> Result<(), c_int> {
    // SAFETY: live socket; data readable.
    let rc = unsafe { zmq_send(s, data.as_ptr().cast(), data.len(), flags) };
    if rc >= 0 {
        Ok(())
    } else {
        Err(errno())
    }
}

/// One frame and whether more follow (panics on timeout).
fn recv_frame(s: *mut c_void) -> (Vec<u8>, bool) {
    let mut buf = vec![0u8; 1024];
    // SAFETY: live socket; buf is writable for its length.
    let n = unsafe { zmq_recv(s, buf.as_mut_ptr().cast(), buf.len(), 0) };
    assert!(n >= 0, "recv: errno {}", errno());
    buf.truncate(n as usize);
    let mut more: c_int = 0;
    let mut len = 4usize;
    // SAFETY: live socket, 4-byte buffer.
    let rc = unsafe { zmq_getsockopt(s, ZMQ_RCVMORE, (&mut more as *mut c_int).cast(), &mut len) };
    assert_eq!(rc, 0);
    (buf, more != 0)
}

fn close(s: *mut c_void) {
    // SAFETY: live socket, closed once.
    assert_eq!(unsafe { zmq_close(s) }, 0);
}

fn term(ctx: *mut c_void) {
    // SAFETY: live context, every socket closed.
    assert_eq!(unsafe { zmq_ctx_term(ctx) }, 0);
}

fn new_ctx() -> *mut c_void {
    // SAFETY: plain C call.
    let ctx = unsafe { zmq_ctx_new() };
    assert!(!ctx.is_null());
    ctx
}

#[test]
fn radio_to_dish_delivers_only_joined_groups() {
    for host in ["127.0.0.1", "*"] {
        let ctx = new_ctx();
        let port = free_port();
        let dish = new_socket(ctx, ZMQ_DISH);
        attach(dish, &format!("udp://{host}:{port}"), true).unwrap();
        assert_eq!(
            common::last_endpoint(dish),
            format!("{host}:{port}"),
            "the address as given, without udp://, as libzmq 4.3.4"
        );
        join(dish, "movies");
        join(dish, "tv");
        let radio = new_socket(ctx, ZMQ_RADIO);
        attach(radio, &format!("udp://127.0.0.1:{port}"), false).unwrap();

        send_group(radio, "weather", b"not joined");
        send_group(radio, "movies", b"first");
        send_group(radio, "tv", b"");
        send_group(radio, "weather", b"still not joined");
        send_group(radio, "tv", b"last");
        assert_eq!(recv_group(dish), ("movies".into(), b"first".to_vec()));
        assert_eq!(recv_group(dish), ("tv".into(), Vec::new()));
        assert_eq!(recv_group(dish), ("tv".into(), b"last".to_vec()));
        close(radio);
        close(dish);
        term(ctx);
    }
}

#[test]
fn dish_datagrams_follow_the_wire_format() {
    // What libzmq's udp engine sends: group length, group, body.
    let ctx = new_ctx();
    let port = free_port();
    let dish = new_socket(ctx, ZMQ_DISH);
    attach(dish, &format!("udp://127.0.0.1:{port}"), true).unwrap();
    join(dish, "g");
    let raw = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = ("127.0.0.1", port);
    // Malformed (length beyond the datagram, empty), other group, then ours.
    raw.send_to(b"\x09g", to).unwrap();
    raw.send_to(b"", to).unwrap();
    raw.send_to(b"\x01hbody", to).unwrap();
    raw.send_to(b"\x01gbody", to).unwrap();
    assert_eq!(recv_group(dish), ("g".into(), b"body".to_vec()));

    // And what a RADIO sends is that same format.
    let radio = new_socket(ctx, ZMQ_RADIO);
    let port2 = raw.local_addr().unwrap().port();
    attach(radio, &format!("udp://127.0.0.1:{port2}"), false).unwrap();
    send_group(radio, "abc", b"xyz");
    raw.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 64];
    let (n, _) = raw.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"\x03abcxyz");
    close(radio);
    close(dish);
    term(ctx);
}

#[test]
fn dgram_echo_with_address_frames() {
    let ctx = new_ctx();
    let (pa, pb) = (free_port(), free_port());
    let a = new_socket(ctx, ZMQ_DGRAM);
    let b = new_socket(ctx, ZMQ_DGRAM);
    attach(a, &format!("udp://127.0.0.1:{pa}"), true).unwrap();
    attach(b, &format!("udp://*:{pb}"), true).unwrap();

    send(a, format!("127.0.0.1:{pb}").as_bytes(), ZMQ_SNDMORE).unwrap();
    send(a, b"ping", 0).unwrap();
    let (from, more) = recv_frame(b);
    // libzmq counts the address's NUL terminator in the frame.
    assert_eq!(from, format!("127.0.0.1:{pa}\0").into_bytes());
    assert!(more);
    assert_eq!(recv_frame(b), (b"ping".to_vec(), false));

    // Reply to the address as received.
    send(b, &from, ZMQ_SNDMORE).unwrap();
    send(b, b"pong", 0).unwrap();
    assert_eq!(
        recv_frame(a),
        (format!("127.0.0.1:{pb}\0").into_bytes(), true)
    );
    assert_eq!(recv_frame(a), (b"pong".to_vec(), false));

    // A message whose address does not parse is dropped; the next arrives.
    send(a, b"not an address", ZMQ_SNDMORE).unwrap();
    send(a, b"lost", 0).unwrap();
    send(a, format!("127.0.0.1:{pb}").as_bytes(), ZMQ_SNDMORE).unwrap();
    send(a, b"sentinel", 0).unwrap();
    assert!(recv_frame(b).1);
    assert_eq!(recv_frame(b), (b"sentinel".to_vec(), false));

    // The first frame must have MORE, the second must not.
    assert_eq!(send(a, b"127.0.0.1:1", 0), Err(libc::EINVAL));
    send(a, b"127.0.0.1:1", ZMQ_SNDMORE).unwrap();
    assert_eq!(send(a, b"body", ZMQ_SNDMORE), Err(libc::EINVAL));
    send(a, b"body", 0).unwrap();
    close(a);
    close(b);
    term(ctx);
}

#[test]
fn dgram_datagrams_are_the_bodies() {
    // On the wire a DGRAM message is its body alone (libzmq's udp engine
    // in raw mode): a plain udp socket talks to it. With ZMQ_IPV6 the
    // socket is dual-stack and IPv4 peers still show as `ip:port`.
    for ipv6 in [false, true] {
        if ipv6 && std::net::UdpSocket::bind("[::1]:0").is_err() {
            continue;
        }
        let ctx = new_ctx();
        let port = free_port();
        let d = new_socket(ctx, ZMQ_DGRAM);
        set_int(d, ZMQ_IPV6, i32::from(ipv6));
        attach(d, &format!("udp://*:{port}"), true).unwrap();
        let raw = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        raw.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let me = raw.local_addr().unwrap();
        raw.send_to(b"hello", ("127.0.0.1", port)).unwrap();
        assert_eq!(recv_frame(d), (format!("{me}\0").into_bytes(), true));
        assert_eq!(recv_frame(d), (b"hello".to_vec(), false));
        send(d, me.to_string().as_bytes(), ZMQ_SNDMORE).unwrap();
        send(d, b"back", 0).unwrap();
        let mut buf = [0u8; 16];
        let (n, from) = raw.recv_from(&mut buf).unwrap();
        assert_eq!((&buf[..n], from.port()), (&b"back"[..], port));
        close(d);
        term(ctx);
    }
}

#[test]
fn udp_endpoint_errors() {
    let ctx = new_ctx();
    let dish = new_socket(ctx, ZMQ_DISH);
    let radio = new_socket(ctx, ZMQ_RADIO);
    let dgram = new_socket(ctx, ZMQ_DGRAM);
    for (ep, want) in [
        ("udp://", libc::EINVAL),
        ("udp://127.0.0.1", libc::EINVAL),
        ("udp://127.0.0.1:x", libc::EINVAL),
        ("udp://no-such-host.invalid:5555", libc::ENODEV),
        ("udp://127.0.0.1;127.0.0.1:5555", libc::EINVAL),
    ] {
        assert_eq!(attach(dish, ep, true), Err(want), "dish bind {ep}");
        assert_eq!(attach(dgram, ep, true), Err(want), "dgram bind {ep}");
    }
    for (ep, want) in [
        ("udp://127.0.0.1", libc::EINVAL),
        ("udp://127.0.0.1:*", libc::EINVAL),
        ("udp://no-such-host.invalid:5555", libc::EINVAL),
    ] {
        assert_eq!(attach(radio, ep, false), Err(want), "radio connect {ep}");
    }
    // Only a DISH or a DGRAM binds udp, only a RADIO connects it; other
    // types refuse udp whatever the address.
    let ok = format!("udp://127.0.0.1:{}", free_port());
    assert_eq!(attach(radio, &ok, true), Err(ENOCOMPATPROTO));
    assert_eq!(attach(dish, &ok, false), Err(ENOCOMPATPROTO));
    assert_eq!(attach(dgram, &ok, false), Err(ENOCOMPATPROTO));
    for kind in [ZMQ_PAIR, ZMQ_PUB] {
        let s = new_socket(ctx, kind);
        for bind in [true, false] {
            assert_eq!(attach(s, &ok, bind), Err(ENOCOMPATPROTO));
            assert_eq!(attach(s, "udp://nonsense", bind), Err(ENOCOMPATPROTO));
        }
        let c = CString::new(ok.as_str()).unwrap();
        // SAFETY: live socket, C string.
        assert_eq!(unsafe { zmq_unbind(s, c.as_ptr()) }, -1);
        assert_eq!(errno(), ENOCOMPATPROTO);
        close(s);
    }
    close(dish);
    close(radio);
    close(dgram);
    term(ctx);
}

/// Binds a plain socket to `port` without SO_REUSEADDR, retrying until the
/// I/O thread has let go of it (or 5 s pass).
fn port_released(port: u16) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

#[test]
fn unbind_disconnect_and_close_release_the_socket() {
    let ctx = new_ctx();
    let port = free_port();
    let ep = format!("udp://127.0.0.1:{port}");
    let c = CString::new(ep.as_str()).unwrap();
    let dish = new_socket(ctx, ZMQ_DISH);
    attach(dish, &ep, true).unwrap();
    // SAFETY: live socket, C string.
    assert_eq!(unsafe { zmq_unbind(dish, c.as_ptr()) }, 0);
    // SAFETY: as above.
    assert_eq!(unsafe { zmq_unbind(dish, c.as_ptr()) }, -1);
    assert_eq!(errno(), libc::ENOENT);
    assert!(port_released(port));

    let radio = new_socket(ctx, ZMQ_RADIO);
    attach(radio, &ep, false).unwrap();
    // SAFETY: live socket, C string.
    assert_eq!(unsafe { zmq_disconnect(radio, c.as_ptr()) }, 0);
    // A radio without its udp endpoint sends to nobody, without blocking.
    send_group(radio, "g", b"dropped");

    // Bound again after the unbind; a close releases it too.
    attach(dish, &ep, true).unwrap();
    let dgram = new_socket(ctx, ZMQ_DGRAM);
    let port2 = free_port();
    attach(dgram, &format!("udp://127.0.0.1:{port2}"), true).unwrap();
    close(dish);
    close(dgram);
    close(radio);
    term(ctx);
    assert!(port_released(port));
    assert!(port_released(port2));
}

#[test]
fn a_full_dish_drops_instead_of_queueing() {
    let ctx = new_ctx();
    let port = free_port();
    let dish = new_socket(ctx, ZMQ_DISH);
    set_int(dish, ZMQ_RCVHWM, 4);
    attach(dish, &format!("udp://127.0.0.1:{port}"), true).unwrap();
    join(dish, "g");
    let radio = new_socket(ctx, ZMQ_RADIO);
    attach(radio, &format!("udp://127.0.0.1:{port}"), false).unwrap();
    for i in 0..2000 {
        send_group(radio, "g", format!("{i}").as_bytes());
    }
    // Whatever was kept arrives in order; the rest was dropped, not queued
    // without bound. The sentinel, sent once the dish has room again,
    // still arrives.
    let mut got = Vec::new();
    set_int(dish, ZMQ_RCVTIMEO, 200);
    loop {
        let mut m = std::mem::MaybeUninit::<zmq_msg_t>::uninit();
        // SAFETY: initialised message, closed once.
        let rc = unsafe {
            zmq_msg_init(m.as_mut_ptr());
            let rc = zmq_msg_recv(m.as_mut_ptr(), dish, 0);
            if rc >= 0 {
                let p = zmq_msg_data(m.as_mut_ptr()) as *const u8;
                let n = zmq_msg_size(m.as_mut_ptr());
                got.push(String::from_utf8(std::slice::from_raw_parts(p, n).to_vec()).unwrap());
            }
            zmq_msg_close(m.as_mut_ptr());
            rc
        };
        if rc < 0 {
            assert_eq!(errno(), libc::EAGAIN);
            break;
        }
    }
    assert!(!got.is_empty());
    assert!(got.len() < 2000, "some were dropped: {}", got.len());
    let nums: Vec<u32> = got.iter().map(|s| s.parse().unwrap()).collect();
    assert!(nums.windows(2).all(|w| w[0] < w[1]), "in order: {nums:?}");
    set_int(dish, ZMQ_RCVTIMEO, 5000);
    send_group(radio, "g", b"sentinel");
    assert_eq!(recv_group(dish), ("g".into(), b"sentinel".to_vec()));
    close(radio);
    close(dish);
    term(ctx);
}

#[test]
fn radio_to_dishes_over_multicast() {
    // The group through the loopback interface, named before `;`, so the
    // test needs no multicast route; both dishes share the port.
    let ctx = new_ctx();
    let ep = format!("udp://127.0.0.1;239.255.42.1:{}", free_port());
    let dishes = [new_socket(ctx, ZMQ_DISH), new_socket(ctx, ZMQ_DISH)];
    for d in dishes {
        attach(d, &ep, true).unwrap();
        join(d, "g");
    }
    let radio = new_socket(ctx, ZMQ_RADIO);
    attach(radio, &ep, false).unwrap();
    send_group(radio, "h", b"other");
    send_group(radio, "g", b"mcast");
    for d in dishes {
        assert_eq!(recv_group(d), ("g".into(), b"mcast".to_vec()));
        close(d);
    }
    close(radio);
    term(ctx);
}
