//! Tests of the ZMTP state machine: two connections wired in memory
//! (quinn-proto's `tests/util.rs` style), hand-written peers for byte-exact
//! checks and legacy versions, and a no-panic loop over hostile input.

use super::*;
use std::time::{Duration, Instant};

fn cfg(t: SocketType) -> Config {
    let mut c = Config::new(t);
    c.peer_address = "127.0.0.1".into();
    c
}

/// Answers ZAP requests with this status and user id.
#[derive(Clone, Copy)]
struct Zap(&'static [u8], &'static [u8]);

fn zap_reply_frames(z: Zap) -> Vec<Msg> {
    let mut meta = Vec::new();
    meta.push(5u8);
    meta.extend_from_slice(b"X-Zap");
    meta.extend_from_slice(&2u32.to_be_bytes());
    meta.extend_from_slice(b"ok");
    let mut v: Vec<Msg> = vec![
        Msg::new(),
        Msg::from_slice(b"1.0"),
        Msg::from_slice(b"1"),
        Msg::from_slice(z.0),
        Msg::from_slice(b"text"),
        Msg::from_slice(z.1),
        Msg::from_vec(meta),
    ];
    for (i, m) in v.iter_mut().enumerate() {
        m.set_more(i < 6);
    }
    v
}

struct Side {
    conn: Connection,
    events: Vec<Event>,
    err: Option<ProtocolError>,
    zap_requests: Vec<Vec<Msg>>,
}

impl Side {
    fn new(c: Config, now: Instant) -> Side {
        Side {
            conn: Connection::new(c, now),
            events: Vec::new(),
            err: None,
            zap_requests: Vec::new(),
        }
    }
    fn ready(&self) -> Option<(SocketType, Vec<u8>, Arc<Metadata>)> {
        self.events.iter().find_map(|e| match e {
            Event::Ready {
                peer_socket_type,
                peer_routing_id,
                metadata,
            } => Some((*peer_socket_type, peer_routing_id.clone(), metadata.clone())),
            _ => None,
        })
    }
    fn messages(&self) -> Vec<(Vec<u8>, bool)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Message(m) => Some((m.data().to_vec(), m.more())),
                _ => None,
            })
            .collect()
    }
}

/// Moves bytes both ways until nothing moves; answers ZAP requests with `zap`.
fn pump(a: &mut Side, b: &mut Side, now: Instant, zap: Option<Zap>) {
    for _ in 0..100 {
        let m1 = step(a, b, now, zap);
        let m2 = step(b, a, now, zap);
        if !m1 && !m2 {
            return;
        }
    }
}

/// Moves x's output into y (in odd-sized chunks) and collects x's events.
fn step(x: &mut Side, y: &mut Side, now: Instant, zap: Option<Zap>) -> bool {
    let mut moved = false;
    let out = x.conn.output().to_vec();
    x.conn.consume_output(out.len());
    if !out.is_empty() && y.err.is_none() {
        moved = true;
        for chunk in out.chunks(7) {
            if let Err(e) = y.conn.handle_input(chunk, now) {
                y.err = Some(e);
                break;
            }
        }
    }
    while let Some(ev) = x.conn.poll_event() {
        moved = true;
        if let Event::ZapRequest(req) = &ev {
            x.zap_requests.push(req.clone());
            if let Some(z) = zap {
                if let Err(e) = x.conn.zap_reply(&zap_reply_frames(z)) {
                    x.err = Some(e);
                }
            }
        }
        x.events.push(ev);
    }
    moved
}

fn connect(ca: Config, cb: Config, zap: Option<Zap>) -> (Side, Side, Instant) {
    let now = Instant::now();
    let mut a = Side::new(ca, now);
    let mut b = Side::new(cb, now);
    pump(&mut a, &mut b, now, zap);
    (a, b, now)
}

fn msg(data: &[u8], more: bool) -> Msg {
    let mut m = Msg::from_slice(data);
    m.set_more(more);
    m
}

