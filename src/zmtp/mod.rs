//! ZMTP as a state machine without I/O: greeting and version detection,
//! framing, the NULL/PLAIN/CURVE handshakes, ZAP, metadata and heartbeats.
//!
//! Implements ZMTP 3.1 (RFC 37) and 3.0 (RFC 23), with fallback to ZMTP 2.0
//! (RFC 15) and 1.0 (RFC 13) as libzmq 4.3 detects them; PLAIN (RFC 24),
//! CURVE (RFC 25/26) and ZAP (RFC 27).
//!
//! Shape (quinn-proto style): the engine feeds received bytes with
//! [`Connection::handle_input`], writes [`Connection::output`] to the socket and
//! calls [`Connection::consume_output`], drains [`Connection::poll_event`], and
//! drives time through [`Connection::handle_timeout`] /
//! [`Connection::next_timeout`]. No clock is read here: every instant comes in
//! as an argument.
//!
//! Invariants:
//! - Never panics on peer input; a failure is returned once as a
//!   [`ProtocolError`] and every later `handle_input` returns it again.
//! - A frame's size is checked against MAXMSGSIZE (and `isize::MAX`) from its
//!   header alone; bodies are buffered only as their bytes arrive. Before
//!   the handshake completes, frames may reach max(MAXMSGSIZE, 1 MiB) and no
//!   more (libzmq applies MAXMSGSIZE to handshake commands too, which makes
//!   a small limit break the handshake; we bound them instead).
//! - The greeting goes out as libzmq sends it: the 10-byte signature at once
//!   (padding = routing-id length + 1, so a ZMTP 1.0 peer reads it as the
//!   header of our identity frame), the major version once the peer's
//!   signature is seen, the rest once its revision byte is seen; the
//!   as-server octet is always 0, as libzmq writes it.
//! - On an `Err`, `output()` may still hold an ERROR command: the engine
//!   should try to flush it before closing.
//!
//! Subscriptions (contract with the pattern layer): SUB/XSUB hand `send`
//! single-frame messages `1 + topic` (subscribe) or `0 + topic` (cancel)
//! marked `Msg::SUBSCRIBE`/`Msg::CANCEL`; to a ZMTP 3.1 peer they go out as
//! SUBSCRIBE/CANCEL commands, to older peers as data frames. Unmarked
//! messages (an XSUB application's own `1 + topic`) stay data frames, as
//! libzmq 4.3 sends them. Received
//! SUBSCRIBE/CANCEL commands come out as such legacy messages. On a
//! RADIO, a DISH's JOIN/LEAVE commands come out as command messages for
//! the pattern (libzmq 4.3's radio session does the same).

mod codec;
mod curve;
mod mechanism;
#[cfg(test)]
mod tests;

use crate::msg::{Metadata, Msg};
use bytes::Bytes;
use codec::Framing;
use mechanism::{HsIo, Mech};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `ZMQ_EVENT_*` and `ZMQ_PROTOCOL_ERROR_*` values from zmq.h.
pub mod codes {
    pub const EVENT_HANDSHAKE_FAILED_NO_DETAIL: i32 = 0x0800;
    pub const EVENT_HANDSHAKE_FAILED_PROTOCOL: i32 = 0x2000;
    pub const EVENT_HANDSHAKE_FAILED_AUTH: i32 = 0x4000;
    pub const ZMTP_UNSPECIFIED: i32 = 0x1000_0000;
    pub const UNEXPECTED_COMMAND: i32 = 0x1000_0001;
    pub const INVALID_SEQUENCE: i32 = 0x1000_0002;
    pub const KEY_EXCHANGE: i32 = 0x1000_0003;
    pub const MALFORMED_COMMAND_UNSPECIFIED: i32 = 0x1000_0011;
    pub const MALFORMED_COMMAND_MESSAGE: i32 = 0x1000_0012;
    pub const MALFORMED_COMMAND_HELLO: i32 = 0x1000_0013;
    pub const MALFORMED_COMMAND_INITIATE: i32 = 0x1000_0014;
    pub const MALFORMED_COMMAND_ERROR: i32 = 0x1000_0015;
    pub const MALFORMED_COMMAND_READY: i32 = 0x1000_0016;
    pub const MALFORMED_COMMAND_WELCOME: i32 = 0x1000_0017;
    pub const INVALID_METADATA: i32 = 0x1000_0018;
    pub const CRYPTOGRAPHIC: i32 = 0x1100_0001;
    pub const MECHANISM_MISMATCH: i32 = 0x1100_0002;
    pub const ZAP_UNSPECIFIED: i32 = 0x2000_0000;
    pub const ZAP_MALFORMED_REPLY: i32 = 0x2000_0001;
    pub const ZAP_BAD_REQUEST_ID: i32 = 0x2000_0002;
    pub const ZAP_BAD_VERSION: i32 = 0x2000_0003;
    pub const ZAP_INVALID_STATUS_CODE: i32 = 0x2000_0004;
    pub const ZAP_INVALID_METADATA: i32 = 0x2000_0005;
    /// Linux errno values used as event values.
    pub const EFAULT: i32 = 14;
    pub const ETIMEDOUT: i32 = 110;
    pub const EPIPE: i32 = 32;
}

/// Socket types with libzmq's numbering (zmq_socket(3)).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketType {
    Pair = 0,
    Pub = 1,
    Sub = 2,
    Req = 3,
    Rep = 4,
    Dealer = 5,
    Router = 6,
    Pull = 7,
    Push = 8,
    XPub = 9,
    XSub = 10,
    Stream = 11,
    Server = 12,
    Client = 13,
    Radio = 14,
    Dish = 15,
    Gather = 16,
    Scatter = 17,
    Dgram = 18,
    Peer = 19,
    Channel = 20,
}

