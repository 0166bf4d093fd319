//! The generic socket option store (zmq_setsockopt(3), zmq_getsockopt(3)).
//!
//! Role: every socket owns one [`Options`]. It holds the value of each
//! option that is not specific to a routing pattern, parses
//! `zmq_setsockopt` input with libzmq 4.3.5's size and range rules, and
//! answers `zmq_getsockopt` with libzmq's output format. The socket core
//! calls the pattern's own option handler first and falls back to
//! [`Options::set`] when the pattern answers EINVAL, exactly as libzmq's
//! `socket_base_t::setsockopt` does.
//!
//! Rules kept (checked against libzmq 4.3.5's options.cpp and Debian's
//! libzmq 4.3.4 with a C program):
//! - an `int` option needs exactly `size_of::<i32>()` bytes, `ZMQ_MAXMSGSIZE`
//!   exactly 8 (i64), `ZMQ_AFFINITY` exactly 8 (u64); any other size is
//!   EINVAL, on set and on get alike;
//! - string options are read back NUL-terminated: the size returned counts
//!   the NUL, a buffer smaller than that is EINVAL, the bytes of a larger
//!   buffer past the value are zeroed; `ZMQ_ROUTING_ID` is read back the
//!   same way without a NUL;
//! - CURVE keys are set as 32 binary bytes, 40 Z85 characters, or 41 bytes
//!   of Z85 text ending in NUL; read back as binary with a 32-byte buffer or
//!   as Z85 + NUL with a 41-byte buffer, any other size is EINVAL;
//! - setting a PLAIN option selects PLAIN, a CURVE option selects CURVE,
//!   `ZMQ_PLAIN_SERVER`/`ZMQ_CURVE_SERVER` 0 return to NULL; `ZMQ_MECHANISM`
//!   is read-only; the server flag reads back true only when the mechanism
//!   is the one asked about;
//! - a NULL option value (only expressible through [`Options::set_raw`] with
//!   `None`) differs from a non-NULL empty one where libzmq makes it differ
//!   (`ZMQ_PLAIN_USERNAME`, `ZMQ_SOCKS_PROXY`, `ZMQ_BINDTODEVICE`,
//!   `ZMQ_TCP_ACCEPT_FILTER`, `ZMQ_IPC_FILTER_*`): NULL clears, empty is
//!   EINVAL.
//!
//! Options handled here that a reader might expect in a pattern (libzmq
//! keeps them in options_t too): `ZMQ_INVERT_MATCHING` (set/get for every
//! socket type), `ZMQ_ROUTER_NOTIFY` (get only; the ROUTER pattern sets
//! [`Options::router_notify`]), `ZMQ_CONNECT_ROUTING_ID` (set only, and only
//! on ROUTER, STREAM and REP sockets as libzmq's routing_socket_base_t,
//! which REP derives from through ROUTER; consumed
//! by the next connect through [`Options::take_connect_routing_id`]).
//!
//! Left to the pattern (EINVAL here, so the core tries the pattern first):
//! ZMQ_SUBSCRIBE, ZMQ_UNSUBSCRIBE, ZMQ_ROUTER_MANDATORY, ZMQ_ROUTER_RAW,
//! ZMQ_ROUTER_HANDOVER, ZMQ_ROUTER_NOTIFY (set), ZMQ_PROBE_ROUTER,
//! ZMQ_REQ_CORRELATE, ZMQ_REQ_RELAXED, ZMQ_XPUB_VERBOSE, ZMQ_XPUB_VERBOSER,
//! ZMQ_XPUB_NODROP, ZMQ_XPUB_MANUAL, ZMQ_XPUB_WELCOME_MSG,
//! ZMQ_XPUB_MANUAL_LAST_VALUE, ZMQ_ONLY_FIRST_SUBSCRIBE,
//! ZMQ_XSUB_VERBOSE_UNSUBSCRIBE, ZMQ_STREAM_NOTIFY.
//! Left to the socket core (get answers EINVAL here): ZMQ_RCVMORE,
//! ZMQ_EVENTS, ZMQ_FD, ZMQ_LAST_ENDPOINT, ZMQ_THREAD_SAFE, ZMQ_TOPICS_COUNT.
//!
//! Build features mirrored: CURVE is built (keys accepted); GSSAPI, VMCI and
//! NORM are not, so their options are EINVAL (Debian's libzmq is built with
//! GSSAPI and accepts ZMQ_GSSAPI_*: a deliberate difference, we have no
//! GSSAPI mechanism). Draft options are on (libzmq built with
//! ZMQ_BUILD_DRAFT_API). The WSS options are stored for a future ws
//! transport. libzmq 4.3.5 quirk kept: `getsockopt(ZMQ_BUSY_POLL)` writes the
//! value and still fails with EINVAL.

use std::collections::BTreeSet;
use std::net::IpAddr;

use crate::error::{Error, Result};
use crate::util::z85;

/// Socket option numbers, socket types and related values of zmq.h
/// (libzmq 4.3.5, DRAFT section included).
pub mod consts {
    // Socket types.
    pub const ZMQ_PAIR: i32 = 0;
    pub const ZMQ_PUB: i32 = 1;
    pub const ZMQ_SUB: i32 = 2;
    pub const ZMQ_REQ: i32 = 3;
    pub const ZMQ_REP: i32 = 4;
    pub const ZMQ_DEALER: i32 = 5;
    pub const ZMQ_ROUTER: i32 = 6;
    pub const ZMQ_PULL: i32 = 7;
    pub const ZMQ_PUSH: i32 = 8;
    pub const ZMQ_XPUB: i32 = 9;
    pub const ZMQ_XSUB: i32 = 10;
    pub const ZMQ_STREAM: i32 = 11;
    pub const ZMQ_XREQ: i32 = ZMQ_DEALER;
    pub const ZMQ_XREP: i32 = ZMQ_ROUTER;
    // Draft socket types.
    pub const ZMQ_SERVER: i32 = 12;
    pub const ZMQ_CLIENT: i32 = 13;
    pub const ZMQ_RADIO: i32 = 14;
    pub const ZMQ_DISH: i32 = 15;
    pub const ZMQ_GATHER: i32 = 16;
    pub const ZMQ_SCATTER: i32 = 17;
    pub const ZMQ_DGRAM: i32 = 18;
    pub const ZMQ_PEER: i32 = 19;
    pub const ZMQ_CHANNEL: i32 = 20;

