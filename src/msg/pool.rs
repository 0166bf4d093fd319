//! A small process-wide pool of large message buffers.
//!
//! Bodies of [`POOL_MIN`] bytes and more are allocated in power-of-two
//! classes and, when the last copy of a message is dropped, kept for the
//! next message of that class instead of being freed. Without it every
//! 1 MiB message costs a fresh `malloc`, which glibc serves from pages it
//! has just given back to the kernel (arena trimming), so the writer
//! page-faults about 256 times per message.
//!
//! Invariants:
//! - Memory stays bounded: at most [`PER_CLASS`] buffers per class and
//!   [`POOL_MAX_BYTES`] in all are kept; anything beyond is freed.
//! - A buffer handed out has length 0 and a capacity of exactly its class
//!   size; its bytes are whatever the previous message left (message bodies
//!   for C are uninitialised, as in libzmq; Rust callers fill it first).
//! - Classes above [`POOL_MAX_CLASS`] are never pooled.
//! - The first buffer given back in each class is freed, not kept (see
//!   `give`: glibc raises its mmap threshold only on such a free).
//! - The pool is split in [`SHARDS`] shards; a buffer goes back to the
//!   shard of the thread that made it a message body, wherever its last
//!   copy is dropped (see `Pooled::shard`).
//! - Only an application thread making a body (zmq_msg_init_size(3),
//!   zmq_msg_init_buffer(3), a zmq_send(3) without ZMQ_DONTWAIT) ever
//!   waits for a buffer ([`take_patient`]), and for at most about what a
//!   fresh buffer would cost it; I/O threads never wait.

use bytes::Bytes;
use parking_lot::{Condvar, Mutex};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Smallest body served from the pool (64 KiB).
pub const POOL_MIN: usize = 1 << MIN_SHIFT;
const MIN_SHIFT: u32 = 16;
/// Smallest class [`take_patient`] waits for (256 KiB): below, a fresh
/// buffer costs about as much as a wait.
const PATIENT_MIN: usize = 256 << 10;
/// Largest pooled class (16 MiB).
pub const POOL_MAX_CLASS: usize = 1 << MAX_SHIFT;
const MAX_SHIFT: u32 = 24;
const CLASSES: usize = (MAX_SHIFT - MIN_SHIFT + 1) as usize;
/// Buffers kept per class; for classes of 1 MiB and more the byte cap
/// binds first. Raised from 8: a sender running ahead of its I/O thread
/// empties the pool at once, and with only 8 kept per class glibc saw so
/// few frees that its mmap threshold never rose, so nearly a third of the
/// 1 MiB bodies were fresh mmaps (thr ipc 1 MiB, 600 messages: 187 mmaps
/// of 1 MiB; medians of 8 alternating runs 3.84k -> 4.04k msg/s).
pub const PER_CLASS: usize = 64;
/// Bytes kept in all classes together.
pub const POOL_MAX_BYTES: usize = 64 << 20;

/// Shards of the pool. One shared pool let a fast producer take the
/// buffers that another thread's messages gave back: in a PUB/SUB fan-out
/// in one process the publisher's thread drained what the subscribers
/// freed, so the I/O thread's receive buffers were always fresh memory
/// and page-faulted (~21 faults per received 1 MiB body against ~5 for
/// libzmq, whose allocator returns a block to the arena of the thread
/// that allocated it). With a buffer going back to its own thread's shard
/// each thread reuses its own, warm, buffers, as with glibc's arenas.
pub const SHARDS: usize = 8;

type Shard = [Mutex<Vec<Vec<u8>>>; CLASSES];
static FREE: [Shard; SHARDS] = [const { [const { Mutex::new(Vec::new()) }; CLASSES] }; SHARDS];
/// Next shard handed to a thread that first uses the pool.
static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_SHARD: usize = NEXT_SHARD.fetch_add(1, Ordering::Relaxed) % SHARDS;
}

/// The calling thread's shard (shard 0 while the thread is being torn
/// down).
fn my_shard() -> usize {
    MY_SHARD.try_with(|s| *s).unwrap_or(0)
}
static KEPT: AtomicUsize = AtomicUsize::new(0);
/// Per shard and class: when a buffer last came back (µs on [`now_us`]'s
/// clock, 0 = never).
static RETURNED: [[AtomicU64; CLASSES]; SHARDS] =
    [const { [const { AtomicU64::new(0) }; CLASSES] }; SHARDS];
/// Per shard and class: signalled when a buffer comes back.
static BACK: [[Condvar; CLASSES]; SHARDS] = [const { [const { Condvar::new() }; CLASSES] }; SHARDS];

