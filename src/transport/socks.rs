//! The SOCKS5 client handshake a `tcp://` connect runs through a proxy
//! when ZMQ_SOCKS_PROXY is set (zmq_setsockopt(3); RFC 1928, and RFC 1929
//! for ZMQ_SOCKS_USERNAME / ZMQ_SOCKS_PASSWORD). No I/O: the I/O thread
//! writes [`SocksClient::output`], reads exactly [`SocksClient::wants`]
//! bytes and hands them to [`SocksClient::handle_input`], until
//! [`SocksClient::is_done`]; the stream then carries ZMTP.
//!
//! The exchange:
//! 1. greeting `05 01 m` offering one method: `00` (no authentication), or
//!    `02` (username/password) when a username is set, as libzmq does; the
//!    proxy answers `05 m`, `ff` (or any method not offered) is a refusal;
//! 2. with `02`: `01 ulen user plen pass`, answered `01 00` on success;
//! 3. `05 01 00 atyp addr port` (CONNECT): atyp `01` IPv4 or `04` IPv6 when
//!    the target host is a numeric address, `03` a domain name otherwise
//!    (never resolved here: the proxy resolves it); the reply
//!    `05 rep 00 atyp bnd.addr bnd.port` must have rep `00`; its bound
//!    address may be of any of the three types and is kept for inspection.
//!
//! Invariants: reads never go past the end of the proxy's reply (so no
//! ZMTP byte is consumed here); malformed or refusing answers are errors,
//! never panics.
//!
//! Differences from libzmq: a source-address prefix (`src;host:port`) of
//! the target is dropped (libzmq would send the whole string as a domain
//! name); a host name longer than 255 bytes, or empty, fails the connection
//! (libzmq asserts); IPv4 literals are recognised in dotted-quad form only.

use super::tcp::atoi_u16;
use std::net::{Ipv4Addr, Ipv6Addr};

const VERSION: u8 = 5;
const AUTH_VERSION: u8 = 1;
const METHOD_NONE: u8 = 0;
const METHOD_USERPASS: u8 = 2;
const CMD_CONNECT: u8 = 1;
const ATYP_IPV4: u8 = 1;
const ATYP_DOMAIN: u8 = 3;
const ATYP_IPV6: u8 = 4;

/// Why a SOCKS handshake failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocksError {
    /// The target `host:port` cannot be put in a CONNECT request.
    BadTarget,
    /// The proxy answered something that is not SOCKS5.
    Protocol,
    /// The proxy accepts none of the offered methods.
    NoMethod,
    /// Username/password rejected.
    AuthFailed,
    /// The CONNECT reply carried this non-zero code.
    Refused(u8),
}

/// The address the proxy reports in its CONNECT reply (BND.ADDR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundAddr {
    V4(Ipv4Addr),
    V6(Ipv6Addr),
    Domain(Vec<u8>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for the method choice (2 bytes).
    Choice,
    /// Waiting for the username/password status (2 bytes).
    Auth,
    /// Waiting for the CONNECT reply (variable length).
    Reply,
    Done,
}

/// One SOCKS5 client handshake.
#[derive(Debug)]
pub struct SocksClient {
    phase: Phase,
    method: u8,
    out: Vec<u8>,
    sent: usize,
    /// Bytes of the current answer received so far.
    input: Vec<u8>,
    auth: Vec<u8>,
    request: Vec<u8>,
    bound: Option<(BoundAddr, u16)>,
}

/// Splits a connect address part into the host (brackets removed) and a
/// non-zero port.
fn split_target(target: &str) -> Result<(&str, u16), SocksError> {
    let target = target.rsplit_once(';').map_or(target, |(_, t)| t);
    let (host, port) = target.rsplit_once(':').ok_or(SocksError::BadTarget)?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match atoi_u16(port) {
        0 => Err(SocksError::BadTarget),
        p => Ok((host, p)),
    }
}

/// The CONNECT request for `host:port`.
fn connect_request(target: &str) -> Result<Vec<u8>, SocksError> {
    let (host, port) = split_target(target)?;
    let mut r = vec![VERSION, CMD_CONNECT, 0];
    if let Ok(a) = host.parse::<Ipv4Addr>() {
        r.push(ATYP_IPV4);
        r.extend_from_slice(&a.octets());
    } else if let Ok(a) = host.parse::<Ipv6Addr>() {
        r.push(ATYP_IPV6);
        r.extend_from_slice(&a.octets());
    } else {
        let len = u8::try_from(host.len()).map_err(|_| SocksError::BadTarget)?;
        if len == 0 {
            return Err(SocksError::BadTarget);
        }
        r.push(ATYP_DOMAIN);
        r.push(len);
        r.extend_from_slice(host.as_bytes());
    }
    r.extend_from_slice(&port.to_be_bytes());
    Ok(r)
}

impl SocksClient {
    /// A handshake asking the proxy to connect to `target` (the address
    /// part of a `tcp://` endpoint). A non-empty `username` selects
    /// username/password authentication; both are at most 255 bytes
    /// (longer ones fail with `BadTarget`).
    pub fn new(target: &str, username: &[u8], password: &[u8]) -> Result<SocksClient, SocksError> {
        let request = connect_request(target)?;
        let (method, auth) = if username.is_empty() {
            (METHOD_NONE, Vec::new())
        } else {
            let ulen = u8::try_from(username.len()).map_err(|_| SocksError::BadTarget)?;
            let plen = u8::try_from(password.len()).map_err(|_| SocksError::BadTarget)?;
            let mut a = vec![AUTH_VERSION, ulen];
            a.extend_from_slice(username);
            a.push(plen);
            a.extend_from_slice(password);
            (METHOD_USERPASS, a)
        };
        Ok(SocksClient {
            phase: Phase::Choice,
            method,
            out: vec![VERSION, 1, method],
            sent: 0,
            input: Vec::new(),
            auth,
            request,
            bound: None,
        })
    }

