//! The `tcp://` transport: address resolution, listening and connecting
//! sockets, and the per-connection tuning libzmq applies (zmq_tcp(7)).
//!
//! Address rules, checked against Debian's libzmq 4.3.4:
//! - the port follows the LAST `:`; `*` and `0` mean an ephemeral port when
//!   binding (and in a connect's source part); a connect port of `*` is
//!   EINVAL; other ports are read like C `atoi` truncated to 16 bits (so
//!   `5555x` is 5555 and `70000` is 4464, exactly as libzmq), 0 being EINVAL;
//! - square brackets around the host are removed; `%zone` after an IPv6
//!   literal names a scope (interface name or number; unknown is EINVAL);
//! - bind host: `*` (INADDR_ANY, or in6addr_any with IPV6_V6ONLY off when
//!   the ZMQ_IPV6 option is on), an interface name (its first address of
//!   the wanted family), or a numeric address; anything else, host names
//!   included, is ENODEV (libzmq does no DNS for bind);
//! - connect host: numeric or resolved through the system resolver
//!   (EINVAL when it cannot be resolved); `src;dst` binds the source first,
//!   the source obeying the bind rules;
//! - with ZMQ_IPV6 on, IPv4 addresses become IPv4-mapped IPv6 addresses
//!   (`tcp://[::ffff:127.0.0.1]:port` as last endpoint, as libzmq).
//!
//! Socket options follow libzmq's tcp_listener/tcp_connecter: SO_REUSEADDR
//! on listeners (and on a connect's bound source), IP_TOS/IPV6_TCLASS when
//! tos != 0, SO_PRIORITY when priority != 0, SO_SNDBUF/SO_RCVBUF when >= 0,
//! SO_BINDTODEVICE when set; streams get TCP_NODELAY, the keep-alive
//! settings (-1 leaves the OS default) and TCP_USER_TIMEOUT for ZMQ_TCP_MAXRT.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6, ToSocketAddrs};
use std::os::fd::{AsFd, AsRawFd};
use std::time::Duration;

use socket2::{Domain, Protocol, SockAddr, SockRef, Socket, Type};

use super::{sys, ConnectFailure};
use crate::error::{Error, Result};

/// The TCP-related socket options, with libzmq's meaning: -1 is "leave the
/// OS default" where libzmq uses -1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpOptions {
    /// ZMQ_IPV6: use IPv6 sockets (IPv4 still reachable through mapping).
    pub ipv6: bool,
    /// ZMQ_SNDBUF, -1 = OS default.
    pub sndbuf: i32,
    /// ZMQ_RCVBUF, -1 = OS default.
    pub rcvbuf: i32,
    /// ZMQ_TOS, 0 = not set.
    pub tos: i32,
    /// ZMQ_TCP_KEEPALIVE: -1 OS default, 0 off, 1 on.
    pub keepalive: i32,
    /// ZMQ_TCP_KEEPALIVE_CNT, -1 = OS default.
    pub keepalive_cnt: i32,
    /// ZMQ_TCP_KEEPALIVE_IDLE (seconds), -1 = OS default.
    pub keepalive_idle: i32,
    /// ZMQ_TCP_KEEPALIVE_INTVL (seconds), -1 = OS default.
    pub keepalive_intvl: i32,
    /// ZMQ_BACKLOG.
    pub backlog: i32,
    /// ZMQ_BINDTODEVICE, None or empty = not bound.
    pub bindtodevice: Option<String>,
    /// ZMQ_TCP_MAXRT in milliseconds, 0 = OS default (TCP_USER_TIMEOUT).
    pub maxrt: i32,
    /// ZMQ_PRIORITY (SO_PRIORITY), 0 = not set.
    pub priority: i32,
}

impl Default for TcpOptions {
    /// libzmq 4.3's defaults (options.cpp).
    fn default() -> Self {
        TcpOptions {
            ipv6: false,
            sndbuf: -1,
            rcvbuf: -1,
            tos: 0,
            keepalive: -1,
            keepalive_cnt: -1,
            keepalive_idle: -1,
            keepalive_intvl: -1,
            backlog: 100,
            bindtodevice: None,
            maxrt: 0,
            priority: 0,
        }
    }
}

