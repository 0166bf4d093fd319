use super::*;
use crate::error::errno;
use crate::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
use crate::ffi::socket::{zmq_bind, zmq_close, zmq_connect, zmq_recv, zmq_send, zmq_socket};
use crate::socket::patterns::{ZMQ_PAIR, ZMQ_PULL, ZMQ_PUSH};
use std::ffi::CString;

struct P(*mut c_void);
// SAFETY: test-only: the handle is used by one thread at a time.
unsafe impl Send for P {}

#[test]
fn handle_checks_and_draft_errnos() {
    // SAFETY: every pointer passed is NULL, a live handle, or a dead one
    // whose block stays allocated until its context terminates.
    unsafe {
        let ctx = zmq_ctx_new();
        let s = zmq_socket(ctx, ZMQ_PAIR);
        assert_eq!(zmq_proxy(std::ptr::null_mut(), s, std::ptr::null_mut()), -1);
        assert_eq!(errno(), libc::EFAULT);
        assert_eq!(zmq_device(4, s, std::ptr::null_mut()), -1);
        assert_eq!(errno(), libc::EFAULT);
        assert_eq!(zmq_proxy_steerable(s, s, s, std::ptr::null_mut()), -1);
        assert_eq!(errno(), libc::EINVAL);
        let g = CString::new("g").unwrap();
        assert_eq!(zmq_join(s, g.as_ptr()), -1);
        assert_eq!(errno(), libc::ENOTSUP);
        assert_eq!(zmq_leave(s, g.as_ptr()), -1);
        assert_eq!(errno(), libc::ENOTSUP);
        assert_eq!(zmq_connect_peer(s, g.as_ptr()), 0);
        assert_eq!(errno(), libc::ENOTSUP);
        assert_eq!(zmq_socket_get_peer_state(s, g.as_ptr() as _, 1), -1);
        assert_eq!(errno(), libc::ENOTSUP);
        assert_eq!(zmq_join(std::ptr::null_mut(), g.as_ptr()), -1);
        assert_eq!(errno(), libc::ENOTSOCK);
        assert_eq!(zmq_leave(std::ptr::null_mut(), g.as_ptr()), -1);
        assert_eq!(errno(), libc::ENOTSOCK);
        assert_eq!(zmq_connect_peer(std::ptr::null_mut(), g.as_ptr()), 0);
        assert_eq!(errno(), libc::ENOTSOCK);
        assert_eq!(
            zmq_socket_get_peer_state(std::ptr::null_mut(), g.as_ptr() as _, 1),
            -1
        );
        assert_eq!(errno(), libc::ENOTSOCK);
        assert_eq!(zmq_close(s), 0);
        assert_eq!(zmq_proxy(s, s, std::ptr::null_mut()), -1);
        assert_eq!(errno(), libc::ENOTSOCK);
        assert_eq!(zmq_join(s, g.as_ptr()), -1);
        assert_eq!(errno(), libc::ENOTSOCK);
        assert_eq!(zmq_ctx_term(ctx), 0);
    }
}

#[test]
fn c_proxy_until_eterm() {
    // SAFETY: live handles from zmq_socket, each used by one thread.
    unsafe {
        let ctx = zmq_ctx_new();
        let front = zmq_socket(ctx, ZMQ_PULL);
        let back = zmq_socket(ctx, ZMQ_PUSH);
        let a = CString::new("inproc://cpx-front").unwrap();
        let b = CString::new("inproc://cpx-back").unwrap();
        assert_eq!(zmq_bind(front, a.as_ptr()), 0);
        assert_eq!(zmq_bind(back, b.as_ptr()), 0);
        let (pf, pb) = (P(front), P(back));
        let t = std::thread::spawn(move || {
            let (pf, pb) = (pf, pb);
            let rc = zmq_proxy(pf.0, pb.0, std::ptr::null_mut());
            let e = errno();
            zmq_close(pf.0);
            zmq_close(pb.0);
            (rc, e)
        });
        let src = zmq_socket(ctx, ZMQ_PUSH);
        let dst = zmq_socket(ctx, ZMQ_PULL);
        assert_eq!(zmq_connect(src, a.as_ptr()), 0);
        assert_eq!(zmq_connect(dst, b.as_ptr()), 0);
        assert_eq!(zmq_send(src, b"hello".as_ptr() as _, 5, 0), 5);
        let mut buf = [0u8; 16];
        assert_eq!(zmq_recv(dst, buf.as_mut_ptr() as _, 16, 0), 5);
        assert_eq!(&buf[..5], b"hello");
        zmq_close(src);
        zmq_close(dst);
        assert_eq!(zmq_ctx_term(ctx), 0);
        let (rc, e) = t.join().unwrap();
        assert_eq!(rc, -1);
        assert_eq!(e, crate::error::ETERM);
    }
}
