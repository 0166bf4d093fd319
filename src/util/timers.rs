//! A set of repeating timers driven by the caller (zmq_timers(3), a DRAFT
//! API of libzmq 4.3.5).
//!
//! The caller asks [`Timers::timeout`] how long to wait, waits (typically in
//! `zmq_poll`), then calls [`Timers::execute`] which fires every due timer
//! once and re-arms it `interval` ms after the execution time. Time is passed
//! in (milliseconds from any monotonic clock, see [`crate::util::clock`]), so
//! the logic is tested without sleeping.
//!
//! Semantics kept from libzmq's `timers.cpp`:
//! - ids start at 1 and increase; due timers fire in deadline order, ties in
//!   the order they were armed;
//! - `cancel` of an unknown or already cancelled id is `EINVAL`; a cancelled
//!   timer stays known (so `reset`/`set_interval` on it still succeed, and it
//!   stays cancelled) until the next `timeout` or `execute` drops it;
//! - `set_interval` re-arms at `now + interval`, `reset` at `now + interval`
//!   with the current interval; unknown ids are `EINVAL`;
//! - `timeout` is the ms until the earliest live deadline, 0 if overdue,
//!   -1 if no live timer.
//!
//! Where we differ, on purpose: `execute` fires only the timers that were
//! due when it started, each at most once. libzmq keeps iterating over
//! timers it re-inserts, so an interval of 0 loops forever there (checked
//! against Debian's libzmq). Handlers may add, cancel, reset timers while
//! `execute` runs; the C layer drives [`Timers::due`], [`Timers::fire`] and
//! [`Timers::rearm`] itself so that no lock is held while a handler runs.

use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap};

/// Queue position: deadline in ms, then arming order.
type Key = (u64, u64);

#[derive(Debug)]
struct Entry<H> {
    interval: u64,
    key: Key,
    handler: H,
    cancelled: bool,
}

/// Timers carrying a handler payload `H` (for C: function pointer and arg).
#[derive(Debug)]
pub struct Timers<H> {
    last_id: i32,
    seq: u64,
    queue: BTreeMap<Key, i32>,
    entries: HashMap<i32, Entry<H>>,
}

impl<H> Default for Timers<H> {
    fn default() -> Self {
        Timers {
            last_id: 0,
            seq: 0,
            queue: BTreeMap::new(),
            entries: HashMap::new(),
        }
    }
}

impl<H: Clone> Timers<H> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of known timers (live and cancelled-but-not-yet-dropped).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` when no timer is known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn next_id(&mut self) -> i32 {
        loop {
            self.last_id = if self.last_id == i32::MAX {
                1
            } else {
                self.last_id + 1
            };
            if !self.entries.contains_key(&self.last_id) {
                return self.last_id;
            }
        }
    }

    /// Moves timer `id` to `deadline` in the queue.
    fn schedule(&mut self, id: i32, deadline: u64) {
        self.seq += 1;
        let key = (deadline, self.seq);
        if let Some(entry) = self.entries.get_mut(&id) {
            self.queue.remove(&entry.key);
            entry.key = key;
            self.queue.insert(key, id);
        }
    }

    /// Arms a new timer firing every `interval` ms from `now`; returns its id.
    pub fn add(&mut self, now: u64, interval: u64, handler: H) -> i32 {
        let id = self.next_id();
        self.seq += 1;
        let key = (now.saturating_add(interval), self.seq);
        self.entries.insert(
            id,
            Entry {
                interval,
                key,
                handler,
                cancelled: false,
            },
        );
        self.queue.insert(key, id);
        id
    }

    /// Cancels timer `id`. `EINVAL` if unknown or already cancelled.
    pub fn cancel(&mut self, id: i32) -> Result<()> {
        match self.entries.get_mut(&id) {
            Some(entry) if !entry.cancelled => {
                entry.cancelled = true;
                Ok(())
            }
            _ => Err(Error::EINVAL),
        }
    }

    /// Changes the interval of timer `id` and re-arms it at `now + interval`.
    pub fn set_interval(&mut self, now: u64, id: i32, interval: u64) -> Result<()> {
        let entry = self.entries.get_mut(&id).ok_or(Error::EINVAL)?;
        entry.interval = interval;
        self.schedule(id, now.saturating_add(interval));
        Ok(())
    }

    /// Re-arms timer `id` at `now + interval`.
    pub fn reset(&mut self, now: u64, id: i32) -> Result<()> {
        let interval = self.entries.get(&id).ok_or(Error::EINVAL)?.interval;
        self.schedule(id, now.saturating_add(interval));
        Ok(())
    }

    /// Drops cancelled timers.
    fn purge(&mut self) {
        let dead: Vec<i32> = self
            .entries
            .iter()
            .filter(|(_, e)| e.cancelled)
            .map(|(&id, _)| id)
            .collect();
        for id in dead {
            if let Some(entry) = self.entries.remove(&id) {
                self.queue.remove(&entry.key);
            }
        }
    }

    /// Milliseconds from `now` until the next live timer is due (0 if one is
    /// overdue), or -1 if there is none. Drops cancelled timers.
    pub fn timeout(&mut self, now: u64) -> i64 {
        self.purge();
        match self.queue.keys().next() {
            Some(&(deadline, _)) => i64::try_from(deadline.saturating_sub(now)).unwrap_or(i64::MAX),
            None => -1,
        }
    }

    /// Ids of the live timers due at `now`, in firing order. Drops
    /// cancelled timers.
    pub fn due(&mut self, now: u64) -> Vec<i32> {
        self.purge();
        self.queue
            .iter()
            .take_while(|(&(deadline, _), _)| deadline <= now)
            .map(|(_, &id)| id)
            .collect()
    }

    /// The handler of timer `id` if it is still live (a handler that ran
    /// earlier in the same `execute` may have cancelled it).
    pub fn fire(&self, id: i32) -> Option<H> {
        self.entries
            .get(&id)
            .filter(|e| !e.cancelled)
            .map(|e| e.handler.clone())
    }

    /// Re-arms timer `id` at `now + interval` after it fired, if still live.
    pub fn rearm(&mut self, now: u64, id: i32) {
        if let Some(entry) = self.entries.get(&id).filter(|e| !e.cancelled) {
            let deadline = now.saturating_add(entry.interval);
            self.schedule(id, deadline);
        }
    }

    /// Fires every timer due at `now` through `run(id, handler)` and
    /// re-arms it. For Rust callers whose handlers do not touch `self`.
    pub fn execute(&mut self, now: u64, mut run: impl FnMut(i32, H)) {
        for id in self.due(now) {
            if let Some(handler) = self.fire(id) {
                run(id, handler);
                self.rearm(now, id);
            }
        }
    }
}

#[cfg(test)]
mod tests;