/// Where a TCP connect goes: an optional local address to bind first, and
/// the resolved peer addresses (the first is used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpTarget {
    pub source: Option<SocketAddr>,
    pub addrs: Vec<SocketAddr>,
}

fn os_err(errno: i32) -> io::Error {
    io::Error::from_raw_os_error(errno)
}

/// C `atoi` truncated to `uint16_t`, as libzmq reads ports: leading
/// whitespace, an optional sign, then digits up to the first non-digit.
pub(super) fn atoi_u16(s: &str) -> u16 {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, digits) = match (s.strip_prefix('-'), s.strip_prefix('+')) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        (None, None) => (false, s),
    };
    let mut v: u32 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            break;
        }
        v = v.wrapping_mul(10).wrapping_add(u32::from(b - b'0'));
    }
    let v = if neg { v.wrapping_neg() } else { v };
    v as u16
}

/// Parses the port part. `bindable` allows `*`.
fn parse_port(port: &str, bindable: bool) -> Result<u16> {
    match port {
        "*" if bindable => Ok(0),
        "*" => Err(Error::EINVAL),
        "0" => Ok(0),
        _ => match atoi_u16(port) {
            0 => Err(Error::EINVAL),
            p => Ok(p),
        },
    }
}

/// Splits `host:port` at the last colon and removes `[...]` around the host.
fn split_host_port(addr: &str) -> Result<(&str, &str)> {
    let (host, port) = addr.rsplit_once(':').ok_or(Error::EINVAL)?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    Ok((host, port))
}

/// Splits `host%zone` into the host and the IPv6 scope id (0 = none).
fn split_zone(host: &str) -> Result<(&str, u32)> {
    let Some((h, zone)) = host.rsplit_once('%') else {
        return Ok((host, 0));
    };
    let id = match zone.as_bytes().first() {
        None => return Err(Error::EINVAL),
        Some(c) if c.is_ascii_alphabetic() => sys::if_nametoindex(zone),
        Some(_) => u32::from(atoi_u16(zone)),
    };
    if id == 0 {
        return Err(Error::EINVAL);
    }
    Ok((h, id))
}

fn to_family(ip: IpAddr, ipv6: bool) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if ipv6 => IpAddr::V6(v4.to_ipv6_mapped()),
        other => other,
    }
}

fn make_addr(ip: IpAddr, port: u16, scope: u32) -> SocketAddr {
    match ip {
        IpAddr::V6(v6) => SocketAddr::V6(SocketAddrV6::new(v6, port, 0, scope)),
        IpAddr::V4(v4) => SocketAddr::new(IpAddr::V4(v4), port),
    }
}

/// Resolves a local (bindable) `host:port`: `*`, an interface name or a
/// numeric address; ENODEV otherwise.
pub(super) fn resolve_local(addr: &str, ipv6: bool) -> Result<SocketAddr> {
    let (host, port) = split_host_port(addr)?;
    let port = parse_port(port, true)?;
    let (host, mut scope) = split_zone(host)?;
    let ip = if host == "*" {
        if ipv6 {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        }
    } else if let Some((ip, if_scope)) = sys::interface_addr(host, ipv6)? {
        if scope == 0 {
            scope = if_scope;
        }
        ip
    } else {
        numeric_host(host, ipv6).ok_or(Error::ENODEV)?
    };
    Ok(make_addr(ip, port, scope))
}

/// A numeric host of the wanted family (IPv4 maps into IPv6 when `ipv6`).
fn numeric_host(host: &str, ipv6: bool) -> Option<IpAddr> {
    if let Ok(v4) = host.parse::<Ipv4Addr>() {
        return Some(to_family(IpAddr::V4(v4), ipv6));
    }
    if ipv6 {
        if let Ok(v6) = host.parse::<Ipv6Addr>() {
            return Some(IpAddr::V6(v6));
        }
    }
    None
}