/// Microseconds since the pool's first use (never 0).
fn now_us() -> u64 {
    static T0: OnceLock<Instant> = OnceLock::new();
    let us = T0.get_or_init(Instant::now).elapsed().as_micros();
    u64::try_from(us).unwrap_or(u64::MAX).saturating_add(1)
}

/// What a fresh buffer costs the thread that fills it, per 4 KiB page, in
/// nanoseconds: the page fault and the kernel zeroing the page (measured
/// 1.6 µs per page in this project's VM: mmap, fill and munmap of 1 MiB
/// 430 µs, filling a warm buffer 7 µs), with a margin.
const FRESH_NS_PER_PAGE: u64 = 2000;
/// Returns count as flowing while the last one is at most this many
/// patiences old.
const FLOWING_WINDOW: u64 = 4;

/// How long an application thread may wait for a recycled buffer of
/// `size` bytes, if at all, when the pool has none and a buffer of its
/// class last came back at `last` (0: never) on the clock of [`now_us`],
/// which reads `now`. It waits only for classes of [`PATIENT_MIN`] and
/// more, only while buffers are coming back, and at most about what a
/// fresh buffer would cost it.
fn patience(size: usize, last: u64, now: u64) -> Option<Duration> {
    if size < PATIENT_MIN || last == 0 {
        return None;
    }
    let us = (size as u64 / 4096).saturating_mul(FRESH_NS_PER_PAGE) / 1000;
    let flowing = now.saturating_sub(last) <= us.saturating_mul(FLOWING_WINDOW);
    flowing.then(|| Duration::from_micros(us))
}

/// Per class: a buffer of it was already given back to the allocator.
static FREED_ONCE: [AtomicBool; CLASSES] = [const { AtomicBool::new(false) }; CLASSES];

/// The class index and size for a body of `n` bytes, if pooled.
fn class_of(n: usize) -> Option<(usize, usize)> {
    if !(POOL_MIN..=POOL_MAX_CLASS).contains(&n) {
        return None;
    }
    let size = n.checked_next_power_of_two()?;
    let idx = (size.trailing_zeros() - MIN_SHIFT) as usize;
    Some((idx, size))
}

/// An empty buffer with room for at least `n` bytes: from the pool when
/// `n` is in a pooled class, else a fresh exact allocation. `None` when the
/// memory cannot be had.
pub fn take(n: usize) -> Option<Vec<u8>> {
    let Some((idx, size)) = class_of(n) else {
        let mut v = Vec::new();
        v.try_reserve_exact(n).ok()?;
        return Some(v);
    };
    let shard = FREE.get(my_shard()).and_then(|f| f.get(idx));
    if let Some(v) = shard.and_then(|f| f.lock().pop()) {
        KEPT.fetch_sub(size, Ordering::Relaxed);
        return Some(v);
    }
    let mut v = Vec::new();
    v.try_reserve_exact(size).ok()?;
    Some(v)
}

/// Like [`take`], for an application thread making a message body: when
/// the pool is out of buffers of this class but they have been coming
/// back (a sender running ahead of its I/O thread), waits for the next
/// one, as long as that is expected sooner than a fresh buffer would cost.
///
/// A fresh large buffer is not just a `malloc`: the sender then faults in
/// and the kernel zeroes every page of it, about 1.6 µs per 4 KiB page in
/// this project's VM (430 µs for 1 MiB, against 7 µs to fill a warm one).
/// A sender that outruns its connection pays that for every message, on
/// a CPU its own I/O thread and the peer could use; waiting instead keeps
/// it on the warm buffers that the I/O thread hands back.
pub fn take_patient(n: usize) -> Option<Vec<u8>> {
    if let Some((idx, size)) = class_of(n).filter(|&(_, size)| size >= PATIENT_MIN) {
        wait_for_return(idx, size);
    }
    take(n)
}

/// Waits, while this thread's shard has no buffer of class `idx` (of
/// `size` bytes), for one to come back, as long as [`patience`] allows.
fn wait_for_return(idx: usize, size: usize) {
    let me = my_shard();
    let (Some(free), Some(back), Some(last)) = (
        FREE.get(me).and_then(|f| f.get(idx)),
        BACK.get(me).and_then(|b| b.get(idx)),
        RETURNED.get(me).and_then(|r| r.get(idx)),
    ) else {
        return;
    };
    let mut f = free.lock();
    if f.is_empty() {
        if let Some(wait) = patience(size, last.load(Ordering::Relaxed), now_us()) {
            // Woken by `returned`, or on time out: either way `take` looks
            // at the pool once more, then makes a fresh buffer.
            let _ = back.wait_for(&mut f, wait);
        }
    }
}

