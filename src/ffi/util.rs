//! Shims for the utility functions: errors and version (zmq_errno(3),
//! zmq_strerror(3), zmq_version(3), zmq_has(3)), Z85 and CURVE keys
//! (zmq_z85_encode(3), zmq_z85_decode(3), zmq_curve_keypair(3),
//! zmq_curve_public(3)), atomic counters (zmq_atomic_counter_new(3)),
//! the zmq_utils.h family (stopwatch, zmq_sleep, zmq_threadstart,
//! zmq_threadclose) and the DRAFT timers (zmq_timers(3)).
//!
//! Each shim checks its pointers and calls `crate::util`. Where libzmq 4.3.5
//! dereferences a NULL argument and crashes, we fail with `EFAULT` (or do
//! nothing, for `void` functions) instead; other errno values are libzmq's,
//! checked against Debian's libzmq.
//!
//! Invariants:
//! - A timers handle starts with a tag word (`TIMERS_TAG` while alive,
//!   `DEAD_TAG` once destroyed), as libzmq's `timers_t` does; a NULL or
//!   untagged handle gives `EFAULT`.
//! - No lock is held while a timer handler runs, so handlers may call any
//!   `zmq_timers_*` function on the same handle, including destroy.
//! - Strings returned by `zmq_strerror` are static or libc's, never freed.
//!
//! Each shim's safety contract is its man page: pointers the page says are
//! valid buffers or handles must be; NULL is checked here.
#![allow(clippy::missing_safety_doc)]

use crate::error::{Error, Result, EFSM, EMTHREAD, ENOCOMPATPROTO, ETERM};
use crate::ffi::{guard, guard_int, guard_ptr};
use crate::util::clock::{self, Stopwatch};
use crate::util::counter::AtomicCounter;
use crate::util::timers::Timers;
use crate::util::{curve, z85};
use libc::{c_char, c_int, c_long, c_ulong, c_void, size_t};
use parking_lot::Mutex;
use std::ffi::CStr;
use std::ptr;
use std::sync::Arc;
use std::thread::JoinHandle;

/// Copies `s` plus a terminating NUL to `dest`.
///
/// # Safety
/// `dest` must be valid for `s.len() + 1` bytes of writes.
unsafe fn write_cstr(dest: *mut c_char, s: &str) {
    // SAFETY: the caller guarantees room for the text and its NUL; source
    // and destination cannot overlap (`s` is our own allocation).
    unsafe {
        ptr::copy_nonoverlapping(s.as_ptr(), dest.cast::<u8>(), s.len());
        *dest.add(s.len()) = 0;
    }
}

/// Borrows a C string's bytes (without the NUL); NULL gives `EFAULT`.
///
/// # Safety
/// A non-NULL `s` must point to a NUL-terminated string that outlives `'a`.
unsafe fn c_bytes<'a>(s: *const c_char) -> Result<&'a [u8]> {
    if s.is_null() {
        return Err(Error::EFAULT);
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    Ok(unsafe { CStr::from_ptr(s) }.to_bytes())
}

// ---- zmq_errno(3), zmq_strerror(3), zmq_version(3), zmq_has(3) ----------

/// `zmq_errno(3)`: the calling thread's `errno`.
#[no_mangle]
pub unsafe extern "C" fn zmq_errno() -> c_int {
    crate::error::errno()
}

/// `zmq_strerror(3)`: libzmq's message for its own codes and for
/// `EHOSTUNREACH`, libc's `strerror` for the others. The string is static; never free it.
#[no_mangle]
pub unsafe extern "C" fn zmq_strerror(errnum: c_int) -> *const c_char {
    guard(ptr::null(), || {
        let own: Option<&'static CStr> = match errnum {
            EFSM => Some(c"Operation cannot be accomplished in current state"),
            ENOCOMPATPROTO => Some(c"The protocol is not compatible with the socket type"),
            ETERM => Some(c"Context was terminated"),
            EMTHREAD => Some(c"No thread available"),
            // libzmq's own text (glibc says "No route to host").
            libc::EHOSTUNREACH => Some(c"Host unreachable"),
            _ => None,
        };
        Ok(match own {
            Some(s) => s.as_ptr(),
            // SAFETY: strerror accepts any value and returns a string owned
            // by libc (static, or a per-thread buffer for unknown codes).
            None => unsafe { libc::strerror(errnum) }.cast_const(),
        })
    })
}