#[test]
fn greeting_is_byte_exact_and_sent_in_steps() {
    let now = Instant::now();
    let mut c = Connection::new(cfg(SocketType::Dealer), now);
    assert_eq!(c.output(), &[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F]);
    c.consume_output(10);
    // Peer signature: we answer with the major version only.
    c.handle_input(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F], now)
        .unwrap();
    assert_eq!(c.output(), &[3]);
    c.consume_output(1);
    c.handle_input(&[3], now).unwrap();
    let mut rest = vec![1u8];
    rest.extend_from_slice(b"NULL");
    rest.extend_from_slice(&[0u8; 16]);
    rest.push(0);
    rest.extend_from_slice(&[0u8; 31]);
    assert_eq!(c.output(), &rest[..]);
    assert_eq!(c.output().len() + 11, 64);
    // A routing id changes the padding (its length + 1), as libzmq does.
    let mut cf = cfg(SocketType::Dealer);
    cf.routing_id = b"abc".to_vec();
    let c = Connection::new(cf, now);
    assert_eq!(c.output(), &[0xFF, 0, 0, 0, 0, 0, 0, 0, 4, 0x7F]);
    // A PLAIN server's greeting: "PLAIN", as-server 0 (libzmq never sets it).
    let mut c = Connection::new(plain(true, false), now);
    c.consume_output(10);
    c.handle_input(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3], now)
        .unwrap();
    let out = c.output();
    assert_eq!(out.len(), 54);
    assert_eq!(&out[..7], b"\x03\x01PLAIN");
    assert!(out[7..].iter().all(|&b| b == 0));
}

fn v3_greeting(mech: &[u8], minor: u8) -> Vec<u8> {
    let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, minor];
    let mut m = [0u8; 20];
    m[..mech.len()].copy_from_slice(mech);
    g.extend_from_slice(&m);
    g.extend_from_slice(&[0u8; 32]);
    g
}

#[test]
fn null_ready_is_byte_exact() {
    let now = Instant::now();
    let mut cf = cfg(SocketType::Dealer);
    cf.routing_id = b"ab".to_vec();
    cf.metadata = vec![("X-b".into(), b"2".to_vec()), ("X-a".into(), b"1".to_vec())];
    let mut c = Connection::new(cf, now);
    c.handle_input(&v3_greeting(b"NULL", 1), now).unwrap();
    let out = c.output()[64..].to_vec();
    let mut body = b"\x05READY".to_vec();
    body.extend_from_slice(b"\x0bSocket-Type\x00\x00\x00\x06DEALER");
    body.extend_from_slice(b"\x08Identity\x00\x00\x00\x02ab");
    body.extend_from_slice(b"\x03X-a\x00\x00\x00\x011\x03X-b\x00\x00\x00\x012");
    let mut frame = vec![0x04, body.len() as u8];
    frame.extend_from_slice(&body);
    assert_eq!(out, frame);
    // PUSH sends no Identity property.
    let mut c = Connection::new(cfg(SocketType::Push), now);
    c.handle_input(&v3_greeting(b"NULL", 1), now).unwrap();
    assert_eq!(
        &c.output()[64..],
        b"\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x04PUSH"
    );
}

#[test]
fn null_handshake_messages_multipart_and_long_frames() {
    let mut ca = cfg(SocketType::Dealer);
    ca.routing_id = b"client".to_vec();
    ca.metadata = vec![("X-Hello".into(), b"World".to_vec())];
    let (mut a, mut b, now) = connect(ca, cfg(SocketType::Router), None);
    assert!(
        a.err.is_none() && b.err.is_none(),
        "{:?} {:?}",
        a.err,
        b.err
    );
    assert!(a.conn.is_ready() && b.conn.is_ready());
    assert_eq!(a.conn.peer_version(), Some((3, 1)));
    let (t, id, meta) = b.ready().unwrap();
    assert_eq!(t, SocketType::Dealer);
    assert_eq!(id, b"client");
    assert_eq!(meta.get("Socket-Type"), Some(&b"DEALER"[..]));
    assert_eq!(meta.get("X-Hello"), Some(&b"World"[..]));
    assert_eq!(meta.get("Peer-Address"), Some(&b"127.0.0.1"[..]));
    assert_eq!(a.ready().unwrap().0, SocketType::Router);

    let long = vec![0xAB; 70_000];
    a.conn.send(&msg(b"part1", true));
    a.conn.send(&msg(&long, true));
    a.conn.send(&msg(b"", false));
    pump(&mut a, &mut b, now, None);
    assert_eq!(
        b.messages(),
        vec![
            (b"part1".to_vec(), true),
            (long.clone(), true),
            (Vec::new(), false)
        ]
    );
    // Metadata rides on every message.
    let m = b.events.iter().find_map(|e| match e {
        Event::Message(m) => Some(m.clone()),
        _ => None,
    });
    assert!(m.unwrap().metadata().unwrap().get("X-Hello").is_some());
    b.conn.send(&msg(b"back", false));
    pump(&mut a, &mut b, now, None);
    assert_eq!(a.messages(), vec![(b"back".to_vec(), false)]);
}

