//! DGRAM (zmq_socket(3), draft): only meaningful over udp, which this
//! library does not have. The socket can be created and configured, but
//! bind and connect fail (ENOCOMPATPROTO for every transport we know,
//! EPROTONOSUPPORT for udp), so it never has a peer: sending and
//! receiving find nothing to do (EAGAIN, or wait until the timeout).

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
