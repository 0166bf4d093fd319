//! A socket's command mailbox and its signaler (an eventfd).
//!
//! Other threads (I/O threads, inproc peers, `zmq_ctx_term`) never touch a
//! socket's state: they push a [`Command`] here. The eventfd is written only
//! when the mailbox goes from empty to non-empty and read back when the
//! socket drains it, so a busy socket costs no syscall per command; while
//! the socket's own thread spins waiting for a command (a few µs before it
//! sleeps) it is not written at all: the spinner sees `pending` (the two
//! flags follow the store-then-load protocol with SeqCst). The
//! eventfd is also the socket's `ZMQ_FD` (zmq_getsockopt(3)): readable means
//! "commands are pending, look at ZMQ_EVENTS", libzmq's edge-triggered
//! contract.

use crate::msg::Msg;
use crate::pipe::{Notify, PipeEnd, PipeEvent};
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};

/// What the far side of a new pipe told us about itself.
#[derive(Clone, Debug, Default)]
pub struct PeerInfo {
    /// The peer's routing id (ZMQ_ROUTING_ID sent in its handshake, or the
    /// inproc peer's option), if it sent one.
    pub routing_id: Option<Vec<u8>>,
    /// The id we must use for it (ZMQ_CONNECT_ROUTING_ID at connect time).
    pub connect_routing_id: Option<Vec<u8>>,
    /// The bind/connect that created this pipe (for unbind/disconnect).
    pub endpoint_id: u64,
    /// The pipe was made by our connect (not accepted by our bind).
    pub locally_initiated: bool,
    /// The peer's socket type (ZMQ_* value), when known.
    pub peer_type: Option<i32>,
    /// An inproc pipe (no session: the socket itself sends what a session
    /// would, such as the ZMQ_PROBE_ROUTER probe).
    pub inproc: bool,
    /// A udp endpoint's pipe (RADIO sends it every group, DGRAM takes
    /// only such pipes).
    pub udp: bool,
    /// The connection's own and peer endpoints as monitor events name
    /// them ("tcp://127.0.0.1:5555"), when a connection made the pipe;
    /// empty otherwise (then the bind/connect endpoint stands in).
    pub local: String,
    pub remote: String,
}

/// A monitor event (zmq_socket_monitor(3)).
#[derive(Clone, Debug)]
pub struct MonitorEvent {
    pub event: u64,
    pub value: u64,
    pub local: String,
    pub remote: String,
}

/// What other threads ask of a socket.
pub enum Command {
    /// A pipe of ours changed state.
    Pipe { token: u64, ev: PipeEvent },
    /// A new pipe to attach (handshake done, or an inproc peer).
    Attach { pipe: Box<PipeEnd>, info: PeerInfo },
    /// The context is terminating: every call now fails with ETERM.
    Stop,
    /// The inproc binder that our connect `endpoint_id` waited for has
    /// bound: its routing id and socket type (libzmq hands a ROUTER
    /// connecter the binder's routing id at that moment).
    PeerKnown {
        endpoint_id: u64,
        routing_id: Vec<u8>,
        peer_type: i32,
    },
    /// An event for the socket's monitor.
    Monitor(MonitorEvent),
    /// A message for the socket itself (reserved).
    Msg(Msg),
}

/// The socket's wake-up fd.
pub struct Signaler {
    fd: OwnedFd,
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

impl Signaler {
    pub fn new() -> io::Result<Signaler> {
        // SAFETY: eventfd has no pointer arguments; the result is checked.
        let fd = cvt(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
        // SAFETY: fd is a freshly created descriptor that nothing else owns.
        Ok(Signaler {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        })
    }

    /// Makes the fd readable.
    pub fn signal(&self) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a valid u64 to our own eventfd.
        let _ = unsafe {
            libc::write(
                self.fd.as_raw_fd(),
                &one as *const u64 as *const libc::c_void,
                8,
            )
        };
    }

    /// Makes the fd unreadable again.
    pub fn reset(&self) {
        let mut v: u64 = 0;
        // SAFETY: reads 8 bytes into a valid u64 from our own eventfd.
        let _ = unsafe {
            libc::read(
                self.fd.as_raw_fd(),
                &mut v as *mut u64 as *mut libc::c_void,
                8,
            )
        };
    }

