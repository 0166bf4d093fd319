//! REP: strict request/reply from the service side (zmq_socket(3)).
//! Compatible peers: REQ, DEALER.
//!
//! Receiving strips the envelope (every frame up to and including the
//! empty delimiter) and remembers it with the peer it came from; the reply
//! gets the same envelope and goes back to that peer only (dropped if the
//! peer is gone or full). Receiving twice or sending first fails with EFSM.
//!
//! libzmq builds REP on its ROUTER, so REP takes the ROUTER options too:
//! ZMQ_PROBE_ROUTER (an empty message to every new peer, as DEALER and
//! ROUTER), ZMQ_ROUTER_HANDOVER, ZMQ_ROUTER_MANDATORY (checked and
//! accepted: a reply goes only to the peer that just sent the request),
//! ZMQ_CONNECT_ROUTING_ID (in the option store) and ZMQ_ROUTER_RAW 0. As
//! on ROUTER, a peer announcing a routing id (ZMQ_ROUTING_ID) another peer
//! holds is refused, unless ZMQ_ROUTER_HANDOVER: then the old peer goes.
//! Differences left: a non-zero ZMQ_ROUTER_RAW is EINVAL here (libzmq's
//! REP takes it and then speaks raw bytes no REP peer understands; a
//! ROUTER takes it); an inproc peer connected before
//! the bind is not checked for a taken id when the binder's id arrives.

use super::{flag_opt, int_opt};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{FairQueue, PipeId, Pipes};
use crate::socket::Pattern;
use std::collections::HashMap;

const ZMQ_ROUTER_MANDATORY: i32 = 33;
const ZMQ_ROUTER_RAW: i32 = 41;
const ZMQ_PROBE_ROUTER: i32 = 51;
const ZMQ_ROUTER_HANDOVER: i32 = 56;

pub struct Rep {
    fq: FairQueue,
    sending_reply: bool,
    request_begins: bool,
    reply_begins: bool,
    envelope: Vec<Msg>,
    reply_pipe: Option<PipeId>,
    probe_router: bool,
    handover: bool,
    /// Peers known by a routing id they asked for.
    by_id: HashMap<Vec<u8>, PipeId>,
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
            probe_router: false,
            handover: false,
            by_id: HashMap::new(),
        }
    }
}

impl Pattern for Rep {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        match super::router::claim_routing_id(&mut self.by_id, pipes, id, self.handover) {
            Ok(Some(rid)) => {
                if let Some(s) = pipes.get_mut(id) {
                    s.routing_id = rid.clone();
                }
                self.by_id.insert(rid, id);
            }
            Ok(None) => {}
            Err(()) => return false,
        }
        // Sessions send the probe at the handshake; inproc has none.
        if self.probe_router && pipes.get(id).is_some_and(|s| s.info.inproc) {
            let _ = pipes.write(id, Msg::new());
        }
        self.fq.attach(pipes, id);
        true
    }
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        if let Some(s) = pipes.get(id) {
            if self.by_id.get(&s.routing_id) == Some(&id) {
                self.by_id.remove(&s.routing_id);
            }
        }
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

    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        match opt {
            ZMQ_PROBE_ROUTER => self.probe_router = flag_opt(val)?,
            ZMQ_ROUTER_HANDOVER => self.handover = flag_opt(val)?,
            // Checked only: see the module header.
            ZMQ_ROUTER_MANDATORY => {
                flag_opt(val)?;
            }
            ZMQ_ROUTER_RAW => router_raw(val)?,
            _ => return Err(Error::EINVAL),
        }
        Ok(())
    }
}

/// ZMQ_ROUTER_RAW (deprecated) on REP: 0 is the normal mode and
/// accepted; raw mode is refused (EINVAL), negative is EINVAL as in libzmq.
fn router_raw(val: &[u8]) -> Result<()> {
    match int_opt(val)? {
        0 => Ok(()),
        _ => Err(Error::EINVAL),
    }
}