/// `zmq_version(3)`: 4.3.5. NULL pointers are skipped (libzmq crashes).
#[no_mangle]
pub unsafe extern "C" fn zmq_version(major: *mut c_int, minor: *mut c_int, patch: *mut c_int) {
    let (ma, mi, pa) = crate::util::VERSION;
    for (p, v) in [(major, ma), (minor, mi), (patch, pa)] {
        if !p.is_null() {
            // SAFETY: a non-NULL pointer from the caller points to an int.
            unsafe { *p = v };
        }
    }
}

/// `zmq_has(3)`: 1 if the capability is supported (see
/// [`crate::util::has`]), else 0. NULL gives 0 (libzmq crashes).
#[no_mangle]
pub unsafe extern "C" fn zmq_has(capability: *const c_char) -> c_int {
    guard(0, || {
        // SAFETY: zmq_has(3) takes a NUL-terminated string.
        let name = unsafe { c_bytes(capability) }?;
        let name = std::str::from_utf8(name).map_err(|_| Error::EINVAL)?;
        Ok(c_int::from(crate::util::has(name)))
    })
}

// ---- zmq_z85_encode(3), zmq_z85_decode(3) --------------------------------

/// `zmq_z85_encode(3)`: writes `size * 5 / 4` characters and a NUL to
/// `dest`; `EINVAL` if `size` is not a multiple of 4. NULL pointers (with
/// a non-zero size, for `data`) give `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_z85_encode(
    dest: *mut c_char,
    data: *const u8,
    size: size_t,
) -> *mut c_char {
    guard_ptr(|| {
        if !size.is_multiple_of(4) {
            return Err(Error::EINVAL);
        }
        if dest.is_null() || (data.is_null() && size > 0) {
            return Err(Error::EFAULT);
        }
        let bytes = if size == 0 {
            &[][..]
        } else {
            // SAFETY: zmq_z85_encode(3) requires `data` to hold `size` bytes.
            unsafe { std::slice::from_raw_parts(data, size) }
        };
        let text = z85::encode(bytes)?;
        // SAFETY: the man page requires room for size * 5 / 4 + 1 bytes,
        // exactly the text and its NUL.
        unsafe { write_cstr(dest, &text) };
        Ok(dest)
    })
}

/// `zmq_z85_decode(3)`: writes `strlen(string) * 4 / 5` bytes to `dest`.
/// `EINVAL` if the length is below 5 or not a multiple of 5, a character is
/// outside the alphabet, or a group exceeds 0xFFFFFFFF (libzmq 4.3.5's
/// rules); nothing is written then. NULL pointers give `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_z85_decode(dest: *mut u8, string: *const c_char) -> *mut u8 {
    guard_ptr(|| {
        // SAFETY: zmq_z85_decode(3) takes a NUL-terminated string.
        let text = unsafe { c_bytes(string) }?;
        let bytes = z85::decode(text)?;
        if dest.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: the man page requires `dest` to hold strlen * 4 / 5
        // bytes, which is `bytes.len()`; `bytes` is our own buffer.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), dest, bytes.len()) };
        Ok(dest)
    })
}

// ---- zmq_curve_keypair(3), zmq_curve_public(3) ---------------------------

/// `zmq_curve_keypair(3)`: writes a fresh X25519 key pair as two
/// 40-character Z85 strings (41-byte buffers). NULL pointers give `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_curve_keypair(
    z85_public_key: *mut c_char,
    z85_secret_key: *mut c_char,
) -> c_int {
    guard_int(|| {
        if z85_public_key.is_null() || z85_secret_key.is_null() {
            return Err(Error::EFAULT);
        }
        let (public, secret) = curve::keypair()?;
        // SAFETY: the man page requires 41-byte buffers; each key is 40
        // characters plus the NUL.
        unsafe {
            write_cstr(z85_public_key, &public);
            write_cstr(z85_secret_key, &secret);
        }
        Ok(0)
    })
}

/// `zmq_curve_public(3)`: derives the Z85 public key from a Z85 secret key.
/// `EINVAL` unless the secret is exactly 40 valid Z85 characters (libzmq
/// also takes shorter strings and then reads uninitialised key bytes).
/// NULL pointers give `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_curve_public(
    z85_public_key: *mut c_char,
    z85_secret_key: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: zmq_curve_public(3) takes a NUL-terminated string.
        let secret = unsafe { c_bytes(z85_secret_key) }?;
        let public = curve::public_from_z85(secret)?;
        if z85_public_key.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: the man page requires a 41-byte buffer.
        unsafe { write_cstr(z85_public_key, &public) };
        Ok(0)
    })
}

// ---- zmq_atomic_counter_new(3) and friends -------------------------------

