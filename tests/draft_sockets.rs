//! The draft socket types through the C API, as a libzmq user sees them
//! (zmq_socket(3) draft section, zmq_join(3), zmq_msg_routing_id(3),
//! zmq_msg_set_group(3), zmq_connect_peer(3)): SERVER/CLIENT and PEER
//! routing by numeric id, SCATTER/GATHER, CHANNEL, RADIO/DISH groups, each
//! over inproc, ipc and tcp; the single-part and errno rules; the
//! thread-safety contract (ZMQ_THREAD_SAFE, no ZMQ_FD, a blocking receive
//! in one thread while another sends on the same socket); zmq_poll and
//! zmq_poller on them. No fixed ports (tcp://127.0.0.1:* and
//! ZMQ_LAST_ENDPOINT); waits are receive timeouts or polls, never sleeps.

mod common;

use common::wire::{greeting, ready};

use libc::{c_int, c_void};
use std::ffi::{CStr, CString};
use zmq::error::errno;
use zmq::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
use zmq::ffi::msg::{
    zmq_msg_close, zmq_msg_data, zmq_msg_group, zmq_msg_init, zmq_msg_init_size,
    zmq_msg_routing_id, zmq_msg_set_group, zmq_msg_set_routing_id, zmq_msg_size, zmq_msg_t,
};
use zmq::ffi::poller::{
    zmq_poller_add, zmq_poller_destroy, zmq_poller_event_t, zmq_poller_new, zmq_poller_wait,
};
use zmq::ffi::proxy::{zmq_connect_peer, zmq_join, zmq_leave};
use zmq::ffi::socket::{
    zmq_bind, zmq_close, zmq_connect, zmq_getsockopt, zmq_msg_recv, zmq_msg_send, zmq_poll,
    zmq_pollitem_t, zmq_send, zmq_setsockopt, zmq_socket,
};

const ZMQ_PAIR: c_int = 0;
const ZMQ_DEALER: c_int = 5;
const ZMQ_SERVER: c_int = 12;
const ZMQ_CLIENT: c_int = 13;
const ZMQ_RADIO: c_int = 14;
const ZMQ_DISH: c_int = 15;
const ZMQ_GATHER: c_int = 16;
const ZMQ_SCATTER: c_int = 17;
const ZMQ_DGRAM: c_int = 18;
const ZMQ_PEER: c_int = 19;
const ZMQ_CHANNEL: c_int = 20;
const ZMQ_SNDMORE: c_int = 2;
const ZMQ_DONTWAIT: c_int = 1;
const ZMQ_FD: c_int = 14;
const ZMQ_RCVTIMEO: c_int = 27;
const ZMQ_SNDTIMEO: c_int = 28;
const ZMQ_LINGER: c_int = 17;
const ZMQ_LAST_ENDPOINT: c_int = 32;
const ZMQ_THREAD_SAFE: c_int = 81;
const ZMQ_SNDHWM: c_int = 23;
const ZMQ_POLLIN: i16 = 1;

struct Ctx(*mut c_void);

impl Ctx {
    fn new() -> Ctx {
        // SAFETY: plain C call.
        let c = unsafe { zmq_ctx_new() };
        assert!(!c.is_null());
        Ctx(c)
    }
    fn socket(&self, t: c_int) -> Sock {
        // SAFETY: live context.
        let s = unsafe { zmq_socket(self.0, t) };
        assert!(!s.is_null(), "zmq_socket({t}) failed: errno {}", errno());
        let s = Sock(s);
        s.set_int(ZMQ_LINGER, 0);
        s.set_int(ZMQ_RCVTIMEO, 5000);
        s.set_int(ZMQ_SNDTIMEO, 5000);
        s
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        // A failed test leaves sockets open: zmq_ctx_term would wait for
        // them forever, hiding the failure behind a hang.
        if std::thread::panicking() {
            return;
        }
        // SAFETY: live context; every socket was closed before.
        unsafe { zmq_ctx_term(self.0) };
    }
}

#[derive(Clone, Copy)]
struct Sock(*mut c_void);
// SAFETY: the draft types are thread-safe; tests share them on purpose.
unsafe impl Send for Sock {}
// SAFETY: as above.
unsafe impl Sync for Sock {}

