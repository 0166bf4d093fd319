use super::*;
use crate::socket::options::consts::{
    ZMQ_INVERT_MATCHING, ZMQ_ONLY_FIRST_SUBSCRIBE, ZMQ_TOPICS_COUNT, ZMQ_XSUB_VERBOSE_UNSUBSCRIBE,
};
use crate::socket::patterns::xsub::tests::{add_peer, drain, frame};

fn topics(s: &Sub) -> i32 {
    let mut b = [0u8; 4];
    assert_eq!(s.getsockopt(ZMQ_TOPICS_COUNT, &mut b), Ok(4));
    i32::from_ne_bytes(b)
}

#[test]
fn subscribe_before_and_after_attach() {
    let mut s = Sub::default();
    let mut pipes = Pipes::default();
    s.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"A").unwrap();
    let (_a, mut pa) = add_peer(&mut s, &mut pipes, 0);
    assert_eq!(drain(&mut pa), vec![(b"\x01A".to_vec(), false)]);
    s.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"B").unwrap();
    s.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"B").unwrap();
    assert_eq!(drain(&mut pa).len(), 2);
    assert_eq!(topics(&s), 2);
    s.setsockopt(&mut pipes, ZMQ_UNSUBSCRIBE, b"B").unwrap();
    assert!(drain(&mut pa).is_empty(), "B is still counted once");
    s.setsockopt(&mut pipes, ZMQ_UNSUBSCRIBE, b"B").unwrap();
    assert_eq!(drain(&mut pa), vec![(b"\x00B".to_vec(), false)]);
    assert_eq!(topics(&s), 1);
}

#[test]
fn filters_on_first_frame_whole_messages() {
    let mut s = Sub::default();
    let mut pipes = Pipes::default();
    let (_a, pa) = add_peer(&mut s, &mut pipes, 0);
    s.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"wea").unwrap();
    for (d, more) in [
        (&b"news"[..], true),
        (b"weather", false),
        (b"nope", false),
        (b"weather", true),
        (b"sunny", true),
        (b"warm", false),
        (b"xx", false),
    ] {
        pa.outq.write(frame(d, more)).unwrap();
    }
    assert!(s.has_in(&mut pipes));
    let mut got = Vec::new();
    while let Ok(m) = s.recv(&mut pipes) {
        got.push((m.data().to_vec(), m.more()));
    }
    assert_eq!(
        got,
        vec![
            (b"weather".to_vec(), true),
            (b"sunny".to_vec(), true),
            (b"warm".to_vec(), false)
        ]
    );
    assert!(!s.has_in(&mut pipes));
}

#[test]
fn has_in_drops_non_matching() {
    let mut s = Sub::default();
    let mut pipes = Pipes::default();
    let (a, pa) = add_peer(&mut s, &mut pipes, 0);
    s.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"x").unwrap();
    pa.outq.write(frame(b"a", false)).unwrap();
    assert!(!s.has_in(&mut pipes));
    pa.outq.write(frame(b"xy", false)).unwrap();
    // The core calls read_ready when the pipe reports data.
    s.read_ready(&mut pipes, a);
    assert!(s.has_in(&mut pipes));
    assert_eq!(s.recv(&mut pipes).unwrap().data(), b"xy");
    // Empty subscription matches everything, including empty messages.
    s.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"").unwrap();
    pa.outq.write(frame(b"", false)).unwrap();
    assert!(s.recv(&mut pipes).is_ok());
}

#[test]
fn invert_matching() {
    let mut s = Sub::default();
    let mut pipes = Pipes::default();
    // Recorded, and EINVAL so the generic store keeps it too.
    assert_eq!(
        s.setsockopt(&mut pipes, ZMQ_INVERT_MATCHING, &1i32.to_ne_bytes()),
        Err(Error::EINVAL)
    );
    let (_a, pa) = add_peer(&mut s, &mut pipes, 0);
    s.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"A").unwrap();
    pa.outq.write(frame(b"AA", false)).unwrap();
    pa.outq.write(frame(b"BB", false)).unwrap();
    assert_eq!(s.recv(&mut pipes).unwrap().data(), b"BB");
}

#[test]
fn cannot_send_and_refuses_xsub_options() {
    let mut s = Sub::default();
    let mut pipes = Pipes::default();
    assert!(matches!(
        s.send(&mut pipes, frame(b"x", false)),
        Err((e, _)) if e == Error::ENOTSUP
    ));
    assert!(!s.has_out(&mut pipes));
    for opt in [ZMQ_ONLY_FIRST_SUBSCRIBE, ZMQ_XSUB_VERBOSE_UNSUBSCRIBE] {
        assert_eq!(
            s.setsockopt(&mut pipes, opt, &1i32.to_ne_bytes()),
            Err(Error::EINVAL)
        );
    }
}
