//! The socket's table of attached pipes and the shared routing strategies
//! every pattern is built from: fair-queue (incoming), load-balance
//! (outgoing), distribute (outgoing to all).
//!
//! A pipe that reports `Closed` while being read or written is put on the
//! `dead` list; the socket core detaches dead pipes from the pattern after
//! each operation, so strategies never have to call back into the pattern.

use crate::ctx::mailbox::PeerInfo;
use crate::error::{Error, Result};
use crate::msg::{Metadata, Msg};
use crate::pipe::{PipeEnd, Queue, ReadResult, ReadStatus, WriteError, WriteStatus};
use std::sync::Arc;

/// Routing ids for peers that did not name themselves (ROUTER, STREAM):
/// a zero byte then a 32-bit counter starting at a random value, as libzmq.
pub struct RoutingIds {
    next: u32,
}

impl RoutingIds {
    pub fn new() -> RoutingIds {
        let mut seed = [0u8; 4];
        let _ = getrandom::getrandom(&mut seed);
        RoutingIds {
            next: u32::from_ne_bytes(seed),
        }
    }

    /// The next non-zero 32-bit id that `taken` does not already use
    /// (SERVER, PEER: zmq_msg_routing_id(3)).
    pub fn generate_u32(&mut self, taken: impl Fn(u32) -> bool) -> u32 {
        loop {
            let id = self.next;
            self.next = self.next.wrapping_add(1);
            if id != 0 && !taken(id) {
                return id;
            }
        }
    }

    /// The next id that `taken` does not already use.
    pub fn generate(&mut self, taken: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        loop {
            let mut id = vec![0u8];
            id.extend_from_slice(&self.next.to_be_bytes());
            self.next = self.next.wrapping_add(1);
            if !taken(&id) {
                return id;
            }
        }
    }
}

impl Default for RoutingIds {
    fn default() -> Self {
        RoutingIds::new()
    }
}

/// Index of a pipe in the socket's table.
pub type PipeId = usize;

/// One attached pipe.
pub struct PipeSlot {
    pub end: PipeEnd,
    pub info: PeerInfo,
    /// The routing id the socket uses for this peer (ROUTER, REP, ...).
    pub routing_id: Vec<u8>,
    in_active: bool,
    out_active: bool,
}

/// The socket's pipes.
#[derive(Default)]
pub struct Pipes {
    slots: Vec<Option<PipeSlot>>,
    free: Vec<usize>,
    /// Pipes found closed, waiting to be detached by the core.
    pub dead: Vec<PipeId>,
    count: usize,
    /// The pipe the last frame was read from, while it is attached.
    last_read: Option<PipeId>,
    /// That pipe's connection properties, kept when it was removed.
    last_read_gone: Option<Arc<Metadata>>,
}

impl Pipes {
    /// The id the next [`Pipes::insert`] returns.
    pub fn next_id(&self) -> PipeId {
        self.free.last().copied().unwrap_or(self.slots.len())
    }

    pub fn insert(&mut self, end: PipeEnd, info: PeerInfo) -> PipeId {
        let slot = PipeSlot {
            end,
            info,
            routing_id: Vec::new(),
            in_active: false,
            out_active: false,
        };
        self.count += 1;
        if let Some(i) = self.free.pop() {
            self.slots[i] = Some(slot);
            i
        } else {
            self.slots.push(Some(slot));
            self.slots.len() - 1
        }
    }

    /// Removes a pipe and closes our ends of it.
    pub fn remove(&mut self, id: PipeId) -> Option<PipeSlot> {
        let mut s = self.slots.get_mut(id)?.take()?;
        if self.last_read == Some(id) {
            self.last_read = None;
            self.last_read_gone = s.end.inq.metadata();
        }
        s.end.close();
        self.free.push(id);
        self.count -= 1;
        Some(s)
    }

    pub fn get(&self, id: PipeId) -> Option<&PipeSlot> {
        self.slots.get(id).and_then(|s| s.as_ref())
    }

