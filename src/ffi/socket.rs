//! Socket shims: zmq_socket(3), zmq_close(3), zmq_setsockopt(3),
//! zmq_getsockopt(3), zmq_bind(3), zmq_connect(3), zmq_unbind(3),
//! zmq_disconnect(3), zmq_send(3), zmq_send_const(3), zmq_recv(3),
//! zmq_msg_send(3), zmq_msg_recv(3), the retired zmq_sendmsg/zmq_recvmsg/
//! zmq_sendiov/zmq_recviov, zmq_socket_monitor(3), zmq_poll(3).
//!
//! Socket handles are tagged like libzmq's (`0xbaddecaf`): NULL or a
//! pointer that is not a live socket gives ENOTSOCK. A closed handle keeps
//! its (small) block, marked dead, until its context terminates, so late
//! calls on it fail cleanly instead of touching freed memory. The socket
//! itself sits behind a mutex: libzmq sockets are not thread-safe, and a
//! program that shares one anyway gets serialised calls, not corruption.
//!
//! The draft types (SERVER .. CHANNEL) are thread-safe (ZMQ_THREAD_SAFE
//! is 1): a blocking send or receive on them takes the socket only for
//! non-blocking attempts and waits on the socket's mailbox with the
//! socket released, so other threads can use it meanwhile. Threads that
//! wait on that mailbox (blocking calls, zmq_poll, zmq_poller_wait) count
//! themselves in the handle's `sleepers`; a call that consumes mailbox
//! commands, or sends or receives a message, while someone sleeps makes
//! the mailbox readable again with a no-op command, so no sleeper misses
//! news another thread took (see `run_safe`). Classic types keep the
//! plain path: one extra branch on `safe`, no lock, no allocation.

use super::ctx::ctx_handle;
use super::excl::Excl;
use super::msg::{msg_ref, msg_take, zmq_msg_t};
use super::{guard_int, guard_ptr};
use crate::ctx::mailbox::Mailbox;
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::patterns::{ZMQ_PAIR, ZMQ_PUB, ZMQ_PUSH};
use crate::socket::spin::PollWait;
use crate::socket::{Monitor, Socket};
use crate::transport::Endpoint;
use libc::{c_char, c_int, c_long, c_short, c_void, iovec, size_t};
use std::ffi::CStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SOCKET_TAG: u32 = 0xbadd_ecaf;
const SOCKET_DEAD: u32 = 0xdead_beef;

/// What a `void *socket` points to.
///
/// Aligned (and so padded) to 128 bytes: two sockets used by two threads
/// never share a cache line (their locks and counters would bounce).
#[repr(align(128))]
pub struct SocketHandle {
    tag: AtomicU32,
    sock: Excl<Option<Socket>>,
    ctx_handle: usize,
    /// The mailbox of a thread-safe socket (None for classic types).
    safe: Option<Arc<Mailbox>>,
    /// Threads waiting on that mailbox without holding the socket.
    sleepers: AtomicU32,
}

/// Frees a closed handle (called when its context terminates).
pub(crate) fn free_socket_handle(p: usize) {
    // SAFETY: `p` came from Box::into_raw in zmq_socket and was put in the
    // graveyard exactly once, by zmq_close.
    drop(unsafe { Box::from_raw(p as *mut SocketHandle) });
}

fn handle<'a>(p: *mut c_void) -> Result<&'a SocketHandle> {
    if p.is_null() || !(p as usize).is_multiple_of(std::mem::align_of::<SocketHandle>()) {
        return Err(Error::ENOTSOCK);
    }
    // SAFETY: non-NULL and aligned; handles stay allocated until their
    // context terminates, so reading the tag of any pointer we returned is
    // sound; a foreign pointer is the caller's contract, as with libzmq.
    let h = unsafe { &*(p as *const SocketHandle) };
    if h.tag.load(Ordering::Acquire) != SOCKET_TAG {
        return Err(Error::ENOTSOCK);
    }
    Ok(h)
}

