//! The I/O thread: listeners, connecters and sessions on one mio loop.
//!
//! Each connection is a [`Session`]: an OS stream, a `zmtp::Connection`
//! (the protocol, without I/O) and the session's end of a pipe to the
//! socket. The thread moves bytes between the stream and the connection and
//! whole messages between the connection and the pipe; it never touches a
//! socket's state: it talks to sockets only through their mailboxes
//! (`Command::Attach`, `Command::Monitor`) and through pipes.
//!
//! Choices:
//! - One I/O thread per context (ZMQ_IO_THREADS > 1 is accepted and served
//!   by the same thread): sessions are cheap and the hot path is the
//!   pipe, not the thread.
//! - One shared 64 KiB read buffer for all sessions, decoded at once into
//!   many frames; output frames are batched in the connection's buffer and
//!   written with one syscall per batch.
//! - Back-pressure: when the pipe to the socket is full, decoded messages
//!   wait in the session (at most one read's worth) and the stream is not
//!   read until the socket signals `WriteReady`.
//! - Connect side: unless ZMQ_IMMEDIATE (or ROUTER/STREAM, whose peers are
//!   named in the handshake), the pipe is made at connect time, so
//!   messages queue before the peer is up, and it survives reconnects.
//! - zmq_bind's OS work (bind/listen) runs on the caller's thread so its
//!   errors are returned by zmq_bind itself; the listener then moves here.
//! - ZMQ_SOCKS_PROXY: a tcp connecter connects to the proxy instead (the
//!   target is never resolved here), runs `transport::socks` in state
//!   `Socks`, reading only the handshake's bytes, then reports CONNECTED
//!   and starts ZMTP on the same stream. A failed handshake is CLOSED and
//!   retried like a failed connect; as in libzmq, the session's events
//!   name the proxy (`tcp://<proxy>`), not the target.

use crate::ctx::mailbox::{Command, PeerInfo};
use crate::ctx::{Ctx, SocketLink};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::pipe::{pipe_pair, Notify, PipeEnd, PipeEvent, ReadResult};
use crate::socket::options::{Mechanism, Options};
use crate::transport::socks::SocksClient;
use crate::transport::{self, Endpoint, TcpOptions};
use crate::zmtp::{self, Connection, ProtocolError, SocketType};
use bytes::{Bytes, BytesMut};
use crossbeam_channel::{unbounded, Receiver, Sender};
use mio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use mio::{Events, Interest, Poll, Token, Waker};
use parking_lot::Mutex;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const EVENT_CONNECTED: u64 = 0x0001;
pub const EVENT_CONNECT_DELAYED: u64 = 0x0002;
pub const EVENT_CONNECT_RETRIED: u64 = 0x0004;
pub const EVENT_LISTENING: u64 = 0x0008;
pub const EVENT_BIND_FAILED: u64 = 0x0010;
pub const EVENT_ACCEPTED: u64 = 0x0020;
pub const EVENT_ACCEPT_FAILED: u64 = 0x0040;
pub const EVENT_CLOSED: u64 = 0x0080;
pub const EVENT_DISCONNECTED: u64 = 0x0200;
pub const EVENT_MONITOR_STOPPED: u64 = 0x0400;
pub const EVENT_HANDSHAKE_SUCCEEDED: u64 = 0x1000;
pub const EVENT_HANDSHAKE_FAILED_NO_DETAIL: u64 = 0x0800;
/// ZMQ_EVENT_PIPES_STATS (draft), sent by the socket itself.
pub const EVENT_PIPES_STATS: u64 = 0x10000;
const EPIPE: i32 = zmtp::codes::EPIPE;
/// ZMQ_ROUTER_NOTIFY flags (draft).
const NOTIFY_CONNECT: i32 = 1;
const NOTIFY_DISCONNECT: i32 = 2;

const WAKER: Token = Token(usize::MAX);
/// Non-sleeping polls after activity before the I/O thread blocks. Each
/// poll that finds nothing is followed by a `sched_yield`: on a machine
/// with fewer cores than busy threads (the application's and the I/O
/// threads of both ends) a poll loop that kept its core starved the very
/// thread it waited for until the scheduler preempted it. With the yield,
/// medians of 5 alternating runs on 2 vCPUs: lat ipc 1 B 13.8 -> 8.6 us,
/// lat tcp 64 KiB 33.9 -> 22.5 us, thr tcp 1 KiB 1.33M -> 3.33M msg/s,
/// thr ipc 64 KiB 54.5k -> 66.4k msg/s.
const IDLE_POLLS: u32 = 30;

/// ZMQ_RECONNECT_STOP bits (zmq_setsockopt(3), draft).
const RECONNECT_STOP_CONN_REFUSED: i32 = 1;
const RECONNECT_STOP_HANDSHAKE_FAILED: i32 = 2;
const RECONNECT_STOP_AFTER_DISCONNECT: i32 = 4;

mod raw;
use raw::RawConnection;
mod udp;
use udp::{Step, UdpEntry};

/// The protocol of a session: ZMTP, or raw bytes for ZMQ_STREAM (and a
/// ROUTER with ZMQ_ROUTER_RAW).
// One per session, and sessions are boxed: the size gap costs nothing.
#[allow(clippy::large_enum_variant)]
enum Conn {
    Zmtp(Connection),
    Raw(RawConnection),
}

impl Conn {
    /// `fd` is the connection's OS fd (for `ZMQ_SRCFD`), -1 if none.
    fn new(o: &Options, peer_address: &str, fd: i32, zap: bool, now: Instant) -> Conn {
        if o.raw() {
            Conn::Raw(RawConnection::new(peer_address, fd))
        } else {
            let mut cfg = zmtp_config(o, peer_address);
            cfg.zap = zap;
            cfg.src_fd = fd;
            Conn::Zmtp(Connection::new(cfg, now))
        }
    }
    fn handle_input(
        &mut self,
        input: &Bytes,
        now: Instant,
    ) -> std::result::Result<(), ProtocolError> {
        match self {
            Conn::Zmtp(c) => c.handle_input_shared(input, now),
            Conn::Raw(r) => {
                r.handle_input(input);
                Ok(())
            }
        }
    }
    fn poll_event(&mut self) -> Option<zmtp::Event> {
        match self {
            // Messages are taken in bulk (`take_messages`) after the rest.
            Conn::Zmtp(c) => c.poll_control_event(),
            Conn::Raw(r) => r.poll_event(),
        }
    }
    fn send(&mut self, m: &Msg) {
        match self {
            Conn::Zmtp(c) => c.send(m),
            Conn::Raw(r) => r.send(m),
        }
    }
    fn output(&self) -> &[u8] {
        match self {
            Conn::Zmtp(c) => c.output(),
            Conn::Raw(r) => r.output(),
        }
    }
    fn output_vectored<'a>(&'a self, bufs: &mut [io::IoSlice<'a>], max: usize) -> usize {
        match self {
            Conn::Zmtp(c) => c.output_vectored(bufs, max),
            Conn::Raw(r) => match bufs.first_mut() {
                Some(slot) if !r.output().is_empty() => {
                    *slot = io::IoSlice::new(r.output());
                    1
                }
                _ => 0,
            },
        }
    }
    fn output_len(&self) -> usize {
        match self {
            Conn::Zmtp(c) => c.output_len(),
            Conn::Raw(r) => r.output_len(),
        }
    }
    fn consume_output(&mut self, n: usize) {
        match self {
            Conn::Zmtp(c) => c.consume_output(n),
            Conn::Raw(r) => r.consume_output(n),
        }
    }
    fn next_timeout(&self) -> Option<Instant> {
        match self {
            Conn::Zmtp(c) => c.next_timeout(),
            Conn::Raw(_) => None,
        }
    }
    fn handle_timeout(&mut self, now: Instant) -> std::result::Result<(), ProtocolError> {
        match self {
            Conn::Zmtp(c) => c.handle_timeout(now),
            Conn::Raw(_) => Ok(()),
        }
    }
    fn zap_reply(&mut self, reply: &[Msg]) -> std::result::Result<(), ProtocolError> {
        match self {
            Conn::Zmtp(c) => c.zap_reply(reply),
            Conn::Raw(_) => Ok(()),
        }
    }
    fn wants_close(&self) -> bool {
        match self {
            Conn::Zmtp(_) => false,
            Conn::Raw(r) => r.wants_close(),
        }
    }
}
const READ_BUF: usize = 64 * 1024;
/// Room below which the shared read buffer takes a fresh block (smaller
/// reads would cost more syscalls than the block saves).
const READ_ROOM_MIN: usize = 16 * 1024;
/// A read that expects a large frame (its header, then the body direct).
const SHORT_READ: usize = 8 * 1024;
const OUT_BATCH: usize = 64 * 1024;
/// Bytes the first write of a large burst onto an idle connection may
/// take (see [`first_write_cap`]).
const FIRST_WRITE: usize = 8 * 1024;
/// Pieces of output (buffer and queued large bodies) one write may take.
const WRITE_SLICES: usize = 16;
/// Bytes one write may take while the I/O thread serves several
/// connections: smaller steps let the loop move on to the others (see
/// [`DRIVE_BUDGET`]).
const WRITE_MAX: usize = 256 * 1024;
/// Bytes one write may take when the connection is the I/O thread's only
/// one: a whole large body in one call, a quarter of the syscalls and
/// wake-ups (thr tcp 1 MiB, medians of 8 alternating runs: 2.70k -> 2.97k
/// msg/s; the 1 MiB round trip unchanged within noise). With several
/// connections this measured worse (fan-out tcp 1 MiB 4.8k -> 3.2k).
const WRITE_MAX_ALONE: usize = 4 << 20;
/// Bytes one session may read plus write in one turn before the loop
/// serves the others (and comes back to it without waiting for the
/// poller). Without it, one fast connection fills its whole socket buffer
/// (megabytes) before the next gets a turn: a fan-out then copies each
/// message body for its connections long apart, from memory instead of
/// cache (fan-out tcp 1 MiB: 2.9k -> 4.6k msg/s, 64 KiB: 40k -> 57k).
const DRIVE_BUDGET: usize = 256 * 1024;