#[test]
fn incompatible_types_and_mechanisms_are_refused() {
    let (a, b, _) = connect(cfg(SocketType::Pub), cfg(SocketType::Push), None);
    assert_eq!(a.err, Some(ProtocolError::IncompatibleSocketType));
    assert_eq!(b.err, Some(ProtocolError::IncompatibleSocketType));
    assert!(a.ready().is_none());

    let mut cp = cfg(SocketType::Pair);
    cp.mechanism = MechanismConfig::Plain {
        as_server: false,
        username: b"u".to_vec(),
        password: b"p".to_vec(),
    };
    let (a, b, _) = connect(cfg(SocketType::Pair), cp, None);
    assert_eq!(a.err, Some(ProtocolError::MechanismMismatch));
    assert_eq!(b.err, Some(ProtocolError::MechanismMismatch));
    assert_eq!(
        ProtocolError::MechanismMismatch.monitor_event(),
        (0x2000, codes::MECHANISM_MISMATCH)
    );
}

fn plain(as_server: bool, zap: bool) -> Config {
    let mut c = cfg(if as_server {
        SocketType::Rep
    } else {
        SocketType::Req
    });
    c.mechanism = MechanismConfig::Plain {
        as_server,
        username: b"admin".to_vec(),
        password: b"secret".to_vec(),
    };
    c.zap = zap;
    c.zap_domain = b"global".to_vec();
    c
}

#[test]
fn plain_with_zap_accepts_and_sets_user_id() {
    let (mut a, mut b, now) = connect(
        plain(false, false),
        plain(true, true),
        Some(Zap(b"200", b"admin")),
    );
    assert!(
        a.err.is_none() && b.err.is_none(),
        "{:?} {:?}",
        a.err,
        b.err
    );
    let req = &b.zap_requests[0];
    let frames: Vec<&[u8]> = req.iter().map(|m| m.data()).collect();
    assert_eq!(
        frames,
        vec![
            &b""[..],
            b"1.0",
            b"1",
            b"global",
            b"127.0.0.1",
            b"",
            b"PLAIN",
            b"admin",
            b"secret"
        ]
    );
    assert!(req[..8].iter().all(|m| m.more()) && !req[8].more());
    let (_, _, meta) = b.ready().unwrap();
    assert_eq!(meta.get("User-Id"), Some(&b"admin"[..]));
    assert_eq!(meta.get("X-Zap"), Some(&b"ok"[..]));
    assert_eq!(a.ready().unwrap().0, SocketType::Rep);
    a.conn.send(&msg(b"hi", false));
    pump(&mut a, &mut b, now, None);
    assert_eq!(b.messages(), vec![(b"hi".to_vec(), false)]);
}

#[test]
fn plain_denied_by_zap_and_without_handler() {
    let (a, b, _) = connect(
        plain(false, false),
        plain(true, true),
        Some(Zap(b"400", b"")),
    );
    assert_eq!(b.err, Some(ProtocolError::Auth(400)));
    assert_eq!(a.err, Some(ProtocolError::Auth(400)));
    assert_eq!(ProtocolError::Auth(400).monitor_event(), (0x4000, 400));
    let (_, b, _) = connect(plain(false, false), plain(true, false), None);
    assert_eq!(b.err, Some(ProtocolError::NoZapHandler));
}

#[test]
fn null_with_zap_domain() {
    let mut server = cfg(SocketType::Rep);
    server.zap = true;
    server.zap_domain = b"d".to_vec();
    let (a, b, _) = connect(
        cfg(SocketType::Req),
        server.clone(),
        Some(Zap(b"200", b"u")),
    );
    assert!(a.err.is_none() && b.err.is_none());
    assert_eq!(b.zap_requests[0].len(), 7);
    assert_eq!(b.ready().unwrap().2.get("User-Id"), Some(&b"u"[..]));
    // 300: the server fails with AUTH 300 and sends no ERROR (the client
    // is dropped silently, as libzmq does).
    let (a, b, _) = connect(cfg(SocketType::Req), server, Some(Zap(b"300", b"")));
    assert!(a.err.is_none() && a.ready().is_none() && b.ready().is_none());
    assert_eq!(b.err, Some(ProtocolError::Auth(300)));
}

fn curve_keys() -> ([u8; 32], [u8; 32]) {
    let mut s = [0u8; 32];
    getrandom::getrandom(&mut s).unwrap();
    let p = crypto_box::SecretKey::from(s).public_key().to_bytes();
    (p, s)
}

fn curve_pair(wrong_server_key: bool) -> (Config, Config) {
    let (spub, ssec) = curve_keys();
    let (cpub, csec) = curve_keys();
    let mut server = cfg(SocketType::Router);
    server.mechanism = MechanismConfig::Curve {
        as_server: true,
        public_key: spub,
        secret_key: ssec,
        server_key: [0; 32],
    };
    let mut client = cfg(SocketType::Dealer);
    client.routing_id = b"cid".to_vec();
    client.mechanism = MechanismConfig::Curve {
        as_server: false,
        public_key: cpub,
        secret_key: csec,
        server_key: if wrong_server_key { cpub } else { spub },
    };
    (client, server)
}

