//! The `udp://` transport (zmq_udp(7)): address resolution, the datagram
//! socket behind a RADIO connect or a DISH/DGRAM bind, and the text form
//! of a DGRAM peer address.
//!
//! Address rules, read from libzmq 4.3's udp_address/ip_resolver (written
//! anew here, with the tcp helpers of this crate):
//! - `host:port`, the port after the LAST `:` (`*` and `0` are an
//!   ephemeral port when binding; a connect port of `*` is EINVAL);
//! - binding: `*`, an interface name or a numeric address (no DNS;
//!   anything else is ENODEV), as for tcp;
//! - connecting: numeric or through the system resolver (EINVAL when
//!   unknown);
//! - `iface;group:port`: the part before `;` is a local interface or
//!   address (no port) and the target must then be a multicast group
//!   (EINVAL otherwise; a multicast source is EINVAL too);
//! - a multicast target is joined (IP_ADD_MEMBERSHIP) by a receiving
//!   socket, which binds the ANY address at the group's port with
//!   SO_REUSEADDR and SO_REUSEPORT; a sending socket gets
//!   IP_MULTICAST_LOOP (ZMQ_MULTICAST_LOOP), IP_MULTICAST_TTL
//!   (ZMQ_MULTICAST_HOPS) and the outgoing interface when one was named;
//! - a unicast bind address is where the socket listens; a unicast
//!   connect address is where datagrams go.
//!
//! IPv4-mapped IPv6 addresses (ZMQ_IPV6 maps IPv4 addresses) are turned
//! back into IPv4 ones: a udp socket has one family, and multicast tests
//! need the plain form.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use super::sys;
use super::tcp::{atoi_u16, resolve_local, resolve_remote};
use crate::error::{Error, Result};

/// A resolved `udp://` address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpAddr {
    /// Where datagrams go (connect), or the group to join (multicast);
    /// for a unicast bind, the bind address itself.
    pub target: SocketAddr,
    /// Where a receiving socket binds.
    pub bind: SocketAddr,
    /// The interface named before `;` (its index, 0 for none or `*`).
    pub bind_if: u32,
    /// `target` is a multicast group.
    pub multicast: bool,
}

/// The socket options that apply to udp sockets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpOptions {
    /// ZMQ_MULTICAST_LOOP.
    pub multicast_loop: bool,
    /// ZMQ_MULTICAST_HOPS (the TTL of multicast datagrams).
    pub multicast_hops: i32,
    /// ZMQ_SNDBUF, -1 = OS default.
    pub sndbuf: i32,
    /// ZMQ_RCVBUF, -1 = OS default.
    pub rcvbuf: i32,
    /// ZMQ_BINDTODEVICE, None = not bound.
    pub bindtodevice: Option<String>,
}

/// An IPv4-mapped IPv6 address as plain IPv4.
fn canonical(a: SocketAddr) -> SocketAddr {
    SocketAddr::new(a.ip().to_canonical(), a.port())
}

fn any_of(family_of: &SocketAddr, port: u16) -> SocketAddr {
    let ip = if family_of.is_ipv4() {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    } else {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    };
    SocketAddr::new(ip, port)
}

/// Resolves the address part of a `udp://` endpoint for a bind
/// (`bind`: the socket receives there) or a connect (it sends there).
/// Errors: EINVAL (syntax, port, unknown host, unicast group with an
/// interface, families that differ), ENODEV (a bind host that is not an
/// interface or a numeric address).
pub fn udp_resolve(addr: &str, bind: bool, ipv6: bool) -> Result<UdpAddr> {
    let (source, dest) = match addr.rsplit_once(';') {
        Some((src, dst)) => (Some(src), dst),
        None => (None, addr),
    };
    let mut src: Option<(SocketAddr, u32)> = None;
    if let Some(name) = source {
        // The source part carries no port: borrow the bind rules with one.
        let a = canonical(resolve_local(&format!("{name}:0"), ipv6)?);
        if a.ip().is_multicast() {
            return Err(Error::EINVAL);
        }
        let index = if name == "*" {
            0
        } else {
            sys::if_nametoindex(name)
        };
        src = Some((a, index));
    }
    let target = if bind && src.is_none() {
        canonical(resolve_local(dest, ipv6)?)
    } else {
        let found = resolve_remote(dest, ipv6)?;
        canonical(*found.first().ok_or(Error::EINVAL)?)
    };
    let multicast = target.ip().is_multicast();
    let (bind_addr, bind_if) = match src {
        Some((a, index)) => {
            if !multicast {
                return Err(Error::EINVAL);
            }
            (SocketAddr::new(a.ip(), target.port()), index)
        }
        None if multicast || !bind => (any_of(&target, target.port()), 0),
        None => (target, 0),
    };
    if bind_addr.is_ipv4() != target.is_ipv4() {
        return Err(Error::EINVAL);
    }
    Ok(UdpAddr {
        target,
        bind: bind_addr,
        bind_if,
        multicast,
    })
}