const ALL_TYPES: [SocketType; 21] = [
    SocketType::Pair,
    SocketType::Pub,
    SocketType::Sub,
    SocketType::Req,
    SocketType::Rep,
    SocketType::Dealer,
    SocketType::Router,
    SocketType::Pull,
    SocketType::Push,
    SocketType::XPub,
    SocketType::XSub,
    SocketType::Stream,
    SocketType::Server,
    SocketType::Client,
    SocketType::Radio,
    SocketType::Dish,
    SocketType::Gather,
    SocketType::Scatter,
    SocketType::Dgram,
    SocketType::Peer,
    SocketType::Channel,
];

impl SocketType {
    pub fn from_i32(v: i32) -> Option<Self> {
        usize::try_from(v)
            .ok()
            .and_then(|i| ALL_TYPES.get(i).copied())
    }

    /// The name sent in the Socket-Type property.
    pub fn name(self) -> &'static str {
        use SocketType::*;
        match self {
            Pair => "PAIR",
            Pub => "PUB",
            Sub => "SUB",
            Req => "REQ",
            Rep => "REP",
            Dealer => "DEALER",
            Router => "ROUTER",
            Pull => "PULL",
            Push => "PUSH",
            XPub => "XPUB",
            XSub => "XSUB",
            Stream => "STREAM",
            Server => "SERVER",
            Client => "CLIENT",
            Radio => "RADIO",
            Dish => "DISH",
            Gather => "GATHER",
            Scatter => "SCATTER",
            Dgram => "DGRAM",
            Peer => "PEER",
            Channel => "CHANNEL",
        }
    }

    /// Parses a Socket-Type property value (exact, as libzmq compares).
    pub fn from_name(n: &[u8]) -> Option<Self> {
        ALL_TYPES.iter().copied().find(|t| t.name().as_bytes() == n)
    }

    /// libzmq's compatibility table (mechanism_base check_socket_type).
    pub fn compatible(self, peer: SocketType) -> bool {
        use SocketType::*;
        match self {
            Req => matches!(peer, Rep | Router),
            Rep => matches!(peer, Req | Dealer),
            Dealer => matches!(peer, Rep | Dealer | Router),
            Router => matches!(peer, Req | Dealer | Router),
            Push => peer == Pull,
            Pull => peer == Push,
            Pub | XPub => matches!(peer, Sub | XSub),
            Sub | XSub => matches!(peer, Pub | XPub),
            Pair => peer == Pair,
            Server => peer == Client,
            Client => peer == Server,
            Radio => peer == Dish,
            Dish => peer == Radio,
            Gather => peer == Scatter,
            Scatter => peer == Gather,
            Dgram => peer == Dgram,
            Peer => peer == Peer,
            Channel => peer == Channel,
            Stream => false,
        }
    }

    /// The type assumed for a ZMTP 1.0 peer, whose greeting carries none.
    fn assumed_peer(self) -> SocketType {
        use SocketType::*;
        match self {
            Req => Rep,
            Rep => Req,
            Dealer => Router,
            Router => Dealer,
            Push => Pull,
            Pull => Push,
            Pub | XPub => Sub,
            Sub | XSub => Pub,
            other => other,
        }
    }
}

/// Security mechanism and its keys (zmq_null(7), zmq_plain(7), zmq_curve(7)).
#[derive(Clone, Debug)]
pub enum MechanismConfig {
    Null,
    Plain {
        as_server: bool,
        username: Vec<u8>,
        password: Vec<u8>,
    },
    Curve {
        as_server: bool,
        public_key: [u8; 32],
        secret_key: [u8; 32],
        server_key: [u8; 32],
    },
}

/// What a connection needs from the socket's options.
#[derive(Clone, Debug)]
pub struct Config {
    pub socket_type: SocketType,
    pub routing_id: Vec<u8>,
    pub mechanism: MechanismConfig,
    pub zap_domain: Vec<u8>,
    pub zap_enforce_domain: bool,
    /// A ZAP handler is bound (inproc://zeromq.zap.01). PLAIN servers fail
    /// without one, CURVE servers accept all, NULL asks only with a domain.
    pub zap: bool,
    /// -1 = unlimited; checked on every frame header.
    pub maxmsgsize: i64,
    pub heartbeat_ivl: Option<Duration>,
    /// None: same as the interval.
    pub heartbeat_timeout: Option<Duration>,
    pub heartbeat_ttl: Option<Duration>,
    pub handshake_ivl: Option<Duration>,
    /// ZMQ_METADATA user properties sent in READY/INITIATE.
    pub metadata: Vec<(String, Vec<u8>)>,
    /// Value of the "Peer-Address" property and of the ZAP address frame.
    pub peer_address: String,
    /// The connection's OS fd, or -1: kept in the private `__fd`
    /// property that zmq_msg_get(3) `ZMQ_SRCFD` reads.
    pub src_fd: i32,
}

impl Config {
    /// A NULL-mechanism configuration with libzmq's defaults.
    pub fn new(socket_type: SocketType) -> Config {
        Config {
            socket_type,
            routing_id: Vec::new(),
            mechanism: MechanismConfig::Null,
            zap_domain: Vec::new(),
            zap_enforce_domain: false,
            zap: false,
            maxmsgsize: -1,
            heartbeat_ivl: None,
            heartbeat_timeout: None,
            heartbeat_ttl: None,
            handshake_ivl: None,
            metadata: Vec::new(),
            peer_address: String::new(),
            src_fd: -1,
        }
    }
}

