//! Large bodies over tcp arrive whole, in order and promptly, whatever
//! their size relative to the socket buffers, however the I/O thread
//! splits their writes and reads (a short first write, bodies read straight
//! into place), and it never waits for bytes that are not coming.
//!
//! Every receive has a timeout, so a connection that waits for more than
//! its peer sends fails the test instead of hanging it.

use libc::{c_int, c_void};
use std::ffi::CString;
use zmq::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
use zmq::ffi::socket::{zmq_bind, zmq_close, zmq_connect, zmq_recv, zmq_send, zmq_socket};

mod common;
use common::{
    last_endpoint, set_int, ZMQ_HEARTBEAT_IVL, ZMQ_PAIR, ZMQ_RCVTIMEO, ZMQ_REP, ZMQ_REQ,
    ZMQ_SNDMORE,
};

/// A body of `n` bytes that says which message it is at every position.
fn body(n: usize, seed: usize) -> Vec<u8> {
    (0..n).map(|i| ((i / 251 + seed * 7) % 256) as u8).collect()
}

fn send(s: *mut c_void, data: &[u8], flags: c_int) {
    // SAFETY: `s` is a live socket; `data` is readable for its length.
    let rc = unsafe { zmq_send(s, data.as_ptr().cast(), data.len(), flags) };
    assert_eq!(rc, data.len() as c_int, "send of {} bytes", data.len());
}

/// Receives one frame into a buffer of `cap` bytes; panics on timeout.
fn recv(s: *mut c_void, cap: usize) -> Vec<u8> {
    let mut buf = vec![0u8; cap];
    // SAFETY: `s` is a live socket; `buf` is writable for `cap` bytes.
    let rc = unsafe { zmq_recv(s, buf.as_mut_ptr().cast(), cap, 0) };
    assert!(rc >= 0, "receive timed out or failed (rc {rc})");
    buf.truncate(rc as usize);
    buf
}

/// A connected pair of sockets of the given types over tcp, each with a
/// receive timeout; `hb` sets ZMQ_HEARTBEAT_IVL on both.
fn pair(ctx: *mut c_void, a: c_int, b: c_int, hb: c_int) -> (*mut c_void, *mut c_void) {
    // SAFETY: plain libzmq calls on a live context.
    unsafe {
        let x = zmq_socket(ctx, a);
        let y = zmq_socket(ctx, b);
        assert!(!x.is_null() && !y.is_null());
        for s in [x, y] {
            set_int(s, ZMQ_RCVTIMEO, 20_000);
            if hb > 0 {
                set_int(s, ZMQ_HEARTBEAT_IVL, hb);
            }
        }
        let any = CString::new("tcp://127.0.0.1:*").unwrap();
        assert_eq!(zmq_bind(x, any.as_ptr()), 0);
        let ep = CString::new(last_endpoint(x)).unwrap();
        assert_eq!(zmq_connect(y, ep.as_ptr()), 0);
        (x, y)
    }
}

/// Round trips of bodies below, near and far above the kernel's socket
/// buffers (the 24 MiB one exceeds the largest mark the kernel accepts).
fn round_trips(hb: c_int) {
    let sizes = [
        200_000,
        1 << 20,
        (1 << 20) + 7,
        131_073,
        5 << 20,
        24 << 20,
        3,
        300_000,
    ];
    // SAFETY: plain libzmq calls on handles this function owns.
    unsafe {
        let ctx = zmq_ctx_new();
        let (rep, req) = pair(ctx, ZMQ_REP, ZMQ_REQ, hb);
        for (i, &n) in sizes.iter().enumerate() {
            let b = body(n, i);
            send(req, &b, 0);
            let got = recv(rep, n + 1);
            assert!(got == b, "request {i} of {n} bytes differs");
            let reply = body(n, i + 100);
            send(rep, &reply, 0);
            let got = recv(req, n + 1);
            assert!(got == reply, "reply {i} of {n} bytes differs");
        }
        assert_eq!(zmq_close(req), 0);
        assert_eq!(zmq_close(rep), 0);
        assert_eq!(zmq_ctx_term(ctx), 0);
    }
}

#[test]
fn large_round_trips_over_tcp() {
    round_trips(0);
}

#[test]
fn large_round_trips_over_tcp_with_heartbeats() {
    round_trips(100);
}

/// A stream of large and small frames back to back, some multipart: each
/// arrives whole and in order, the small ones right behind a large body.
#[test]
fn mixed_sizes_stream_in_order() {
    let sizes = [
        150_000,
        1,
        2 << 20,
        10,
        1 << 20,
        (1 << 20) + 1,
        0,
        4 << 20,
        500_000,
        64,
    ];
    // SAFETY: plain libzmq calls on handles this function owns.
    unsafe {
        let ctx = zmq_ctx_new();
        let (rx, tx) = pair(ctx, ZMQ_PAIR, ZMQ_PAIR, 0);
        let t = tx as usize;
        let writer = std::thread::spawn(move || {
            let tx = t as *mut c_void;
            for round in 0..3 {
                for (i, &n) in sizes.iter().enumerate() {
                    // Every third frame starts a two-part message.
                    let more = i % 3 == 0 && i + 1 < sizes.len();
                    let flags = if more { ZMQ_SNDMORE } else { 0 };
                    send(tx, &body(n, round * 100 + i), flags);
                }
            }
        });
        for round in 0..3 {
            for (i, &n) in sizes.iter().enumerate() {
                let got = recv(rx, n + 1);
                assert!(
                    got == body(n, round * 100 + i),
                    "frame {round}/{i} ({n} bytes) differs"
                );
            }
        }
        writer.join().unwrap();
        assert_eq!(zmq_close(tx), 0);
        assert_eq!(zmq_close(rx), 0);
        assert_eq!(zmq_ctx_term(ctx), 0);
    }
}
