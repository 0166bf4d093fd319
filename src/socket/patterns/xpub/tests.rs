use super::*;
use crate::pipe::PipeEnd;
use crate::socket::patterns::xsub::tests::{add_peer, drain, frame};

fn on() -> [u8; 4] {
    1i32.to_ne_bytes()
}

fn sub(peer: &PipeEnd, flag: u8, topic: &[u8]) {
    peer.outq.write(sub_msg(flag, topic)).unwrap();
}

fn recv_all(x: &mut XPub, pipes: &mut Pipes) -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    while let Ok(m) = x.recv(pipes) {
        v.push(m.data().to_vec());
    }
    v
}

fn data(v: Vec<(Vec<u8>, bool)>) -> Vec<Vec<u8>> {
    v.into_iter().map(|(d, _)| d).collect()
}

#[test]
fn routes_by_prefix_and_reports_transitions() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    let (a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    let (b, mut pb) = add_peer(&mut x, &mut pipes, 0);
    sub(&pa, 1, b"A");
    sub(&pb, 1, b"A");
    sub(&pb, 1, b"AB");
    x.read_ready(&mut pipes, a);
    x.read_ready(&mut pipes, b);
    assert_eq!(
        recv_all(&mut x, &mut pipes),
        vec![b"\x01A".to_vec(), b"\x01AB".to_vec()]
    );
    x.send(&mut pipes, frame(b"ABC", true)).unwrap();
    x.send(&mut pipes, frame(b"body", false)).unwrap();
    x.send(&mut pipes, frame(b"Z", false)).unwrap();
    // b matches twice ("A", "AB") but gets one copy.
    assert_eq!(
        drain(&mut pa),
        vec![(b"ABC".to_vec(), true), (b"body".to_vec(), false)]
    );
    assert_eq!(
        drain(&mut pb),
        vec![(b"ABC".to_vec(), true), (b"body".to_vec(), false)]
    );
    // Unsubscribe: reported only when the last pipe leaves the topic.
    sub(&pa, 0, b"A");
    x.read_ready(&mut pipes, a);
    assert!(recv_all(&mut x, &mut pipes).is_empty());
    // Unknown unsubscribe is reported (libzmq: not "values remain").
    sub(&pa, 0, b"Q");
    x.read_ready(&mut pipes, a);
    assert_eq!(recv_all(&mut x, &mut pipes), vec![b"\x00Q".to_vec()]);
    let mut b4 = [0u8; 4];
    assert_eq!(x.getsockopt(ZMQ_TOPICS_COUNT, &mut b4), Ok(4));
    assert_eq!(i32::from_ne_bytes(b4), 2);
    // b goes away: its topics nobody else has are reported.
    x.detach(&mut pipes, b);
    pipes.remove(b);
    let mut got = recv_all(&mut x, &mut pipes);
    got.sort();
    assert_eq!(got, vec![b"\x00A".to_vec(), b"\x00AB".to_vec()]);
    x.send(&mut pipes, frame(b"A", false)).unwrap();
    assert!(drain(&mut pa).is_empty());
}

#[test]
fn verbose_and_verboser() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    x.setsockopt(&mut pipes, ZMQ_XPUB_VERBOSE, &on()).unwrap();
    let (a, pa) = add_peer(&mut x, &mut pipes, 0);
    let (b, pb) = add_peer(&mut x, &mut pipes, 0);
    sub(&pa, 1, b"T");
    sub(&pb, 1, b"T");
    sub(&pb, 0, b"T");
    x.read_ready(&mut pipes, a);
    x.read_ready(&mut pipes, b);
    assert_eq!(
        recv_all(&mut x, &mut pipes),
        vec![b"\x01T".to_vec(), b"\x01T".to_vec()]
    );
    x.setsockopt(&mut pipes, ZMQ_XPUB_VERBOSER, &on()).unwrap();
    sub(&pb, 1, b"T");
    sub(&pb, 0, b"T");
    x.read_ready(&mut pipes, b);
    assert_eq!(
        recv_all(&mut x, &mut pipes),
        vec![b"\x01T".to_vec(), b"\x00T".to_vec()]
    );
    // Verboser: every topic of a departing pipe is reported.
    sub(&pb, 1, b"T");
    x.read_ready(&mut pipes, b);
    recv_all(&mut x, &mut pipes);
    x.detach(&mut pipes, b);
    assert_eq!(recv_all(&mut x, &mut pipes), vec![b"\x00T".to_vec()]);
    assert_eq!(
        x.setsockopt(&mut pipes, ZMQ_XPUB_VERBOSE, &(-1i32).to_ne_bytes()),
        Err(Error::EINVAL)
    );
    assert_eq!(
        x.setsockopt(&mut pipes, ZMQ_XPUB_VERBOSE, b"x"),
        Err(Error::EINVAL)
    );
}

