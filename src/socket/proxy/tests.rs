use super::*;
use crate::ctx::Ctx;
use crate::socket::patterns::{ZMQ_DEALER, ZMQ_PAIR, ZMQ_PULL, ZMQ_PUSH, ZMQ_ROUTER};
use std::thread;

fn sock(ctx: &Ctx, t: i32) -> Socket {
    Socket::new(ctx, t).unwrap()
}

fn send_parts(s: &mut Socket, parts: &[&[u8]]) {
    for (i, p) in parts.iter().enumerate() {
        let f = if i + 1 < parts.len() { ZMQ_SNDMORE } else { 0 };
        s.send(Msg::from_slice(p), f).unwrap();
    }
}

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

fn close(mut s: Socket) {
    s.options.linger = 0;
    s.close();
}

/// A PUSH -> [PULL proxy PUSH] -> PULL chain with capture and control:
/// the proxy runs in its own thread and ends on TERMINATE.
#[test]
fn forwards_multipart_with_capture_and_steering() {
    let ctx = Ctx::new();
    let c = ctx.clone();
    let proxy_thread = thread::spawn(move || {
        let mut front = sock(&c, ZMQ_PULL);
        front.bind("inproc://px-front").unwrap();
        let mut back = sock(&c, ZMQ_PUSH);
        back.bind("inproc://px-back").unwrap();
        let mut cap = sock(&c, ZMQ_PUSH);
        cap.bind("inproc://px-cap").unwrap();
        let mut ctl = sock(&c, ZMQ_PAIR);
        ctl.bind("inproc://px-ctl").unwrap();
        let r = proxy(&mut ProxySockets {
            frontend: &mut front,
            backend: Some(&mut back),
            capture: Some(&mut cap),
            control: Some(&mut ctl),
        });
        for s in [front, back, cap, ctl] {
            close(s);
        }
        r
    });
    let mut ctl = sock(&ctx, ZMQ_PAIR);
    ctl.connect("inproc://px-ctl").unwrap();
    let mut src = sock(&ctx, ZMQ_PUSH);
    src.connect("inproc://px-front").unwrap();
    let mut dst = sock(&ctx, ZMQ_PULL);
    dst.connect("inproc://px-back").unwrap();
    let mut cap = sock(&ctx, ZMQ_PULL);
    cap.connect("inproc://px-cap").unwrap();

    send_parts(&mut src, &[b"a", b"bc", b""]);
    send_parts(&mut src, &[b"single"]);
    assert_eq!(
        recv_parts(&mut dst),
        vec![b"a".to_vec(), b"bc".to_vec(), vec![]]
    );
    assert_eq!(recv_parts(&mut dst), vec![b"single".to_vec()]);
    assert_eq!(
        recv_parts(&mut cap),
        vec![b"a".to_vec(), b"bc".to_vec(), vec![]]
    );
    assert_eq!(recv_parts(&mut cap), vec![b"single".to_vec()]);

    // Paused: nothing moves until RESUME; the STATISTICS reply (which
    // comes after PAUSE is obeyed) proves the pause is in force.
    ctl.send(Msg::from_slice(b"PAUSE"), 0).unwrap();
    ctl.send(Msg::from_slice(b"STATISTICS"), 0).unwrap();
    let st = recv_parts(&mut ctl);
    assert_eq!(st.len(), 8);
    let vals: Vec<u64> = st
        .iter()
        .map(|f| u64::from_ne_bytes(f.as_slice().try_into().unwrap()))
        .collect();
    // 2 messages / 9 bytes in at the frontend, out at the backend.
    assert_eq!(vals, vec![2, 9, 0, 0, 0, 0, 2, 9]);
    send_parts(&mut src, &[b"late"]);
    dst.options.rcvtimeo = 50;
    assert_eq!(dst.recv(0).map(|_| ()), Err(Error::EAGAIN));
    ctl.send(Msg::from_slice(b"RESUME"), 0).unwrap();
    dst.options.rcvtimeo = -1;
    assert_eq!(recv_parts(&mut dst), vec![b"late".to_vec()]);
    // Capture got the control commands and the data.
    assert_eq!(recv_parts(&mut cap), vec![b"PAUSE".to_vec()]);
    assert_eq!(recv_parts(&mut cap), vec![b"STATISTICS".to_vec()]);
    assert_eq!(recv_parts(&mut cap), vec![b"RESUME".to_vec()]);
    assert_eq!(recv_parts(&mut cap), vec![b"late".to_vec()]);

    ctl.send(Msg::from_slice(b"TERMINATE"), 0).unwrap();
    let stats = proxy_thread.join().unwrap().unwrap();
    assert_eq!(stats.0, [3, 13, 0, 0, 0, 0, 3, 13]);
    for s in [ctl, src, dst, cap] {
        close(s);
    }
    ctx.term().unwrap();
}

