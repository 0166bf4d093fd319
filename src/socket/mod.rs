//! The socket core (zmq_socket(3), zmq_send(3), zmq_recv(3), zmq_bind(3),
//! zmq_connect(3), zmq_close(3)) and the pattern files.
//!
//! A socket lives on its user's thread. Everything other threads want from
//! it arrives as a [`Command`] in its mailbox; the socket processes commands
//! at the start of every call (a relaxed atomic check when idle) and while
//! it blocks. A pattern ([`Pattern`]) is only a routing policy over the
//! socket's [`Pipes`]; blocking, timeouts, ETERM, `ZMQ_RCVMORE`,
//! `ZMQ_EVENTS` and endpoint bookkeeping are here, once for all patterns.

pub mod dist;
pub mod options;
pub mod patterns;
pub mod pipes;
pub mod poller;
pub mod proxy;
pub mod spin;
pub mod trie;

use crate::ctx::mailbox::{Command, Mailbox, PeerInfo};
use crate::ctx::{Ctx, InprocOptions, SocketLink};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::pipe::{PipeEnd, PipeEvent};
use options::consts::{ZMQ_RCVHWM, ZMQ_SNDHWM};
use options::Options;
use pipes::{PipeId, Pipes};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const ZMQ_DONTWAIT: i32 = 1;
pub const ZMQ_SNDMORE: i32 = 2;
pub const ZMQ_POLLIN: i16 = 1;
pub const ZMQ_POLLOUT: i16 = 2;
pub const ZMQ_POLLERR: i16 = 4;

/// The longest the fast send path goes without looking at commands
/// (libzmq's max_command_delay, about a millisecond).
const COMMAND_DELAY: Duration = Duration::from_millis(1);
/// Messages received between two looks at commands (libzmq's
/// inbound_poll_rate).
const INBOUND_POLL_RATE: u32 = 100;

const ZMQ_TYPE: i32 = 16;
const ZMQ_PROBE_ROUTER: i32 = 51;
const ZMQ_ROUTER_NOTIFY: i32 = 97;
use crate::socket::options::consts::ZMQ_ROUTER_RAW;
const ZMQ_RCVMORE: i32 = 13;
const ZMQ_FD: i32 = 14;
const ZMQ_EVENTS: i32 = 15;
use crate::io::{EVENT_CLOSED, EVENT_PIPES_STATS};
const ZMQ_LAST_ENDPOINT: i32 = 32;
const ZMQ_THREAD_SAFE: i32 = 81;
/// The socket types that speak udp (zmq_udp(7)).
const ZMQ_RADIO: i32 = 14;
const ZMQ_DISH: i32 = 15;
const ZMQ_DGRAM: i32 = 18;

/// libzmq's check of a udp endpoint on any call that names one: only
/// RADIO, DISH and DGRAM, ENOCOMPATPROTO for the others.
pub(crate) fn udp_allowed(socket_type: i32) -> Result<()> {
    if matches!(socket_type, ZMQ_RADIO | ZMQ_DISH | ZMQ_DGRAM) {
        Ok(())
    } else {
        Err(Error::ENOCOMPATPROTO)
    }
}

/// A routing policy: what one socket type does with its pipes.
pub trait Pattern: Send {
    /// A new pipe was attached. Returning false refuses it (it is closed).
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool;
    /// The pipe is gone (closed by the peer or by us).
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId);
    /// The pipe has whole messages to read.
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId);
    /// The pipe can take messages again.
    fn write_ready(&mut self, pipes: &mut Pipes, id: PipeId);
    /// The peer behind the pipe reconnected (resend subscriptions).
    fn hiccup(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    /// The peer's routing id (`info.routing_id`) became known after the
    /// pipe was attached (an inproc connect made before the bind).
    fn peer_identified(&mut self, _pipes: &mut Pipes, _id: PipeId) {}
    /// Sends one frame; `Err((EAGAIN, msg))` hands the frame back.
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)>;
    /// Sends the frame in `slot`: on success it is moved out (the slot is
    /// left empty), on error the slot keeps it. Patterns on the hot send
    /// path override it to move the frame once, from the caller's message
    /// into the pipe.
    fn send_from(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        let msg = std::mem::take(slot);
        self.send(pipes, msg).map_err(|(e, back)| {
            *slot = back;
            e
        })
    }
    /// Receives one frame.
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg>;
    /// Receives one frame into `slot` (its old content dropped). On error
    /// the slot holds its old content or a frame the pattern read and
    /// discarded. Patterns on the hot receive path override it to move the
    /// frame once, from the pipe into the caller's message.
    fn recv_into(&mut self, pipes: &mut Pipes, slot: &mut Msg) -> Result<()> {
        *slot = self.recv(pipes)?;
        Ok(())
    }
    /// True when every frame `recv`/`recv_into` returns is a frame read
    /// from a pipe unchanged: the socket then attaches the
    /// connection's properties itself, only where the caller keeps the
    /// frame (`Socket::recv_into`), instead of the pipe reader doing it
    /// for every frame.
    fn defers_metadata(&self) -> bool {
        false
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool;
    fn has_out(&mut self, pipes: &mut Pipes) -> bool;
    /// Pattern-specific options; EINVAL lets the generic store try.
    fn setsockopt(&mut self, _pipes: &mut Pipes, _opt: i32, _val: &[u8]) -> Result<()> {
        Err(Error::EINVAL)
    }
    fn getsockopt(&self, _opt: i32, _buf: &mut [u8]) -> Result<usize> {
        Err(Error::EINVAL)
    }
    /// zmq_join(3): only DISH joins groups (ENOTSUP elsewhere).
    fn join(&mut self, _pipes: &mut Pipes, _group: &[u8]) -> Result<()> {
        Err(Error::ENOTSUP)
    }
    /// zmq_leave(3): only DISH leaves groups (ENOTSUP elsewhere).
    fn leave(&mut self, _pipes: &mut Pipes, _group: &[u8]) -> Result<()> {
        Err(Error::ENOTSUP)
    }
    /// The routing id given to the newest peer (PEER's zmq_connect_peer(3));
    /// 0 for patterns without numeric routing ids.
    fn last_peer_id(&self) -> u32 {
        0
    }
    /// zmq_socket_get_peer_state(3): ZMQ_POLLOUT when the peer of that
    /// routing id can take a message now; only ROUTER answers (ENOTSUP).
    fn peer_state(&mut self, _pipes: &mut Pipes, _routing_id: &[u8]) -> Result<i32> {
        Err(Error::ENOTSUP)
    }

    /// The pattern that takes over once ZMQ_ROUTER_RAW switched a ROUTER
    /// to raw connections (taken once, by the socket core).
    fn raw_successor(&mut self) -> Option<Box<dyn Pattern>> {
        None
    }
}