#[test]
fn upstream_messages_and_only_first_subscribe() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    let (a, pa) = add_peer(&mut x, &mut pipes, 0);
    pa.outq.write(frame(b"up", true)).unwrap();
    pa.outq.write(frame(b"\x01X", false)).unwrap();
    x.read_ready(&mut pipes, a);
    // Default: the second frame is a subscription.
    let m = x.recv(&mut pipes).unwrap();
    assert_eq!((m.data(), m.more()), (&b"up"[..], true));
    assert_eq!(x.recv(&mut pipes).unwrap().data(), b"\x01X");
    x.setsockopt(&mut pipes, ZMQ_ONLY_FIRST_SUBSCRIBE, &on())
        .unwrap();
    pa.outq.write(frame(b"up", true)).unwrap();
    pa.outq.write(frame(b"\x01Y", false)).unwrap();
    x.read_ready(&mut pipes, a);
    assert_eq!(
        recv_all(&mut x, &mut pipes),
        vec![b"up".to_vec(), b"\x01Y".to_vec()]
    );
    assert_eq!(x.subs.num_prefixes(), 1, "Y was data, not a subscription");
}

#[test]
fn welcome_message() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    x.setsockopt(&mut pipes, ZMQ_XPUB_WELCOME_MSG, b"W")
        .unwrap();
    let (_a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    assert_eq!(data(drain(&mut pa)), vec![b"W".to_vec()]);
    x.setsockopt(&mut pipes, ZMQ_XPUB_WELCOME_MSG, b"").unwrap();
    let (_b, mut pb) = add_peer(&mut x, &mut pipes, 0);
    assert!(drain(&mut pb).is_empty());
}

#[test]
fn lossy_drops_at_hwm_nodrop_blocks() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    let (a, mut pa) = add_peer(&mut x, &mut pipes, 1);
    let (b, mut pb) = add_peer(&mut x, &mut pipes, 0);
    sub(&pa, 1, b"");
    sub(&pb, 1, b"");
    x.read_ready(&mut pipes, a);
    x.read_ready(&mut pipes, b);
    x.send(&mut pipes, frame(b"1", false)).unwrap();
    x.send(&mut pipes, frame(b"2", false)).unwrap();
    assert_eq!(data(drain(&mut pa)), vec![b"1".to_vec()]);
    assert_eq!(data(drain(&mut pb)), vec![b"1".to_vec(), b"2".to_vec()]);
    x.write_ready(&mut pipes, a);
    x.setsockopt(&mut pipes, ZMQ_XPUB_NODROP, &on()).unwrap();
    x.send(&mut pipes, frame(b"3", true)).unwrap();
    x.send(&mut pipes, frame(b"3b", false)).unwrap();
    let r = x.send(&mut pipes, frame(b"4", false));
    assert!(matches!(r, Err((e, ref m)) if e == Error::EAGAIN && m.data() == b"4"));
    assert_eq!(data(drain(&mut pa)), vec![b"3".to_vec(), b"3b".to_vec()]);
    x.send(&mut pipes, frame(b"4", false)).unwrap();
    assert_eq!(data(drain(&mut pa)), vec![b"4".to_vec()]);
    assert_eq!(
        data(drain(&mut pb)),
        vec![b"3".to_vec(), b"3b".to_vec(), b"4".to_vec()]
    );
}