/// Borrows a counter handle; NULL gives `EFAULT`.
///
/// # Safety
/// A non-NULL `p` must come from `zmq_atomic_counter_new` and not be
/// destroyed yet.
unsafe fn counter<'a>(p: *mut c_void) -> Result<&'a AtomicCounter> {
    // SAFETY: per the caller's contract the pointer is a live counter.
    unsafe { p.cast::<AtomicCounter>().as_ref() }.ok_or(Error::EFAULT)
}

/// `zmq_atomic_counter_new(3)`: a new counter set to zero.
#[no_mangle]
pub unsafe extern "C" fn zmq_atomic_counter_new() -> *mut c_void {
    guard_ptr(|| Ok(Box::into_raw(Box::new(AtomicCounter::new())).cast::<c_void>()))
}

/// `zmq_atomic_counter_set(3)`: stores `value`. NULL is ignored (errno
/// `EFAULT`).
#[no_mangle]
pub unsafe extern "C" fn zmq_atomic_counter_set(counter_: *mut c_void, value: c_int) {
    guard((), || {
        // SAFETY: the caller passes a counter from zmq_atomic_counter_new.
        unsafe { counter(counter_) }?.set(value);
        Ok(())
    })
}

/// `zmq_atomic_counter_inc(3)`: adds one, returns the old value. NULL gives
/// -1 with `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_atomic_counter_inc(counter_: *mut c_void) -> c_int {
    // SAFETY: the caller passes a counter from zmq_atomic_counter_new.
    guard_int(|| Ok(unsafe { counter(counter_) }?.inc()))
}

/// `zmq_atomic_counter_dec(3)`: subtracts one; 1 if the counter is still
/// non-zero, 0 if it reached zero. NULL gives -1 with `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_atomic_counter_dec(counter_: *mut c_void) -> c_int {
    // SAFETY: the caller passes a counter from zmq_atomic_counter_new.
    guard_int(|| Ok(c_int::from(unsafe { counter(counter_) }?.dec())))
}

/// `zmq_atomic_counter_value(3)`: the current value. NULL gives -1 with
/// `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_atomic_counter_value(counter_: *mut c_void) -> c_int {
    // SAFETY: the caller passes a counter from zmq_atomic_counter_new.
    guard_int(|| Ok(unsafe { counter(counter_) }?.value()))
}

/// `zmq_atomic_counter_destroy(3)`: frees the counter and sets `*counter_p`
/// to NULL. NULL `counter_p` or `*counter_p` is a no-op.
#[no_mangle]
pub unsafe extern "C" fn zmq_atomic_counter_destroy(counter_p: *mut *mut c_void) {
    guard((), || {
        if counter_p.is_null() {
            return Ok(());
        }
        // SAFETY: a non-NULL counter_p points to the caller's handle slot,
        // holding NULL or a counter from zmq_atomic_counter_new.
        unsafe {
            let p = *counter_p;
            if !p.is_null() {
                drop(Box::from_raw(p.cast::<AtomicCounter>()));
                *counter_p = ptr::null_mut();
            }
        }
        Ok(())
    })
}

// ---- zmq_utils.h: stopwatch, zmq_sleep, zmq_threadstart/zmq_threadclose ---

/// `zmq_stopwatch_start`: starts a stopwatch; free it with
/// `zmq_stopwatch_stop`.
#[no_mangle]
pub unsafe extern "C" fn zmq_stopwatch_start() -> *mut c_void {
    guard_ptr(|| Ok(Box::into_raw(Box::new(Stopwatch::start())).cast::<c_void>()))
}

/// `zmq_stopwatch_intermediate`: microseconds since start; the stopwatch
/// keeps running. NULL gives 0.
#[no_mangle]
pub unsafe extern "C" fn zmq_stopwatch_intermediate(watch: *mut c_void) -> c_ulong {
    guard(0, || {
        // SAFETY: a non-NULL watch comes from zmq_stopwatch_start.
        let watch = unsafe { watch.cast::<Stopwatch>().as_ref() }.ok_or(Error::EFAULT)?;
        Ok(watch.elapsed_us() as c_ulong)
    })
}

/// `zmq_stopwatch_stop`: microseconds since start; frees the stopwatch.
/// NULL gives 0.
#[no_mangle]
pub unsafe extern "C" fn zmq_stopwatch_stop(watch: *mut c_void) -> c_ulong {
    guard(0, || {
        if watch.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: a non-NULL watch comes from zmq_stopwatch_start and is
        // given back to us here, once.
        let watch = unsafe { Box::from_raw(watch.cast::<Stopwatch>()) };
        Ok(watch.elapsed_us() as c_ulong)
    })
}