/// Runs `f` on the live socket behind `p`.
pub(crate) fn with_socket<T>(
    p: *mut c_void,
    f: impl FnOnce(&mut Socket) -> Result<T>,
) -> Result<T> {
    let h = handle(p)?;
    let mut g = h.sock.lock();
    let Some(s) = g.as_mut() else {
        return Err(Error::ENOTSOCK);
    };
    if h.safe.is_none() {
        return f(s);
    }
    let seen = s.commands_seen();
    let r = f(s);
    wake_if_news(h, s, seen, false);
    r
}

/// The mailbox fd of the thread-safe socket behind `p`; `None` for a
/// classic socket (ENOTSOCK when `p` is not a live socket).
pub(crate) fn safe_mailbox_fd(p: *mut c_void) -> Result<Option<i32>> {
    let h = handle(p)?;
    let fd = with_socket(p, |s| Ok(s.fd()))?;
    Ok(h.safe.as_ref().map(|_| fd))
}

/// A thread-safe socket's call consumed commands (since `seen`), or
/// `moved` a message, while other threads sleep on its mailbox: wake them
/// to look again. (A receive that took one of several queued messages
/// leaves the rest for a sleeper, and no pipe event will announce them.)
fn wake_if_news(h: &SocketHandle, s: &Socket, seen: u64, moved: bool) {
    if (moved || s.commands_seen() != seen) && h.sleepers.load(Ordering::SeqCst) > 0 {
        s.wake_sleepers();
    }
}

/// Sleepers registered by a poll on thread-safe sockets; unregistered
/// when dropped.
#[derive(Default)]
pub(crate) struct PollSleepers {
    handles: Vec<usize>,
}

impl PollSleepers {
    /// The fd to poll for socket `p`; a thread-safe socket counts this
    /// thread as a sleeper until `self` is dropped. Called before the
    /// socket's events are first looked at, so news consumed by another
    /// thread after that look wakes the poll.
    pub(crate) fn fd(&mut self, p: *mut c_void) -> Result<i32> {
        let h = handle(p)?;
        let fd = with_socket(p, |s| Ok(s.fd()))?;
        if h.safe.is_some() && !self.handles.contains(&(p as usize)) {
            h.sleepers.fetch_add(1, Ordering::SeqCst);
            self.handles.push(p as usize);
        }
        Ok(fd)
    }
}

