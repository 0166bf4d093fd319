//! A `udp://` endpoint on the I/O thread (zmq_udp(7)): one datagram
//! socket and one pipe to the ZeroMQ socket, made at zmq_bind/zmq_connect
//! time. There is no connection, no handshake and no reconnection.
//!
//! The datagram format, as libzmq 4.3's udp engine reads and writes it:
//! - RADIO/DISH: one datagram per message, one byte holding the group's
//!   length, the group, then the body. The pipe carries the message as
//!   two frames, the group (MORE) then the body, as over tcp; a DISH's
//!   joins and leaves are local and never sent (they are dropped here).
//! - DGRAM: the datagram is the body; the pipe carries the peer's address
//!   as text `ip:port` (MORE, with libzmq's trailing NUL on receipt) then
//!   the body. A message whose address frame does not parse is dropped.
//!
//! Back-pressure and memory: datagrams are read only while the pipe to
//! the socket is below its high-water mark; above it the endpoint stops
//! reading until the socket drains the pipe (`WriteReady`), so excess
//! datagrams wait in, and are dropped by, the kernel's bounded buffer.
//! Sending never queues here beyond one datagram waiting for the socket
//! to become writable; a datagram the OS refuses (too large, no route) is
//! dropped, as libzmq does. Each turn handles at most [`TURN`] datagrams
//! each way, then the loop serves the others and comes back.

use super::Notify;
use crate::ctx::SocketLink;
use crate::msg::{Msg, GROUP_MAX_LENGTH};
use crate::pipe::{PipeEnd, ReadResult};
use crate::transport;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

/// Datagrams handled each way in one turn.
const TURN: usize = 256;

/// What the endpoint does with its pipe and datagrams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Sends every message to one address (a RADIO's connect).
    Radio(SocketAddr),
    /// Receives group datagrams (a DISH's bind).
    Dish,
    /// Sends to and receives from any address (a DGRAM's bind).
    Dgram,
}

/// The outcome of a turn.
pub(super) enum Step {
    /// Nothing more to do until an event or a pipe notification.
    Idle,
    /// The turn's budget ran out with work left: come back soon.
    Again,
    /// The socket closed the pipe and everything it sent is out.
    Finished,
}

pub(super) struct UdpEntry {
    pub(super) socket: SocketLink,
    pub(super) endpoint_id: u64,
    sock: mio::net::UdpSocket,
    pipe: Option<PipeEnd>,
    kind: Kind,
    /// The socket is IPv6 (IPv4 peers are reached through mapped forms).
    local_v6: bool,
    readable: bool,
    writable: bool,
    /// Listed in the loop's `again` list.
    pub(super) again: bool,
    /// The first frame of a message being read from the pipe.
    head: Option<Msg>,
    /// Dropping the rest of a message with too many frames.
    skipping: bool,
    /// A datagram waiting for the socket to become writable.
    out: Vec<u8>,
    pending: Option<SocketAddr>,
    /// The pipe from the socket is closed and drained.
    closed: bool,
}

impl UdpEntry {
    pub(super) fn new(
        socket: SocketLink,
        endpoint_id: u64,
        sock: mio::net::UdpSocket,
        pipe: PipeEnd,
        kind: Kind,
        local_v6: bool,
    ) -> UdpEntry {
        UdpEntry {
            socket,
            endpoint_id,
            sock,
            pipe: Some(pipe),
            kind,
            local_v6,
            readable: true,
            writable: true,
            again: false,
            head: None,
            skipping: false,
            out: Vec::new(),
            pending: None,
            closed: false,
        }
    }

    pub(super) fn source(&mut self) -> &mut mio::net::UdpSocket {
        &mut self.sock
    }

    /// Routes the pipe's notifications to the loop under `token`.
    pub(super) fn set_pipe_target(&self, n: Arc<dyn Notify>, token: u64) {
        if let Some(p) = &self.pipe {
            p.set_target(n, token);
        }
    }

    /// Records the poller's readiness.
    pub(super) fn ready(&mut self, readable: bool, writable: bool) {
        self.readable |= readable;
        self.writable |= writable;
    }

    /// Closes the pipe (the socket sees it closed).
    pub(super) fn close_pipe(&mut self) {
        if let Some(mut p) = self.pipe.take() {
            p.close();
        }
    }