    /// Waits until readable or `timeout_ms` passes (-1: forever). Returns
    /// true when readable; EINTR when a signal interrupted the wait.
    pub fn wait(&self, timeout_ms: i32) -> crate::error::Result<bool> {
        let mut pfd = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: pfd is a valid pollfd array of length 1.
        let r = unsafe { libc::poll(&mut pfd, 1, timeout_ms) };
        if r < 0 {
            return Err(crate::error::Error(crate::error::errno()));
        }
        Ok(r > 0)
    }

    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

struct Queue {
    cmds: VecDeque<Command>,
    /// The socket is closed: new pipes are refused (closed at once).
    closed: bool,
}

/// A socket's mailbox.
pub struct Mailbox {
    queue: Mutex<Queue>,
    pending: AtomicBool,
    /// The socket's thread is spinning on `pending`: no eventfd write needed.
    spinning: AtomicBool,
    /// The eventfd was written and not yet read back.
    signaled: AtomicBool,
    stopped: AtomicBool,
    signaler: Signaler,
}

impl Mailbox {
    pub fn new() -> io::Result<Mailbox> {
        Ok(Mailbox {
            queue: Mutex::new(Queue {
                cmds: VecDeque::new(),
                closed: false,
            }),
            pending: AtomicBool::new(false),
            spinning: AtomicBool::new(false),
            signaled: AtomicBool::new(false),
            stopped: AtomicBool::new(false),
            signaler: Signaler::new()?,
        })
    }

    /// Queues a command, waking the socket if the mailbox was empty (and
    /// its thread is not spinning on `pending`).
    pub fn send(&self, cmd: Command) {
        let mut q = self.queue.lock();
        if q.closed {
            drop(q);
            if let Command::Attach { mut pipe, .. } = cmd {
                pipe.close();
            }
            return;
        }
        let was_empty = q.cmds.is_empty();
        q.cmds.push_back(cmd);
        if was_empty {
            // Under the lock, so `drain` always sees the eventfd and the
            // `signaled` flag agree (a drain between the two used to leave
            // the fd readable with nothing pending, and ZMQ_FD users spun).
            self.pending.store(true, Ordering::SeqCst);
            std::sync::atomic::fence(Ordering::SeqCst);
            if !self.spinning.load(Ordering::SeqCst) {
                self.signaler.signal();
                self.signaled.store(true, Ordering::SeqCst);
            }
        }
    }

    /// The context is terminating: flag it and wake the socket.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
        self.send(Command::Stop);
    }

    /// True once `stop` was called.
    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    /// True when commands may be waiting (a cheap check for the hot path).
    pub fn has_pending(&self) -> bool {
        self.pending.load(Ordering::Acquire)
    }

    /// Moves every queued command into `out` and resets the signaler.
    /// A wake-up that raced with an earlier drain finds nothing and is
    /// cleared here too.
    pub fn drain(&self, out: &mut VecDeque<Command>) {
        let mut q = self.queue.lock();
        out.append(&mut q.cmds);
        self.pending.store(false, Ordering::Release);
        if self.signaled.swap(false, Ordering::SeqCst) {
            self.signaler.reset();
        }
    }

    /// The socket's thread starts (true) or stops (false) spinning on
    /// [`Mailbox::has_pending`]. Stopping answers whether a command came
    /// meanwhile: a sender that saw the spinner skipped the eventfd, so the
    /// caller must not sleep on it then.
    pub fn set_spinning(&self, on: bool) -> bool {
        self.spinning.store(on, Ordering::SeqCst);
        std::sync::atomic::fence(Ordering::SeqCst);
        self.pending.load(Ordering::SeqCst)
    }

    /// The socket is closing: refuse new pipes and close the ones that
    /// arrived but were never attached.
    pub fn close(&self) {
        let cmds = {
            let mut q = self.queue.lock();
            q.closed = true;
            std::mem::take(&mut q.cmds)
        };
        for cmd in cmds {
            if let Command::Attach { mut pipe, .. } = cmd {
                pipe.close();
            }
        }
    }

    /// Waits for a command for at most `timeout_ms` (-1: forever).
    pub fn wait(&self, timeout_ms: i32) -> crate::error::Result<bool> {
        if self.has_pending() {
            return Ok(true);
        }
        self.signaler.wait(timeout_ms)
    }

    /// The fd for ZMQ_FD.
    pub fn fd(&self) -> RawFd {
        self.signaler.fd()
    }
}

impl Notify for Mailbox {
    fn notify(&self, token: u64, ev: PipeEvent) {
        self.send(Command::Pipe { token, ev });
    }
}