impl Drop for PollSleepers {
    fn drop(&mut self) {
        for &p in &self.handles {
            // Registered handles stay allocated until their context
            // terminates, closed or not.
            if let Ok(h) = handle(p as *mut c_void) {
                h.sleepers.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// A blocking send or receive on a thread-safe socket. `attempt` runs
/// with the socket held and must not block: `Ok(Some(v))` is done,
/// `Ok(None)` would block. Between attempts this thread waits on the
/// socket's mailbox with the socket released, counted in `sleepers`
/// (registered before the socket is let go, so any later consumer of
/// commands sees it and wakes us), until the timeout (`timeout_of` picks
/// ZMQ_SNDTIMEO or ZMQ_RCVTIMEO; ZMQ_DONTWAIT means no wait).
fn run_safe<T>(
    h: &SocketHandle,
    mailbox: &Mailbox,
    flags: c_int,
    timeout_of: impl Fn(&Socket) -> i32,
    mut attempt: impl FnMut(&mut Socket) -> Result<Option<T>>,
) -> Result<T> {
    let mut deadline: Option<Option<Instant>> = None;
    loop {
        let wait_ms = {
            let mut g = h.sock.lock();
            let Some(s) = g.as_mut() else {
                return Err(Error::ENOTSOCK);
            };
            let seen = s.commands_seen();
            let r = attempt(s);
            wake_if_news(h, s, seen, matches!(r, Ok(Some(_))));
            if let Some(v) = r? {
                return Ok(v);
            }
            let timeo = timeout_of(s);
            if flags & crate::socket::ZMQ_DONTWAIT != 0 || timeo == 0 {
                return Err(Error::EAGAIN);
            }
            let d = *deadline.get_or_insert_with(|| {
                u64::try_from(timeo)
                    .ok()
                    .map(|ms| Instant::now() + Duration::from_millis(ms))
            });
            let wait_ms = match d {
                None => -1,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Err(Error::EAGAIN);
                    }
                    crate::socket::poller::ms_left(Some(d))
                }
            };
            h.sleepers.fetch_add(1, Ordering::SeqCst);
            wait_ms
        };
        let r = mailbox.wait(wait_ms);
        h.sleepers.fetch_sub(1, Ordering::SeqCst);
        r?;
    }
}

fn cstr<'a>(p: *const c_char) -> Result<&'a str> {
    if p.is_null() {
        return Err(Error::EINVAL);
    }
    // SAFETY: non-NULL; the caller passes a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| Error::EINVAL)
}

/// zmq_socket(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_socket(context: *mut c_void, type_: c_int) -> *mut c_void {
    guard_ptr(|| {
        let ch = ctx_handle(context)?;
        let ctx = ch.ctx.lock().clone().ok_or(Error::EFAULT)?;
        let s = Socket::new(&ctx, type_)?;
        let safe = s.thread_safe().then(|| s.mailbox());
        let h = Box::new(SocketHandle {
            tag: AtomicU32::new(SOCKET_TAG),
            sock: Excl::new(Some(s)),
            ctx_handle: context as usize,
            safe,
            sleepers: AtomicU32::new(0),
        });
        Ok(Box::into_raw(h) as *mut c_void)
    })
}

/// zmq_close(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_close(s: *mut c_void) -> c_int {
    guard_int(|| {
        let h = handle(s)?;
        let sock = h.sock.lock().take();
        let Some(mut sock) = sock else {
            return Err(Error::ENOTSOCK);
        };
        h.tag.store(SOCKET_DEAD, Ordering::Release);
        // The handle goes to its context's graveyard before the socket
        // closes: zmq_ctx_term (which waits for this close) frees it, and
        // cannot finish before it is listed. `h` is not used after this.
        if let Ok(ch) = ctx_handle(h.ctx_handle as *mut c_void) {
            ch.graveyard.lock().push(s as usize);
        }
        if h.safe.is_some() {
            // Threads blocked on it look again, and find it closed.
            sock.wake_sleepers();
        }
        sock.close();
        drop(sock);
        Ok(0)
    })
}

/// zmq_setsockopt(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_setsockopt(
    s: *mut c_void,
    option: c_int,
    optval: *const c_void,
    optvallen: size_t,
) -> c_int {
    guard_int(|| {
        let v: Option<&[u8]> = if optval.is_null() {
            if optvallen > 0 {
                return Err(Error::EFAULT);
            }
            None
        } else {
            // SAFETY: the caller passes optvallen readable bytes.
            Some(unsafe { std::slice::from_raw_parts(optval as *const u8, optvallen) })
        };
        with_socket(s, |s| s.setsockopt(option, v))?;
        Ok(0)
    })
}

/// zmq_getsockopt(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_getsockopt(
    s: *mut c_void,
    option: c_int,
    optval: *mut c_void,
    optvallen: *mut size_t,
) -> c_int {
    guard_int(|| {
        handle(s)?;
        if optval.is_null() || optvallen.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: non-NULL pointer to the buffer size.
        let len = unsafe { *optvallen };
        // SAFETY: the caller passes len writable bytes at optval.
        let buf = unsafe { std::slice::from_raw_parts_mut(optval as *mut u8, len) };
        let n = with_socket(s, |s| s.getsockopt(option, buf))?;
        // SAFETY: as above.
        unsafe { *optvallen = n };
        Ok(0)
    })
}

/// The shape shared by zmq_bind/connect/unbind/disconnect: check the
/// handle (ENOTSOCK first, as libzmq), read the endpoint, run `op`.
fn endpoint_op(
    s: *mut c_void,
    addr: *const c_char,
    op: impl FnOnce(&mut Socket, &str) -> Result<()>,
) -> c_int {
    guard_int(|| {
        handle(s)?;
        let a = cstr(addr)?;
        with_socket(s, |s| op(s, a))?;
        Ok(0)
    })
}

/// zmq_bind(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_bind(s: *mut c_void, addr: *const c_char) -> c_int {
    endpoint_op(s, addr, Socket::bind)
}

