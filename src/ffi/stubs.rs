//! Placeholder shims for every libzmq 4.3.5 export that has no real
//! implementation yet: each one fails with `ENOTSUP` (`-1`, `NULL`, or `0`
//! for `zmq_connect_peer`), so that the shared object already exports the
//! complete libzmq ABI (tests/abi/symbols.txt) and programs link and load.
//!
//! Invariants:
//! - Every function here has exactly the C signature of include/zmq.h;
//!   tests/abi.rs compiles cbindgen's view of src/ffi against zmq.h, so a
//!   wrong prototype fails the build of that test.
//! - Functions are grouped by man page, one comment line per group, and no
//!   function depends on another: when a real shim lands elsewhere in
//!   src/ffi, delete its stub (or its whole group) here, nothing else.
//! - The structs below carry libzmq's layout (zmq_poll(3), zmq_poller(3));
//!   tests/abi.rs checks size/alignment/offsets against Debian's zmq.h.
//!   Move them to their real module when zmq_poll / zmq_poller are written.
//!
//! Not covered here (implemented by other modules): zmq_msg_* (except
//! send/recv), zmq_errno, zmq_strerror, zmq_version, zmq_has, zmq_z85_*,
//! zmq_curve_*, zmq_atomic_counter_*, zmq_stopwatch_*, zmq_sleep,
//! zmq_threadstart, zmq_threadclose, zmq_timers_*.
#![allow(clippy::missing_safety_doc)]
#![allow(non_camel_case_types)]

use crate::error::Error;
use crate::ffi::{guard, guard_int, guard_ptr};
use libc::{c_char, c_int, c_long, c_short, c_void, iovec, sigset_t, size_t};

/// The native socket handle type of zmq.h (`zmq_fd_t`): an `int` on POSIX.
pub type zmq_fd_t = c_int;

pub use super::socket::zmq_pollitem_t;
pub use super::msg::zmq_msg_t;

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

// ---- Draft socket calls: zmq_join(3), zmq_leave(3), zmq_connect_peer(3), zmq_socket_get_peer_state(3); all DRAFT.
/// `zmq_join(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_join(_s: *mut c_void, _group: *const c_char) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_leave(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_leave(_s: *mut c_void, _group: *const c_char) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_connect_peer(3), DRAFT; 0 is the failure value`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_connect_peer(_s: *mut c_void, _addr: *const c_char) -> u32 {
    guard(0, || Err(Error::ENOTSUP))
}

/// `zmq_socket_get_peer_state(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_socket_get_peer_state(
    _socket: *mut c_void,
    _routing_id: *const c_void,
    _routing_id_size: size_t,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

// ---- Proxies: zmq_proxy(3), zmq_proxy_steerable(3).
/// `zmq_proxy(3)`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_proxy(
    _frontend: *mut c_void,
    _backend: *mut c_void,
    _capture: *mut c_void,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_proxy_steerable(3)`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_proxy_steerable(
    _frontend: *mut c_void,
    _backend: *mut c_void,
    _capture: *mut c_void,
    _control: *mut c_void,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

// ---- Draft poller: zmq_poller(3), DRAFT.
/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_new() -> *mut c_void {
    guard_ptr(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_destroy(_poller_p: *mut *mut c_void) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_size(_poller: *mut c_void) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_add(
    _poller: *mut c_void,
    _socket: *mut c_void,
    _user_data: *mut c_void,
    _events: c_short,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_modify(
    _poller: *mut c_void,
    _socket: *mut c_void,
    _events: c_short,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_remove(_poller: *mut c_void, _socket: *mut c_void) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_wait(
    _poller: *mut c_void,
    _event: *mut zmq_poller_event_t,
    _timeout: c_long,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_wait_all(
    _poller: *mut c_void,
    _events: *mut zmq_poller_event_t,
    _n_events: c_int,
    _timeout: c_long,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_fd(_poller: *mut c_void, _fd: *mut zmq_fd_t) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_add_fd(
    _poller: *mut c_void,
    _fd: zmq_fd_t,
    _user_data: *mut c_void,
    _events: c_short,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_modify_fd(
    _poller: *mut c_void,
    _fd: zmq_fd_t,
    _events: c_short,
) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

/// `zmq_poller(3), DRAFT`: not implemented yet, fails with `ENOTSUP`.
#[no_mangle]
pub unsafe extern "C" fn zmq_poller_remove_fd(_poller: *mut c_void, _fd: zmq_fd_t) -> c_int {
    guard_int(|| Err(Error::ENOTSUP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, size_of};

    #[test]
    fn layouts_match_zmq_h_on_this_target() {
        assert_eq!(size_of::<zmq_msg_t>(), 64);
        assert_eq!(align_of::<zmq_msg_t>(), align_of::<*const c_void>());
        let ptr = size_of::<*const c_void>();
        // void*, int, short, short: padded to pointer alignment.
        assert_eq!(size_of::<zmq_pollitem_t>(), if ptr == 8 { 16 } else { 12 });
        // void*, int, void*, short.
        assert_eq!(
            size_of::<zmq_poller_event_t>(),
            if ptr == 8 { 32 } else { 16 }
        );
    }

    #[test]
    fn stubs_fail_with_enotsup() {
        // SAFETY: the stubs never dereference their arguments.
        unsafe {
            assert!(zmq_ctx_new().is_null());
            assert_eq!(crate::error::errno(), libc::ENOTSUP);
            assert_eq!(zmq_bind(std::ptr::null_mut(), std::ptr::null()), -1);
            assert_eq!(crate::error::errno(), libc::ENOTSUP);
            assert_eq!(zmq_connect_peer(std::ptr::null_mut(), std::ptr::null()), 0);
            assert_eq!(crate::error::errno(), libc::ENOTSUP);
        }
    }
}