    // Socket options.
    pub const ZMQ_AFFINITY: i32 = 4;
    pub const ZMQ_ROUTING_ID: i32 = 5;
    pub const ZMQ_SUBSCRIBE: i32 = 6;
    pub const ZMQ_UNSUBSCRIBE: i32 = 7;
    pub const ZMQ_RATE: i32 = 8;
    pub const ZMQ_RECOVERY_IVL: i32 = 9;
    pub const ZMQ_SNDBUF: i32 = 11;
    pub const ZMQ_RCVBUF: i32 = 12;
    pub const ZMQ_RCVMORE: i32 = 13;
    pub const ZMQ_FD: i32 = 14;
    pub const ZMQ_EVENTS: i32 = 15;
    pub const ZMQ_TYPE: i32 = 16;
    pub const ZMQ_LINGER: i32 = 17;
    pub const ZMQ_RECONNECT_IVL: i32 = 18;
    pub const ZMQ_BACKLOG: i32 = 19;
    pub const ZMQ_RECONNECT_IVL_MAX: i32 = 21;
    pub const ZMQ_MAXMSGSIZE: i32 = 22;
    pub const ZMQ_SNDHWM: i32 = 23;
    pub const ZMQ_RCVHWM: i32 = 24;
    pub const ZMQ_MULTICAST_HOPS: i32 = 25;
    pub const ZMQ_RCVTIMEO: i32 = 27;
    pub const ZMQ_SNDTIMEO: i32 = 28;
    pub const ZMQ_LAST_ENDPOINT: i32 = 32;
    pub const ZMQ_ROUTER_MANDATORY: i32 = 33;
    pub const ZMQ_TCP_KEEPALIVE: i32 = 34;
    pub const ZMQ_TCP_KEEPALIVE_CNT: i32 = 35;
    pub const ZMQ_TCP_KEEPALIVE_IDLE: i32 = 36;
    pub const ZMQ_TCP_KEEPALIVE_INTVL: i32 = 37;
    pub const ZMQ_IMMEDIATE: i32 = 39;
    pub const ZMQ_XPUB_VERBOSE: i32 = 40;
    pub const ZMQ_ROUTER_RAW: i32 = 41;
    pub const ZMQ_IPV6: i32 = 42;
    pub const ZMQ_MECHANISM: i32 = 43;
    pub const ZMQ_PLAIN_SERVER: i32 = 44;
    pub const ZMQ_PLAIN_USERNAME: i32 = 45;
    pub const ZMQ_PLAIN_PASSWORD: i32 = 46;
    pub const ZMQ_CURVE_SERVER: i32 = 47;
    pub const ZMQ_CURVE_PUBLICKEY: i32 = 48;
    pub const ZMQ_CURVE_SECRETKEY: i32 = 49;
    pub const ZMQ_CURVE_SERVERKEY: i32 = 50;
    pub const ZMQ_PROBE_ROUTER: i32 = 51;
    pub const ZMQ_REQ_CORRELATE: i32 = 52;
    pub const ZMQ_REQ_RELAXED: i32 = 53;
    pub const ZMQ_CONFLATE: i32 = 54;
    pub const ZMQ_ZAP_DOMAIN: i32 = 55;
    pub const ZMQ_ROUTER_HANDOVER: i32 = 56;
    pub const ZMQ_TOS: i32 = 57;
    pub const ZMQ_CONNECT_ROUTING_ID: i32 = 61;
    pub const ZMQ_GSSAPI_SERVER: i32 = 62;
    pub const ZMQ_GSSAPI_PRINCIPAL: i32 = 63;
    pub const ZMQ_GSSAPI_SERVICE_PRINCIPAL: i32 = 64;
    pub const ZMQ_GSSAPI_PLAINTEXT: i32 = 65;
    pub const ZMQ_HANDSHAKE_IVL: i32 = 66;
    pub const ZMQ_SOCKS_PROXY: i32 = 68;
    pub const ZMQ_XPUB_NODROP: i32 = 69;
    pub const ZMQ_BLOCKY: i32 = 70;
    pub const ZMQ_XPUB_MANUAL: i32 = 71;
    pub const ZMQ_XPUB_WELCOME_MSG: i32 = 72;
    pub const ZMQ_STREAM_NOTIFY: i32 = 73;
    pub const ZMQ_INVERT_MATCHING: i32 = 74;
    pub const ZMQ_HEARTBEAT_IVL: i32 = 75;
    pub const ZMQ_HEARTBEAT_TTL: i32 = 76;
    pub const ZMQ_HEARTBEAT_TIMEOUT: i32 = 77;
    pub const ZMQ_XPUB_VERBOSER: i32 = 78;
    pub const ZMQ_CONNECT_TIMEOUT: i32 = 79;
    pub const ZMQ_TCP_MAXRT: i32 = 80;
    pub const ZMQ_THREAD_SAFE: i32 = 81;
    pub const ZMQ_MULTICAST_MAXTPDU: i32 = 84;
    pub const ZMQ_VMCI_BUFFER_SIZE: i32 = 85;
    pub const ZMQ_VMCI_BUFFER_MIN_SIZE: i32 = 86;
    pub const ZMQ_VMCI_BUFFER_MAX_SIZE: i32 = 87;
    pub const ZMQ_VMCI_CONNECT_TIMEOUT: i32 = 88;
    pub const ZMQ_USE_FD: i32 = 89;
    pub const ZMQ_GSSAPI_PRINCIPAL_NAMETYPE: i32 = 90;
    pub const ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: i32 = 91;
    pub const ZMQ_BINDTODEVICE: i32 = 92;
    // Deprecated aliases and deprecated options.
    pub const ZMQ_IDENTITY: i32 = ZMQ_ROUTING_ID;
    pub const ZMQ_CONNECT_RID: i32 = ZMQ_CONNECT_ROUTING_ID;
    pub const ZMQ_TCP_ACCEPT_FILTER: i32 = 38;
    pub const ZMQ_IPC_FILTER_PID: i32 = 58;
    pub const ZMQ_IPC_FILTER_UID: i32 = 59;
    pub const ZMQ_IPC_FILTER_GID: i32 = 60;
    pub const ZMQ_IPV4ONLY: i32 = 31;
    pub const ZMQ_DELAY_ATTACH_ON_CONNECT: i32 = ZMQ_IMMEDIATE;
    pub const ZMQ_FAIL_UNROUTABLE: i32 = ZMQ_ROUTER_MANDATORY;
    pub const ZMQ_ROUTER_BEHAVIOR: i32 = ZMQ_ROUTER_MANDATORY;
    // Draft socket options.
    pub const ZMQ_ZAP_ENFORCE_DOMAIN: i32 = 93;
    pub const ZMQ_LOOPBACK_FASTPATH: i32 = 94;
    pub const ZMQ_METADATA: i32 = 95;
    pub const ZMQ_MULTICAST_LOOP: i32 = 96;
    pub const ZMQ_ROUTER_NOTIFY: i32 = 97;
    pub const ZMQ_XPUB_MANUAL_LAST_VALUE: i32 = 98;
    pub const ZMQ_SOCKS_USERNAME: i32 = 99;
    pub const ZMQ_SOCKS_PASSWORD: i32 = 100;
    pub const ZMQ_IN_BATCH_SIZE: i32 = 101;
    pub const ZMQ_OUT_BATCH_SIZE: i32 = 102;
    pub const ZMQ_WSS_KEY_PEM: i32 = 103;
    pub const ZMQ_WSS_CERT_PEM: i32 = 104;
    pub const ZMQ_WSS_TRUST_PEM: i32 = 105;
    pub const ZMQ_WSS_HOSTNAME: i32 = 106;
    pub const ZMQ_WSS_TRUST_SYSTEM: i32 = 107;
    pub const ZMQ_ONLY_FIRST_SUBSCRIBE: i32 = 108;
    pub const ZMQ_RECONNECT_STOP: i32 = 109;
    pub const ZMQ_HELLO_MSG: i32 = 110;
    pub const ZMQ_DISCONNECT_MSG: i32 = 111;
    pub const ZMQ_PRIORITY: i32 = 112;
    pub const ZMQ_BUSY_POLL: i32 = 113;
    pub const ZMQ_HICCUP_MSG: i32 = 114;
    pub const ZMQ_XSUB_VERBOSE_UNSUBSCRIBE: i32 = 115;
    pub const ZMQ_TOPICS_COUNT: i32 = 116;
    pub const ZMQ_NORM_MODE: i32 = 117;
    pub const ZMQ_NORM_UNICAST_NACK: i32 = 118;
    pub const ZMQ_NORM_BUFFER_SIZE: i32 = 119;
    pub const ZMQ_NORM_SEGMENT_SIZE: i32 = 120;
    pub const ZMQ_NORM_BLOCK_SIZE: i32 = 121;
    pub const ZMQ_NORM_NUM_PARITY: i32 = 122;
    pub const ZMQ_NORM_NUM_AUTOPARITY: i32 = 123;
    pub const ZMQ_NORM_PUSH: i32 = 124;

