use super::*;
use crate::ctx::Ctx;
use crate::msg::Msg;
use crate::socket::patterns::{ZMQ_PULL, ZMQ_PUSH};
use crate::socket::Socket;
use std::os::fd::AsRawFd;

struct Socks(Vec<Socket>);

impl SocketSet<usize> for Socks {
    fn fd(&mut self, k: &usize) -> Result<RawFd> {
        Ok(self.0.get(*k).ok_or(Error::ENOTSOCK)?.fd())
    }
    fn events(&mut self, k: &usize) -> Result<i16> {
        self.0.get_mut(*k).ok_or(Error::ENOTSOCK)?.events()
    }
}

fn pipe() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: fds is a valid array of two ints for pipe(2).
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    use std::os::fd::FromRawFd;
    // SAFETY: both fds were just created and are owned by nobody else.
    unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(fds[0]),
            std::os::fd::OwnedFd::from_raw_fd(fds[1]),
        )
    }
}

fn push_pull(ctx: &Ctx, name: &str) -> Socks {
    let mut pull = Socket::new(ctx, ZMQ_PULL).unwrap();
    pull.bind(name).unwrap();
    let mut push = Socket::new(ctx, ZMQ_PUSH).unwrap();
    push.connect(name).unwrap();
    Socks(vec![push, pull])
}

fn close_all(mut s: Socks, ctx: Ctx) {
    for x in s.0.iter_mut() {
        x.options.linger = 0;
        x.close();
    }
    ctx.term().unwrap();
}

#[test]
fn registration_errors() {
    let mut p: Poller<usize> = Poller::new();
    assert_eq!(p.size(), 0);
    p.add(0, 7, ZMQ_POLLIN).unwrap();
    assert_eq!(p.add(0, 7, ZMQ_POLLIN), Err(Error::EINVAL));
    assert_eq!(p.add(1, 7, 0x40), Err(Error::EINVAL));
    assert_eq!(p.modify(1, ZMQ_POLLIN), Err(Error::EINVAL));
    assert_eq!(p.modify(0, 0x100), Err(Error::EINVAL));
    assert_eq!(p.remove(1), Err(Error::EINVAL));
    assert_eq!(p.add_fd(-1, 0, ZMQ_POLLIN), Err(Error(libc::EBADF)));
    assert_eq!(p.modify_fd(-1, 0), Err(Error(libc::EBADF)));
    assert_eq!(p.remove_fd(-1), Err(Error(libc::EBADF)));
    p.add_fd(0, 1, ZMQ_POLLIN).unwrap();
    assert_eq!(p.add_fd(0, 1, ZMQ_POLLIN), Err(Error::EINVAL));
    assert_eq!(p.remove_fd(5), Err(Error::EINVAL));
    assert_eq!(p.modify_fd(5, 0), Err(Error::EINVAL));
    assert_eq!(p.size(), 2);
    p.remove(0).unwrap();
    p.remove_fd(0).unwrap();
    assert_eq!(p.size(), 0);
    struct NoSocks;
    impl SocketSet<usize> for NoSocks {
        fn fd(&mut self, _: &usize) -> Result<RawFd> {
            Err(Error::ENOTSOCK)
        }
        fn events(&mut self, _: &usize) -> Result<i16> {
            Err(Error::ENOTSOCK)
        }
    }
    assert_eq!(p.wait(&mut NoSocks, 1, -1), Err(Error::EFAULT));
    assert_eq!(p.wait(&mut NoSocks, 1, 0), Err(Error::EAGAIN));
    p.add(3, 0, 0).unwrap();
    assert_eq!(p.wait(&mut NoSocks, 1, -1), Err(Error::EFAULT));
    assert_eq!(p.wait(&mut NoSocks, 1, 5), Err(Error::EAGAIN));
    p.modify(3, ZMQ_POLLIN).unwrap();
    assert_eq!(p.wait(&mut NoSocks, 1, 0), Err(Error::ENOTSOCK));
}

#[test]
fn sockets_and_fds() {
    let ctx = Ctx::new();
    let mut s = push_pull(&ctx, "inproc://poller-a");
    let (r, w) = pipe();
    let mut p: Poller<usize> = Poller::new();
    p.add(1, 11, ZMQ_POLLIN).unwrap();
    p.add_fd(r.as_raw_fd(), 22, ZMQ_POLLIN).unwrap();
    assert_eq!(p.wait(&mut s, 4, 0), Err(Error::EAGAIN));
    let t0 = Instant::now();
    assert_eq!(p.wait(&mut s, 4, 30), Err(Error::EAGAIN));
    assert!(t0.elapsed() >= Duration::from_millis(30));

    // PUSH is writable: found once asked for.
    p.add(0, 33, ZMQ_POLLOUT).unwrap();
    let ev = p.wait(&mut s, 4, -1).unwrap();
    assert_eq!(
        ev,
        vec![Event {
            target: Target::Socket(0),
            user_data: 33,
            events: ZMQ_POLLOUT
        }]
    );
    p.modify(0, 0).unwrap();

    // A message on the PULL side, a byte on the pipe.
    s.0[0].send(Msg::from_slice(b"x"), 0).unwrap();
    let ev = p.wait(&mut s, 4, -1).unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].target, Target::Socket(1));
    assert_eq!(ev[0].user_data, 11);
    assert_eq!(ev[0].events, ZMQ_POLLIN);
    // SAFETY: writes one byte from a valid buffer to our pipe.
    assert_eq!(
        unsafe { libc::write(w.as_raw_fd(), b"z".as_ptr() as _, 1) },
        1
    );
    let ev = p.wait(&mut s, 4, -1).unwrap();
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[1].target, Target::Fd(r.as_raw_fd()));
    assert_eq!(ev[1].user_data, 22);
    // At most max_events reported.
    assert_eq!(p.wait(&mut s, 1, 0).unwrap().len(), 1);
    assert_eq!(s.0[1].recv(0).unwrap().data(), b"x");
    let ev = p.wait(&mut s, 4, 0).unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].target, Target::Fd(r.as_raw_fd()));
    p.remove_fd(r.as_raw_fd()).unwrap();
    assert_eq!(p.wait(&mut s, 4, 0), Err(Error::EAGAIN));
    close_all(s, ctx);
}

#[test]
fn wakes_on_message_from_another_thread() {
    let ctx = Ctx::new();
    let mut pull = Socket::new(&ctx, ZMQ_PULL).unwrap();
    pull.bind("inproc://poller-b").unwrap();
    let mut s = Socks(vec![pull]);
    let mut p: Poller<usize> = Poller::new();
    p.add(0, 0, ZMQ_POLLIN).unwrap();
    let c2 = ctx.clone();
    let t = std::thread::spawn(move || {
        let mut push = Socket::new(&c2, ZMQ_PUSH).unwrap();
        push.connect("inproc://poller-b").unwrap();
        push.send(Msg::from_slice(b"hi"), 0).unwrap();
        // Closed only after the receiver has the message.
        push
    });
    let ev = p.wait(&mut s, 1, -1).unwrap();
    assert_eq!(ev[0].events, ZMQ_POLLIN);
    assert_eq!(s.0[0].recv(0).unwrap().data(), b"hi");
    let mut push = t.join().unwrap();
    push.close();
    close_all(s, ctx);
}
