//! DGRAM (zmq_socket(3), draft): only meaningful over udp, which this
//! library does not have (udp endpoints are EPROTONOSUPPORT). As in
//! libzmq 4.3.4, which does not refuse them either, binds and connects
//! on tcp, ipc and inproc succeed; but a DGRAM takes no peer over them
//! (every pipe is refused), so sending and receiving find nothing to do
//! (EAGAIN, or wait until the timeout).

use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;

#[derive(Default)]
pub struct Dgram;

impl Pattern for Dgram {
    fn attach(&mut self, _pipes: &mut Pipes, _id: PipeId) -> bool {
        false
    }
    fn detach(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn read_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn send(&mut self, _pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        Err((Error::EAGAIN, msg))
    }
    fn recv(&mut self, _pipes: &mut Pipes) -> Result<Msg> {
        Err(Error::EAGAIN)
    }
    fn has_in(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
}
