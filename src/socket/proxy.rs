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
mod tests;
