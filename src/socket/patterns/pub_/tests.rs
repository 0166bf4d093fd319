use super::*;
use crate::error::Error;
use crate::socket::options::consts::{ZMQ_SUBSCRIBE, ZMQ_TOPICS_COUNT, ZMQ_XPUB_VERBOSE};
use crate::socket::patterns::xsub::sub_msg;
use crate::socket::patterns::xsub::tests::{add_peer, drain, frame};
use crate::socket::pipes::Pipes;
use crate::socket::Pattern;

#[test]
fn pub_filters_never_blocks_never_receives() {
    let mut p = new_pub();
    let mut pipes = Pipes::default();
    let (a, mut pa) = add_peer(&mut p, &mut pipes, 2);
    pa.outq.write(sub_msg(1, b"n")).unwrap();
    pa.outq.write(frame(b"junk", false)).unwrap();
    p.read_ready(&mut pipes, a);
    assert!(!p.has_in(&mut pipes));
    assert_eq!(p.recv(&mut pipes).map(|_| ()), Err(Error::ENOTSUP));
    assert!(p.has_out(&mut pipes));
    for i in 0..5 {
        let d = format!("n{i}");
        p.send(&mut pipes, frame(d.as_bytes(), false)).unwrap();
        p.send(&mut pipes, frame(b"other", false)).unwrap();
    }
    let got: Vec<_> = drain(&mut pa).into_iter().map(|(d, _)| d).collect();
    assert_eq!(got, vec![b"n0".to_vec(), b"n1".to_vec()]);
    let mut b4 = [0u8; 4];
    assert_eq!(p.getsockopt(ZMQ_TOPICS_COUNT, &mut b4), Ok(4));
    assert_eq!(i32::from_ne_bytes(b4), 1);
    assert_eq!(
        p.setsockopt(&mut pipes, ZMQ_SUBSCRIBE, b"x"),
        Err(Error::EINVAL)
    );
    assert_eq!(
        p.setsockopt(&mut pipes, ZMQ_XPUB_VERBOSE, &1i32.to_ne_bytes()),
        Ok(())
    );
}

#[test]
fn pub_forgets_departed_subscriber() {
    let mut p = new_pub();
    let mut pipes = Pipes::default();
    let (a, pa) = add_peer(&mut p, &mut pipes, 0);
    pa.outq.write(sub_msg(1, b"")).unwrap();
    p.read_ready(&mut pipes, a);
    p.detach(&mut pipes, a);
    pipes.remove(a);
    assert!(!p.has_in(&mut pipes));
    let mut b4 = [0u8; 4];
    p.getsockopt(ZMQ_TOPICS_COUNT, &mut b4).unwrap();
    assert_eq!(i32::from_ne_bytes(b4), 0);
    p.send(&mut pipes, frame(b"x", false)).unwrap();
}

mod inproc {
    use crate::ctx::Ctx;
    use crate::error::Error;
    use crate::msg::Msg;
    use crate::socket::options::consts::{
        ZMQ_PUB, ZMQ_SUB, ZMQ_SUBSCRIBE, ZMQ_TOPICS_COUNT, ZMQ_UNSUBSCRIBE, ZMQ_XPUB,
        ZMQ_XPUB_VERBOSE, ZMQ_XPUB_WELCOME_MSG, ZMQ_XSUB,
    };
    use crate::socket::{Socket, ZMQ_DONTWAIT, ZMQ_POLLIN, ZMQ_SNDMORE};

    fn recv_parts(s: &mut Socket) -> Vec<Vec<u8>> {
        let mut v = Vec::new();
        loop {
            let m = s.recv(0).unwrap();
            v.push(m.data().to_vec());
            if !m.more() {
                return v;
            }
        }
    }

