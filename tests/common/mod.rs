//! Helpers the integration tests share: libzmq constants (values from
//! zmq.h) and small wrappers over the C API.
#![allow(dead_code)]

use libc::{c_int, c_void};
use zmq::ffi::socket::{zmq_getsockopt, zmq_setsockopt};

pub const ZMQ_PAIR: c_int = 0;
pub const ZMQ_PUB: c_int = 1;
pub const ZMQ_SUB: c_int = 2;
pub const ZMQ_REQ: c_int = 3;
pub const ZMQ_REP: c_int = 4;
pub const ZMQ_DEALER: c_int = 5;
pub const ZMQ_ROUTER: c_int = 6;
pub const ZMQ_PULL: c_int = 7;
pub const ZMQ_PUSH: c_int = 8;
/// The draft types that speak udp.
pub const ZMQ_RADIO: c_int = 14;
pub const ZMQ_DISH: c_int = 15;
pub const ZMQ_DGRAM: c_int = 18;
pub const ZMQ_RCVHWM: c_int = 24;
pub const ZMQ_IPV6: c_int = 42;
pub const ZMQ_DONTWAIT: c_int = 1;
pub const ZMQ_SNDMORE: c_int = 2;
pub const ZMQ_SUBSCRIBE: c_int = 6;
pub const ZMQ_RCVMORE: c_int = 13;
pub const ZMQ_LINGER: c_int = 17;
pub const ZMQ_RCVTIMEO: c_int = 27;
pub const ZMQ_SNDTIMEO: c_int = 28;
pub const ZMQ_LAST_ENDPOINT: c_int = 32;
pub const ZMQ_HEARTBEAT_IVL: c_int = 75;
pub const ZMQ_POLLIN: i16 = 1;

/// The socket's ZMQ_LAST_ENDPOINT (what a wildcard bind resolved to).
pub fn last_endpoint(s: *mut c_void) -> String {
    let mut buf = [0u8; 256];
    let mut len = buf.len();
    // SAFETY: `s` is a live socket; buf/len describe a writable buffer.
    let rc = unsafe { zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, buf.as_mut_ptr().cast(), &mut len) };
    assert_eq!(rc, 0);
    let end = buf.iter().position(|&b| b == 0).unwrap_or(len);
    String::from_utf8(buf[..end].to_vec()).unwrap()
}

/// Sets an int option; panics if libzmq would refuse it.
pub fn set_int(s: *mut c_void, opt: c_int, v: c_int) {
    // SAFETY: `s` is a live socket; the value is a local int of its size.
    let rc = unsafe { zmq_setsockopt(s, opt, (&v as *const c_int).cast(), 4) };
    assert_eq!(rc, 0);
}

/// ZMTP as a raw peer writes it (RFC 23/ZMTP), for tests that play the
/// other side of a connection byte by byte.
pub mod wire {
    /// A valid ZMTP 3.0 greeting for `mechanism` (as client: as-server 0).
    pub fn greeting(mechanism: &[u8], major: u8) -> Vec<u8> {
        let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, major, 0];
        let mut mech = [0u8; 20];
        mech[..mechanism.len()].copy_from_slice(mechanism);
        g.extend_from_slice(&mech);
        g.push(0);
        g.extend_from_slice(&[0u8; 31]);
        g
    }

    /// A READY command (short command frame) announcing `socket_type`.
    pub fn ready(socket_type: &[u8]) -> Vec<u8> {
        let mut body = vec![5];
        body.extend_from_slice(b"READY");
        body.push(11);
        body.extend_from_slice(b"Socket-Type");
        body.extend_from_slice(&(socket_type.len() as u32).to_be_bytes());
        body.extend_from_slice(socket_type);
        let mut f = vec![0x04, body.len() as u8];
        f.extend_from_slice(&body);
        f
    }
}