/// zmq_connect(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_connect(s: *mut c_void, addr: *const c_char) -> c_int {
    endpoint_op(s, addr, Socket::connect)
}

/// zmq_unbind(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_unbind(s: *mut c_void, addr: *const c_char) -> c_int {
    endpoint_op(s, addr, Socket::unbind)
}

/// zmq_disconnect(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_disconnect(s: *mut c_void, addr: *const c_char) -> c_int {
    endpoint_op(s, addr, Socket::disconnect)
}

fn send_msg(
    s: *mut c_void,
    msg: Msg,
    flags: c_int,
) -> std::result::Result<(), (Error, Option<Msg>)> {
    let h = handle(s).map_err(|e| (e, None))?;
    if let Some(mb) = &h.safe {
        let mut pending = Some(msg);
        let r = run_safe(
            h,
            mb,
            flags,
            |s| s.timeouts().0,
            |sock| {
                let Some(m) = pending.take() else {
                    return Ok(Some(()));
                };
                match sock.send(m, flags | crate::socket::ZMQ_DONTWAIT) {
                    Ok(()) => Ok(Some(())),
                    Err((e, m)) => {
                        pending = Some(m);
                        if e == Error::EAGAIN {
                            Ok(None)
                        } else {
                            Err(e)
                        }
                    }
                }
            },
        );
        return r.map_err(|e| (e, pending));
    }
    let mut g = h.sock.lock();
    let Some(sock) = g.as_mut() else {
        return Err((Error::ENOTSOCK, None));
    };
    sock.send(msg, flags).map_err(|(e, m)| (e, Some(m)))
}

fn len_result(n: usize) -> i32 {
    n.min(i32::MAX as usize) as i32
}

/// The message zmq_send(3) or zmq_sendiov makes of the caller's buffer: a
/// blocking send may wait briefly for a recycled large body
/// (`Msg::try_from_slice_patient`), a ZMQ_DONTWAIT one does not.
fn copy_for_send(data: &[u8], flags: c_int) -> Result<Msg> {
    if flags & crate::socket::ZMQ_DONTWAIT != 0 {
        Msg::try_from_slice(data)
    } else {
        Msg::try_from_slice_patient(data)
    }
}

/// zmq_send(3): copies the buffer into a message.
#[no_mangle]
pub unsafe extern "C" fn zmq_send(
    s: *mut c_void,
    buf: *const c_void,
    len: size_t,
    flags: c_int,
) -> c_int {
    guard_int(|| {
        let h = handle(s)?;
        if buf.is_null() && len > 0 {
            return Err(Error::EFAULT);
        }
        let data: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: non-NULL, len readable bytes (caller's contract).
            unsafe { std::slice::from_raw_parts(buf as *const u8, len) }
        };
        let mut m = copy_for_send(data, flags)?;
        if h.safe.is_none() {
            send_in_place(h, &mut m, flags)?;
            return Ok(len_result(len));
        }
        send_msg(s, m, flags).map_err(|(e, _)| e)?;
        Ok(len_result(len))
    })
}

/// zmq_send_const(3): the buffer is not copied and never freed.
#[no_mangle]
pub unsafe extern "C" fn zmq_send_const(
    s: *mut c_void,
    buf: *const c_void,
    len: size_t,
    flags: c_int,
) -> c_int {
    guard_int(|| {
        handle(s)?;
        if buf.is_null() && len > 0 {
            return Err(Error::EFAULT);
        }
        // SAFETY: the caller guarantees the buffer outlives the message
        // (zmq_send_const(3)).
        let m = unsafe { Msg::from_static_raw(buf as *const u8, len) };
        send_msg(s, m, flags).map_err(|(e, _)| e)?;
        Ok(len_result(len))
    })
}