/// What the engine learns from a connection.
#[derive(Debug)]
pub enum Event {
    /// Handshake done; the peer's socket type was checked compatible.
    Ready {
        peer_socket_type: SocketType,
        peer_routing_id: Vec<u8>,
        metadata: Arc<Metadata>,
    },
    /// A data frame (MORE as on the wire), metadata attached.
    Message(Msg),
    /// Frames for the ZAP handler; answer with [`Connection::zap_reply`].
    ZapRequest(Vec<Msg>),
}

/// Why a connection failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    BadGreeting,
    /// A ZMTP 1.0/2.0 peer while security (or a ZAP domain) is configured.
    UnsupportedVersion,
    MechanismMismatch,
    IncompatibleSocketType,
    MalformedCommand,
    MalformedFrame,
    MessageTooLarge,
    Crypto,
    /// ZAP (or the peer's ERROR) refused us with this status code.
    Auth(u32),
    HeartbeatTimeout,
    HandshakeTimeout,
    /// A handshake failure with a `ZMQ_PROTOCOL_ERROR_ZMTP_*` code.
    Protocol(i32),
    /// A bad ZAP reply, with its `ZMQ_PROTOCOL_ERROR_ZAP_*` code.
    Zap(i32),
    /// ZAP is required but no handler is bound.
    NoZapHandler,
    /// The peer sent ERROR with a reason that is not a status code.
    PeerError(Vec<u8>),
}

impl ProtocolError {
    /// The monitor event (`ZMQ_EVENT_*`, value) libzmq raises for this
    /// failure; `(0, 0)` when libzmq raises none besides DISCONNECTED.
    pub fn monitor_event(&self) -> (i32, i32) {
        use codes::*;
        match self {
            ProtocolError::MechanismMismatch => {
                (EVENT_HANDSHAKE_FAILED_PROTOCOL, MECHANISM_MISMATCH)
            }
            // libzmq's NULL mechanism refuses the type without an event
            // (PLAIN and CURVE report it as INVALID_METADATA instead).
            ProtocolError::IncompatibleSocketType => (0, 0),
            ProtocolError::MalformedCommand => (
                EVENT_HANDSHAKE_FAILED_PROTOCOL,
                MALFORMED_COMMAND_UNSPECIFIED,
            ),
            ProtocolError::BadGreeting => (EVENT_HANDSHAKE_FAILED_PROTOCOL, ZMTP_UNSPECIFIED),
            ProtocolError::Crypto => (EVENT_HANDSHAKE_FAILED_PROTOCOL, CRYPTOGRAPHIC),
            ProtocolError::Protocol(c) | ProtocolError::Zap(c) => {
                (EVENT_HANDSHAKE_FAILED_PROTOCOL, *c)
            }
            ProtocolError::Auth(code) => (EVENT_HANDSHAKE_FAILED_AUTH, *code as i32),
            ProtocolError::NoZapHandler => (EVENT_HANDSHAKE_FAILED_NO_DETAIL, EFAULT),
            ProtocolError::HandshakeTimeout => (EVENT_HANDSHAKE_FAILED_NO_DETAIL, ETIMEDOUT),
            ProtocolError::UnsupportedVersion
            | ProtocolError::MalformedFrame
            | ProtocolError::MessageTooLarge
            | ProtocolError::HeartbeatTimeout
            | ProtocolError::PeerError(_) => (0, 0),
        }
    }
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ProtocolError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Greeting,
    /// ZMTP 1.0/2.0: waiting for the peer's identity frame.
    Identity,
    /// ZMTP 3.x mechanism handshake.
    Handshake,
    Active,
}

const SIGNATURE_LEN: usize = 10;
const V2_GREETING_LEN: usize = 12;
const V3_GREETING_LEN: usize = 64;
/// Largest frame accepted before the handshake completes.
/// Data frames at least this large are received straight into their own
/// buffer once their header is known.
const LARGE_FRAME: usize = 32 * 1024;

const HANDSHAKE_FRAME_MAX: i64 = 1 << 20;

/// One ZMTP connection.
pub struct Connection {
    cfg: Config,
    out: Vec<u8>,
    out_start: usize,
    /// A large data frame being received straight into its own buffer
    /// (no second copy when it completes): flags, size, bytes so far.
    partial: Option<(u8, usize, Vec<u8>)>,
    /// Output that comes before `out`: large message bodies are queued by
    /// reference here instead of being copied (with what preceded them).
    segs: std::collections::VecDeque<bytes::Bytes>,
    /// Bytes of `segs`' front already written.
    seg_start: usize,
    inbuf: Vec<u8>,
    greeting: Vec<u8>,
    greeting_len: usize,
    sent_major: bool,
    sent_rest: bool,
    stage: Stage,
    framing: Framing,
    /// Peer speaks 3.1+: subscriptions travel as commands.
    sub_commands: bool,
    unversioned: bool,
    peer_version: Option<(u8, u8)>,
    peer_type_legacy: Option<SocketType>,
    mech: Option<Mech>,
    events: VecDeque<Event>,
    /// Decoded messages, taken in bulk by `take_messages`.
    msgs: VecDeque<Msg>,
    meta: Arc<Metadata>,
    /// Decoded messages get `meta` attached here (see `set_attach_metadata`).
    attach_meta: bool,
    /// The last data frame was large (received straight into its buffer).
    last_large: bool,
    ready: bool,
    failed: Option<ProtocolError>,
    out_more: bool,
    now: Instant,
    handshake_deadline: Option<Instant>,
    next_ping: Option<Instant>,
    hb_timeout_at: Option<Instant>,
    ttl_at: Option<Instant>,
}

fn nonzero(d: Option<Duration>) -> Option<Duration> {
    d.filter(|d| !d.is_zero())
}

