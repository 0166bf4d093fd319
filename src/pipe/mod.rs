//! Bounded message pipes between a socket and its peers (sessions or, for
//! inproc, another socket).
//!
//! A [`Queue`] carries frames one way. A pipe is two queues, one per
//! direction. Invariants:
//! - Only whole messages become visible to the reader: frames of a multipart
//!   message are staged until the last frame (no `MORE`) is written, so a
//!   writer that dies mid-message leaves nothing half-delivered (its partial
//!   frames are rolled back).
//! - The high-water mark counts whole messages, as libzmq does
//!   (zmq_setsockopt(3), ZMQ_SNDHWM/ZMQ_RCVHWM); 0 means no limit. Once the
//!   first frame of a message is accepted, the rest of it always is.
//! - Wake-ups are edge-triggered and only sent to a side that asked for
//!   one: the reader sets `reader_waiting` when it finds the queue empty,
//!   the writer sets `writer_waiting` when it finds it full. The notified
//!   side gets a [`PipeEvent`] through its [`Notify`] target (a socket
//!   mailbox or an I/O thread), never a direct call into its state.
//! - Conflate (ZMQ_CONFLATE) keeps only the newest whole message.
//!
//! The lock is per queue and held only for the push or pop itself; the
//! notification is sent after the lock is released.

mod frames;

use crate::msg::{Metadata, Msg};
use frames::Frames;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// What a queue tells one of its ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipeEvent {
    /// A whole message became readable (sent to the reader).
    ReadReady,
    /// The queue fell below its low-water mark (sent to the writer).
    WriteReady,
    /// The other end closed (sent to both kinds of end).
    Closed,
    /// The connection behind the pipe was re-established: state the
    /// socket sent once per peer (subscriptions) must be sent again.
    Hiccup,
}

/// Where a queue's wake-ups go: a socket's mailbox or an I/O thread.
pub trait Notify: Send + Sync {
    /// Deliver `ev` about the queue that the receiver knows as `token`.
    fn notify(&self, token: u64, ev: PipeEvent);
}

/// The receiver of notifications for one end of a queue.
pub type Target = Option<(Arc<dyn Notify>, u64)>;

/// The outcome of a write attempt.
#[derive(Debug)]
pub enum WriteError {
    /// At the high-water mark: the message is handed back.
    Full(Msg),
    /// The reader is gone: the message is handed back.
    Closed(Msg),
}

/// The outcome of a write that leaves the frame with the caller unless it
/// was written ([`Queue::write_from`], [`Queue::write_clone`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStatus {
    Written,
    /// At the high-water mark.
    Full,
    /// The reader is gone.
    Closed,
}

impl WriteStatus {
    /// The [`WriteError`] form, handing `msg` back when it was not written.
    pub fn into_result(self, msg: Msg) -> Result<(), WriteError> {
        match self {
            WriteStatus::Written => Ok(()),
            WriteStatus::Full => Err(WriteError::Full(msg)),
            WriteStatus::Closed => Err(WriteError::Closed(msg)),
        }
    }
}

/// The outcome of a read attempt.
#[derive(Debug)]
pub enum ReadResult {
    Msg(Msg),
    /// Nothing to read now; the reader will be notified.
    Empty,
    /// The writer closed and everything it wrote has been read.
    Closed,
}

/// The outcome of a read into the caller's message ([`Reader::read_into`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadStatus {
    /// A frame was stored in the caller's message.
    Got,
    /// Nothing to read now; the reader will be notified.
    Empty,
    /// The writer closed and everything it wrote has been read.
    Closed,
}

struct State {
    frames: Frames,
    /// Frames at the front that belong to whole messages (visible).
    visible: usize,
    /// The writer is in the middle of a multipart message.
    writer_mid: bool,
    /// Whole messages ever written (less those conflate dropped).
    written: usize,
    /// The writer's last look at `Queue::read` (reloaded only when the
    /// high-water mark seems reached, so the writer does not read the
    /// reader's counter for every message).
    read_seen: usize,
    reader_waiting: bool,
    writer_closed: bool,
    reader_closed: bool,
    reader: Target,
    writer: Target,
}