fn recv_msg(s: *mut c_void, flags: c_int) -> Result<Msg> {
    let h = handle(s)?;
    if let Some(mb) = &h.safe {
        return run_safe(
            h,
            mb,
            flags,
            |s| s.timeouts().1,
            |sock| match sock.recv(flags | crate::socket::ZMQ_DONTWAIT) {
                Ok(m) => Ok(Some(m)),
                Err(e) if e == Error::EAGAIN => Ok(None),
                Err(e) => Err(e),
            },
        );
    }
    let mut g = h.sock.lock();
    match g.as_mut() {
        Some(sock) => sock.recv(flags),
        None => Err(Error::ENOTSOCK),
    }
}

/// zmq_recv(3): copies at most `len` bytes; returns the full size.
#[no_mangle]
pub unsafe extern "C" fn zmq_recv(
    s: *mut c_void,
    buf: *mut c_void,
    len: size_t,
    flags: c_int,
) -> c_int {
    guard_int(|| {
        handle(s)?;
        let m = recv_msg(s, flags)?;
        let n = m.len().min(len);
        // As libzmq, a NULL buffer is checked only when there are bytes to
        // copy (so EAGAIN, ETERM.. come first); libzmq asserts there, we
        // fail with EFAULT and the frame is gone, as it would be there.
        if n > 0 && buf.is_null() {
            return Err(Error::EFAULT);
        }
        if n > 0 {
            // SAFETY: buf has len >= n writable bytes; m's data has n bytes.
            unsafe { std::ptr::copy_nonoverlapping(m.data().as_ptr(), buf as *mut u8, n) };
        }
        Ok(len_result(m.len()))
    })
}

/// Sends the frame in `slot` on a socket that is not thread-safe: it
/// moves once, into the pipe; on success `slot` is left empty, on error
/// it keeps the frame.
fn send_in_place(h: &SocketHandle, slot: &mut Msg, flags: c_int) -> Result<()> {
    let mut g = h.sock.lock();
    g.as_mut().ok_or(Error::ENOTSOCK)?.send_from(slot, flags)
}

fn msg_send_impl(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> Result<i32> {
    let h = handle(s)?;
    if h.safe.is_none() {
        // SAFETY: the caller passes an initialised zmq_msg_t (checked); on
        // success the frame moves out and the message is left empty, on
        // error it is left as it was, as libzmq does.
        let slot = unsafe { msg_ref(msg) }?;
        let n = slot.len();
        return send_in_place(h, slot, flags).map(|()| len_result(n));
    }
    // SAFETY: the caller passes an initialised zmq_msg_t (checked).
    let m = unsafe { msg_take(msg) }?;
    let n = m.len();
    match send_msg(s, m, flags) {
        Ok(()) => Ok(len_result(n)),
        Err((e, back)) => {
            if let Some(back) = back {
                // SAFETY: msg holds the empty message msg_take left; the
                // original goes back unchanged, as libzmq leaves it.
                if let Ok(slot) = unsafe { msg_ref(msg) } {
                    *slot = back;
                }
            }
            Err(e)
        }
    }
}

fn msg_recv_impl(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> Result<i32> {
    let h = handle(s)?;
    // SAFETY: the caller passes an initialised zmq_msg_t (checked); the
    // old content is dropped when the new frame is stored.
    let slot = unsafe { msg_ref(msg) }?;
    if h.safe.is_some() {
        let m = recv_msg(s, flags)?;
        let n = m.len();
        *slot = m;
        return Ok(len_result(n));
    }
    let mut g = h.sock.lock();
    let n = match g.as_mut() {
        Some(sock) => sock.recv_into(flags, slot)?,
        None => return Err(Error::ENOTSOCK),
    };
    Ok(len_result(n))
}

/// zmq_msg_send(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_send(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> c_int {
    guard_int(|| msg_send_impl(msg, s, flags))
}

/// zmq_msg_recv(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_recv(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> c_int {
    guard_int(|| msg_recv_impl(msg, s, flags))
}

/// zmq_sendmsg(3): deprecated form of zmq_msg_send.
#[no_mangle]
pub unsafe extern "C" fn zmq_sendmsg(s: *mut c_void, msg: *mut zmq_msg_t, flags: c_int) -> c_int {
    guard_int(|| msg_send_impl(msg, s, flags))
}

