//! The raw "protocol" of ZMQ_STREAM sockets: no ZMTP, bytes in and out
//! (zmq_socket(3), ZMQ_STREAM). Each read becomes one message; each message
//! sent is written as is; an empty message asks to close the connection
//! once what was queued is written. It offers the same surface as
//! `zmtp::Connection` so the session drives both the same way.

use crate::msg::{Metadata, Msg};
use crate::zmtp::{Event, SocketType};
use std::collections::VecDeque;
use std::sync::Arc;

pub struct RawConnection {
    out: Vec<u8>,
    events: VecDeque<Event>,
    close_requested: bool,
    meta: Arc<Metadata>,
}

impl RawConnection {
    pub fn new(peer_address: &str, fd: i32) -> RawConnection {
        let mut m = Metadata::new();
        m.insert("Peer-Address", peer_address.as_bytes());
        if fd >= 0 {
            m.insert(Metadata::SRCFD, fd.to_string().as_bytes());
        }
        let meta = Arc::new(m);
        let mut events = VecDeque::new();
        events.push_back(Event::Ready {
            peer_socket_type: SocketType::Stream,
            peer_routing_id: Vec::new(),
            metadata: meta.clone(),
        });
        RawConnection {
            out: Vec::new(),
            events,
            close_requested: false,
            meta,
        }
    }

    pub fn handle_input(&mut self, input: &[u8]) {
        if input.is_empty() {
            return;
        }
        let mut m = Msg::from_slice(input);
        m.set_metadata(Some(self.meta.clone()));
        self.events.push_back(Event::Message(m));
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    pub fn send(&mut self, msg: &Msg) {
        if msg.is_empty() {
            self.close_requested = true;
        } else if !self.close_requested {
            self.out.extend_from_slice(msg.data());
        }
    }

    pub fn output(&self) -> &[u8] {
        &self.out
    }

    pub fn output_len(&self) -> usize {
        self.out.len()
    }

    pub fn consume_output(&mut self, n: usize) {
        self.out.drain(..n.min(self.out.len()));
    }

    /// True once an empty message asked to close and all is written.
    pub fn wants_close(&self) -> bool {
        self.close_requested && self.out.is_empty()
    }
}
