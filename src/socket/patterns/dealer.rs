//! DEALER: load-balances outgoing, fair-queues incoming (zmq_socket(3)).
//! Compatible peers: ROUTER, REP, DEALER. ZMQ_PROBE_ROUTER sends an empty
//! message to every new peer.

use super::flag_opt;
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{FairQueue, LoadBalancer, PipeId, Pipes};
use crate::socket::Pattern;

const ZMQ_PROBE_ROUTER: i32 = 51;

#[derive(Default)]
pub struct Dealer {
    lb: LoadBalancer,
    fq: FairQueue,
    probe_router: bool,
}

impl Pattern for Dealer {
    fn defers_metadata(&self) -> bool {
        true
    }
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        // Sessions send the probe at the handshake; inproc has none.
        if self.probe_router && pipes.get(id).is_some_and(|s| s.info.inproc) {
            let _ = pipes.write(id, Msg::new());
        }
        self.lb.attach(pipes, id);
        self.fq.attach(pipes, id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.lb.detach(id);
        self.fq.detach(id);
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.fq.activate(pipes, id);
    }
    fn write_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.lb.activate(pipes, id);
    }
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        self.lb.send(pipes, msg).map(|_| ())
    }
    fn send_from(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        self.lb.send_from(pipes, slot).map(|_| ())
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
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.lb.has_out(pipes)
    }
    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        match opt {
            ZMQ_PROBE_ROUTER => {
                self.probe_router = flag_opt(val)?;
                Ok(())
            }
            _ => Err(Error::EINVAL),
        }
    }
}