    pub fn get_mut(&mut self, id: PipeId) -> Option<&mut PipeSlot> {
        self.slots.get_mut(id).and_then(|s| s.as_mut())
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Ids of every attached pipe.
    pub fn ids(&self) -> Vec<PipeId> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|_| i))
            .collect()
    }

    /// Reads a frame from `id`; a closed pipe goes on the dead list.
    #[inline]
    pub fn read(&mut self, id: PipeId) -> ReadResult {
        let mut m = Msg::new();
        match self.read_into(id, &mut m) {
            ReadStatus::Got => ReadResult::Msg(m),
            ReadStatus::Empty => ReadResult::Empty,
            ReadStatus::Closed => ReadResult::Closed,
        }
    }

    /// Reads a frame from `id` into `slot` (its old content dropped; left
    /// as it was when nothing is read); a closed pipe goes on the dead
    /// list.
    #[inline]
    pub fn read_into(&mut self, id: PipeId, slot: &mut Msg) -> ReadStatus {
        let r = match self.get_mut(id) {
            Some(s) => s.end.inq.read_batched_into(slot),
            None => return ReadStatus::Closed,
        };
        match r {
            ReadStatus::Got => {
                if self.last_read != Some(id) {
                    self.last_read = Some(id);
                    self.last_read_gone = None;
                }
            }
            ReadStatus::Closed => self.dead.push(id),
            ReadStatus::Empty => {}
        }
        r
    }

    /// The connection properties of the pipe the last frame was read from
    /// (also after that pipe was removed).
    pub fn last_read_meta(&self) -> Option<&Arc<Metadata>> {
        match self.last_read {
            Some(id) => self.get(id).and_then(|s| s.end.inq.meta_ref()),
            None => self.last_read_gone.as_ref(),
        }
    }

    /// Writes a frame to `id`; a closed pipe goes on the dead list.
    pub fn write(&mut self, id: PipeId, msg: Msg) -> std::result::Result<(), WriteError> {
        let mut slot = msg;
        self.write_from(id, &mut slot).into_result(slot)
    }

    /// Moves the frame out of `slot` into `id` when it fits (see
    /// [`crate::pipe::Queue::write_from`]); a closed pipe goes on the dead
    /// list.
    #[inline]
    pub fn write_from(&mut self, id: PipeId, slot: &mut Msg) -> WriteStatus {
        self.write_to(id, |q| q.write_from(slot))
    }

    /// Writes a copy of `msg` to `id` when it fits (see
    /// [`crate::pipe::Queue::write_clone`]); a closed pipe goes on the dead
    /// list.
    pub fn write_clone(&mut self, id: PipeId, msg: &Msg) -> WriteStatus {
        self.write_to(id, |q| q.write_clone(msg))
    }

    /// Runs `write` on the queue to `id`; a closed pipe goes on the dead
    /// list.
    #[inline]
    fn write_to(&mut self, id: PipeId, write: impl FnOnce(&Queue) -> WriteStatus) -> WriteStatus {
        let r = match self.get(id) {
            Some(s) => write(&s.end.outq),
            None => return WriteStatus::Closed,
        };
        if r == WriteStatus::Closed {
            self.dead.push(id);
        }
        r
    }

    pub fn check_read(&mut self, id: PipeId) -> bool {
        self.get_mut(id).is_some_and(|s| s.end.inq.check_read())
    }

    pub fn check_write(&mut self, id: PipeId) -> bool {
        let ok = self.get(id).is_some_and(|s| s.end.outq.check_write());
        if !ok && self.get(id).is_some_and(|s| s.end.outq.reader_closed()) {
            self.dead.push(id);
        }
        ok
    }
}

/// Fair-queuing over the pipes that have something to read.
#[derive(Default)]
pub struct FairQueue {
    active: Vec<PipeId>,
    current: usize,
    more: bool,
}

impl FairQueue {
    /// A new pipe may have data: consider it.
    pub fn attach(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.activate(pipes, id);
    }

    /// The pipe became readable.
    pub fn activate(&mut self, pipes: &mut Pipes, id: PipeId) {
        if let Some(s) = pipes.get_mut(id) {
            if !s.in_active {
                s.in_active = true;
                self.active.push(id);
            }
        }
    }

    /// The pipe is gone.
    pub fn detach(&mut self, id: PipeId) {
        if let Some(pos) = self.active.iter().position(|p| *p == id) {
            self.active.remove(pos);
            if pos < self.current {
                self.current -= 1;
            } else if pos == self.current {
                self.more = false;
            }
        }
    }

    fn deactivate(&mut self, pipes: &mut Pipes, idx: usize) {
        let id = self.active.swap_remove(idx);
        if let Some(s) = pipes.get_mut(id) {
            s.in_active = false;
        }
        if self.current >= self.active.len() {
            self.current = 0;
        }
    }

    /// Receives a frame and says which pipe it came from.
    #[inline]
    pub fn recv(&mut self, pipes: &mut Pipes) -> Result<(Msg, PipeId)> {
        let mut m = Msg::new();
        let id = self.recv_into(pipes, &mut m)?;
        Ok((m, id))
    }

