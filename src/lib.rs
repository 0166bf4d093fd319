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
// Library code never panics on purpose: bad input from a C caller or a
// peer is an error value (errno, a closed connection), never an unwrap.
// Test modules may unwrap; `cargo clippy --lib` (run by scripts/test.sh)
// checks everything else.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::exit
    )
)]

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

/// Small blocks from mimalloc, large ones from glibc (see `msg::alloc`).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: msg::alloc::Hybrid = msg::alloc::Hybrid;