enum Listener {
    Tcp(TcpListener),
    Ipc(UnixListener),
}

enum Stream {
    Tcp(TcpStream),
    Ipc(UnixStream),
}

impl Stream {
    fn fd(&self) -> RawFd {
        match self {
            Stream::Tcp(s) => s.as_raw_fd(),
            Stream::Ipc(s) => s.as_raw_fd(),
        }
    }
    fn source(&mut self) -> &mut dyn mio::event::Source {
        match self {
            Stream::Tcp(s) => s,
            Stream::Ipc(s) => s,
        }
    }
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            Stream::Ipc(s) => s.read(buf),
        }
    }
    /// Reads at most `max` bytes into the spare room of `buf`; bytes read
    /// and asked for (see `transport::sys::read_spare`).
    fn read_shared(&mut self, buf: &mut BytesMut, max: usize) -> io::Result<(usize, usize)> {
        match self {
            Stream::Tcp(s) => transport::sys::read_spare(s, buf, max),
            Stream::Ipc(s) => transport::sys::read_spare(s, buf, max),
        }
    }
    /// Bytes read and bytes asked for (see `transport::sys::read_spare`).
    fn read_spare(&mut self, buf: &mut Vec<u8>, max: usize) -> io::Result<(usize, usize)> {
        match self {
            Stream::Tcp(s) => transport::sys::read_spare(s, buf, max),
            Stream::Ipc(s) => transport::sys::read_spare(s, buf, max),
        }
    }
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => transport::sys::send_vectored(s, bufs),
            Stream::Ipc(s) => transport::sys::send_vectored(s, bufs),
        }
    }
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            Stream::Ipc(s) => s.write(buf),
        }
    }
    fn connect_result(&self) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => transport::connect_finished(s),
            Stream::Ipc(s) => transport::connect_finished(s),
        }
    }
    fn peer_address(&self) -> String {
        match self {
            Stream::Tcp(s) => transport::peer_address_string(s),
            Stream::Ipc(s) => transport::peer_address_string(s),
        }
    }
}

enum IoCmd {
    Listen {
        socket: SocketLink,
        id: u64,
        listener: Listener,
        endpoint: String,
        opts: Arc<Options>,
        cleanup: Option<PathBuf>,
    },
    Connect {
        socket: SocketLink,
        id: u64,
        endpoint: Endpoint,
        given: String,
        opts: Arc<Options>,
        pipe: Option<PipeEnd>,
    },
    CloseEndpoint {
        socket_id: u64,
        id: u64,
    },
    SocketClosed {
        socket_id: u64,
        linger: i32,
    },
    Pipe {
        token: usize,
        ev: PipeEvent,
    },
    /// A udp endpoint, its socket open and its pipe attached.
    Udp(Box<UdpEntry>),
    Stop,
}

/// Wakes the I/O thread only when it is blocked in the poller: a thread
/// that is running (or polling without sleeping) finds new commands on
/// its next turn, so a busy sender does not pay a syscall per message.
/// `asleep` and the command channel follow the store-then-load (Dekker)
/// protocol with SeqCst fences, so a wake-up is never lost.
struct Wake {
    waker: Waker,
    asleep: AtomicBool,
}

impl Wake {
    /// Called after a command was queued.
    fn wake(&self) {
        std::sync::atomic::fence(Ordering::SeqCst);
        if self.asleep.load(Ordering::Relaxed) && self.asleep.swap(false, Ordering::SeqCst) {
            let _ = self.waker.wake();
        }
    }
}

/// Sends pipe notifications to the I/O thread.
struct IoNotifier {
    tx: Sender<IoCmd>,
    waker: Arc<Wake>,
}

impl Notify for IoNotifier {
    fn notify(&self, token: u64, ev: PipeEvent) {
        if self
            .tx
            .send(IoCmd::Pipe {
                token: token as usize,
                ev,
            })
            .is_ok()
        {
            self.waker.wake();
        }
    }
}

/// Delivers a monitor event right away (zmq_socket_monitor(3)).
fn monitor(socket: &SocketLink, event: u64, value: u64, local: &str, remote: &str) {
    emit(socket, event, value, local, remote, local);
}

/// A random number of milliseconds below `ivl` (0 when `ivl` is 0 or 1).
fn reconnect_jitter(ivl: i32) -> u64 {
    if ivl <= 1 {
        return 0;
    }
    let mut b = [0u8; 4];
    if getrandom::getrandom(&mut b).is_err() {
        return 0;
    }
    u64::from(u32::from_ne_bytes(b)) % ivl as u64
}

fn emit(socket: &SocketLink, event: u64, value: u64, local: &str, remote: &str, ident: &str) {
    if let Some(m) = socket.monitor.lock().as_mut() {
        m.emit(event, &[value], local, remote, ident);
    }
}

/// How an I/O thread is started: its name and the context's
/// ZMQ_THREAD_AFFINITY_CPU_ADD, ZMQ_THREAD_SCHED_POLICY and
/// ZMQ_THREAD_PRIORITY (-1: left as the OS has them).
pub struct ThreadSetup {
    pub name: String,
    pub cpus: Vec<i32>,
    pub policy: i32,
    pub priority: i32,
}

/// A context's I/O thread.
pub struct IoThread {
    tx: Sender<IoCmd>,
    waker: Arc<Wake>,
    join: Mutex<Option<JoinHandle<()>>>,
    /// The process that started the thread: a child forked since has no
    /// such thread (only the forking one is copied) and must not wait for it.
    pid: u32,
}

fn tcp_options(o: &Options) -> TcpOptions {
    TcpOptions {
        ipv6: o.ipv6,
        sndbuf: o.sndbuf,
        rcvbuf: o.rcvbuf,
        tos: o.tos,
        keepalive: o.tcp_keepalive,
        keepalive_cnt: o.tcp_keepalive_cnt,
        keepalive_idle: o.tcp_keepalive_idle,
        keepalive_intvl: o.tcp_keepalive_intvl,
        backlog: o.backlog,
        bindtodevice: if o.bindtodevice.is_empty() {
            None
        } else {
            Some(String::from_utf8_lossy(&o.bindtodevice).into_owned())
        },
        maxrt: o.tcp_maxrt,
        priority: o.priority,
    }
}

/// Whether a connect makes its pipe before the handshake.
fn early_pipe(o: &Options) -> bool {
    // A ROUTER or STREAM can name the peer before the handshake only when
    // ZMQ_CONNECT_ROUTING_ID gave the name.
    !o.immediate && ((o.socket_type != 6 && o.socket_type != 11) || o.connect_routing_id.is_some())
}

/// A connection refused by an accept filter shows as ZMQ_EVENT_ACCEPT_FAILED
/// on the listener's endpoint, as in libzmq (whose value there is a stale
/// errno; 0 here).
fn refused(l: &ListenerEntry) {
    monitor(&l.socket, EVENT_ACCEPT_FAILED, 0, &l.endpoint, "");
}

/// ZMQ_IPC_FILTER_UID/GID/PID: with any filter set, a peer must match one
/// of them (its credentials from SO_PEERCRED).
fn ipc_peer_allowed(s: &UnixStream, o: &Options) -> bool {
    let (uids, gids, pids) = (
        &o.ipc_uid_accept_filters,
        &o.ipc_gid_accept_filters,
        &o.ipc_pid_accept_filters,
    );
    if uids.is_empty() && gids.is_empty() && pids.is_empty() {
        return true;
    }
    match transport::sys::peer_cred(s) {
        Ok((uid, gid, pid)) => uids.contains(&uid) || gids.contains(&gid) || pids.contains(&pid),
        Err(_) => false,
    }
}

fn hwm(v: i32) -> usize {
    if v <= 0 {
        0
    } else {
        v as usize
    }
}

/// The pipe between a socket (end A) and a session (end B).
fn session_pipe(o: &Options) -> (PipeEnd, PipeEnd) {
    pipe_pair(hwm(o.sndhwm), hwm(o.rcvhwm), false, o.conflate)
}