impl Connection {
    /// Starts a connection; our greeting's signature is queued at once.
    pub fn new(cfg: Config, now: Instant) -> Connection {
        let mut out = Vec::with_capacity(256);
        out.push(0xFF);
        out.extend_from_slice(&(cfg.routing_id.len() as u64 + 1).to_be_bytes());
        out.push(0x7F);
        let handshake_deadline = nonzero(cfg.handshake_ivl).and_then(|d| now.checked_add(d));
        Connection {
            cfg,
            out,
            out_start: 0,
            segs: std::collections::VecDeque::new(),
            seg_start: 0,
            partial: None,
            inbuf: Vec::new(),
            greeting: Vec::with_capacity(V3_GREETING_LEN),
            greeting_len: V2_GREETING_LEN,
            sent_major: false,
            sent_rest: false,
            stage: Stage::Greeting,
            framing: Framing::V3,
            sub_commands: false,
            unversioned: false,
            peer_version: None,
            peer_type_legacy: None,
            mech: None,
            events: VecDeque::new(),
            msgs: VecDeque::new(),
            meta: Arc::new(Metadata::new()),
            attach_meta: true,
            last_large: false,
            ready: false,
            failed: None,
            out_more: false,
            now,
            handshake_deadline,
            next_ping: None,
            hb_timeout_at: None,
            ttl_at: None,
        }
    }

    /// Bytes waiting to be written to the peer.
    pub fn output(&self) -> &[u8] {
        match self.segs.front() {
            Some(f) => f.get(self.seg_start..).unwrap_or(&[]),
            None => self.out.get(self.out_start..).unwrap_or(&[]),
        }
    }

    /// What is waiting to be written, in order, as up to `bufs.len()`
    /// slices of at most `max` bytes in all, for one vectored write;
    /// returns how many slices were filled.
    pub fn output_vectored<'a>(&'a self, bufs: &mut [std::io::IoSlice<'a>], max: usize) -> usize {
        let mut n = 0;
        let mut skip = self.seg_start;
        let mut room = max;
        let rest = self.out.get(self.out_start..).unwrap_or(&[]);
        let pieces = self
            .segs
            .iter()
            .map(|b| &b[..])
            .chain(std::iter::once(rest));
        for (slot, piece) in bufs.iter_mut().zip(pieces) {
            let piece = piece.get(std::mem::take(&mut skip)..).unwrap_or(&[]);
            let piece = piece.get(..room.min(piece.len())).unwrap_or(&[]);
            if piece.is_empty() {
                break;
            }
            room -= piece.len();
            *slot = std::io::IoSlice::new(piece);
            n += 1;
        }
        n
    }

    pub fn output_len(&self) -> usize {
        let segs: usize = self.segs.iter().map(|b| b.len()).sum();
        segs.saturating_sub(self.seg_start) + self.out.len().saturating_sub(self.out_start)
    }

    /// Drops the first `n` bytes of the output (they were written), across
    /// the queued bodies and the buffer.
    pub fn consume_output(&mut self, mut n: usize) {
        while n > 0 {
            let Some(f) = self.segs.front() else {
                break;
            };
            let take = (f.len() - self.seg_start.min(f.len())).min(n);
            n -= take;
            self.seg_start += take;
            if self.seg_start >= f.len() {
                self.segs.pop_front();
                self.seg_start = 0;
            }
        }
        if n == 0 {
            return;
        }
        self.out_start = (self.out_start + n).min(self.out.len());
        if self.out_start == self.out.len() {
            self.out.clear();
            self.out_start = 0;
        } else if self.out_start > 65536 && self.out_start * 2 > self.out.len() {
            self.out.drain(..self.out_start);
            self.out_start = 0;
        }
    }