    // ZMQ_NORM_MODE values (draft).
    pub const ZMQ_NORM_FIXED: i32 = 0;
    pub const ZMQ_NORM_CC: i32 = 1;
    pub const ZMQ_NORM_CCL: i32 = 2;
    pub const ZMQ_NORM_CCE: i32 = 3;
    pub const ZMQ_NORM_CCE_ECNONLY: i32 = 4;

    // ZMQ_RECONNECT_STOP flags (draft; 4.3.5 values, Debian's 4.3.4 header
    // still says 0x3 for the last one).
    pub const ZMQ_RECONNECT_STOP_CONN_REFUSED: i32 = 0x1;
    pub const ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED: i32 = 0x2;
    pub const ZMQ_RECONNECT_STOP_AFTER_DISCONNECT: i32 = 0x4;

    // ZMQ_ROUTER_NOTIFY flags (draft).
    pub const ZMQ_NOTIFY_CONNECT: i32 = 1;
    pub const ZMQ_NOTIFY_DISCONNECT: i32 = 2;

    // Security mechanisms.
    pub const ZMQ_NULL: i32 = 0;
    pub const ZMQ_PLAIN: i32 = 1;
    pub const ZMQ_CURVE: i32 = 2;
    pub const ZMQ_GSSAPI: i32 = 3;

    // GSSAPI name types.
    pub const ZMQ_GSSAPI_NT_HOSTBASED: i32 = 0;
    pub const ZMQ_GSSAPI_NT_USER_NAME: i32 = 1;
    pub const ZMQ_GSSAPI_NT_KRB5_PRINCIPAL: i32 = 2;

    // Message options and send/recv flags.
    pub const ZMQ_MORE: i32 = 1;
    pub const ZMQ_SRCFD: i32 = 2;
    pub const ZMQ_SHARED: i32 = 3;
    pub const ZMQ_DONTWAIT: i32 = 1;
    pub const ZMQ_SNDMORE: i32 = 2;
    pub const ZMQ_NOBLOCK: i32 = ZMQ_DONTWAIT;
}

use consts::*;

/// Size of a CURVE key in binary.
pub const CURVE_KEY_SIZE: usize = 32;
/// Size of a CURVE key in Z85 text, without the NUL.
pub const CURVE_KEY_SIZE_Z85: usize = 40;
/// Longest interface name `ZMQ_BINDTODEVICE` takes (IFNAMSIZ).
const BINDTODEVICE_MAX: usize = 16;
/// Longest short string (UCHAR_MAX).
const SHORT_MAX: usize = 255;

/// The security mechanism a socket uses in its handshake (ZMQ_MECHANISM).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mechanism {
    Null = 0,
    Plain = 1,
    Curve = 2,
}

/// One `ZMQ_TCP_ACCEPT_FILTER` entry: an address and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpAcceptFilter {
    pub addr: IpAddr,
    /// Prefix length in bits (0 matches everything of the family).
    pub prefix: u8,
}

impl TcpAcceptFilter {
    /// Whether `peer` falls in this filter's network. IPv4-mapped IPv6
    /// peers are compared as IPv4.
    pub fn matches(&self, peer: IpAddr) -> bool {
        let peer = match peer {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(v6),
            },
            v4 => v4,
        };
        let (a, b, bits): (Vec<u8>, Vec<u8>, u32) = match (self.addr, peer) {
            (IpAddr::V4(a), IpAddr::V4(b)) => (a.octets().to_vec(), b.octets().to_vec(), 32),
            (IpAddr::V6(a), IpAddr::V6(b)) => (a.octets().to_vec(), b.octets().to_vec(), 128),
            _ => return false,
        };
        let prefix = u32::from(self.prefix).min(bits) as usize;
        let full = prefix / 8;
        if a.iter().take(full).ne(b.iter().take(full)) {
            return false;
        }
        let rest = prefix % 8;
        if rest == 0 {
            return true;
        }
        let mask = 0xffu8 << (8 - rest);
        match (a.get(full), b.get(full)) {
            (Some(x), Some(y)) => x & mask == y & mask,
            _ => false,
        }
    }

    /// Parses libzmq's `address[/bits]` form: a numeric IPv4 address (or,
    /// when `ipv6` is on, also an IPv6 one, brackets allowed); no DNS.
    fn parse(text: &str, ipv6: bool) -> Result<TcpAcceptFilter> {
        let (addr_str, mask_str) = match text.rfind('/') {
            // `pos` is the byte index of the ASCII '/', a char boundary.
            Some(pos) => (&text[..pos], Some(&text[pos + 1..])),
            None => (text, None),
        };
        let addr_str = addr_str
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or(addr_str);
        let addr: IpAddr = addr_str.parse().map_err(|_| Error::EINVAL)?;
        if addr.is_ipv6() && !ipv6 {
            return Err(Error::EINVAL);
        }
        let full = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match mask_str {
            None => full,
            Some("") => return Err(Error::EINVAL),
            Some("0") => 0,
            Some(m) => {
                // atoi semantics: leading digits, junk after them ignored.
                let bits = atoi(m);
                let max = if ipv6 { 128 } else { 32 };
                if bits < 1 || bits > max {
                    return Err(Error::EINVAL);
                }
                bits
            }
        };
        Ok(TcpAcceptFilter {
            addr,
            prefix: u8::try_from(prefix).map_err(|_| Error::EINVAL)?,
        })
    }
}

