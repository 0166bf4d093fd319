//! Temporary stand-in for `crate::zmtp` while the protocol module lands:
//! the same API, no protocol (every handshake fails).
#![allow(dead_code)]

use crate::msg::{Metadata, Msg};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketType {
    Pair = 0,
}
impl SocketType {
    pub fn from_i32(_v: i32) -> Option<Self> {
        Some(SocketType::Pair)
    }
}
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
pub struct Config {
    pub socket_type: SocketType,
    pub routing_id: Vec<u8>,
    pub mechanism: MechanismConfig,
    pub zap_domain: Vec<u8>,
    pub zap_enforce_domain: bool,
    pub zap: bool,
    pub maxmsgsize: i64,
    pub heartbeat_ivl: Option<Duration>,
    pub heartbeat_timeout: Option<Duration>,
    pub heartbeat_ttl: Option<Duration>,
    pub handshake_ivl: Option<Duration>,
    pub metadata: Vec<(String, Vec<u8>)>,
    pub peer_address: String,
}
pub enum Event {
    Ready {
        peer_socket_type: SocketType,
        peer_routing_id: Vec<u8>,
        metadata: Arc<Metadata>,
    },
    Message(Msg),
    ZapRequest(Vec<Msg>),
}
pub struct Connection;
impl Connection {
    pub fn new(_cfg: Config, _now: Instant) -> Connection {
        Connection
    }
    pub fn handle_input(&mut self, _i: &[u8], _now: Instant) -> Result<(), ()> {
        Err(())
    }
    pub fn output(&self) -> &[u8] {
        &[]
    }
    pub fn consume_output(&mut self, _n: usize) {}
    pub fn output_len(&self) -> usize {
        0
    }
    pub fn poll_event(&mut self) -> Option<Event> {
        None
    }
    pub fn send(&mut self, _m: &Msg) {}
    pub fn handle_timeout(&mut self, _now: Instant) -> Result<(), ()> {
        Ok(())
    }
    pub fn next_timeout(&self) -> Option<Instant> {
        None
    }
}
