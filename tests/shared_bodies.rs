//! Received bodies that are slices of the I/O thread's read buffer (no
//! copy) stay each their own: messages kept while thousands more arrive
//! keep their bytes, a C caller writing into one (zmq_msg_data(3) is
//! writable, as in libzmq) touches no other, and a kept message outlives
//! the connection and the socket it came from.
//!
//! Every receive has a timeout, so a lost message fails instead of hanging.

use libc::{c_int, c_void};
use std::ffi::CString;
use zmq::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
use zmq::ffi::msg::{zmq_msg_close, zmq_msg_data, zmq_msg_init, zmq_msg_size, zmq_msg_t};
use zmq::ffi::socket::{zmq_bind, zmq_close, zmq_connect, zmq_msg_recv, zmq_send, zmq_socket};

mod common;
use common::{last_endpoint, set_int, ZMQ_PULL, ZMQ_PUSH, ZMQ_RCVTIMEO, ZMQ_SNDTIMEO};

/// The size of message `i`: from just above the inline limit (33 bytes)
/// to a few KiB, so reads end mid-frame and frames share read buffers.
fn size_of(i: usize) -> usize {
    34 + (i * 97) % 3000
}

/// The byte at position `j` of message `i`.
fn byte(i: usize, j: usize) -> u8 {
    ((i * 31 + j * 7) % 251) as u8
}

/// A received message and its index.
struct Kept {
    i: usize,
    msg: Box<zmq_msg_t>,
}

fn data(m: &mut zmq_msg_t) -> &mut [u8] {
    // SAFETY: `m` is an initialised message; zmq_msg_data points to
    // zmq_msg_size writable bytes for as long as `m` is not closed.
    unsafe {
        let n = zmq_msg_size(m);
        std::slice::from_raw_parts_mut(zmq_msg_data(m).cast::<u8>(), n)
    }
}

fn run(endpoint: &str) {
    const N: usize = 6000;
    // SAFETY: plain libzmq calls on live handles created here.
    unsafe {
        let ctx = zmq_ctx_new();
        let pull = zmq_socket(ctx, ZMQ_PULL);
        let push = zmq_socket(ctx, ZMQ_PUSH);
        assert!(!pull.is_null() && !push.is_null());
        set_int(pull, ZMQ_RCVTIMEO, 20_000);
        set_int(push, ZMQ_SNDTIMEO, 20_000);
        let ep = CString::new(endpoint).unwrap();
        assert_eq!(zmq_bind(pull, ep.as_ptr()), 0);
        let real = CString::new(last_endpoint(pull)).unwrap();
        assert_eq!(zmq_connect(push, real.as_ptr()), 0);

        let sender = std::thread::spawn({
            let push = push as usize;
            move || {
                for i in 0..N {
                    let body: Vec<u8> = (0..size_of(i)).map(|j| byte(i, j)).collect();
                    let rc = zmq_send(push as *mut c_void, body.as_ptr().cast(), body.len(), 0);
                    assert_eq!(rc, body.len() as c_int, "send {i}");
                }
            }
        });

        // Keep every third message; scribble over every kept one at once.
        let mut kept = Vec::new();
        for i in 0..N {
            let mut msg = Box::new(std::mem::zeroed::<zmq_msg_t>());
            assert_eq!(zmq_msg_init(&mut *msg), 0);
            let rc = zmq_msg_recv(&mut *msg, pull, 0);
            assert_eq!(rc, size_of(i) as c_int, "message {i}");
            let d = data(&mut msg);
            assert!(
                d.iter().enumerate().all(|(j, b)| *b == byte(i, j)),
                "body {i}"
            );
            if i % 3 == 0 {
                d.iter_mut().for_each(|b| *b = (i % 256) as u8);
                kept.push(Kept { i, msg });
            } else {
                assert_eq!(zmq_msg_close(&mut *msg), 0);
            }
        }
        sender.join().unwrap();
        assert_eq!(zmq_close(push), 0);
        assert_eq!(zmq_close(pull), 0);
        // The socket is gone: the kept bodies are still each their own.
        for k in &mut kept {
            let i = k.i;
            assert_eq!(data(&mut k.msg).len(), size_of(i));
            assert!(
                data(&mut k.msg).iter().all(|b| *b == (i % 256) as u8),
                "kept {i}"
            );
        }
        for mut k in kept {
            assert_eq!(zmq_msg_close(&mut *k.msg), 0);
        }
        assert_eq!(zmq_ctx_term(ctx), 0);
    }
}

#[test]
fn kept_bodies_over_tcp() {
    run("tcp://127.0.0.1:*");
}

#[test]
fn kept_bodies_over_ipc() {
    let path = std::env::temp_dir().join(format!("zmq-shared-bodies-{}", std::process::id()));
    run(&format!("ipc://{}", path.display()));
}
