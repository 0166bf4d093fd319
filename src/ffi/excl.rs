//! A socket handle's exclusive-access cell.
//!
//! libzmq sockets are not thread-safe: one thread uses a socket at a time.
//! We still must not crash when an application breaks that rule, so every
//! call takes the socket exclusively. A general mutex costs two atomic
//! read-modify-write operations per call (lock and unlock); this cell
//! costs one (`swap` to enter) plus a plain release store to leave, which
//! matters at millions of calls per second. Contention only happens when
//! two threads misuse one socket: the second then backs off (spins,
//! yields, then sleeps briefly) until the first call returns.

use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A value one thread at a time may use.
pub struct Excl<T> {
    busy: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: access to `value` is serialized by `busy` (see `lock`); the value
// itself moves between threads, so it must be `Send`.
unsafe impl<T: Send> Sync for Excl<T> {}

impl<T> Excl<T> {
    pub const fn new(value: T) -> Excl<T> {
        Excl {
            busy: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits for exclusive access.
    pub fn lock(&self) -> ExclGuard<'_, T> {
        let mut tries: u32 = 0;
        while self.busy.swap(true, Ordering::Acquire) {
            tries = tries.saturating_add(1);
            if tries < 64 {
                std::hint::spin_loop();
            } else if tries < 256 {
                std::thread::yield_now();
            } else {
                std::thread::sleep(Duration::from_micros(50));
            }
        }
        ExclGuard { cell: self }
    }
}

/// Exclusive access to an [`Excl`]'s value; released when dropped (also
/// while unwinding from a caught panic).
pub struct ExclGuard<'a, T> {
    cell: &'a Excl<T>,
}

impl<T> Deref for ExclGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard holds `busy`, so no other reference exists.
        unsafe { &*self.cell.value.get() }
    }
}

impl<T> DerefMut for ExclGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard holds `busy`, so no other reference exists,
        // and `&mut self` makes this one unique.
        unsafe { &mut *self.cell.value.get() }
    }
}

impl<T> Drop for ExclGuard<'_, T> {
    fn drop(&mut self) {
        self.cell.busy.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests;