/// Opens the datagram socket for `addr`: bound when it receives
/// (`recv`), set up for multicast sending when it sends to a group.
/// Errors are the OS's (EADDRINUSE, EADDRNOTAVAIL, ...).
pub fn udp_open(
    addr: &UdpAddr,
    send: bool,
    recv: bool,
    opts: &UdpOptions,
) -> Result<mio::net::UdpSocket> {
    let sock = Socket::new(
        Domain::for_address(addr.bind),
        Type::DGRAM,
        Some(Protocol::UDP),
    )?;
    sock.set_nonblocking(true)?;
    if addr.bind.is_ipv6() {
        sock.set_only_v6(false)?;
    }
    if let Some(dev) = opts.bindtodevice.as_deref().filter(|d| !d.is_empty()) {
        sock.bind_device(Some(dev.as_bytes()))?;
    }
    if opts.sndbuf >= 0 {
        sys::setsockopt_int(&sock, libc::SOL_SOCKET, libc::SO_SNDBUF, opts.sndbuf)?;
    }
    if opts.rcvbuf >= 0 {
        sys::setsockopt_int(&sock, libc::SOL_SOCKET, libc::SO_RCVBUF, opts.rcvbuf)?;
    }
    if send && addr.multicast {
        setup_multicast_send(&sock, addr, opts)?;
    }
    if recv {
        sock.set_reuse_address(true)?;
        let local = if addr.multicast {
            // Every socket on the group's port gets the group's datagrams.
            sock.set_reuse_port(true)?;
            any_of(&addr.bind, addr.bind.port())
        } else {
            addr.bind
        };
        sock.bind(&SockAddr::from(local))?;
        if addr.multicast {
            join_group(&sock, addr)?;
        }
    }
    Ok(mio::net::UdpSocket::from_std(std::net::UdpSocket::from(
        sock,
    )))
}

fn setup_multicast_send(sock: &Socket, addr: &UdpAddr, opts: &UdpOptions) -> io::Result<()> {
    match (addr.target.ip(), addr.bind.ip()) {
        (IpAddr::V4(_), IpAddr::V4(local)) => {
            sock.set_multicast_loop_v4(opts.multicast_loop)?;
            if opts.multicast_hops > 0 {
                sock.set_multicast_ttl_v4(opts.multicast_hops as u32)?;
            }
            if !local.is_unspecified() {
                sock.set_multicast_if_v4(&local)?;
            }
        }
        _ => {
            sock.set_multicast_loop_v6(opts.multicast_loop)?;
            if opts.multicast_hops > 0 {
                sock.set_multicast_hops_v6(opts.multicast_hops as u32)?;
            }
            if addr.bind_if > 0 {
                sock.set_multicast_if_v6(addr.bind_if)?;
            }
        }
    }
    Ok(())
}

fn join_group(sock: &Socket, addr: &UdpAddr) -> io::Result<()> {
    match (addr.target.ip(), addr.bind.ip()) {
        (IpAddr::V4(group), IpAddr::V4(local)) => sock.join_multicast_v4(&group, &local),
        (IpAddr::V6(group), _) => sock.join_multicast_v6(&group, addr.bind_if),
        _ => Err(io::Error::from_raw_os_error(libc::EINVAL)),
    }
}

/// The peer address frame of a DGRAM message, as libzmq makes it:
/// `ip:port` followed by a NUL byte (libzmq counts the terminator in the
/// frame's size).
pub fn format_peer(addr: &SocketAddr) -> Vec<u8> {
    let text = match canonical(*addr) {
        SocketAddr::V4(a) => format!("{}:{}\0", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("[{}]:{}\0", a.ip(), a.port()),
    };
    text.into_bytes()
}

/// Reads the address frame of a DGRAM message: `ip:port`, trailing NULs
/// ignored, the port read like C `atoi` (0 is invalid), the host a
/// numeric IPv4 address (or `[v6]`). None when it is not one; libzmq
/// drops such a message.
pub fn parse_peer(frame: &[u8]) -> Option<SocketAddr> {
    let end = frame.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    let text = std::str::from_utf8(frame.get(..end)?).ok()?;
    let (host, port) = text.rsplit_once(':')?;
    let port = atoi_u16(port);
    if port == 0 {
        return None;
    }
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    Some(SocketAddr::new(ip, port))
}

/// The address to send to from a socket bound as `local`: a socket of
/// the other family cannot reach it, except IPv4 from a dual-stack IPv6
/// socket (through the mapped form).
pub fn peer_for_socket(peer: SocketAddr, local_is_v6: bool) -> SocketAddr {
    match peer.ip() {
        IpAddr::V4(v4) if local_is_v6 => {
            SocketAddr::new(IpAddr::V6(v4.to_ipv6_mapped()), peer.port())
        }
        _ => peer,
    }
}

#[cfg(test)]
mod tests;