#[test]
fn invert_matching() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    assert_eq!(
        x.setsockopt(&mut pipes, ZMQ_INVERT_MATCHING, &on()),
        Err(Error::EINVAL)
    );
    let (a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    let (b, mut pb) = add_peer(&mut x, &mut pipes, 0);
    sub(&pa, 1, b"A");
    sub(&pb, 1, b"B");
    x.read_ready(&mut pipes, a);
    x.read_ready(&mut pipes, b);
    x.send(&mut pipes, frame(b"A1", false)).unwrap();
    assert!(drain(&mut pa).is_empty());
    assert_eq!(data(drain(&mut pb)), vec![b"A1".to_vec()]);
}

#[test]
fn manual_mode() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    // Not manual: SUBSCRIBE is EINVAL.
    assert_eq!(
        x.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"A"),
        Err(Error::EINVAL)
    );
    x.setsockopt(&mut pipes, ZMQ_XPUB_MANUAL, &on()).unwrap();
    let (a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    let (b, mut pb) = add_peer(&mut x, &mut pipes, 0);
    sub(&pa, 1, b"A");
    x.read_ready(&mut pipes, a);
    sub(&pb, 1, b"A");
    x.read_ready(&mut pipes, b);
    // Nothing is applied by itself.
    x.send(&mut pipes, frame(b"A", false)).unwrap();
    assert!(drain(&mut pa).is_empty() && drain(&mut pb).is_empty());
    // Every subscription is reported, duplicates included.
    assert_eq!(x.recv(&mut pipes).unwrap().data(), b"\x01A");
    // The app subscribes the last pipe (a) to something else.
    x.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"X").unwrap();
    x.send(&mut pipes, frame(b"X1", false)).unwrap();
    assert_eq!(data(drain(&mut pa)), vec![b"X1".to_vec()]);
    assert!(drain(&mut pb).is_empty());
    assert_eq!(x.recv(&mut pipes).unwrap().data(), b"\x01A");
    x.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"X").unwrap();
    x.setsockopt(&mut pipes, ZMQ_UNSUBSCRIBE, b"X").unwrap();
    x.send(&mut pipes, frame(b"X2", false)).unwrap();
    assert_eq!(data(drain(&mut pa)), vec![b"X2".to_vec()]);
    assert!(drain(&mut pb).is_empty());
    // A pipe leaving reports what it asked for, as unsubscriptions.
    x.detach(&mut pipes, a);
    pipes.remove(a);
    assert_eq!(x.recv(&mut pipes).unwrap().data(), b"\x00A");
    // ...and the last pipe is then unknown: SUBSCRIBE does nothing.
    x.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"Y").unwrap();
    assert_eq!(x.subs.num_prefixes(), 0);
}

#[test]
fn manual_last_value() {
    let mut x = XPub::new(false);
    let mut pipes = Pipes::default();
    x.setsockopt(&mut pipes, ZMQ_XPUB_MANUAL_LAST_VALUE, &on())
        .unwrap();
    let (a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    let (b, mut pb) = add_peer(&mut x, &mut pipes, 0);
    sub(&pa, 1, b"T");
    x.read_ready(&mut pipes, a);
    assert_eq!(x.recv(&mut pipes).unwrap().data(), b"\x01T");
    x.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"T").unwrap();
    sub(&pb, 1, b"T");
    x.read_ready(&mut pipes, b);
    assert_eq!(x.recv(&mut pipes).unwrap().data(), b"\x01T");
    x.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"T").unwrap();
    // The last value goes only to the new subscriber b...
    x.send(&mut pipes, frame(b"T-last", false)).unwrap();
    assert!(drain(&mut pa).is_empty());
    assert_eq!(data(drain(&mut pb)), vec![b"T-last".to_vec()]);
    // ...then everyone gets updates.
    x.send(&mut pipes, frame(b"T-next", false)).unwrap();
    assert_eq!(data(drain(&mut pa)), vec![b"T-next".to_vec()]);
    assert_eq!(data(drain(&mut pb)), vec![b"T-next".to_vec()]);
}