/// ROUTER/DEALER both ways, then ETERM from zmq_ctx_term in another
/// thread.
#[test]
fn both_directions_then_eterm() {
    let ctx = Ctx::new();
    let mut front = sock(&ctx, ZMQ_ROUTER);
    front.bind("inproc://px2-front").unwrap();
    let mut back = sock(&ctx, ZMQ_DEALER);
    back.bind("inproc://px2-back").unwrap();
    let c = ctx.clone();
    let client = thread::spawn(move || {
        let mut req = sock(&c, ZMQ_DEALER);
        req.connect("inproc://px2-front").unwrap();
        let mut worker = sock(&c, ZMQ_DEALER);
        worker.connect("inproc://px2-back").unwrap();
        send_parts(&mut req, &[b"", b"ping"]);
        // The worker sees [client-id, "", "ping"].
        let got = recv_parts(&mut worker);
        assert_eq!(got.len(), 3);
        assert_eq!(&got[1..], &[vec![], b"ping".to_vec()]);
        let reply: Vec<&[u8]> = vec![&got[0], b"", b"pong"];
        send_parts(&mut worker, &reply);
        assert_eq!(recv_parts(&mut req), vec![vec![], b"pong".to_vec()]);
        close(req);
        close(worker);
        // Terminating the context stops the proxy with ETERM.
        c.term().unwrap();
    });
    let r = proxy(&mut ProxySockets {
        frontend: &mut front,
        backend: Some(&mut back),
        capture: None,
        control: None,
    });
    assert_eq!(r.map(|_| ()), Err(Error::ETERM));
    close(front);
    close(back);
    client.join().unwrap();
}

/// Back-pressure: with the backend's peer gone quiet and HWMs of 1,
/// the proxy stops reading the frontend (messages stay queued there)
/// instead of dropping or spinning; reading the backend drains it.
#[test]
fn back_pressure_and_same_socket() {
    let ctx = Ctx::new();
    let c = ctx.clone();
    let t = thread::spawn(move || {
        let mut front = sock(&c, ZMQ_PULL);
        front.options.rcvhwm = 1;
        front.bind("inproc://px3-front").unwrap();
        let mut back = sock(&c, ZMQ_PUSH);
        back.options.sndhwm = 1;
        back.bind("inproc://px3-back").unwrap();
        let mut ctl = sock(&c, ZMQ_PAIR);
        ctl.bind("inproc://px3-ctl").unwrap();
        let r = proxy(&mut ProxySockets {
            frontend: &mut front,
            backend: Some(&mut back),
            capture: None,
            control: Some(&mut ctl),
        });
        for s in [front, back, ctl] {
            close(s);
        }
        r
    });
    let mut ctl = sock(&ctx, ZMQ_PAIR);
    ctl.connect("inproc://px3-ctl").unwrap();
    let mut src = sock(&ctx, ZMQ_PUSH);
    src.options.sndhwm = 1;
    src.connect("inproc://px3-front").unwrap();
    let mut dst = sock(&ctx, ZMQ_PULL);
    dst.options.rcvhwm = 1;
    dst.connect("inproc://px3-back").unwrap();
    // Send until the chain is full.
    let mut sent = 0u32;
    loop {
        match src.send(Msg::from_slice(&sent.to_ne_bytes()), ZMQ_DONTWAIT) {
            Ok(()) => sent += 1,
            Err((e, _)) => {
                assert_eq!(e, Error::EAGAIN);
                // The proxy may still be moving messages: wait for it
                // to make room, or give up after a while when full.
                src.options.sndtimeo = 100;
                if src.send(Msg::from_slice(&sent.to_ne_bytes()), 0).is_ok() {
                    sent += 1;
                    continue;
                }
                break;
            }
        }
        assert!(sent < 10_000, "no back-pressure");
    }
    assert!(sent >= 2);
    for i in 0..sent {
        let m = dst.recv(0).unwrap();
        assert_eq!(m.data(), &i.to_ne_bytes());
    }
    ctl.send(Msg::from_slice(b"TERMINATE"), 0).unwrap();
    let st = t.join().unwrap().unwrap();
    assert_eq!(st.0[0], u64::from(sent));
    assert_eq!(st.0[6], u64::from(sent));
    close(ctl);
    close(src);
    close(dst);
    ctx.term().unwrap();
}

