//! Draft poller shims: zmq_poller(3) — zmq_poller_new, _destroy, _size,
//! _add, _modify, _remove, _add_fd, _modify_fd, _remove_fd, _wait,
//! _wait_all, _fd — and `zmq_poller_event_t` with zmq.h's layout.
//!
//! A poller handle is tagged like libzmq's (`0xCAFEBABE`): NULL or a
//! pointer without the tag is EFAULT; a socket argument that is not a live
//! socket is ENOTSOCK. The set itself is [`crate::socket::poller::Poller`],
//! keyed by socket handle address; the errno rules are documented there.
//! zmq_poller_wait returns 0 on success (libzmq 4.3.5) and clears `*event`
//! on failure; zmq_poller_wait_all returns the number of events and zeroes
//! the unused tail of `events`. Waiting on thread-safe sockets counts the
//! waiting thread among their sleepers (see src/ffi/socket.rs).
//!
//! zmq_poller_fd: like libzmq, a poller that has ever held a thread-safe
//! (draft) socket has a file descriptor of its own, readable while one of
//! those sockets has news in its mailbox (then zmq_poller_wait with a
//! zero timeout tells what); before that it is EINVAL. Ours is a
//! level-triggered epoll instance watching those sockets' mailboxes.
#![allow(clippy::missing_safety_doc)]
#![allow(non_camel_case_types)]

use super::socket::{safe_mailbox_fd, with_socket, PollSleepers};
use super::{guard_int, guard_ptr};
use crate::error::{Error, Result};
use crate::socket::poller::{Event, Poller, SocketSet, Target};
use libc::{c_int, c_long, c_short, c_void};
use parking_lot::Mutex;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU32, Ordering};

/// The native socket handle type of zmq.h (`zmq_fd_t`): an `int` on POSIX.
pub type zmq_fd_t = c_int;

/// One ready item reported by the draft `zmq_poller_wait(3)`, with zmq.h's
/// layout.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct zmq_poller_event_t {
    /// The ready socket, or NULL for a file descriptor item.
    pub socket: *mut c_void,
    /// The ready file descriptor, for fd items.
    pub fd: zmq_fd_t,
    /// The pointer given to `zmq_poller_add`.
    pub user_data: *mut c_void,
    /// Bits that were ready.
    pub events: c_short,
}

const POLLER_TAG: u32 = 0xcafe_babe;
const POLLER_DEAD: u32 = 0xdead_beef;

/// What a `void *poller` points to.
struct PollerHandle {
    tag: AtomicU32,
    set: Mutex<Poller<usize>>,
    /// The zmq_poller_fd descriptor, made when the first thread-safe
    /// socket is added (see the module comment).
    signal: Mutex<Option<OwnedFd>>,
}

impl PollerHandle {
    /// Starts watching the mailbox `fd` of a thread-safe socket, making
    /// the poller's descriptor on first use.
    fn watch(&self, fd: RawFd) -> Result<()> {
        let mut sig = self.signal.lock();
        if sig.is_none() {
            // SAFETY: plain syscall; a non-negative result is a fresh fd
            // that nothing else owns.
            let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
            if ep < 0 {
                return Err(Error::from_io(&std::io::Error::last_os_error()));
            }
            // SAFETY: `ep` is a fresh, owned fd (checked above).
            *sig = Some(unsafe { OwnedFd::from_raw_fd(ep) });
        }
        let Some(ep) = sig.as_ref() else {
            return Err(Error::EINVAL);
        };
        let mut ev = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: fd as u64,
        };
        // SAFETY: `ep` is our epoll fd, `ev` a valid event for the call.
        let r = unsafe { libc::epoll_ctl(ep.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut ev) };
        if r < 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EEXIST) {
                return Err(Error::from_io(&e));
            }
        }
        Ok(())
    }

    /// Stops watching the mailbox `fd` (best effort: a closed socket's fd
    /// has left the epoll set by itself).
    fn unwatch(&self, fd: RawFd) {
        if let Some(ep) = self.signal.lock().as_ref() {
            let mut ev = libc::epoll_event { events: 0, u64: 0 };
            // SAFETY: `ep` is our epoll fd, `ev` a valid event for the call.
            unsafe { libc::epoll_ctl(ep.as_raw_fd(), libc::EPOLL_CTL_DEL, fd, &mut ev) };
        }
    }
}