impl Sock {
    fn set_int(&self, opt: c_int, v: c_int) {
        // SAFETY: live socket, 4-byte value.
        let rc = unsafe { zmq_setsockopt(self.0, opt, (&v as *const c_int).cast(), 4) };
        assert_eq!(rc, 0, "setsockopt {opt}");
    }
    fn get_int(&self, opt: c_int) -> Result<c_int, c_int> {
        let mut v: c_int = 0;
        let mut len = 4usize;
        // SAFETY: live socket, 4-byte buffer.
        let rc = unsafe { zmq_getsockopt(self.0, opt, (&mut v as *mut c_int).cast(), &mut len) };
        if rc == 0 {
            Ok(v)
        } else {
            Err(errno())
        }
    }
    fn bind(&self, ep: &str) -> String {
        let c = CString::new(ep).unwrap();
        // SAFETY: live socket, C string.
        assert_eq!(unsafe { zmq_bind(self.0, c.as_ptr()) }, 0, "bind {ep}");
        let mut buf = [0u8; 256];
        let mut len = buf.len();
        // SAFETY: live socket; buf/len describe a writable buffer.
        let rc =
            unsafe { zmq_getsockopt(self.0, ZMQ_LAST_ENDPOINT, buf.as_mut_ptr().cast(), &mut len) };
        assert_eq!(rc, 0);
        CStr::from_bytes_until_nul(&buf)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    }
    fn connect(&self, ep: &str) {
        let c = CString::new(ep).unwrap();
        // SAFETY: live socket, C string.
        assert_eq!(
            unsafe { zmq_connect(self.0, c.as_ptr()) },
            0,
            "connect {ep}"
        );
    }
    fn send(&self, data: &[u8], flags: c_int) -> Result<(), c_int> {
        // SAFETY: live socket; data is readable.
        let rc = unsafe { zmq_send(self.0, data.as_ptr().cast(), data.len(), flags) };
        if rc >= 0 {
            Ok(())
        } else {
            Err(errno())
        }
    }
    /// Sends with a routing id and/or a group.
    fn send_to(&self, data: &[u8], rid: u32, group: Option<&str>) -> Result<(), c_int> {
        let mut m = Msg::from(data);
        if rid != 0 {
            // SAFETY: initialised message.
            assert_eq!(unsafe { zmq_msg_set_routing_id(&mut m.0, rid) }, 0);
        }
        if let Some(g) = group {
            let g = CString::new(g).unwrap();
            // SAFETY: initialised message, C string.
            assert_eq!(unsafe { zmq_msg_set_group(&mut m.0, g.as_ptr()) }, 0);
        }
        // SAFETY: initialised message, live socket.
        let rc = unsafe { zmq_msg_send(&mut m.0, self.0, 0) };
        if rc >= 0 {
            Ok(())
        } else {
            Err(errno())
        }
    }
    fn recv(&self, flags: c_int) -> Result<Msg, c_int> {
        let mut m = Msg::new();
        // SAFETY: initialised message, live socket.
        let rc = unsafe { zmq_msg_recv(&mut m.0, self.0, flags) };
        if rc >= 0 {
            Ok(m)
        } else {
            Err(errno())
        }
    }
    fn join(&self, g: &str) -> Result<(), c_int> {
        let g = CString::new(g).unwrap();
        // SAFETY: live socket, C string.
        if unsafe { zmq_join(self.0, g.as_ptr()) } == 0 {
            Ok(())
        } else {
            Err(errno())
        }
    }
    fn leave(&self, g: &str) -> Result<(), c_int> {
        let g = CString::new(g).unwrap();
        // SAFETY: live socket, C string.
        if unsafe { zmq_leave(self.0, g.as_ptr()) } == 0 {
            Ok(())
        } else {
            Err(errno())
        }
    }
    fn close(self) {
        // SAFETY: live socket, closed once.
        assert_eq!(unsafe { zmq_close(self.0) }, 0);
    }
}

struct Msg(zmq_msg_t);

impl Msg {
    fn new() -> Msg {
        let mut m = std::mem::MaybeUninit::<zmq_msg_t>::uninit();
        // SAFETY: zmq_msg_init initialises the struct.
        unsafe {
            zmq_msg_init(m.as_mut_ptr());
            Msg(m.assume_init())
        }
    }
    fn from(data: &[u8]) -> Msg {
        let mut m = std::mem::MaybeUninit::<zmq_msg_t>::uninit();
        // SAFETY: init_size initialises the struct; data copied within size.
        unsafe {
            assert_eq!(zmq_msg_init_size(m.as_mut_ptr(), data.len()), 0);
            let mut m = Msg(m.assume_init());
            std::ptr::copy_nonoverlapping(data.as_ptr(), zmq_msg_data(&mut m.0).cast(), data.len());
            m
        }
    }
    fn data(&mut self) -> Vec<u8> {
        // SAFETY: initialised message, read within its size.
        unsafe {
            let n = zmq_msg_size(&self.0);
            std::slice::from_raw_parts(zmq_msg_data(&mut self.0) as *const u8, n).to_vec()
        }
    }
    fn routing_id(&mut self) -> u32 {
        // SAFETY: initialised message.
        unsafe { zmq_msg_routing_id(&mut self.0) }
    }
    fn group(&mut self) -> String {
        // SAFETY: initialised message; the group is a C string it owns.
        unsafe { CStr::from_ptr(zmq_msg_group(&mut self.0)) }
            .to_str()
            .unwrap()
            .to_string()
    }
}

impl Drop for Msg {
    fn drop(&mut self) {
        // SAFETY: initialised message.
        unsafe { zmq_msg_close(&mut self.0) };
    }
}