/// `zmq_sleep`: sleeps `seconds` seconds (nothing for 0 or less).
#[no_mangle]
pub unsafe extern "C" fn zmq_sleep(seconds: c_int) {
    if let Ok(s) = u64::try_from(seconds) {
        std::thread::sleep(std::time::Duration::from_secs(s));
    }
}

/// A C thread body and its argument, moved to the new thread.
struct ThreadStart {
    func: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
}

// SAFETY: zmq_threadstart(3) hands `arg` to another thread by contract; the
// C caller is responsible for what it points to.
unsafe impl Send for ThreadStart {}

impl ThreadStart {
    /// Runs the body with all signals blocked, as libzmq's threads do.
    fn run(self) {
        // SAFETY: `set` is a local sigset_t that sigfillset initialises before
        // pthread_sigmask reads it; both only touch this thread's state.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigfillset(&mut set);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, ptr::null_mut());
        }
        // SAFETY: `func` is the caller's zmq_thread_fn, called with its arg.
        unsafe { (self.func)(self.arg) };
    }
}

/// `zmq_threadstart`: runs `func(arg)` on a new thread named "ZMQapp" with
/// all signals blocked; returns a handle for `zmq_threadclose`. NULL
/// `func` gives NULL with `EFAULT`; a failed spawn gives NULL with the OS
/// errno (libzmq aborts).
#[no_mangle]
pub unsafe extern "C" fn zmq_threadstart(
    func: Option<unsafe extern "C" fn(*mut c_void)>,
    arg: *mut c_void,
) -> *mut c_void {
    guard_ptr(|| {
        let func = func.ok_or(Error::EFAULT)?;
        let start = ThreadStart { func, arg };
        let handle: JoinHandle<()> = std::thread::Builder::new()
            .name("ZMQapp".into())
            .spawn(move || start.run())?;
        Ok(Box::into_raw(Box::new(handle)).cast::<c_void>())
    })
}

/// `zmq_threadclose`: joins the thread and frees its handle. NULL is a
/// no-op.
#[no_mangle]
pub unsafe extern "C" fn zmq_threadclose(thread: *mut c_void) {
    guard((), || {
        if thread.is_null() {
            return Ok(());
        }
        // SAFETY: a non-NULL thread comes from zmq_threadstart and is given
        // back to us here, once.
        let handle = unsafe { Box::from_raw(thread.cast::<JoinHandle<()>>()) };
        // The body is C code and cannot panic; a join error has no errno.
        let _ = handle.join();
        Ok(())
    })
}

// ---- zmq_timers(3) (DRAFT) ------------------------------------------------

/// Tag of a live timers handle (the value libzmq's `timers_t` uses).
const TIMERS_TAG: u32 = 0xCAFE_DADA;
/// Tag written into a handle as it is destroyed.
const DEAD_TAG: u32 = 0xDEAD_BEEF;

/// A C timer handler and its argument.
#[derive(Clone, Copy)]
struct TimerHandler {
    func: unsafe extern "C" fn(c_int, *mut c_void),
    arg: *mut c_void,
}

// SAFETY: a C caller may use its timers handle from any thread (one at a
// time, or several: the Mutex serialises them); `arg` is the caller's to
// keep valid, as zmq_timers(3) requires.
unsafe impl Send for TimerHandler {}

type SharedTimers = Arc<Mutex<Timers<TimerHandler>>>;

/// What `zmq_timers_new` returns: the tag first, then the timers.
#[repr(C)]
struct TimersHandle {
    tag: u32,
    timers: SharedTimers,
}

/// The timers behind a handle: NULL or an untagged pointer gives `EFAULT`.
///
/// # Safety
/// A non-NULL `p` must be readable for the size of a [`TimersHandle`]
/// (libzmq makes the same assumption when it checks its tag).
unsafe fn timers<'a>(p: *mut c_void) -> Result<&'a SharedTimers> {
    let h = p.cast::<TimersHandle>();
    if h.is_null() {
        return Err(Error::EFAULT);
    }
    // SAFETY: readable per the caller's contract; the tag is read unaligned
    // so that a stray pointer cannot fault on alignment.
    let tag = unsafe { ptr::addr_of!((*h).tag).read_unaligned() };
    if tag != TIMERS_TAG {
        return Err(Error::EFAULT);
    }
    // SAFETY: the tag says this is a live handle from zmq_timers_new.
    Ok(unsafe { &(*h).timers })
}

/// `zmq_timers_new(3)`: an empty set of timers.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_new() -> *mut c_void {
    guard_ptr(|| {
        let handle = TimersHandle {
            tag: TIMERS_TAG,
            timers: Arc::new(Mutex::new(Timers::new())),
        };
        Ok(Box::into_raw(Box::new(handle)).cast::<c_void>())
    })
}

