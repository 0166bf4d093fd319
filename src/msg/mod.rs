//! Messages: the body of the 64-byte `zmq_msg_t` (zmq_msg_init(3)).
//!
//! TEMPORARY STUB: the public API below is the contract the rest of the
//! crate codes against; the real 64-byte layout replaces the internals.

use bytes::Bytes;
use std::sync::Arc;

/// Properties attached to received messages (zmq_msg_gets(3)).
#[derive(Debug, Default, Clone)]
pub struct Metadata {
    entries: Vec<(String, Bytes)>,
}

impl Metadata {
    pub fn new() -> Metadata {
        Metadata::default()
    }
    /// Adds (or replaces) a property.
    pub fn insert(&mut self, name: &str, value: &[u8]) {
        self.entries.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.entries.push((name.to_string(), Bytes::copy_from_slice(value)));
    }
    /// Looks a property up, case-insensitively as libzmq does.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| &v[..])
    }
}

/// One message frame.
#[derive(Clone, Default)]
pub struct Msg {
    data: Bytes,
    flags: u8,
    routing_id: u32,
    meta: Option<Arc<Metadata>>,
}

impl Msg {
    pub const MORE: u8 = 1;
    pub const COMMAND: u8 = 2;
    pub const CREDENTIAL: u8 = 32;
    pub const ROUTING_ID: u8 = 64;

    pub fn new() -> Msg {
        Msg::default()
    }
    pub fn from_slice(d: &[u8]) -> Msg {
        Msg::from_bytes(Bytes::copy_from_slice(d))
    }
    pub fn from_vec(v: Vec<u8>) -> Msg {
        Msg::from_bytes(Bytes::from(v))
    }
    pub fn from_bytes(b: Bytes) -> Msg {
        Msg {
            data: b,
            ..Msg::default()
        }
    }
    pub fn with_size(n: usize) -> Msg {
        Msg::from_vec(vec![0; n])
    }
    pub fn data(&self) -> &[u8] {
        &self.data
    }
    pub fn len(&self) -> usize {
        self.data.len()
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    /// A cheap handle on the body (shared for large bodies).
    pub fn to_bytes(&self) -> Bytes {
        self.data.clone()
    }
    pub fn flags(&self) -> u8 {
        self.flags
    }
    pub fn set_flags(&mut self, f: u8) {
        self.flags |= f;
    }
    pub fn reset_flags(&mut self, f: u8) {
        self.flags &= !f;
    }
    pub fn more(&self) -> bool {
        self.flags & Msg::MORE != 0
    }
    pub fn set_more(&mut self, more: bool) {
        if more {
            self.flags |= Msg::MORE
        } else {
            self.flags &= !Msg::MORE
        }
    }
    pub fn is_command(&self) -> bool {
        self.flags & Msg::COMMAND != 0
    }
    pub fn routing_id(&self) -> u32 {
        self.routing_id
    }
    pub fn set_routing_id(&mut self, id: u32) {
        self.routing_id = id;
    }
    pub fn metadata(&self) -> Option<&Arc<Metadata>> {
        self.meta.as_ref()
    }
    pub fn set_metadata(&mut self, m: Option<Arc<Metadata>>) {
        self.meta = m;
    }
}