/// C `atoi`: optional sign and leading decimal digits, 0 when none.
fn atoi(s: &str) -> i64 {
    let s = s.trim_start();
    // A leading ASCII sign is one byte, so `[1..]` is a char boundary.
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for c in digits.bytes().take_while(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(i64::from(c - b'0'));
    }
    if neg {
        -v
    } else {
        v
    }
}

/// The option values of one socket. Field units follow zmq_setsockopt(3):
/// times in milliseconds, -1 meaning infinite/none where the man page says
/// so.
#[derive(Clone, Debug)]
pub struct Options {
    /// ZMQ_TYPE (read-only, fixed at creation).
    pub socket_type: i32,
    pub sndhwm: i32,
    pub rcvhwm: i32,
    /// ZMQ_AFFINITY: I/O thread bitmap.
    pub affinity: u64,
    /// ZMQ_ROUTING_ID: 0..=255 bytes, empty when unset.
    pub routing_id: Vec<u8>,
    /// ZMQ_CONNECT_ROUTING_ID (ROUTER and STREAM only, write-only),
    /// consumed by the next connect.
    pub connect_routing_id: Option<Vec<u8>>,
    /// ZMQ_RATE in kbit/s.
    pub rate: i32,
    pub recovery_ivl: i32,
    pub multicast_hops: i32,
    pub multicast_maxtpdu: i32,
    pub multicast_loop: bool,
    /// ZMQ_SNDBUF / ZMQ_RCVBUF in bytes, -1 = OS default.
    pub sndbuf: i32,
    pub rcvbuf: i32,
    pub tos: i32,
    pub priority: i32,
    /// ZMQ_LINGER in ms, -1 infinite.
    pub linger: i32,
    pub connect_timeout: i32,
    pub tcp_maxrt: i32,
    /// ZMQ_RECONNECT_STOP flags (ZMQ_RECONNECT_STOP_*).
    pub reconnect_stop: i32,
    /// ZMQ_RECONNECT_IVL in ms, -1 = no reconnection.
    pub reconnect_ivl: i32,
    pub reconnect_ivl_max: i32,
    pub backlog: i32,
    /// ZMQ_MAXMSGSIZE in bytes, -1 unlimited.
    pub maxmsgsize: i64,
    pub rcvtimeo: i32,
    pub sndtimeo: i32,
    pub ipv6: bool,
    pub immediate: bool,
    pub conflate: bool,
    pub invert_matching: bool,
    pub tcp_keepalive: i32,
    pub tcp_keepalive_cnt: i32,
    pub tcp_keepalive_idle: i32,
    pub tcp_keepalive_intvl: i32,
    pub tcp_accept_filters: Vec<TcpAcceptFilter>,
    pub ipc_uid_accept_filters: BTreeSet<u32>,
    pub ipc_gid_accept_filters: BTreeSet<u32>,
    pub ipc_pid_accept_filters: BTreeSet<i32>,
    /// ZMQ_SOCKS_PROXY, ZMQ_SOCKS_USERNAME, ZMQ_SOCKS_PASSWORD and
    /// ZMQ_BINDTODEVICE keep the caller's bytes as given (libzmq keeps a
    /// std::string): read back unchanged, even when not UTF-8.
    pub socks_proxy: Vec<u8>,
    pub socks_username: Vec<u8>,
    pub socks_password: Vec<u8>,
    pub mechanism: Mechanism,
    /// Whether this socket is the server side of PLAIN/CURVE.
    pub as_server: bool,
    pub plain_username: Vec<u8>,
    pub plain_password: Vec<u8>,
    pub curve_public_key: Option<[u8; CURVE_KEY_SIZE]>,
    pub curve_secret_key: Option<[u8; CURVE_KEY_SIZE]>,
    pub curve_server_key: Option<[u8; CURVE_KEY_SIZE]>,
    pub zap_domain: Vec<u8>,
    pub zap_enforce_domain: bool,
    pub handshake_ivl: i32,
    pub heartbeat_ivl: i32,
    /// ZMQ_HEARTBEAT_TTL in deciseconds as sent in PING (set in ms, /100).
    pub heartbeat_ttl_ds: u16,
    /// ZMQ_HEARTBEAT_TIMEOUT in ms, -1 = use heartbeat_ivl.
    pub heartbeat_timeout: i32,
    pub use_fd: i32,
    pub bindtodevice: Vec<u8>,
    pub loopback_fastpath: bool,
    /// ZMQ_METADATA: application properties ("X-" keys), sorted by key,
    /// first setting of a key wins (libzmq's std::map insert).
    pub metadata: Vec<(String, Vec<u8>)>,
    /// ZMQ_ROUTER_NOTIFY flags; written by the ROUTER pattern.
    pub router_notify: i32,
    /// ZMQ_PROBE_ROUTER, recorded by the socket core when a DEALER or
    /// ROUTER accepts it, so that sessions send the probe themselves.
    pub probe_router: bool,
    /// ZMQ_ROUTER_RAW made this ROUTER's connections raw (as ZMQ_STREAM's),
    /// recorded by the socket core.
    pub raw_socket: bool,
    pub in_batch_size: i32,
    pub out_batch_size: i32,
    pub busy_poll: i32,
    pub hello_msg: Vec<u8>,
    pub disconnect_msg: Vec<u8>,
    pub hiccup_msg: Vec<u8>,
    pub wss_key_pem: Vec<u8>,
    pub wss_cert_pem: Vec<u8>,
    pub wss_trust_pem: Vec<u8>,
    pub wss_hostname: Vec<u8>,
    pub wss_trust_system: bool,
}