#[test]
fn curve_handshake_and_encrypted_messages() {
    let (client, mut server) = curve_pair(false);
    server.zap = true;
    let client_pub = match client.mechanism {
        MechanismConfig::Curve { public_key, .. } => public_key,
        _ => unreachable!(),
    };
    let (mut a, mut b, now) = connect(client, server, Some(Zap(b"200", b"alice")));
    assert!(
        a.err.is_none() && b.err.is_none(),
        "{:?} {:?}",
        a.err,
        b.err
    );
    assert_eq!(b.zap_requests[0][6].data(), b"CURVE");
    assert_eq!(b.zap_requests[0][7].data(), &client_pub[..]);
    let (t, id, meta) = b.ready().unwrap();
    assert_eq!((t, &id[..]), (SocketType::Dealer, &b"cid"[..]));
    assert_eq!(meta.get("User-Id"), Some(&b"alice"[..]));
    let long = vec![7u8; 1000];
    a.conn.send(&msg(b"one", true));
    a.conn.send(&msg(&long, false));
    // Ciphertext on the wire, not the plain text.
    assert!(!a.conn.output().windows(3).any(|w| w == b"one"));
    pump(&mut a, &mut b, now, None);
    assert_eq!(b.messages(), vec![(b"one".to_vec(), true), (long, false)]);
    b.conn.send(&msg(b"reply", false));
    pump(&mut a, &mut b, now, None);
    assert_eq!(a.messages(), vec![(b"reply".to_vec(), false)]);
}

#[test]
fn curve_wrong_server_key_and_zap_denial() {
    let (client, server) = curve_pair(true);
    let (_, b, _) = connect(client, server, None);
    assert_eq!(b.err, Some(ProtocolError::Protocol(codes::CRYPTOGRAPHIC)));
    let (client, mut server) = curve_pair(false);
    server.zap = true;
    let (a, b, _) = connect(client, server, Some(Zap(b"500", b"")));
    assert_eq!(b.err, Some(ProtocolError::Auth(500)));
    assert_eq!(a.err, Some(ProtocolError::Auth(500)));
}

#[test]
fn curve_replayed_message_is_refused() {
    let (client, server) = curve_pair(false);
    let (mut a, mut b, now) = connect(client, server, None);
    assert!(a.conn.is_ready() && b.conn.is_ready());
    a.conn.send(&msg(b"x", false));
    let wire = a.conn.output().to_vec();
    b.conn.handle_input(&wire, now).unwrap();
    assert_eq!(
        b.conn.handle_input(&wire, now),
        Err(ProtocolError::Protocol(codes::INVALID_SEQUENCE))
    );
}

#[test]
fn curve_message_boxes_are_laid_out_as_rfc26_and_checked() {
    let (client, server) = curve_pair(false);
    let (mut a, mut b, now) = connect(client, server, None);
    assert!(a.conn.is_ready() && b.conn.is_ready());
    // A large body (a pooled buffer on receipt) and a tampered box.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    a.conn.send(&msg(&big, true));
    let wire = a.conn.output().to_vec();
    // One long frame without wire flags: 8-byte length, then
    // "\x07MESSAGE", the 8-byte nonce, the 16-byte tag, flags+body.
    assert_eq!(wire[0], 0x02);
    let len = u64::from_be_bytes(wire[1..9].try_into().unwrap()) as usize;
    assert_eq!(len, 8 + 8 + 16 + 1 + big.len());
    assert_eq!(&wire[9..17], b"\x07MESSAGE");
    assert!(!wire.windows(64).any(|w| w == &big[1000..1064]));
    pump(&mut a, &mut b, now, None);
    assert!(b.err.is_none());
    assert!(b.messages() == vec![(big, true)], "the large body differs");
    a.conn.send(&msg(b"tail", false));
    let mut bad = a.conn.output().to_vec();
    a.conn.consume_output(bad.len());
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(
        b.conn.handle_input(&bad, now),
        Err(ProtocolError::Protocol(codes::CRYPTOGRAPHIC))
    );
}