/// Resolves a remote `host:port` (numeric or through the resolver).
pub(super) fn resolve_remote(addr: &str, ipv6: bool) -> Result<Vec<SocketAddr>> {
    let (host, port) = split_host_port(addr)?;
    let port = parse_port(port, false)?;
    let (host, scope) = split_zone(host)?;
    if let Some(ip) = numeric_host(host, ipv6) {
        return Ok(vec![make_addr(ip, port, scope)]);
    }
    if host.is_empty() || host.parse::<Ipv6Addr>().is_ok() {
        // An IPv6 literal without ZMQ_IPV6, or nothing at all.
        return Err(Error::EINVAL);
    }
    let found: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|_| Error::EINVAL)?
        .collect();
    let mut out: Vec<SocketAddr> = Vec::new();
    if ipv6 {
        out.extend(found.iter().filter(|a| a.is_ipv6()).copied());
    }
    for a in found.iter().filter(|a| a.is_ipv4()) {
        out.push(make_addr(to_family(a.ip(), ipv6), port, 0));
    }
    if out.is_empty() {
        return Err(Error::EINVAL);
    }
    Ok(out)
}

/// `tcp://1.2.3.4:5` or `tcp://[::1]:5`, as ZMQ_LAST_ENDPOINT shows it.
pub fn format_tcp_endpoint(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format!("tcp://{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("tcp://[{}]:{}", a.ip(), a.port()),
    }
}

/// Applies the options libzmq sets on a socket before bind/connect.
fn prepare_socket(sock: &Socket, v6: bool, opts: &TcpOptions) -> io::Result<()> {
    if v6 {
        // libzmq enables IPv4 mapping on every IPv6 TCP socket.
        sock.set_only_v6(false)?;
    }
    if let Some(dev) = opts.bindtodevice.as_deref().filter(|d| !d.is_empty()) {
        sock.bind_device(Some(dev.as_bytes()))?;
    }
    if opts.tos != 0 {
        if v6 {
            sys::setsockopt_int(sock, libc::IPPROTO_IPV6, libc::IPV6_TCLASS, opts.tos)?;
            // IP_TOS also matters for IPv4-mapped traffic; best effort.
            let _ = sys::setsockopt_int(sock, libc::IPPROTO_IP, libc::IP_TOS, opts.tos);
        } else {
            sys::setsockopt_int(sock, libc::IPPROTO_IP, libc::IP_TOS, opts.tos)?;
        }
    }
    if opts.priority != 0 {
        sys::setsockopt_int(sock, libc::SOL_SOCKET, libc::SO_PRIORITY, opts.priority)?;
    }
    if opts.sndbuf >= 0 {
        sys::setsockopt_int(sock, libc::SOL_SOCKET, libc::SO_SNDBUF, opts.sndbuf)?;
    }
    if opts.rcvbuf >= 0 {
        sys::setsockopt_int(sock, libc::SOL_SOCKET, libc::SO_RCVBUF, opts.rcvbuf)?;
    }
    Ok(())
}

fn new_tcp_socket(addr: &SocketAddr) -> io::Result<Socket> {
    Socket::new(
        Domain::for_address(*addr),
        Type::STREAM,
        Some(Protocol::TCP),
    )
}

/// Binds and listens on a `tcp://` address part (zmq_bind(3), zmq_tcp(7)).
///
/// Returns the non-blocking listener and the resolved endpoint for
/// ZMQ_LAST_ENDPOINT. Errors: EINVAL (syntax, bad port), ENODEV (unknown
/// interface or non-numeric host), EADDRINUSE, EADDRNOTAVAIL (not a local
/// address), or the OS error of a failing option.
///
/// As in libzmq, a `src;addr` form is accepted here too: the part before
/// the last `;` must resolve as a local address (else the same errors), and
/// is then ignored: the listener binds `addr`.
pub fn tcp_bind(addr: &str, opts: &TcpOptions) -> Result<(mio::net::TcpListener, String)> {
    let addr = match addr.rsplit_once(';') {
        Some((src, dst)) => {
            resolve_local(src, opts.ipv6)?;
            dst
        }
        None => addr,
    };
    let mut local = resolve_local(addr, opts.ipv6)?;
    let sock = match new_tcp_socket(&local) {
        Ok(s) => s,
        // No IPv6 in this kernel: libzmq falls back to IPv4 for "*".
        Err(e)
            if e.raw_os_error() == Some(libc::EAFNOSUPPORT)
                && local.ip() == IpAddr::V6(Ipv6Addr::UNSPECIFIED) =>
        {
            local = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), local.port());
            new_tcp_socket(&local)?
        }
        Err(e) => return Err(e.into()),
    };
    prepare_socket(&sock, local.is_ipv6(), opts)?;
    sock.set_reuse_address(true)?;
    sock.bind(&SockAddr::from(local))?;
    sock.listen(opts.backlog)?;
    into_listener(sock)
}