/// CPU time this thread has used (Linux schedstat), in nanoseconds.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A message waits at the frontend while the backend has no peer (no
/// POLLOUT): the proxy must block, not spin; once a peer connects the
/// message goes through. A REP control socket answers every command.
#[test]
fn blocked_proxy_does_not_spin_and_rep_control_replies() {
    let ctx = Ctx::new();
    let c = ctx.clone();
    let t = thread::spawn(move || {
        let mut front = sock(&c, ZMQ_PULL);
        front.bind("inproc://px5-front").unwrap();
        let mut back = sock(&c, ZMQ_PUSH);
        back.bind("inproc://px5-back").unwrap();
        let mut ctl = sock(&c, crate::socket::patterns::ZMQ_REP);
        ctl.bind("inproc://px5-ctl").unwrap();
        let cpu0 = thread_cpu_ns();
        let r = proxy(&mut ProxySockets {
            frontend: &mut front,
            backend: Some(&mut back),
            capture: None,
            control: Some(&mut ctl),
        });
        let cpu = thread_cpu_ns() - cpu0;
        for s in [front, back, ctl] {
            close(s);
        }
        (r, cpu)
    });
    let mut ctl = sock(&ctx, crate::socket::patterns::ZMQ_REQ);
    ctl.connect("inproc://px5-ctl").unwrap();
    let mut src = sock(&ctx, ZMQ_PUSH);
    src.connect("inproc://px5-front").unwrap();
    send_parts(&mut src, &[b"held", b"back"]);
    // The proxy has seen the message once it answers STATISTICS.
    ctl.send(Msg::from_slice(b"STATISTICS"), 0).unwrap();
    assert_eq!(recv_parts(&mut ctl).len(), 8);
    // Idle wall time (a measurement, not a synchronisation): a spinning
    // proxy would burn it all as CPU.
    let wall = std::time::Instant::now();
    thread::sleep(std::time::Duration::from_millis(300));
    let mut dst = sock(&ctx, ZMQ_PULL);
    dst.connect("inproc://px5-back").unwrap();
    assert_eq!(
        recv_parts(&mut dst),
        vec![b"held".to_vec(), b"back".to_vec()]
    );
    for cmd in [&b"PAUSE"[..], b"RESUME", b"nonsense"] {
        ctl.send(Msg::from_slice(cmd), 0).unwrap();
        assert_eq!(recv_parts(&mut ctl), vec![Vec::<u8>::new()]);
    }
    ctl.send(Msg::from_slice(b"TERMINATE"), 0).unwrap();
    assert_eq!(recv_parts(&mut ctl), vec![Vec::<u8>::new()]);
    let (r, cpu) = t.join().unwrap();
    assert_eq!(r.unwrap().0, [1, 8, 0, 0, 0, 0, 1, 8]);
    let wall = wall.elapsed().as_nanos() as u64;
    assert!(cpu < wall / 3, "proxy used {cpu} ns of CPU in {wall} ns");
    for s in [ctl, src, dst] {
        close(s);
    }
    ctx.term().unwrap();
}

#[test]
fn same_frontend_and_backend() {
    let ctx = Ctx::new();
    let c = ctx.clone();
    let t = thread::spawn(move || {
        let mut pair = sock(&c, ZMQ_PAIR);
        pair.bind("inproc://px4").unwrap();
        let mut ctl = sock(&c, ZMQ_PAIR);
        ctl.bind("inproc://px4-ctl").unwrap();
        let r = proxy(&mut ProxySockets {
            frontend: &mut pair,
            backend: None,
            capture: None,
            control: Some(&mut ctl),
        });
        close(pair);
        close(ctl);
        r
    });
    let mut peer = sock(&ctx, ZMQ_PAIR);
    peer.connect("inproc://px4").unwrap();
    send_parts(&mut peer, &[b"echo", b"me"]);
    assert_eq!(
        recv_parts(&mut peer),
        vec![b"echo".to_vec(), b"me".to_vec()]
    );
    let mut ctl = sock(&ctx, ZMQ_PAIR);
    ctl.connect("inproc://px4-ctl").unwrap();
    ctl.send(Msg::from_slice(b"bogus"), 0).unwrap();
    ctl.send(Msg::from_slice(b"TERMINATE"), 0).unwrap();
    let st = t.join().unwrap().unwrap();
    // Frontend received 1 message (6 bytes); "backend" (itself) sent it.
    assert_eq!(st.0, [1, 6, 0, 0, 0, 0, 1, 6]);
    close(peer);
    close(ctl);
    ctx.term().unwrap();
}
