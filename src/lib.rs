//! libzmq-rs: ZeroMQ's libzmq 4.3.5 written again in Rust, shipped as a
//! drop-in `libzmq.so.5`.
//!
//! The layering follows shared/ARCHITECTURE.md: `ffi` (C shims) over
//! `socket` (socket core and one file per pattern) over `pipe` (bounded
//! message pipes) over `io` (I/O threads, sessions, engines) over `transport`
//! (OS sockets); `zmtp` is the protocol without I/O, `msg` the message.

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