fn poller<'a>(p: *mut c_void) -> Result<&'a PollerHandle> {
    if p.is_null() || !(p as usize).is_multiple_of(std::mem::align_of::<PollerHandle>()) {
        return Err(Error::EFAULT);
    }
    // SAFETY: non-NULL and aligned; a pointer we returned stays allocated
    // until zmq_poller_destroy; a foreign pointer is the caller's contract,
    // as with libzmq.
    let h = unsafe { &*(p as *const PollerHandle) };
    if h.tag.load(Ordering::Acquire) != POLLER_TAG {
        return Err(Error::EFAULT);
    }
    Ok(h)
}

/// Checks that `s` is a live socket handle (ENOTSOCK otherwise).
fn check_socket(s: *mut c_void) -> Result<()> {
    with_socket(s, |_| Ok(()))
}

/// Sockets reached through their C handles (thread-safe ones count the
/// waiting thread among their sleepers, see src/ffi/socket.rs).
#[derive(Default)]
struct Handles(PollSleepers);

impl SocketSet<usize> for Handles {
    fn fd(&mut self, key: &usize) -> Result<RawFd> {
        self.0.fd(*key as *mut c_void)
    }
    fn events(&mut self, key: &usize) -> Result<i16> {
        with_socket(*key as *mut c_void, |s| s.events())
    }
}

/// An unused slot of zmq_poller_wait_all's array, as libzmq clears it
/// (no socket, fd -1, no events).
const EMPTY_EVENT: zmq_poller_event_t = zmq_poller_event_t {
    socket: std::ptr::null_mut(),
    fd: -1,
    user_data: std::ptr::null_mut(),
    events: 0,
};

fn to_c(e: &Event<usize>) -> zmq_poller_event_t {
    let (socket, fd) = match e.target {
        // As libzmq: a socket's event names no descriptor.
        Target::Socket(s) => (s as *mut c_void, -1),
        Target::Fd(fd) => (std::ptr::null_mut(), fd),
    };
    zmq_poller_event_t {
        socket,
        fd,
        user_data: e.user_data as *mut c_void,
        events: e.events,
    }
}

/// zmq_poller_new(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_new() -> *mut c_void {
    guard_ptr(|| {
        let h = Box::new(PollerHandle {
            tag: AtomicU32::new(POLLER_TAG),
            set: Mutex::new(Poller::new()),
            signal: Mutex::new(None),
        });
        Ok(Box::into_raw(h) as *mut c_void)
    })
}

/// zmq_poller_destroy(3): frees the poller and sets `*poller_p` to NULL.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_destroy(poller_p: *mut *mut c_void) -> c_int {
    guard_int(|| {
        if poller_p.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: non-NULL pointer to the caller's handle variable.
        let p = unsafe { *poller_p };
        let h = poller(p)?;
        h.tag.store(POLLER_DEAD, Ordering::Release);
        // SAFETY: `p` came from Box::into_raw in zmq_poller_new and carried
        // the live tag, which we just cleared: it is freed exactly once.
        drop(unsafe { Box::from_raw(p as *mut PollerHandle) });
        // SAFETY: as above.
        unsafe { *poller_p = std::ptr::null_mut() };
        Ok(0)
    })
}

/// zmq_poller_size(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_size(p: *mut c_void) -> c_int {
    guard_int(|| Ok(poller(p)?.set.lock().size().min(i32::MAX as usize) as i32))
}

/// zmq_poller_add(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_add(
    p: *mut c_void,
    socket: *mut c_void,
    user_data: *mut c_void,
    events: c_short,
) -> c_int {
    guard_int(|| {
        let h = poller(p)?;
        let safe = safe_mailbox_fd(socket)?;
        h.set
            .lock()
            .add(socket as usize, user_data as usize, events)?;
        if let Some(fd) = safe {
            if let Err(e) = h.watch(fd) {
                let _ = h.set.lock().remove(socket as usize);
                return Err(e);
            }
        }
        Ok(0)
    })
}

