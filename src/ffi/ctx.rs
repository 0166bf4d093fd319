//! Context shims: zmq_ctx_new(3), zmq_ctx_term(3), zmq_ctx_shutdown(3),
//! zmq_ctx_set(3), zmq_ctx_get(3), the legacy zmq_init/zmq_term/
//! zmq_ctx_destroy, and the draft zmq_ctx_set_ext/zmq_ctx_get_ext.
//!
//! A context handle is a tagged heap block. `zmq_ctx_term` marks it dead
//! but keeps the small block, so a second term on the same pointer gives
//! EFAULT as libzmq does rather than touching freed memory. Dead blocks are
//! listed in [`DEAD`] and reused by the next `zmq_ctx_new`, so memory does
//! not grow with contexts made and terminated, and nothing is ever lost
//! (leak checkers see the blocks as reachable). Socket handles closed
//! under a context are freed when it terminates.

use super::{guard_int, guard_ptr};
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use libc::{c_int, c_void, size_t};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

const CTX_TAG: u32 = 0xabad_cafe;
const CTX_DEAD: u32 = 0xdead_beef;

/// What a `void *context` points to.
pub struct CtxHandle {
    tag: AtomicU32,
    pub(crate) ctx: Mutex<Option<Ctx>>,
    /// Closed socket handles, freed at termination.
    pub(crate) graveyard: Mutex<Vec<usize>>,
}

/// Checks a context handle: NULL or not a live context gives EFAULT.
pub(crate) fn ctx_handle<'a>(p: *mut c_void) -> Result<&'a CtxHandle> {
    if p.is_null() || !(p as usize).is_multiple_of(std::mem::align_of::<CtxHandle>()) {
        return Err(Error::EFAULT);
    }
    // SAFETY: non-NULL and aligned; a pointer the caller got from
    // zmq_ctx_new (handles are never freed, so reading the tag is sound
    // for every pointer we ever returned).
    let h = unsafe { &*(p as *const CtxHandle) };
    if h.tag.load(Ordering::Acquire) != CTX_TAG {
        return Err(Error::EFAULT);
    }
    Ok(h)
}

/// The live context behind a handle.
pub(crate) fn ctx_of(p: *mut c_void) -> Result<Ctx> {
    ctx_handle(p)?.ctx.lock().clone().ok_or(Error::EFAULT)
}

/// Terminated context handles, waiting for reuse.
static DEAD: Mutex<Vec<usize>> = Mutex::new(Vec::new());

fn new_ctx() -> *mut c_void {
    if let Some(p) = DEAD.lock().pop() {
        // SAFETY: `p` came from Box::into_raw below and is never freed; it
        // was put in DEAD by `term` once it was dead and emptied.
        let h = unsafe { &*(p as *const CtxHandle) };
        *h.ctx.lock() = Some(Ctx::new());
        for s in h.graveyard.lock().drain(..) {
            super::socket::free_socket_handle(s);
        }
        h.tag.store(CTX_TAG, Ordering::Release);
        return p as *mut c_void;
    }
    let h = Box::new(CtxHandle {
        tag: AtomicU32::new(CTX_TAG),
        ctx: Mutex::new(Some(Ctx::new())),
        graveyard: Mutex::new(Vec::new()),
    });
    Box::into_raw(h) as *mut c_void
}

fn term(p: *mut c_void) -> Result<i32> {
    let h = ctx_handle(p)?;
    let ctx = h.ctx.lock().clone().ok_or(Error::EFAULT)?;
    ctx.term()?;
    if h.tag
        .compare_exchange(CTX_TAG, CTX_DEAD, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        return Err(Error::EFAULT);
    }
    *h.ctx.lock() = None;
    for s in h.graveyard.lock().drain(..) {
        super::socket::free_socket_handle(s);
    }
    DEAD.lock().push(p as usize);
    Ok(0)
}

/// zmq_ctx_new(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_new() -> *mut c_void {
    guard_ptr(|| Ok(new_ctx()))
}

/// zmq_ctx_term(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_term(context: *mut c_void) -> c_int {
    guard_int(|| term(context))
}

/// zmq_ctx_destroy(3): deprecated alias of zmq_ctx_term.
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_destroy(context: *mut c_void) -> c_int {
    guard_int(|| term(context))
}

/// zmq_term(3): deprecated alias of zmq_ctx_term.
#[no_mangle]
pub unsafe extern "C" fn zmq_term(context: *mut c_void) -> c_int {
    guard_int(|| term(context))
}

/// zmq_init(3): deprecated; a context with `io_threads` I/O threads
/// (EINVAL when negative).
#[no_mangle]
pub unsafe extern "C" fn zmq_init(io_threads: c_int) -> *mut c_void {
    guard_ptr(|| {
        if io_threads < 0 {
            return Err(Error::EINVAL);
        }
        let p = new_ctx();
        ctx_of(p)?.set(crate::ctx::ZMQ_IO_THREADS, &io_threads.to_ne_bytes())?;
        Ok(p)
    })
}

/// zmq_ctx_shutdown(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_shutdown(context: *mut c_void) -> c_int {
    guard_int(|| {
        ctx_of(context)?.shutdown();
        Ok(0)
    })
}

/// zmq_ctx_set(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_set(context: *mut c_void, option: c_int, optval: c_int) -> c_int {
    guard_int(|| {
        ctx_of(context)?.set(option, &optval.to_ne_bytes())?;
        Ok(0)
    })
}

/// zmq_ctx_get(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_get(context: *mut c_void, option: c_int) -> c_int {
    guard_int(|| ctx_of(context)?.get(option))
}

/// zmq_ctx_set_ext (draft): the option value as bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_set_ext(
    context: *mut c_void,
    option: c_int,
    optval: *const c_void,
    optvallen: size_t,
) -> c_int {
    guard_int(|| {
        let ctx = ctx_of(context)?;
        if optval.is_null() && optvallen > 0 {
            return Err(Error::EFAULT);
        }
        let v: &[u8] = if optvallen == 0 {
            &[]
        } else {
            // SAFETY: the caller passes optvallen readable bytes at optval.
            unsafe { std::slice::from_raw_parts(optval as *const u8, optvallen) }
        };
        ctx.set(option, v)?;
        Ok(0)
    })
}

/// zmq_ctx_get_ext (draft): the option value into a caller buffer.
#[no_mangle]
pub unsafe extern "C" fn zmq_ctx_get_ext(
    context: *mut c_void,
    option: c_int,
    optval: *mut c_void,
    optvallen: *mut size_t,
) -> c_int {
    guard_int(|| {
        let ctx = ctx_of(context)?;
        if optval.is_null() || optvallen.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: optvallen is non-NULL and points to the buffer size.
        let len = unsafe { *optvallen };
        // SAFETY: the caller passes len writable bytes at optval.
        let buf = unsafe { std::slice::from_raw_parts_mut(optval as *mut u8, len) };
        let n = ctx.get_ext(option, buf)?;
        // SAFETY: as above.
        unsafe { *optvallen = n };
        Ok(0)
    })
}