/// zmq_recvmsg(3): deprecated form of zmq_msg_recv.
#[no_mangle]
pub unsafe extern "C" fn zmq_recvmsg(s: *mut c_void, msg: *mut zmq_msg_t, flags: c_int) -> c_int {
    guard_int(|| msg_recv_impl(msg, s, flags))
}

/// zmq_sendiov: sends `count` buffers as one multipart message.
#[no_mangle]
pub unsafe extern "C" fn zmq_sendiov(
    s: *mut c_void,
    iov: *mut iovec,
    count: size_t,
    flags: c_int,
) -> c_int {
    guard_int(|| {
        handle(s)?;
        if count == 0 || iov.is_null() {
            return Err(Error::EINVAL);
        }
        // SAFETY: the caller passes count iovecs at iov.
        let v = unsafe { std::slice::from_raw_parts(iov, count) };
        // libzmq answers the size of the last frame sent, not the total.
        let mut last = 0usize;
        for (i, e) in v.iter().enumerate() {
            let data: &[u8] = if e.iov_len == 0 {
                &[]
            } else if e.iov_base.is_null() {
                return Err(Error::EFAULT);
            } else {
                // SAFETY: each iovec describes iov_len readable bytes.
                unsafe { std::slice::from_raw_parts(e.iov_base as *const u8, e.iov_len) }
            };
            // libzmq sends every buffer with the caller's own flags, the
            // last one without ZMQ_SNDMORE.
            let f = if i + 1 == count { flags & !2 } else { flags };
            send_msg(s, copy_for_send(data, f)?, f).map_err(|(e, _)| e)?;
            last = e.iov_len;
        }
        Ok(len_result(last))
    })
}

/// zmq_recviov: receives up to `*count` frames into malloc'ed buffers the
/// caller frees; `*count` becomes the number received.
#[no_mangle]
pub unsafe extern "C" fn zmq_recviov(
    s: *mut c_void,
    iov: *mut iovec,
    count: *mut size_t,
    flags: c_int,
) -> c_int {
    guard_int(|| {
        handle(s)?;
        if iov.is_null() || count.is_null() {
            return Err(Error::EINVAL);
        }
        // SAFETY: non-NULL pointer to the capacity.
        let cap = unsafe { *count };
        if cap == 0 {
            return Err(Error::EINVAL);
        }
        let mut n = 0usize;
        let mut total = 0usize;
        loop {
            let m = recv_msg(s, flags)?;
            let len = m.len();
            // SAFETY: malloc of len (>= 1) bytes; checked for NULL.
            let p = unsafe { libc::malloc(len.max(1)) } as *mut u8;
            if p.is_null() {
                return Err(Error::ENOMEM);
            }
            // SAFETY: p has len writable bytes; m has len readable bytes.
            unsafe { std::ptr::copy_nonoverlapping(m.data().as_ptr(), p, len) };
            // SAFETY: n < cap, within the caller's iovec array.
            unsafe {
                (*iov.add(n)).iov_base = p as *mut c_void;
                (*iov.add(n)).iov_len = len;
            }
            n += 1;
            total += len;
            if !m.more() || n >= cap {
                break;
            }
        }
        // SAFETY: non-NULL as checked.
        unsafe { *count = n };
        let _ = total;
        // libzmq 4.3 returns the number of frames read.
        Ok(len_result(n))
    })
}

/// zmq_socket_monitor(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_monitor(
    s: *mut c_void,
    addr: *const c_char,
    events: c_int,
) -> c_int {
    guard_int(|| monitor(s, addr, events as u64, 1, ZMQ_PAIR))
}

/// zmq_socket_monitor_versioned(3) (draft): versions 1 and 2.
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_monitor_versioned(
    s: *mut c_void,
    addr: *const c_char,
    events: u64,
    event_version: c_int,
    type_: c_int,
) -> c_int {
    guard_int(|| {
        if event_version != 1 && event_version != 2 {
            return Err(Error::EINVAL);
        }
        // One-way sending types only, as libzmq: PAIR, PUB, PUSH.
        if !matches!(type_, ZMQ_PAIR | ZMQ_PUB | ZMQ_PUSH) {
            return Err(Error::EINVAL);
        }
        monitor(s, addr, events, event_version, type_)
    })
}