    /// Publishes `topic` until the subscriber sees a message (the
    /// subscription travels asynchronously, and a publisher looks at
    /// its commands at most once a millisecond), bounded in time.
    fn publish_until_seen(p: &mut Socket, s: &mut Socket, topic: &[u8]) -> Vec<Vec<u8>> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            p.send(Msg::from_slice(topic), ZMQ_DONTWAIT).unwrap();
            if let Ok(m) = s.recv(ZMQ_DONTWAIT) {
                return vec![m.data().to_vec()];
            }
            std::thread::yield_now();
        }
        panic!("subscription never arrived");
    }

    fn drain(s: &mut Socket) {
        while s.recv(ZMQ_DONTWAIT).is_ok() {}
    }

    #[test]
    fn pub_sub_end_to_end() {
        let ctx = Ctx::new();
        let mut p = Socket::new(&ctx, ZMQ_PUB).unwrap();
        let mut s = Socket::new(&ctx, ZMQ_SUB).unwrap();
        p.bind("inproc://pubsub-e2e").unwrap();
        s.setsockopt(ZMQ_SUBSCRIBE, Some(b"A")).unwrap();
        s.connect("inproc://pubsub-e2e").unwrap();
        assert_eq!(
            publish_until_seen(&mut p, &mut s, b"A0"),
            vec![b"A0".to_vec()]
        );
        drain(&mut s);
        // Subscribe after connect.
        s.setsockopt(ZMQ_SUBSCRIBE, Some(b"B")).unwrap();
        publish_until_seen(&mut p, &mut s, b"B0");
        drain(&mut s);
        let mut b4 = [0u8; 4];
        s.getsockopt(ZMQ_TOPICS_COUNT, &mut b4).unwrap();
        assert_eq!(i32::from_ne_bytes(b4), 2);
        // Filtering and multipart.
        p.send(Msg::from_slice(b"C"), 0).unwrap();
        p.send(Msg::from_slice(b"A1"), ZMQ_SNDMORE).unwrap();
        p.send(Msg::from_slice(b"body"), 0).unwrap();
        assert_eq!(recv_parts(&mut s), vec![b"A1".to_vec(), b"body".to_vec()]);
        assert_eq!(s.events().unwrap() & ZMQ_POLLIN, 0);
        // PUB cannot receive, SUB cannot send.
        assert_eq!(p.recv(ZMQ_DONTWAIT).map(|_| ()), Err(Error::ENOTSUP));
        assert!(matches!(
            s.send(Msg::from_slice(b"x"), 0),
            Err((e, _)) if e == Error::ENOTSUP
        ));
        // Unsubscribe: eventually nothing from A arrives (sent after a
        // B message that is seen, so ordering proves it).
        s.setsockopt(ZMQ_UNSUBSCRIBE, Some(b"A")).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut unsubscribed = false;
        while !unsubscribed && std::time::Instant::now() < deadline {
            p.send(Msg::from_slice(b"A2"), 0).unwrap();
            p.send(Msg::from_slice(b"B2"), 0).unwrap();
            let got = s.recv(0).unwrap();
            if got.data() == b"B2" {
                drain(&mut s);
                p.send(Msg::from_slice(b"A3"), 0).unwrap();
                p.send(Msg::from_slice(b"B3"), 0).unwrap();
                assert_eq!(s.recv(0).unwrap().data(), b"B3");
                unsubscribed = true;
            }
            drain(&mut s);
        }
        assert!(unsubscribed, "the unsubscription never took effect");
        s.close();
        p.close();
    }

    #[test]
    fn xpub_xsub_end_to_end() {
        let ctx = Ctx::new();
        let mut x = Socket::new(&ctx, ZMQ_XPUB).unwrap();
        x.setsockopt(ZMQ_XPUB_WELCOME_MSG, Some(b"hi")).unwrap();
        x.setsockopt(ZMQ_XPUB_VERBOSE, Some(&1i32.to_ne_bytes()))
            .unwrap();
        x.bind("inproc://xpub-e2e").unwrap();
        let mut xs = Socket::new(&ctx, ZMQ_XSUB).unwrap();
        xs.connect("inproc://xpub-e2e").unwrap();
        xs.send(Msg::from_slice(b"\x01T"), 0).unwrap();
        xs.send(Msg::from_slice(b"\x01T"), 0).unwrap();
        x.options.rcvtimeo = 5000;
        assert_eq!(x.recv(0).unwrap().data(), b"\x01T");
        assert_eq!(x.recv(0).unwrap().data(), b"\x01T", "verbose");
        // The XPUB sent its welcome message when it attached the pipe.
        xs.options.rcvtimeo = 5000;
        assert_eq!(xs.recv(0).unwrap().data(), b"hi");
        // Upstream data reaches the XPUB application.
        xs.send(Msg::from_slice(b"up"), ZMQ_SNDMORE).unwrap();
        xs.send(Msg::from_slice(b"stream"), 0).unwrap();
        assert_eq!(recv_parts(&mut x), vec![b"up".to_vec(), b"stream".to_vec()]);
        x.send(Msg::from_slice(b"Tdata"), 0).unwrap();
        x.send(Msg::from_slice(b"Other"), 0).unwrap();
        assert_eq!(xs.recv(0).unwrap().data(), b"Tdata");
        xs.options.rcvtimeo = 0;
        assert_eq!(xs.recv(0).map(|_| ()), Err(Error::EAGAIN));
        // The subscriber leaving reports the unsubscription.
        xs.close();
        assert_eq!(x.recv(0).unwrap().data(), b"\x00T");
        x.close();
    }
}
