//! CHANNEL (zmq_socket(3), draft): PAIR's single-part sibling. One peer
//! only (a second one is refused while one is attached); compatible peer:
//! CHANNEL. ZMQ_SNDMORE is EINVAL; multipart messages from the peer are
//! dropped.

use super::pair::Pair;
use super::single::{refuse_more, skip_multipart};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;

#[derive(Default)]
pub struct Channel {
    pair: Pair,
}

impl Pattern for Channel {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.pair.attach(pipes, id)
    }
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.pair.detach(pipes, id)
    }
    fn read_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        let msg = refuse_more(msg)?;
        self.pair.send(pipes, msg)
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        let pair = &mut self.pair;
        skip_multipart(|| pair.recv(pipes).map(|m| (m, ()))).map(|(m, _)| m)
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_in(pipes)
    }
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.pair.has_out(pipes)
    }
}