impl IoThread {
    /// Starts an I/O thread of the context, as `setup` says.
    pub fn start(ctx: Ctx, setup: ThreadSetup) -> Result<IoThread> {
        let poll = Poll::new()?;
        let waker = Arc::new(Wake {
            waker: Waker::new(poll.registry(), WAKER)?,
            asleep: AtomicBool::new(false),
        });
        let (tx, rx) = unbounded();
        let notifier = Arc::new(IoNotifier {
            tx: tx.clone(),
            waker: waker.clone(),
        });
        let mut lp = Loop {
            ctx,
            poll,
            rx,
            notifier,
            wake: waker.clone(),
            entries: Slab::default(),
            timers: BinaryHeap::new(),
            buf: vec![0u8; READ_BUF],
            rbuf: BytesMut::new(),
            stopping: false,
            again: Vec::new(),
        };
        let ThreadSetup {
            name,
            cpus,
            policy,
            priority,
        } = setup;
        let join = std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                // Best effort, as far as the OS lets us (libzmq aborts
                // when it may not set a scheduling policy).
                let _ = transport::sys::pin_current_thread(&cpus);
                let _ = transport::sys::set_current_thread_sched(policy, priority);
                lp.run()
            })
            .map_err(|_| Error::EMTHREAD)?;
        Ok(IoThread {
            tx,
            waker,
            join: Mutex::new(Some(join)),
            pid: std::process::id(),
        })
    }

    fn send(&self, cmd: IoCmd) {
        if self.tx.send(cmd).is_ok() {
            self.waker.wake();
        }
    }

    /// Binds (on the caller's thread) and hands the listener over. Returns
    /// the resolved endpoint (ZMQ_LAST_ENDPOINT).
    pub fn bind(
        &self,
        socket: &SocketLink,
        id: u64,
        ep: Endpoint,
        opts: Arc<Options>,
    ) -> Result<(String, i32)> {
        let (listener, endpoint, cleanup) = match ep {
            // ZMQ_USE_FD: the application's own listening socket.
            Endpoint::Tcp(_) if opts.use_fd >= 0 => {
                let (l, e) = transport::tcp_listener_from_fd(opts.use_fd)?;
                (Listener::Tcp(l), e, None)
            }
            Endpoint::Ipc(path) if opts.use_fd >= 0 => {
                let (l, e) = transport::ipc_listener_from_fd(opts.use_fd, &path)?;
                (Listener::Ipc(l), e, None)
            }
            Endpoint::Tcp(addr) => {
                let (l, e) = transport::tcp_bind(&addr, &tcp_options(&opts))?;
                (Listener::Tcp(l), e, None)
            }
            Endpoint::Ipc(path) => {
                let (l, e, c) = transport::ipc_bind_with_backlog(&path, opts.backlog)?;
                (Listener::Ipc(l), e, c)
            }
            // inproc is joined by the socket, udp goes through `udp`.
            Endpoint::Inproc(_) | Endpoint::Udp(_) => return Err(Error::EINVAL),
        };
        let fd = match &listener {
            Listener::Tcp(l) => l.as_raw_fd(),
            Listener::Ipc(l) => l.as_raw_fd(),
        };
        self.send(IoCmd::Listen {
            socket: socket.clone(),
            id,
            listener,
            endpoint: endpoint.clone(),
            opts,
            cleanup,
        });
        Ok((endpoint, fd))
    }

    /// Starts connecting. Returns the socket's end of the pipe when the
    /// pipe is made now (see the module header).
    pub fn connect(
        &self,
        socket: &SocketLink,
        id: u64,
        ep: Endpoint,
        given: &str,
        opts: Arc<Options>,
    ) -> Result<Option<(PipeEnd, PeerInfo)>> {
        match &ep {
            Endpoint::Tcp(addr) => transport::tcp_check_connect(addr)?,
            Endpoint::Ipc(path) => transport::ipc_check_path(path)?,
            // inproc is joined by the socket, udp goes through `udp`.
            Endpoint::Inproc(_) | Endpoint::Udp(_) => return Err(Error::EINVAL),
        }
        let (mine, pipe) = if early_pipe(&opts) {
            let (a, b) = session_pipe(&opts);
            let info = PeerInfo {
                routing_id: None,
                connect_routing_id: opts.connect_routing_id.clone(),
                endpoint_id: id,
                locally_initiated: true,
                ..PeerInfo::default()
            };
            (Some((a, info)), Some(b))
        } else {
            (None, None)
        };
        self.send(IoCmd::Connect {
            socket: socket.clone(),
            id,
            endpoint: ep,
            given: given.to_string(),
            opts,
            pipe,
        });
        Ok(mine)
    }

    /// Opens a `udp://` endpoint (on the caller's thread, so errors come
    /// back from zmq_bind/zmq_connect as in libzmq) and hands it over.
    /// `bind`: a DISH or DGRAM receiving there; otherwise a RADIO sending
    /// there. Returns the socket's end of the endpoint's pipe.
    pub fn udp(
        &self,
        socket: &SocketLink,
        id: u64,
        addr: &str,
        bind: bool,
        o: &Options,
    ) -> Result<(PipeEnd, PeerInfo)> {
        let a = transport::udp_resolve(addr, bind, o.ipv6)?;
        let (kind, send, recv) = match o.socket_type {
            14 => (udp::Kind::Radio(a.target), true, false),
            15 => (udp::Kind::Dish, false, true),
            18 => (udp::Kind::Dgram, true, true),
            _ => return Err(Error::ENOCOMPATPROTO),
        };
        let uo = transport::UdpOptions {
            multicast_loop: o.multicast_loop,
            multicast_hops: o.multicast_hops,
            sndbuf: o.sndbuf,
            rcvbuf: o.rcvbuf,
            bindtodevice: Some(String::from_utf8_lossy(&o.bindtodevice).into_owned())
                .filter(|d| !d.is_empty()),
        };
        let sock = transport::udp_open(&a, send, recv, &uo)?;
        let (mine, theirs) = session_pipe(o);
        let entry = UdpEntry::new(socket.clone(), id, sock, theirs, kind, a.bind.is_ipv6());
        self.send(IoCmd::Udp(Box::new(entry)));
        let info = PeerInfo {
            endpoint_id: id,
            locally_initiated: !bind,
            udp: true,
            ..PeerInfo::default()
        };
        Ok((mine, info))
    }

    /// zmq_unbind / zmq_disconnect of a tcp/ipc/udp endpoint.
    pub fn close_endpoint(&self, socket_id: u64, id: u64) {
        self.send(IoCmd::CloseEndpoint { socket_id, id });
    }

    /// The socket was closed: its sessions linger for `linger` ms.
    pub fn socket_closed(&self, socket_id: u64, linger: i32) {
        self.send(IoCmd::SocketClosed { socket_id, linger });
    }

    /// Ends the thread once every session is done, and joins it.
    pub fn stop_and_join(&self) {
        self.send(IoCmd::Stop);
        let Some(j) = self.join.lock().take() else {
            return;
        };
        if std::process::id() == self.pid {
            let _ = j.join();
        } else {
            // A forked child terminating the parent's context (as
            // libzmq's test_fork does): the thread is not here, only its
            // bookkeeping; what it owned is released with this value.
            std::mem::forget(j);
        }
    }
}

/// The most the next write may take: `write_max`, except for the first
/// write of a large burst (more than [`OUT_BATCH`] queued) onto a
/// connection whose output was empty, which takes [`FIRST_WRITE`]: the
/// header and the start of the body, then the rest in the next write, as
/// libzmq's 8 KiB encoder batch does. Measured on Linux 6.18 loopback with
/// BBR: one write of header and whole body leaves the connection
/// bandwidth-limited in the congestion control's eyes (`ss -ti` shows no
/// `app_limited`, cwnd often 12-24 segments); the short first write marks
/// it application-limited, so the large body goes out unpaced (lat tcp
/// 1 MiB, medians of 5 alternating runs, with SO_RCVLOWAT gone too: 266 ->
/// 138 us one way, Debian's libzmq 168 us). Only tcp: over a unix socket
/// the split only costs the reader a second wake-up (lat ipc 64 KiB,
/// medians of 7 alternating runs: 54.5 -> 41.8 us, Debian 48.0).
fn first_write_cap(short_first: bool, pending: usize, write_max: usize) -> usize {
    if short_first && pending > OUT_BATCH {
        FIRST_WRITE.min(write_max)
    } else {
        write_max
    }
}

/// A minimal slab for poll tokens.
#[derive(Default)]
struct Slab {
    items: Vec<Option<Entry>>,
    free: Vec<usize>,
    len: usize,
    /// How many of the entries are sessions.
    sessions: usize,
}

impl Slab {
    fn insert(&mut self, e: Entry) -> usize {
        self.len += 1;
        self.sessions += usize::from(matches!(e, Entry::Session(_)));
        if let Some(i) = self.free.pop() {
            self.items[i] = Some(e);
            i
        } else {
            self.items.push(Some(e));
            self.items.len() - 1
        }
    }
    fn remove(&mut self, k: usize) -> Option<Entry> {
        let e = self.items.get_mut(k)?.take()?;
        self.free.push(k);
        self.len -= 1;
        self.sessions -= usize::from(matches!(e, Entry::Session(_)));
        Some(e)
    }
    fn get_mut(&mut self, k: usize) -> Option<&mut Entry> {
        self.items.get_mut(k).and_then(|e| e.as_mut())
    }
    fn keys(&self) -> Vec<usize> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|_| i))
            .collect()
    }
}

enum Entry {
    Listener(ListenerEntry),
    Session(Box<Session>),
    Udp(Box<UdpEntry>),
}

struct ListenerEntry {
    socket: SocketLink,
    id: u64,
    listener: Listener,
    endpoint: String,
    opts: Arc<Options>,
    cleanup: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// Waiting for the reconnect timer.
    Idle,
    /// Non-blocking connect in progress.
    Connecting,
    /// Connected to the SOCKS proxy, its handshake in progress.
    Socks,
    /// Greeting/handshake in progress.
    Handshaking,
    /// Messages flow.
    Active,
}