/// One endpoint per transport, for a test named `tag`.
fn endpoints(tag: &str) -> Vec<String> {
    let dir = std::env::temp_dir();
    vec![
        format!("inproc://draft-{tag}"),
        format!(
            "ipc://{}/zmqrs-draft-{tag}-{}.sock",
            dir.display(),
            std::process::id()
        ),
        "tcp://127.0.0.1:*".to_string(),
    ]
}

#[test]
fn every_draft_type_is_created_thread_safe_without_fd() {
    let ctx = Ctx::new();
    for t in [
        ZMQ_SERVER,
        ZMQ_CLIENT,
        ZMQ_RADIO,
        ZMQ_DISH,
        ZMQ_GATHER,
        ZMQ_SCATTER,
        ZMQ_DGRAM,
        ZMQ_PEER,
        ZMQ_CHANNEL,
    ] {
        let s = ctx.socket(t);
        assert_eq!(s.get_int(ZMQ_THREAD_SAFE), Ok(1), "type {t}");
        assert_eq!(s.get_int(ZMQ_FD), Err(libc::EINVAL), "type {t}");
        assert_eq!(s.get_int(16), Ok(t));
        s.close();
    }
    let pair = ctx.socket(ZMQ_PAIR);
    assert_eq!(pair.get_int(ZMQ_THREAD_SAFE), Ok(0));
    assert!(pair.get_int(ZMQ_FD).is_ok());
    pair.close();
    // SAFETY: live context.
    assert!(unsafe { zmq_socket(ctx.0, 21) }.is_null());
    assert_eq!(errno(), libc::EINVAL);
}

#[test]
fn server_and_clients_route_by_routing_id() {
    for ep in endpoints("srv") {
        let ctx = Ctx::new();
        let server = ctx.socket(ZMQ_SERVER);
        let ep = server.bind(&ep);
        let c1 = ctx.socket(ZMQ_CLIENT);
        let c2 = ctx.socket(ZMQ_CLIENT);
        c1.connect(&ep);
        c2.connect(&ep);
        c1.send(b"one", 0).unwrap();
        c2.send(b"two", 0).unwrap();
        let mut ids = std::collections::HashMap::new();
        for _ in 0..2 {
            let mut m = server.recv(0).unwrap();
            let rid = m.routing_id();
            assert_ne!(rid, 0, "{ep}");
            ids.insert(m.data(), rid);
        }
        let (r1, r2) = (ids[&b"one".to_vec()], ids[&b"two".to_vec()]);
        assert_ne!(r1, r2);
        server.send_to(b"to-two", r2, None).unwrap();
        server.send_to(b"to-one", r1, None).unwrap();
        let mut m = c1.recv(0).unwrap();
        assert_eq!(m.data(), b"to-one");
        assert_eq!(m.routing_id(), 0);
        assert_eq!(c2.recv(0).unwrap().data(), b"to-two");
        // Unknown, or no, routing id.
        let unknown = r1.wrapping_add(r2).max(1).wrapping_mul(7) | 1;
        if unknown != r1 && unknown != r2 {
            assert_eq!(server.send_to(b"x", unknown, None), Err(libc::EHOSTUNREACH));
        }
        assert_eq!(server.send(b"x", 0), Err(libc::EHOSTUNREACH));
        // Single-part only.
        assert_eq!(c1.send(b"a", ZMQ_SNDMORE), Err(libc::EINVAL));
        assert_eq!(server.send(b"a", ZMQ_SNDMORE), Err(libc::EINVAL));
        // Nothing more to read.
        assert_eq!(c1.recv(ZMQ_DONTWAIT).err(), Some(libc::EAGAIN));
        for s in [server, c1, c2] {
            s.close();
        }
    }
}

#[test]
fn client_round_robins_and_blocks_without_peers() {
    let ctx = Ctx::new();
    let client = ctx.socket(ZMQ_CLIENT);
    assert_eq!(client.send(b"x", ZMQ_DONTWAIT), Err(libc::EAGAIN));
    client.set_int(ZMQ_SNDTIMEO, 50);
    assert_eq!(client.send(b"x", 0), Err(libc::EAGAIN));
    let s1 = ctx.socket(ZMQ_SERVER);
    let s2 = ctx.socket(ZMQ_SERVER);
    s1.bind("inproc://rr1");
    s2.bind("inproc://rr2");
    client.connect("inproc://rr1");
    client.connect("inproc://rr2");
    for i in 0..4u8 {
        client.send(&[i], 0).unwrap();
    }
    let a: Vec<u8> = (0..2).map(|_| s1.recv(0).unwrap().data()[0]).collect();
    let b: Vec<u8> = (0..2).map(|_| s2.recv(0).unwrap().data()[0]).collect();
    let mut all = [a, b].concat();
    all.sort();
    assert_eq!(all, vec![0, 1, 2, 3]);
    for s in [client, s1, s2] {
        s.close();
    }
}

