//! REQ: strict request/reply from the client side (zmq_socket(3)).
//! Compatible peers: REP, ROUTER.
//!
//! Sends an empty delimiter before each request (preceded by a 4-byte
//! request id under ZMQ_REQ_CORRELATE), load-balanced like DEALER; then
//! accepts one reply, only from the peer that got the request. Sending
//! twice or receiving before sending fails with EFSM, unless
//! ZMQ_REQ_RELAXED, which lets a new request abandon the old one.
//! ZMQ_PROBE_ROUTER is accepted as on DEALER (libzmq's REQ is built on its
//! DEALER): an empty message goes to every new peer.

use super::{flag_opt, int_opt};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{FairQueue, LoadBalancer, PipeId, Pipes};
use crate::socket::Pattern;

const ZMQ_REQ_CORRELATE: i32 = 52;
const ZMQ_REQ_RELAXED: i32 = 53;
const ZMQ_PROBE_ROUTER: i32 = 51;

pub struct Req {
    lb: LoadBalancer,
    fq: FairQueue,
    receiving_reply: bool,
    request_begins: bool,
    reply_begins: bool,
    reply_pipe: Option<PipeId>,
    request_id: u32,
    correlate: bool,
    relaxed: bool,
    probe_router: bool,
}

impl Default for Req {
    fn default() -> Self {
        let mut seed = [0u8; 4];
        let _ = getrandom::getrandom(&mut seed);
        Req {
            lb: LoadBalancer::default(),
            fq: FairQueue::default(),
            receiving_reply: false,
            request_begins: true,
            reply_begins: true,
            reply_pipe: None,
            request_id: u32::from_ne_bytes(seed),
            correlate: false,
            relaxed: false,
            probe_router: false,
        }
    }
}

impl Req {
    /// Reads one frame from the reply pipe, dropping frames from others.
    fn recv_from_reply_pipe(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        loop {
            let (m, id) = self.fq.recv(pipes)?;
            if self.reply_pipe.is_none() || self.reply_pipe == Some(id) {
                return Ok(m);
            }
        }
    }

    /// Drops the rest of the current message.
    fn drop_rest(&mut self, pipes: &mut Pipes, mut more: bool) -> Result<()> {
        while more {
            more = self.recv_from_reply_pipe(pipes)?.more();
        }
        Ok(())
    }
}

impl Pattern for Req {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        // Sessions send the probe at the handshake; inproc has none.
        if self.probe_router && pipes.get(id).is_some_and(|s| s.info.inproc) {
            let _ = pipes.write(id, Msg::new());
        }
        self.lb.attach(pipes, id);
        self.fq.attach(pipes, id);
        true
    }
    fn detach(&mut self, _pipes: &mut Pipes, id: PipeId) {
        self.lb.detach(id);
        self.fq.detach(id);
        if self.reply_pipe == Some(id) {
            self.reply_pipe = None;
            if self.relaxed {
                self.receiving_reply = false;
                self.request_begins = true;
            }
        }
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.fq.activate(pipes, id);
    }
    fn write_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.lb.activate(pipes, id);
    }

    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if self.receiving_reply {
            if !self.relaxed {
                return Err((Error::EFSM, msg));
            }
            self.receiving_reply = false;
            self.request_begins = true;
        }
        if self.request_begins {
            if !self.lb.has_out(pipes) {
                return Err((Error::EAGAIN, msg));
            }
            self.reply_pipe = None;
            if self.correlate {
                self.request_id = self.request_id.wrapping_add(1);
                let mut idf = Msg::from_slice(&self.request_id.to_ne_bytes());
                idf.set_more(true);
                match self.lb.send(pipes, idf) {
                    Ok(p) => self.reply_pipe = p,
                    Err((e, _)) => return Err((e, msg)),
                }
            }
            let mut delim = Msg::new();
            delim.set_more(true);
            match self.lb.send(pipes, delim) {
                Ok(p) => {
                    if self.reply_pipe.is_none() {
                        self.reply_pipe = p;
                    }
                }
                Err((e, _)) => return Err((e, msg)),
            }
            self.request_begins = false;
            // Stale replies to earlier requests must not be taken for
            // the answer to this one.
            while let Ok((m, _)) = self.fq.recv(pipes) {
                let _ = m;
            }
        }
        let more = msg.more();
        if let Err((e, m)) = self.lb.send(pipes, msg) {
            return Err((e, m));
        }
        if !more {
            self.receiving_reply = true;
            self.request_begins = true;
            self.reply_begins = true;
        }
        Ok(())
    }

    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if !self.receiving_reply {
            return Err(Error::EFSM);
        }
        while self.reply_begins {
            if self.correlate {
                let m = self.recv_from_reply_pipe(pipes)?;
                let ok = m.more() && m.data() == self.request_id.to_ne_bytes();
                if !ok {
                    self.drop_rest(pipes, m.more())?;
                    continue;
                }
            }
            let m = self.recv_from_reply_pipe(pipes)?;
            if !(m.more() && m.is_empty()) {
                self.drop_rest(pipes, m.more())?;
                continue;
            }
            self.reply_begins = false;
        }
        let m = self.recv_from_reply_pipe(pipes)?;
        if !m.more() {
            self.receiving_reply = false;
            self.reply_begins = true;
        }
        Ok(m)
    }

    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.receiving_reply && self.fq.has_in(pipes)
    }
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        (!self.receiving_reply || self.relaxed) && self.lb.has_out(pipes)
    }

    fn setsockopt(&mut self, _pipes: &mut Pipes, opt: i32, val: &[u8]) -> Result<()> {
        let v = match opt {
            ZMQ_PROBE_ROUTER => {
                self.probe_router = flag_opt(val)?;
                return Ok(());
            }
            ZMQ_REQ_CORRELATE | ZMQ_REQ_RELAXED => int_opt(val)?,
            _ => return Err(Error::EINVAL),
        };
        if v < 0 {
            return Err(Error::EINVAL);
        }
        if opt == ZMQ_REQ_CORRELATE {
            self.correlate = v != 0;
        } else {
            self.relaxed = v != 0;
        }
        Ok(())
    }
}