/// `zmq_timers_destroy(3)`: frees the timers and sets `*timers_p` to NULL.
/// NULL or an untagged handle gives `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_destroy(timers_p: *mut *mut c_void) -> c_int {
    guard_int(|| {
        if timers_p.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: a non-NULL timers_p points to the caller's handle slot.
        let p = unsafe { *timers_p };
        // SAFETY: checks NULL and the tag.
        unsafe { timers(p) }?;
        let h = p.cast::<TimersHandle>();
        // SAFETY: the handle is live (tag checked) and is given back to us
        // here; mark it dead (volatile, so the store survives the free)
        // before freeing it, then clear the caller's slot.
        unsafe {
            ptr::addr_of_mut!((*h).tag).write_volatile(DEAD_TAG);
            drop(Box::from_raw(h));
            *timers_p = ptr::null_mut();
        }
        Ok(0)
    })
}

/// `zmq_timers_add(3)`: arms a repeating timer, returns its id (from 1).
/// NULL handle or NULL handler gives `EFAULT` (as libzmq; not `EINVAL`).
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_add(
    timers_: *mut c_void,
    interval: size_t,
    handler: Option<unsafe extern "C" fn(c_int, *mut c_void)>,
    arg: *mut c_void,
) -> c_int {
    guard_int(|| {
        // SAFETY: checks NULL and the tag.
        let t = unsafe { timers(timers_) }?;
        let func = handler.ok_or(Error::EFAULT)?;
        let now = clock::now_ms();
        Ok(t.lock()
            .add(now, interval as u64, TimerHandler { func, arg }))
    })
}

/// `zmq_timers_cancel(3)`: `EINVAL` if the id is unknown or already
/// cancelled; `EFAULT` for a bad handle.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_cancel(timers_: *mut c_void, timer_id: c_int) -> c_int {
    guard_int(|| {
        // SAFETY: checks NULL and the tag.
        unsafe { timers(timers_) }?.lock().cancel(timer_id)?;
        Ok(0)
    })
}

/// `zmq_timers_set_interval(3)`: changes the interval and re-arms the timer
/// from now. `EINVAL` for an unknown id; `EFAULT` for a bad handle.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_set_interval(
    timers_: *mut c_void,
    timer_id: c_int,
    interval: size_t,
) -> c_int {
    guard_int(|| {
        // SAFETY: checks NULL and the tag.
        let t = unsafe { timers(timers_) }?;
        t.lock()
            .set_interval(clock::now_ms(), timer_id, interval as u64)?;
        Ok(0)
    })
}

/// `zmq_timers_reset(3)`: re-arms the timer from now. `EINVAL` for an
/// unknown id; `EFAULT` for a bad handle.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_reset(timers_: *mut c_void, timer_id: c_int) -> c_int {
    guard_int(|| {
        // SAFETY: checks NULL and the tag.
        unsafe { timers(timers_) }?
            .lock()
            .reset(clock::now_ms(), timer_id)?;
        Ok(0)
    })
}

/// `zmq_timers_timeout(3)`: ms until the next timer is due (0 if overdue),
/// -1 if none; -1 with `EFAULT` for a bad handle.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_timeout(timers_: *mut c_void) -> c_long {
    guard(-1, || {
        // SAFETY: checks NULL and the tag.
        let t = unsafe { timers(timers_) }?;
        let ms = t.lock().timeout(clock::now_ms());
        Ok(c_long::try_from(ms).unwrap_or(c_long::MAX))
    })
}

/// `zmq_timers_execute(3)`: runs the handlers of the due timers and re-arms
/// them. Each timer due at the start fires once (libzmq loops forever on a
/// 0 ms interval). Handlers run without any lock held and may add, cancel,
/// reset timers or destroy the handle. `EFAULT` for a bad handle.
#[no_mangle]
pub unsafe extern "C" fn zmq_timers_execute(timers_: *mut c_void) -> c_int {
    guard_int(|| {
        // SAFETY: checks NULL and the tag.
        let shared = Arc::clone(unsafe { timers(timers_) }?);
        let now = clock::now_ms();
        let due = shared.lock().due(now);
        for id in due {
            let handler = shared.lock().fire(id);
            if let Some(h) = handler {
                // SAFETY: the caller's zmq_timer_fn, called with its arg as
                // zmq_timers(3) specifies; no lock is held.
                unsafe { (h.func)(id, h.arg) };
                shared.lock().rearm(now, id);
            }
        }
        Ok(0)
    })
}

#[cfg(test)]
mod tests;
