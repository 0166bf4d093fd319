//! SERVER and PEER (zmq_socket(3), draft): single-part, numeric routing.
//! Compatible peers: SERVER talks to CLIENT, PEER to PEER.
//!
//! Every attached peer gets a 32-bit routing id, never 0, counting up
//! from a random start (skipping ids in use). A received message carries
//! its peer's id (zmq_msg_routing_id(3)); a sent message goes to the peer
//! its routing id names: EHOSTUNREACH for 0 or an unknown id, EAGAIN
//! while that peer's pipe is full (a blocking send waits for it), as
//! libzmq's server_t. PEER also connects by zmq_connect_peer(3), which
//! answers the id of the peer just attached (`last_peer_id`).

use super::single::{refuse_more, skip_multipart};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::pipe::WriteError;
use crate::socket::pipes::{FairQueue, PipeId, Pipes, RoutingIds};
use crate::socket::Pattern;
use std::collections::HashMap;

pub struct Server {
    fq: FairQueue,
    by_id: HashMap<u32, PipeId>,
    id_of: HashMap<PipeId, u32>,
    ids: RoutingIds,
    last: u32,
}

impl Server {
    pub fn new() -> Server {
        Server {
            fq: FairQueue::default(),
            by_id: HashMap::new(),
            id_of: HashMap::new(),
            ids: RoutingIds::new(),
            last: 0,
        }
    }
}

impl Pattern for Server {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        let by_id = &self.by_id;
        let rid = self.ids.generate_u32(|id| by_id.contains_key(&id));
        self.by_id.insert(rid, id);
        self.id_of.insert(id, rid);
        self.last = rid;
        self.fq.attach(pipes, id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        if let Some(rid) = self.id_of.remove(&id) {
            self.by_id.remove(&rid);
        }
        self.fq.detach(id);
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.fq.activate(pipes, id);
    }
    fn write_ready(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        let mut msg = refuse_more(msg)?;
        let Some(&id) = self.by_id.get(&msg.routing_id()) else {
            return Err((Error::EHOSTUNREACH, msg));
        };
        if !pipes.check_write(id) {
            return Err((Error::EAGAIN, msg));
        }
        // The id named the peer; the peer's side must not see it.
        let rid = msg.routing_id();
        msg.set_routing_id(0);
        match pipes.write(id, msg) {
            Ok(()) => Ok(()),
            Err(WriteError::Full(mut m)) => {
                m.set_routing_id(rid);
                Err((Error::EAGAIN, m))
            }
            // The peer went away meanwhile: the message is dropped.
            Err(WriteError::Closed(_)) => Ok(()),
        }
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        let fq = &mut self.fq;
        let (mut m, id) = skip_multipart(|| fq.recv(pipes))?;
        m.set_routing_id(self.id_of.get(&id).copied().unwrap_or(0));
        Ok(m)
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.fq.has_in(pipes)
    }
    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        true
    }
    fn last_peer_id(&self) -> u32 {
        self.last
    }
}