impl Options {
    /// Connections carry raw bytes, not ZMTP: ZMQ_STREAM, or a ROUTER
    /// with ZMQ_ROUTER_RAW.
    pub fn raw(&self) -> bool {
        self.socket_type == ZMQ_STREAM || self.raw_socket
    }

    /// The ZMQ_HELLO_MSG every new connection of this socket sends first
    /// (DEALER, ROUTER, SERVER, CLIENT and PEER; none when empty).
    pub fn hello(&self) -> Option<&[u8]> {
        let can = matches!(
            self.socket_type,
            ZMQ_DEALER | ZMQ_ROUTER | ZMQ_SERVER | ZMQ_CLIENT | ZMQ_PEER
        );
        (can && !self.hello_msg.is_empty()).then_some(&self.hello_msg[..])
    }

    /// The ZMQ_DISCONNECT_MSG the socket receives when an accepted peer
    /// goes away after its handshake (ROUTER, SERVER and PEER).
    pub fn disconnect_notice(&self) -> Option<&[u8]> {
        let can = matches!(self.socket_type, ZMQ_ROUTER | ZMQ_SERVER | ZMQ_PEER);
        (can && !self.disconnect_msg.is_empty()).then_some(&self.disconnect_msg[..])
    }

    /// The ZMQ_HICCUP_MSG the socket receives when a connection it made
    /// drops after its handshake (DEALER, CLIENT and PEER).
    pub fn hiccup_notice(&self) -> Option<&[u8]> {
        let can = matches!(self.socket_type, ZMQ_DEALER | ZMQ_CLIENT | ZMQ_PEER);
        (can && !self.hiccup_msg.is_empty()).then_some(&self.hiccup_msg[..])
    }

    /// libzmq's defaults for a socket of `socket_type` (SUB, XSUB and DISH
    /// start with ZMQ_LINGER 0, as their libzmq constructors set).
    pub fn new(socket_type: i32) -> Options {
        let linger = match socket_type {
            ZMQ_SUB | ZMQ_XSUB | ZMQ_DISH => 0,
            _ => -1,
        };
        Options {
            socket_type,
            sndhwm: 1000,
            rcvhwm: 1000,
            affinity: 0,
            routing_id: Vec::new(),
            connect_routing_id: None,
            rate: 100,
            recovery_ivl: 10000,
            multicast_hops: 1,
            multicast_maxtpdu: 1500,
            multicast_loop: true,
            sndbuf: -1,
            rcvbuf: -1,
            tos: 0,
            priority: 0,
            linger,
            connect_timeout: 0,
            tcp_maxrt: 0,
            reconnect_stop: 0,
            reconnect_ivl: 100,
            reconnect_ivl_max: 0,
            backlog: 100,
            maxmsgsize: -1,
            rcvtimeo: -1,
            sndtimeo: -1,
            ipv6: false,
            immediate: false,
            conflate: false,
            invert_matching: false,
            tcp_keepalive: -1,
            tcp_keepalive_cnt: -1,
            tcp_keepalive_idle: -1,
            tcp_keepalive_intvl: -1,
            tcp_accept_filters: Vec::new(),
            ipc_uid_accept_filters: BTreeSet::new(),
            ipc_gid_accept_filters: BTreeSet::new(),
            ipc_pid_accept_filters: BTreeSet::new(),
            socks_proxy: Vec::new(),
            socks_username: Vec::new(),
            socks_password: Vec::new(),
            mechanism: Mechanism::Null,
            as_server: false,
            plain_username: Vec::new(),
            plain_password: Vec::new(),
            curve_public_key: None,
            curve_secret_key: None,
            curve_server_key: None,
            zap_domain: Vec::new(),
            zap_enforce_domain: false,
            handshake_ivl: 30000,
            heartbeat_ivl: 0,
            heartbeat_ttl_ds: 0,
            heartbeat_timeout: -1,
            use_fd: -1,
            bindtodevice: Vec::new(),
            loopback_fastpath: false,
            metadata: Vec::new(),
            router_notify: 0,
            raw_socket: false,
            probe_router: false,
            in_batch_size: 8192,
            out_batch_size: 8192,
            busy_poll: 0,
            hello_msg: Vec::new(),
            disconnect_msg: Vec::new(),
            hiccup_msg: Vec::new(),
            wss_key_pem: Vec::new(),
            wss_cert_pem: Vec::new(),
            wss_trust_pem: Vec::new(),
            wss_hostname: Vec::new(),
            wss_trust_system: false,
        }
    }

    /// The connect routing id for the next connect, removed from the store
    /// (libzmq clears it once a connect has used it).
    pub fn take_connect_routing_id(&mut self) -> Option<Vec<u8>> {
        self.connect_routing_id.take()
    }

    /// zmq_setsockopt(3) with a non-NULL value of `value.len()` bytes.
    pub fn set(&mut self, option: i32, value: &[u8]) -> Result<()> {
        self.set_raw(option, Some(value))
    }

