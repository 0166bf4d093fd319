//! Placeholder shims for libzmq 4.3.5 exports that have no real
//! implementation yet: each one would fail with `ENOTSUP` (`-1`, `NULL`, or
//! `0`), so that the shared object always exports the complete libzmq ABI
//! (tests/abi/symbols.txt) and programs link and load.
//!
//! Invariants:
//! - Every function here has exactly the C signature of include/zmq.h;
//!   tests/abi.rs compiles cbindgen's view of src/ffi against zmq.h, so a
//!   wrong prototype fails the build of that test.
//! - Functions are grouped by man page, one comment line per group, and no
//!   function depends on another: when a real shim lands elsewhere in
//!   src/ffi, delete its stub (or its whole group) here, nothing else.
//! - The C structs keep their re-exports here (zmq_poll(3), zmq_poller(3));
//!   they live in src/ffi/socket.rs, src/ffi/poller.rs and src/ffi/msg.rs.
//!
//! Every export now has a real shim: no stub is left.
#![allow(non_camel_case_types)]

pub use super::msg::zmq_msg_t;
pub use super::poller::{zmq_fd_t, zmq_poller_event_t};
pub use super::socket::zmq_pollitem_t;

#[cfg(test)]
mod tests {
    use super::*;
    use libc::c_void;
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
        assert_eq!(size_of::<zmq_fd_t>(), size_of::<libc::c_int>());
    }
}
