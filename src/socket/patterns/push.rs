//! PUSH: load-balances messages to its PULL peers; cannot receive
//! (zmq_socket(3)). Blocks (or EAGAIN) when no peer can take a message.

use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{LoadBalancer, PipeId, Pipes};
use crate::socket::Pattern;

#[derive(Default)]
pub struct Push {
    lb: LoadBalancer,
}

impl Pattern for Push {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.lb.attach(pipes, id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.lb.detach(id);
    }
    fn read_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn write_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.lb.activate(pipes, id);
    }
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.lb.send(pipes, msg).map(|_| ())
    }
    fn send_from(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        self.lb.send_from(pipes, slot).map(|_| ())
    }
    fn recv(&mut self, _pipes: &mut Pipes) -> Result<Msg> {
        Err(Error::ENOTSUP)
    }
    fn has_in(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.lb.has_out(pipes)
    }
}