#[test]
fn server_send_to_a_full_peer_is_eagain() {
    let ctx = Ctx::new();
    let server = ctx.socket(ZMQ_SERVER);
    server.set_int(ZMQ_SNDHWM, 2);
    server.bind("inproc://full");
    let client = ctx.socket(ZMQ_CLIENT);
    client.set_int(28, 5000);
    client.set_int(24, 2); // ZMQ_RCVHWM
    client.connect("inproc://full");
    client.send(b"hi", 0).unwrap();
    let rid = server.recv(0).unwrap().routing_id();
    let mut sent = 0;
    loop {
        let mut m = Msg::from(b"fill");
        // SAFETY: initialised message, live socket.
        unsafe { zmq_msg_set_routing_id(&mut m.0, rid) };
        // SAFETY: as above.
        let rc = unsafe { zmq_msg_send(&mut m.0, server.0, ZMQ_DONTWAIT) };
        if rc < 0 {
            assert_eq!(errno(), libc::EAGAIN);
            break;
        }
        sent += 1;
        assert!(sent < 100, "HWM never reached");
    }
    assert!(sent >= 2);
    // A blocking send with a timeout waits, then gives EAGAIN too.
    server.set_int(ZMQ_SNDTIMEO, 50);
    assert_eq!(server.send_to(b"more", rid, None), Err(libc::EAGAIN));
    // A blocking send waits for room: another thread sends while this one
    // drains the client (the server is thread-safe).
    server.set_int(ZMQ_SNDTIMEO, 5000);
    let sender = std::thread::spawn(move || server.send_to(b"again", rid, None));
    for _ in 0..sent {
        assert_eq!(client.recv(0).unwrap().data(), b"fill");
    }
    assert_eq!(sender.join().unwrap(), Ok(()));
    assert_eq!(client.recv(0).unwrap().data(), b"again");
    server.close();
    client.close();
}

#[test]
fn multipart_from_a_peer_is_dropped() {
    // Over inproc, socket types are not checked (as in libzmq): a DEALER
    // can feed a SERVER multipart messages, which it must not deliver.
    let ctx = Ctx::new();
    let server = ctx.socket(ZMQ_SERVER);
    server.bind("inproc://multi");
    let dealer = ctx.socket(ZMQ_DEALER);
    dealer.connect("inproc://multi");
    dealer.send(b"part1", ZMQ_SNDMORE).unwrap();
    dealer.send(b"part2", 0).unwrap();
    dealer.send(b"single", 0).unwrap();
    let mut m = server.recv(0).unwrap();
    assert_eq!(m.data(), b"single");
    assert_eq!(server.recv(ZMQ_DONTWAIT).err(), Some(libc::EAGAIN));
    server.close();
    dealer.close();
}

#[test]
fn scatter_gather_and_channel() {
    for ep in endpoints("sg") {
        let ctx = Ctx::new();
        let gather = ctx.socket(ZMQ_GATHER);
        let ep2 = gather.bind(&ep);
        let scatter = ctx.socket(ZMQ_SCATTER);
        scatter.connect(&ep2);
        for i in 0..10u8 {
            scatter.send(&[i], 0).unwrap();
        }
        for i in 0..10u8 {
            assert_eq!(gather.recv(0).unwrap().data(), vec![i], "{ep}");
        }
        assert_eq!(scatter.send(b"x", ZMQ_SNDMORE), Err(libc::EINVAL));
        assert_eq!(gather.send(b"x", 0), Err(libc::ENOTSUP));
        assert_eq!(scatter.recv(ZMQ_DONTWAIT).err(), Some(libc::ENOTSUP));
        gather.close();
        scatter.close();
    }
    for ep in endpoints("chan") {
        let ctx = Ctx::new();
        let a = ctx.socket(ZMQ_CHANNEL);
        let ep2 = a.bind(&ep);
        let b = ctx.socket(ZMQ_CHANNEL);
        b.connect(&ep2);
        b.send(b"ping", 0).unwrap();
        assert_eq!(a.recv(0).unwrap().data(), b"ping");
        a.send(b"pong", 0).unwrap();
        assert_eq!(b.recv(0).unwrap().data(), b"pong");
        assert_eq!(a.send(b"x", ZMQ_SNDMORE), Err(libc::EINVAL));
        a.close();
        b.close();
    }
}

/// Sends `group` messages from `radio` until `dish` gets one (the join
/// travels to the radio asynchronously); returns that message.
fn first_delivery(radio: Sock, dish: Sock, group: &str) -> Msg {
    dish.set_int(ZMQ_RCVTIMEO, 20);
    for _ in 0..500 {
        radio.send_to(b"probe", 0, Some(group)).unwrap();
        if let Ok(m) = dish.recv(0) {
            dish.set_int(ZMQ_RCVTIMEO, 5000);
            return m;
        }
    }
    panic!("the dish never received group {group}");
}

