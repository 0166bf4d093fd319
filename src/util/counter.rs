//! Atomic counters for C callers (zmq_atomic_counter_new(3) and friends).
//!
//! The counter is an unsigned 32-bit word, as in libzmq: `set` stores the
//! bit pattern of an `int`, arithmetic wraps, and `value` reads the bit
//! pattern back as an `int`. `inc` returns the value before the increment;
//! `dec` returns `true` while the value after the decrement is non-zero
//! (so decrementing 0 wraps to `-1` and reports `true`, like libzmq).
//! All operations are sequentially consistent and safe from any thread.

use std::sync::atomic::{AtomicU32, Ordering};

/// A thread-safe counter with libzmq's wrap-around semantics.
#[derive(Debug, Default)]
pub struct AtomicCounter(AtomicU32);

impl AtomicCounter {
    /// A counter set to zero.
    pub fn new() -> AtomicCounter {
        AtomicCounter(AtomicU32::new(0))
    }

    /// Stores `value`.
    pub fn set(&self, value: i32) {
        self.0.store(value as u32, Ordering::SeqCst);
    }

    /// Adds one and returns the previous value.
    pub fn inc(&self) -> i32 {
        self.0.fetch_add(1, Ordering::SeqCst) as i32
    }

    /// Subtracts one; `true` if the new value is not zero.
    pub fn dec(&self) -> bool {
        self.0.fetch_sub(1, Ordering::SeqCst) != 1
    }

    /// The current value.
    pub fn value(&self) -> i32 {
        self.0.load(Ordering::SeqCst) as i32
    }
}

#[cfg(test)]
mod tests;