    /// Receives a frame into `slot` (its old content dropped; left as it
    /// was on error) and says which pipe it came from.
    #[inline]
    pub fn recv_into(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<PipeId> {
        while !self.active.is_empty() {
            if self.current >= self.active.len() {
                self.current = 0;
            }
            let id = self.active[self.current];
            match pipes.read_into(id, slot) {
                ReadStatus::Got => {
                    self.more = slot.more();
                    if !self.more {
                        self.current += 1;
                    }
                    return Ok(id);
                }
                ReadStatus::Empty | ReadStatus::Closed => {
                    self.more = false;
                    self.deactivate(pipes, self.current);
                }
            }
        }
        Err(Error::EAGAIN)
    }

    /// True when a message can be received now.
    pub fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        if self.more {
            return true;
        }
        while !self.active.is_empty() {
            if self.current >= self.active.len() {
                self.current = 0;
            }
            let id = self.active[self.current];
            if pipes.check_read(id) {
                return true;
            }
            if pipes
                .get(id)
                .is_some_and(|s| s.end.inq.is_drained_and_closed())
            {
                pipes.dead.push(id);
            }
            self.deactivate(pipes, self.current);
        }
        false
    }
}

/// Load-balancing over the pipes that can take a message.
#[derive(Default)]
pub struct LoadBalancer {
    active: Vec<PipeId>,
    current: usize,
    /// Mid-message: the pipe the rest goes to (None: drop the rest).
    sending: Option<Option<PipeId>>,
}

impl LoadBalancer {
    pub fn attach(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.activate(pipes, id);
    }

    /// The pipe can take messages again.
    pub fn activate(&mut self, pipes: &mut Pipes, id: PipeId) {
        if let Some(s) = pipes.get_mut(id) {
            if !s.out_active {
                s.out_active = true;
                self.active.push(id);
            }
        }
    }

    pub fn detach(&mut self, id: PipeId) {
        if let Some(pos) = self.active.iter().position(|p| *p == id) {
            self.active.remove(pos);
            if pos < self.current {
                self.current -= 1;
            }
        }
        if self.sending == Some(Some(id)) {
            self.sending = Some(None);
        }
    }

    fn deactivate(&mut self, pipes: &mut Pipes, idx: usize) {
        let id = self.active.swap_remove(idx);
        if let Some(s) = pipes.get_mut(id) {
            s.out_active = false;
        }
        if self.current >= self.active.len() {
            self.current = 0;
        }
    }

    /// Sends a frame to the next pipe that takes it; EAGAIN hands the
    /// message back. Returns the pipe used (None when dropped).
    pub fn send(
        &mut self,
        pipes: &mut Pipes,
        msg: Msg,
    ) -> std::result::Result<Option<PipeId>, (Error, Msg)> {
        let mut slot = msg;
        self.send_from(pipes, &mut slot).map_err(|e| (e, slot))
    }

    /// [`LoadBalancer::send`] from the caller's message: on success the
    /// frame is moved out of `slot` (left empty; a frame of a message
    /// whose pipe went away is dropped), on error `slot` keeps it.
    #[inline]
    pub fn send_from(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<Option<PipeId>> {
        let more = slot.more();
        if let Some(target) = self.sending {
            if !more {
                self.sending = None;
                // The whole message went out: next message, next pipe.
                if target.is_some() && target == self.active.get(self.current).copied() {
                    self.current += 1;
                }
            }
            let written = match target {
                Some(id) => pipes.write_from(id, slot) == WriteStatus::Written,
                None => false,
            };
            if !written {
                *slot = Msg::new();
                if more && target.is_some() {
                    self.sending = Some(None);
                }
            }
            return Ok(target);
        }
        while !self.active.is_empty() {
            if self.current >= self.active.len() {
                self.current = 0;
            }
            let id = self.active[self.current];
            match pipes.write_from(id, slot) {
                WriteStatus::Written => {
                    if more {
                        self.sending = Some(Some(id));
                    } else {
                        self.current += 1;
                    }
                    return Ok(Some(id));
                }
                WriteStatus::Full | WriteStatus::Closed => self.deactivate(pipes, self.current),
            }
        }
        Err(Error::EAGAIN)
    }

    /// True when a message can be sent now.
    pub fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        if self.sending.is_some() {
            return true;
        }
        while !self.active.is_empty() {
            if self.current >= self.active.len() {
                self.current = 0;
            }
            let id = self.active[self.current];
            if pipes.check_write(id) {
                return true;
            }
            self.deactivate(pipes, self.current);
        }
        false
    }
}