/// zmq_poller_modify(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_modify(
    p: *mut c_void,
    socket: *mut c_void,
    events: c_short,
) -> c_int {
    guard_int(|| {
        let h = poller(p)?;
        check_socket(socket)?;
        h.set.lock().modify(socket as usize, events)?;
        Ok(0)
    })
}

/// zmq_poller_remove(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_remove(p: *mut c_void, socket: *mut c_void) -> c_int {
    guard_int(|| {
        let h = poller(p)?;
        let safe = safe_mailbox_fd(socket)?;
        h.set.lock().remove(socket as usize)?;
        if let Some(fd) = safe {
            h.unwatch(fd);
        }
        Ok(0)
    })
}

/// zmq_poller_add_fd(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_add_fd(
    p: *mut c_void,
    fd: zmq_fd_t,
    user_data: *mut c_void,
    events: c_short,
) -> c_int {
    guard_int(|| {
        poller(p)?
            .set
            .lock()
            .add_fd(fd, user_data as usize, events)?;
        Ok(0)
    })
}

/// zmq_poller_modify_fd(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_modify_fd(
    p: *mut c_void,
    fd: zmq_fd_t,
    events: c_short,
) -> c_int {
    guard_int(|| {
        poller(p)?.set.lock().modify_fd(fd, events)?;
        Ok(0)
    })
}

/// zmq_poller_remove_fd(3).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_remove_fd(p: *mut c_void, fd: zmq_fd_t) -> c_int {
    guard_int(|| {
        poller(p)?.set.lock().remove_fd(fd)?;
        Ok(0)
    })
}

fn wait_all(
    p: *mut c_void,
    events: *mut zmq_poller_event_t,
    n: c_int,
    timeout: c_long,
) -> Result<i32> {
    let h = poller(p)?;
    if events.is_null() {
        return Err(Error::EFAULT);
    }
    if n < 0 {
        return Err(Error::EINVAL);
    }
    // c_long is 32 bits on some targets.
    #[allow(clippy::unnecessary_cast)]
    let timeout = timeout as i64;
    let found = h
        .set
        .lock()
        .wait(&mut Handles::default(), n as usize, timeout)?;
    // SAFETY: the caller passes `n` writable events at `events`.
    let out = unsafe { std::slice::from_raw_parts_mut(events, n as usize) };
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = found.get(i).map_or(EMPTY_EVENT, to_c);
    }
    Ok(found.len().min(i32::MAX as usize) as i32)
}

/// zmq_poller_wait(3): 0 when `*event` holds a ready item; on failure
/// `*event` is cleared (socket and user_data NULL, fd -1, no events).
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_wait(
    p: *mut c_void,
    event: *mut zmq_poller_event_t,
    timeout: c_long,
) -> c_int {
    guard_int(|| match wait_all(p, event, 1, timeout) {
        Ok(_) => Ok(0),
        Err(e) => {
            if !event.is_null() {
                // SAFETY: non-NULL pointer to the caller's event.
                unsafe { *event = EMPTY_EVENT };
            }
            Err(e)
        }
    })
}

/// zmq_poller_wait_all(3): the number of ready items written to `events`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_wait_all(
    p: *mut c_void,
    events: *mut zmq_poller_event_t,
    n_events: c_int,
    timeout: c_long,
) -> c_int {
    guard_int(|| wait_all(p, events, n_events, timeout))
}

/// zmq_poller_fd(3): the poller's own descriptor (see the module
/// comment); EINVAL when it never held a thread-safe socket, EFAULT for a
/// NULL `fd`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_fd(p: *mut c_void, fd: *mut zmq_fd_t) -> c_int {
    guard_int(|| {
        let h = poller(p)?;
        let Some(ep) = h.signal.lock().as_ref().map(|f| f.as_raw_fd()) else {
            return Err(Error::EINVAL);
        };
        if fd.is_null() {
            return Err(Error::EFAULT);
        }
        // SAFETY: non-NULL pointer to the caller's zmq_fd_t.
        unsafe { *fd = ep };
        Ok(0)
    })
}

#[cfg(test)]
mod tests;