#[test]
fn radio_delivers_only_joined_groups() {
    for ep in endpoints("radio") {
        let ctx = Ctx::new();
        let radio = ctx.socket(ZMQ_RADIO);
        let ep2 = radio.bind(&ep);
        let dish = ctx.socket(ZMQ_DISH);
        let other = ctx.socket(ZMQ_DISH);
        dish.connect(&ep2);
        other.connect(&ep2);
        dish.join("weather").unwrap();
        other.join("sports").unwrap();
        let mut m = first_delivery(radio, dish, "weather");
        assert_eq!(m.group(), "weather", "{ep}");
        let _ = first_delivery(radio, other, "sports");
        // Drain the probes, then check the filtering with a fresh batch.
        dish.set_int(ZMQ_RCVTIMEO, 0);
        while dish.recv(0).is_ok() {}
        other.set_int(ZMQ_RCVTIMEO, 0);
        while other.recv(0).is_ok() {}
        dish.set_int(ZMQ_RCVTIMEO, 5000);
        other.set_int(ZMQ_RCVTIMEO, 5000);
        radio.send_to(b"rain", 0, Some("weather")).unwrap();
        radio.send_to(b"goal", 0, Some("sports")).unwrap();
        radio.send_to(b"none", 0, Some("cooking")).unwrap();
        radio.send_to(b"sun", 0, Some("weather")).unwrap();
        let mut m = dish.recv(0).unwrap();
        assert_eq!((m.data(), m.group()), (b"rain".to_vec(), "weather".into()));
        let mut m = dish.recv(0).unwrap();
        assert_eq!((m.data(), m.group()), (b"sun".to_vec(), "weather".into()));
        let mut m = other.recv(0).unwrap();
        assert_eq!((m.data(), m.group()), (b"goal".to_vec(), "sports".into()));
        assert_eq!(dish.recv(ZMQ_DONTWAIT).err(), Some(libc::EAGAIN));
        assert_eq!(other.recv(ZMQ_DONTWAIT).err(), Some(libc::EAGAIN));
        // After leaving, nothing of that group arrives: a LEAVE then a
        // JOIN of a marker group, so that once the marker arrives the
        // leave has been applied too (the commands travel in order).
        dish.leave("weather").unwrap();
        dish.join("marker").unwrap();
        let _ = first_delivery(radio, dish, "marker");
        radio.send_to(b"hail", 0, Some("weather")).unwrap();
        radio.send_to(b"end", 0, Some("marker")).unwrap();
        loop {
            let mut m = dish.recv(0).unwrap();
            let d = m.data();
            assert_ne!(d, b"hail", "{ep}: a left group was delivered");
            if d == b"end" {
                break;
            }
        }
        // Single-part, no receiving on RADIO, no sending on DISH.
        assert_eq!(radio.send(b"x", ZMQ_SNDMORE), Err(libc::EINVAL));
        assert_eq!(radio.recv(ZMQ_DONTWAIT).err(), Some(libc::ENOTSUP));
        assert_eq!(dish.send(b"x", 0), Err(libc::ENOTSUP));
        for s in [radio, dish, other] {
            s.close();
        }
    }
}

#[test]
fn dish_binds_radio_connects() {
    for ep in endpoints("dishbind") {
        let ctx = Ctx::new();
        let dish = ctx.socket(ZMQ_DISH);
        dish.join("g").unwrap();
        let ep2 = dish.bind(&ep);
        let radio = ctx.socket(ZMQ_RADIO);
        radio.connect(&ep2);
        let mut m = first_delivery(radio, dish, "g");
        assert_eq!(
            (m.data(), m.group()),
            (b"probe".to_vec(), "g".into()),
            "{ep}"
        );
        dish.close();
        radio.close();
    }
}

#[test]
fn join_and_leave_errors() {
    let ctx = Ctx::new();
    let dish = ctx.socket(ZMQ_DISH);
    dish.join("a").unwrap();
    assert_eq!(dish.join("a"), Err(libc::EINVAL));
    let max = "g".repeat(255);
    dish.join(&max).unwrap();
    assert_eq!(dish.join(&"g".repeat(256)), Err(libc::EINVAL));
    dish.leave("a").unwrap();
    assert_eq!(dish.leave("a"), Err(libc::EINVAL));
    assert_eq!(dish.leave("never"), Err(libc::EINVAL));
    // SAFETY: live socket; NULL group.
    assert_eq!(unsafe { zmq_join(dish.0, std::ptr::null()) }, -1);
    assert_eq!(errno(), libc::EINVAL);
    let radio = ctx.socket(ZMQ_RADIO);
    assert_eq!(radio.join("a"), Err(libc::ENOTSUP));
    assert_eq!(radio.leave("a"), Err(libc::ENOTSUP));
    // zmq_msg_set_group's limit.
    let mut m = Msg::new();
    let long = CString::new("g".repeat(256)).unwrap();
    // SAFETY: initialised message, C string.
    assert_eq!(unsafe { zmq_msg_set_group(&mut m.0, long.as_ptr()) }, -1);
    assert_eq!(errno(), libc::EINVAL);
    dish.close();
    radio.close();
}

