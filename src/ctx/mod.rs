//! The context (zmq_ctx_new(3), zmq_ctx_set(3), zmq_ctx_get(3),
//! zmq_ctx_term(3), zmq_ctx_shutdown(3)).
//!
//! A context owns: its options, the registry of live sockets (so that
//! termination can stop them), the inproc endpoint registry, and the I/O
//! thread that runs sessions and engines (started on first use).
//!
//! Invariants:
//! - Once `terminating` is set, `zmq_socket` fails with ETERM and every
//!   socket has been sent `Command::Stop` (its blocked and later calls fail
//!   with ETERM until it is closed).
//! - `term` returns only when every socket is closed and the I/O thread has
//!   finished lingering sessions and exited: no thread outlives the context.
//! - inproc: the binder registers its name; a connect made before the bind
//!   creates its pipe at once (so messages can be queued) and parks the far
//!   end until the bind arrives, as libzmq does.

pub mod mailbox;

use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::pipe::{pipe_pair, PipeEnd};
use mailbox::{Command, Mailbox, PeerInfo};
use parking_lot::{Condvar, Mutex};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub const ZMQ_IO_THREADS: i32 = 1;
pub const ZMQ_MAX_SOCKETS: i32 = 2;
pub const ZMQ_SOCKET_LIMIT: i32 = 3;
pub const ZMQ_THREAD_PRIORITY: i32 = 3;
pub const ZMQ_THREAD_SCHED_POLICY: i32 = 4;
pub const ZMQ_MAX_MSGSZ: i32 = 5;
pub const ZMQ_MSG_T_SIZE: i32 = 6;
pub const ZMQ_THREAD_AFFINITY_CPU_ADD: i32 = 7;
pub const ZMQ_THREAD_AFFINITY_CPU_REMOVE: i32 = 8;
pub const ZMQ_THREAD_NAME_PREFIX: i32 = 9;
pub const ZMQ_ZERO_COPY_RECV: i32 = 10;
pub const ZMQ_IPV6: i32 = 42;
pub const ZMQ_BLOCKY: i32 = 70;

/// The largest socket count any context allows (ZMQ_SOCKET_LIMIT).
pub const SOCKET_LIMIT: i32 = 65535;

/// Context options with libzmq's defaults.
#[derive(Clone, Debug)]
pub struct CtxOptions {
    pub io_threads: i32,
    pub max_sockets: i32,
    pub ipv6: bool,
    pub blocky: bool,
    pub max_msgsz: i32,
    pub zero_copy_recv: bool,
    pub thread_priority: i32,
    pub thread_sched_policy: i32,
    pub thread_affinity: Vec<i32>,
    pub thread_name_prefix: Vec<u8>,
}

impl Default for CtxOptions {
    fn default() -> Self {
        CtxOptions {
            io_threads: 1,
            max_sockets: 1023,
            ipv6: false,
            blocky: true,
            max_msgsz: i32::MAX,
            zero_copy_recv: true,
            thread_priority: -1,
            thread_sched_policy: -1,
            thread_affinity: Vec::new(),
            thread_name_prefix: Vec::new(),
        }
    }
}

/// How a socket is reached by the context, inproc peers and I/O threads.
#[derive(Clone)]
pub struct SocketLink {
    pub id: u64,
    pub mailbox: Arc<Mailbox>,
    pub socket_type: i32,
    /// The socket's monitor, written to by the I/O thread directly.
    pub monitor: Arc<crate::socket::MonitorSlot>,
}

/// What an inproc binder offers to connecters.
#[derive(Clone)]
struct InprocBinder {
    link: SocketLink,
    /// Bind id (for unbind).
    endpoint_id: u64,
    rcvhwm: i32,
    sndhwm: i32,
    routing_id: Vec<u8>,
    /// ZMQ_HELLO_MSG the binder sends each inproc connecter first.
    hello: Option<Vec<u8>>,
    /// ZMQ_DISCONNECT_MSG the binder receives from a connecter that goes.
    disconnect: Option<Vec<u8>>,
}

/// A connect made before its bind: the far end waits here.
struct PendingInproc {
    connecter: SocketLink,
    /// The connecter's connect that made this pipe.
    connect_id: u64,
    far_end: PipeEnd,
    info: PeerInfo,
    sndhwm: i32,
    rcvhwm: i32,
    conflate: bool,
}

