//! ROUTER: routes outgoing messages by the first frame (the peer's routing
//! id) and prefixes incoming messages with it (zmq_socket(3)).
//! Compatible peers: DEALER, REQ, ROUTER.
//!
//! Routing ids: ZMQ_CONNECT_ROUTING_ID for our connects, else the id the
//! peer announced (ZMQ_ROUTING_ID), else a generated 5-byte id (0 then a
//! 32-bit counter), as libzmq. A peer announcing an id already in use is
//! refused unless ZMQ_ROUTER_HANDOVER, which moves the id to the new peer.
//! Unroutable messages are dropped, or fail with EHOSTUNREACH under
//! ZMQ_ROUTER_MANDATORY (EAGAIN when that peer is at its HWM). ZMQ_POLLOUT
//! is always set, except under ZMQ_ROUTER_MANDATORY: then only while some
//! peer is below its HWM. ZMQ_ROUTER_RAW (deprecated) turns the socket
//! into a raw one: the socket core then hands it to STREAM's pattern in
//! its ROUTER flavour (see `stream::Stream::router_raw`).

use super::{flag_opt, int_opt};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{FairQueue, PipeId, Pipes, RoutingIds};
use crate::socket::Pattern;
use std::collections::HashMap;

const ZMQ_ROUTER_MANDATORY: i32 = 33;
const ZMQ_ROUTER_RAW: i32 = 41;
const ZMQ_PROBE_ROUTER: i32 = 51;
const ZMQ_ROUTER_HANDOVER: i32 = 56;
/// Draft: ZMQ_NOTIFY_CONNECT | ZMQ_NOTIFY_DISCONNECT (1 | 2); checked
/// here, recorded by the socket core for its sessions.
const ZMQ_ROUTER_NOTIFY: i32 = 97;

pub struct Router {
    fq: FairQueue,
    by_id: HashMap<Vec<u8>, PipeId>,
    ids: RoutingIds,
    mandatory: bool,
    handover: bool,
    probe: bool,
    /// ZMQ_ROUTER_RAW was set (non-zero): the socket core takes the raw
    /// successor once.
    raw: bool,
    prefetched: Option<Msg>,
    more_in: bool,
    more_out: bool,
    current_out: Option<PipeId>,
}

impl Router {
    pub fn new() -> Router {
        Router {
            fq: FairQueue::default(),
            by_id: HashMap::new(),
            ids: RoutingIds::new(),
            mandatory: false,
            handover: false,
            probe: false,
            raw: false,
            prefetched: None,
            more_in: false,
            more_out: false,
            current_out: None,
        }
    }

    fn generate_id(&mut self) -> Vec<u8> {
        let by_id = &self.by_id;
        self.ids.generate(|id| by_id.contains_key(id))
    }
}

/// zmq_socket_get_peer_state(3) of a ROUTER (or a raw one): ZMQ_POLLOUT
/// when the peer of `routing_id` can take a message now, EHOSTUNREACH for
/// an unknown id.
pub(super) fn peer_state(
    by_id: &HashMap<Vec<u8>, PipeId>,
    pipes: &mut Pipes,
    routing_id: &[u8],
) -> Result<i32> {
    let id = by_id.get(routing_id).copied().ok_or(Error::EHOSTUNREACH)?;
    Ok(if pipes.check_write(id) {
        i32::from(crate::socket::ZMQ_POLLOUT)
    } else {
        0
    })
}

/// The routing id a new pipe asks for (ZMQ_CONNECT_ROUTING_ID of our
/// connect, else the id the peer announced), checked against the ids in
/// use: `Ok(None)` when it asks for none, `Err(())` when the id is taken
/// and `handover` is off (the pipe is to be refused); with `handover` the
/// old holder loses the id (removed from `by_id`) and goes away. Shared by
/// ROUTER and REP (libzmq's REP is a ROUTER underneath).
pub(super) fn claim_routing_id(
    by_id: &mut HashMap<Vec<u8>, PipeId>,
    pipes: &mut Pipes,
    id: PipeId,
    handover: bool,
) -> std::result::Result<Option<Vec<u8>>, ()> {
    let Some(slot) = pipes.get(id) else {
        return Err(());
    };
    let wanted = slot
        .info
        .connect_routing_id
        .clone()
        .or_else(|| slot.info.routing_id.clone().filter(|r| !r.is_empty()));
    if let Some(r) = &wanted {
        if let Some(&old) = by_id.get(r) {
            if !handover {
                return Err(());
            }
            by_id.remove(r);
            pipes.dead.push(old);
        }
    }
    Ok(wanted)
}