struct Session {
    socket: SocketLink,
    endpoint_id: u64,
    opts: Arc<Options>,
    /// Where to reconnect (None for accepted connections).
    target: Option<(Endpoint, String)>,
    endpoint: String,
    stream: Option<Stream>,
    state: State,
    conn: Option<Conn>,
    /// The session's end: reads what the socket sends, writes what arrives.
    pipe: Option<PipeEnd>,
    /// The pipe survives reconnects (made at connect time).
    persistent_pipe: bool,
    stalled: VecDeque<Msg>,
    /// The stream may have unread bytes (edge-triggered readiness).
    readable: bool,
    writable: bool,
    /// Listed in `Loop::again` (its budget ran out with work left).
    again: bool,
    /// The output was empty when the last messages were pulled: the next
    /// write starts a burst (see [`first_write_cap`]).
    short_first: bool,
    /// The poller reported the peer's close or an error: read on to the
    /// end (or the error) instead of trusting a short read.
    closing: bool,
    reconnect_ivl: Duration,
    /// Socket closed: finish sending until this deadline (None: forever).
    lingering: Option<Option<Instant>>,
    /// Next wake-up.
    deadline: Option<Instant>,
    timer_gen: u64,
    connect_deadline: Option<Instant>,
    peer_address: String,
    /// This end's address as an endpoint (v2 monitor events).
    local_name: String,
    /// The peer's address as an endpoint (accepted connections).
    remote_name: String,
    fd: RawFd,
    /// A handshake completed before on this session (for hiccups).
    connected_before: bool,
    /// Pipe to the ZAP handler while the handshake needs it.
    zap: Option<PipeEnd>,
    /// ZMQ_RECONNECT_STOP matched: do not reconnect.
    stop_reconnect: bool,
    /// Frames of a ZAP reply read so far.
    zap_reply: Vec<Msg>,
    /// The SOCKS handshake while `state` is `Socks`.
    socks: Option<Box<SocksClient>>,
}

struct Loop {
    ctx: Ctx,
    poll: Poll,
    rx: Receiver<IoCmd>,
    notifier: Arc<IoNotifier>,
    wake: Arc<Wake>,
    entries: Slab,
    timers: BinaryHeap<Reverse<(Instant, usize, u64)>>,
    /// Datagram buffer of the udp entries.
    buf: Vec<u8>,
    /// Where sessions read: received bodies are slices of it (no copy);
    /// reads fill it front to back, and a fresh block is taken once less
    /// than [`READ_ROOM_MIN`] is left (the old one lives on while any
    /// message still points into it, as libzmq's decoder buffers do).
    rbuf: BytesMut,
    stopping: bool,
    /// Sessions that stopped on their byte budget with work left.
    again: Vec<usize>,
}

fn zmtp_config(o: &Options, peer_address: &str) -> zmtp::Config {
    let mechanism = match o.mechanism {
        Mechanism::Null => zmtp::MechanismConfig::Null,
        Mechanism::Plain => zmtp::MechanismConfig::Plain {
            as_server: o.as_server,
            username: o.plain_username.clone(),
            password: o.plain_password.clone(),
        },
        Mechanism::Curve => zmtp::MechanismConfig::Curve {
            as_server: o.as_server,
            public_key: o.curve_public_key.unwrap_or([0; 32]),
            secret_key: o.curve_secret_key.unwrap_or([0; 32]),
            server_key: o.curve_server_key.unwrap_or([0; 32]),
        },
    };
    let ms = |v: i32| {
        if v > 0 {
            Some(Duration::from_millis(v as u64))
        } else {
            None
        }
    };
    zmtp::Config {
        socket_type: SocketType::from_i32(o.socket_type).unwrap_or(SocketType::Pair),
        routing_id: o.routing_id.clone(),
        mechanism,
        zap_domain: o.zap_domain.clone(),
        zap_enforce_domain: o.zap_enforce_domain,
        zap: false,
        maxmsgsize: o.maxmsgsize,
        heartbeat_ivl: ms(o.heartbeat_ivl),
        heartbeat_timeout: ms(if o.heartbeat_timeout > 0 {
            o.heartbeat_timeout
        } else {
            o.heartbeat_ivl
        }),
        heartbeat_ttl: if o.heartbeat_ttl_ds > 0 {
            Some(Duration::from_millis(u64::from(o.heartbeat_ttl_ds) * 100))
        } else {
            None
        },
        handshake_ivl: ms(o.handshake_ivl),
        metadata: o.metadata.clone(),
        peer_address: peer_address.to_string(),
        src_fd: -1,
    }
}

impl Session {
    /// ZMQ_RECONNECT_STOP: the connection ends, established
    /// (`was_active`: AFTER_DISCONNECT applies) or during its handshake
    /// (HANDSHAKE_FAILED applies).
    fn note_reconnect_stop(&mut self, was_active: bool) {
        let stop = if was_active {
            RECONNECT_STOP_AFTER_DISCONNECT
        } else {
            RECONNECT_STOP_HANDSHAKE_FAILED
        };
        if self.opts.reconnect_stop & stop != 0 {
            self.stop_reconnect = true;
        }
    }

    fn new(
        socket: SocketLink,
        endpoint_id: u64,
        opts: Arc<Options>,
        endpoint: String,
        target: Option<(Endpoint, String)>,
    ) -> Session {
        let ivl = Duration::from_millis(opts.reconnect_ivl.max(0) as u64);
        Session {
            socket,
            endpoint_id,
            opts,
            target,
            endpoint,
            stream: None,
            state: State::Idle,
            conn: None,
            pipe: None,
            persistent_pipe: false,
            stalled: VecDeque::new(),
            readable: false,
            writable: false,
            again: false,
            short_first: false,
            closing: false,
            reconnect_ivl: ivl,
            lingering: None,
            deadline: None,
            timer_gen: 0,
            connect_deadline: None,
            peer_address: String::new(),
            local_name: String::new(),
            remote_name: String::new(),
            fd: -1,
            connected_before: false,
            zap: None,
            zap_reply: Vec::new(),
            stop_reconnect: false,
            socks: None,
        }
    }

    /// libzmq's endpoint pair of the connection: a connecter's remote is
    /// the endpoint it connects to, its local the socket's own address
    /// once connected; an accepted connection has both socket addresses.
    fn endpoint_pair(&self) -> (&str, &str) {
        if self.target.is_some() {
            (&self.local_name, &self.endpoint)
        } else if self.local_name.is_empty() {
            (&self.endpoint, &self.remote_name)
        } else {
            (&self.local_name, &self.remote_name)
        }
    }

    /// Reports an event with the connection's endpoint pair. Version 1
    /// monitors get one name, as libzmq: the connect endpoint for a
    /// connecter, the connection's own address for an accepted one (the
    /// address the peer reached, not the wildcard the listener bound).
    fn monitor(&self, event: u64, value: u64) {
        let (local, remote) = self.endpoint_pair();
        let ident = if self.target.is_some() {
            &self.endpoint
        } else {
            local
        };
        emit(&self.socket, event, value, local, remote, ident);
    }

    /// Records the stream's own and peer addresses as endpoints.
    fn learn_names(&mut self) {
        let stream = self.stream.take();
        if let Some(st) = &stream {
            self.learn_names_of(st);
        }
        self.stream = stream;
    }

    fn learn_names_of(&mut self, stream: &Stream) {
        fn name<A>(addr: io::Result<A>, format: fn(&A) -> String) -> String {
            addr.map(|a| format(&a)).unwrap_or_default()
        }
        (self.local_name, self.remote_name) = match stream {
            Stream::Tcp(t) => (
                name(t.local_addr(), transport::format_tcp_endpoint),
                name(t.peer_addr(), transport::format_tcp_endpoint),
            ),
            // As libzmq: the connecting end is unnamed ("ipc://"), the
            // accepted end has the listener's path.
            Stream::Ipc(u) => (
                name(u.local_addr(), transport::format_ipc_endpoint),
                name(u.peer_addr(), transport::format_ipc_endpoint),
            ),
        };
    }

    /// Nothing left for this session to do.
    fn finished(&self) -> bool {
        match self.lingering {
            None => false,
            Some(deadline) => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return true;
                }
                if self.state != State::Active {
                    // Unconnected: with a pipe to flush, keep trying
                    // until linger expires.
                    return self
                        .pipe
                        .as_ref()
                        .is_none_or(|p| p.inq.is_drained_and_closed());
                }
                let pipe_done = self
                    .pipe
                    .as_ref()
                    .is_none_or(|p| p.inq.is_drained_and_closed());
                let out_done = self.conn.as_ref().is_none_or(|c| c.output_len() == 0);
                pipe_done && out_done
            }
        }
    }
}