struct State {
    terminating: bool,
    sockets: HashMap<u64, Arc<Mailbox>>,
    inproc: HashMap<String, InprocBinder>,
    pending: HashMap<String, Vec<PendingInproc>>,
    /// The I/O threads (ZMQ_IO_THREADS of them), started on first use;
    /// each socket's connections live on one of them.
    io: Vec<Arc<crate::io::IoThread>>,
    /// The I/O thread (index in `io`) of each socket that has used one,
    /// handed out in turn.
    io_of: HashMap<u64, usize>,
    io_next: usize,
    /// ZMQ_MAX_SOCKETS as it was when the first socket was made: libzmq
    /// sizes its socket table then, and later zmq_ctx_set calls change
    /// what zmq_ctx_get reports but not the limit.
    socket_cap: Option<usize>,
}

/// Shared state of one context.
pub struct CtxInner {
    opts: Mutex<CtxOptions>,
    state: Mutex<State>,
    closed: Condvar,
    next_id: AtomicU64,
    /// The process that made the context (see [`Ctx::term`] on forks).
    pid: u32,
}

/// A context handle (cheap to clone).
#[derive(Clone)]
pub struct Ctx(pub Arc<CtxInner>);

/// Options a bind/connect side needs about a socket at inproc join time.
pub struct InprocOptions {
    /// ZMQ_CONFLATE, as it applies to this socket type.
    pub conflate: bool,
    pub sndhwm: i32,
    pub rcvhwm: i32,
    pub routing_id: Vec<u8>,
    pub connect_routing_id: Option<Vec<u8>>,
    /// ZMQ_HELLO_MSG (draft) this socket sends first on every connection.
    pub hello: Option<Vec<u8>>,
    /// ZMQ_DISCONNECT_MSG (draft) this socket receives from a peer that
    /// closes or disconnects.
    pub disconnect: Option<Vec<u8>>,
}

/// The HWM of an inproc queue: the writer's SNDHWM plus the reader's
/// RCVHWM; 0 on either side means no limit. `b` is None while the peer is
/// not known yet (then only `a` counts).
fn sum_hwm(a: i32, b: Option<i32>) -> usize {
    match b {
        _ if a <= 0 => 0,
        None => a as usize,
        Some(b) if b <= 0 => 0,
        Some(b) => (a as usize).saturating_add(b as usize),
    }
}

impl Ctx {
    pub fn new() -> Ctx {
        Ctx(Arc::new(CtxInner {
            opts: Mutex::new(CtxOptions::default()),
            state: Mutex::new(State {
                terminating: false,
                sockets: HashMap::new(),
                inproc: HashMap::new(),
                pending: HashMap::new(),
                io: Vec::new(),
                io_of: HashMap::new(),
                io_next: 0,
                socket_cap: None,
            }),
            closed: Condvar::new(),
            next_id: AtomicU64::new(1),
            pid: std::process::id(),
        }))
    }

    /// A fresh id for a socket, bind or connect.
    pub fn next_id(&self) -> u64 {
        self.0.next_id.fetch_add(1, Ordering::Relaxed)
    }

    pub fn options(&self) -> CtxOptions {
        self.0.opts.lock().clone()
    }

    /// zmq_ctx_set(3) / zmq_ctx_set_ext: `val` is the raw option value.
    pub fn set(&self, option: i32, val: &[u8]) -> Result<()> {
        let int = if val.len() == std::mem::size_of::<i32>() {
            let mut b = [0u8; 4];
            b.copy_from_slice(val);
            Some(i32::from_ne_bytes(b))
        } else {
            None
        };
        let mut o = self.0.opts.lock();
        match (option, int) {
            // libzmq clips only on pollers with an fd ceiling (select);
            // with epoll any positive count is taken, even above
            // ZMQ_SOCKET_LIMIT.
            (ZMQ_MAX_SOCKETS, Some(v)) if v >= 1 => o.max_sockets = v,
            (ZMQ_IO_THREADS, Some(v)) if v >= 0 => o.io_threads = v,
            (ZMQ_IPV6, Some(v)) if v >= 0 => o.ipv6 = v != 0,
            (ZMQ_BLOCKY, Some(v)) if v >= 0 => o.blocky = v != 0,
            (ZMQ_MAX_MSGSZ, Some(v)) if v >= 0 => o.max_msgsz = v,
            (ZMQ_ZERO_COPY_RECV, Some(v)) if v >= 0 => o.zero_copy_recv = v != 0,
            (ZMQ_THREAD_PRIORITY, Some(v)) if v >= 0 => o.thread_priority = v,
            (ZMQ_THREAD_SCHED_POLICY, Some(v)) if v >= 0 => o.thread_sched_policy = v,
            (ZMQ_THREAD_AFFINITY_CPU_ADD, Some(v)) if v >= 0 => {
                if !o.thread_affinity.contains(&v) {
                    o.thread_affinity.push(v)
                }
            }
            (ZMQ_THREAD_AFFINITY_CPU_REMOVE, Some(v)) if v >= 0 => {
                let before = o.thread_affinity.len();
                o.thread_affinity.retain(|c| *c != v);
                if o.thread_affinity.len() == before {
                    return Err(Error::EINVAL);
                }
            }
            // Any int is taken (its decimal text, "-1" too); a string
            // needs 1..=16 bytes.
            (ZMQ_THREAD_NAME_PREFIX, Some(v)) => o.thread_name_prefix = v.to_string().into_bytes(),
            (ZMQ_THREAD_NAME_PREFIX, None) if !val.is_empty() && val.len() <= 16 => {
                o.thread_name_prefix = val.to_vec()
            }
            _ => return Err(Error::EINVAL),
        }
        Ok(())
    }

