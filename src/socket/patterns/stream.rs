//! STREAM: raw TCP peers, addressed by routing id (zmq_socket(3)).
//! Compatible peers: any plain TCP endpoint (no ZMTP).
//!
//! Every message is two frames: the peer's routing id, then data. A peer
//! connecting or going away is announced by an empty data frame
//! (ZMQ_STREAM_NOTIFY, on by default); sending an empty data frame closes
//! that connection. Unknown routing ids fail with EHOSTUNREACH.
//!
//! A ROUTER with ZMQ_ROUTER_RAW (deprecated) becomes this pattern in its
//! ROUTER flavour ([`Stream::router_raw`]): the same raw connections and
//! notices, but ROUTER's rules for what cannot be routed (dropped, or
//! EHOSTUNREACH / EAGAIN under ZMQ_ROUTER_MANDATORY) and its options.

use super::int_opt;
use crate::error::{Error, Result};
use crate::msg::{Metadata, Msg};
use crate::socket::pipes::{FairQueue, PipeId, Pipes, RoutingIds};
use crate::socket::Pattern;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

const ZMQ_STREAM_NOTIFY: i32 = 73;
const ZMQ_ROUTER_MANDATORY: i32 = 33;
const ZMQ_ROUTER_RAW: i32 = 41;
const ZMQ_PROBE_ROUTER: i32 = 51;
const ZMQ_ROUTER_HANDOVER: i32 = 56;
const ZMQ_ROUTER_NOTIFY: i32 = 97;

pub struct Stream {
    fq: FairQueue,
    by_id: HashMap<Vec<u8>, PipeId>,
    ids: RoutingIds,
    notify: bool,
    /// Connect/disconnect notifications waiting to be received.
    pending: VecDeque<Msg>,
    prefetched: Option<Msg>,
    more_out: bool,
    current_out: Option<PipeId>,
    /// Peers the application closed with an empty frame.
    closing: HashSet<PipeId>,
    /// Pipes made at connect time (ZMQ_CONNECT_ROUTING_ID): their session
    /// announces each connection and disconnection with an empty message.
    session_notified: HashSet<PipeId>,
    /// The last routing id given to a peer: libzmq's STREAM also stores it
    /// as the socket's own ZMQ_ROUTING_ID, and programs read it there.
    last_rid: Vec<u8>,
    /// ROUTER flavour (ZMQ_ROUTER_RAW), with its ZMQ_ROUTER_MANDATORY.
    router: Option<bool>,
}

impl Stream {
    pub fn new() -> Stream {
        Stream {
            fq: FairQueue::default(),
            by_id: HashMap::new(),
            ids: RoutingIds::new(),
            notify: true,
            pending: VecDeque::new(),
            prefetched: None,
            more_out: false,
            current_out: None,
            closing: HashSet::new(),
            last_rid: Vec::new(),
            session_notified: HashSet::new(),
            router: None,
        }
    }

    /// A ROUTER in raw mode (ZMQ_ROUTER_RAW) with its ZMQ_ROUTER_MANDATORY.
    pub fn router_raw(mandatory: bool) -> Stream {
        Stream {
            router: Some(mandatory),
            ..Stream::new()
        }
    }

    /// Queues the notice of a connection or disconnection: its routing id,
    /// carrying the connection's properties (`meta`), then an empty frame.
    fn announce(&mut self, rid: &[u8], meta: Option<Arc<Metadata>>) {
        let mut idm = Msg::from_slice(rid);
        idm.set_metadata(meta);
        idm.set_more(true);
        self.pending.push_back(idm);
        self.pending.push_back(Msg::new());
    }
}