#[test]
fn subscriptions_become_commands_with_3_1_peers() {
    let sub = |data: &[u8]| {
        let mut m = msg(data, false);
        m.set_flags(if data[0] == 1 {
            Msg::SUBSCRIBE
        } else {
            Msg::CANCEL
        });
        m
    };
    let (mut a, mut b, now) = connect(cfg(SocketType::Sub), cfg(SocketType::XPub), None);
    a.conn.send(&sub(b"\x01topic"));
    assert_eq!(a.conn.output(), b"\x04\x0f\x09SUBSCRIBEtopic");
    a.conn.send(&sub(b"\x00topic"));
    pump(&mut a, &mut b, now, None);
    assert_eq!(
        b.messages(),
        vec![
            (b"\x01topic".to_vec(), false),
            (b"\x00topic".to_vec(), false)
        ]
    );
    // An XSUB application's own `1 + topic` stays a data frame (libzmq 4.3).
    let (mut a, _b, _now) = connect(cfg(SocketType::XSub), cfg(SocketType::XPub), None);
    a.conn.send(&msg(b"\x01t", false));
    assert_eq!(a.conn.output(), b"\x00\x02\x01t");
    a.conn.send(&sub(b"\x01t"));
    let n = a.conn.output_len();
    a.conn.consume_output(n);
    a.conn.send(&sub(b"\x00t"));
    assert_eq!(a.conn.output(), b"\x04\x08\x06CANCELt");
    // A 3.0 peer gets the legacy data message.
    let mut c = Connection::new(cfg(SocketType::Sub), now);
    c.handle_input(&v3_greeting(b"NULL", 0), now).unwrap();
    c.handle_input(b"\x04\x19\x05READY\x0bSocket-Type\x00\x00\x00\x03PUB", now)
        .unwrap();
    assert!(c.is_ready());
    let n = c.output_len();
    c.consume_output(n);
    c.send(&sub(b"\x01t"));
    assert_eq!(c.output(), b"\x00\x02\x01t");
}

#[test]
fn maxmsgsize_is_enforced() {
    let mut cb = cfg(SocketType::Pull);
    cb.maxmsgsize = 10;
    let (mut a, mut b, now) = connect(cfg(SocketType::Push), cb, None);
    assert!(b.conn.is_ready());
    a.conn.send(&msg(&[0; 10], false));
    pump(&mut a, &mut b, now, None);
    assert!(b.err.is_none());
    a.conn.send(&msg(&[0; 11], false));
    pump(&mut a, &mut b, now, None);
    assert_eq!(b.err, Some(ProtocolError::MessageTooLarge));
    // A declared size larger than memory is refused without waiting for it.
    let mut c = Connection::new(cfg(SocketType::Pull), now);
    c.handle_input(&v3_greeting(b"NULL", 1), now).unwrap();
    c.handle_input(b"\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x04PUSH", now)
        .unwrap();
    let mut f = vec![0x02];
    f.extend_from_slice(&u64::MAX.to_be_bytes());
    assert_eq!(c.handle_input(&f, now), Err(ProtocolError::MalformedFrame));
}

#[test]
fn heartbeats_ping_pong_and_timeout() {
    let mut ca = cfg(SocketType::Pair);
    ca.heartbeat_ivl = Some(Duration::from_secs(1));
    ca.heartbeat_timeout = Some(Duration::from_secs(3));
    ca.heartbeat_ttl = Some(Duration::from_secs(5));
    let (mut a, mut b, t0) = connect(ca, cfg(SocketType::Pair), None);
    assert_eq!(a.conn.next_timeout(), Some(t0 + Duration::from_secs(1)));
    assert_eq!(b.conn.next_timeout(), None);
    let t1 = t0 + Duration::from_secs(1);
    a.conn.handle_timeout(t1).unwrap();
    // PING with TTL 50 deciseconds.
    assert_eq!(a.conn.output(), b"\x04\x07\x04PING\x00\x32");
    pump(&mut a, &mut b, t1, None);
    // b armed its TTL timer, a's timeout was cleared by the PONG.
    assert_eq!(b.conn.next_timeout(), Some(t1 + Duration::from_secs(5)));
    assert_eq!(a.conn.next_timeout(), Some(t1 + Duration::from_secs(1)));
    // Silence: a keeps pinging into the void and times out at t2 + 3s.
    let t2 = t1 + Duration::from_secs(1);
    a.conn.handle_timeout(t2).unwrap();
    a.conn.consume_output(a.conn.output_len());
    a.conn.handle_timeout(t2 + Duration::from_secs(1)).unwrap();
    a.conn.handle_timeout(t2 + Duration::from_secs(2)).unwrap();
    assert_eq!(
        a.conn.handle_timeout(t2 + Duration::from_secs(3)),
        Err(ProtocolError::HeartbeatTimeout)
    );
    assert_eq!(
        b.conn.handle_timeout(t1 + Duration::from_secs(5)),
        Err(ProtocolError::HeartbeatTimeout)
    );
}