    /// zmq_setsockopt(3); `None` stands for a NULL `option_value` with
    /// `option_len` 0 (the C shim rejects NULL with a non-zero length).
    pub fn set_raw(&mut self, option: i32, value: Option<&[u8]>) -> Result<()> {
        let bytes = value.unwrap_or(&[]);
        let int = read_i32(bytes);
        // An int option accepted when `ok(v)`; EINVAL otherwise.
        let int_if = |ok: fn(i32) -> bool| -> Result<i32> {
            match int {
                Some(v) if ok(v) => Ok(v),
                _ => Err(Error::EINVAL),
            }
        };
        match option {
            ZMQ_SNDHWM => self.sndhwm = int_if(|v| v >= 0)?,
            ZMQ_RCVHWM => self.rcvhwm = int_if(|v| v >= 0)?,
            ZMQ_AFFINITY => {
                let b: [u8; 8] = bytes.try_into().map_err(|_| Error::EINVAL)?;
                self.affinity = u64::from_ne_bytes(b);
            }
            ZMQ_ROUTING_ID => {
                if bytes.is_empty() || bytes.len() > SHORT_MAX {
                    return Err(Error::EINVAL);
                }
                self.routing_id = bytes.to_vec();
            }
            ZMQ_CONNECT_ROUTING_ID => {
                // Only ROUTER, STREAM and REP know it (libzmq's
                // routing_socket_base_t); an empty value is refused.
                if !matches!(self.socket_type, ZMQ_ROUTER | ZMQ_STREAM | ZMQ_REP)
                    || bytes.is_empty()
                {
                    return Err(Error::EINVAL);
                }
                self.connect_routing_id = Some(bytes.to_vec());
            }
            ZMQ_RATE => self.rate = int_if(|v| v > 0)?,
            ZMQ_RECOVERY_IVL => self.recovery_ivl = int_if(|v| v >= 0)?,
            ZMQ_SNDBUF => self.sndbuf = int_if(|v| v >= -1)?,
            ZMQ_RCVBUF => self.rcvbuf = int_if(|v| v >= -1)?,
            ZMQ_TOS => self.tos = int_if(|v| v >= 0)?,
            ZMQ_LINGER => self.linger = int_if(|v| v >= -1)?,
            ZMQ_CONNECT_TIMEOUT => self.connect_timeout = int_if(|v| v >= 0)?,
            ZMQ_TCP_MAXRT => self.tcp_maxrt = int_if(|v| v >= 0)?,
            ZMQ_RECONNECT_STOP => self.reconnect_stop = int_if(|_| true)?,
            ZMQ_RECONNECT_IVL => self.reconnect_ivl = int_if(|v| v >= -1)?,
            ZMQ_RECONNECT_IVL_MAX => self.reconnect_ivl_max = int_if(|v| v >= 0)?,
            ZMQ_BACKLOG => self.backlog = int_if(|v| v >= 0)?,
            ZMQ_MAXMSGSIZE => {
                let b: [u8; 8] = bytes.try_into().map_err(|_| Error::EINVAL)?;
                self.maxmsgsize = i64::from_ne_bytes(b);
            }
            ZMQ_MULTICAST_HOPS => self.multicast_hops = int_if(|v| v > 0)?,
            ZMQ_MULTICAST_MAXTPDU => self.multicast_maxtpdu = int_if(|v| v > 0)?,
            ZMQ_RCVTIMEO => self.rcvtimeo = int_if(|v| v >= -1)?,
            ZMQ_SNDTIMEO => self.sndtimeo = int_if(|v| v >= -1)?,
            ZMQ_IPV4ONLY => self.ipv6 = !bool_strict(int)?,
            ZMQ_IPV6 => self.ipv6 = bool_strict(int)?,
            ZMQ_SOCKS_PROXY => {
                self.socks_proxy = string_strict(value, usize::MAX)?;
            }
            ZMQ_SOCKS_USERNAME => {
                // NULL and empty both clear.
                self.socks_username = if bytes.is_empty() {
                    Vec::new()
                } else {
                    string_strict(value, SHORT_MAX)?
                };
            }
            ZMQ_SOCKS_PASSWORD => {
                self.socks_password = if bytes.is_empty() {
                    Vec::new()
                } else {
                    string_strict(value, SHORT_MAX)?
                };
            }
            ZMQ_TCP_KEEPALIVE => self.tcp_keepalive = int_if(|v| (-1..=1).contains(&v))?,
            ZMQ_TCP_KEEPALIVE_CNT => self.tcp_keepalive_cnt = int_if(|v| v >= -1)?,
            ZMQ_TCP_KEEPALIVE_IDLE => self.tcp_keepalive_idle = int_if(|v| v >= -1)?,
            ZMQ_TCP_KEEPALIVE_INTVL => self.tcp_keepalive_intvl = int_if(|v| v >= -1)?,
            ZMQ_IMMEDIATE => self.immediate = bool_strict(int)?,
            ZMQ_TCP_ACCEPT_FILTER => {
                let text = string_strict(value, SHORT_MAX)?;
                let text = String::from_utf8_lossy(&text);
                if text.is_empty() {
                    self.tcp_accept_filters.clear();
                } else {
                    // libzmq reads the filter as a C string.
                    let text = text.split('\0').next().unwrap_or("");
                    let f = TcpAcceptFilter::parse(text, self.ipv6)?;
                    self.tcp_accept_filters.push(f);
                }
            }
            ZMQ_IPC_FILTER_UID => {
                set_filter(value, &mut self.ipc_uid_accept_filters, u32::from_ne_bytes)?
            }
            ZMQ_IPC_FILTER_GID => {
                set_filter(value, &mut self.ipc_gid_accept_filters, u32::from_ne_bytes)?
            }
            ZMQ_IPC_FILTER_PID => {
                set_filter(value, &mut self.ipc_pid_accept_filters, i32::from_ne_bytes)?
            }
            ZMQ_PLAIN_SERVER => {
                let on = bool_strict(int)?;
                self.as_server = on;
                self.mechanism = if on {
                    Mechanism::Plain
                } else {
                    Mechanism::Null
                };
            }
            ZMQ_PLAIN_USERNAME | ZMQ_PLAIN_PASSWORD => match value {
                None => self.mechanism = Mechanism::Null,
                Some(b) if !b.is_empty() && b.len() <= SHORT_MAX => {
                    if option == ZMQ_PLAIN_USERNAME {
                        self.plain_username = b.to_vec();
                    } else {
                        self.plain_password = b.to_vec();
                    }
                    self.as_server = false;
                    self.mechanism = Mechanism::Plain;
                }
                Some(_) => return Err(Error::EINVAL),
            },
            ZMQ_ZAP_DOMAIN => {
                if bytes.is_empty() || bytes.len() > SHORT_MAX {
                    return Err(Error::EINVAL);
                }
                self.zap_domain = bytes.to_vec();
            }
            ZMQ_CURVE_SERVER => {
                let on = bool_strict(int)?;
                self.as_server = on;
                self.mechanism = if on {
                    Mechanism::Curve
                } else {
                    Mechanism::Null
                };
            }
            ZMQ_CURVE_PUBLICKEY => {
                self.curve_public_key = Some(parse_curve_key(bytes)?);
                self.mechanism = Mechanism::Curve;
            }
            ZMQ_CURVE_SECRETKEY => {
                self.curve_secret_key = Some(parse_curve_key(bytes)?);
                self.mechanism = Mechanism::Curve;
            }
            ZMQ_CURVE_SERVERKEY => {
                self.curve_server_key = Some(parse_curve_key(bytes)?);
                self.as_server = false;
                self.mechanism = Mechanism::Curve;
            }
            ZMQ_CONFLATE => self.conflate = bool_strict(int)?,
            ZMQ_HANDSHAKE_IVL => self.handshake_ivl = int_if(|v| v >= 0)?,
            ZMQ_INVERT_MATCHING => self.invert_matching = bool_relaxed(int)?,
            ZMQ_HEARTBEAT_IVL => self.heartbeat_ivl = int_if(|v| v >= 0)?,
            ZMQ_HEARTBEAT_TTL => {
                // Given in ms, kept in deciseconds (truncating toward zero).
                let ds = int.ok_or(Error::EINVAL)? / 100;
                self.heartbeat_ttl_ds = u16::try_from(ds).map_err(|_| Error::EINVAL)?;
            }
            ZMQ_HEARTBEAT_TIMEOUT => self.heartbeat_timeout = int_if(|v| v >= 0)?,
            ZMQ_USE_FD => self.use_fd = int_if(|v| v >= -1)?,
            ZMQ_BINDTODEVICE => {
                self.bindtodevice = string_strict(value, BINDTODEVICE_MAX)?;
            }
            ZMQ_ZAP_ENFORCE_DOMAIN => self.zap_enforce_domain = bool_relaxed(int)?,
            ZMQ_LOOPBACK_FASTPATH => self.loopback_fastpath = bool_relaxed(int)?,
            ZMQ_METADATA => self.add_metadata(bytes)?,
            ZMQ_MULTICAST_LOOP => self.multicast_loop = bool_relaxed(int)?,
            ZMQ_IN_BATCH_SIZE => self.in_batch_size = int_if(|v| v > 0)?,
            ZMQ_OUT_BATCH_SIZE => self.out_batch_size = int_if(|v| v > 0)?,
            ZMQ_BUSY_POLL => self.busy_poll = int_if(|_| true)?,
            ZMQ_WSS_KEY_PEM => self.wss_key_pem = bytes.to_vec(),
            ZMQ_WSS_CERT_PEM => self.wss_cert_pem = bytes.to_vec(),
            ZMQ_WSS_TRUST_PEM => self.wss_trust_pem = bytes.to_vec(),
            ZMQ_WSS_HOSTNAME => self.wss_hostname = bytes.to_vec(),
            ZMQ_WSS_TRUST_SYSTEM => self.wss_trust_system = bool_strict(int)?,
            ZMQ_HELLO_MSG => self.hello_msg = bytes.to_vec(),
            ZMQ_DISCONNECT_MSG => self.disconnect_msg = bytes.to_vec(),
            ZMQ_HICCUP_MSG => self.hiccup_msg = bytes.to_vec(),
            ZMQ_PRIORITY => self.priority = int_if(|v| v >= 0)?,
            // Unknown, read-only, pattern-specific, GSSAPI/VMCI/NORM (not
            // built): EINVAL.
            _ => return Err(Error::EINVAL),
        }
        Ok(())
    }