/// A listening socket made non-blocking and handed to mio, with the
/// endpoint of its local address (ZMQ_LAST_ENDPOINT).
fn into_listener(sock: Socket) -> Result<(mio::net::TcpListener, String)> {
    sock.set_nonblocking(true)?;
    let bound = sock
        .local_addr()?
        .as_socket()
        .ok_or(Error(libc::EAFNOSUPPORT))?;
    let endpoint = format_tcp_endpoint(&bound);
    let listener = mio::net::TcpListener::from_std(std::net::TcpListener::from(sock));
    Ok((listener, endpoint))
}

/// A tcp listener from a descriptor the application bound and set
/// listening itself (ZMQ_USE_FD): the address given to zmq_bind is not
/// used; ZMQ_LAST_ENDPOINT is the descriptor's local address.
pub fn tcp_listener_from_fd(fd: i32) -> Result<(mio::net::TcpListener, String)> {
    into_listener(Socket::from(sys::adopt_fd(fd)?))
}

/// libzmq's quick syntax check of a `tcp://` connect address, done at
/// zmq_connect(3) time (name resolution itself is deferred to the I/O
/// thread, so an unknown host does not fail zmq_connect): the address
/// starts with a letter, digit, `[` or `:`, holds only letters, digits and
/// `.-:%;[]_*`, and its last `:` is followed by a digit. EINVAL otherwise.
pub fn tcp_check_connect(addr: &str) -> Result<()> {
    let bytes = addr.as_bytes();
    let first_ok =
        matches!(bytes.first(), Some(c) if c.is_ascii_alphanumeric() || *c == b'[' || *c == b':');
    if !first_ok {
        return Err(Error::EINVAL);
    }
    let body_ok = bytes
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || b".-:%;[]_*".contains(c));
    if !body_ok {
        return Err(Error::EINVAL);
    }
    match addr.rsplit_once(':') {
        Some((_, port)) if port.as_bytes().first().is_some_and(u8::is_ascii_digit) => Ok(()),
        _ => Err(Error::EINVAL),
    }
}

/// Resolves a `tcp://` connect address part: `host:port`, `[v6]:port`, or
/// `src:port;host:port` (the source obeys the bind rules, its port may be
/// `*` or 0). May block on the system resolver. Errors: EINVAL (syntax,
/// port `*` or unparsable, unresolvable host), ENODEV (bad source).
pub fn tcp_resolve_connect(addr: &str, ipv6: bool) -> Result<TcpTarget> {
    let (source, dest) = match addr.rsplit_once(';') {
        Some((src, dst)) => (Some(resolve_local(src, ipv6)?), dst),
        None => (None, addr),
    };
    let addrs = resolve_remote(dest, ipv6)?;
    Ok(TcpTarget { source, addrs })
}

/// Starts a non-blocking connect to `target.addrs[0]` (binding the source
/// first if one is given). The connect is normally still in progress on
/// return: wait for writability, then call [`connect_finished`].
pub fn tcp_connect(target: &TcpTarget, opts: &TcpOptions) -> io::Result<mio::net::TcpStream> {
    tcp_start_connect(target, opts).map_err(|f| f.error)
}

/// [`tcp_connect`], telling on failure which fd the OS socket had when it
/// was made before the connect failed (libzmq reports that fd closed).
pub fn tcp_start_connect(
    target: &TcpTarget,
    opts: &TcpOptions,
) -> std::result::Result<mio::net::TcpStream, ConnectFailure> {
    let dest = *target.addrs.first().ok_or_else(|| os_err(libc::EINVAL))?;
    let sock = new_tcp_socket(&dest)?;
    let fd = sock.as_raw_fd();
    let opened = |error| ConnectFailure {
        error,
        fd: Some(fd),
    };
    sock.set_nonblocking(true).map_err(opened)?;
    prepare_socket(&sock, dest.is_ipv6(), opts).map_err(opened)?;
    if let Some(src) = target.source {
        sock.set_reuse_address(true).map_err(opened)?;
        sock.bind(&SockAddr::from(src)).map_err(opened)?;
    }
    match sock.connect(&SockAddr::from(dest)) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        Err(e) => return Err(opened(e)),
    }
    Ok(mio::net::TcpStream::from_std(std::net::TcpStream::from(
        sock,
    )))
}