    /// zmq_ctx_get(3) for integer options.
    pub fn get(&self, option: i32) -> Result<i32> {
        let o = self.0.opts.lock();
        Ok(match option {
            ZMQ_MAX_SOCKETS => o.max_sockets,
            ZMQ_SOCKET_LIMIT => SOCKET_LIMIT,
            ZMQ_IO_THREADS => o.io_threads,
            ZMQ_IPV6 => o.ipv6 as i32,
            ZMQ_BLOCKY => o.blocky as i32,
            ZMQ_MAX_MSGSZ => o.max_msgsz,
            ZMQ_MSG_T_SIZE => 64,
            ZMQ_ZERO_COPY_RECV => o.zero_copy_recv as i32,
            ZMQ_THREAD_SCHED_POLICY => o.thread_sched_policy,
            // libzmq answers the prefix as a number (atoi).
            ZMQ_THREAD_NAME_PREFIX => std::str::from_utf8(&o.thread_name_prefix)
                .ok()
                .and_then(|p| p.trim().parse::<i32>().ok())
                .unwrap_or(0),
            _ => return Err(Error::EINVAL),
        })
    }

    /// zmq_ctx_get_ext: like `get`, and the name prefix as a string.
    pub fn get_ext(&self, option: i32, buf: &mut [u8]) -> Result<usize> {
        if option == ZMQ_THREAD_NAME_PREFIX && buf.len() != 4 {
            let o = self.0.opts.lock();
            let p = &o.thread_name_prefix;
            // libzmq needs room for the bytes only and adds no NUL; we
            // add one when there is room (harmless, and handy for C).
            if buf.len() < p.len() {
                return Err(Error::EINVAL);
            }
            buf[..p.len()].copy_from_slice(p);
            if let Some(b) = buf.get_mut(p.len()) {
                *b = 0;
            }
            return Ok(buf.len());
        }
        if buf.len() != 4 {
            return Err(Error::EINVAL);
        }
        let v = self.get(option)?;
        buf.copy_from_slice(&v.to_ne_bytes());
        Ok(4)
    }

    /// Registers a new socket; fails with ETERM while terminating and
    /// EMFILE past ZMQ_MAX_SOCKETS.
    pub fn register_socket(&self, id: u64, mailbox: Arc<Mailbox>) -> Result<()> {
        let max = self.0.opts.lock().max_sockets;
        let mut st = self.0.state.lock();
        let cap = *st.socket_cap.get_or_insert(max as usize);
        if st.terminating {
            return Err(Error::ETERM);
        }
        if st.sockets.len() >= cap {
            return Err(Error::EMFILE);
        }
        st.sockets.insert(id, mailbox);
        Ok(())
    }

    /// A socket was closed.
    pub fn unregister_socket(&self, id: u64, linger: i32) {
        let mut st = self.0.state.lock();
        st.sockets.remove(&id);
        st.inproc.retain(|_, b| b.link.id != id);
        // Connects still waiting for their bind stay: what the closed
        // connecter queued is delivered when the binder comes (libzmq).
        if let Some(io) = st.io_of.remove(&id).and_then(|i| st.io.get(i)) {
            io.socket_closed(id, linger);
        }
        self.0.closed.notify_all();
    }

    /// True once zmq_ctx_shutdown/term started.
    pub fn is_terminating(&self) -> bool {
        self.0.state.lock().terminating
    }

    /// zmq_ctx_shutdown(3): stop every socket, refuse new ones.
    pub fn shutdown(&self) {
        let mut st = self.0.state.lock();
        if st.terminating {
            return;
        }
        st.terminating = true;
        for mb in st.sockets.values() {
            mb.stop();
        }
    }