impl Pattern for Stream {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        let rid = match pipes
            .get(id)
            .and_then(|s| s.info.connect_routing_id.clone())
        {
            Some(r) if !self.by_id.contains_key(&r) => r,
            _ => {
                let by_id = &self.by_id;
                self.ids.generate(|r| by_id.contains_key(r))
            }
        };
        if let Some(s) = pipes.get_mut(id) {
            s.routing_id = rid.clone();
        }
        self.last_rid = rid.clone();
        let early = pipes.get(id).is_some_and(|s| {
            s.info.locally_initiated && s.info.connect_routing_id.is_some() && !s.info.inproc
        });
        if early {
            self.session_notified.insert(id);
        } else if self.notify {
            let meta = pipes.get(id).and_then(|s| s.end.inq.metadata());
            self.announce(&rid, meta);
        }
        self.by_id.insert(rid, id);
        self.fq.attach(pipes, id);
        true
    }

    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        let closed_by_us = self.closing.remove(&id) | self.session_notified.remove(&id);
        if let Some(slot) = pipes.get(id) {
            let rid = slot.routing_id.clone();
            if self.by_id.get(&rid) == Some(&id) {
                self.by_id.remove(&rid);
                // libzmq does not announce a close the application asked
                // for with an empty frame.
                if self.notify && !closed_by_us {
                    self.announce(&rid, slot.end.inq.metadata());
                }
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
                return Ok(());
            }
            match self.by_id.get(msg.data()).copied() {
                Some(id) => {
                    self.current_out = if pipes.check_write(id) {
                        Some(id)
                    } else if self.router == Some(true) {
                        return Err((Error::EAGAIN, msg));
                    } else {
                        None
                    };
                }
                // A ROUTER drops what it cannot route, unless mandatory.
                None if self.router == Some(false) => self.current_out = None,
                None => return Err((Error::EHOSTUNREACH, msg)),
            }
            self.more_out = true;
            return Ok(());
        }
        let mut msg = msg;
        msg.set_more(false);
        if let Some(id) = self.current_out.take() {
            if msg.is_empty() {
                self.closing.insert(id);
            }
            let _ = pipes.write(id, msg);
        }
        self.more_out = false;
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if let Some(m) = self.prefetched.take() {
            return Ok(m);
        }
        if let Some(m) = self.pending.pop_front() {
            return Ok(m);
        }
        let (mut m, id) = loop {
            let (m, id) = self.fq.recv(pipes)?;
            // A session's connect/disconnect notice, when notices are off.
            if m.is_empty() && !self.notify && self.session_notified.contains(&id) {
                continue;
            }
            break (m, id);
        };
        m.set_more(false);
        let rid = pipes
            .get(id)
            .map(|s| s.routing_id.clone())
            .unwrap_or_default();
        let mut idm = Msg::from_vec(rid);
        idm.set_metadata(m.metadata().cloned());
        idm.set_more(true);
        self.prefetched = Some(m);
        Ok(idm)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.prefetched.is_some() || !self.pending.is_empty() || self.fq.has_in(pipes)
    }

    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        // Under ROUTER_MANDATORY only while some peer has room (ROUTER).
        if self.router == Some(true) {
            return self.by_id.values().any(|&id| pipes.check_write(id));
        }
        true
    }

    /// Only the ROUTER flavour answers (ENOTSUP on STREAM, as libzmq).
    fn peer_state(&mut self, pipes: &mut Pipes, routing_id: &[u8]) -> Result<i32> {
        if self.router.is_none() {
            return Err(Error::ENOTSUP);
        }
        super::router::peer_state(&self.by_id, pipes, routing_id)
    }

    fn getsockopt(&self, opt: i32, buf: &mut [u8]) -> Result<usize> {
        const ZMQ_ROUTING_ID: i32 = 5;
        if opt != ZMQ_ROUTING_ID || self.last_rid.is_empty() || self.router.is_some() {
            return Err(Error::EINVAL);
        }
        let n = self.last_rid.len();
        if buf.len() < n {
            return Err(Error::EINVAL);
        }
        buf[..n].copy_from_slice(&self.last_rid);
        Ok(n)
    }

    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        if let Some(mandatory) = self.router.as_mut() {
            // The ROUTER's own options, checked as ROUTER checks them.
            let v = int_opt(val)?;
            return match opt {
                ZMQ_ROUTER_MANDATORY if v >= 0 => {
                    *mandatory = v != 0;
                    Ok(())
                }
                ZMQ_ROUTER_RAW | ZMQ_PROBE_ROUTER | ZMQ_ROUTER_HANDOVER if v >= 0 => Ok(()),
                ZMQ_ROUTER_NOTIFY if (0..=3).contains(&v) => Ok(()),
                _ => Err(Error::EINVAL),
            };
        }
        match opt {
            ZMQ_STREAM_NOTIFY => {
                let v = int_opt(val)?;
                if !(0..=1).contains(&v) {
                    return Err(Error::EINVAL);
                }
                self.notify = v != 0;
                Ok(())
            }
            _ => Err(Error::EINVAL),
        }
    }
}
