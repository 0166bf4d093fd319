//! The poller set behind the draft zmq_poller(3) API (and the wait of
//! zmq_proxy(3)): a list of socket and file-descriptor items, each with the
//! events it waits for, and a `wait` that reports the ready ones.
//!
//! How readiness is found (libzmq's ZMQ_FD contract, zmq_getsockopt(3)):
//! a socket's ZMQ_FD is edge-triggered; readable means "commands are
//! pending, look at ZMQ_EVENTS". So every pass first asks each socket for
//! its ZMQ_EVENTS (which also drains its commands, re-arming the fd) and
//! each plain fd for its `poll(2)` state; only when nothing is ready does it
//! block in `poll(2)` on all the fds at once. A change of a socket's state
//! always arrives as a command, so the block never misses it and the loop
//! never spins.
//!
//! Invariants and errno rules (libzmq 4.3.5 socket_poller):
//! - an item is registered once: adding a socket or fd twice is EINVAL;
//!   modifying or removing one not registered is EINVAL;
//! - `events` may only hold POLLIN|POLLOUT|POLLERR|POLLPRI, else EINVAL;
//!   fd -1 is EBADF;
//! - `wait` with no item and an infinite timeout is EFAULT; no event
//!   before the timeout is EAGAIN; an interrupted poll(2) is EINTR.
//!   Where libzmq 4.3.5 sleeps forever (items, but none with events, and an
//!   infinite timeout) we fail with EFAULT, as later libzmq does.
//!
//! The set is generic over how sockets are reached ([`SocketSet`]): the
//! C shims use socket handles, the proxy uses its role names, tests use
//! indexes into a vector.

use crate::error::{Error, Result};
use std::os::fd::RawFd;
use std::time::{Duration, Instant};

pub const ZMQ_POLLIN: i16 = 1;
pub const ZMQ_POLLOUT: i16 = 2;
pub const ZMQ_POLLERR: i16 = 4;
pub const ZMQ_POLLPRI: i16 = 8;

const ALL_EVENTS: i16 = ZMQ_POLLIN | ZMQ_POLLOUT | ZMQ_POLLERR | ZMQ_POLLPRI;

/// How the poller reaches the sockets registered by key.
pub trait SocketSet<K> {
    /// The socket's ZMQ_FD.
    fn fd(&mut self, key: &K) -> Result<RawFd>;
    /// The socket's ZMQ_EVENTS (processing its pending commands).
    fn events(&mut self, key: &K) -> Result<i16>;
}

/// What an item watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<K> {
    Socket(K),
    Fd(RawFd),
}

/// One registered item.
#[derive(Clone, Debug)]
struct Item<K> {
    target: Target<K>,
    user_data: usize,
    events: i16,
}

/// One ready item reported by [`Poller::wait`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event<K> {
    pub target: Target<K>,
    pub user_data: usize,
    /// The ready events (a subset of the registered ones; POLLERR for an
    /// fd in error even when not asked).
    pub events: i16,
}

/// A poller set (zmq_poller_new(3)).
#[derive(Debug)]
pub struct Poller<K> {
    items: Vec<Item<K>>,
}

impl<K> Default for Poller<K> {
    fn default() -> Self {
        Poller { items: Vec::new() }
    }
}

fn check_events(events: i16) -> Result<()> {
    if events & !ALL_EVENTS != 0 {
        return Err(Error::EINVAL);
    }
    Ok(())
}

fn check_fd(fd: RawFd) -> Result<()> {
    if fd == -1 {
        return Err(Error(libc::EBADF));
    }
    Ok(())
}

/// `poll(2)` on `pfds` for at most `timeout_ms` (-1: forever); the count of
/// ready entries, EINTR when interrupted.
pub(crate) fn os_poll(pfds: &mut [libc::pollfd], timeout_ms: i32) -> Result<usize> {
    // SAFETY: `pfds` is a valid, exclusively borrowed array of pollfd of
    // exactly the length passed.
    let rc = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, timeout_ms) };
    if rc < 0 {
        return Err(Error(crate::error::errno()));
    }
    Ok(rc as usize)
}

/// Milliseconds left until `deadline`, rounded up, for poll(2).
pub(crate) fn ms_left(deadline: Option<Instant>) -> i32 {
    match deadline {
        None => -1,
        Some(d) => {
            let left = d.saturating_duration_since(Instant::now());
            let ms = left.as_millis() + u128::from(left.subsec_nanos() % 1_000_000 != 0);
            ms.min(i32::MAX as u128) as i32
        }
    }
}

impl<K: PartialEq + Clone> Poller<K> {
    pub fn new() -> Self {
        Poller::default()
    }

    /// zmq_poller_size(3): the number of registered items.
    pub fn size(&self) -> usize {
        self.items.len()
    }

    fn find(&self, target: &Target<K>) -> Option<usize> {
        self.items.iter().position(|i| &i.target == target)
    }

    fn add_target(&mut self, target: Target<K>, user_data: usize, events: i16) -> Result<()> {
        check_events(events)?;
        if self.find(&target).is_some() {
            return Err(Error::EINVAL);
        }
        self.items.try_reserve(1).map_err(|_| Error::ENOMEM)?;
        self.items.push(Item {
            target,
            user_data,
            events,
        });
        Ok(())
    }