/// The draft socket types (SERVER .. CHANNEL, 12 to 20) are thread-safe
/// in libzmq (zmq_socket(3)); the classic ones are not.
pub fn is_thread_safe(socket_type: i32) -> bool {
    (patterns::ZMQ_SERVER..=patterns::ZMQ_CHANNEL).contains(&socket_type)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum EndpointKind {
    Bound,
    Connected,
}

struct EndpointRec {
    /// The endpoint as the user wrote it (for unbind/disconnect).
    given: String,
    /// The endpoint after resolution (ZMQ_LAST_ENDPOINT).
    resolved: String,
    id: u64,
    kind: EndpointKind,
    inproc: bool,
    /// A tcp/ipc listener's fd, named by the ZMQ_EVENT_CLOSED that
    /// zmq_close reports for it (-1 for anything else).
    listener_fd: i32,
}

/// A socket.
pub struct Socket {
    ctx: Ctx,
    link: SocketLink,
    pub options: Options,
    pattern: Box<dyn Pattern>,
    pipes: Pipes,
    cmds: VecDeque<Command>,
    stopped: bool,
    rcvmore: bool,
    ticks: u32,
    last_processed: Instant,
    last_endpoint: String,
    endpoints: Vec<EndpointRec>,
    /// Commands other than the no-op wake-up processed so far (see
    /// [`Socket::commands_seen`]).
    commands_seen: u64,
    /// How long a blocking call spins before it sleeps.
    spin: spin::SpinPolicy,
}

/// Where the socket's monitor events go (zmq_socket_monitor(3)).
pub struct Monitor {
    pub events: u64,
    pub socket: Box<Socket>,
    pub version: i32,
}

impl Monitor {
    /// Sends one event in the monitor's format (zmq_socket_monitor(3),
    /// zmq_socket_monitor_versioned(3)); dropped if nobody listens.
    /// `local`/`remote` are the v2 endpoint frames; version 1 sends
    /// `ident` (the bind endpoint for accepted and bound sides, the connect
    /// endpoint for connecters), as libzmq does.
    pub fn emit(&mut self, event: u64, values: &[u64], local: &str, remote: &str, ident: &str) {
        if self.events & event == 0 {
            return;
        }
        let frames: Vec<Msg> = if self.version == 2 {
            let mut v = vec![
                Msg::from_slice(&event.to_ne_bytes()),
                Msg::from_slice(&(values.len() as u64).to_ne_bytes()),
            ];
            for x in values {
                v.push(Msg::from_slice(&x.to_ne_bytes()));
            }
            v.push(Msg::from_slice(local.as_bytes()));
            v.push(Msg::from_slice(remote.as_bytes()));
            v
        } else {
            let mut head = [0u8; 6];
            head[..2].copy_from_slice(&(event as u16).to_ne_bytes());
            let value = values.first().copied().unwrap_or(0) as u32;
            head[2..].copy_from_slice(&value.to_ne_bytes());
            vec![Msg::from_slice(&head), Msg::from_slice(ident.as_bytes())]
        };
        let n = frames.len();
        for (i, f) in frames.into_iter().enumerate() {
            let flags = ZMQ_DONTWAIT | if i + 1 < n { ZMQ_SNDMORE } else { 0 };
            let _ = self.socket.send(f, flags);
        }
    }
}

/// The monitor of a socket, shared with the I/O thread so that events are
/// delivered when they happen, not when the socket is next used.
pub type MonitorSlot = parking_lot::Mutex<Option<Monitor>>;

fn ms_to_deadline(ms: i32) -> Option<Instant> {
    if ms < 0 {
        None
    } else {
        Some(Instant::now() + Duration::from_millis(ms as u64))
    }
}

impl Socket {
    /// zmq_socket(3): EINVAL for an unknown type, ETERM/EMFILE from the
    /// context.
    pub fn new(ctx: &Ctx, socket_type: i32) -> Result<Socket> {
        let pattern = patterns::new_pattern(socket_type)?;
        let mailbox = Arc::new(Mailbox::new().map_err(Error::from)?);
        let id = ctx.next_id();
        ctx.register_socket(id, mailbox.clone())?;
        let copts = ctx.options();
        let mut options = Options::new(socket_type);
        if !copts.blocky {
            options.linger = 0;
        }
        options.ipv6 = copts.ipv6;
        Ok(Socket {
            ctx: ctx.clone(),
            link: SocketLink {
                id,
                mailbox,
                socket_type,
                monitor: Arc::new(parking_lot::Mutex::new(None)),
            },
            options,
            pattern,
            pipes: Pipes::default(),
            cmds: VecDeque::new(),
            stopped: false,
            rcvmore: false,
            ticks: 0,
            // In the past: the first send looks at commands at once.
            last_processed: Instant::now()
                .checked_sub(COMMAND_DELAY)
                .unwrap_or_else(Instant::now),
            last_endpoint: String::new(),
            endpoints: Vec::new(),
            commands_seen: 0,
            spin: spin::SpinPolicy::default(),
        })
    }

    pub fn socket_type(&self) -> i32 {
        self.link.socket_type
    }

    pub fn link(&self) -> &SocketLink {
        &self.link
    }

    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Thread-safe socket type (see [`is_thread_safe`]).
    pub fn thread_safe(&self) -> bool {
        is_thread_safe(self.link.socket_type)
    }

    /// How many commands (other than wake-ups) this socket has processed:
    /// a thread-safe socket's caller compares it around a call to learn
    /// whether the call consumed news that a thread sleeping on the
    /// mailbox should see (then it calls [`Socket::wake_sleepers`]).
    pub fn commands_seen(&self) -> u64 {
        self.commands_seen
    }

    /// Makes the mailbox readable with a no-op command, so threads waiting
    /// on it (thread-safe sockets) wake up and look at the socket again.
    pub fn wake_sleepers(&self) {
        self.link.mailbox.send(Command::Msg(Msg::new()));
    }

    /// As in libzmq, where a listener or connecter launched for a tcp, ipc
    /// or udp endpoint reports to its socket by command: ZMQ_FD turns
    /// readable after such a bind or connect, until the next call that
    /// processes commands (ZMQ_EVENTS, send, recv, ...). Applications that
    /// poll ZMQ_FD right after connecting rely on that first wake-up.
    fn announce_child(&self) {
        self.wake_sleepers();
    }

    /// The socket's mailbox (waited on, without the socket, by the callers
    /// of thread-safe sockets).
    pub fn mailbox(&self) -> Arc<Mailbox> {
        self.link.mailbox.clone()
    }

    /// The send and receive timeouts (ZMQ_SNDTIMEO, ZMQ_RCVTIMEO) in ms.
    pub fn timeouts(&self) -> (i32, i32) {
        (self.options.sndtimeo, self.options.rcvtimeo)
    }

    /// zmq_join(3) (DISH).
    pub fn join(&mut self, group: &[u8]) -> Result<()> {
        self.process_commands()?;
        let r = self.pattern.join(&mut self.pipes, group);
        self.reap();
        r
    }

    /// zmq_socket_get_peer_state(3) (ROUTER).
    pub fn peer_state(&mut self, routing_id: &[u8]) -> Result<i32> {
        self.process_commands()?;
        let r = self.pattern.peer_state(&mut self.pipes, routing_id);
        self.reap();
        r
    }

    /// zmq_leave(3) (DISH).
    pub fn leave(&mut self, group: &[u8]) -> Result<()> {
        self.process_commands()?;
        let r = self.pattern.leave(&mut self.pipes, group);
        self.reap();
        r
    }

    /// zmq_connect_peer(3): connects a PEER socket and returns the routing
    /// id of the new peer. ENOTSUP for other types; EFAULT under
    /// ZMQ_IMMEDIATE (no pipe exists before the connection is made).
    pub fn connect_peer(&mut self, endpoint: &str) -> Result<u32> {
        if self.socket_type() != patterns::ZMQ_PEER {
            return Err(Error::ENOTSUP);
        }
        if self.options.immediate {
            return Err(Error::EFAULT);
        }
        self.connect(endpoint)?;
        Ok(self.pattern.last_peer_id())
    }

    /// Processes every pending command. ETERM once the context stopped us.
    pub fn process_commands(&mut self) -> Result<()> {
        if self.link.mailbox.has_pending() {
            self.link.mailbox.drain(&mut self.cmds);
            while let Some(cmd) = self.cmds.pop_front() {
                self.handle(cmd);
            }
            self.reap();
        }
        if self.stopped {
            return Err(Error::ETERM);
        }
        Ok(())
    }

    fn handle(&mut self, cmd: Command) {
        if !matches!(cmd, Command::Msg(_)) {
            self.commands_seen = self.commands_seen.wrapping_add(1);
        }
        match cmd {
            Command::Stop => self.stopped = true,
            Command::Attach { pipe, info } => self.attach_pipe(*pipe, info),
            Command::Pipe { token, ev } => {
                let id = token as PipeId;
                if self.pipes.get(id).is_none() {
                    return;
                }
                match ev {
                    PipeEvent::ReadReady => self.pattern.read_ready(&mut self.pipes, id),
                    PipeEvent::WriteReady => self.pattern.write_ready(&mut self.pipes, id),
                    PipeEvent::Hiccup => self.pattern.hiccup(&mut self.pipes, id),
                    PipeEvent::Closed => {
                        // Detached once everything whole that the peer sent
                        // has been read (see `reap`).
                        self.pipes.dead.push(id);
                    }
                }
            }
            Command::Monitor(ev) => self.emit_monitor(ev),
            Command::Msg(_) => {}
            Command::PeerKnown {
                endpoint_id,
                routing_id,
                peer_type,
            } => {
                for id in self.pipes.ids() {
                    let Some(slot) = self.pipes.get_mut(id) else {
                        continue;
                    };
                    if slot.info.endpoint_id != endpoint_id || !slot.info.inproc {
                        continue;
                    }
                    slot.info.peer_type = Some(peer_type);
                    if slot.info.routing_id.is_none() {
                        slot.info.routing_id = Some(routing_id.clone());
                        self.pattern.peer_identified(&mut self.pipes, id);
                    }
                }
            }
        }
    }

    /// Attaches a pipe (a new peer).
    pub fn attach_pipe(&mut self, mut pipe: PipeEnd, info: PeerInfo) {
        if self.stopped {
            pipe.close();
            return;
        }
        let id = self.pipes.next_id();
        pipe.set_target(self.link.mailbox.clone(), id as u64);
        let id = self.pipes.insert(pipe, info);
        if self.pattern.defers_metadata() {
            if let Some(s) = self.pipes.get_mut(id) {
                s.end.inq.set_attach_meta(false);
            }
        }
        // Ask to be told about the first message: without this a pipe that
        // was never read from stays silent, and an event loop waiting on
        // ZMQ_FD would never hear of its data.
        self.pipes.check_read(id);
        if !self.pattern.attach(&mut self.pipes, id) {
            self.pipes.remove(id);
        }
    }

    /// Detaches pipes found closed. A pipe whose peer is gone but that
    /// still holds whole messages stays until they are read (libzmq
    /// delivers everything sent before the peer went away).
    fn reap(&mut self) {
        let mut keep = Vec::new();
        while let Some(id) = self.pipes.dead.pop() {
            let Some(slot) = self.pipes.get(id) else {
                continue;
            };
            if slot.end.inq.is_drained_and_closed() {
                self.pattern.detach(&mut self.pipes, id);
                self.pipes.remove(id);
            } else {
                keep.push(id);
            }
        }
        for id in keep {
            self.pattern.read_ready(&mut self.pipes, id);
        }
    }

    fn wait(&mut self, deadline: Option<Instant>) -> Result<bool> {
        let start = Instant::now();
        let timeout = match deadline {
            None => -1,
            Some(d) => {
                if start >= d {
                    return Ok(false);
                }
                let left = d - start;
                (left.as_millis() as i64
                    + i64::from(!left.subsec_nanos().is_multiple_of(1_000_000)))
                .min(i32::MAX as i64) as i32
            }
        };
        // A reply is often only microseconds away: look for it for about
        // as long as this socket's waits usually last (see `spin`) before
        // paying for a sleep and a wake-up.
        let limit = self.spin.limit();
        let limit = deadline.map_or(limit, |d| limit.min(d - start));
        let woken = if self.spin_for_command(start, limit) {
            Ok(true)
        } else {
            self.link.mailbox.wait(timeout)
        };
        self.spin.learn(start.elapsed());
        woken?;
        self.process_commands()?;
        Ok(true)
    }

    /// Spins for a command until `limit` after `start`; true when one
    /// arrived.
    fn spin_for_command(&self, start: Instant, limit: Duration) -> bool {
        let mb = &self.link.mailbox;
        if mb.set_spinning(true) {
            mb.set_spinning(false);
            return true;
        }
        let mut i: u32 = 0;
        while !mb.has_pending() {
            i = i.wrapping_add(1);
            if i.is_multiple_of(spin::ROUNDS_PER_YIELD) {
                if start.elapsed() >= limit {
                    break;
                }
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
        mb.set_spinning(false)
    }

    /// ETERM once the context is shutting down (a cheap check: the flag is
    /// set before the Stop command is even processed).
    fn check_stopped(&mut self) -> Result<()> {
        if self.stopped || self.link.mailbox.is_stopped() {
            self.stopped = true;
            return Err(Error::ETERM);
        }
        Ok(())
    }

    /// zmq_msg_send(3): sends one frame; `flags` are ZMQ_DONTWAIT|ZMQ_SNDMORE.
    ///
    /// Like libzmq, commands (new peers, activations) are processed at
    /// most once a millisecond on the fast path and whenever the pattern
    /// cannot send; so the ZMQ_FD edge is not consumed by every call, which
    /// edge-triggered event loops (pyzmq, CZMQ) rely on.
    pub fn send(&mut self, msg: Msg, flags: i32) -> std::result::Result<(), (Error, Msg)> {
        let mut slot = msg;
        self.send_from(&mut slot, flags).map_err(|e| (e, slot))
    }

    /// [`Socket::send`] from the caller's message: on success the frame is
    /// moved out of `slot` (left empty, as zmq_msg_send(3) leaves the
    /// caller's message), on error `slot` keeps it.
    pub fn send_from(&mut self, slot: &mut Msg, flags: i32) -> Result<()> {
        self.check_stopped()?;
        // Only this throttled path moves the clock (libzmq's _last_tsc): a
        // bind/connect/recv that just processed commands does not delay
        // the next look here.
        if self.link.mailbox.has_pending() {
            let now = Instant::now();
            if now.duration_since(self.last_processed) >= COMMAND_DELAY {
                self.last_processed = now;
                self.process_commands()?;
            }
        }
        slot.set_more(flags & ZMQ_SNDMORE != 0);
        let nonblock = flags & ZMQ_DONTWAIT != 0 || self.options.sndtimeo == 0;
        // The clock is read only once the call has to wait.
        let mut deadline: Option<Option<Instant>> = None;
        let mut fresh = false;
        loop {
            let r = self.pattern.send_from(&mut self.pipes, slot);
            self.reap();
            match r {
                Ok(()) => return Ok(()),
                Err(e) if e == Error::EAGAIN => {
                    if !fresh {
                        // A pipe may have been attached or activated.
                        fresh = true;
                        self.process_commands()?;
                        continue;
                    }
                    if nonblock {
                        return Err(Error::EAGAIN);
                    }
                    let d = *deadline.get_or_insert_with(|| ms_to_deadline(self.options.sndtimeo));
                    if !self.wait(d)? {
                        return Err(Error::EAGAIN);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// zmq_msg_recv(3): receives one frame. Commands are processed every
    /// `INBOUND_POLL_RATE` messages and whenever nothing is ready (see
    /// `send`).
    pub fn recv(&mut self, flags: i32) -> Result<Msg> {
        let mut m = Msg::new();
        self.recv_frame(flags, &mut m)?;
        Ok(m)
    }

    /// [`Socket::recv`] into `slot` (its old content dropped; left as it
    /// was on error), without the deferred connection properties.
    fn recv_frame(&mut self, flags: i32, slot: &mut Msg) -> Result<()> {
        self.check_stopped()?;
        self.ticks += 1;
        if self.ticks >= INBOUND_POLL_RATE {
            self.ticks = 0;
            self.process_commands()?;
        }
        let nonblock = flags & ZMQ_DONTWAIT != 0 || self.options.rcvtimeo == 0;
        let mut deadline: Option<Option<Instant>> = None;
        let mut fresh = false;
        loop {
            let r = self.pattern.recv_into(&mut self.pipes, slot);
            self.reap();
            match r {
                Ok(()) => {
                    self.rcvmore = slot.more();
                    return Ok(());
                }
                Err(e) if e == Error::EAGAIN => {
                    if !fresh {
                        fresh = true;
                        self.ticks = 0;
                        self.process_commands()?;
                        continue;
                    }
                    if nonblock {
                        return Err(Error::EAGAIN);
                    }
                    let d = *deadline.get_or_insert_with(|| ms_to_deadline(self.options.rcvtimeo));
                    if !self.wait(d)? {
                        return Err(Error::EAGAIN);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// zmq_msg_recv(3): receives one frame into `slot` (its old content is
    /// dropped) and returns its size; EAGAIN leaves `slot` empty, other
    /// errors leave it as it was. Where the pattern defers them, the
    /// connection's properties are attached here: the old content's
    /// reference is reused when it is the same connection's, so a
    /// receive loop on one connection touches no reference count.
    pub fn recv_into(&mut self, flags: i32, slot: &mut Msg) -> Result<usize> {
        let old_meta = slot.take_metadata();
        if let Err(e) = self.recv_frame(flags, slot) {
            if e == Error::EAGAIN {
                // As libzmq: nothing to receive leaves an empty message.
                *slot = Msg::new();
            } else {
                slot.set_metadata(old_meta);
            }
            return Err(e);
        }
        if slot.metadata().is_none() && self.pattern.defers_metadata() {
            if let Some(meta) = self.pipes.last_read_meta() {
                match old_meta {
                    Some(old) if Arc::ptr_eq(&old, meta) => slot.set_metadata(Some(old)),
                    _ => slot.set_metadata(Some(meta.clone())),
                }
            }
        }
        Ok(slot.len())
    }

    /// ZMQ_EVENTS: ZMQ_POLLIN / ZMQ_POLLOUT as of now.
    pub fn events(&mut self) -> Result<i16> {
        self.process_commands()?;
        let mut ev = 0;
        if self.pattern.has_in(&mut self.pipes) {
            ev |= ZMQ_POLLIN;
        }
        if self.pattern.has_out(&mut self.pipes) {
            ev |= ZMQ_POLLOUT;
        }
        self.reap();
        Ok(ev)
    }

    /// The fd behind ZMQ_FD.
    pub fn fd(&self) -> i32 {
        self.link.mailbox.fd()
    }

    /// zmq_setsockopt(3).
    /// `val` is None for a NULL option value.
    pub fn setsockopt(&mut self, opt: i32, val: Option<&[u8]>) -> Result<()> {
        // As libzmq: ETERM only once this socket saw the context stop (a
        // blocking call processed the stop). Right after zmq_ctx_shutdown
        // options can still be set (ZMQ_LINGER before zmq_close, say), so a
        // pending stop is left for the next send/recv/bind to process.
        if self.stopped {
            return Err(Error::ETERM);
        }
        if !self.link.mailbox.is_stopped() {
            self.process_commands()?;
        }
        match self
            .pattern
            .setsockopt(&mut self.pipes, opt, val.unwrap_or(&[]))
        {
            Err(e) if e == Error::EINVAL => {}
            r => {
                if r.is_ok() && opt == ZMQ_PROBE_ROUTER {
                    self.options.probe_router = val.is_some_and(|v| v.iter().any(|b| *b != 0));
                }
                if r.is_ok() && opt == ZMQ_ROUTER_RAW {
                    self.enter_raw_mode();
                }
                if r.is_ok() && opt == ZMQ_ROUTER_NOTIFY {
                    // Checked by the ROUTER pattern (an int in 0..=3).
                    let v = val.and_then(|v| <[u8; 4]>::try_from(v).ok());
                    self.options.router_notify = v.map_or(0, i32::from_ne_bytes);
                }
                self.reap();
                return r;
            }
        }
        let (old_snd, old_rcv) = (self.options.sndhwm, self.options.rcvhwm);
        self.options.set_raw(opt, val)?;
        if opt == ZMQ_SNDHWM || opt == ZMQ_RCVHWM {
            self.update_pipe_hwms(old_snd, old_rcv);
        }
        Ok(())
    }

    /// ZMQ_ROUTER_RAW on a ROUTER (deprecated): its later connections
    /// speak raw bytes as ZMQ_STREAM's do, with connect and disconnect
    /// notices. The routing policy changes only while the socket has no
    /// pipes (set before bind/connect, as it is meant to be); pipes made
    /// before stay with the ROUTER's.
    fn enter_raw_mode(&mut self) {
        let Some(successor) = self.pattern.raw_successor() else {
            return;
        };
        self.options.raw_socket = true;
        if self.pipes.ids().is_empty() {
            self.pattern = successor;
        }
    }

    /// libzmq applies a changed ZMQ_SNDHWM / ZMQ_RCVHWM to the pipes that
    /// exist already, not only to later ones. A session pipe's queue takes
    /// the new value; an inproc queue holds the sum of both sides' marks
    /// (libzmq's HWM boost), so only our share of it is swapped.
    fn update_pipe_hwms(&mut self, old_snd: i32, old_rcv: i32) {
        let (snd, rcv) = (self.options.sndhwm, self.options.rcvhwm);
        for id in self.pipes.ids() {
            let Some(slot) = self.pipes.get(id) else {
                continue;
            };
            let inproc = slot.info.inproc;
            if snd != old_snd {
                let q = &slot.end.outq;
                q.change_hwm(rescaled_hwm(q.hwm(), old_snd, snd, inproc));
            }
            if rcv != old_rcv {
                let q = &slot.end.inq;
                q.change_hwm(rescaled_hwm(q.hwm(), old_rcv, rcv, inproc));
            }
            // A raised mark may reopen a pipe the pattern saw full.
            if snd != old_snd && slot.end.outq.check_write() {
                self.pattern.write_ready(&mut self.pipes, id);
            }
        }
        self.reap();
    }

    /// zmq_getsockopt(3): writes into `buf`, returns the size.
    pub fn getsockopt(&mut self, opt: i32, buf: &mut [u8]) -> Result<usize> {
        // libzmq answers ETERM for every option once the socket saw the
        // context terminate, ZMQ_FD included.
        if self.stopped {
            return Err(Error::ETERM);
        }
        // The socket's own options behave as libzmq's socket_base: any
        // buffer of at least 4 bytes, the rest zeroed.
        let put_int = |buf: &mut [u8], v: i32| -> Result<usize> {
            if buf.len() < 4 {
                return Err(Error::EINVAL);
            }
            buf.fill(0);
            buf[..4].copy_from_slice(&v.to_ne_bytes());
            Ok(4)
        };
        match opt {
            ZMQ_RCVMORE => put_int(buf, self.rcvmore as i32),
            // Thread-safe sockets have no ZMQ_FD in libzmq.
            ZMQ_FD if self.thread_safe() => Err(Error::EINVAL),
            ZMQ_FD => put_int(buf, self.fd()),
            ZMQ_EVENTS => {
                let ev = match self.events() {
                    Ok(ev) => ev,
                    Err(e) if e == Error::ETERM => return Err(e),
                    Err(e) => return Err(e),
                };
                put_int(buf, ev as i32)
            }
            // ZMQ_TYPE is an option-store int in libzmq: exact size only.
            ZMQ_TYPE if buf.len() != 4 => Err(Error::EINVAL),
            ZMQ_TYPE => put_int(buf, self.socket_type()),
            ZMQ_THREAD_SAFE => put_int(buf, self.thread_safe() as i32),
            ZMQ_LAST_ENDPOINT => {
                let s = self.last_endpoint.as_bytes();
                if buf.len() < s.len() + 1 {
                    return Err(Error::EINVAL);
                }
                // As the ints above: the bytes past the NUL are zeroed.
                buf.fill(0);
                buf[..s.len()].copy_from_slice(s);
                Ok(s.len() + 1)
            }
            _ => match self.pattern.getsockopt(opt, buf) {
                Err(e) if e == Error::EINVAL => self.options.get(opt, buf),
                r => r,
            },
        }
    }

    fn inproc_options(&mut self) -> InprocOptions {
        InprocOptions {
            sndhwm: self.options.sndhwm,
            rcvhwm: self.options.rcvhwm,
            routing_id: self.options.routing_id.clone(),
            connect_routing_id: self.options.connect_routing_id.take(),
            conflate: self.options.conflate && matches!(self.link.socket_type, 1 | 2 | 5 | 7 | 8),
            hello: self.options.hello().map(<[u8]>::to_vec),
            disconnect: self.options.disconnect_notice().map(<[u8]>::to_vec),
        }
    }

    /// zmq_bind(3). `udp://` only for DISH and DGRAM (ENOCOMPATPROTO).
    pub fn bind(&mut self, endpoint: &str) -> Result<()> {
        self.process_commands()?;
        let ep = crate::transport::parse(endpoint)?;
        let id = self.ctx.next_id();
        // libzmq shows a udp endpoint's address part alone, as given.
        let mut udp_last = None;
        let mut listener_fd = -1;
        let (resolved, inproc) = match ep {
            crate::transport::Endpoint::Inproc(name) => {
                if name.is_empty() {
                    return Err(Error::EINVAL);
                }
                let o = self.inproc_options();
                for (pipe, info) in self.ctx.inproc_bind(&name, &self.link, id, &o)? {
                    self.attach_pipe(pipe, info);
                }
                (endpoint.to_string(), true)
            }
            crate::transport::Endpoint::Udp(addr) => {
                // libzmq: only a DISH or a DGRAM binds udp.
                if !matches!(self.link.socket_type, ZMQ_DISH | ZMQ_DGRAM) {
                    return Err(Error::ENOCOMPATPROTO);
                }
                let io = self.ctx.io_for(self.link.id)?;
                let (pipe, info) = io.udp(&self.link, id, &addr, true, &self.options)?;
                self.attach_pipe(pipe, info);
                udp_last = Some(addr);
                (endpoint.to_string(), false)
            }
            other => {
                let io = self.ctx.io_for(self.link.id)?;
                let opts = Arc::new(self.options.clone());
                match io.bind(&self.link, id, other, opts) {
                    Ok((ep, fd)) => {
                        listener_fd = fd;
                        (ep, false)
                    }
                    Err(e) => {
                        // libzmq reports a failed tcp/ipc bind to the
                        // monitor too.
                        self.monitor_event(0x0010, e.0 as u64, endpoint);
                        return Err(e);
                    }
                }
            }
        };
        self.last_endpoint = udp_last.unwrap_or_else(|| resolved.clone());
        self.endpoints.push(EndpointRec {
            given: endpoint.to_string(),
            resolved,
            id,
            kind: EndpointKind::Bound,
            inproc,
            listener_fd,
        });
        if !inproc {
            self.announce_child();
        }
        Ok(())
    }

    /// zmq_connect(3). `udp://` only for RADIO (ENOCOMPATPROTO).
    pub fn connect(&mut self, endpoint: &str) -> Result<()> {
        self.process_commands()?;
        let ep = crate::transport::parse(endpoint)?;
        let id = self.ctx.next_id();
        let mut udp_last = None;
        let inproc = match ep {
            crate::transport::Endpoint::Inproc(name) => {
                if name.is_empty() {
                    return Err(Error::EINVAL);
                }
                let o = self.inproc_options();
                let (pipe, info) = self.ctx.inproc_connect(&name, &self.link, id, &o)?;
                self.attach_pipe(pipe, info);
                true
            }
            crate::transport::Endpoint::Udp(addr) => {
                // libzmq: only a RADIO connects udp.
                if self.link.socket_type != ZMQ_RADIO {
                    return Err(Error::ENOCOMPATPROTO);
                }
                let io = self.ctx.io_for(self.link.id)?;
                let (pipe, info) = io.udp(&self.link, id, &addr, false, &self.options)?;
                self.attach_pipe(pipe, info);
                udp_last = Some(addr);
                false
            }
            other => {
                let io = self.ctx.io_for(self.link.id)?;
                let opts = Arc::new(self.options.clone());
                self.options.connect_routing_id = None;
                if let Some((pipe, info)) = io.connect(&self.link, id, other, endpoint, opts)? {
                    self.attach_pipe(pipe, info);
                }
                false
            }
        };
        self.last_endpoint = udp_last.unwrap_or_else(|| endpoint.to_string());
        self.endpoints.push(EndpointRec {
            given: endpoint.to_string(),
            resolved: endpoint.to_string(),
            id,
            kind: EndpointKind::Connected,
            inproc,
            listener_fd: -1,
        });
        if !inproc {
            self.announce_child();
        }
        Ok(())
    }

    /// zmq_unbind(3) / zmq_disconnect(3). As in libzmq, the two are one
    /// operation: either removes a bind or a connect of this endpoint
    /// (zmq_disconnect of a bound endpoint closes the listener, zmq_unbind
    /// of a connected one drops the connection). Every record the endpoint
    /// names goes at once (two connects to one address, a bind and a
    /// connect of the same string); for `inproc://`, the socket's own bind
    /// of the name is removed first and alone, otherwise all its connects
    /// to it. ENOENT when nothing matches.
    fn remove_endpoint(&mut self, endpoint: &str) -> Result<()> {
        self.process_commands()?;
        if let crate::transport::Endpoint::Udp(_) = crate::transport::parse(endpoint)? {
            udp_allowed(self.link.socket_type)?;
        }
        let matches = |e: &EndpointRec| match e.kind {
            // A bind is found by its resolved endpoint (ZMQ_LAST_ENDPOINT);
            // the given string also works when it names one address
            // (libzmq resolves it again); a wildcard only matches through
            // its resolved form. A udp bind's resolved form is the
            // endpoint as given.
            EndpointKind::Bound => {
                e.resolved == endpoint || (e.given == endpoint && !endpoint.contains('*'))
            }
            // A connect by the endpoint as given.
            EndpointKind::Connected => e.given == endpoint,
        };
        let own_inproc_bind = self
            .endpoints
            .iter()
            .any(|e| e.inproc && e.kind == EndpointKind::Bound && matches(e));
        let (removed, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.endpoints)
            .into_iter()
            .partition(|e| matches(e) && !(own_inproc_bind && e.kind == EndpointKind::Connected));
        self.endpoints = kept;
        if removed.is_empty() {
            return Err(Error::ENOENT);
        }
        for rec in removed {
            self.drop_endpoint(rec);
        }
        Ok(())
    }

    /// Tears down one bind or connect: its listener or connecter, its
    /// inproc name, and the pipes made through it.
    fn drop_endpoint(&mut self, rec: EndpointRec) {
        if rec.inproc {
            if rec.kind == EndpointKind::Bound {
                let name = rec.given.trim_start_matches("inproc://");
                self.ctx.inproc_unbind(name, rec.id);
            }
        } else if let Ok(io) = self.ctx.io_for(self.link.id) {
            io.close_endpoint(self.link.id, rec.id);
        }
        // The pipes made through this endpoint (its connect, or the
        // connections its listener accepted) go away with it.
        for id in self.pipes.ids() {
            if self
                .pipes
                .get(id)
                .is_some_and(|s| s.info.endpoint_id == rec.id)
            {
                self.pattern.detach(&mut self.pipes, id);
                self.pipes.remove(id);
            }
        }
    }

    pub fn unbind(&mut self, endpoint: &str) -> Result<()> {
        self.remove_endpoint(endpoint)
    }

    pub fn disconnect(&mut self, endpoint: &str) -> Result<()> {
        self.remove_endpoint(endpoint)
    }

    /// Sets up monitoring (zmq_socket_monitor(3)); the PAIR socket is made
    /// by the caller.
    pub fn set_monitor(&mut self, m: Option<Monitor>) {
        let old = {
            let mut slot = self.link.monitor.lock();
            if let Some(mon) = slot.as_mut() {
                mon.emit(0x0400, &[0], "", "", "");
            }
            std::mem::replace(&mut *slot, m)
        };
        if let Some(old) = old {
            let mut s = old.socket;
            s.close();
        }
    }

    fn emit_monitor(&mut self, ev: crate::ctx::mailbox::MonitorEvent) {
        self.emit_monitor_values(ev.event, &[ev.value], &ev.local, &ev.remote);
    }

    fn emit_monitor_values(&mut self, event: u64, values: &[u64], local: &str, remote: &str) {
        if let Some(mon) = self.link.monitor.lock().as_mut() {
            mon.emit(event, values, local, remote, local);
        }
    }

    /// Emits a monitor event generated on the user's thread.
    pub fn monitor_event(&mut self, event: u64, value: u64, local: &str) {
        self.emit_monitor_values(event, &[value], local, "");
    }

    /// zmq_socket_monitor_pipes_stats(3): one ZMQ_EVENT_PIPES_STATS per
    /// pipe with its outbound queue length (as far as the reader has told
    /// the writer) and inbound one, and the connection's endpoints. EINVAL
    /// unless a monitor takes that event, EAGAIN without pipes.
    pub fn monitor_pipes_stats(&mut self) -> Result<()> {
        self.process_commands()?;
        if self
            .link
            .monitor
            .lock()
            .as_ref()
            .is_none_or(|m| m.events & EVENT_PIPES_STATS == 0)
        {
            return Err(Error::EINVAL);
        }
        let ids = self.pipes.ids();
        if ids.is_empty() {
            return Err(Error::EAGAIN);
        }
        let mut stats = Vec::new();
        for id in ids {
            let Some(s) = self.pipes.get(id) else {
                continue;
            };
            let counts = [
                s.end.outq.queued_coarse() as u64,
                s.end.inq.queued_coarse() as u64,
            ];
            // Pipes made without a connection (inproc, or a connect's
            // pipe made before it connects) are named by their endpoint.
            let endpoint = || {
                self.endpoints
                    .iter()
                    .find(|e| e.id == s.info.endpoint_id)
                    .map_or_else(|| self.last_endpoint.clone(), |e| e.resolved.clone())
            };
            let local = if s.info.local.is_empty() && !s.info.locally_initiated {
                endpoint()
            } else {
                s.info.local.clone()
            };
            let remote = if s.info.remote.is_empty() {
                endpoint()
            } else {
                s.info.remote.clone()
            };
            stats.push((counts, local, remote));
        }
        for (counts, local, remote) in stats {
            self.emit_monitor_values(EVENT_PIPES_STATS, &counts, &local, &remote);
        }
        Ok(())
    }

    /// zmq_close(3): detaches every pipe (the peers drain what was sent),
    /// hands lingering to the I/O thread, unregisters from the context.
    pub fn close(&mut self) {
        // libzmq closes the listeners before the monitor stops: each one's
        // ZMQ_EVENT_CLOSED (its fd, its endpoint) comes before
        // ZMQ_EVENT_MONITOR_STOPPED. The I/O thread closes them later and,
        // the monitor gone by then, reports nothing more.
        if self.link.monitor.lock().is_some() {
            let closed: Vec<(i32, String)> = self
                .endpoints
                .iter()
                .filter(|e| e.kind == EndpointKind::Bound && e.listener_fd >= 0)
                .map(|e| (e.listener_fd, e.resolved.clone()))
                .collect();
            for (fd, ep) in closed {
                self.monitor_event(EVENT_CLOSED, fd as u64, &ep);
            }
        }
        self.set_monitor(None);
        self.link.mailbox.close();
        for id in self.pipes.ids() {
            self.pipes.remove(id);
        }
        self.ctx
            .unregister_socket(self.link.id, self.options.linger);
    }
}

/// A pipe queue's high-water mark after our side's share changed from
/// `old_own` to `new_own` (0 or less: no limit). `total` is the queue's
/// mark now; an inproc queue's is our share plus the peer's, so the
/// peer's share is kept; when ours was unlimited the peer's share is not
/// known and ours alone is used.
fn rescaled_hwm(total: usize, old_own: i32, new_own: i32, inproc: bool) -> usize {
    if new_own <= 0 {
        return 0;
    }
    let new_own = new_own as usize;
    if !inproc || old_own <= 0 {
        return new_own;
    }
    if total == 0 {
        // The peer's side is unlimited: so is the sum.
        return 0;
    }
    total
        .saturating_sub(old_own as usize)
        .saturating_add(new_own)
}
