//! The C ABI: thin `extern "C"` shims over safe Rust.
//!
//! Rules (shared/ARCHITECTURE.md, style rules 1 and 2): a shim converts its
//! arguments, calls safe code returning `Result<T>`, and turns `Err(e)` into
//! `-1`/`NULL` plus `errno`. Every shim runs inside [`guard`] so that a panic
//! never unwinds into C: it is caught and reported as `EFAULT`, never as an
//! abort. Handles are checked in one place ([`crate::ctx::handle`] for
//! contexts, [`crate::socket::handle`] for sockets).

use crate::error::{set_errno, Error, Result};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub mod ctx;
mod excl;
pub mod msg;
pub mod poller;
pub mod proxy;
pub mod socket;
pub mod stubs;
pub mod util;

/// Runs `f` at the C boundary: `Ok(v)` gives `v`, `Err(e)` sets errno and
/// gives `fail`; a panic is caught, sets `EFAULT` and gives `fail`.
pub(crate) fn guard<T>(fail: T, f: impl FnOnce() -> Result<T>) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(Error(e))) => {
            set_errno(e);
            fail
        }
        Err(_) => {
            set_errno(libc::EFAULT);
            fail
        }
    }
}

/// `guard` for functions returning `int`: `-1` on error.
pub(crate) fn guard_int(f: impl FnOnce() -> Result<i32>) -> i32 {
    guard(-1, f)
}

/// `guard` for functions returning a pointer: `NULL` on error.
pub(crate) fn guard_ptr<T>(f: impl FnOnce() -> Result<*mut T>) -> *mut T {
    guard(std::ptr::null_mut(), f)
}