impl Loop {
    fn run(&mut self) {
        let mut events = Events::with_capacity(256);
        // After activity, poll without sleeping a few times: a request's
        // reply usually comes back within microseconds, and a sleep plus
        // wake-up costs more than that.
        let mut idle_polls = IDLE_POLLS;
        // The last poll returned no event.
        let mut found_nothing = false;
        loop {
            let mut timeout = self.next_timeout();
            if idle_polls < IDLE_POLLS {
                idle_polls += 1;
                timeout = Some(Duration::ZERO);
                if found_nothing {
                    std::thread::yield_now();
                }
            }
            if !self.again.is_empty() {
                timeout = Some(Duration::ZERO);
            }
            // About to sleep: from now on, senders of commands must wake us.
            let sleeps = timeout != Some(Duration::ZERO);
            if sleeps {
                self.wake.asleep.store(true, Ordering::SeqCst);
                std::sync::atomic::fence(Ordering::SeqCst);
                if !self.rx.is_empty() {
                    timeout = Some(Duration::ZERO);
                }
            }
            let r = self.poll.poll(&mut events, timeout);
            if sleeps {
                self.wake.asleep.store(false, Ordering::SeqCst);
            }
            if let Err(e) = r {
                if e.kind() != io::ErrorKind::Interrupted {
                    break;
                }
            }
            found_nothing = events.is_empty();
            if !found_nothing {
                idle_polls = 0;
            }
            for ev in events.iter() {
                let t = ev.token();
                if t == WAKER {
                    continue;
                }
                let k = t.0;
                let closing = ev.is_read_closed() || ev.is_error();
                let readable = ev.is_readable() || closing;
                let writable = ev.is_writable() || ev.is_error();
                match self.entries.get_mut(k) {
                    Some(Entry::Listener(_)) => self.accept(k),
                    Some(Entry::Session(s)) => {
                        if readable {
                            s.readable = true;
                        }
                        if closing {
                            s.closing = true;
                        }
                        if writable {
                            s.writable = true;
                        }
                        self.drive(k);
                    }
                    Some(Entry::Udp(u)) => {
                        u.ready(readable, writable);
                        self.drive_udp(k);
                    }
                    None => {}
                }
            }
            for k in std::mem::take(&mut self.again) {
                match self.entries.get_mut(k) {
                    Some(Entry::Session(s)) if s.again => {
                        s.again = false;
                        self.drive(k);
                    }
                    Some(Entry::Udp(u)) if u.again => {
                        u.again = false;
                        self.drive_udp(k);
                    }
                    _ => {}
                }
            }
            self.commands();
            self.expire_timers();
            if self.stopping && self.entries.len == 0 {
                break;
            }
        }
    }

    // Both read the clock only when a timer is pending: an idle poll or a
    // busy loop without timers costs no clock_gettime per turn.
    fn next_timeout(&mut self) -> Option<Duration> {
        while let Some(Reverse((at, k, gen))) = self.timers.peek().copied() {
            let live =
                matches!(self.entries.get_mut(k), Some(Entry::Session(s)) if s.timer_gen == gen);
            if !live {
                self.timers.pop();
                continue;
            }
            return Some(at.saturating_duration_since(Instant::now()));
        }
        None
    }

    fn expire_timers(&mut self) {
        if self.timers.is_empty() {
            return;
        }
        let now = Instant::now();
        while let Some(Reverse((at, k, gen))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            let live =
                matches!(self.entries.get_mut(k), Some(Entry::Session(s)) if s.timer_gen == gen);
            if live {
                self.on_timer(k, now);
            }
        }
    }

    fn commands(&mut self) {
        while let Ok(cmd) = self.rx.try_recv() {
            match cmd {
                IoCmd::Listen {
                    socket,
                    id,
                    mut listener,
                    endpoint,
                    opts,
                    cleanup,
                } => {
                    let k = self.entries.items.len();
                    let k = self.entries.free.last().copied().unwrap_or(k);
                    let fd = match &mut listener {
                        Listener::Tcp(l) => {
                            let _ = self
                                .poll
                                .registry()
                                .register(l, Token(k), Interest::READABLE);
                            l.as_raw_fd()
                        }
                        Listener::Ipc(l) => {
                            let _ = self
                                .poll
                                .registry()
                                .register(l, Token(k), Interest::READABLE);
                            l.as_raw_fd()
                        }
                    };
                    monitor(&socket, EVENT_LISTENING, fd as u64, &endpoint.clone(), "");
                    let key = self.entries.insert(Entry::Listener(ListenerEntry {
                        socket,
                        id,
                        listener,
                        endpoint,
                        opts,
                        cleanup,
                    }));
                    debug_assert_eq!(key, k);
                    // Connections may already be waiting.
                    self.accept(key);
                }
                IoCmd::Connect {
                    socket,
                    id,
                    endpoint,
                    given,
                    opts,
                    pipe,
                } => {
                    // Through a SOCKS proxy, libzmq's events name the proxy.
                    let name = match &endpoint {
                        Endpoint::Tcp(_) if !opts.socks_proxy.is_empty() => {
                            format!("tcp://{}", String::from_utf8_lossy(&opts.socks_proxy))
                        }
                        _ => given.clone(),
                    };
                    let mut s = Session::new(socket, id, opts, name, Some((endpoint, given)));
                    s.persistent_pipe = pipe.is_some();
                    s.pipe = pipe;
                    let k = self.entries.insert(Entry::Session(Box::new(s)));
                    self.set_pipe_target(k);
                    self.start_connect(k);
                }
                IoCmd::CloseEndpoint { socket_id, id } => {
                    for k in self.entries.keys() {
                        let hit = match self.entries.get_mut(k) {
                            Some(Entry::Listener(l)) => l.socket.id == socket_id && l.id == id,
                            // An unbind ends the connections its listener
                            // accepted, a disconnect its connecter's
                            // session (libzmq terminates both).
                            Some(Entry::Session(s)) => {
                                s.socket.id == socket_id && s.endpoint_id == id
                            }
                            Some(Entry::Udp(u)) => u.socket.id == socket_id && u.endpoint_id == id,
                            None => false,
                        };
                        if hit {
                            self.close_entry(k);
                        }
                    }
                }
                IoCmd::SocketClosed { socket_id, linger } => {
                    let deadline = if linger < 0 {
                        None
                    } else {
                        Some(Instant::now() + Duration::from_millis(linger as u64))
                    };
                    for k in self.entries.keys() {
                        match self.entries.get_mut(k) {
                            Some(Entry::Listener(l)) if l.socket.id == socket_id => {
                                self.close_entry(k);
                            }
                            Some(Entry::Session(s)) if s.socket.id == socket_id => {
                                s.lingering = Some(deadline);
                                if linger == 0 {
                                    self.close_entry(k);
                                } else {
                                    self.drive(k);
                                    self.check_finished(k);
                                }
                            }
                            Some(Entry::Udp(u)) if u.socket.id == socket_id => {
                                // Nothing waits on a peer: send what is
                                // queued now (linger has nothing to wait
                                // for), then release the OS socket.
                                self.drive_udp(k);
                                self.close_entry(k);
                            }
                            _ => {}
                        }
                    }
                }
                IoCmd::Pipe { token, ev } => {
                    if let Some(Entry::Session(s)) = self.entries.get_mut(token) {
                        if ev == PipeEvent::Closed {
                            // The socket dropped this pipe (refused,
                            // disconnected or closed).
                            let gone = s.pipe.as_ref().is_some_and(|p| p.outq.reader_closed());
                            if gone && s.lingering.is_none() {
                                // Flush what the socket sent, then close;
                                // a socket close sets the real deadline.
                                s.lingering = Some(None);
                            }
                        }
                        self.drive(token);
                        self.check_finished(token);
                    } else if let Some(Entry::Udp(_)) = self.entries.get_mut(token) {
                        self.drive_udp(token);
                    }
                }
                IoCmd::Udp(mut u) => {
                    let k = self.entries.items.len();
                    let k = self.entries.free.last().copied().unwrap_or(k);
                    let reg = self.poll.registry().register(
                        u.source(),
                        Token(k),
                        Interest::READABLE | Interest::WRITABLE,
                    );
                    if reg.is_err() {
                        // The socket sees its pipe closed.
                        u.close_pipe();
                        continue;
                    }
                    let n: Arc<dyn Notify> = self.notifier.clone();
                    u.set_pipe_target(n, k as u64);
                    let key = self.entries.insert(Entry::Udp(u));
                    debug_assert_eq!(key, k);
                    self.drive_udp(key);
                }
                IoCmd::Stop => self.stopping = true,
            }
        }
    }

    /// Connects the session to the ZAP handler when its mechanism may need
    /// one; says whether a handler is there.
    fn zap_for(ctx: &Ctx, s: &mut Session, k: usize, n: &Arc<IoNotifier>) -> bool {
        s.zap = None;
        s.zap_reply.clear();
        let needs = (s.opts.as_server && s.opts.mechanism != Mechanism::Null)
            || !s.opts.zap_domain.is_empty();
        if !needs {
            return false;
        }
        match ctx.zap_connect() {
            Some(p) => {
                let n: Arc<dyn Notify> = n.clone();
                p.set_target(n, k as u64);
                s.zap = Some(p);
                true
            }
            None => false,
        }
    }

    fn set_pipe_target(&mut self, k: usize) {
        let n: Arc<dyn Notify> = self.notifier.clone();
        if let Some(Entry::Session(s)) = self.entries.get_mut(k) {
            if let Some(p) = &s.pipe {
                p.set_target(n, k as u64);
            }
        }
    }

