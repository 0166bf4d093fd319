use super::*;
use crate::error::errno;
use crate::ffi::ctx::{zmq_ctx_new, zmq_ctx_term};
use crate::ffi::socket::{zmq_bind, zmq_close, zmq_connect, zmq_recv, zmq_send, zmq_socket};
use crate::socket::patterns::{ZMQ_PULL, ZMQ_PUSH};
use std::ffi::CString;

#[test]
fn layout_matches_zmq_h() {
    let ptr = std::mem::size_of::<*const c_void>();
    assert_eq!(
        std::mem::size_of::<zmq_poller_event_t>(),
        if ptr == 8 { 32 } else { 16 }
    );
}

#[test]
fn c_poller_roundtrip_and_errnos() {
    // SAFETY: every handle passed is NULL, live, or a dead socket
    // handle (kept allocated until its context terminates).
    unsafe {
        let null = std::ptr::null_mut();
        assert!(zmq_poller_destroy(null as _) == -1 && errno() == libc::EFAULT);
        let mut nothing: *mut c_void = null;
        assert!(zmq_poller_destroy(&mut nothing) == -1 && errno() == libc::EFAULT);
        assert!(zmq_poller_size(null) == -1 && errno() == libc::EFAULT);
        let mut ev = EMPTY_EVENT;
        assert!(zmq_poller_wait(null, &mut ev, 0) == -1 && errno() == libc::EFAULT);

        let ctx = zmq_ctx_new();
        let pull = zmq_socket(ctx, ZMQ_PULL);
        let push = zmq_socket(ctx, ZMQ_PUSH);
        let ep = CString::new("inproc://cpoller").unwrap();
        assert_eq!(zmq_bind(pull, ep.as_ptr()), 0);
        assert_eq!(zmq_connect(push, ep.as_ptr()), 0);

        let mut p = zmq_poller_new();
        assert!(!p.is_null());
        assert_eq!(zmq_poller_size(p), 0);
        assert!(zmq_poller_wait(p, &mut ev, -1) == -1 && errno() == libc::EFAULT);
        assert_eq!(ev.fd, -1);
        assert!(zmq_poller_wait(p, &mut ev, 0) == -1 && errno() == libc::EAGAIN);
        assert!(zmq_poller_add(p, null, null, 1) == -1 && errno() == libc::ENOTSOCK);
        assert!(zmq_poller_add(null, pull, null, 1) == -1 && errno() == libc::EFAULT);
        assert!(zmq_poller_add(p, pull, null, 0x40) == -1 && errno() == libc::EINVAL);
        assert_eq!(zmq_poller_add(p, pull, 7 as _, 1), 0);
        assert!(zmq_poller_add(p, pull, null, 1) == -1 && errno() == libc::EINVAL);
        assert!(zmq_poller_modify(p, push, 1) == -1 && errno() == libc::EINVAL);
        assert!(zmq_poller_remove(p, push) == -1 && errno() == libc::EINVAL);
        assert!(zmq_poller_add_fd(p, -1, null, 1) == -1 && errno() == libc::EBADF);
        assert!(zmq_poller_remove_fd(p, 9999) == -1 && errno() == libc::EINVAL);
        let mut fd: zmq_fd_t = 0;
        assert!(zmq_poller_fd(p, &mut fd) == -1 && errno() == libc::EINVAL);
        assert!(zmq_poller_fd(null, &mut fd) == -1 && errno() == libc::EFAULT);
        assert_eq!(zmq_poller_size(p), 1);

        assert!(zmq_poller_wait(p, &mut ev, 10) == -1 && errno() == libc::EAGAIN);
        assert_eq!(zmq_send(push, b"m".as_ptr() as _, 1, 0), 1);
        assert_eq!(zmq_poller_wait(p, &mut ev, -1), 0);
        assert_eq!(ev.socket, pull);
        assert_eq!(ev.user_data as usize, 7);
        assert_eq!(ev.events, 1);

        assert_eq!(zmq_poller_add(p, push, 8 as _, 2), 0);
        let mut evs = [EMPTY_EVENT; 3];
        assert!(zmq_poller_wait_all(p, evs.as_mut_ptr(), -1, 0) == -1 && errno() == libc::EINVAL);
        assert!(zmq_poller_wait_all(p, null as _, 3, 0) == -1 && errno() == libc::EFAULT);
        evs[2].events = 99;
        assert_eq!(zmq_poller_wait_all(p, evs.as_mut_ptr(), 3, 0), 2);
        assert_eq!(evs[1].socket, push);
        assert_eq!(evs[1].events, 2);
        assert_eq!(evs[2].events, 0);
        let mut buf = [0u8; 4];
        assert_eq!(zmq_recv(pull, buf.as_mut_ptr() as _, 4, 0), 1);
        assert_eq!(zmq_poller_modify(p, push, 0), 0);
        assert!(zmq_poller_wait_all(p, evs.as_mut_ptr(), 3, 0) == -1 && errno() == libc::EAGAIN);
        assert_eq!(zmq_poller_remove(p, push), 0);
        assert_eq!(zmq_poller_size(p), 1);

        assert_eq!(zmq_close(push), 0);
        assert!(zmq_poller_remove(p, push) == -1 && errno() == libc::ENOTSOCK);
        assert_eq!(zmq_poller_destroy(&mut p), 0);
        assert!(p.is_null());
        zmq_close(pull);
        assert_eq!(zmq_ctx_term(ctx), 0);
    }
}