fn monitor(
    s: *mut c_void,
    addr: *const c_char,
    events: u64,
    version: i32,
    type_: c_int,
) -> Result<i32> {
    with_socket(s, |sock| {
        // Version 1 frames carry a 16-bit event number: a mask with
        // higher bits (ZMQ_EVENT_PIPES_STATS, or -1) is EINVAL there, as
        // libzmq checks before anything else, even a NULL endpoint.
        if version == 1 && events >> 16 != 0 {
            return Err(Error::EINVAL);
        }
        if addr.is_null() {
            sock.set_monitor(None);
            return Ok(0);
        }
        let a = cstr(addr)?;
        // As libzmq: EINVAL for a malformed endpoint, ENOCOMPATPROTO for
        // udp on a type that cannot speak it, EPROTONOSUPPORT for anything
        // but inproc.
        match crate::transport::parse(a)? {
            Endpoint::Inproc(_) => {}
            Endpoint::Udp(_) => {
                crate::socket::udp_allowed(sock.socket_type())?;
                return Err(Error::EPROTONOSUPPORT);
            }
            _ => return Err(Error::EPROTONOSUPPORT),
        }
        let mut mon = Socket::new(sock.ctx(), type_)?;
        mon.options.linger = 0;
        if let Err(e) = mon.bind(a) {
            // Not left behind: an open socket would hold up zmq_ctx_term.
            mon.close();
            return Err(e);
        }
        sock.set_monitor(Some(Monitor {
            events,
            socket: Box::new(mon),
            version,
        }));
        Ok(0)
    })
}

/// One zmq_poll item with the layout of zmq.h.
#[repr(C)]
pub struct zmq_pollitem_t {
    pub socket: *mut c_void,
    pub fd: c_int,
    pub events: c_short,
    pub revents: c_short,
}

/// zmq_poll(3): sockets and plain fds, -1/0/n ms timeouts.
#[no_mangle]
pub unsafe extern "C" fn zmq_poll(
    items: *mut zmq_pollitem_t,
    nitems: c_int,
    timeout: c_long,
) -> c_int {
    guard_int(|| {
        if nitems < 0 {
            return Err(Error::EINVAL);
        }
        if nitems == 0 {
            if timeout == 0 {
                return Ok(0);
            }
            if timeout < 0 {
                return Err(Error::EFAULT);
            }
            std::thread::sleep(Duration::from_millis(timeout as u64));
            return Ok(0);
        }
        if items.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: the caller passes nitems poll items at items.
        let items = unsafe { std::slice::from_raw_parts_mut(items, nitems as usize) };
        poll_items(items, timeout, None)
    })
}