    fn modify_target(&mut self, target: Target<K>, events: i16) -> Result<()> {
        check_events(events)?;
        let i = self.find(&target).ok_or(Error::EINVAL)?;
        if let Some(it) = self.items.get_mut(i) {
            it.events = events;
        }
        Ok(())
    }

    fn remove_target(&mut self, target: Target<K>) -> Result<()> {
        let i = self.find(&target).ok_or(Error::EINVAL)?;
        self.items.remove(i);
        Ok(())
    }

    /// zmq_poller_add(3).
    pub fn add(&mut self, socket: K, user_data: usize, events: i16) -> Result<()> {
        self.add_target(Target::Socket(socket), user_data, events)
    }

    /// zmq_poller_modify(3).
    pub fn modify(&mut self, socket: K, events: i16) -> Result<()> {
        self.modify_target(Target::Socket(socket), events)
    }

    /// zmq_poller_remove(3).
    pub fn remove(&mut self, socket: K) -> Result<()> {
        self.remove_target(Target::Socket(socket))
    }

    /// zmq_poller_add_fd(3).
    pub fn add_fd(&mut self, fd: RawFd, user_data: usize, events: i16) -> Result<()> {
        check_fd(fd)?;
        self.add_target(Target::Fd(fd), user_data, events)
    }

    /// zmq_poller_modify_fd(3).
    pub fn modify_fd(&mut self, fd: RawFd, events: i16) -> Result<()> {
        check_fd(fd)?;
        self.modify_target(Target::Fd(fd), events)
    }

    /// zmq_poller_remove_fd(3).
    pub fn remove_fd(&mut self, fd: RawFd) -> Result<()> {
        check_fd(fd)?;
        self.remove_target(Target::Fd(fd))
    }

    /// zmq_poller_wait_all(3): waits up to `timeout_ms` (-1: forever, 0:
    /// just look) for at least one ready item and returns at most
    /// `max_events` of them, in registration order.
    pub fn wait<S: SocketSet<K>>(
        &self,
        set: &mut S,
        max_events: usize,
        timeout_ms: i64,
    ) -> Result<Vec<Event<K>>> {
        if self.items.is_empty() && timeout_ms < 0 {
            return Err(Error::EFAULT);
        }
        let deadline = if timeout_ms < 0 {
            None
        } else {
            Some(Instant::now() + Duration::from_millis(timeout_ms as u64))
        };
        // One pollfd per active item, in item order.
        let mut pfds: Vec<libc::pollfd> = Vec::with_capacity(self.items.len());
        let mut slot: Vec<Option<usize>> = Vec::with_capacity(self.items.len());
        for it in &self.items {
            if it.events == 0 {
                slot.push(None);
                continue;
            }
            let (fd, ev) = match &it.target {
                Target::Socket(k) => (set.fd(k)?, libc::POLLIN),
                Target::Fd(fd) => {
                    let mut ev = 0;
                    if it.events & ZMQ_POLLIN != 0 {
                        ev |= libc::POLLIN;
                    }
                    if it.events & ZMQ_POLLOUT != 0 {
                        ev |= libc::POLLOUT;
                    }
                    if it.events & ZMQ_POLLPRI != 0 {
                        ev |= libc::POLLPRI;
                    }
                    (*fd, ev)
                }
            };
            slot.push(Some(pfds.len()));
            pfds.push(libc::pollfd {
                fd,
                events: ev,
                revents: 0,
            });
        }
        if pfds.is_empty() {
            // Items, but none asks for anything: nothing can ever be ready.
            if timeout_ms < 0 {
                return Err(Error::EFAULT);
            }
            let left = ms_left(deadline);
            if left > 0 {
                std::thread::sleep(Duration::from_millis(left as u64));
            }
            return Err(Error::EAGAIN);
        }
        // As zmq_poll: look again without sleeping for a while first.
        let mut wait = super::spin::PollWait::default();
        loop {
            let wait_ms = if wait.look_only() {
                0
            } else {
                ms_left(deadline)
            };
            os_poll(&mut pfds, wait_ms)?;
            let mut out = Vec::new();
            for (it, s) in self.items.iter().zip(slot.iter()) {
                if out.len() >= max_events {
                    break;
                }
                let Some(p) = s.and_then(|s| pfds.get(s)) else {
                    continue;
                };
                let ready = match &it.target {
                    Target::Socket(k) => set.events(k)? & it.events,
                    Target::Fd(_) => {
                        let r = p.revents;
                        let mut ev = 0;
                        if r & libc::POLLIN != 0 {
                            ev |= ZMQ_POLLIN;
                        }
                        if r & libc::POLLOUT != 0 {
                            ev |= ZMQ_POLLOUT;
                        }
                        if r & libc::POLLPRI != 0 {
                            ev |= ZMQ_POLLPRI;
                        }
                        if r & !(libc::POLLIN | libc::POLLOUT | libc::POLLPRI) != 0 {
                            ev |= ZMQ_POLLERR;
                        }
                        ev
                    }
                };
                if ready != 0 {
                    out.push(Event {
                        target: it.target.clone(),
                        user_data: it.user_data,
                        events: ready,
                    });
                }
            }
            if !out.is_empty() {
                wait.done();
                return Ok(out);
            }
            if timeout_ms == 0 {
                return Err(Error::EAGAIN);
            }
            if wait.waiting() && deadline.is_some_and(|d| Instant::now() >= d) {
                wait.done();
                return Err(Error::EAGAIN);
            }
            wait.found_nothing();
        }
    }
}

#[cfg(test)]
mod tests;
