//! Proxy shims: zmq_proxy(3), zmq_proxy_steerable(3), the deprecated
//! zmq_device (zmq_proxy with its type argument ignored, as libzmq does),
//! and the draft per-socket calls zmq_join(3), zmq_leave(3),
//! zmq_connect_peer(3), zmq_socket_get_peer_state(3).
//!
//! Handles: NULL frontend or backend is EFAULT (libzmq's check); a pointer
//! that is not a live socket is ENOTSOCK. The proxy logic lives in
//! [`crate::socket::proxy`]; here we only lock the sockets it uses for the
//! whole run (libzmq sockets belong to one thread, the proxy's). The
//! frontend may be the backend; any other repetition of one socket is
//! EINVAL (it could not be locked twice).
//!
//! Draft calls, libzmq 4.3.5's errno rules: zmq_join/zmq_leave are ENOTSUP
//! on every socket that is not DISH, and on DISH EINVAL for a NULL group,
//! a group longer than ZMQ_GROUP_MAX_LENGTH, a join of a joined group or
//! a leave of a group not joined; zmq_connect_peer is ENOTSUP (returning
//! 0) on every socket that is not PEER, EFAULT under ZMQ_IMMEDIATE, else
//! the errors of zmq_connect(3); zmq_socket_get_peer_state is ENOTSUP on
//! every socket that is not ROUTER; on ROUTER it is EHOSTUNREACH for an
//! unknown routing id, else ZMQ_POLLOUT when that peer's pipe is below its
//! HWM (0 when full). Never crashes where libzmq would: a NULL id with a
//! non-zero size is EFAULT.

#![allow(clippy::missing_safety_doc)]

use super::socket::with_socket;
use super::{guard, guard_int};
use crate::error::{Error, Result};
use crate::socket::patterns::{ZMQ_DISH, ZMQ_PEER};
use crate::socket::proxy::{proxy, ProxySockets};
use crate::socket::Socket;
use libc::{c_char, c_int, c_void, size_t};

/// Runs `f` with the socket behind `p`, or with `None` when `p` is NULL.
fn with_opt<T>(p: *mut c_void, f: impl FnOnce(Option<&mut Socket>) -> Result<T>) -> Result<T> {
    if p.is_null() {
        f(None)
    } else {
        with_socket(p, |s| f(Some(s)))
    }
}

fn run_proxy(
    frontend: *mut c_void,
    backend: *mut c_void,
    capture: *mut c_void,
    control: *mut c_void,
) -> Result<i32> {
    if frontend.is_null() || backend.is_null() {
        return Err(Error::EFAULT);
    }
    let all = [frontend, backend, capture, control];
    for (i, a) in all.iter().enumerate() {
        for (j, b) in all.iter().enumerate().skip(i + 1) {
            let allowed = (i, j) == (0, 1) || a.is_null();
            if *a == *b && !allowed {
                return Err(Error::EINVAL);
            }
        }
    }
    let same = frontend == backend;
    with_socket(frontend, |fe| {
        let back = if same { std::ptr::null_mut() } else { backend };
        with_opt(back, |be| {
            with_opt(capture, |cap| {
                with_opt(control, |ctl| {
                    proxy(&mut ProxySockets {
                        frontend: fe,
                        backend: be,
                        capture: cap,
                        control: ctl,
                    })
                })
            })
        })
    })?;
    Ok(0)
}

/// zmq_proxy(3): runs until the context terminates (-1, ETERM).
#[no_mangle]
pub unsafe extern "C" fn zmq_proxy(
    frontend: *mut c_void,
    backend: *mut c_void,
    capture: *mut c_void,
) -> c_int {
    guard_int(|| run_proxy(frontend, backend, capture, std::ptr::null_mut()))
}

/// zmq_proxy_steerable(3): 0 after TERMINATE on `control`.
#[no_mangle]
pub unsafe extern "C" fn zmq_proxy_steerable(
    frontend: *mut c_void,
    backend: *mut c_void,
    capture: *mut c_void,
    control: *mut c_void,
) -> c_int {
    guard_int(|| run_proxy(frontend, backend, capture, control))
}

/// zmq_device: the deprecated name of zmq_proxy(3); `type_` is ignored.
#[no_mangle]
pub unsafe extern "C" fn zmq_device(
    _type: c_int,
    frontend: *mut c_void,
    backend: *mut c_void,
) -> c_int {
    guard_int(|| {
        run_proxy(
            frontend,
            backend,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    })
}

/// The C string argument of the draft group and peer calls: EINVAL when
/// NULL.
fn c_arg<'a>(p: *const c_char) -> Result<&'a [u8]> {
    if p.is_null() {
        return Err(Error::EINVAL);
    }
    // SAFETY: non-NULL; the caller passes a NUL-terminated string.
    Ok(unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes())
}

/// zmq_join/zmq_leave: `op` on a DISH socket; ENOTSUP on other types.
fn dish_op(
    s: *mut c_void,
    group: *const c_char,
    op: impl FnOnce(&mut Socket, &[u8]) -> Result<()>,
) -> c_int {
    guard_int(|| {
        with_socket(s, |sock| {
            if sock.socket_type() != ZMQ_DISH {
                return Err(Error::ENOTSUP);
            }
            op(sock, c_arg(group)?)
        })?;
        Ok(0)
    })
}

/// zmq_join(3), DRAFT: DISH joins `group`; ENOTSUP on other types.
#[no_mangle]
pub unsafe extern "C" fn zmq_join(s: *mut c_void, group: *const c_char) -> c_int {
    dish_op(s, group, Socket::join)
}

/// zmq_leave(3), DRAFT: DISH leaves `group`; ENOTSUP on other types.
#[no_mangle]
pub unsafe extern "C" fn zmq_leave(s: *mut c_void, group: *const c_char) -> c_int {
    dish_op(s, group, Socket::leave)
}

/// zmq_connect_peer(3), DRAFT: connects a PEER socket and returns the new
/// peer's routing id; 0 (the failure value) with ENOTSOCK for a bad
/// handle, ENOTSUP for a socket that is not PEER.
#[no_mangle]
pub unsafe extern "C" fn zmq_connect_peer(s: *mut c_void, addr: *const c_char) -> u32 {
    guard(0, || {
        with_socket(s, |sock| {
            if sock.socket_type() != ZMQ_PEER {
                return Err(Error::ENOTSUP);
            }
            let a = std::str::from_utf8(c_arg(addr)?).map_err(|_| Error::EINVAL)?;
            sock.connect_peer(a)
        })
    })
}

/// zmq_socket_get_peer_state(3), DRAFT: ENOTSUP on non-ROUTER sockets.
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_get_peer_state(
    s: *mut c_void,
    routing_id: *const c_void,
    routing_id_size: size_t,
) -> c_int {
    guard_int(|| {
        with_socket(s, |sock| {
            let id: &[u8] = if routing_id_size == 0 {
                &[]
            } else if routing_id.is_null() {
                return Err(Error::EFAULT);
            } else {
                // SAFETY: the caller passes `routing_id_size` readable
                // bytes at `routing_id` (zmq_socket_get_peer_state(3)); it
                // is only read during this call.
                unsafe { std::slice::from_raw_parts(routing_id.cast::<u8>(), routing_id_size) }
            };
            sock.peer_state(id)
        })
    })
}

#[cfg(test)]
mod tests;
