//! PAIR: one peer only; sends and receives (zmq_socket(3)).
//! Compatible peer: PAIR. A second peer is refused while one is attached.

use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::pipe::{ReadStatus, WriteStatus};
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;

#[derive(Default)]
pub struct Pair {
    pipe: Option<PipeId>,
}

impl Pair {
    /// A peer is attached.
    pub(super) fn has_peer(&self) -> bool {
        self.pipe.is_some()
    }
    /// `id` is the attached peer's pipe.
    pub(super) fn has_pipe(&self, id: PipeId) -> bool {
        self.pipe == Some(id)
    }
}

impl Pattern for Pair {
    fn defers_metadata(&self) -> bool {
        true
    }
    fn attach(&mut self, _pipes: &mut Pipes, id: PipeId) -> bool {
        if self.pipe.is_some() {
            return false;
        }
        self.pipe = Some(id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        if self.pipe == Some(id) {
            self.pipe = None;
        }
    }
    fn read_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        let mut slot = msg;
        self.send_from(pipes, &mut slot).map_err(|e| (e, slot))
    }
    fn send_from(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        let Some(id) = self.pipe else {
            return Err(Error::EAGAIN);
        };
        match pipes.write_from(id, slot) {
            WriteStatus::Written => Ok(()),
            WriteStatus::Full | WriteStatus::Closed => Err(Error::EAGAIN),
        }
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        let mut m = Msg::new();
        self.recv_into(pipes, &mut m)?;
        Ok(m)
    }
    fn recv_into(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        let Some(id) = self.pipe else {
            return Err(Error::EAGAIN);
        };
        match pipes.read_into(id, slot) {
            ReadStatus::Got => Ok(()),
            _ => Err(Error::EAGAIN),
        }
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.pipe.is_some_and(|id| pipes.check_read(id))
    }
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.pipe.is_some_and(|id| pipes.check_write(id))
    }
}
