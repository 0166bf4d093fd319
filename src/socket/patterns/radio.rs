//! RADIO (zmq_socket(3), draft): sends each message only to the DISH
//! peers that joined the message's group (zmq_msg_set_group(3));
//! compatible peer: DISH. Cannot receive (ENOTSUP); single-part
//! (ZMQ_SNDMORE is EINVAL). A dish at its HWM misses the message, unless
//! ZMQ_XPUB_NODROP is set: then the send waits (or EAGAIN) until every
//! joined dish can take it, as libzmq's radio.
//!
//! The wire, the same on tcp, ipc and inproc (libzmq 4.3's radio and
//! dish sessions speak it over ZMTP): a dish sends `JOIN` and `LEAVE`
//! ZMTP commands whose body is the group name (command frames
//! `\x04JOIN<group>` and `\x05LEAVE<group>`); a radio sends each message
//! as two frames, the group name (with MORE) then the body. A udp
//! endpoint (zmq_udp(7)) hears no joins: as in libzmq, it gets every
//! message, whatever its group, and the dishes filter.

use super::flag_opt;
use super::single::refuse_more;
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::pipe::ReadResult;
use crate::socket::dist::Distributor;
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;
use std::collections::HashMap;

/// Command-frame prefix of a join (name length, then name).
pub(super) const JOIN: &[u8] = b"\x04JOIN";
/// Command-frame prefix of a leave.
pub(super) const LEAVE: &[u8] = b"\x05LEAVE";

const ZMQ_XPUB_NODROP: i32 = 69;

pub struct Radio {
    dist: Distributor,
    /// Group name -> the pipes that joined it.
    groups: HashMap<Vec<u8>, Vec<PipeId>>,
    /// udp endpoints' pipes: every group goes to them.
    udp: Vec<PipeId>,
    nodrop: bool,
}

impl Radio {
    pub fn new() -> Radio {
        Radio {
            dist: Distributor::new(),
            groups: HashMap::new(),
            udp: Vec::new(),
            nodrop: false,
        }
    }

    /// Applies every join and leave the dish behind `id` has sent; other
    /// frames from a dish mean nothing to a radio and are dropped.
    fn read_joins(&mut self, pipes: &mut Pipes, id: PipeId) {
        while let ReadResult::Msg(m) = pipes.read(id) {
            if !m.is_command() {
                continue;
            }
            if let Some(g) = m.data().strip_prefix(JOIN) {
                let members = self.groups.entry(g.to_vec()).or_default();
                if !members.contains(&id) {
                    members.push(id);
                }
            } else if let Some(g) = m.data().strip_prefix(LEAVE) {
                if let Some(members) = self.groups.get_mut(g) {
                    members.retain(|p| *p != id);
                    if members.is_empty() {
                        self.groups.remove(g);
                    }
                }
            }
        }
    }
}

impl Pattern for Radio {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.dist.attach(id);
        if pipes.get(id).is_some_and(|s| s.info.udp) {
            self.udp.push(id);
        }
        self.read_joins(pipes, id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.groups.retain(|_, members| {
            members.retain(|p| *p != id);
            !members.is_empty()
        });
        self.udp.retain(|p| *p != id);
        self.dist.detach(id);
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.read_joins(pipes, id);
    }
    fn write_ready(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.dist.activated(id);
    }
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        let mut msg = refuse_more(msg)?;
        self.dist.unmatch();
        if let Some(members) = self.groups.get(msg.group()) {
            for &id in members {
                self.dist.match_pipe(id);
            }
        }
        for &id in &self.udp {
            self.dist.match_pipe(id);
        }
        if self.nodrop && !self.dist.check_hwm(pipes) {
            self.dist.unmatch();
            return Err((Error::EAGAIN, msg));
        }
        if self.dist.matching().is_empty() {
            return Ok(());
        }
        let mut head = Msg::from_slice(msg.group());
        head.set_more(true);
        msg.set_routing_id(0);
        self.dist.send_to_matching(pipes, head);
        self.dist.send_to_matching(pipes, msg);
        Ok(())
    }
    fn recv(&mut self, _pipes: &mut Pipes) -> Result<Msg> {
        Err(Error::ENOTSUP)
    }
    fn has_in(&mut self, _pipes: &mut Pipes) -> bool {
        false
    }
    fn has_out(&mut self, _pipes: &mut Pipes) -> bool {
        true
    }
    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        match opt {
            ZMQ_XPUB_NODROP => {
                self.nodrop = flag_opt(val)?;
                Ok(())
            }
            _ => Err(Error::EINVAL),
        }
    }
}