/// The poll loop of zmq_poll and zmq_ppoll. With `sigmask`, every wait is
/// one ppoll(2) with that mask in force, so a signal it unblocks (pending
/// or arriving) runs its handler inside the wait and ends it with EINTR, as
/// libzmq's zmq_ppoll does; the caller's own mask is never changed.
fn poll_items(
    items: &mut [zmq_pollitem_t],
    timeout: c_long,
    sigmask: Option<&libc::sigset_t>,
) -> Result<i32> {
    let deadline = if timeout < 0 {
        None
    } else {
        Some(Instant::now() + Duration::from_millis(timeout as u64))
    };
    let mut pfds: Vec<libc::pollfd> = Vec::with_capacity(items.len());
    let mut sleepers = PollSleepers::default();
    for it in items.iter() {
        let (fd, ev) = if it.socket.is_null() {
            let mut ev: c_short = 0;
            if it.events & 1 != 0 {
                ev |= libc::POLLIN;
            }
            if it.events & 2 != 0 {
                ev |= libc::POLLOUT;
            }
            if it.events & 8 != 0 {
                ev |= libc::POLLPRI;
            }
            (it.fd, ev)
        } else {
            (sleepers.fd(it.socket)?, libc::POLLIN)
        };
        pfds.push(libc::pollfd {
            fd,
            events: ev,
            revents: 0,
        });
    }
    // After a first look that found nothing, look again without sleeping
    // for about as long as this thread's polls usually wait, as a blocking
    // receive does (socket/spin.rs): a sleep in poll(2) and its wake-up
    // cost more than a typical reply.
    let mut wait = PollWait::default();
    loop {
        let wait_ms: c_int = if wait.look_only() {
            0
        } else {
            match deadline {
                None => -1,
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        0
                    } else {
                        let left = d - now;
                        (left.as_millis() as i64
                            + i64::from(!left.subsec_nanos().is_multiple_of(1_000_000)))
                        .min(i32::MAX as i64) as c_int
                    }
                }
            }
        };
        let rc = match sigmask {
            // SAFETY: pfds is a valid array of pollfd of its length.
            None => unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, wait_ms) },
            Some(mask) => {
                let ts = libc::timespec {
                    tv_sec: libc::time_t::from(wait_ms / 1000),
                    tv_nsec: libc::c_long::from(wait_ms % 1000) * 1_000_000,
                };
                let tsp: *const libc::timespec = if wait_ms < 0 { std::ptr::null() } else { &ts };
                // SAFETY: pfds is a valid array of pollfd of its length; tsp
                // is NULL or points to ts, mask to a caller-initialised
                // sigset_t, both alive for the call.
                unsafe { libc::ppoll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, tsp, mask) }
            }
        };
        if rc < 0 {
            return Err(Error(crate::error::errno()));
        }
        let mut n = 0;
        for (it, p) in items.iter_mut().zip(pfds.iter()) {
            it.revents = 0;
            if it.socket.is_null() {
                let r = p.revents;
                if r & libc::POLLIN != 0 && it.events & 1 != 0 {
                    it.revents |= 1;
                }
                if r & libc::POLLOUT != 0 && it.events & 2 != 0 {
                    it.revents |= 2;
                }
                if r & libc::POLLPRI != 0 && it.events & 8 != 0 {
                    it.revents |= 8;
                }
                if r & !(libc::POLLIN | libc::POLLOUT | libc::POLLPRI) != 0 {
                    it.revents |= 4;
                }
            } else {
                let ev = with_socket(it.socket, |s| s.events())?;
                it.revents = ev & it.events;
            }
            if it.revents != 0 {
                n += 1;
            }
        }
        if n > 0 {
            wait.done();
            return Ok(n);
        }
        if wait.waiting() && deadline.is_some_and(|d| Instant::now() >= d) {
            wait.done();
            return Ok(0);
        }
        if timeout == 0 {
            return Ok(0);
        }
        wait.found_nothing();
    }
}

/// zmq_socket_monitor_pipes_stats(3) (draft).
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_monitor_pipes_stats(s: *mut c_void) -> c_int {
    guard_int(|| {
        with_socket(s, |s| s.monitor_pipes_stats())?;
        Ok(0)
    })
}

/// zmq_ppoll(3) (draft): zmq_poll with `sigmask` in force while waiting
/// (ppoll(2)): a signal it unblocks ends the wait with EINTR.
#[no_mangle]
pub unsafe extern "C" fn zmq_ppoll(
    items: *mut zmq_pollitem_t,
    nitems: c_int,
    timeout: c_long,
    sigmask: *const libc::sigset_t,
) -> c_int {
    // SAFETY: sigmask is NULL or points to a caller-initialised sigset_t
    // that outlives the call (zmq_ppoll(3)).
    let Some(mask) = (unsafe { sigmask.as_ref() }) else {
        // SAFETY: forwarded caller contract of zmq_poll.
        return unsafe { zmq_poll(items, nitems, timeout) };
    };
    if nitems <= 0 {
        // Nothing to poll: zmq_poll's checks and sleep, no mask (libzmq).
        // SAFETY: forwarded caller contract of zmq_poll.
        return unsafe { zmq_poll(items, nitems, timeout) };
    }
    guard_int(|| {
        if items.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: the caller passes nitems poll items at items.
        let items = unsafe { std::slice::from_raw_parts_mut(items, nitems as usize) };
        poll_items(items, timeout, Some(mask))
    })
}