    /// One turn: send what the socket queued, then read datagrams.
    pub(super) fn drive(&mut self, buf: &mut [u8]) -> Step {
        let out_more = self.send_queued();
        let in_more = self.receive(buf);
        if self.closed && self.pending.is_none() {
            Step::Finished
        } else if out_more || in_more {
            Step::Again
        } else {
            Step::Idle
        }
    }

    /// Sends messages from the pipe; true when the budget ran out first.
    fn send_queued(&mut self) -> bool {
        let mut budget = TURN;
        loop {
            if let Some(to) = self.pending {
                if !self.writable {
                    return false;
                }
                match self.sock.send_to(&self.out, to) {
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        self.writable = false;
                        return false;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    // Too large, no route, refused: the datagram is lost,
                    // as any datagram may be.
                    Err(_) => {}
                }
                self.pending = None;
                budget -= 1;
                if budget == 0 {
                    return true;
                }
            }
            let Some(p) = self.pipe.as_mut() else {
                return false;
            };
            match p.inq.read() {
                ReadResult::Msg(m) => self.take_frame(m),
                ReadResult::Empty => return false,
                ReadResult::Closed => {
                    self.closed = true;
                    return false;
                }
            }
        }
    }

    /// Collects a message's frames; a whole two-frame message becomes the
    /// pending datagram.
    fn take_frame(&mut self, m: Msg) {
        if self.kind == Kind::Dish {
            // Joins and leaves stay local over udp.
            return;
        }
        if self.skipping {
            self.skipping = m.more();
            return;
        }
        let Some(head) = self.head.take() else {
            if m.more() {
                self.head = Some(m);
            }
            // A lone frame (no address or group) is not a message here.
            return;
        };
        if m.more() {
            self.skipping = true;
            return;
        }
        match self.kind {
            Kind::Radio(to) => {
                let group = head.data();
                let Ok(len) = u8::try_from(group.len()) else {
                    return;
                };
                if group.len() > GROUP_MAX_LENGTH {
                    return;
                }
                self.out.clear();
                self.out.push(len);
                self.out.extend_from_slice(group);
                self.out.extend_from_slice(m.data());
                self.pending = Some(to);
            }
            Kind::Dgram => {
                let Some(to) = transport::parse_peer(head.data()) else {
                    return;
                };
                self.out.clear();
                self.out.extend_from_slice(m.data());
                self.pending = Some(transport::peer_for_socket(to, self.local_v6));
            }
            Kind::Dish => {}
        }
    }

    /// Reads datagrams into the pipe; true when the budget ran out first.
    fn receive(&mut self, buf: &mut [u8]) -> bool {
        if matches!(self.kind, Kind::Radio(_)) {
            return false;
        }
        let mut budget = TURN;
        while self.readable {
            if budget == 0 {
                return true;
            }
            let Some(p) = &self.pipe else {
                return false;
            };
            if !p.outq.check_write() {
                // At the high-water mark: read on after `WriteReady`.
                return false;
            }
            let (n, from) = match self.sock.recv_from(buf) {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.readable = false;
                    return false;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    // An error reported for an earlier send (ICMP).
                    budget -= 1;
                    continue;
                }
            };
            budget -= 1;
            let data = buf.get(..n).unwrap_or_default();
            let frames = match self.kind {
                Kind::Dish => split_group(data),
                Kind::Dgram => Some((
                    Msg::from_vec(transport::format_peer(&from)),
                    Msg::from_slice(data),
                )),
                Kind::Radio(_) => None,
            };
            if let Some((mut head, body)) = frames {
                head.set_more(true);
                if p.outq.write(head).is_ok() {
                    // The head opened a message: its body is always taken.
                    let _ = p.outq.write(body);
                }
            }
        }
        false
    }
}

/// A RADIO datagram as its group and body frames; None when the length
/// byte claims more than the datagram holds.
fn split_group(data: &[u8]) -> Option<(Msg, Msg)> {
    let (&len, rest) = data.split_first()?;
    let len = usize::from(len);
    if rest.len() < len {
        return None;
    }
    let (group, body) = rest.split_at(len);
    Some((Msg::from_slice(group), Msg::from_slice(body)))
}

#[cfg(test)]
mod tests;