    fn accept(&mut self, k: usize) {
        loop {
            let Some(Entry::Listener(l)) = self.entries.get_mut(k) else {
                return;
            };
            let stream = match &l.listener {
                Listener::Tcp(t) => match t.accept() {
                    Ok((s, addr)) => {
                        // ZMQ_TCP_ACCEPT_FILTER: unlisted peers are
                        // closed at once.
                        let f = &l.opts.tcp_accept_filters;
                        if !f.is_empty() && !f.iter().any(|f| f.matches(addr.ip())) {
                            drop(s);
                            refused(l);
                            continue;
                        }
                        let _ = transport::tcp_tune_stream(&s, &tcp_options(&l.opts));
                        Stream::Tcp(s)
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        monitor(
                            &l.socket,
                            EVENT_ACCEPT_FAILED,
                            e.raw_os_error().unwrap_or(0) as u64,
                            &l.endpoint.clone(),
                            "",
                        );
                        return;
                    }
                },
                Listener::Ipc(u) => match u.accept() {
                    Ok((s, _)) => {
                        if !ipc_peer_allowed(&s, &l.opts) {
                            drop(s);
                            refused(l);
                            continue;
                        }
                        Stream::Ipc(s)
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => return,
                },
            };
            let mut s = Session::new(
                l.socket.clone(),
                l.id,
                l.opts.clone(),
                l.endpoint.clone(),
                None,
            );
            s.peer_address = stream.peer_address();
            s.fd = stream.fd();
            s.learn_names_of(&stream);
            s.monitor(EVENT_ACCEPTED, s.fd as u64);
            let key = self.entries.insert(Entry::Session(Box::new(s)));
            self.attach_stream(key, stream);
        }
    }

    /// Registers a connected stream and starts the handshake.
    fn attach_stream(&mut self, k: usize, mut stream: Stream) {
        let reg = self.poll.registry().register(
            stream.source(),
            Token(k),
            Interest::READABLE | Interest::WRITABLE,
        );
        let Some(Entry::Session(s)) = self.entries.get_mut(k) else {
            return;
        };
        if reg.is_err() {
            return;
        }
        s.fd = stream.fd();
        if s.peer_address.is_empty() {
            s.peer_address = stream.peer_address();
        }
        let now = Instant::now();
        let zap = Self::zap_for(&self.ctx, s, k, &self.notifier);
        s.conn = Some(Conn::new(&s.opts, &s.peer_address, s.fd, zap, now));
        s.stream = Some(stream);
        s.learn_names();
        s.state = State::Handshaking;
        s.readable = true;
        s.writable = true;
        s.closing = false;
        s.short_first = false;
        self.drive(k);
    }

    fn start_connect(&mut self, k: usize) {
        let Some(Entry::Session(s)) = self.entries.get_mut(k) else {
            return;
        };
        let Some((ep, _)) = &s.target else {
            return;
        };
        let r = match ep {
            Endpoint::Tcp(addr) => {
                // ZMQ_SOCKS_PROXY: connect to the proxy; the target is
                // named to it in the SOCKS handshake, never resolved here.
                let proxy = String::from_utf8_lossy(&s.opts.socks_proxy);
                let to: &str = if s.opts.socks_proxy.is_empty() {
                    addr
                } else {
                    &proxy
                };
                transport::tcp_resolve_connect(to, s.opts.ipv6)
                    .map_err(|e| io::Error::from_raw_os_error(e.0).into())
                    .and_then(|t| transport::tcp_start_connect(&t, &tcp_options(&s.opts)))
                    .map(Stream::Tcp)
            }
            Endpoint::Ipc(path) => transport::ipc_start_connect(path).map(Stream::Ipc),
            Endpoint::Inproc(_) | Endpoint::Udp(_) => {
                Err(io::Error::from_raw_os_error(libc::EINVAL).into())
            }
        };
        match r {
            Ok(mut stream) => {
                let reg = self.poll.registry().register(
                    stream.source(),
                    Token(k),
                    Interest::READABLE | Interest::WRITABLE,
                );
                if reg.is_err() {
                    self.schedule_reconnect(k);
                    return;
                }
                s.fd = stream.fd();
                if matches!(stream, Stream::Tcp(_)) {
                    // The connect is in progress (EINPROGRESS), as libzmq
                    // reports it.
                    s.monitor(EVENT_CONNECT_DELAYED, libc::EINPROGRESS as u64);
                }
                s.stream = Some(stream);
                s.state = State::Connecting;
                s.writable = false;
                s.readable = false;
                s.closing = false;
                s.short_first = false;
                s.connect_deadline = if s.opts.connect_timeout > 0 {
                    Some(Instant::now() + Duration::from_millis(s.opts.connect_timeout as u64))
                } else {
                    None
                };
                self.update_timer(k);
            }
            Err(transport::ConnectFailure { error: e, fd }) => {
                // A connect that fails at once (an ipc path with no
                // listener): libzmq reports the OS socket it made closed,
                // then the retry; nothing when no socket was made (a name
                // that does not resolve).
                if let Some(fd) = fd {
                    s.monitor(EVENT_CLOSED, fd as u64);
                }
                if e.raw_os_error() == Some(libc::ECONNREFUSED)
                    && s.opts.reconnect_stop & RECONNECT_STOP_CONN_REFUSED != 0
                {
                    s.stop_reconnect = true;
                }
                self.schedule_reconnect(k);
            }
        }
    }

    fn schedule_reconnect(&mut self, k: usize) {
        let Some(Entry::Session(s)) = self.entries.get_mut(k) else {
            return;
        };
        s.state = State::Idle;
        if s.opts.reconnect_ivl < 0 || s.target.is_none() || s.stop_reconnect {
            // Reconnection disabled.
            s.deadline = None;
            s.lingering = Some(Some(Instant::now()));
            self.check_finished(k);
            return;
        }
        // As libzmq: the wait is the current interval plus a random part
        // below ZMQ_RECONNECT_IVL (so that many peers do not retry in
        // step), and CONNECT_RETRIED tells that wait. The interval doubles
        // up to ZMQ_RECONNECT_IVL_MAX, ignored unless above
        // ZMQ_RECONNECT_IVL.
        let base = s.opts.reconnect_ivl;
        let ivl = s.reconnect_ivl + Duration::from_millis(reconnect_jitter(base));
        s.deadline = Some(Instant::now() + ivl);
        s.monitor(EVENT_CONNECT_RETRIED, ivl.as_millis() as u64);
        let max = s.opts.reconnect_ivl_max;
        if max > 0 && max > base {
            let next = s.reconnect_ivl.saturating_mul(2);
            s.reconnect_ivl = next.min(Duration::from_millis(max as u64));
        }
        self.update_timer(k);
    }

    fn update_timer(&mut self, k: usize) {
        let Some(Entry::Session(s)) = self.entries.get_mut(k) else {
            return;
        };
        let mut at = if s.state == State::Idle {
            s.deadline
        } else {
            None
        };
        let mut consider = |t: Option<Instant>| {
            if let Some(t) = t {
                at = Some(at.map_or(t, |a: Instant| a.min(t)));
            }
        };
        if s.state == State::Connecting {
            consider(s.connect_deadline);
        }
        if let Some(c) = &s.conn {
            consider(c.next_timeout());
        }
        if let Some(Some(d)) = s.lingering {
            consider(Some(d));
        }
        if let Some(at) = at {
            s.timer_gen += 1;
            self.timers.push(Reverse((at, k, s.timer_gen)));
        }
    }

    fn on_timer(&mut self, k: usize, now: Instant) {
        let Some(Entry::Session(s)) = self.entries.get_mut(k) else {
            return;
        };
        if s.lingering.is_some_and(|d| d.is_some_and(|d| now >= d)) {
            self.close_entry(k);
            return;
        }
        match s.state {
            State::Idle => {
                if s.deadline.is_some_and(|d| now >= d) {
                    s.deadline = None;
                    self.start_connect(k);
                    return;
                }
            }
            State::Connecting => {
                if s.connect_deadline.is_some_and(|d| now >= d) {
                    self.connection_lost(k, false);
                    return;
                }
            }
            _ => {
                if let Some(c) = s.conn.as_mut() {
                    if let Err(e) = c.handle_timeout(now) {
                        let (ev, val) = e.monitor_event();
                        if ev != 0 {
                            s.monitor(ev as u64, val as u64);
                        }
                        // A handshake that timed out failed; a heartbeat
                        // timeout ends an established connection.
                        s.note_reconnect_stop(s.state == State::Active);
                        self.connection_lost(k, true);
                        return;
                    }
                }
                self.drive(k);
            }
        }
        self.update_timer(k);
    }

    /// The stream reaches the peer (directly or through the SOCKS proxy):
    /// reports CONNECTED and starts the ZMTP handshake.
    fn connected(ctx: &Ctx, s: &mut Session, k: usize, notifier: &Arc<IoNotifier>) {
        s.peer_address = s
            .stream
            .as_ref()
            .map(|x| x.peer_address())
            .unwrap_or_default();
        s.learn_names();
        s.monitor(EVENT_CONNECTED, s.fd as u64);
        let now = Instant::now();
        let zap = Self::zap_for(ctx, s, k, notifier);
        s.conn = Some(Conn::new(&s.opts, &s.peer_address, s.fd, zap, now));
        s.state = State::Handshaking;
        s.readable = true;
        s.writable = true;
    }

    /// Moves everything that can move for session `k`.
    fn drive(&mut self, k: usize) {
        let notifier: Arc<dyn Notify> = self.notifier.clone();
        let write_max = if self.entries.sessions > 1 {
            WRITE_MAX
        } else {
            WRITE_MAX_ALONE
        };
        let Some(Entry::Session(s)) = self.entries.get_mut(k) else {
            return;
        };
        if s.state == State::Connecting {
            if !s.writable && !s.readable {
                return;
            }
            let res = match &s.stream {
                Some(st) => st.connect_result(),
                None => Err(io::Error::from_raw_os_error(libc::ENOTCONN)),
            };
            match res {
                Ok(()) => {
                    if let Some(Stream::Tcp(t)) = &s.stream {
                        let _ = transport::tcp_tune_stream(t, &tcp_options(&s.opts));
                    }
                    s.reconnect_ivl = Duration::from_millis(s.opts.reconnect_ivl.max(0) as u64);
                    match socks_client(s) {
                        None => Self::connected(&self.ctx, s, k, &self.notifier),
                        Some(Ok(c)) => {
                            s.socks = Some(Box::new(c));
                            s.state = State::Socks;
                            s.readable = true;
                            s.writable = true;
                        }
                        Some(Err(_)) => {
                            s.monitor(EVENT_CLOSED, s.fd as u64);
                            self.connection_lost(k, false);
                            return;
                        }
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => return,
                Err(e) => {
                    if s.writable || s.readable {
                        // As libzmq: the half-open socket is CLOSED, then
                        // a reconnect is scheduled (CONNECT_RETRIED).
                        s.monitor(EVENT_CLOSED, s.fd as u64);
                        if e.raw_os_error() == Some(libc::ECONNREFUSED)
                            && s.opts.reconnect_stop & RECONNECT_STOP_CONN_REFUSED != 0
                        {
                            s.stop_reconnect = true;
                        }
                        self.connection_lost(k, false);
                    }
                    return;
                }
            }
        }
        if s.state == State::Socks {
            match socks_step(s) {
                Ok(false) => return,
                Ok(true) => {
                    s.socks = None;
                    Self::connected(&self.ctx, s, k, &self.notifier);
                }
                Err(()) => {
                    // As libzmq's SOCKS connecter: the connection is
                    // CLOSED, then a reconnect is scheduled.
                    s.monitor(EVENT_CLOSED, s.fd as u64);
                    self.connection_lost(k, false);
                    return;
                }
            }
        }
        if s.state != State::Handshaking && s.state != State::Active {
            return;
        }
        let mut failed = false;
        let mut proto_err: Option<ProtocolError> = None;
        // errno of a connection that broke (EPIPE for an orderly close),
        // for HANDSHAKE_FAILED_NO_DETAIL when it breaks mid-handshake.
        let mut io_errno = 0;
        let mut progress = true;
        let mut budget = DRIVE_BUDGET;
        while progress && !failed && budget > 0 {
            progress = false;
            // 1. Deliver stalled input (one lock for the whole batch).
            if !s.stalled.is_empty() {
                if let Some(p) = &s.pipe {
                    let before = s.stalled.len();
                    p.outq.write_batch(&mut s.stalled);
                    if s.stalled.len() != before {
                        progress = true;
                    }
                } else {
                    s.stalled.clear();
                }
            }
            // 2. Read and decode.
            if s.readable && s.stalled.is_empty() {
                let Some(stream) = s.stream.as_mut() else {
                    break;
                };
                // A large frame in progress is read straight into its body.
                let direct = match s.conn.as_mut() {
                    Some(Conn::Zmtp(c)) => c
                        .direct_input()
                        .map(|(body, missing)| stream.read_spare(body, missing)),
                    _ => None,
                };
                if let Some(r) = direct {
                    match r {
                        Ok((0, _)) => {
                            io_errno = EPIPE;
                            failed = true;
                        }
                        Ok((n, want)) => {
                            progress = true;
                            budget = budget.saturating_sub(n);
                            // A short read emptied the socket: the poller
                            // reports the next arrival (edge-triggered), so
                            // no read is spent on learning EAGAIN.
                            if n < want && !s.closing {
                                s.readable = false;
                            }
                            if let Some(Conn::Zmtp(c)) = s.conn.as_mut() {
                                c.direct_input_done(n, Instant::now());
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => s.readable = false,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => progress = true,
                        Err(e) => {
                            io_errno = e.raw_os_error().unwrap_or(EPIPE);
                            failed = true;
                        }
                    }
                } else {
                    // After a large frame, read just past the next header.
                    let want = match s.conn.as_ref() {
                        Some(Conn::Zmtp(c)) if c.expects_large() => SHORT_READ,
                        _ => READ_BUF,
                    };
                    if self.rbuf.capacity() - self.rbuf.len() < READ_ROOM_MIN {
                        self.rbuf.reserve(READ_BUF);
                    }
                    match stream.read_shared(&mut self.rbuf, want) {
                        Ok((0, _)) => {
                            io_errno = EPIPE;
                            failed = true;
                        }
                        Ok((n, asked)) => {
                            progress = true;
                            budget = budget.saturating_sub(n);
                            if n < asked && !s.closing {
                                s.readable = false;
                            }
                            let now = Instant::now();
                            let chunk = self.rbuf.split().freeze();
                            if let Some(c) = s.conn.as_mut() {
                                if let Err(e) = c.handle_input(&chunk, now) {
                                    proto_err = Some(e);
                                    failed = true;
                                }
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => s.readable = false,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => progress = true,
                        Err(e) => {
                            io_errno = e.raw_os_error().unwrap_or(EPIPE);
                            failed = true;
                        }
                    }
                }
            }
            // 3. Protocol events.
            while let Some(ev) = s.conn.as_mut().and_then(|c| c.poll_event()) {
                match ev {
                    zmtp::Event::Ready {
                        peer_socket_type,
                        peer_routing_id,
                        metadata,
                    } => {
                        s.state = State::Active;
                        s.monitor(EVENT_HANDSHAKE_SUCCEEDED, 0);
                        // ZMQ_HELLO_MSG (draft) opens every connection,
                        // reconnections too, before anything queued.
                        if let (Some(h), Some(c)) = (s.opts.hello(), s.conn.as_mut()) {
                            c.send(&Msg::from_slice(h));
                        }
                        // ZMQ_PROBE_ROUTER: an empty message opens every
                        // connection, before anything queued.
                        if s.opts.probe_router {
                            if let Some(c) = s.conn.as_mut() {
                                c.send(&Msg::new());
                            }
                        }
                        if let Some(p) = &s.pipe {
                            if s.connected_before {
                                p.outq.notify_reader_hiccup();
                            }
                            // A STREAM pipe made at connect time hears of
                            // each connection through an empty message, as
                            // libzmq's raw engine sends it.
                            if s.opts.raw() && s.persistent_pipe {
                                let _ = p.outq.write(Msg::new());
                            }
                        }
                        s.connected_before = true;
                        if s.pipe.is_none() {
                            let (a, b) = session_pipe(&s.opts);
                            let info = PeerInfo {
                                routing_id: Some(peer_routing_id),
                                connect_routing_id: if s.target.is_some() {
                                    s.opts.connect_routing_id.clone()
                                } else {
                                    None
                                },
                                endpoint_id: s.endpoint_id,
                                locally_initiated: s.target.is_some(),
                                peer_type: Some(peer_socket_type as i32),
                                inproc: false,
                                udp: false,
                                local: s.endpoint_pair().0.to_string(),
                                remote: s.endpoint_pair().1.to_string(),
                            };
                            b.set_target(notifier.clone(), k as u64);
                            // Before the socket sees the pipe: what it
                            // makes of the connection itself (a STREAM's
                            // connect notice) carries these properties.
                            b.outq.adopt_metadata(&metadata);
                            s.pipe = Some(b);
                            s.socket.mailbox.send(Command::Attach {
                                pipe: Box::new(a),
                                info,
                            });
                        }
                        // ZMQ_ROUTER_NOTIFY (draft): the ROUTER hears of
                        // each connection as an empty message from it.
                        if s.opts.router_notify & NOTIFY_CONNECT != 0 {
                            if let Some(p) = &s.pipe {
                                let _ = p.outq.write(Msg::new());
                            }
                        }
                        // The pipe's reader attaches the connection's
                        // properties to each message, so the refcount is
                        // not bounced between threads per message. A pipe
                        // that outlives its first connection keeps that
                        // one's; later connections attach their own.
                        if let (Some(p), Some(Conn::Zmtp(c))) = (&s.pipe, s.conn.as_mut()) {
                            if p.outq.adopt_metadata(&metadata) {
                                c.set_attach_metadata(false);
                            }
                        }
                        progress = true;
                    }
                    zmtp::Event::Message(m) => {
                        // Queued here and handed to the pipe in one batch
                        // right after this loop.
                        s.stalled.push_back(m);
                    }
                    zmtp::Event::ZapRequest(frames) => {
                        let n = frames.len();
                        match &s.zap {
                            Some(z) => {
                                for (i, mut f) in frames.into_iter().enumerate() {
                                    f.set_more(i + 1 < n);
                                    let _ = z.outq.write(f);
                                }
                            }
                            None => failed = true,
                        }
                    }
                }
            }
            // Decoded messages, in bulk (they only follow `Ready`).
            if let Some(Conn::Zmtp(c)) = s.conn.as_mut() {
                c.take_messages(&mut s.stalled);
            }
            if !s.stalled.is_empty() {
                match &s.pipe {
                    Some(p) => {
                        // Input handed on is progress: once `stalled`
                        // empties, the next turn must read again, since
                        // edge-triggered readiness will not report bytes
                        // already waiting (a reader that made room just
                        // before this write sends no WriteReady).
                        let before = s.stalled.len();
                        p.outq.write_batch(&mut s.stalled);
                        progress |= s.stalled.len() < before;
                    }
                    None => s.stalled.clear(),
                }
            }
            // ZAP reply frames, when a request is out.
            if let Some(z) = &mut s.zap {
                while let ReadResult::Msg(m) = z.inq.read() {
                    let more = m.more();
                    s.zap_reply.push(m);
                    if !more {
                        let reply = std::mem::take(&mut s.zap_reply);
                        if let Some(c) = s.conn.as_mut() {
                            if let Err(e) = c.zap_reply(&reply) {
                                proto_err = Some(e);
                                failed = true;
                            }
                        }
                        progress = true;
                        break;
                    }
                }
            }
            // 4. Pull outgoing messages from the socket.
            if s.state == State::Active {
                if let (Some(p), Some(c)) = (&mut s.pipe, s.conn.as_mut()) {
                    if c.output_len() < OUT_BATCH {
                        // The short first write is for tcp's congestion
                        // control; a unix socket has none to mislead.
                        s.short_first =
                            c.output_len() == 0 && matches!(s.stream, Some(Stream::Tcp(_)));
                        let n = p.inq.read_while(|m| {
                            c.send(&m);
                            c.output_len() < OUT_BATCH
                        });
                        progress |= n > 0;
                    }
                }
            }
            // 5. Write.
            if s.writable {
                if let (Some(stream), Some(c)) = (s.stream.as_mut(), s.conn.as_mut()) {
                    loop {
                        let mut slots = [io::IoSlice::new(&[]); WRITE_SLICES];
                        let cap = first_write_cap(s.short_first, c.output_len(), write_max);
                        s.short_first = false;
                        let k = c.output_vectored(&mut slots, cap);
                        if k == 0 {
                            break;
                        }
                        let bufs = slots.get(..k).unwrap_or(&[]);
                        let offered: usize = bufs.iter().map(|b| b.len()).sum();
                        let r = stream.write_vectored(bufs);
                        match r {
                            Ok(0) => {
                                io_errno = EPIPE;
                                failed = true;
                                break;
                            }
                            Ok(n) => {
                                c.consume_output(n);
                                progress = true;
                                budget = budget.saturating_sub(n);
                                // A short write filled the socket buffer:
                                // the poller reports when room is back.
                                if n < offered {
                                    s.writable = false;
                                    break;
                                }
                                if budget == 0 {
                                    break;
                                }
                            }
                            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                                s.writable = false;
                                break;
                            }
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                            Err(e) => {
                                io_errno = e.raw_os_error().unwrap_or(EPIPE);
                                failed = true;
                                break;
                            }
                        }
                    }
                }
            }
        }
        if s.conn.as_ref().is_some_and(|c| c.wants_close()) {
            failed = true;
        }
        if let Some(e) = &proto_err {
            let (ev, val) = e.monitor_event();
            if ev != 0 {
                s.monitor(ev as u64, val as u64);
            }
            // Best effort: an ERROR command the protocol queued.
            if let (Some(st), Some(c)) = (s.stream.as_mut(), s.conn.as_mut()) {
                if c.output_len() > 0 {
                    if let Ok(n) = st.write(c.output()) {
                        c.consume_output(n);
                    }
                }
            }
        }
        if s.state == State::Active {
            if let Some(mut z) = s.zap.take() {
                z.close();
            }
        }
        if failed {
            let was_active = s.state == State::Active;
            // As libzmq: a connection that breaks (not one the protocol
            // rejected) before its handshake is done reports why.
            if io_errno != 0
                && s.state == State::Handshaking
                && matches!(s.conn, Some(Conn::Zmtp(_)))
            {
                s.monitor(EVENT_HANDSHAKE_FAILED_NO_DETAIL, io_errno as u64);
            }
            s.note_reconnect_stop(was_active);
            // A peer that refused us with an ERROR command (e.g. ZAP status
            // 400/500) or speaks another mechanism is not asked again:
            // libzmq ends such a session.
            if matches!(
                proto_err,
                Some(
                    ProtocolError::Auth(_)
                        | ProtocolError::PeerError(_)
                        | ProtocolError::MechanismMismatch
                )
            ) && s.target.is_some()
            {
                s.stop_reconnect = true;
            }
            self.connection_lost(k, was_active);
            return;
        }
        if budget == 0 && progress && !s.again {
            s.again = true;
            self.again.push(k);
        }
        self.update_timer(k);
        self.check_finished(k);
    }

    /// The connection failed or closed: clean up and maybe reconnect.
    fn connection_lost(&mut self, k: usize, was_connected: bool) {
        let Some(Entry::Session(s)) = self.entries.get_mut(k) else {
            return;
        };
        if let Some(mut st) = s.stream.take() {
            let _ = self.poll.registry().deregister(st.source());
            if was_connected || s.state == State::Handshaking {
                s.monitor(EVENT_DISCONNECTED, st.fd() as u64);
            }
        }
        s.local_name.clear();
        s.conn = None;
        s.socks = None;
        s.stalled.clear();
        if let Some(p) = &s.pipe {
            p.outq.rollback();
            if was_connected && s.opts.raw() && s.persistent_pipe {
                let _ = p.outq.write(Msg::new());
            }
            // Draft notices of a lost connection, after all it delivered:
            // ZMQ_ROUTER_NOTIFY's empty message, ZMQ_DISCONNECT_MSG for a
            // peer that connected to us, ZMQ_HICCUP_MSG for a connection we
            // made.
            if was_connected {
                if s.opts.router_notify & NOTIFY_DISCONNECT != 0 {
                    let _ = p.outq.write(Msg::new());
                }
                let notice = if s.target.is_none() {
                    s.opts.disconnect_notice()
                } else {
                    s.opts.hiccup_notice()
                };
                if let Some(m) = notice {
                    let _ = p.outq.write(Msg::from_slice(m));
                }
            }
        }
        // A lingering connecter keeps trying until its linger runs out (or
        // nothing is left to send), as libzmq does.
        let reconnect = s.target.is_some();
        if !s.persistent_pipe {
            if let Some(mut p) = s.pipe.take() {
                p.close();
            }
        }
        if reconnect {
            self.schedule_reconnect(k);
            self.check_finished(k);
        } else {
            self.close_entry(k);
        }
    }

    /// Gives a udp endpoint its turn (see `udp`).
    fn drive_udp(&mut self, k: usize) {
        let Some(Entry::Udp(u)) = self.entries.get_mut(k) else {
            return;
        };
        match u.drive(&mut self.buf) {
            Step::Idle => {}
            Step::Again => {
                if !u.again {
                    u.again = true;
                    self.again.push(k);
                }
            }
            Step::Finished => self.close_entry(k),
        }
    }

    fn check_finished(&mut self, k: usize) {
        let done = match self.entries.get_mut(k) {
            Some(Entry::Session(s)) => s.finished(),
            _ => false,
        };
        if done {
            self.close_entry(k);
        }
    }

    /// Closes a listener or session for good.
    fn close_entry(&mut self, k: usize) {
        match self.entries.remove(k) {
            Some(Entry::Listener(mut l)) => {
                let fd = match &mut l.listener {
                    Listener::Tcp(t) => {
                        let _ = self.poll.registry().deregister(t);
                        t.as_raw_fd()
                    }
                    Listener::Ipc(u) => {
                        let _ = self.poll.registry().deregister(u);
                        u.as_raw_fd()
                    }
                };
                if let Some(f) = &l.cleanup {
                    transport::ipc_cleanup(f);
                }
                monitor(&l.socket, EVENT_CLOSED, fd as u64, &l.endpoint.clone(), "");
            }
            Some(Entry::Session(mut s)) => {
                if let Some(mut st) = s.stream.take() {
                    let _ = self.poll.registry().deregister(st.source());
                    // A close we decided on (close, unbind, disconnect, linger) is
                    // not reported: libzmq reports DISCONNECTED only for a
                    // connection that failed.
                }
                if let Some(mut p) = s.pipe.take() {
                    p.close();
                }
            }
            Some(Entry::Udp(mut u)) => {
                let _ = self.poll.registry().deregister(u.source());
                u.close_pipe();
                // Dropping the entry closes the OS socket.
            }
            None => {}
        }
    }
}

/// The SOCKS handshake a freshly connected session runs first: None when
/// it connects directly (not tcp, or no ZMQ_SOCKS_PROXY).
fn socks_client(
    s: &Session,
) -> Option<std::result::Result<SocksClient, transport::socks::SocksError>> {
    match &s.target {
        Some((Endpoint::Tcp(addr), _)) if !s.opts.socks_proxy.is_empty() => Some(SocksClient::new(
            addr,
            &s.opts.socks_username,
            &s.opts.socks_password,
        )),
        _ => None,
    }
}

/// Moves the SOCKS handshake of session `s` as far as the stream allows:
/// Ok(true) once it is done, Ok(false) while waiting, Err on failure.
/// Reads only what the handshake needs, so ZMTP bytes stay in the stream.
fn socks_step(s: &mut Session) -> std::result::Result<bool, ()> {
    let (Some(c), Some(stream)) = (s.socks.as_mut(), s.stream.as_mut()) else {
        return Err(());
    };
    let mut buf = [0u8; 262];
    loop {
        if c.is_done() {
            return Ok(true);
        }
        if !c.output().is_empty() {
            if !s.writable {
                return Ok(false);
            }
            match stream.write(c.output()) {
                Ok(0) => return Err(()),
                Ok(n) => c.consume_output(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => s.writable = false,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(()),
            }
            continue;
        }
        if !s.readable {
            return Ok(false);
        }
        let want = c.wants().min(buf.len());
        match stream.read(buf.get_mut(..want).unwrap_or(&mut [])) {
            Ok(0) => return Err(()),
            Ok(n) => c
                .handle_input(buf.get(..n).unwrap_or(&[]))
                .map_err(|_| ())?,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => s.readable = false,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(()),
        }
    }
}

/// Used by the socket core to know the OS fd kinds are unused here.
pub fn _unused(_: &HashMap<u64, u64>) {}

#[cfg(test)]
mod tests;
