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
mod tests;
