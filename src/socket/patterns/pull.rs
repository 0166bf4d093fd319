//! PULL: fair-queues messages from its PUSH peers; cannot send
//! (zmq_socket(3)).

use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{FairQueue, PipeId, Pipes};
use crate::socket::Pattern;

#[derive(Default)]
pub struct Pull {
    fq: FairQueue,
}

impl Pattern for Pull {
    fn defers_metadata(&self) -> bool {
        true
    }
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.fq.attach(pipes, id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.fq.detach(id);
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.fq.activate(pipes, id);
    }
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn send(&mut self, _pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        Err((Error::ENOTSUP, msg))
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        self.fq.recv(pipes).map(|(m, _)| m)
    }
    fn recv_into(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        self.fq.recv_into(pipes, slot).map(|_| ())
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.fq.has_in(pipes)
    }
    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
}