    /// ZMQ_METADATA: "X-key:value" with a non-empty value; the key (with
    /// its "X-" prefix) at most 255 bytes; a 4-byte value is refused as
    /// libzmq refuses anything int-sized.
    fn add_metadata(&mut self, bytes: &[u8]) -> Result<()> {
        if bytes.is_empty() || bytes.len() == std::mem::size_of::<i32>() {
            return Err(Error::EINVAL);
        }
        let pos = bytes.iter().position(|&b| b == b':').ok_or(Error::EINVAL)?;
        if pos == 0 || pos == bytes.len() - 1 {
            return Err(Error::EINVAL);
        }
        // 0 < pos < bytes.len() - 1 (checked above).
        let (key, val) = (&bytes[..pos], &bytes[pos + 1..]);
        if !key.starts_with(b"X-") || key.len() > SHORT_MAX {
            return Err(Error::EINVAL);
        }
        let key = String::from_utf8_lossy(key).into_owned();
        if let Err(at) = self
            .metadata
            .binary_search_by(|(k, _)| k.as_str().cmp(key.as_str()))
        {
            self.metadata.insert(at, (key, val.to_vec()));
        }
        Ok(())
    }

    /// zmq_getsockopt(3): `buf.len()` is the caller's `*option_len`; the
    /// value is written into `buf` and its size returned (the new
    /// `*option_len`).
    pub fn get(&self, option: i32, buf: &mut [u8]) -> Result<usize> {
        let int_value = match option {
            ZMQ_SNDHWM => Some(self.sndhwm),
            ZMQ_RCVHWM => Some(self.rcvhwm),
            ZMQ_RATE => Some(self.rate),
            ZMQ_RECOVERY_IVL => Some(self.recovery_ivl),
            ZMQ_SNDBUF => Some(self.sndbuf),
            ZMQ_RCVBUF => Some(self.rcvbuf),
            ZMQ_TOS => Some(self.tos),
            ZMQ_TYPE => Some(self.socket_type),
            ZMQ_LINGER => Some(self.linger),
            ZMQ_CONNECT_TIMEOUT => Some(self.connect_timeout),
            ZMQ_TCP_MAXRT => Some(self.tcp_maxrt),
            ZMQ_RECONNECT_STOP => Some(self.reconnect_stop),
            ZMQ_RECONNECT_IVL => Some(self.reconnect_ivl),
            ZMQ_RECONNECT_IVL_MAX => Some(self.reconnect_ivl_max),
            ZMQ_BACKLOG => Some(self.backlog),
            ZMQ_MULTICAST_HOPS => Some(self.multicast_hops),
            ZMQ_MULTICAST_MAXTPDU => Some(self.multicast_maxtpdu),
            ZMQ_RCVTIMEO => Some(self.rcvtimeo),
            ZMQ_SNDTIMEO => Some(self.sndtimeo),
            ZMQ_IPV4ONLY => Some(i32::from(!self.ipv6)),
            ZMQ_IPV6 => Some(i32::from(self.ipv6)),
            ZMQ_IMMEDIATE => Some(i32::from(self.immediate)),
            ZMQ_TCP_KEEPALIVE => Some(self.tcp_keepalive),
            ZMQ_TCP_KEEPALIVE_CNT => Some(self.tcp_keepalive_cnt),
            ZMQ_TCP_KEEPALIVE_IDLE => Some(self.tcp_keepalive_idle),
            ZMQ_TCP_KEEPALIVE_INTVL => Some(self.tcp_keepalive_intvl),
            ZMQ_MECHANISM => Some(self.mechanism as i32),
            ZMQ_PLAIN_SERVER => Some(i32::from(
                self.as_server && self.mechanism == Mechanism::Plain,
            )),
            ZMQ_CURVE_SERVER => Some(i32::from(
                self.as_server && self.mechanism == Mechanism::Curve,
            )),
            ZMQ_CONFLATE => Some(i32::from(self.conflate)),
            ZMQ_HANDSHAKE_IVL => Some(self.handshake_ivl),
            ZMQ_INVERT_MATCHING => Some(i32::from(self.invert_matching)),
            ZMQ_HEARTBEAT_IVL => Some(self.heartbeat_ivl),
            ZMQ_HEARTBEAT_TTL => Some(i32::from(self.heartbeat_ttl_ds) * 100),
            ZMQ_HEARTBEAT_TIMEOUT => Some(self.heartbeat_timeout),
            ZMQ_USE_FD => Some(self.use_fd),
            ZMQ_ZAP_ENFORCE_DOMAIN => Some(i32::from(self.zap_enforce_domain)),
            ZMQ_LOOPBACK_FASTPATH => Some(i32::from(self.loopback_fastpath)),
            ZMQ_MULTICAST_LOOP => Some(i32::from(self.multicast_loop)),
            ZMQ_ROUTER_NOTIFY => Some(self.router_notify),
            ZMQ_IN_BATCH_SIZE => Some(self.in_batch_size),
            ZMQ_OUT_BATCH_SIZE => Some(self.out_batch_size),
            ZMQ_PRIORITY => Some(self.priority),
            _ => None,
        };
        if let Some(v) = int_value {
            return put_exact(buf, &v.to_ne_bytes());
        }
        match option {
            ZMQ_AFFINITY => put_exact(buf, &self.affinity.to_ne_bytes()),
            ZMQ_MAXMSGSIZE => put_exact(buf, &self.maxmsgsize.to_ne_bytes()),
            ZMQ_ROUTING_ID => put_bytes(buf, &self.routing_id),
            ZMQ_SOCKS_PROXY => put_cstr(buf, &self.socks_proxy),
            ZMQ_SOCKS_USERNAME => put_cstr(buf, &self.socks_username),
            ZMQ_SOCKS_PASSWORD => put_cstr(buf, &self.socks_password),
            ZMQ_PLAIN_USERNAME => put_cstr(buf, &self.plain_username),
            ZMQ_PLAIN_PASSWORD => put_cstr(buf, &self.plain_password),
            ZMQ_ZAP_DOMAIN => put_cstr(buf, &self.zap_domain),
            ZMQ_BINDTODEVICE => put_cstr(buf, &self.bindtodevice),
            ZMQ_CURVE_PUBLICKEY => put_curve_key(buf, &self.curve_public_key),
            ZMQ_CURVE_SECRETKEY => put_curve_key(buf, &self.curve_secret_key),
            ZMQ_CURVE_SERVERKEY => put_curve_key(buf, &self.curve_server_key),
            ZMQ_BUSY_POLL => {
                // libzmq 4.3.5 writes the value, then falls through to EINVAL.
                if buf.len() == std::mem::size_of::<i32>() {
                    buf.copy_from_slice(&self.busy_poll.to_ne_bytes());
                }
                Err(Error::EINVAL)
            }
            _ => Err(Error::EINVAL),
        }
    }
}