    /// zmq_ctx_term(3): shutdown, wait for every socket to be closed, then
    /// let the I/O thread finish lingering and join it.
    ///
    /// In a child forked after the context made its first socket, the
    /// I/O thread and every other thread of the parent are absent: as
    /// libzmq does there, the context stops without waiting for anything
    /// and the call fails with EINTR (the context stays valid, to be
    /// called again or left to the child's exit).
    pub fn term(&self) -> Result<()> {
        let forked = std::process::id() != self.0.pid && self.0.state.lock().socket_cap.is_some();
        self.shutdown();
        let io = {
            let mut st = self.0.state.lock();
            while !forked && !st.sockets.is_empty() {
                self.0.closed.wait(&mut st);
            }
            std::mem::take(&mut st.io)
        };
        for t in io {
            t.stop_and_join();
        }
        if forked {
            return Err(Error::EINTR);
        }
        Ok(())
    }

    /// The I/O thread serving socket `socket_id` (every bind and connect
    /// of one socket lives on the same thread; sockets are spread over
    /// the ZMQ_IO_THREADS threads, started together on first use).
    /// EMTHREAD with 0 I/O threads, ETERM once terminating.
    pub fn io_for(&self, socket_id: u64) -> Result<Arc<crate::io::IoThread>> {
        let o = self.options();
        let (n, prefix) = (o.io_threads, String::from_utf8_lossy(&o.thread_name_prefix));
        let mut st = self.0.state.lock();
        if st.terminating {
            return Err(Error::ETERM);
        }
        if st.io.is_empty() {
            // libzmq's names: "ZMQbg/IO/<n>", after "<prefix>/" when
            // ZMQ_THREAD_NAME_PREFIX is set (Linux keeps 15 bytes).
            if n < 1 {
                return Err(Error::EMTHREAD);
            }
            for i in 0..n {
                let name = if prefix.is_empty() {
                    format!("ZMQbg/IO/{i}")
                } else {
                    format!("{prefix}/ZMQbg/IO/{i}")
                };
                let setup = crate::io::ThreadSetup {
                    name,
                    cpus: o.thread_affinity.clone(),
                    policy: o.thread_sched_policy,
                    priority: o.thread_priority,
                };
                let t = crate::io::IoThread::start(self.clone(), setup)?;
                st.io.push(Arc::new(t));
            }
        }
        let index = match st.io_of.get(&socket_id) {
            Some(&i) => i,
            None => {
                let i = st.io_next % st.io.len();
                st.io_next = st.io_next.wrapping_add(1);
                st.io_of.insert(socket_id, i);
                i
            }
        };
        st.io.get(index).cloned().ok_or(Error::EMTHREAD)
    }

    /// Binds `name` for inproc; attaches connects that were waiting for it.
    pub fn inproc_bind(
        &self,
        name: &str,
        link: &SocketLink,
        endpoint_id: u64,
        opts: &InprocOptions,
    ) -> Result<Vec<(PipeEnd, PeerInfo)>> {
        let pending = {
            let mut st = self.0.state.lock();
            if st.inproc.contains_key(name) {
                return Err(Error::EADDRINUSE);
            }
            st.inproc.insert(
                name.to_string(),
                InprocBinder {
                    link: link.clone(),
                    endpoint_id,
                    rcvhwm: opts.rcvhwm,
                    sndhwm: opts.sndhwm,
                    routing_id: opts.routing_id.clone(),
                    hello: opts.hello.clone(),
                    disconnect: opts.disconnect.clone(),
                },
            );
            st.pending.remove(name).unwrap_or_default()
        };
        // The binder attaches these itself, at once (libzmq binds inproc
        // peers synchronously), so what the connecters queued is there.
        let mut out = Vec::with_capacity(pending.len());
        for p in pending {
            if !p.conflate {
                // The binder's HWMs count now that it is known.
                p.far_end.inq.set_hwm(sum_hwm(p.sndhwm, Some(opts.rcvhwm)));
                p.far_end.outq.set_hwm(sum_hwm(opts.sndhwm, Some(p.rcvhwm)));
            }
            if let Some(h) = &opts.hello {
                let _ = p.far_end.outq.write(Msg::from_slice(h));
            }
            if let Some(d) = &opts.disconnect {
                p.far_end.inq.set_farewell(d.clone());
            }
            // The connecter learns who bound (its pipe was attached at
            // connect time, before anybody knew).
            p.connecter.mailbox.send(Command::PeerKnown {
                endpoint_id: p.connect_id,
                routing_id: opts.routing_id.clone(),
                peer_type: link.socket_type,
            });
            let info = PeerInfo {
                routing_id: p.info.routing_id,
                connect_routing_id: None,
                endpoint_id,
                locally_initiated: false,
                peer_type: Some(p.connecter.socket_type),
                inproc: true,
                ..PeerInfo::default()
            };
            out.push((p.far_end, info));
        }
        Ok(out)
    }

