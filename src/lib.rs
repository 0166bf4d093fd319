//! libzmq-rs: ZeroMQ's libzmq 4.3.5 written again in Rust, shipped as a
//! drop-in `libzmq.so.5`.
//!
//! The layering follows shared/ARCHITECTURE.md: `ffi` (C shims) over
//! `socket` (socket core and one file per pattern) over `pipe` (bounded
//! message pipes) over `io` (I/O threads, sessions, engines) over `transport`
//! (OS sockets); `zmtp` is the protocol without I/O, `msg` the message.

// Every `extern "C"` shim in `ffi` is `unsafe` only because C callers pass
// raw pointers; its safety contract is the one its man page states (valid
// handles, `len` readable bytes at a buffer), and each shim's doc names that
// page. Repeating a `# Safety` section on ~150 shims adds nothing.
#![allow(clippy::missing_safety_doc)]

pub mod ctx;
pub mod error;
pub mod ffi;
pub mod io;
pub mod msg;
pub mod pipe;
pub mod socket;
pub mod transport;
pub mod util;
pub mod zmtp;