#[test]
fn peers_connect_by_routing_id() {
    for ep in endpoints("peer") {
        let ctx = Ctx::new();
        let a = ctx.socket(ZMQ_PEER);
        let ep2 = a.bind(&ep);
        let b = ctx.socket(ZMQ_PEER);
        let c = CString::new(ep2.clone()).unwrap();
        // SAFETY: live socket, C string.
        let rid_a = unsafe { zmq_connect_peer(b.0, c.as_ptr()) };
        assert_ne!(rid_a, 0, "{ep}: errno {}", errno());
        b.send_to(b"hello", rid_a, None).unwrap();
        let mut m = a.recv(0).unwrap();
        assert_eq!(m.data(), b"hello");
        let rid_b = m.routing_id();
        assert_ne!(rid_b, 0);
        a.send_to(b"world", rid_b, None).unwrap();
        let mut m = b.recv(0).unwrap();
        assert_eq!(m.data(), b"world");
        assert_eq!(m.routing_id(), rid_a);
        a.close();
        b.close();
    }
    let ctx = Ctx::new();
    let server = ctx.socket(ZMQ_SERVER);
    let c = CString::new("inproc://nowhere").unwrap();
    // SAFETY: live socket, C string.
    assert_eq!(unsafe { zmq_connect_peer(server.0, c.as_ptr()) }, 0);
    assert_eq!(errno(), libc::ENOTSUP);
    // SAFETY: NULL socket.
    assert_eq!(
        unsafe { zmq_connect_peer(std::ptr::null_mut(), c.as_ptr()) },
        0
    );
    assert_eq!(errno(), libc::ENOTSOCK);
    let peer = ctx.socket(ZMQ_PEER);
    peer.set_int(39, 1); // ZMQ_IMMEDIATE
                         // SAFETY: live socket, C string.
    assert_eq!(unsafe { zmq_connect_peer(peer.0, c.as_ptr()) }, 0);
    assert_eq!(errno(), libc::EFAULT);
    server.close();
    peer.close();
}

#[test]
fn incompatible_peers_are_refused_over_tcp() {
    let ctx = Ctx::new();
    let server = ctx.socket(ZMQ_SERVER);
    let ep = server.bind("tcp://127.0.0.1:*");
    let dealer = ctx.socket(ZMQ_DEALER);
    dealer.connect(&ep);
    let _ = dealer.send(b"x", ZMQ_DONTWAIT);
    let client = ctx.socket(ZMQ_CLIENT);
    client.connect(&ep);
    client.send(b"ok", 0).unwrap();
    // The client's message arrives; the dealer's never does.
    assert_eq!(server.recv(0).unwrap().data(), b"ok");
    server.set_int(ZMQ_RCVTIMEO, 200);
    assert_eq!(server.recv(0).err(), Some(libc::EAGAIN));
    for s in [server, dealer, client] {
        s.close();
    }
}

#[test]
fn dgram_takes_no_peer_but_udp() {
    // libzmq 4.3.4 accepts DGRAM binds and connects on every transport;
    // over the others than udp a DGRAM takes no peer (tests/udp.rs has
    // udp).
    let ctx = Ctx::new();
    let d = ctx.socket(ZMQ_DGRAM);
    let ep = d.bind("tcp://127.0.0.1:*");
    d.bind("inproc://dgram");
    let e = ctx.socket(ZMQ_DGRAM);
    e.connect(&ep);
    e.connect("inproc://dgram");
    assert_eq!(e.send(b"x", ZMQ_DONTWAIT), Err(libc::EAGAIN));
    assert_eq!(d.recv(ZMQ_DONTWAIT).err(), Some(libc::EAGAIN));
    e.close();
    let c = CString::new("udp://127.0.0.1:5555").unwrap();
    // SAFETY: live socket, C string.
    assert_eq!(unsafe { zmq_connect(d.0, c.as_ptr()) }, -1);
    assert_eq!(errno(), zmq::error::ENOCOMPATPROTO);
    d.close();
}

#[test]
fn a_blocked_receive_does_not_stop_another_threads_send() {
    for ep in endpoints("ts") {
        let ctx = Ctx::new();
        let server = ctx.socket(ZMQ_SERVER);
        let ep2 = server.bind(&ep);
        let client = ctx.socket(ZMQ_CLIENT);
        client.set_int(ZMQ_RCVTIMEO, 10_000);
        client.connect(&ep2);
        // The receiver blocks on the client before anything was sent.
        let receiver = std::thread::spawn(move || {
            let mut m = client.recv(0).unwrap();
            m.data()
        });
        // Meanwhile this thread sends on the same client; the server
        // echoes it back, which wakes the receiver.
        client.send(b"echo me", 0).unwrap();
        let mut m = server.recv(0).unwrap();
        server.send_to(&m.data(), m.routing_id(), None).unwrap();
        assert_eq!(receiver.join().unwrap(), b"echo me", "{ep}");
        server.close();
        client.close();
    }
}