#[test]
fn ping_context_is_echoed() {
    let now = Instant::now();
    let mut c = Connection::new(cfg(SocketType::Pair), now);
    c.handle_input(&v3_greeting(b"NULL", 1), now).unwrap();
    c.handle_input(b"\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x04PAIR", now)
        .unwrap();
    c.consume_output(c.output_len());
    c.handle_input(b"\x04\x09\x04PING\x00\x00ab", now).unwrap();
    assert_eq!(c.output(), b"\x04\x07\x04PONGab");
}

#[test]
fn handshake_timeout() {
    let mut ca = cfg(SocketType::Pair);
    ca.handshake_ivl = Some(Duration::from_millis(100));
    let now = Instant::now();
    let mut c = Connection::new(ca, now);
    assert_eq!(c.next_timeout(), Some(now + Duration::from_millis(100)));
    c.handle_timeout(now + Duration::from_millis(99)).unwrap();
    assert_eq!(
        c.handle_timeout(now + Duration::from_millis(100)),
        Err(ProtocolError::HandshakeTimeout)
    );
}

#[test]
fn zmtp_2_0_peer() {
    let now = Instant::now();
    let mut cf = cfg(SocketType::Router);
    cf.routing_id = b"R".to_vec();
    let mut c = Connection::new(cf, now);
    // A 2.0 DEALER: signature, revision 1, socket type 5, identity frame "me".
    c.handle_input(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, 5], now)
        .unwrap();
    c.handle_input(b"\x00\x02me\x01\x01a\x00\x01b", now)
        .unwrap();
    assert_eq!(c.peer_version(), Some((2, 0)));
    let mut expect = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 2, 0x7F, 3, 6];
    expect.extend_from_slice(b"\x00\x01R");
    assert_eq!(c.output(), &expect[..]);
    let mut evs = Vec::new();
    while let Some(e) = c.poll_event() {
        evs.push(e);
    }
    assert!(
        matches!(&evs[0], Event::Ready { peer_socket_type: SocketType::Dealer, peer_routing_id, .. } if peer_routing_id == b"me")
    );
    assert!(matches!(&evs[1], Event::Message(m) if m.data() == b"a" && m.more()));
    assert!(matches!(&evs[2], Event::Message(m) if m.data() == b"b" && !m.more()));
    c.consume_output(c.output_len());
    c.send(&msg(b"x", false));
    assert_eq!(c.output(), b"\x00\x01x");
    // libzmq 4.3 does not check a 2.0 peer's type: a PUSH is accepted by
    // a ROUTER (and reported as the DEALER a ROUTER expects).
    let mut c = Connection::new(cfg(SocketType::Router), now);
    c.handle_input(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, 8], now)
        .unwrap();
    c.handle_input(b"\x00\x00", now).unwrap();
    assert!(matches!(
        c.poll_event(),
        Some(Event::Ready {
            peer_socket_type: SocketType::Dealer,
            ..
        })
    ));
}

/// A READY command from `props` (name, value) pairs.
fn ready_cmd(props: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut body = b"\x05READY".to_vec();
    for (n, v) in props {
        body.push(n.len() as u8);
        body.extend_from_slice(n);
        body.extend_from_slice(&(v.len() as u32).to_be_bytes());
        body.extend_from_slice(v);
    }
    let mut f = vec![0x04, body.len() as u8];
    f.extend_from_slice(&body);
    f
}

/// Property names compare exactly, as libzmq's: a READY without
/// "Socket-Type" is accepted, "socket-type" is not checked, "identity" is
/// not a routing id; a wrong "Socket-Type" fails without a monitor event.
#[test]
fn ready_property_names_are_case_sensitive() {
    let now = Instant::now();
    let ready_for = |props: &[(&[u8], &[u8])]| {
        let mut c = Connection::new(cfg(SocketType::Router), now);
        c.handle_input(&v3_greeting(b"NULL", 1), now).unwrap();
        let r = c.handle_input(&ready_cmd(props), now).map(|_| ());
        let mut id = None;
        while let Some(e) = c.poll_event() {
            if let Event::Ready {
                peer_routing_id, ..
            } = e
            {
                id = Some(peer_routing_id);
            }
        }
        (r, id)
    };
    assert_eq!(ready_for(&[(b"X-A", b"1")]), (Ok(()), Some(Vec::new())));
    assert_eq!(
        ready_for(&[(b"socket-type", b"PUSH"), (b"identity", b"abc")]),
        (Ok(()), Some(Vec::new()))
    );
    assert_eq!(
        ready_for(&[(b"Socket-Type", b"DEALER"), (b"Identity", b"abc")]),
        (Ok(()), Some(b"abc".to_vec()))
    );
    let (r, _) = ready_for(&[(b"Socket-Type", b"dealer")]);
    assert_eq!(r, Err(ProtocolError::IncompatibleSocketType));
    assert_eq!(
        ProtocolError::IncompatibleSocketType.monitor_event(),
        (0, 0)
    );
}

