//! DISH (zmq_socket(3), draft): receives the messages of the groups it
//! joined (zmq_join(3), zmq_leave(3)) from its RADIO peers, fair-queued;
//! compatible peer: RADIO. Cannot send (ENOTSUP).
//!
//! Joining a group longer than ZMQ_GROUP_MAX_LENGTH (255) or already
//! joined is EINVAL, leaving a group not joined is EINVAL (libzmq's
//! dish). Every join and leave goes to every radio (dropped for a radio
//! whose pipe is full); a radio attached later is sent all current joins. Incoming messages are two frames, the
//! group then the body (see `radio` for the wire); the body is delivered
//! with its group set (zmq_msg_group(3)) and only if the group is joined
//! (a radio may still send a group we just left). Malformed input — a
//! group frame without a body, a group too long, a multipart body — is
//! dropped.

use super::pull::Pull;
use super::radio::{JOIN, LEAVE};
use crate::error::{Error, Result};
use crate::msg::{Msg, GROUP_MAX_LENGTH};
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;
use std::collections::BTreeSet;

pub struct Dish {
    /// PULL's fair-queuing of the radios' frames.
    pull: Pull,
    joined: BTreeSet<Vec<u8>>,
    /// A message found by `has_in`, handed out by the next `recv`.
    prefetched: Option<Msg>,
}

fn command(prefix: &[u8], group: &[u8]) -> Msg {
    let mut body = Vec::with_capacity(prefix.len() + group.len());
    body.extend_from_slice(prefix);
    body.extend_from_slice(group);
    let mut m = Msg::from_vec(body);
    m.set_flags(Msg::COMMAND);
    m
}

/// Sends a join or leave to every radio (dropped where a pipe is full,
/// as libzmq's dish drops it at the HWM).
fn tell_all(pipes: &mut Pipes, prefix: &[u8], group: &[u8]) {
    for id in pipes.ids() {
        let _ = pipes.write(id, command(prefix, group));
    }
}

impl Dish {
    pub fn new() -> Dish {
        Dish {
            pull: Pull::default(),
            joined: BTreeSet::new(),
            prefetched: None,
        }
    }

    /// The next message of a joined group, dropping everything else.
    fn fetch(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        loop {
            let group = self.pull.recv(pipes)?;
            if !group.more() {
                // A body without its group frame.
                continue;
            }
            let mut body = self.pull.recv(pipes)?;
            let mut whole = true;
            let mut more = body.more();
            while more {
                whole = false;
                more = self.pull.recv(pipes)?.more();
            }
            if !whole || group.len() > GROUP_MAX_LENGTH || !self.joined.contains(group.data()) {
                continue;
            }
            if body.set_group(group.data()).is_err() {
                continue;
            }
            body.set_routing_id(0);
            return Ok(body);
        }
    }
}

impl Pattern for Dish {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        for g in &self.joined {
            let _ = pipes.write(id, command(JOIN, g));
        }
        self.pull.attach(pipes, id)
    }
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.pull.detach(pipes, id)
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.pull.read_ready(pipes, id)
    }
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn send(&mut self, _pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        Err((Error::ENOTSUP, msg))
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        match self.prefetched.take() {
            Some(m) => Ok(m),
            None => self.fetch(pipes),
        }
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.prefetched.is_none() && self.pull.has_in(pipes) {
            self.prefetched = self.fetch(pipes).ok();
        }
        self.prefetched.is_some()
    }
    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
    fn join(&mut self, pipes: &mut Pipes, group: &[u8]) -> Result<()> {
        if group.len() > GROUP_MAX_LENGTH || self.joined.contains(group) {
            return Err(Error::EINVAL);
        }
        self.joined.insert(group.to_vec());
        tell_all(pipes, JOIN, group);
        Ok(())
    }
    fn leave(&mut self, pipes: &mut Pipes, group: &[u8]) -> Result<()> {
        if group.len() > GROUP_MAX_LENGTH || !self.joined.remove(group) {
            return Err(Error::EINVAL);
        }
        tell_all(pipes, LEAVE, group);
        Ok(())
    }
}