#[test]
fn many_threads_share_one_client() {
    let ctx = Ctx::new();
    let server = ctx.socket(ZMQ_SERVER);
    let ep = server.bind("tcp://127.0.0.1:*");
    let client = ctx.socket(ZMQ_CLIENT);
    // A receiver that sleeps through a wake-up meant for it would still
    // get its message at the end of its timeout (it looks once more):
    // a receive that takes as long as the timeout is a missed wake-up.
    client.set_int(ZMQ_RCVTIMEO, 3000);
    client.connect(&ep);
    const THREADS: usize = 4;
    const EACH: usize = 200;
    let receivers: Vec<_> = (0..THREADS)
        .map(|_| {
            std::thread::spawn(move || {
                let mut n = 0;
                for _ in 0..EACH {
                    let t = std::time::Instant::now();
                    client.recv(0).unwrap();
                    assert!(t.elapsed().as_millis() < 2500, "missed wake-up");
                    n += 1;
                }
                n
            })
        })
        .collect();
    let senders: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..EACH {
                    client.send(format!("{t}-{i}").as_bytes(), 0).unwrap();
                }
            })
        })
        .collect();
    for _ in 0..THREADS * EACH {
        let mut m = server.recv(0).unwrap();
        server.send_to(&m.data(), m.routing_id(), None).unwrap();
    }
    for s in senders {
        s.join().unwrap();
    }
    let got: usize = receivers.into_iter().map(|r| r.join().unwrap()).sum();
    assert_eq!(got, THREADS * EACH);
    server.close();
    client.close();
}

#[test]
fn zmq_poll_and_poller_see_draft_sockets() {
    let ctx = Ctx::new();
    let server = ctx.socket(ZMQ_SERVER);
    let ep = server.bind("tcp://127.0.0.1:*");
    let client = ctx.socket(ZMQ_CLIENT);
    client.connect(&ep);
    let mut items = [zmq_pollitem_t {
        socket: server.0,
        fd: 0,
        events: ZMQ_POLLIN,
        revents: 0,
    }];
    // SAFETY: one valid poll item.
    assert_eq!(unsafe { zmq_poll(items.as_mut_ptr(), 1, 0) }, 0);
    client.send(b"poll me", 0).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { zmq_poll(items.as_mut_ptr(), 1, 5000) }, 1);
    assert_eq!(items[0].revents, ZMQ_POLLIN);
    let mut m = server.recv(ZMQ_DONTWAIT).unwrap();
    assert_eq!(m.data(), b"poll me");
    // The poller, waited on from another thread while this one sends.
    // SAFETY: plain poller calls on a poller this test owns.
    unsafe {
        let mut poller = zmq_poller_new();
        assert!(!poller.is_null());
        assert_eq!(
            zmq_poller_add(poller, client.0, std::ptr::null_mut(), ZMQ_POLLIN),
            0
        );
        let p = poller as usize;
        let waiter = std::thread::spawn(move || {
            let mut ev = std::mem::zeroed::<zmq_poller_event_t>();
            let rc = zmq_poller_wait(p as *mut c_void, &mut ev, 5000);
            (rc, ev.socket as usize, ev.events)
        });
        server.send_to(b"back", m.routing_id(), None).unwrap();
        let (rc, sock, events) = waiter.join().unwrap();
        assert_eq!(rc, 0);
        assert_eq!(sock, client.0 as usize);
        assert_eq!(events, ZMQ_POLLIN);
        assert_eq!(client.recv(ZMQ_DONTWAIT).unwrap().data(), b"back");
        assert_eq!(zmq_poller_destroy(&mut poller), 0);
    }
    server.close();
    client.close();
}

#[test]
fn a_blocked_receive_ends_with_eterm() {
    let ctx = Ctx::new();
    let client = ctx.socket(ZMQ_CLIENT);
    client.set_int(ZMQ_RCVTIMEO, -1);
    let c = ctx.0 as usize;
    let t = std::thread::spawn(move || {
        let r = client.recv(0).err();
        client.close();
        r
    });
    // zmq_ctx_term blocks until the socket is closed, which happens only
    // once the receive returned ETERM.
    // SAFETY: live context, terminated once (Ctx's drop is skipped).
    assert_eq!(unsafe { zmq_ctx_term(c as *mut c_void) }, 0);
    std::mem::forget(ctx);
    assert_eq!(t.join().unwrap(), Some(zmq::error::ETERM));
}

// ---- the RADIO/DISH wire format, byte by byte --------------------------------
//
// What libzmq 4.3's radio and dish sessions put on a ZMTP connection: the
// dish sends JOIN/LEAVE as ZMTP commands (name "JOIN"/"LEAVE", body the
// group), the radio sends each message as a group frame with MORE, then
// the body. Debian's libzmq cannot check this for us (built without the
// draft API, its handshake asserts on draft socket types), so a raw
// TcpStream plays the other side here.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

/// A short frame (flags: 1 MORE, 4 COMMAND).
fn frame(flags: u8, body: &[u8]) -> Vec<u8> {
    let mut f = vec![flags, body.len() as u8];
    f.extend_from_slice(body);
    f
}

fn read_frame(s: &mut TcpStream) -> (u8, Vec<u8>) {
    let mut flags = [0u8; 1];
    s.read_exact(&mut flags).unwrap();
    read_frame_rest(s, flags[0])
}

