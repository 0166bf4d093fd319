//! The built-in proxy: zmq_proxy(3), zmq_proxy_steerable(3) (and the
//! deprecated zmq_device, which is zmq_proxy).
//!
//! The proxy moves whole multipart messages frontend -> backend and
//! backend -> frontend, keeping each frame's MORE flag, and sends a copy of
//! every frame to the capture socket when there is one. It runs until the
//! context terminates (ETERM), a socket call fails (that errno), or the
//! control socket says TERMINATE (success).
//!
//! Invariants:
//! - Back-pressure: a side is read only while the other side reports
//!   ZMQ_POLLOUT (libzmq 4.3's rule), checked again before each message of
//!   a burst; the frames of a message already started are sent blocking, as
//!   libzmq does. When frontend and backend are the same socket it is read
//!   without the POLLOUT check, and only one direction exists.
//! - No spinning: when no direction can progress the proxy blocks in the
//!   poller ([`super::poller`]) only on the conditions that would let one
//!   progress (POLLIN of a side whose peer side can write, POLLOUT of a
//!   side a message waits for, POLLIN of the control socket), none of which
//!   holds at that moment.
//! - Statistics count whole messages (a multipart message is one) and
//!   their bytes, in libzmq's order: frontend received (count, bytes),
//!   frontend sent, backend received, backend sent (checked against
//!   libzmq 4.3.4).
//!
//! Control commands (single-frame; zmq_proxy_steerable(3)): PAUSE, RESUME,
//! TERMINATE, STATISTICS (a reply of 8 frames of 8 bytes, native-endian
//! uint64). Each command is copied to the capture socket, as libzmq 4.3
//! does. Where we differ from libzmq 4.3.5: an unknown or multipart command
//! is ignored (libzmq asserts, or fails with -1); a REP control socket gets
//! an empty reply to every non-STATISTICS command (as later libzmq does),
//! so that a REQ client can go on sending commands.

use super::poller::{Poller, SocketSet, ZMQ_POLLIN, ZMQ_POLLOUT};
use super::{Socket, ZMQ_DONTWAIT, ZMQ_SNDMORE};
use crate::error::{Error, Result};
use crate::msg::Msg;
use std::os::fd::RawFd;

/// Messages moved per direction before the other direction gets a turn.
const BURST: usize = 1000;

const ZMQ_REP: i32 = 4;

/// The sockets of one proxy run.
pub struct ProxySockets<'a> {
    pub frontend: &'a mut Socket,
    /// `None` when the backend is the frontend itself.
    pub backend: Option<&'a mut Socket>,
    pub capture: Option<&'a mut Socket>,
    pub control: Option<&'a mut Socket>,
}

/// Which socket of a proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Frontend,
    Backend,
    Control,
}

impl ProxySockets<'_> {
    fn get(&mut self, r: Role) -> Result<&mut Socket> {
        match r {
            Role::Frontend => Ok(&mut *self.frontend),
            Role::Backend => match self.backend.as_deref_mut() {
                Some(b) => Ok(b),
                None => Ok(&mut *self.frontend),
            },
            Role::Control => self.control.as_deref_mut().ok_or(Error::EFAULT),
        }
    }

    fn capture_copy(&mut self, msg: &Msg, more: bool) -> Result<()> {
        if let Some(c) = self.capture.as_deref_mut() {
            c.send(msg.clone(), if more { ZMQ_SNDMORE } else { 0 })
                .map_err(|(e, _)| e)?;
        }
        Ok(())
    }
}

impl SocketSet<Role> for ProxySockets<'_> {
    fn fd(&mut self, key: &Role) -> Result<RawFd> {
        Ok(self.get(*key)?.fd())
    }
    fn events(&mut self, key: &Role) -> Result<i16> {
        self.get(*key)?.events()
    }
}

/// Message and byte counters, in the order of the STATISTICS reply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats(pub [u64; 8]);

const FRONT_RECV: usize = 0;
const FRONT_SENT: usize = 2;
const BACK_RECV: usize = 4;
const BACK_SENT: usize = 6;