    /// Bytes to write to the proxy now.
    pub fn output(&self) -> &[u8] {
        self.out.get(self.sent..).unwrap_or(&[])
    }

    /// `n` bytes of [`output`](Self::output) were written.
    pub fn consume_output(&mut self, n: usize) {
        self.sent = (self.sent + n).min(self.out.len());
        if self.sent == self.out.len() {
            self.out.clear();
            self.sent = 0;
        }
    }

    /// How many bytes to read next: 0 while output is pending or when done.
    /// Never more than the rest of the proxy's current answer.
    pub fn wants(&self) -> usize {
        if !self.output().is_empty() {
            return 0;
        }
        let have = self.input.len();
        let total = match self.phase {
            Phase::Choice | Phase::Auth => 2,
            Phase::Done => return 0,
            Phase::Reply => match self.input.get(3) {
                None => 4,
                Some(&ATYP_IPV4) => 4 + 4 + 2,
                Some(&ATYP_IPV6) => 4 + 16 + 2,
                // Unknown types are refused as soon as the header is in.
                Some(_) => match self.input.get(4) {
                    None => 5,
                    Some(&len) => 5 + usize::from(len) + 2,
                },
            },
        };
        total.saturating_sub(have)
    }

    /// Takes bytes read from the proxy (at most [`wants`](Self::wants)).
    pub fn handle_input(&mut self, data: &[u8]) -> Result<(), SocksError> {
        let mut data = data;
        while !data.is_empty() {
            let n = self.wants().min(data.len());
            if n == 0 {
                // More than the proxy's answer, or talking out of turn.
                return Err(SocksError::Protocol);
            }
            let (head, tail) = data.split_at_checked(n).ok_or(SocksError::Protocol)?;
            self.input.extend_from_slice(head);
            data = tail;
            self.check()?;
        }
        Ok(())
    }

    /// Validates what has arrived and moves on once an answer is complete.
    fn check(&mut self) -> Result<(), SocksError> {
        match self.phase {
            Phase::Choice => {
                if self.input.first().is_some_and(|&v| v != VERSION) {
                    return Err(SocksError::Protocol);
                }
                if let Some(&m) = self.input.get(1) {
                    if m != self.method {
                        return Err(SocksError::NoMethod);
                    }
                    self.input.clear();
                    if m == METHOD_USERPASS {
                        self.phase = Phase::Auth;
                        self.out = std::mem::take(&mut self.auth);
                    } else {
                        self.start_request();
                    }
                }
            }
            Phase::Auth => {
                if self.input.first().is_some_and(|&v| v != AUTH_VERSION) {
                    return Err(SocksError::Protocol);
                }
                if let Some(&status) = self.input.get(1) {
                    if status != 0 {
                        return Err(SocksError::AuthFailed);
                    }
                    self.input.clear();
                    self.start_request();
                }
            }
            Phase::Reply => {
                let i = &self.input;
                if i.first().is_some_and(|&v| v != VERSION) {
                    return Err(SocksError::Protocol);
                }
                if let Some(&rep) = i.get(1) {
                    if rep != 0 {
                        return Err(SocksError::Refused(rep));
                    }
                }
                if i.get(2).is_some_and(|&r| r != 0) {
                    return Err(SocksError::Protocol);
                }
                if i.get(3)
                    .is_some_and(|t| ![ATYP_IPV4, ATYP_DOMAIN, ATYP_IPV6].contains(t))
                {
                    return Err(SocksError::Protocol);
                }
                if i.len() >= 4 && self.wants() == 0 {
                    self.bound = Some(parse_bound(i)?);
                    self.input.clear();
                    self.phase = Phase::Done;
                }
            }
            Phase::Done => return Err(SocksError::Protocol),
        }
        Ok(())
    }

    fn start_request(&mut self) {
        self.phase = Phase::Reply;
        self.out = std::mem::take(&mut self.request);
        self.sent = 0;
    }

    /// The handshake succeeded: the stream now reaches the target.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The bound address and port of the proxy's reply, once done.
    pub fn bound(&self) -> Option<&(BoundAddr, u16)> {
        self.bound.as_ref()
    }
}

/// Reads BND.ADDR and BND.PORT from a complete CONNECT reply.
fn parse_bound(reply: &[u8]) -> Result<(BoundAddr, u16), SocksError> {
    let rest = reply.get(4..).ok_or(SocksError::Protocol)?;
    let (addr, port) = match reply.get(3) {
        Some(&ATYP_IPV4) => {
            let a: [u8; 4] = rest
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .ok_or(SocksError::Protocol)?;
            (BoundAddr::V4(Ipv4Addr::from(a)), rest.get(4..))
        }
        Some(&ATYP_IPV6) => {
            let a: [u8; 16] = rest
                .get(..16)
                .and_then(|b| b.try_into().ok())
                .ok_or(SocksError::Protocol)?;
            (BoundAddr::V6(Ipv6Addr::from(a)), rest.get(16..))
        }
        Some(&ATYP_DOMAIN) => {
            let len = usize::from(*rest.first().ok_or(SocksError::Protocol)?);
            let name = rest.get(1..1 + len).ok_or(SocksError::Protocol)?;
            (BoundAddr::Domain(name.to_vec()), rest.get(1 + len..))
        }
        _ => return Err(SocksError::Protocol),
    };
    match port {
        Some(&[hi, lo]) => Ok((addr, u16::from_be_bytes([hi, lo]))),
        _ => Err(SocksError::Protocol),
    }
}

#[cfg(test)]
mod tests;