/// Frames the reader took from the shared queue in one batch. It belongs
/// to the reading end ([`Reader`]), so reading a frame from it takes no
/// lock and no atomic operation. Consumption is published to the writer
/// in batches, not per message, so the two threads do not bounce a
/// counter's cache line for every message.
struct Cache {
    frames: Frames,
    /// Whole messages consumed so far.
    consumed: usize,
    /// The part of `consumed` already published in `Reader::read`.
    published: usize,
    /// `consumed` at which `Reader::read` publishes next: the next
    /// multiple of the batch size or of the low-water mark, whichever
    /// comes first (so the writer's view always includes the last
    /// multiple of the low-water mark, as libzmq's does).
    next_publish: usize,
    /// The last refill found nothing (the reader is waiting for a
    /// `ReadReady`): the next read does not back off first.
    idle: bool,
}

/// One direction of a pipe.
///
/// The reader ([`Reader`]) moves every visible frame into its private
/// cache in one lock of the shared state, so reader and writer meet once per batch,
/// not once per frame. `msgs` counts whole messages written and not yet
/// consumed, wherever they sit, so the high-water mark stays exact. The
/// writer's "I am blocked" flag and `msgs` follow the store-then-load
/// (Dekker) protocol with SeqCst, so a reader that frees room always sees
/// a blocked writer, or the writer sees the room.
pub struct Queue {
    state: Padded<Mutex<State>>,
    /// Whole messages consumed, as published by the reader.
    read: Padded<AtomicUsize>,
    writer_waiting: Padded<AtomicBool>,
    hwm: AtomicUsize,
    lwm: AtomicUsize,
    conflate: bool,
    /// Connection properties the reader attaches to every frame that comes
    /// without its own (set once, by the first connection behind the pipe).
    meta: std::sync::OnceLock<Arc<Metadata>>,
    /// A last message the writer sends when its socket closes the pipe
    /// (the reading socket's ZMQ_DISCONNECT_MSG, over inproc).
    farewell: std::sync::OnceLock<Vec<u8>>,
}