impl Pattern for Router {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        let rid = match claim_routing_id(&mut self.by_id, pipes, id, self.handover) {
            Ok(Some(r)) => r,
            Ok(None) => self.generate_id(),
            Err(()) => return false,
        };
        if let Some(s) = pipes.get_mut(id) {
            s.routing_id = rid.clone();
        }
        self.by_id.insert(rid, id);
        // Sessions send the probe at the handshake; inproc has none.
        if self.probe && pipes.get(id).is_some_and(|s| s.info.inproc) {
            let _ = pipes.write(id, Msg::new());
        }
        self.fq.attach(pipes, id);
        true
    }

    /// An inproc connect made before the bind learnt the binder's routing
    /// id: the peer is known by it from now on, as libzmq names such a
    /// peer only once the binder's id arrives. A generated id stays when
    /// the user chose one (ZMQ_CONNECT_ROUTING_ID), when the binder has
    /// none, or when it is taken (without ZMQ_ROUTER_HANDOVER).
    fn peer_identified(&mut self, pipes: &mut Pipes, id: PipeId) {
        let Some(slot) = pipes.get(id) else {
            return;
        };
        if slot.info.connect_routing_id.is_some() {
            return;
        }
        let Some(rid) = slot.info.routing_id.clone().filter(|r| !r.is_empty()) else {
            return;
        };
        let old_rid = slot.routing_id.clone();
        if old_rid == rid {
            return;
        }
        if let Some(&other) = self.by_id.get(&rid) {
            if !self.handover {
                return;
            }
            self.by_id.remove(&rid);
            pipes.dead.push(other);
        }
        if self.by_id.get(&old_rid) == Some(&id) {
            self.by_id.remove(&old_rid);
        }
        if let Some(s) = pipes.get_mut(id) {
            s.routing_id = rid.clone();
        }
        self.by_id.insert(rid, id);
    }

    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        if let Some(s) = pipes.get(id) {
            if self.by_id.get(&s.routing_id) == Some(&id) {
                self.by_id.remove(&s.routing_id);
            }
        }
        self.fq.detach(id);
        if self.current_out == Some(id) {
            self.current_out = None;
        }
    }

    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.fq.activate(pipes, id);
    }

    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if !self.more_out {
            if !msg.more() {
                // A lone routing-id frame: nothing to route.
                return Ok(());
            }
            self.current_out = None;
            match self.by_id.get(msg.data()).copied() {
                Some(id) => {
                    if pipes.check_write(id) {
                        self.current_out = Some(id);
                    } else if self.mandatory {
                        // At its HWM: EAGAIN; going away: EHOSTUNREACH.
                        let closing = pipes.get(id).is_none_or(|s| s.end.outq.reader_closed());
                        let e = if closing {
                            Error::EHOSTUNREACH
                        } else {
                            Error::EAGAIN
                        };
                        return Err((e, msg));
                    }
                }
                None => {
                    if self.mandatory {
                        return Err((Error::EHOSTUNREACH, msg));
                    }
                }
            }
            self.more_out = true;
            return Ok(());
        }
        let more = msg.more();
        if let Some(id) = self.current_out {
            if pipes.write(id, msg).is_err() {
                self.current_out = None;
            }
        }
        if !more {
            self.more_out = false;
            self.current_out = None;
        }
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if let Some(m) = self.prefetched.take() {
            self.more_in = m.more();
            return Ok(m);
        }
        let (m, id) = self.fq.recv(pipes)?;
        if self.more_in {
            self.more_in = m.more();
            return Ok(m);
        }
        let rid = pipes
            .get(id)
            .map(|s| s.routing_id.clone())
            .unwrap_or_default();
        // The routing-id frame carries the peer's properties too
        // (zmq_msg_gets on it answers Socket-Type, Peer-Address, ...).
        let mut idm = Msg::from_vec(rid);
        idm.set_metadata(m.metadata().cloned());
        idm.set_more(true);
        self.prefetched = Some(m);
        self.more_in = true;
        Ok(idm)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.prefetched.is_some() || self.more_in || self.fq.has_in(pipes)
    }

    /// Always writable (a message to a peer that cannot take it is
    /// dropped), except under ROUTER_MANDATORY: then only while some peer
    /// is below its HWM, as libzmq.
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        if !self.mandatory {
            return true;
        }
        self.by_id.values().any(|&id| pipes.check_write(id))
    }

    fn peer_state(&mut self, pipes: &mut Pipes, routing_id: &[u8]) -> Result<i32> {
        peer_state(&self.by_id, pipes, routing_id)
    }

    fn raw_successor(&mut self) -> Option<Box<dyn Pattern>> {
        if !std::mem::take(&mut self.raw) {
            return None;
        }
        Some(Box::new(super::stream::Stream::router_raw(self.mandatory)))
    }

    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        let flag = flag_opt;
        match opt {
            ZMQ_ROUTER_MANDATORY => self.mandatory = flag(val)?,
            ZMQ_ROUTER_HANDOVER => self.handover = flag(val)?,
            ZMQ_PROBE_ROUTER => self.probe = flag(val)?,
            ZMQ_ROUTER_RAW => self.raw = flag(val)?,
            ZMQ_ROUTER_NOTIFY => {
                if !(0..=3).contains(&int_opt(val)?) {
                    return Err(Error::EINVAL);
                }
            }
            _ => return Err(Error::EINVAL),
        }
        Ok(())
    }
}