#[test]
fn zmtp_1_0_peer() {
    let now = Instant::now();
    let mut cf = cfg(SocketType::Pub);
    cf.routing_id = b"id".to_vec();
    let mut c = Connection::new(cf, now);
    // 1.0: identity frame (empty: length 1, flags 0), then "hello".
    c.handle_input(b"\x01\x00\x06\x00hello", now).unwrap();
    assert_eq!(c.peer_version(), Some((1, 0)));
    let mut expect = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 3, 0x7F];
    expect.extend_from_slice(b"id");
    assert_eq!(c.output(), &expect[..]);
    let mut msgs = Vec::new();
    while let Some(e) = c.poll_event() {
        if let Event::Message(m) = e {
            msgs.push(m.data().to_vec());
        }
    }
    // PUB injects a subscribe-all for the 1.0 peer.
    assert_eq!(msgs, vec![b"\x01".to_vec(), b"hello".to_vec()]);
    c.consume_output(c.output_len());
    c.send(&msg(b"x", true));
    assert_eq!(c.output(), b"\x02\x01x");
    // Security refuses legacy peers.
    let mut c = Connection::new(plain(true, true), now);
    assert_eq!(
        c.handle_input(b"\x01\x00", now),
        Err(ProtocolError::UnsupportedVersion)
    );
}

#[test]
fn peer_error_command_fails_the_handshake() {
    let now = Instant::now();
    let mut c = Connection::new(cfg(SocketType::Pair), now);
    c.handle_input(&v3_greeting(b"NULL", 1), now).unwrap();
    assert_eq!(
        c.handle_input(b"\x04\x0a\x05ERROR\x03400", now),
        Err(ProtocolError::Auth(400))
    );
    let mut c = Connection::new(cfg(SocketType::Pair), now);
    c.handle_input(&v3_greeting(b"NULL", 1), now).unwrap();
    assert_eq!(
        c.handle_input(b"\x04\x07\x05ERROR\x09", now),
        Err(ProtocolError::Protocol(codes::MALFORMED_COMMAND_ERROR))
    );
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Feeds `data` in random chunks; returns the outcome and the events.
fn feed(c: &mut Connection, data: &[u8], rng: &mut Rng, now: Instant) -> Result<(), ProtocolError> {
    let mut pos = 0;
    while pos < data.len() {
        let n = 1 + (rng.next() % 40) as usize;
        let end = (pos + n).min(data.len());
        c.handle_input(&data[pos..end], now)?;
        pos = end;
        while c.poll_event().is_some() {}
    }
    Ok(())
}

#[test]
fn hostile_input_never_panics() {
    let now = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mechs: Vec<Config> = {
        let (cc, cs) = curve_pair(false);
        vec![
            cfg(SocketType::Pair),
            plain(true, true),
            plain(false, false),
            cc,
            cs,
        ]
    };
    let prefixes: Vec<Vec<u8>> = vec![
        v3_greeting(b"NULL", 1),
        v3_greeting(b"PLAIN", 1),
        v3_greeting(b"CURVE", 1),
        vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, 0],
        vec![],
    ];
    for round in 0..3000 {
        let mut data = prefixes[round % prefixes.len()].clone();
        if round % 3 == 0 {
            // Plausible commands with random bodies.
            let names: [&[u8]; 9] = [
                b"READY",
                b"ERROR",
                b"HELLO",
                b"WELCOME",
                b"INITIATE",
                b"PING",
                b"MESSAGE",
                b"SUBSCRIBE",
                b"CANCEL",
            ];
            let name = names[(rng.next() % 9) as usize];
            let extra = (rng.next() % 300) as usize;
            let mut body = vec![name.len() as u8];
            body.extend_from_slice(name);
            body.extend((0..extra).map(|_| rng.next() as u8));
            codec::write_frame(&mut data, codec::Framing::V3, Msg::COMMAND, &body);
        }
        let len = (rng.next() % 400) as usize;
        data.extend((0..len).map(|_| rng.next() as u8));
        let mut c = Connection::new(mechs[round % mechs.len()].clone(), now);
        let _ = feed(&mut c, &data, &mut rng, now);
        let _ = c.zap_reply(&zap_reply_frames(Zap(b"200", b"")));
        let _ = c.handle_timeout(now + Duration::from_secs(100));
        c.send(&msg(b"x", false));
    }
}

