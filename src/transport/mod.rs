//! Transports: endpoint parsing and the OS sockets behind `tcp://`,
//! `ipc://` and `udp://` (zmq_bind(3), zmq_connect(3), zmq_tcp(7),
//! zmq_ipc(7), zmq_udp(7), zmq_inproc(7)).
//!
//! This layer knows nothing of ZMTP or of ZeroMQ sockets: it turns endpoint
//! strings into non-blocking mio listeners and streams, tuned with the TCP
//! options libzmq applies, and reports errors as libzmq's errno values.
//! `inproc://` is only parsed here; the socket core joins inproc sockets
//! itself.
//!
//! Invariants:
//! - every socket returned is non-blocking and close-on-exec;
//! - no function here blocks except [`tcp_resolve_connect`], which may ask
//!   the system resolver (call it from an I/O thread, never the user's);
//! - all `unsafe` is in [`sys`], behind helpers returning `io::Result`.
//!
//! Error rules checked against Debian's libzmq 4.3.4 (see each function).

mod ipc;
pub mod socks;
pub mod sys;
mod tcp;
mod udp;

pub use ipc::{
    format_ipc_endpoint, ipc_bind, ipc_bind_with_backlog, ipc_check_path, ipc_cleanup, ipc_connect,
    ipc_listener_from_fd, ipc_start_connect,
};
pub use tcp::{
    connect_finished, format_tcp_endpoint, peer_address_string, tcp_bind, tcp_check_connect,
    tcp_connect, tcp_listener_from_fd, tcp_resolve_connect, tcp_start_connect, tcp_tune_stream,
    TcpOptions, TcpTarget,
};
pub use udp::{
    format_peer, parse_peer, peer_for_socket, udp_open, udp_resolve, UdpAddr, UdpOptions,
};

use crate::error::{Error, Result};

/// A connect that failed at once: the error, and the fd of the OS socket
/// if one was made first (libzmq closes it with ZMQ_EVENT_CLOSED).
#[derive(Debug)]
pub struct ConnectFailure {
    pub error: std::io::Error,
    pub fd: Option<i32>,
}

impl From<std::io::Error> for ConnectFailure {
    fn from(error: std::io::Error) -> Self {
        ConnectFailure { error, fd: None }
    }
}

/// A parsed endpoint: the transport and the address part after `proto://`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `tcp://address`
    Tcp(String),
    /// `ipc://path`
    Ipc(String),
    /// `inproc://name`
    Inproc(String),
    /// `udp://address`
    Udp(String),
}

impl Endpoint {
    /// The protocol name as it appears before `://`.
    pub fn protocol(&self) -> &'static str {
        match self {
            Endpoint::Tcp(_) => "tcp",
            Endpoint::Ipc(_) => "ipc",
            Endpoint::Inproc(_) => "inproc",
            Endpoint::Udp(_) => "udp",
        }
    }

    /// The address part after `://`.
    pub fn address(&self) -> &str {
        match self {
            Endpoint::Tcp(a) | Endpoint::Ipc(a) | Endpoint::Inproc(a) | Endpoint::Udp(a) => a,
        }
    }
}

/// Parses `"proto://address"`.
///
/// As libzmq: no `"://"` or an empty protocol or address gives EINVAL; a
/// protocol we do not implement gives EPROTONOSUPPORT (that includes pgm,
/// epgm, norm, tipc, vmci, ws and wss; Debian's libzmq, built with
/// some of them, would answer ENOCOMPATPROTO or EINVAL for those instead).
/// Protocol names are case-sensitive.
pub fn parse(endpoint: &str) -> Result<Endpoint> {
    let (protocol, address) = endpoint.split_once("://").ok_or(Error::EINVAL)?;
    if protocol.is_empty() || address.is_empty() {
        return Err(Error::EINVAL);
    }
    let address = address.to_string();
    match protocol {
        "tcp" => Ok(Endpoint::Tcp(address)),
        "ipc" => Ok(Endpoint::Ipc(address)),
        "inproc" => Ok(Endpoint::Inproc(address)),
        "udp" => Ok(Endpoint::Udp(address)),
        _ => Err(Error::EPROTONOSUPPORT),
    }
}

#[cfg(test)]
mod tests;
