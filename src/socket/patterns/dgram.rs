//! DGRAM (zmq_socket(3), draft): datagrams over udp (zmq_udp(7)); binds
//! `udp://` only (a udp connect is ENOCOMPATPROTO, as in libzmq). Sends
//! and receives two-frame messages: the peer's address as text `ip:port`
//! (MORE), then the body. Sending the body goes to that address as one
//! datagram; a received datagram comes as the sender's address (with
//! libzmq's trailing NUL) then the body.
//!
//! Rules of libzmq's dgram: the first frame of a message without MORE is
//! EINVAL, a second frame with MORE is EINVAL; one peer pipe only (the
//! first udp bind). As in libzmq 4.3.4, binds and connects on tcp, ipc
//! and inproc succeed, but a DGRAM takes no peer over them (their pipes
//! are refused), so without a udp bind sending and receiving find
//! nothing to do (EAGAIN, or wait until the timeout).

use super::pair::Pair;
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;

#[derive(Default)]
pub struct Dgram {
    /// PAIR's one-peer handling, given only a udp endpoint's pipe.
    pair: Pair,
    /// The address frame went out; the body is next.
    more_out: bool,
}

impl Pattern for Dgram {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        pipes.get(id).is_some_and(|s| s.info.udp) && self.pair.attach(pipes, id)
    }
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        if self.pair.has_pipe(id) {
            self.more_out = false;
        }
        self.pair.detach(pipes, id);
    }
    fn read_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        // Address (MORE), then body (no MORE): nothing else. Without a
        // peer, EAGAIN comes first, as in libzmq.
        if self.pair.has_peer() && msg.more() == self.more_out {
            return Err((Error::EINVAL, msg));
        }
        self.pair.send(pipes, msg)?;
        self.more_out = !self.more_out;
        Ok(())
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.pair.recv(pipes)
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_in(pipes)
    }
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_out(pipes)
    }
}