/// Keeps what the writer touches and what the reader touches on separate
/// cache lines, so one side's work does not evict the other's.
#[repr(align(128))]
struct Padded<T>(T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The most whole messages a reader consumes before publishing its
/// progress, whatever the low-water mark.
const PUBLISH_BATCH_MAX: usize = 256;

/// Pause instructions a socket's reader spends before refilling an empty
/// cache (see [`Reader::read_batched_into`]).
const BACKOFF_SPINS: u32 = 24;

fn low_water_mark(hwm: usize) -> usize {
    const MAX_DELTA: usize = 1024;
    if hwm > 2 * MAX_DELTA {
        hwm - MAX_DELTA
    } else {
        hwm.div_ceil(2)
    }
}

impl Queue {
    /// A queue holding at most `hwm` whole messages (0: unbounded).
    pub fn new(hwm: usize, conflate: bool) -> Arc<Queue> {
        Arc::new(Queue {
            state: Padded(Mutex::new(State {
                frames: Frames::default(),
                visible: 0,
                writer_mid: false,
                written: 0,
                read_seen: 0,
                reader_waiting: false,
                writer_closed: false,
                reader_closed: false,
                reader: None,
                writer: None,
            })),
            read: Padded(AtomicUsize::new(0)),
            writer_waiting: Padded(AtomicBool::new(false)),
            hwm: AtomicUsize::new(hwm),
            lwm: AtomicUsize::new(low_water_mark(hwm)),
            conflate,
            meta: std::sync::OnceLock::new(),
            farewell: std::sync::OnceLock::new(),
        })
    }

    /// Makes `meta` the properties the reader attaches to frames written
    /// without any; true when the queue uses exactly this `meta` (a queue
    /// keeps the first it is given).
    pub fn adopt_metadata(&self, meta: &Arc<Metadata>) -> bool {
        Arc::ptr_eq(self.meta.get_or_init(|| meta.clone()), meta)
    }

    /// The connection properties the reader attaches to frames that come
    /// without their own, once a connection set them.
    pub fn metadata(&self) -> Option<Arc<Metadata>> {
        self.meta_ref().cloned()
    }

    /// [`Queue::metadata`] without taking a reference.
    pub fn meta_ref(&self) -> Option<&Arc<Metadata>> {
        self.meta.get()
    }

    /// Changes the high-water mark (an inproc peer bound late).
    pub fn set_hwm(&self, hwm: usize) {
        self.hwm.store(hwm, Ordering::Relaxed);
        self.lwm.store(low_water_mark(hwm), Ordering::Relaxed);
    }

    /// The high-water mark in force (0: none).
    pub fn hwm(&self) -> usize {
        self.hwm.load(Ordering::Relaxed)
    }

    /// Changes the high-water mark of a queue in use (ZMQ_SNDHWM or
    /// ZMQ_RCVHWM set after the pipe exists, as libzmq applies them): a
    /// writer blocked on the old mark is woken if the new one leaves room.
    /// Messages already queued above a lowered mark stay queued.
    pub fn change_hwm(&self, hwm: usize) {
        self.set_hwm(hwm);
        let read = self.read.load(Ordering::SeqCst);
        self.wake_writer_if(|written| hwm == 0 || written.saturating_sub(read) < hwm);
    }

    /// Sends `WriteReady` to a writer blocked at the high-water mark when
    /// `room(written)` (messages written so far) says it may go on.
    fn wake_writer_if(&self, room: impl FnOnce(usize) -> bool) {
        if !self.writer_waiting.load(Ordering::SeqCst) {
            return;
        }
        let t = {
            let s = self.state.lock();
            if room(s.written) && self.writer_waiting.swap(false, Ordering::SeqCst) {
                s.writer.clone()
            } else {
                None
            }
        };
        if let Some((n, t)) = t {
            n.notify(t, PipeEvent::WriteReady);
        }
    }

    /// Sets where the reader's notifications go.
    pub fn set_reader(&self, t: Target) {
        self.state.lock().reader = t;
    }

    /// Sets where the writer's notifications go.
    pub fn set_writer(&self, t: Target) {
        self.state.lock().writer = t;
    }

    /// True when the queue is at its high-water mark; if so the writer is
    /// registered for a `WriteReady`. Called with the state locked.
    fn full(&self, s: &mut State) -> bool {
        let hwm = self.hwm.load(Ordering::Relaxed);
        let written = s.written;
        let used = |r: usize| written.saturating_sub(r);
        if self.conflate || hwm == 0 || used(s.read_seen) < hwm {
            return false;
        }
        s.read_seen = self.read.load(Ordering::SeqCst);
        if used(s.read_seen) < hwm {
            return false;
        }
        self.writer_waiting.store(true, Ordering::SeqCst);
        if used(self.read.load(Ordering::SeqCst)) < hwm {
            // The reader made room meanwhile.
            self.writer_waiting.store(false, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// Appends one frame (the caller checked room and the reader); true
    /// when it ended a whole message. Conflate drops every whole message
    /// the reader has not taken yet first.
    fn push(&self, s: &mut State, msg: Msg) -> bool {
        if self.conflate && !s.writer_mid {
            let vis = s.visible;
            let dropped = s.frames.drop_front(vis);
            s.visible = 0;
            s.written = s.written.saturating_sub(dropped);
        }
        let more = msg.more();
        s.frames.push_back(msg);
        s.writer_mid = more;
        if more {
            return false;
        }
        s.visible = s.frames.len();
        s.written += 1;
        true
    }

    /// The reader's target, if it waits for a whole message (it then
    /// stops waiting).
    fn take_waiting_reader(s: &mut State) -> Target {
        if s.reader_waiting {
            s.reader_waiting = false;
            s.reader.clone()
        } else {
            None
        }
    }

    /// Writes one frame. At a message boundary, fails with `Full` at the
    /// high-water mark (and asks for a `WriteReady`).
    pub fn write(&self, msg: Msg) -> Result<(), WriteError> {
        let mut slot = msg;
        self.write_from(&mut slot).into_result(slot)
    }

    /// Writes a copy of `msg` when it fits: a sender to many pipes (PUB,
    /// RADIO) copies only for pipes that take it, and no message moves
    /// back through the result.
    pub fn write_clone(&self, msg: &Msg) -> WriteStatus {
        self.write_with(|| msg.clone())
    }

    /// Moves the frame out of `slot` (leaving it empty) when it fits;
    /// otherwise `slot` keeps it.
    #[inline]
    pub fn write_from(&self, slot: &mut Msg) -> WriteStatus {
        self.write_with(|| std::mem::take(slot))
    }

    /// Writes the frame `make` gives, called only once the frame fits.
    #[inline]
    fn write_with(&self, make: impl FnOnce() -> Msg) -> WriteStatus {
        let notify = {
            let mut s = self.state.lock();
            if s.reader_closed {
                return WriteStatus::Closed;
            }
            if !s.writer_mid && self.full(&mut s) {
                return WriteStatus::Full;
            }
            if !self.push(&mut s, make()) {
                return WriteStatus::Written;
            }
            Queue::take_waiting_reader(&mut s)
        };
        if let Some((n, t)) = notify {
            n.notify(t, PipeEvent::ReadReady);
        }
        WriteStatus::Written
    }

    /// Writes as many frames from the front of `msgs` as the high-water
    /// mark allows, under one lock and with at most one wake-up: the I/O
    /// thread's path for everything one read decoded. What does not fit
    /// stays in `msgs` (the writer then gets `WriteReady`). Returns false
    /// when the reader is gone (then `msgs` is cleared).
    pub fn write_batch(&self, msgs: &mut VecDeque<Msg>) -> bool {
        if msgs.is_empty() {
            return true;
        }
        let notify = {
            let mut s = self.state.lock();
            if s.reader_closed {
                msgs.clear();
                return false;
            }
            let mut wrote_whole = false;
            while !msgs.is_empty() && (s.writer_mid || !self.full(&mut s)) {
                if let Some(m) = msgs.pop_front() {
                    wrote_whole |= self.push(&mut s, m);
                }
            }
            if wrote_whole {
                Queue::take_waiting_reader(&mut s)
            } else {
                None
            }
        };
        if let Some((n, t)) = notify {
            n.notify(t, PipeEvent::ReadReady);
        }
        true
    }

    /// True when a write of a new message would be accepted now; when not,
    /// the writer will get `WriteReady` later.
    pub fn check_write(&self) -> bool {
        let mut s = self.state.lock();
        if s.reader_closed {
            return false;
        }
        s.writer_mid || !self.full(&mut s)
    }

    /// Asks the writer to send `m` last, when its socket closes the pipe
    /// (set once; later calls change nothing).
    pub fn set_farewell(&self, m: Vec<u8>) {
        let _ = self.farewell.set(m);
    }

    /// Drops the frames of a message the writer did not finish.
    pub fn rollback(&self) {
        let mut s = self.state.lock();
        let vis = s.visible;
        s.frames.truncate(vis);
        s.writer_mid = false;
    }

    /// The writer is done: the reader drains what is whole, then sees
    /// `Closed`. Partial frames are rolled back.
    pub fn close_writer(&self) {
        let notify;
        {
            let mut s = self.state.lock();
            if s.writer_closed {
                return;
            }
            let vis = s.visible;
            s.frames.truncate(vis);
            s.writer_mid = false;
            s.writer_closed = true;
            s.writer = None;
            notify = s.reader.clone();
        }
        if let Some((n, t)) = notify {
            n.notify(t, PipeEvent::Closed);
        }
    }

    /// The reader is gone: everything queued is dropped and the writer is
    /// told.
    /// (What the reader had already taken goes with the [`Reader`].)
    pub fn close_reader(&self) {
        let notify;
        let dropped;
        {
            let mut s = self.state.lock();
            if s.reader_closed {
                return;
            }
            s.reader_closed = true;
            s.reader = None;
            dropped = std::mem::take(&mut s.frames);
            s.visible = 0;
            self.read.store(s.written, Ordering::SeqCst);
            notify = if s.writer_closed {
                None
            } else {
                s.writer.clone()
            };
        }
        drop(dropped);
        if let Some((n, t)) = notify {
            n.notify(t, PipeEvent::Closed);
        }
    }

    /// Sends `Hiccup` to the reader of this queue (the I/O thread tells the
    /// socket its connection came back).
    pub fn notify_reader_hiccup(&self) {
        let t = self.state.lock().reader.clone();
        if let Some((n, t)) = t {
            n.notify(t, PipeEvent::Hiccup);
        }
    }

    /// Whole messages written and not yet consumed, as far as the reader
    /// has published its progress (the writer's view).
    pub fn queued(&self) -> usize {
        let written = self.state.lock().written;
        written.saturating_sub(self.read.load(Ordering::SeqCst))
    }

    /// The queue's length as libzmq reports it (zmq_socket_monitor_pipes_stats):
    /// the reader's progress counts in whole multiples of the low-water
    /// mark, the unit in which a libzmq reader tells its writer.
    pub fn queued_coarse(&self) -> usize {
        let written = self.state.lock().written;
        let lwm = self.lwm.load(Ordering::Relaxed).max(1);
        let read = self.read.load(Ordering::SeqCst);
        written.saturating_sub(read / lwm * lwm)
    }

    /// True when the reader has gone away.
    pub fn reader_closed(&self) -> bool {
        self.state.lock().reader_closed
    }

    /// True when the writer has gone away.
    pub fn writer_closed(&self) -> bool {
        self.state.lock().writer_closed
    }
}

/// The reading side of a [`Queue`], owned by whoever reads it (a socket's
/// pipe table or a session). Its cache of taken frames needs no lock.
pub struct Reader {
    q: Arc<Queue>,
    cache: Cache,
    /// Attach the connection's properties to each frame read (off for a
    /// socket that attaches them itself where they are wanted, see
    /// `Socket::recv_into`).
    attach_meta: bool,
}

impl std::ops::Deref for Reader {
    type Target = Queue;
    fn deref(&self) -> &Queue {
        &self.q
    }
}

impl Reader {
    /// The reader of `q` (one per queue).
    pub fn new(q: Arc<Queue>) -> Reader {
        let first = q.lwm.load(Ordering::Relaxed).clamp(1, PUBLISH_BATCH_MAX);
        Reader {
            q,
            cache: Cache {
                frames: Frames::default(),
                consumed: 0,
                published: 0,
                next_publish: first,
                idle: false,
            },
            attach_meta: true,
        }
    }

    /// Whether frames read get the connection's properties attached.
    pub fn set_attach_meta(&mut self, on: bool) {
        self.attach_meta = on;
    }

    /// The reader is gone: drops what it had taken, and closes the queue's
    /// reading side (see [`Queue::close_reader`]).
    pub fn close(&mut self) {
        self.cache.frames.clear();
        self.q.close_reader();
    }

    /// Publishes what the reader consumed and wakes a blocked writer once
    /// the queue is at or below its low-water mark.
    fn publish(&mut self) {
        let q = &*self.q;
        let c = &mut self.cache;
        if c.published == c.consumed {
            return;
        }
        c.published = c.consumed;
        let consumed = c.consumed;
        let lwm = q.lwm.load(Ordering::Relaxed).max(1);
        let batch = lwm.min(PUBLISH_BATCH_MAX);
        let next = |m: usize| (consumed / m + 1) * m;
        c.next_publish = next(batch).min(next(lwm));
        q.read.store(consumed, Ordering::SeqCst);
        q.wake_writer_if(|written| {
            written.saturating_sub(consumed) <= q.lwm.load(Ordering::Relaxed)
        });
    }

    /// Reads one frame into `slot` like [`Reader::read_into`], but when the
    /// cache is empty first gives the writer a moment (about a
    /// microsecond) to add to the batch. A reader that is faster than its
    /// writer otherwise takes batches of one or two frames and meets the
    /// writer on the shared lock for nearly every message, which slows
    /// both (measured: inproc 64 B throughput 6.4M -> 8.3M msgs/s; round
    /// trip +0.7 us). The frame is moved once, from the queue into `slot`
    /// (whose old content is dropped); on `Empty` or `Closed` the slot is
    /// left as it was.
    #[inline]
    pub fn read_batched_into(&mut self, slot: &mut Msg) -> ReadStatus {
        self.backoff_if_empty();
        self.read_into(slot)
    }

    #[inline]
    fn backoff_if_empty(&mut self) {
        // Only while frames stream in: right after a wake-up the writer
        // has nothing more to add, and a request waiting for its reply
        // would spin for nothing (in a VM the pauses can cost a VM exit).
        if self.cache.frames.is_empty() && !self.cache.idle {
            for _ in 0..BACKOFF_SPINS {
                std::hint::spin_loop();
            }
        }
    }

    /// Reads one frame.
    #[inline]
    pub fn read(&mut self) -> ReadResult {
        // The fast path (a frame in the cache) is inlined into callers;
        // the refill under the lock is not.
        let mut m = match self.cache.frames.pop_front() {
            Some(m) => m,
            None => match self.refill() {
                Ok(m) => m,
                Err(end) => return end,
            },
        };
        self.took(&mut m);
        ReadResult::Msg(m)
    }

    /// Reads one frame into `slot` (see [`Reader::read_batched_into`]).
    #[inline]
    pub fn read_into(&mut self, slot: &mut Msg) -> ReadStatus {
        if !self.cache.frames.pop_front_into(slot) {
            match self.refill() {
                Ok(m) => *slot = m,
                Err(ReadResult::Closed) => return ReadStatus::Closed,
                Err(_) => return ReadStatus::Empty,
            }
        }
        self.took(slot);
        ReadStatus::Got
    }

    /// Attaches the connection's properties and counts a whole message.
    #[inline]
    fn took(&mut self, m: &mut Msg) {
        if self.attach_meta && m.metadata().is_none() {
            if let Some(meta) = self.q.meta.get() {
                m.set_metadata(Some(meta.clone()));
            }
        }
        if !m.more() {
            let c = &mut self.cache;
            c.consumed += 1;
            if c.consumed >= c.next_publish {
                self.publish();
            }
        }
    }

    /// The cache is empty: takes every visible frame from the shared queue
    /// and returns the first. When there is none: `Closed` at the queue's
    /// end, else `Empty` with the reader registered for a `ReadReady`.
    #[inline(never)]
    fn refill(&mut self) -> Result<Msg, ReadResult> {
        let q = &*self.q;
        let c = &mut self.cache;
        let mut s = q.state.lock();
        if s.visible == 0 {
            if s.writer_closed {
                return Err(ReadResult::Closed);
            }
            s.reader_waiting = true;
            drop(s);
            c.idle = true;
            // Going idle: the writer must see everything consumed.
            self.publish();
            return Err(ReadResult::Empty);
        }
        c.idle = false;
        if q.conflate {
            // One message at a time: newer ones may replace the rest.
            let mut n = 0;
            while n < s.visible {
                let more = s.frames.get(n).is_some_and(|m| m.more());
                n += 1;
                if !more {
                    break;
                }
            }
            s.frames.move_front_to(n, &mut c.frames);
            s.visible -= n;
        } else if s.visible == s.frames.len() {
            // Everything is whole: trade buffers instead of moving
            // frames (the writer gets the reader's empty one back).
            std::mem::swap(&mut c.frames, &mut s.frames);
            s.visible = 0;
        } else {
            let vis = s.visible;
            s.frames.move_front_to(vis, &mut c.frames);
            s.visible = 0;
        }
        drop(s);
        c.frames.pop_front().ok_or(ReadResult::Empty)
    }

    /// Reads frames into `f` while it returns true and frames are there
    /// (the I/O thread's path); returns how many were read. Once it has
    /// read something it takes at most one more batch from the writer: a
    /// reader that keeps chasing a busy writer meets it on the shared lock
    /// every message or two (fan-out over tcp, 1 B: +10 %). Callers call
    /// again until it returns 0, which asks for a `ReadReady`.
    pub fn read_while(&mut self, mut f: impl FnMut(Msg) -> bool) -> usize {
        let mut n = 0;
        let mut refilled = false;
        loop {
            if self.cache.frames.is_empty() {
                if refilled && n > 0 {
                    break;
                }
                refilled = true;
            }
            let ReadResult::Msg(m) = self.read() else {
                break;
            };
            n += 1;
            if !f(m) {
                break;
            }
        }
        n
    }

    /// True when a whole message is waiting; otherwise the reader will be
    /// notified (`ReadReady` or `Closed`).
    pub fn check_read(&mut self) -> bool {
        if !self.cache.frames.is_empty() {
            return true;
        }
        let mut s = self.q.state.lock();
        if s.visible > 0 {
            return true;
        }
        if !s.writer_closed {
            s.reader_waiting = true;
        }
        drop(s);
        self.publish();
        false
    }

    /// True when the writer closed and nothing is left to read.
    pub fn is_drained_and_closed(&self) -> bool {
        if !self.cache.frames.is_empty() {
            return false;
        }
        let s = self.q.state.lock();
        s.writer_closed && s.visible == 0
    }

    /// Whole messages queued (written and not yet consumed).
    pub fn len(&self) -> usize {
        let consumed = self.cache.consumed;
        self.q.state.lock().written.saturating_sub(consumed)
    }

    /// True when no whole message is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One end of a bidirectional pipe: reads `inq`, writes `outq`.
pub struct PipeEnd {
    pub inq: Reader,
    pub outq: Arc<Queue>,
}

impl PipeEnd {
    /// Closes both directions from this end; the farewell the peer asked
    /// for, if any, goes first (after an unfinished message is dropped).
    pub fn close(&mut self) {
        if let Some(f) = self.outq.farewell.get() {
            self.outq.rollback();
            let _ = self.outq.write(Msg::from_slice(f));
        }
        self.inq.close();
        self.outq.close_writer();
    }

    /// Routes this end's notifications to `n` under `token`.
    pub fn set_target(&self, n: Arc<dyn Notify>, token: u64) {
        self.inq.set_reader(Some((n.clone(), token)));
        self.outq.set_writer(Some((n, token)));
    }
}

/// Makes the two ends of a pipe. `hwm_a_to_b` bounds what end A writes.
pub fn pipe_pair(
    hwm_a_to_b: usize,
    hwm_b_to_a: usize,
    conflate_a_to_b: bool,
    conflate_b_to_a: bool,
) -> (PipeEnd, PipeEnd) {
    let ab = Queue::new(hwm_a_to_b, conflate_a_to_b);
    let ba = Queue::new(hwm_b_to_a, conflate_b_to_a);
    (
        PipeEnd {
            inq: Reader::new(ba.clone()),
            outq: ab.clone(),
        },
        PipeEnd {
            inq: Reader::new(ab),
            outq: ba,
        },
    )
}

#[cfg(test)]
mod tests;
