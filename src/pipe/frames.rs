//! [`Frames`]: the FIFO of messages inside a pipe, kept in chunks.
//!
//! Why chunks: a queue whose reader falls behind holds many messages (an
//! unlimited HWM holds everything). One flat ring buffer grows by
//! doubling: every growth copies the whole backlog to fresh memory while
//! the pipe's lock is held, peaks at three times the backlog, and keeps
//! the largest capacity ever reached for the life of the pipe. In chunks,
//! memory follows the backlog, growing never moves a message, and a
//! drained chunk is reused rather than returned (libzmq's yqueue works the
//! same way).
//!
//! Invariants:
//! - `len` is the number of messages in all chunks; a drained queue keeps
//!   at most two chunks (`head` and `tail`, one of them empty) and one
//!   spare;
//! - a chunk is only pushed to while it has room, so its capacity never
//!   changes after creation;
//! - chunk capacities start small ([`CHUNK_MIN`]) and double up to
//!   [`CHUNK_MAX`], so the thousands of mostly idle pipes of a busy ROUTER
//!   cost little; only full-size chunks are kept as the spare.

use crate::msg::Msg;
use std::collections::VecDeque;

/// Messages in the first chunk of a queue (a flat ring buffer of
/// 64-byte messages starts with 4 too).
const CHUNK_MIN: usize = 4;
/// Messages in a full-size chunk (16 KiB of messages).
const CHUNK_MAX: usize = 256;

/// A FIFO of messages in chunks (see the module header).
///
/// Messages are read from `head`, then from the chunks of `more` in
/// order, then from `tail`; they are written to `tail`. The common cases,
/// a read with `head` non-empty and a write with room in `tail`, touch one
/// chunk each.
#[derive(Default)]
pub struct Frames {
    head: VecDeque<Msg>,
    tail: VecDeque<Msg>,
    len: usize,
    /// Only queues that once held more than two chunks have one: a pipe's
    /// ends live in every connection, and most stay small.
    more: Option<Box<Middle>>,
}

#[derive(Default)]
struct Middle {
    /// Full chunks between `head` and `tail`, oldest first.
    chunks: VecDeque<VecDeque<Msg>>,
    /// One drained full-size chunk, ready for the next growth.
    spare: Option<VecDeque<Msg>>,
}

impl Frames {
    /// Messages queued.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no message is queued.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `m`.
    #[inline]
    pub fn push_back(&mut self, m: Msg) {
        if self.tail.len() < self.tail.capacity() {
            self.tail.push_back(m);
            self.len += 1;
        } else {
            self.push_new_chunk(m);
        }
    }

    /// `tail` is full (or not allocated yet): it joins the chunks before
    /// it and a new one, twice its size up to [`CHUNK_MAX`], takes `m`.
    #[cold]
    fn push_new_chunk(&mut self, m: Msg) {
        let cap = (self.tail.capacity() * 2).clamp(CHUNK_MIN, CHUNK_MAX);
        let spare = match &mut self.more {
            Some(x) if cap >= CHUNK_MAX => x.spare.take(),
            _ => None,
        };
        let fresh = spare.unwrap_or_else(|| VecDeque::with_capacity(cap));
        let full = std::mem::replace(&mut self.tail, fresh);
        if !full.is_empty() {
            let no_middle = self.more.as_ref().is_none_or(|x| x.chunks.is_empty());
            if self.head.is_empty() && no_middle {
                let old = std::mem::replace(&mut self.head, full);
                self.retire(old);
            } else {
                self.more.get_or_insert_default().chunks.push_back(full);
            }
        } else {
            self.retire(full);
        }
        self.tail.push_back(m);
        self.len += 1;
    }

    /// A chunk that ran empty: kept as the spare when it is full-size and
    /// the place is free, freed otherwise.
    fn retire(&mut self, c: VecDeque<Msg>) {
        if c.capacity() >= CHUNK_MAX {
            let x = self.more.get_or_insert_default();
            if x.spare.is_none() {
                x.spare = Some(c);
            }
        }
    }

    /// Removes and returns the first message.
    #[inline]
    pub fn pop_front(&mut self) -> Option<Msg> {
        match self.head.pop_front() {
            Some(m) => {
                self.len -= 1;
                Some(m)
            }
            None => self.pop_next_chunk(),
        }
    }

    /// Moves the first message into `slot` (dropping its old content);
    /// false, with `slot` untouched, when the queue is empty.
    #[inline]
    pub fn pop_front_into(&mut self, slot: &mut Msg) -> bool {
        match self.pop_front() {
            Some(m) => {
                *slot = m;
                true
            }
            None => false,
        }
    }

    /// `head` is empty: the next chunk becomes `head` (with no chunk in
    /// between, `tail` does, and the empty `head` becomes `tail`).
    #[cold]
    fn pop_next_chunk(&mut self) -> Option<Msg> {
        match self.more.as_mut().and_then(|x| x.chunks.pop_front()) {
            Some(next) => {
                let old = std::mem::replace(&mut self.head, next);
                self.retire(old);
            }
            None => std::mem::swap(&mut self.head, &mut self.tail),
        }
        let m = self.head.pop_front()?;
        self.len -= 1;
        Some(m)
    }

    /// The message at `i` from the front.
    pub fn get(&self, mut i: usize) -> Option<&Msg> {
        let middle = self.more.iter().flat_map(|x| x.chunks.iter());
        let chunks = std::iter::once(&self.head)
            .chain(middle)
            .chain(std::iter::once(&self.tail));
        for c in chunks {
            if i < c.len() {
                return c.get(i);
            }
            i -= c.len();
        }
        None
    }

    /// Removes and returns the last message.
    fn pop_back(&mut self) -> Option<Msg> {
        loop {
            if let Some(m) = self.tail.pop_back() {
                self.len -= 1;
                return Some(m);
            }
            // `tail` is empty: the chunk before it becomes `tail`.
            let prev = match self.more.as_mut().and_then(|x| x.chunks.pop_back()) {
                Some(c) => c,
                None if !self.head.is_empty() => std::mem::take(&mut self.head),
                None => return None,
            };
            let old = std::mem::replace(&mut self.tail, prev);
            self.retire(old);
        }
    }

    /// Drops messages from the back until `n` are left.
    pub fn truncate(&mut self, n: usize) {
        while self.len > n {
            if self.pop_back().is_none() {
                break;
            }
        }
    }

    /// Moves the first `n` messages (or all, if fewer) to the back of `dst`.
    pub fn move_front_to(&mut self, n: usize, dst: &mut Frames) {
        for _ in 0..n {
            match self.pop_front() {
                Some(m) => dst.push_back(m),
                None => break,
            }
        }
    }

    /// Drops the first `n` messages (or all, if fewer); returns how many of
    /// them ended a message (had no MORE flag).
    pub fn drop_front(&mut self, n: usize) -> usize {
        let mut whole = 0;
        for _ in 0..n {
            match self.pop_front() {
                Some(m) => whole += usize::from(!m.more()),
                None => break,
            }
        }
        whole
    }

    /// Drops every message; `tail` and the spare stay for reuse.
    pub fn clear(&mut self) {
        self.head = VecDeque::new();
        if let Some(x) = &mut self.more {
            x.chunks.clear();
        }
        self.tail.clear();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests;