    /// A pipe to the ZAP handler bound at inproc://zeromq.zap.01 (RFC 27),
    /// if there is one. The handler sees a new anonymous peer.
    pub fn zap_connect(&self) -> Option<PipeEnd> {
        let st = self.0.state.lock();
        let b = st.inproc.get("zeromq.zap.01")?;
        let (ours, theirs) = pipe_pair(0, 0, false, false);
        b.link.mailbox.send(Command::Attach {
            pipe: Box::new(theirs),
            info: PeerInfo {
                endpoint_id: b.endpoint_id,
                peer_type: Some(5),
                ..PeerInfo::default()
            },
        });
        Some(ours)
    }

    /// Removes an inproc binding made by `endpoint_id`.
    pub fn inproc_unbind(&self, name: &str, endpoint_id: u64) -> bool {
        let mut st = self.0.state.lock();
        match st.inproc.get(name) {
            Some(b) if b.endpoint_id == endpoint_id => {
                st.inproc.remove(name);
                true
            }
            _ => false,
        }
    }

    /// Connects to inproc `name`: returns our end of the new pipe and what
    /// we know of the peer. The far end goes to the binder now, or when it
    /// binds.
    pub fn inproc_connect(
        &self,
        name: &str,
        link: &SocketLink,
        endpoint_id: u64,
        opts: &InprocOptions,
    ) -> Result<(PipeEnd, PeerInfo)> {
        let mut st = self.0.state.lock();
        if st.terminating {
            return Err(Error::ETERM);
        }
        let binder = st.inproc.get(name).cloned();
        // Until a binder exists only our own HWMs count (libzmq); the
        // binder's are added when it binds.
        let (sndhwm_peer, rcvhwm_peer) = match &binder {
            Some(b) => (Some(b.sndhwm), Some(b.rcvhwm)),
            None => (None, None),
        };
        let (ours, theirs) = if opts.conflate {
            pipe_pair(0, 0, true, true)
        } else {
            pipe_pair(
                sum_hwm(opts.sndhwm, rcvhwm_peer),
                sum_hwm(opts.rcvhwm, sndhwm_peer),
                false,
                false,
            )
        };
        // Each side's hello, if any, is the first message the other reads.
        if let Some(h) = &opts.hello {
            let _ = ours.outq.write(Msg::from_slice(h));
        }
        if let Some(h) = binder.as_ref().and_then(|b| b.hello.as_ref()) {
            let _ = theirs.outq.write(Msg::from_slice(h));
        }
        if let Some(d) = binder.as_ref().and_then(|b| b.disconnect.as_ref()) {
            ours.outq.set_farewell(d.clone());
        }
        let to_binder = PeerInfo {
            routing_id: Some(opts.routing_id.clone()),
            connect_routing_id: None,
            endpoint_id: 0,
            locally_initiated: false,
            peer_type: Some(link.socket_type),
            inproc: true,
            ..PeerInfo::default()
        };
        let mut mine = PeerInfo {
            routing_id: None,
            connect_routing_id: opts.connect_routing_id.clone(),
            endpoint_id,
            locally_initiated: true,
            peer_type: None,
            inproc: true,
            ..PeerInfo::default()
        };
        match binder {
            Some(b) => {
                mine.routing_id = Some(b.routing_id.clone());
                mine.peer_type = Some(b.link.socket_type);
                let info = PeerInfo {
                    endpoint_id: b.endpoint_id,
                    ..to_binder
                };
                b.link.mailbox.send(Command::Attach {
                    pipe: Box::new(theirs),
                    info,
                });
            }
            None => {
                st.pending
                    .entry(name.to_string())
                    .or_default()
                    .push(PendingInproc {
                        connecter: link.clone(),
                        connect_id: endpoint_id,
                        far_end: theirs,
                        info: to_binder,
                        sndhwm: opts.sndhwm,
                        rcvhwm: opts.rcvhwm,
                        conflate: opts.conflate,
                    });
            }
        }
        Ok((ours, mine))
    }
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx::new()
    }
}
