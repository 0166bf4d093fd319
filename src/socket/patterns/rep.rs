//! REP: strict request/reply from the service side (zmq_socket(3)).
//! Compatible peers: REQ, DEALER.
//!
//! Receiving strips the envelope (every frame up to and including the
//! empty delimiter) and remembers it with the peer it came from; the reply
//! gets the same envelope and goes back to that peer only (dropped if the
//! peer is gone or full). Receiving twice or sending first fails with EFSM.

use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{FairQueue, PipeId, Pipes};
use crate::socket::Pattern;

pub struct Rep {
    fq: FairQueue,
    sending_reply: bool,
    request_begins: bool,
    reply_begins: bool,
    envelope: Vec<Msg>,
    reply_pipe: Option<PipeId>,
}

impl Default for Rep {
    fn default() -> Self {
        Rep {
            fq: FairQueue::default(),
            sending_reply: false,
            request_begins: true,
            reply_begins: true,
            envelope: Vec::new(),
            reply_pipe: None,
        }
    }
}

impl Pattern for Rep {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.fq.attach(pipes, id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.fq.detach(id);
        if self.reply_pipe == Some(id) {
            self.reply_pipe = None;
        }
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.fq.activate(pipes, id);
    }
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if !self.sending_reply {
            return Err((Error::EFSM, msg));
        }
        if self.reply_begins {
            self.reply_begins = false;
            let env = std::mem::take(&mut self.envelope);
            if let Some(id) = self.reply_pipe {
                if pipes.check_write(id) {
                    for f in env {
                        if pipes.write(id, f).is_err() {
                            self.reply_pipe = None;
                            break;
                        }
                    }
                } else {
                    self.reply_pipe = None;
                }
            }
        }
        let more = msg.more();
        if let Some(id) = self.reply_pipe {
            if pipes.write(id, msg).is_err() {
                self.reply_pipe = None;
            }
        }
        if !more {
            self.sending_reply = false;
            self.reply_begins = true;
            self.reply_pipe = None;
        }
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if self.sending_reply {
            return Err(Error::EFSM);
        }
        while self.request_begins {
            let (first, id) = self.fq.recv(pipes)?;
            let mut env = Vec::new();
            let mut m = first;
            // Collect the envelope up to the empty delimiter.
            let ok = loop {
                if !m.more() {
                    break false;
                }
                let empty = m.is_empty();
                env.push(m);
                if empty {
                    break true;
                }
                m = match self.fq.recv(pipes) {
                    Ok((m, _)) => m,
                    Err(_) => break false,
                };
            };
            if ok {
                self.envelope = env;
                self.reply_pipe = Some(id);
                self.request_begins = false;
            }
        }
        let (m, _) = self.fq.recv(pipes)?;
        if !m.more() {
            self.sending_reply = true;
            self.request_begins = true;
        }
        Ok(m)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        !self.sending_reply && self.fq.has_in(pipes)
    }
    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        self.sending_reply
    }
}
