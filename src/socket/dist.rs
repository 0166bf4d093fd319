//! The distributor: the outgoing strategy of PUB, XPUB and XSUB — one
//! message to many pipes (libzmq's dist, zmq_socket(3) "PUB ... messages
//! are distributed to all connected peers").
//!
//! Role: the pattern selects the *matching* pipes at the first frame of a
//! message (`match_pipe`, `match_all`, `reverse_match`), then every frame of
//! that message goes to exactly that set (`send_to_matching`); the set is
//! cleared after the last frame.
//!
//! Invariants:
//! - a pipe found at its high-water mark when the first frame is written is
//!   dropped from the current message (it gets none of its frames) and
//!   becomes *inactive*: it is not matched again until its `WriteReady`
//!   (`activated`), as libzmq deactivates a pipe until it drains to its low
//!   water mark. Frames after the first are always accepted by a pipe that
//!   took the first (the queue's HWM counts whole messages);
//! - a pipe attached in the middle of a multipart message is not part of
//!   that message (matching is decided at the first frame);
//! - the lossless mode (ZMQ_XPUB_NODROP) asks `check_hwm` before sending a
//!   first frame: false when any matching pipe is full, and that pipe will
//!   wake the socket when it drains;
//! - `match_pipe` is idempotent within one message (per-pipe generation
//!   marks), so a pipe subscribed to several matching topics gets one copy.

use crate::msg::Msg;
use crate::pipe::WriteStatus;
use crate::socket::pipes::{PipeId, Pipes};

#[derive(Clone, Copy, Default)]
struct Slot {
    attached: bool,
    active: bool,
    /// `gen` value of the message this pipe was last matched for.
    mark: u64,
}

/// Sends messages to sets of pipes (see the module header).
#[derive(Default)]
pub struct Distributor {
    slots: Vec<Slot>,
    attached: Vec<PipeId>,
    matching: Vec<PipeId>,
    gen: u64,
    /// In the middle of a multipart message.
    more: bool,
}

impl Distributor {
    pub fn new() -> Distributor {
        Distributor {
            gen: 1,
            ..Default::default()
        }
    }

    fn slot(&mut self, id: PipeId) -> &mut Slot {
        if self.slots.len() <= id {
            self.slots.resize(id + 1, Slot::default());
        }
        // Just grown to hold `id`.
        &mut self.slots[id]
    }

    /// A new pipe: active for the next message.
    pub fn attach(&mut self, id: PipeId) {
        let s = self.slot(id);
        if s.attached {
            return;
        }
        *s = Slot {
            attached: true,
            active: true,
            mark: 0,
        };
        self.attached.push(id);
    }

    /// The pipe is gone.
    pub fn detach(&mut self, id: PipeId) {
        if let Some(s) = self.slots.get_mut(id) {
            *s = Slot::default();
        }
        self.attached.retain(|p| *p != id);
        self.matching.retain(|p| *p != id);
    }

    /// True when `id` is attached.
    pub fn has_pipe(&self, id: PipeId) -> bool {
        self.slots.get(id).is_some_and(|s| s.attached)
    }

    /// The pipe drained below its low-water mark: it takes messages again.
    pub fn activated(&mut self, id: PipeId) {
        if let Some(s) = self.slots.get_mut(id) {
            if s.attached {
                s.active = true;
            }
        }
    }

    /// True while a multipart message is being sent.
    pub fn in_message(&self) -> bool {
        self.more
    }

    /// Adds `id` to the current message's recipients (active pipes only).
    pub fn match_pipe(&mut self, id: PipeId) {
        let gen = self.gen;
        if let Some(s) = self.slots.get_mut(id) {
            if s.attached && s.active && s.mark != gen {
                s.mark = gen;
                self.matching.push(id);
            }
        }
    }

    /// Every active pipe receives the current message.
    pub fn match_all(&mut self) {
        for i in 0..self.attached.len() {
            if let Some(&id) = self.attached.get(i) {
                self.match_pipe(id);
            }
        }
    }

    /// Inverts the selection among active pipes (ZMQ_INVERT_MATCHING).
    pub fn reverse_match(&mut self) {
        let old = self.gen;
        self.gen = self.gen.wrapping_add(1);
        self.matching.clear();
        for i in 0..self.attached.len() {
            let Some(&id) = self.attached.get(i) else {
                continue;
            };
            let gen = self.gen;
            if let Some(s) = self.slots.get_mut(id) {
                if s.active && s.mark != old {
                    s.mark = gen;
                    self.matching.push(id);
                }
            }
        }
    }

    /// Forgets the current selection.
    pub fn unmatch(&mut self) {
        self.matching.clear();
        self.gen = self.gen.wrapping_add(1);
    }

    /// Pipes selected for the current message.
    pub fn matching(&self) -> &[PipeId] {
        &self.matching
    }

    /// Lossless mode: true when every matching pipe can take a new message
    /// now (a closed pipe does not count). A full pipe will report
    /// `WriteReady` when it drains.
    pub fn check_hwm(&self, pipes: &mut Pipes) -> bool {
        self.matching.iter().all(|&id| {
            pipes.get(id).is_none_or(|s| s.end.outq.reader_closed()) || pipes.check_write(id)
        })
    }

    /// Sends one frame to every matching pipe. A pipe at its HWM misses the
    /// message (and becomes inactive); a closed pipe goes on the dead list.
    /// The selection is cleared after the last frame.
    pub fn send_to_matching(&mut self, pipes: &mut Pipes, mut msg: Msg) {
        let more = msg.more();
        let first = !self.more;
        // Taken out and put back: no allocation per message.
        let mut matching = std::mem::take(&mut self.matching);
        let n = matching.len();
        let mut kept = 0;
        for i in 0..n {
            let Some(&id) = matching.get(i) else {
                break;
            };
            // Each recipient that takes it gets a copy (shared, not
            // duplicated, for large bodies); the last one gets the
            // original, so a single subscriber costs no reference count.
            let status = if i + 1 == n {
                pipes.write_from(id, &mut msg)
            } else {
                pipes.write_clone(id, &msg)
            };
            let keep = match status {
                WriteStatus::Written => true,
                WriteStatus::Full => {
                    if let Some(s) = self.slots.get_mut(id) {
                        s.active = false;
                    }
                    // Only a first frame can meet the HWM (whole-message
                    // accounting); a later one keeps its pipe regardless.
                    !first
                }
                WriteStatus::Closed => false,
            };
            if keep {
                if let Some(slot) = matching.get_mut(kept) {
                    *slot = id;
                }
                kept += 1;
            }
        }
        matching.truncate(kept);
        self.matching = matching;
        if more {
            self.more = true;
        } else {
            self.more = false;
            self.unmatch();
        }
    }

    /// Selects every active pipe at a first frame, then sends (XSUB).
    pub fn send_to_all(&mut self, pipes: &mut Pipes, msg: Msg) {
        if !self.more {
            self.unmatch();
            self.match_all();
        }
        self.send_to_matching(pipes, msg);
    }

    /// Sends one single-frame message to one pipe outside any selection
    /// (welcome messages, subscriptions on attach); dropped at the HWM.
    pub fn send_to_pipe(pipes: &mut Pipes, id: PipeId, msg: Msg) -> bool {
        pipes.write(id, msg).is_ok()
    }
}

#[cfg(test)]
mod tests;
