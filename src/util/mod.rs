//! Utilities behind the C API: Z85, CURVE keys, atomic counters,
//! stopwatches, threads, timers (zmq_z85_encode(3), zmq_curve_keypair(3),
//! zmq_atomic_counter_new(3), zmq_timers(3)) and the capability list of
//! zmq_has(3).
//!
//! Everything here is safe Rust; the C shims live in `crate::ffi::util`.

pub mod clock;
pub mod counter;
pub mod curve;
pub mod timers;
pub mod z85;

/// libzmq's version, as zmq_version(3) reports it.
pub const VERSION: (i32, i32, i32) = (4, 3, 5);

/// Whether this build supports `capability` (zmq_has(3)): a transport
/// ("ipc", "pgm", "tipc", "norm", "vmci"), a security mechanism ("curve",
/// "gssapi") or "draft". Names are exact and case-sensitive, as in libzmq.
///
/// This is the single list zmq_has consults: grow it as features land.
pub fn has(capability: &str) -> bool {
    match capability {
        "ipc" => true,
        // CURVE keys and the CurveZMQ mechanism (src/zmtp/curve.rs).
        "curve" => true,
        // PLAIN is always built in and libzmq does not list it. "draft"
        // is false as in Debian's stable build, although the draft API is
        // here: bindings built against a stable zmq.h read it to switch on
        // draft paths they compiled as stubs (Debian's pyzmq turns
        // zmq_join, zmq_msg_set_group, ... into -1 then).
        "plain" | "gssapi" | "pgm" | "tipc" | "norm" | "vmci" | "draft" | "ws" | "wss" => false,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
