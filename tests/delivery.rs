//! Nothing is lost between a PUSH that sends and then closes and a PULL
//! that reads, over ipc and tcp: every message sent before `zmq_close` and
//! `zmq_ctx_term` (default linger: wait for delivery) reaches the reader.
//!
//! The sender lives in its own context on its own thread, as in another
//! process, and ends right after its last send, so the connection closes
//! while the reader is still far behind: the I/O thread must read on to
//! the end of the stream (one-byte frames many to a read, then large frames
//! read straight into their body) before it acts on the close.
//! Debian's libzmq 4.3.4 fails this over ipc with 1-byte messages (the
//! reader gets 875,000-899,000 of 900,000, seen with perf/thr_send).

use libc::c_int;
use std::ffi::CString;
use zmq::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
use zmq::ffi::msg::{zmq_msg_close, zmq_msg_data, zmq_msg_init, zmq_msg_size, zmq_msg_t};
use zmq::ffi::socket::{
    zmq_bind, zmq_close, zmq_connect, zmq_msg_recv, zmq_send, zmq_setsockopt, zmq_socket,
};

mod common;
use common::{last_endpoint, ZMQ_PULL, ZMQ_PUSH, ZMQ_RCVTIMEO};

/// What the sender sends: `small` one-byte messages, then `large` bodies of
/// `large_size` bytes, the last byte of each numbering it.
#[derive(Clone, Copy)]
struct Plan {
    small: usize,
    large: usize,
    large_size: usize,
}

fn send_all(endpoint: String, plan: Plan) {
    // SAFETY: plain libzmq calls on handles this function owns.
    unsafe {
        let ctx = zmq_ctx_new();
        assert!(!ctx.is_null());
        let push = zmq_socket(ctx, ZMQ_PUSH);
        assert!(!push.is_null());
        let ep = CString::new(endpoint).unwrap();
        assert_eq!(zmq_connect(push, ep.as_ptr()), 0);
        for _ in 0..plan.small {
            assert_eq!(zmq_send(push, b"s".as_ptr().cast(), 1, 0), 1);
        }
        let mut body = vec![b'L'; plan.large_size];
        for i in 0..plan.large {
            if let Some(last) = body.last_mut() {
                *last = (i % 251) as u8;
            }
            let n = zmq_send(push, body.as_ptr().cast(), body.len(), 0);
            assert_eq!(n, plan.large_size as c_int);
        }
        assert_eq!(zmq_close(push), 0);
        assert_eq!(zmq_ctx_term(ctx), 0);
    }
}

fn check_delivery(bind: &str, plan: Plan) {
    // SAFETY: plain libzmq calls on handles this function owns; message
    // data is read only within its size.
    unsafe {
        let ctx = zmq_ctx_new();
        assert!(!ctx.is_null());
        let pull = zmq_socket(ctx, ZMQ_PULL);
        assert!(!pull.is_null());
        let timeout: c_int = 20_000;
        let rc = zmq_setsockopt(
            pull,
            ZMQ_RCVTIMEO,
            (&timeout as *const c_int).cast(),
            std::mem::size_of::<c_int>(),
        );
        assert_eq!(rc, 0);
        let ep = CString::new(bind).unwrap();
        assert_eq!(zmq_bind(pull, ep.as_ptr()), 0);
        let endpoint = last_endpoint(pull);
        let sender = std::thread::spawn(move || send_all(endpoint, plan));

        let mut msg: zmq_msg_t = std::mem::zeroed();
        assert_eq!(zmq_msg_init(&mut msg), 0);
        for i in 0..plan.small {
            let n = zmq_msg_recv(&mut msg, pull, 0);
            assert_eq!(n, 1, "small message {i} of {} ({bind})", plan.small);
        }
        for i in 0..plan.large {
            let n = zmq_msg_recv(&mut msg, pull, 0);
            assert_eq!(n, plan.large_size as c_int, "large message {i} ({bind})");
            let size = zmq_msg_size(&msg);
            let data = std::slice::from_raw_parts(zmq_msg_data(&mut msg) as *const u8, size);
            assert_eq!(data.first(), Some(&b'L'));
            assert_eq!(data.last(), Some(&((i % 251) as u8)), "large message {i}");
        }
        assert_eq!(zmq_msg_close(&mut msg), 0);
        sender.join().unwrap();
        assert_eq!(zmq_close(pull), 0);
        assert_eq!(zmq_ctx_term(ctx), 0);
    }
}

const PLAN: Plan = Plan {
    small: 200_000,
    large: 40,
    large_size: 300 * 1024,
};

#[test]
fn push_then_close_delivers_everything_over_ipc() {
    let path = std::env::temp_dir().join(format!("zmq-delivery-{}.ipc", std::process::id()));
    let _ = std::fs::remove_file(&path);
    check_delivery(&format!("ipc://{}", path.display()), PLAN);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn push_then_close_delivers_everything_over_tcp() {
    check_delivery("tcp://127.0.0.1:*", PLAN);
}