#[test]
fn every_prefix_and_chunking_gives_the_same_result() {
    let now = Instant::now();
    // A valid NULL session from a PAIR peer: greeting, READY, two messages.
    let mut wire = v3_greeting(b"NULL", 1);
    wire.extend_from_slice(b"\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x04PAIR");
    codec::write_frame(&mut wire, codec::Framing::V3, Msg::MORE, b"first");
    codec::write_frame(&mut wire, codec::Framing::V3, 0, &[9u8; 300]);
    let collect = |c: &mut Connection| {
        let mut v = Vec::new();
        while let Some(e) = c.poll_event() {
            if let Event::Message(m) = e {
                v.push((m.data().to_vec(), m.more()));
            }
        }
        v
    };
    for cut in 0..=wire.len() {
        let mut c = Connection::new(cfg(SocketType::Pair), now);
        c.handle_input(&wire[..cut], now).unwrap();
        let mut got = collect(&mut c);
        c.handle_input(&wire[cut..], now).unwrap();
        got.extend(collect(&mut c));
        assert_eq!(got.len(), 2, "cut {cut}");
        assert_eq!(got[1].0.len(), 300);
        assert!(got[0].1 && !got[1].1);
    }
    // Byte by byte.
    let mut c = Connection::new(cfg(SocketType::Pair), now);
    for b in &wire {
        c.handle_input(std::slice::from_ref(b), now).unwrap();
    }
    assert_eq!(collect(&mut c).len(), 2);
}

#[test]
fn socket_type_table() {
    assert_eq!(SocketType::from_i32(20), Some(SocketType::Channel));
    assert_eq!(SocketType::from_i32(21), None);
    assert_eq!(SocketType::from_i32(-1), None);
    assert_eq!(SocketType::from_name(b"XPUB"), Some(SocketType::XPub));
    assert_eq!(SocketType::Router.name(), "ROUTER");
    assert!(SocketType::Dealer.compatible(SocketType::Dealer));
    assert!(!SocketType::Req.compatible(SocketType::Req));
    assert!(SocketType::Client.compatible(SocketType::Server));
    for a in ALL_TYPES {
        for b in ALL_TYPES {
            // The table is symmetric.
            assert_eq!(a.compatible(b), b.compatible(a), "{a:?} {b:?}");
        }
    }
}

#[test]
fn large_frames_travel_vectored_and_are_received_directly() {
    let (mut a, mut b, now) = connect(cfg(SocketType::Dealer), cfg(SocketType::Dealer), None);
    assert!(a.conn.is_ready() && b.conn.is_ready());
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    a.conn.send(&msg(b"head", true));
    let mut m = Msg::from_vec(big.clone());
    m.set_more(true);
    a.conn.send(&m);
    a.conn.send(&msg(b"tail", false));
    // The whole output comes as several slices: small frames, the large
    // body by reference, then the buffer again.
    let mut slots = [std::io::IoSlice::new(&[]); 8];
    let k = a.conn.output_vectored(&mut slots, usize::MAX);
    assert!(k >= 2, "{k} slices");
    let wire: Vec<u8> = slots[..k].iter().flat_map(|s| s.iter().copied()).collect();
    assert_eq!(wire.len(), a.conn.output_len());
    // A byte limit cuts the slices, in order.
    let mut few = [std::io::IoSlice::new(&[]); 8];
    let kf = a.conn.output_vectored(&mut few, 1000);
    let cut: Vec<u8> = few[..kf].iter().flat_map(|s| s.iter().copied()).collect();
    assert_eq!(cut, wire[..1000]);
    // Consume in uneven steps that cross slice boundaries.
    let mut done = 0;
    for step in [3usize, 10, 70_000, 1, 200_000] {
        let n = step.min(wire.len() - done);
        a.conn.consume_output(n);
        done += n;
        assert_eq!(a.conn.output_len(), wire.len() - done);
    }
    // The receiver takes the header and the first bytes through
    // handle_input, then the large body straight into its buffer.
    let split = 100;
    b.conn.handle_input(&wire[..split], now).unwrap();
    let mut pos = split;
    while let Some((buf, missing)) = b.conn.direct_input() {
        assert!(missing > 0);
        let n = missing.min(4096).min(buf.capacity() - buf.len());
        assert!(n > 0);
        buf.extend_from_slice(&wire[pos..pos + n]);
        pos += n;
        b.conn.direct_input_done(n, now);
    }
    b.conn.handle_input(&wire[pos..], now).unwrap();
    while let Some(ev) = b.conn.poll_event() {
        b.events.push(ev);
    }
    let got = b.messages();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], (b"head".to_vec(), true));
    assert_eq!(got[1].0.len(), big.len());
    let first_diff = got[1].0.iter().zip(&big).position(|(x, y)| x != y);
    assert_eq!(first_diff, None);
    assert!(got[1].1);
    assert_eq!(got[2], (b"tail".to_vec(), false));
}
