use super::*;
use crate::ctx::mailbox::PeerInfo;
use crate::pipe::{pipe_pair, PipeEnd, ReadResult};

/// Attaches a fake peer; returns the id and the peer's end.
pub(crate) fn add_peer(
    p: &mut dyn Pattern,
    pipes: &mut Pipes,
    hwm_out: usize,
) -> (PipeId, PipeEnd) {
    let (ours, theirs) = pipe_pair(hwm_out, 0, false, false);
    let id = pipes.insert(ours, PeerInfo::default());
    assert!(p.attach(pipes, id));
    (id, theirs)
}

pub(crate) fn frame(d: &[u8], more: bool) -> Msg {
    let mut m = Msg::from_slice(d);
    m.set_more(more);
    m
}

/// Everything the peer has received, as (bytes, more).
pub(crate) fn drain(peer: &mut PipeEnd) -> Vec<(Vec<u8>, bool)> {
    let mut v = Vec::new();
    while let ReadResult::Msg(m) = peer.inq.read() {
        v.push((m.data().to_vec(), m.more()));
    }
    v
}

fn data(v: &[(Vec<u8>, bool)]) -> Vec<Vec<u8>> {
    v.iter().map(|(d, _)| d.clone()).collect()
}

#[test]
fn subscriptions_go_upstream_and_to_new_pipes() {
    let mut x = XSub::default();
    let mut pipes = Pipes::default();
    let (_a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    x.send(&mut pipes, frame(b"\x01A", false)).unwrap();
    x.send(&mut pipes, frame(b"\x01A", false)).unwrap();
    x.send(&mut pipes, frame(b"\x01B", false)).unwrap();
    // Every subscribe goes upstream (duplicates too).
    assert_eq!(
        data(&drain(&mut pa)),
        vec![b"\x01A".to_vec(), b"\x01A".to_vec(), b"\x01B".to_vec()]
    );
    // A new pipe gets one message per distinct topic.
    let (_b, mut pb) = add_peer(&mut x, &mut pipes, 0);
    assert_eq!(
        data(&drain(&mut pb)),
        vec![b"\x01A".to_vec(), b"\x01B".to_vec()]
    );
    // Unsubscribe: only the last one for a topic goes upstream.
    x.send(&mut pipes, frame(b"\x00A", false)).unwrap();
    assert!(drain(&mut pa).is_empty());
    x.send(&mut pipes, frame(b"\x00A", false)).unwrap();
    assert_eq!(data(&drain(&mut pa)), vec![b"\x00A".to_vec()]);
    assert_eq!(data(&drain(&mut pb)), vec![b"\x00A".to_vec()]);
    // Unknown topic: dropped.
    x.send(&mut pipes, frame(b"\x00Z", false)).unwrap();
    assert!(drain(&mut pa).is_empty());
    // Other messages pass upstream.
    x.send(&mut pipes, frame(b"hello", false)).unwrap();
    assert_eq!(data(&drain(&mut pa)), vec![b"hello".to_vec()]);
    let mut b4 = [0u8; 4];
    assert_eq!(x.getsockopt(ZMQ_TOPICS_COUNT, &mut b4), Ok(4));
    assert_eq!(i32::from_ne_bytes(b4), 1);
}

#[test]
fn verbose_unsubscribe_and_hiccup() {
    let mut x = XSub::default();
    let mut pipes = Pipes::default();
    x.setsockopt(
        &mut pipes,
        ZMQ_XSUB_VERBOSE_UNSUBSCRIBE,
        &1i32.to_ne_bytes(),
    )
    .unwrap();
    assert_eq!(
        x.setsockopt(
            &mut pipes,
            ZMQ_XSUB_VERBOSE_UNSUBSCRIBE,
            &(-1i32).to_ne_bytes()
        ),
        Err(Error::EINVAL)
    );
    let (a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    x.send(&mut pipes, frame(b"\x01A", false)).unwrap();
    x.send(&mut pipes, frame(b"\x01A", false)).unwrap();
    x.send(&mut pipes, frame(b"\x00A", false)).unwrap();
    x.send(&mut pipes, frame(b"\x00Q", false)).unwrap();
    assert_eq!(drain(&mut pa).len(), 4);
    x.hiccup(&mut pipes, a);
    assert_eq!(data(&drain(&mut pa)), vec![b"\x01A".to_vec()]);
}

#[test]
fn only_first_subscribe() {
    let mut x = XSub::default();
    let mut pipes = Pipes::default();
    let (_a, mut pa) = add_peer(&mut x, &mut pipes, 0);
    // Default: every frame may be a subscription.
    x.send(&mut pipes, frame(b"\x01A", true)).unwrap();
    x.send(&mut pipes, frame(b"\x01B", false)).unwrap();
    drain(&mut pa);
    assert_eq!(x.0.subs.num_prefixes(), 2);
    x.setsockopt(&mut pipes, ZMQ_ONLY_FIRST_SUBSCRIBE, &1i32.to_ne_bytes())
        .unwrap();
    // A first frame that is user data: the next ones are data too.
    x.send(&mut pipes, frame(b"data", true)).unwrap();
    x.send(&mut pipes, frame(b"\x01C", true)).unwrap();
    x.send(&mut pipes, frame(b"\x00Z", false)).unwrap();
    assert_eq!(x.0.subs.num_prefixes(), 2);
    assert!(!x.0.subs.check(b"C"));
    assert_eq!(
        drain(&mut pa),
        vec![
            (b"data".to_vec(), true),
            (b"\x01C".to_vec(), true),
            (b"\x00Z".to_vec(), false)
        ]
    );
    // A first frame that is a subscription: the next ones are examined
    // too (as libzmq, which sets its flag again on each subscription).
    x.send(&mut pipes, frame(b"\x01C", true)).unwrap();
    x.send(&mut pipes, frame(b"\x01D", false)).unwrap();
    assert_eq!(x.0.subs.num_prefixes(), 4);
    assert!(x.0.subs.check(b"C"));
    assert!(x.0.subs.check(b"D"));
    let got = drain(&mut pa);
    assert_eq!(
        got,
        vec![(b"\x01C".to_vec(), true), (b"\x01D".to_vec(), false)]
    );
    // ... and a cancel among them is applied.
    x.send(&mut pipes, frame(b"\x01E", true)).unwrap();
    x.send(&mut pipes, frame(b"\x00D", false)).unwrap();
    assert!(!x.0.subs.check(b"D"));
    assert_eq!(
        data(&drain(&mut pa)),
        vec![b"\x01E".to_vec(), b"\x00D".to_vec()]
    );
}

#[test]
fn xsub_receives_everything_fair_queued() {
    let mut x = XSub::default();
    let mut pipes = Pipes::default();
    let (a, pa) = add_peer(&mut x, &mut pipes, 0);
    assert!(!x.has_in(&mut pipes));
    pa.outq.write(frame(b"nomatch", true)).unwrap();
    pa.outq.write(frame(b"tail", false)).unwrap();
    x.read_ready(&mut pipes, a);
    assert!(x.has_in(&mut pipes));
    assert!(x.has_out(&mut pipes));
    let m = x.recv(&mut pipes).unwrap();
    assert_eq!((m.data(), m.more()), (&b"nomatch"[..], true));
    let m = x.recv(&mut pipes).unwrap();
    assert_eq!((m.data(), m.more()), (&b"tail"[..], false));
    assert_eq!(x.recv(&mut pipes).map(|_| ()), Err(Error::EAGAIN));
}

#[test]
fn upstream_dropped_at_hwm() {
    let mut x = XSub::default();
    let mut pipes = Pipes::default();
    let (_a, mut pa) = add_peer(&mut x, &mut pipes, 1);
    x.send(&mut pipes, frame(b"one", false)).unwrap();
    x.send(&mut pipes, frame(b"two", false)).unwrap();
    assert_eq!(data(&drain(&mut pa)), vec![b"one".to_vec()]);
}