/// The int carried by an option value of exactly `sizeof(int)` bytes.
fn read_i32(bytes: &[u8]) -> Option<i32> {
    let b: [u8; 4] = bytes.try_into().ok()?;
    Some(i32::from_ne_bytes(b))
}

/// libzmq's int-as-bool, strict: only 0 and 1.
fn bool_strict(int: Option<i32>) -> Result<bool> {
    match int {
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        _ => Err(Error::EINVAL),
    }
}

/// libzmq's int-as-bool, relaxed: any non-zero int is true.
fn bool_relaxed(int: Option<i32>) -> Result<bool> {
    int.map(|v| v != 0).ok_or(Error::EINVAL)
}

/// libzmq's "string allow empty strict": NULL with length 0 clears, a
/// non-NULL value of 1..=max bytes is taken, anything else is EINVAL.
/// The bytes are kept as given.
fn string_strict(value: Option<&[u8]>, max: usize) -> Result<Vec<u8>> {
    match value {
        None => Ok(Vec::new()),
        Some(b) if !b.is_empty() && b.len() <= max => Ok(b.to_vec()),
        Some(_) => Err(Error::EINVAL),
    }
}

/// A set-valued filter option: NULL clears, a 4-byte id is added.
fn set_filter<T: Ord>(
    value: Option<&[u8]>,
    set: &mut BTreeSet<T>,
    conv: fn([u8; 4]) -> T,
) -> Result<()> {
    match value {
        None => set.clear(),
        Some(b) => {
            let arr: [u8; 4] = b.try_into().map_err(|_| Error::EINVAL)?;
            set.insert(conv(arr));
        }
    }
    Ok(())
}

/// A CURVE key given as 32 bytes, 40 Z85 characters or 40 Z85 characters
/// and a NUL.
fn parse_curve_key(bytes: &[u8]) -> Result<[u8; CURVE_KEY_SIZE]> {
    match bytes.len() {
        CURVE_KEY_SIZE => bytes.try_into().map_err(|_| Error::EINVAL),
        CURVE_KEY_SIZE_Z85 => z85::decode_key(bytes),
        // 41 > CURVE_KEY_SIZE_Z85 (40).
        41 if bytes.last() == Some(&0) => z85::decode_key(&bytes[..CURVE_KEY_SIZE_Z85]),
        _ => Err(Error::EINVAL),
    }
}

/// Writes an exactly-sized value (int, int64, uint64 options).
fn put_exact(buf: &mut [u8], value: &[u8]) -> Result<usize> {
    if buf.len() != value.len() {
        return Err(Error::EINVAL);
    }
    buf.copy_from_slice(value);
    Ok(value.len())
}

/// Writes a variable-size value; the rest of a larger buffer is zeroed.
fn put_bytes(buf: &mut [u8], value: &[u8]) -> Result<usize> {
    if buf.len() < value.len() {
        return Err(Error::EINVAL);
    }
    let (head, tail) = buf.split_at_mut(value.len());
    head.copy_from_slice(value);
    tail.fill(0);
    Ok(value.len())
}

/// Writes a string followed by its NUL; the size returned counts the NUL.
fn put_cstr(buf: &mut [u8], value: &[u8]) -> Result<usize> {
    if buf.len() < value.len() + 1 {
        return Err(Error::EINVAL);
    }
    let (head, tail) = buf.split_at_mut(value.len());
    head.copy_from_slice(value);
    tail.fill(0);
    Ok(value.len() + 1)
}

/// A CURVE key read back: 32 binary bytes, or 40 Z85 characters and a NUL
/// into a 41-byte buffer. An unset key reads as zeros.
fn put_curve_key(buf: &mut [u8], key: &Option<[u8; CURVE_KEY_SIZE]>) -> Result<usize> {
    let key = key.unwrap_or([0; CURVE_KEY_SIZE]);
    match buf.len() {
        CURVE_KEY_SIZE => {
            buf.copy_from_slice(&key);
            Ok(CURVE_KEY_SIZE)
        }
        41 => {
            let text = z85::encode(&key)?;
            let (head, tail) = buf.split_at_mut(CURVE_KEY_SIZE_Z85);
            head.copy_from_slice(text.as_bytes());
            tail.fill(0);
            Ok(41)
        }
        _ => Err(Error::EINVAL),
    }
}

#[cfg(test)]
mod tests;