    /// The next event; decoded messages come after every other event
    /// (see [`Connection::take_messages`] for taking them in bulk).
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events
            .pop_front()
            .or_else(|| self.msgs.pop_front().map(Event::Message))
    }

    /// The next event other than a decoded message.
    pub fn poll_control_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Moves every decoded message to the end of `out`, in order, without
    /// wrapping each in an [`Event`]. Messages only follow `Ready`, so a
    /// caller that handles the other events first keeps the order.
    pub fn take_messages(&mut self, out: &mut VecDeque<Msg>) {
        if out.is_empty() {
            std::mem::swap(out, &mut self.msgs);
        } else {
            out.append(&mut self.msgs);
        }
    }

    /// Handshake complete: `send` may be called.
    pub fn is_ready(&self) -> bool {
        self.ready && self.failed.is_none()
    }

    /// The peer's (major, minor) protocol version once its greeting is read.
    pub fn peer_version(&self) -> Option<(u8, u8)> {
        self.peer_version
    }

    /// Consumes received bytes, buffering partial frames.
    pub fn handle_input(&mut self, input: &[u8], now: Instant) -> Result<(), ProtocolError> {
        self.input_checked(input, None, now)
    }

    /// [`Connection::handle_input`] of a read kept in a shared buffer: the
    /// bodies of plain data frames become slices of `input` (a reference
    /// count, no allocation or copy), as libzmq's decoder does.
    pub fn handle_input_shared(
        &mut self,
        input: &Bytes,
        now: Instant,
    ) -> Result<(), ProtocolError> {
        self.input_checked(input, Some(input), now)
    }

    fn input_checked(
        &mut self,
        input: &[u8],
        shared: Option<&Bytes>,
        now: Instant,
    ) -> Result<(), ProtocolError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        self.now = now;
        let r = self.input_inner(input, shared);
        if let Err(e) = &r {
            self.failed = Some(e.clone());
        }
        r
    }

    /// The buffer of a large data frame being received, when the next
    /// socket read may go straight into it (no copy through the read
    /// buffer), and how many bytes it still lacks. Its spare capacity
    /// covers at least part of what is missing.
    pub fn direct_input(&mut self) -> Option<(&mut Vec<u8>, usize)> {
        if self.failed.is_some() {
            return None;
        }
        let (_, size, body) = self.partial.as_mut()?;
        let missing = size.saturating_sub(body.len());
        if body.capacity() == body.len() && body.try_reserve_exact(missing.min(1 << 24)).is_err() {
            return None;
        }
        Some((body, missing))
    }

    /// True when the last data frame was large: the next read had better be
    /// short, so that the next large body, found in its header, is read
    /// straight into its own buffer instead of through the read buffer.
    pub fn expects_large(&self) -> bool {
        self.last_large
    }

    /// Completes what [`Connection::direct_input`] received: `n` more bytes
    /// were appended to its buffer.
    pub fn direct_input_done(&mut self, n: usize, now: Instant) {
        self.now = now;
        if n == 0 {
            return;
        }
        self.hb_timeout_at = None;
        self.ttl_at = None;
        let Some((flags, size, body)) = self.partial.take() else {
            return;
        };
        if body.len() < size {
            self.partial = Some((flags, size, body));
            return;
        }
        let mut m = Msg::from_vec(body);
        m.set_more(flags & Msg::MORE != 0);
        self.push_message(m);
    }

    fn input_inner(
        &mut self,
        mut input: &[u8],
        shared: Option<&Bytes>,
    ) -> Result<(), ProtocolError> {
        if self.stage == Stage::Greeting {
            let used = self.read_greeting(input)?;
            input = input.get(used..).unwrap_or(&[]);
            if self.stage == Stage::Greeting {
                return Ok(());
            }
        }
        if let Some((flags, size, mut body)) = self.partial.take() {
            let take = (size - body.len()).min(input.len());
            body.extend_from_slice(input.get(..take).unwrap_or(&[]));
            input = input.get(take..).unwrap_or(&[]);
            self.hb_timeout_at = None;
            self.ttl_at = None;
            if body.len() < size {
                self.partial = Some((flags, size, body));
                return Ok(());
            }
            let mut m = Msg::from_vec(body);
            m.set_more(flags & Msg::MORE != 0);
            self.push_message(m);
        }
        if self.inbuf.is_empty() {
            let used = self.decode_frames(input, shared)?;
            self.inbuf
                .extend_from_slice(input.get(used..).unwrap_or(&[]));
            return Ok(());
        }
        // A frame left incomplete by the last read: complete it with just
        // the bytes it lacks, then decode the rest of `input` in place.
        // (Appending all of `input` copied every byte of a read twice
        // whenever reads end mid-frame, as they nearly always do with
        // mid-sized messages: thr tcp 1 KiB receiver, callgrind, 2591 ->
        // 1619 instructions per message; libzmq 1236.)
        // (What is buffered may already hold whole frames: the greeting
        // of a ZMTP 1.0 peer is the start of its first frames.)
        let mut buf = std::mem::take(&mut self.inbuf);
        loop {
            let used = self.decode_frames(&buf, None)?;
            buf.drain(..used.min(buf.len()));
            if buf.is_empty() || input.is_empty() || self.failed.is_some() || self.partial.is_some()
            {
                break;
            }
            let take = self.frame_lacks(&buf)?.clamp(1, input.len());
            buf.extend_from_slice(input.get(..take).unwrap_or(&[]));
            input = input.get(take..).unwrap_or(&[]);
        }
        let done = buf.is_empty();
        self.inbuf = buf;
        if done && !input.is_empty() && self.failed.is_none() {
            // Nothing pending any more: the fast path above (or the large
            // frame's direct body) takes the rest.
            return self.input_inner(input, shared);
        }
        self.inbuf.extend_from_slice(input);
        Ok(())
    }

    /// How many more bytes `buf` (the start of a frame) needs to hold that
    /// whole frame; while its header is incomplete, enough for any header.
    fn frame_lacks(&self, buf: &[u8]) -> Result<usize, ProtocolError> {
        const HEADER_MAX: usize = 10;
        Ok(
            match codec::parse_header(buf, self.framing, self.frame_limit())? {
                Some(h) => (h.header_len + h.body_len).saturating_sub(buf.len()),
                None => HEADER_MAX.saturating_sub(buf.len()),
            },
        )
    }

    /// The largest frame body accepted now: MAXMSGSIZE once active;
    /// handshake frames may exceed a small MAXMSGSIZE (READY with
    /// metadata, CURVE's 200-byte HELLO) but stay bounded.
    fn frame_limit(&self) -> i64 {
        match (self.stage, self.cfg.maxmsgsize) {
            (Stage::Active, m) => m,
            (_, m) if m < 0 => HANDSHAKE_FRAME_MAX,
            (_, m) => m.max(HANDSHAKE_FRAME_MAX),
        }
    }

    // ------------------------------------------------------------ greeting

    fn read_greeting(&mut self, input: &[u8]) -> Result<usize, ProtocolError> {
        let mut used = 0;
        loop {
            let want = self.greeting_len.saturating_sub(self.greeting.len());
            let take = want.min(input.len() - used);
            self.greeting.extend_from_slice(&input[used..used + take]);
            used += take;
            let g = &self.greeting;
            let Some(&first) = g.first() else {
                return Ok(used);
            };
            if first != 0xFF || g.get(9).is_some_and(|b| b & 1 == 0) {
                self.start_unversioned()?;
                return Ok(used);
            }
            if g.len() < SIGNATURE_LEN {
                return Ok(used);
            }
            if !self.sent_major {
                self.sent_major = true;
                self.out.push(3);
            }
            if let Some(&rev) = self.greeting.get(10) {
                if !self.sent_rest {
                    self.sent_rest = true;
                    if rev == 0 || rev == 1 {
                        self.out.push(self.cfg.socket_type as i32 as u8);
                    } else {
                        self.out.push(1);
                        let mut mech = [0u8; 20];
                        let name = Mech::name(&self.cfg);
                        mech[..name.len()].copy_from_slice(name);
                        self.out.extend_from_slice(&mech);
                        // as-server and filler: libzmq 4.3 leaves the
                        // as-server octet 0 even for a PLAIN or CURVE
                        // server (and ignores the peer's); we send what
                        // it sends.
                        self.out.extend_from_slice(&[0u8; 32]);
                        self.greeting_len = V3_GREETING_LEN;
                    }
                }
            }
            if self.greeting.len() == self.greeting_len {
                self.select_protocol()?;
                return Ok(used);
            }
            if used == input.len() {
                return Ok(used);
            }
        }
    }

    /// libzmq's session zap_enabled(): legacy peers are refused then.
    fn zap_enabled(&self) -> bool {
        !matches!(self.cfg.mechanism, MechanismConfig::Null) || !self.cfg.zap_domain.is_empty()
    }

    fn start_unversioned(&mut self) -> Result<(), ProtocolError> {
        if self.zap_enabled() {
            return Err(ProtocolError::UnsupportedVersion);
        }
        self.unversioned = true;
        self.framing = Framing::V1;
        self.peer_version = Some((1, 0));
        // Our signature was the header of the identity frame: add its body.
        self.out.extend_from_slice(&self.cfg.routing_id);
        self.stage = Stage::Identity;
        self.inbuf = std::mem::take(&mut self.greeting);
        Ok(())
    }

    fn select_protocol(&mut self) -> Result<(), ProtocolError> {
        let rev = self.greeting.get(10).copied().unwrap_or(0);
        let minor = self.greeting.get(11).copied().unwrap_or(0);
        if rev == 0 || rev == 1 {
            if self.zap_enabled() {
                return Err(ProtocolError::UnsupportedVersion);
            }
            self.framing = if rev == 0 { Framing::V1 } else { Framing::V2 };
            self.peer_version = Some(if rev == 0 { (1, 0) } else { (2, 0) });
            self.peer_type_legacy = SocketType::from_i32(i32::from(minor));
            let id = self.cfg.routing_id.clone();
            codec::write_frame(&mut self.out, self.framing, 0, &id);
            self.stage = Stage::Identity;
            return Ok(());
        }
        self.framing = Framing::V3;
        self.peer_version = Some((rev, minor));
        self.sub_commands = !(rev == 3 && minor == 0);
        let peer_mech = self.greeting.get(12..32).unwrap_or(&[]);
        let mut ours = [0u8; 20];
        let name = Mech::name(&self.cfg);
        ours[..name.len()].copy_from_slice(name);
        if peer_mech != ours {
            return Err(ProtocolError::MechanismMismatch);
        }
        self.mech = Some(Mech::new(&self.cfg)?);
        self.stage = Stage::Handshake;
        self.mech_step(|m, io| m.start(io))
    }

    // ------------------------------------------------------------ handshake

    /// Runs one mechanism step, frames what it queued, and finishes the
    /// handshake when the mechanism is complete.
    fn mech_step<F>(&mut self, f: F) -> Result<(), ProtocolError>
    where
        F: FnOnce(&mut Mech, &mut HsIo<'_>) -> Result<(), ProtocolError>,
    {
        let Some(mut mech) = self.mech.take() else {
            return Err(ProtocolError::MalformedCommand);
        };
        let mut io = HsIo {
            cfg: &self.cfg,
            cmds: Vec::new(),
            zap: None,
        };
        let r = f(&mut mech, &mut io);
        let HsIo { cmds, zap, .. } = io;
        for c in cmds {
            codec::write_frame(&mut self.out, Framing::V3, Msg::COMMAND, &c);
        }
        if let Some(z) = zap {
            self.events.push_back(Event::ZapRequest(z));
        }
        let complete = mech.is_complete();
        self.mech = Some(mech);
        r?;
        if complete && self.stage == Stage::Handshake {
            self.finish_v3();
        }
        Ok(())
    }

    fn finish_v3(&mut self) {
        let Some(mech) = &self.mech else { return };
        let peer = mech.peer();
        let mut meta = Metadata::new();
        let mut peer_type = self.cfg.socket_type.assumed_peer();
        let mut peer_id = Vec::new();
        for (n, v) in peer.props.iter().chain(peer.zap_props.iter()) {
            meta.insert(n, v);
            // Exact names, as libzmq compares them.
            if n == "Socket-Type" {
                if let Some(t) = SocketType::from_name(v) {
                    peer_type = t;
                }
            } else if n == "Identity" {
                peer_id = v.clone();
            }
        }
        if !peer.user_id.is_empty() {
            meta.insert("User-Id", &peer.user_id);
        }
        self.complete_handshake(meta, peer_type, peer_id);
        if let Some(ivl) = nonzero(self.cfg.heartbeat_ivl) {
            self.next_ping = self.now.checked_add(ivl);
        }
    }

    fn complete_handshake(&mut self, mut meta: Metadata, peer_type: SocketType, id: Vec<u8>) {
        if !self.cfg.peer_address.is_empty() {
            meta.insert("Peer-Address", self.cfg.peer_address.as_bytes());
        }
        if self.cfg.src_fd >= 0 {
            meta.insert(Metadata::SRCFD, self.cfg.src_fd.to_string().as_bytes());
        }
        self.meta = Arc::new(meta);
        self.stage = Stage::Active;
        self.ready = true;
        self.handshake_deadline = None;
        self.events.push_back(Event::Ready {
            peer_socket_type: peer_type,
            peer_routing_id: id,
            metadata: self.meta.clone(),
        });
    }

    /// Feeds the ZAP handler's reply (the 7 frames of RFC 27).
    pub fn zap_reply(&mut self, reply: &[Msg]) -> Result<(), ProtocolError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.stage != Stage::Handshake {
            return Ok(());
        }
        let r = self.mech_step(|m, io| m.zap_reply(io, reply));
        if let Err(e) = &r {
            self.failed = Some(e.clone());
        }
        r
    }

    // ------------------------------------------------------------ frames

    /// Decodes the whole frames at the front of `buf`, which lies within
    /// `shared` when that is given; returns the bytes consumed.
    fn decode_frames(
        &mut self,
        buf: &[u8],
        shared: Option<&Bytes>,
    ) -> Result<usize, ProtocolError> {
        let mut pos = 0;
        while let Some(rest) = buf.get(pos..) {
            let limit = self.frame_limit();
            let Some(h) = codec::parse_header(rest, self.framing, limit)? else {
                break;
            };
            let end = h.header_len + h.body_len;
            let Some(body) = rest.get(h.header_len..end) else {
                // A large plain data frame that is not all here yet: from
                // now on its bytes go straight into the message's buffer.
                if self.stage == Stage::Active
                    && self.framing == Framing::V3
                    && h.flags & Msg::COMMAND == 0
                    && h.body_len >= LARGE_FRAME
                    && self.mech.as_mut().and_then(|m| m.codec()).is_none()
                {
                    let avail = rest.get(h.header_len..).unwrap_or(&[]);
                    // Reserve up front only a bounded part: memory follows
                    // the bytes that really arrive, and a refused
                    // reservation fails this connection, never the process.
                    let body = if h.body_len <= crate::msg::pool::POOL_MAX_CLASS {
                        crate::msg::pool::take(h.body_len)
                    } else {
                        let mut v = Vec::new();
                        v.try_reserve_exact(1 << 24).ok().map(|_| v)
                    };
                    let Some(mut body) = body else {
                        return Err(ProtocolError::MessageTooLarge);
                    };
                    body.extend_from_slice(avail);
                    self.partial = Some((h.flags, h.body_len, body));
                    self.last_large = true;
                    self.hb_timeout_at = None;
                    self.ttl_at = None;
                    pos += rest.len();
                }
                break;
            };
            pos += end;
            self.on_frame(h.flags, body, shared)?;
            if self.failed.is_some() {
                break;
            }
        }
        Ok(pos)
    }

    fn on_frame(
        &mut self,
        flags: u8,
        body: &[u8],
        shared: Option<&Bytes>,
    ) -> Result<(), ProtocolError> {
        match self.stage {
            Stage::Greeting => Err(ProtocolError::BadGreeting),
            Stage::Identity => {
                // libzmq 4.3 does not check a ZMTP 2.0 peer's socket type:
                // any type is accepted (an incompatible or unknown one is
                // reported as the type we would expect).
                let peer_type = match self.peer_type_legacy {
                    Some(t) if self.cfg.socket_type.compatible(t) => t,
                    _ => self.cfg.socket_type.assumed_peer(),
                };
                self.complete_handshake(Metadata::new(), peer_type, body.to_vec());
                if self.unversioned
                    && matches!(self.cfg.socket_type, SocketType::Pub | SocketType::XPub)
                {
                    // A 1.0 peer sends no subscriptions: subscribe it to all.
                    self.push_message(Msg::from_slice(&[1]));
                }
                Ok(())
            }
            Stage::Handshake => self.mech_step(|m, io| m.command(io, body)),
            Stage::Active => {
                if self.framing != Framing::V3 {
                    let mut m = Msg::from_slice(body);
                    m.set_more(flags & Msg::MORE != 0);
                    self.push_message(m);
                    return Ok(());
                }
                self.hb_timeout_at = None;
                self.ttl_at = None;
                let (flags, data) = match self.mech.as_mut().and_then(|m| m.codec()) {
                    Some(codec) => codec.decode(body)?,
                    None if flags & Msg::COMMAND == 0 => {
                        // Plain data frame: small bodies go inline into the
                        // message, others are slices of the shared read
                        // buffer; no allocation either way.
                        self.last_large = false;
                        let mut m = match shared {
                            Some(b) if body.len() > crate::msg::INLINE_MAX && within(b, body) => {
                                Msg::from_bytes(b.slice_ref(body))
                            }
                            _ => Msg::from_slice(body),
                        };
                        m.set_more(flags & Msg::MORE != 0);
                        self.push_message(m);
                        return Ok(());
                    }
                    None => (flags, bytes::Bytes::copy_from_slice(body)),
                };
                if flags & Msg::COMMAND != 0 {
                    self.on_command(&data)
                } else {
                    let mut m = Msg::from_bytes(data);
                    m.set_more(flags & Msg::MORE != 0);
                    self.push_message(m);
                    Ok(())
                }
            }
        }
    }

    fn push_message(&mut self, mut m: Msg) {
        if self.attach_meta {
            m.set_metadata(Some(self.meta.clone()));
        }
        self.msgs.push_back(m);
    }

    /// Whether decoded messages carry the connection's properties
    /// (default); turned off when the pipe they go to attaches them.
    pub fn set_attach_metadata(&mut self, on: bool) {
        self.attach_meta = on;
    }

    fn on_command(&mut self, data: &[u8]) -> Result<(), ProtocolError> {
        let Some((&nlen, rest)) = data.split_first() else {
            return Err(ProtocolError::MalformedCommand);
        };
        let Some(name) = rest.get(..nlen as usize) else {
            return Err(ProtocolError::MalformedCommand);
        };
        let args = &rest[nlen as usize..];
        match name {
            b"PING" => {
                let ttl = match args {
                    [a, b, ..] => u16::from_be_bytes([*a, *b]),
                    _ => 0,
                };
                if ttl > 0 {
                    self.ttl_at = self
                        .now
                        .checked_add(Duration::from_millis(u64::from(ttl) * 100));
                }
                let ctx = args.get(2..).unwrap_or(&[]);
                let ctx = &ctx[..ctx.len().min(16)];
                let mut pong = mechanism::cmd(b"PONG");
                pong.extend_from_slice(ctx);
                self.queue_frame(Msg::COMMAND, &pong);
            }
            b"SUBSCRIBE" | b"CANCEL" => {
                let mut v = Vec::with_capacity(args.len() + 1);
                v.push(u8::from(name == b"SUBSCRIBE"));
                v.extend_from_slice(args);
                self.push_message(Msg::from_vec(v));
            }
            // A DISH's JOIN/LEAVE (libzmq 4.3's dish session): a RADIO's
            // pattern reads them, command flag and all, from its pipe.
            b"JOIN" | b"LEAVE" if self.cfg.socket_type == SocketType::Radio => {
                let mut m = Msg::from_slice(data);
                m.set_flags(Msg::COMMAND);
                self.push_message(m);
            }
            // PONG only resets the timers; other commands are ignored.
            _ => {}
        }
        Ok(())
    }

    /// Frames one message part (encrypting it under CURVE).
    fn queue_frame(&mut self, flags: u8, body: &[u8]) {
        match self.mech.as_mut().and_then(|m| m.codec()) {
            Some(codec) => {
                if let Err(e) = codec.encode_into(&mut self.out, self.framing, flags, body) {
                    self.failed = Some(e);
                }
            }
            None => codec::write_frame(&mut self.out, self.framing, flags, body),
        }
    }

    /// Encodes one message part into the output. Ignored before the
    /// handshake completes.
    pub fn send(&mut self, msg: &Msg) {
        if !self.is_ready() {
            return;
        }
        let first_part = !self.out_more;
        self.out_more = msg.more();
        let data = msg.data();
        let cmd_type = msg.flags() & (Msg::CMD_TYPE_MASK | Msg::COMMAND);
        if self.sub_commands
            && (cmd_type == Msg::SUBSCRIBE || cmd_type == Msg::CANCEL)
            && matches!(self.cfg.socket_type, SocketType::Sub | SocketType::XSub)
            && first_part
            && !msg.more()
        {
            if let Some((&kind @ (0 | 1), topic)) = data.split_first() {
                let mut body = mechanism::cmd(if kind == 1 { b"SUBSCRIBE" } else { b"CANCEL" });
                body.extend_from_slice(topic);
                self.queue_frame(Msg::COMMAND, &body);
                return;
            }
        }
        let flags = msg.flags() & (Msg::MORE | Msg::COMMAND);
        if data.len() >= LARGE_FRAME && self.mech.as_mut().and_then(|m| m.codec()).is_none() {
            // A large plain body is written from the message itself: the
            // header ends the current buffer, the body follows by reference.
            codec::write_header(&mut self.out, self.framing, flags, data.len());
            let head = std::mem::take(&mut self.out);
            let start = std::mem::replace(&mut self.out_start, 0);
            let head = bytes::Bytes::from(head);
            if start < head.len() {
                self.segs.push_back(head.slice(start..));
            }
            self.segs.push_back(msg.to_bytes());
            return;
        }
        self.queue_frame(flags, data);
    }

    // ------------------------------------------------------------ time

    /// The earliest instant at which `handle_timeout` has work.
    pub fn next_timeout(&self) -> Option<Instant> {
        [
            if self.ready {
                None
            } else {
                self.handshake_deadline
            },
            self.next_ping,
            self.hb_timeout_at,
            self.ttl_at,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Fires expired timers: handshake timeout, heartbeat TTL/timeout, PING.
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), ProtocolError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        self.now = now;
        let expired = |t: Option<Instant>| t.is_some_and(|t| t <= now);
        let err = if !self.ready && expired(self.handshake_deadline) {
            Some(ProtocolError::HandshakeTimeout)
        } else if expired(self.ttl_at) || expired(self.hb_timeout_at) {
            Some(ProtocolError::HeartbeatTimeout)
        } else {
            None
        };
        if let Some(e) = err {
            self.failed = Some(e.clone());
            return Err(e);
        }
        if expired(self.next_ping) {
            let ivl = nonzero(self.cfg.heartbeat_ivl).unwrap_or(Duration::from_secs(1));
            let ttl = self
                .cfg
                .heartbeat_ttl
                .map(|d| (d.as_millis() / 100).min(u128::from(u16::MAX)) as u16)
                .unwrap_or(0);
            let mut ping = mechanism::cmd(b"PING");
            ping.extend_from_slice(&ttl.to_be_bytes());
            self.queue_frame(Msg::COMMAND, &ping);
            self.next_ping = now.checked_add(ivl);
            let timeout = match self.cfg.heartbeat_timeout {
                Some(t) => nonzero(Some(t)),
                None => Some(ivl),
            };
            if self.hb_timeout_at.is_none() {
                if let Some(t) = timeout {
                    self.hb_timeout_at = now.checked_add(t);
                }
            }
        }
        Ok(())
    }
}

/// True when `part` lies inside `whole`'s bytes (so `slice_ref` may take it).
fn within(whole: &Bytes, part: &[u8]) -> bool {
    let w = whole.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    p >= w && p + part.len() <= w + whole.len()
}