/// Checks the outcome of a non-blocking connect once the socket is
/// writable: `Ok` when connected, else the pending socket error (SO_ERROR),
/// or ENOTCONN when the connect has not completed yet.
pub fn connect_finished<S: AsFd>(stream: &S) -> io::Result<()> {
    let sock = SockRef::from(stream);
    if let Some(e) = sock.take_error()? {
        return Err(e);
    }
    sock.peer_addr().map(|_| ())
}

/// Tunes an established TCP connection as libzmq does: TCP_NODELAY, the
/// keep-alive settings, TCP_USER_TIMEOUT (ZMQ_TCP_MAXRT), SO_SNDBUF,
/// SO_RCVBUF and the TOS.
pub fn tcp_tune_stream(s: &mio::net::TcpStream, opts: &TcpOptions) -> io::Result<()> {
    let sock = SockRef::from(s);
    sock.set_nodelay(true)?;
    if opts.keepalive != -1 {
        sys::setsockopt_int(s, libc::SOL_SOCKET, libc::SO_KEEPALIVE, opts.keepalive)?;
        if opts.keepalive_cnt != -1 {
            sys::setsockopt_int(s, libc::IPPROTO_TCP, libc::TCP_KEEPCNT, opts.keepalive_cnt)?;
        }
        if opts.keepalive_idle != -1 {
            sys::setsockopt_int(
                s,
                libc::IPPROTO_TCP,
                libc::TCP_KEEPIDLE,
                opts.keepalive_idle,
            )?;
        }
        if opts.keepalive_intvl != -1 {
            sys::setsockopt_int(
                s,
                libc::IPPROTO_TCP,
                libc::TCP_KEEPINTVL,
                opts.keepalive_intvl,
            )?;
        }
    }
    if opts.maxrt > 0 {
        let ms = u64::try_from(opts.maxrt).unwrap_or(0);
        sock.set_tcp_user_timeout(Some(Duration::from_millis(ms)))?;
    }
    let v6 = sock.local_addr()?.is_ipv6();
    if opts.sndbuf >= 0 {
        sys::setsockopt_int(s, libc::SOL_SOCKET, libc::SO_SNDBUF, opts.sndbuf)?;
    }
    if opts.rcvbuf >= 0 {
        sys::setsockopt_int(s, libc::SOL_SOCKET, libc::SO_RCVBUF, opts.rcvbuf)?;
    }
    if opts.tos != 0 {
        if v6 {
            sys::setsockopt_int(s, libc::IPPROTO_IPV6, libc::IPV6_TCLASS, opts.tos)?;
            let _ = sys::setsockopt_int(s, libc::IPPROTO_IP, libc::IP_TOS, opts.tos);
        } else {
            sys::setsockopt_int(s, libc::IPPROTO_IP, libc::IP_TOS, opts.tos)?;
        }
    }
    Ok(())
}

/// The "Peer-Address" metadata value of a connection, as libzmq makes it:
/// the peer's numeric IP for TCP (`127.0.0.1`, `::1`, `::ffff:127.0.0.1`),
/// and `localhost:UID:GID:PID` of the peer process for IPC. Empty when the
/// peer is unknown.
pub fn peer_address_string<S: AsFd>(s: &S) -> String {
    let sock = SockRef::from(s);
    let Ok(peer) = sock.peer_addr() else {
        return String::new();
    };
    if let Some(sa) = peer.as_socket() {
        return sa.ip().to_string();
    }
    if peer.family() == libc::AF_UNIX as libc::sa_family_t {
        return match sys::peer_cred(s) {
            Ok((uid, gid, pid)) => format!("localhost:{uid}:{gid}:{pid}"),
            Err(_) => "localhost".to_string(),
        };
    }
    String::new()
}

#[cfg(test)]
mod tests;