/// A frame whose flags byte was read already.
fn read_frame_rest(s: &mut TcpStream, flags: u8) -> (u8, Vec<u8>) {
    let flags = [flags];
    let len = if flags[0] & 2 != 0 {
        let mut n = [0u8; 8];
        s.read_exact(&mut n).unwrap();
        u64::from_be_bytes(n) as usize
    } else {
        let mut n = [0u8; 1];
        s.read_exact(&mut n).unwrap();
        n[0] as usize
    };
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    (flags[0] & !2, body)
}

/// Both greetings and READY commands; checks the library's Socket-Type.
fn handshake(s: &mut TcpStream, mine: &[u8], theirs: &[u8]) {
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    s.write_all(&greeting(b"NULL", 3)).unwrap();
    s.write_all(&ready(mine)).unwrap();
    let mut g = [0u8; 64];
    s.read_exact(&mut g).unwrap();
    assert_eq!((g[0], g[9]), (0xFF, 0x7F));
    let (flags, body) = read_frame(s);
    assert_eq!(flags, 4);
    assert!(body.starts_with(b"\x05READY"));
    assert!(body.windows(theirs.len()).any(|w| w == theirs));
}

/// Runs `send` until a frame arrives on `s` (a join travels to the radio
/// asynchronously), then reads that frame.
fn first_frame(s: &mut TcpStream, send: impl Fn()) -> (u8, Vec<u8>) {
    s.set_read_timeout(Some(std::time::Duration::from_millis(20)))
        .unwrap();
    let mut flags = [0u8; 1];
    for _ in 0..250 {
        send();
        if s.read_exact(&mut flags).is_ok() {
            s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            return read_frame_rest(s, flags[0]);
        }
    }
    panic!("the radio never sent anything");
}

#[test]
fn radio_speaks_libzmq_wire_format() {
    let ctx = Ctx::new();
    let radio = ctx.socket(ZMQ_RADIO);
    let ep = radio.bind("tcp://127.0.0.1:*");
    let mut dish = TcpStream::connect(ep.trim_start_matches("tcp://")).unwrap();
    handshake(&mut dish, b"DISH", b"RADIO");
    dish.write_all(&frame(4, b"\x04JOINweather")).unwrap();
    // The join travels asynchronously: send until the first frame shows.
    // Group frame (MORE), then the body; nothing of "sports".
    let (f, group) = first_frame(&mut dish, || {
        radio.send_to(b"other", 0, Some("sports")).unwrap();
        radio.send_to(b"rain", 0, Some("weather")).unwrap();
    });
    assert_eq!((f, group), (1, b"weather".to_vec()));
    assert_eq!(read_frame(&mut dish), (0, b"rain".to_vec()));
    // After a LEAVE, once the next message of a newly joined group shows,
    // "weather" no longer comes.
    dish.write_all(&frame(4, b"\x05LEAVEweather")).unwrap();
    dish.write_all(&frame(4, b"\x04JOINmarker")).unwrap();
    loop {
        let (f, g) = first_frame(&mut dish, || {
            radio.send_to(b"m", 0, Some("marker")).unwrap();
        });
        assert_eq!(f, 1);
        let (_, body) = read_frame(&mut dish);
        if g == b"marker" {
            assert_eq!(body, b"m");
            break;
        }
        assert_eq!((g, body), (b"weather".to_vec(), b"rain".to_vec()));
    }
    radio.send_to(b"hail", 0, Some("weather")).unwrap();
    radio.send_to(b"end", 0, Some("marker")).unwrap();
    loop {
        let (_, g) = read_frame(&mut dish);
        let (_, body) = read_frame(&mut dish);
        assert_ne!(g, b"weather", "a left group was sent");
        if body == b"end" {
            break;
        }
    }
    radio.close();
}

#[test]
fn dish_speaks_libzmq_wire_format() {
    let ctx = Ctx::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dish = ctx.socket(ZMQ_DISH);
    dish.join("early").unwrap();
    dish.connect(&format!("tcp://127.0.0.1:{port}"));
    let (mut radio, _) = listener.accept().unwrap();
    handshake(&mut radio, b"RADIO", b"DISH");
    // A join made before the connection is sent once it is up; later
    // joins and leaves follow as they happen.
    assert_eq!(read_frame(&mut radio), (4, b"\x04JOINearly".to_vec()));
    dish.join("weather").unwrap();
    assert_eq!(read_frame(&mut radio), (4, b"\x04JOINweather".to_vec()));
    dish.leave("early").unwrap();
    assert_eq!(read_frame(&mut radio), (4, b"\x05LEAVEearly".to_vec()));
    // Incoming: group frame then body; a group not joined is dropped.
    radio.write_all(&frame(1, b"sports")).unwrap();
    radio.write_all(&frame(0, b"goal")).unwrap();
    radio.write_all(&frame(1, b"weather")).unwrap();
    radio.write_all(&frame(0, b"rain")).unwrap();
    let mut m = dish.recv(0).unwrap();
    assert_eq!(m.data(), b"rain");
    assert_eq!(m.group(), "weather");
    assert_eq!(dish.recv(ZMQ_DONTWAIT).err(), Some(libc::EAGAIN));
    dish.close();
}
