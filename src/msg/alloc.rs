//! The library's memory allocator: mimalloc for small blocks, the system
//! allocator (glibc) for large ones.
//!
//! Messages are made on one thread and freed on another (the sender's
//! thread allocates a body, the receiver's or the I/O thread frees it). In
//! glibc both sides then take the same arena lock for every message, and
//! under load they sleep on it (perf: `__lll_lock_wake_private` and the
//! futex wake-up were a third of inproc_thr 1 KiB). mimalloc frees a block
//! of another thread's heap with one atomic push that its owner collects
//! in bulk. Large blocks (64 KiB and more: the pooled bodies of
//! `msg::pool` and the I/O read buffers) stay with glibc, which served
//! 1 MiB bodies faster here (thr tcp 1 MiB 3.6k msg/s on glibc, 3.3k all
//! on mimalloc, 3.9k split).
//!
//! Invariants:
//! - A block is freed by the allocator that made it: the choice depends
//!   only on the layout's size, which Rust passes back on free; a realloc
//!   across the boundary moves the block.
//! - Nothing is exported: mimalloc's symbols stay inside libzmq.so.5 and
//!   the C program's own `malloc` is untouched (bodies the C caller hands
//!   in with zmq_msg_init_data(3) are freed by its own function).
//! - mimalloc commits its arenas as memory is used, not up front
//!   (`arena_eager_commit` 0), so a process that loads us but sends little
//!   keeps its footprint (base RSS of a process with one socket 5.2 ->
//!   3.2 MB; glibc alone: 2.9 MB).
//! - The C `errno` is as the caller left it: mimalloc's OS calls may set
//!   it (EINVAL from its first `madvise`), and libzmq's callers read errno
//!   after calls that succeeded (libzmq's test_base85 does).
//! - Built with the `system-alloc` feature (scripts/run-valgrind.sh), the
//!   library uses glibc alone, so that memcheck sees every block.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

/// Blocks of this size and more go to the system allocator.
pub const LARGE: usize = 64 * 1024;

/// mimalloc's `mi_option_arena_eager_commit` (mimalloc.h, v2).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

static CONFIGURED: AtomicBool = AtomicBool::new(false);

/// Sets mimalloc's options once, before its first arena is reserved.
#[inline]
fn configure() {
    if !CONFIGURED.load(Ordering::Relaxed) && !CONFIGURED.swap(true, Ordering::Relaxed) {
        // SAFETY: a plain setter of a mimalloc option; any thread may call
        // it at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
    }
}

/// Runs `f` (a mimalloc call) and puts the C errno back as it was.
#[inline]
fn keeping_errno<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: `__errno_location` returns the calling thread's errno slot,
    // valid for as long as the thread lives.
    let slot = unsafe { libc::__errno_location() };
    // SAFETY: `slot` is valid (above) and only this thread uses it.
    let saved = unsafe { *slot };
    let r = f();
    // SAFETY: as above.
    unsafe { *slot = saved };
    r
}

/// The global allocator of the library (see the module header).
pub struct Hybrid;

impl Hybrid {
    /// A new block for `layout`, zeroed if asked.
    ///
    /// # Safety
    /// `layout` has a non-zero size (`GlobalAlloc::alloc`'s contract).
    #[inline]
    unsafe fn make(&self, layout: Layout, zeroed: bool) -> *mut u8 {
        if layout.size() >= LARGE {
            // SAFETY: forwarded under the caller's contract.
            return unsafe {
                if zeroed {
                    System.alloc_zeroed(layout)
                } else {
                    System.alloc(layout)
                }
            };
        }
        keeping_errno(|| {
            configure();
            // SAFETY: forwarded under the caller's contract.
            unsafe {
                if zeroed {
                    mimalloc::MiMalloc.alloc_zeroed(layout)
                } else {
                    mimalloc::MiMalloc.alloc(layout)
                }
            }
        })
    }
}

// SAFETY: every block comes from and goes back to one of two allocators
// that uphold `GlobalAlloc`'s contract, chosen by the layout's size alone,
// which the caller passes unchanged to `dealloc` and `realloc`.
unsafe impl GlobalAlloc for Hybrid {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded under the caller's contract.
        unsafe { self.make(layout, false) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded under the caller's contract.
        unsafe { self.make(layout, true) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() < LARGE {
            // SAFETY: blocks of this size were made by mimalloc (above).
            keeping_errno(|| unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) })
        } else {
            // SAFETY: blocks of this size were made by the system (above).
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let small = layout.size() < LARGE;
        if small == (new_size < LARGE) {
            return if small {
                // SAFETY: same allocator before and after.
                keeping_errno(|| unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) })
            } else {
                // SAFETY: same allocator before and after.
                unsafe { System.realloc(ptr, layout, new_size) }
            };
        }
        // Across the boundary: a new block from the other allocator.
        // SAFETY: `new_size` is non-zero and, rounded to the alignment,
        // does not overflow (the caller's contract for `realloc`).
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: a valid non-zero layout.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live, distinct and at least this long.
            unsafe { std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size)) };
            // SAFETY: `ptr` was allocated with `layout` and is freed once.
            unsafe { self.dealloc(ptr, layout) };
        }
        new
    }
}

#[cfg(test)]
mod tests;