impl Stats {
    fn count(&mut self, at: usize, bytes: usize) {
        if let Some(n) = self.0.get_mut(at) {
            *n += 1;
        }
        if let Some(b) = self.0.get_mut(at + 1) {
            *b += bytes as u64;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Active,
    Paused,
    Terminated,
}

/// Moves up to [`BURST`] whole messages from `from` to `to`.
fn forward(
    s: &mut ProxySockets<'_>,
    from: Role,
    to: Role,
    stats: &mut Stats,
    recv_at: usize,
    sent_at: usize,
) -> Result<()> {
    let same = s.backend.is_none();
    for i in 0..BURST {
        if i > 0 && !same && s.get(to)?.events()? & ZMQ_POLLOUT == 0 {
            return Ok(());
        }
        let mut first = true;
        let mut bytes = 0usize;
        loop {
            let msg = match s.get(from)?.recv(ZMQ_DONTWAIT) {
                Ok(m) => m,
                Err(e) if e == Error::EAGAIN && first => return Ok(()),
                Err(e) => return Err(e),
            };
            first = false;
            let more = msg.more();
            bytes = bytes.saturating_add(msg.len());
            s.capture_copy(&msg, more)?;
            s.get(to)?
                .send(msg, if more { ZMQ_SNDMORE } else { 0 })
                .map_err(|(e, _)| e)?;
            if !more {
                break;
            }
        }
        // A multipart message counts once, with the bytes of all its parts.
        stats.count(recv_at, bytes);
        stats.count(sent_at, bytes);
    }
    Ok(())
}

/// Reads and obeys one control command.
fn control(s: &mut ProxySockets<'_>, state: &mut State, stats: &Stats) -> Result<()> {
    let msg = match s.get(Role::Control)?.recv(ZMQ_DONTWAIT) {
        Ok(m) => m,
        Err(e) if e == Error::EAGAIN => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut more = msg.more();
    s.capture_copy(&msg, false)?;
    let single = !more;
    while more {
        more = s.get(Role::Control)?.recv(ZMQ_DONTWAIT)?.more();
    }
    let cmd = if single { msg.data() } else { &[][..] };
    match cmd {
        b"PAUSE" => *state = State::Paused,
        b"RESUME" => *state = State::Active,
        b"TERMINATE" => *state = State::Terminated,
        b"STATISTICS" => {
            let ctl = s.get(Role::Control)?;
            for (i, v) in stats.0.iter().enumerate() {
                let flags = if i + 1 < stats.0.len() {
                    ZMQ_SNDMORE
                } else {
                    0
                };
                ctl.send(Msg::from_slice(&v.to_ne_bytes()), flags)
                    .map_err(|(e, _)| e)?;
            }
            return Ok(());
        }
        _ => {}
    }
    let ctl = s.get(Role::Control)?;
    if ctl.socket_type() == ZMQ_REP {
        ctl.send(Msg::default(), 0).map_err(|(e, _)| e)?;
    }
    Ok(())
}

/// zmq_proxy_steerable(3) (zmq_proxy(3) without a control socket):
/// `Ok(stats)` after TERMINATE, otherwise the error that stopped it (ETERM
/// when the context terminates).
pub fn proxy(s: &mut ProxySockets<'_>) -> Result<Stats> {
    let same = s.backend.is_none();
    let has_control = s.control.is_some();
    let mut state = State::Active;
    let mut stats = Stats::default();
    loop {
        if has_control && s.get(Role::Control)?.events()? & ZMQ_POLLIN != 0 {
            control(s, &mut state, &stats)?;
            if state == State::Terminated {
                return Ok(stats);
            }
            continue;
        }
        let mut want_front = 0;
        let mut want_back = 0;
        if state == State::Active {
            let fe = s.get(Role::Frontend)?.events()?;
            let be = if same {
                fe
            } else {
                s.get(Role::Backend)?.events()?
            };
            let mut progress = false;
            if fe & ZMQ_POLLIN != 0 && (same || be & ZMQ_POLLOUT != 0) {
                forward(
                    s,
                    Role::Frontend,
                    Role::Backend,
                    &mut stats,
                    FRONT_RECV,
                    BACK_SENT,
                )?;
                progress = true;
            } else if fe & ZMQ_POLLIN != 0 {
                want_back |= ZMQ_POLLOUT;
            } else {
                want_front |= ZMQ_POLLIN;
            }
            if !same {
                if be & ZMQ_POLLIN != 0 && fe & ZMQ_POLLOUT != 0 {
                    forward(
                        s,
                        Role::Backend,
                        Role::Frontend,
                        &mut stats,
                        BACK_RECV,
                        FRONT_SENT,
                    )?;
                    progress = true;
                } else if be & ZMQ_POLLIN != 0 {
                    want_front |= ZMQ_POLLOUT;
                } else {
                    want_back |= ZMQ_POLLIN;
                }
            }
            if progress {
                continue;
            }
        }
        // Block until something that lets us progress happens.
        let mut p: Poller<Role> = Poller::new();
        if want_front != 0 {
            p.add(Role::Frontend, 0, want_front)?;
        }
        if want_back != 0 && !same {
            p.add(Role::Backend, 0, want_back)?;
        }
        if has_control {
            p.add(Role::Control, 0, ZMQ_POLLIN)?;
        }
        match p.wait(s, 3, -1) {
            Ok(_) => {}
            Err(e) if e == Error::EAGAIN => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
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
        ctx.term();
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
            c.term();
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
        ctx.term();
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
        ctx.term();
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
        ctx.term();
    }
}