/// Gives a buffer back to `shard`; kept if its class has room there,
/// else freed.
fn give(mut v: Vec<u8>, shard: usize) {
    let cap = v.capacity();
    let Some((idx, size)) = class_of(cap) else {
        return;
    };
    if size != cap {
        return;
    }
    // The first buffer of a class goes back to the allocator, not the
    // pool: glibc serves large blocks with fresh mmaps until it sees one
    // freed, and only then raises its mmap threshold to serve them from
    // its heap. A pool that kept every early buffer hid that free, so a
    // burst of large messages (a publisher running ahead) cost a fresh
    // mapping and page faults each (fan-out tcp 1 MiB, 1000 messages: 890
    // mmaps and 821 munmaps against Debian's libzmq's 12 and 5).
    if FREED_ONCE
        .get(idx)
        .is_some_and(|f| !f.swap(true, Ordering::Relaxed))
    {
        return;
    }
    if KEPT.fetch_add(size, Ordering::Relaxed) + size > POOL_MAX_BYTES {
        KEPT.fetch_sub(size, Ordering::Relaxed);
        return;
    }
    if let Some(f) = FREE.get(shard).and_then(|f| f.get(idx)) {
        let mut f = f.lock();
        if f.len() < PER_CLASS {
            v.clear();
            f.push(v);
            drop(f);
            if size >= PATIENT_MIN {
                returned(shard, idx);
            }
            return;
        }
    }
    KEPT.fetch_sub(size, Ordering::Relaxed);
}

/// Notes that a buffer of class `idx` came back to `shard`: records when
/// and wakes a thread waiting for one.
fn returned(shard: usize, idx: usize) {
    if let Some(last) = RETURNED.get(shard).and_then(|r| r.get(idx)) {
        last.store(now_us(), Ordering::Relaxed);
    }
    if let Some(c) = BACK.get(shard).and_then(|b| b.get(idx)) {
        c.notify_one();
    }
}

/// Bytes kept in the pool now.
#[cfg(test)]
pub fn kept_bytes() -> usize {
    KEPT.load(Ordering::Relaxed)
}

/// A message body in a pool buffer: returns the buffer to the pool when
/// the last `Bytes` over it is dropped.
struct Pooled {
    /// Raw parts of the buffer (taken from a `Vec` with `as_mut_ptr`, so
    /// C callers may write through the body pointer, as libzmq allows).
    ptr: *mut u8,
    len: usize,
    cap: usize,
    /// The shard the buffer goes back to: that of the thread that made the
    /// body (it is the one that takes the next of its kind).
    shard: usize,
}

// SAFETY: the buffer is plain owned heap memory; it moves between threads
// like the `Vec` it came from.
unsafe impl Send for Pooled {}

impl AsRef<[u8]> for Pooled {
    fn as_ref(&self) -> &[u8] {
        // SAFETY: `ptr` points to a live allocation of `cap >= len` bytes
        // of which the first `len` are initialised (see `into_bytes`).
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        // SAFETY: the parts come from a `Vec<u8>` that was forgotten in
        // `into_bytes` and are rebuilt exactly once, here.
        let v = unsafe { Vec::from_raw_parts(self.ptr, self.len, self.cap) };
        give(v, self.shard);
    }
}

/// Makes a refcounted body of `v` (its length is the body's), returned to
/// the pool when the last copy goes.
pub fn into_bytes(v: Vec<u8>) -> Bytes {
    if class_of(v.capacity()).is_none_or(|(_, size)| size != v.capacity()) {
        return Bytes::from(v);
    }
    let mut v = std::mem::ManuallyDrop::new(v);
    Bytes::from_owner(Pooled {
        ptr: v.as_mut_ptr(),
        len: v.len(),
        cap: v.capacity(),
        shard: my_shard(),
    })
}

/// A body of `n` bytes whose content is left as the pool had it, for a C
/// caller who fills it (zmq_msg_init_size(3)). `None` without memory.
///
/// # Safety
/// Rust must not read the bytes before the C caller has written them (see
/// `Msg::try_with_size_for_c`).
pub unsafe fn uninit_bytes(n: usize) -> Option<Bytes> {
    let mut v = take_patient(n)?;
    // SAFETY: `v` has capacity for `n` bytes; the caller's contract covers
    // their content (written by C before any Rust read, as with libzmq).
    unsafe { v.set_len(n) };
    Some(into_bytes(v))
}

#[cfg(test)]
mod tests;
