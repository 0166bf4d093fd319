//! SUB: the subscriber (zmq_socket(3)). Compatible peers: PUB, XPUB.
//! Cannot send (ENOTSUP), receives only what matches its subscriptions.
//!
//! Built on XSUB's core ([`XSubCore`], see `xsub.rs`) with filtering on:
//! - ZMQ_SUBSCRIBE / ZMQ_UNSUBSCRIBE (zmq_setsockopt(3)) work before and
//!   after connecting: each becomes a 1/0-prefixed message run through the
//!   XSUB send logic (counted trie; every subscribe goes to every pipe, an
//!   unsubscribe only when its topic's count drops to zero), and new or
//!   reconnected pipes get every current subscription;
//! - receiving matches the first frame of a message against the trie (a
//!   prefix match; an empty topic matches everything) and delivers or
//!   drops the message whole; ZMQ_INVERT_MATCHING inverts the test. A
//!   peer that does not filter may send anything: the filter is applied
//!   here regardless;
//! - ZMQ_EVENTS: POLLIN only when a matching message is waiting (`has_in`
//!   reads ahead and drops non-matching ones), never POLLOUT;
//! - only ZMQ_SUBSCRIBE, ZMQ_UNSUBSCRIBE are SUB's own options (libzmq's
//!   sub_t refuses XSUB's ZMQ_ONLY_FIRST_SUBSCRIBE and
//!   ZMQ_XSUB_VERBOSE_UNSUBSCRIBE); ZMQ_TOPICS_COUNT is readable.

use super::xsub::XSubCore;
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::options::consts::{ZMQ_SUBSCRIBE, ZMQ_UNSUBSCRIBE};
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;

/// SUB (zmq_socket(3)).
pub struct Sub(XSubCore);

impl Default for Sub {
    fn default() -> Self {
        Sub(XSubCore::new(true))
    }
}

impl Pattern for Sub {
    fn defers_metadata(&self) -> bool {
        self.0.defers_metadata()
    }
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.0.attach(pipes, id)
    }
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.detach(pipes, id)
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.read_ready(pipes, id)
    }
    fn write_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.write_ready(pipes, id)
    }
    fn hiccup(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.0.hiccup(pipes, id)
    }
    fn send(&mut self, _pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        Err((Error::ENOTSUP, msg))
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.0.recv(pipes)
    }
    fn recv_into(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        self.0.recv_into(pipes, slot)
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.0.has_in(pipes)
    }
    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
    fn setsockopt(&mut self, pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        match opt {
            ZMQ_SUBSCRIBE => self.0.subscribe(pipes, 1, val),
            ZMQ_UNSUBSCRIBE => self.0.subscribe(pipes, 0, val),
            crate::socket::options::consts::ZMQ_INVERT_MATCHING => {
                return self.0.setsockopt(pipes, opt, val)
            }
            _ => return Err(Error::EINVAL),
        }
        Ok(())
    }
    fn getsockopt(&self, opt: i32, buf: &mut [u8]) -> Result<usize> {
        self.0.getsockopt(opt, buf)
    }
}

#[cfg(test)]
mod tests;
