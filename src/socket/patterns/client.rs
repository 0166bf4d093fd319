//! CLIENT, SCATTER and GATHER (zmq_socket(3), draft): single-part
//! relatives of DEALER, PUSH and PULL.
//!
//! | type    | compatible peer | sends                  | receives     |
//! |---------|-----------------|------------------------|--------------|
//! | CLIENT  | SERVER          | load-balanced          | fair-queued  |
//! | SCATTER | GATHER          | load-balanced          | no (ENOTSUP) |
//! | GATHER  | SCATTER         | no (ENOTSUP)           | fair-queued  |
//!
//! Sending blocks (or EAGAIN) while no peer can take a message, as DEALER
//! and PUSH do. ZMQ_SNDMORE is EINVAL; multipart messages from peers are
//! dropped (see `single`).

use super::dealer::Dealer;
use super::single::{refuse_more, skip_multipart};
use crate::error::{Error, Result};
use crate::msg::Msg;
use crate::socket::pipes::{PipeId, Pipes};
use crate::socket::Pattern;

/// DEALER's load-balancing and fair-queuing, restricted to single-part
/// messages and to the directions the type has.
#[derive(Default)]
pub struct Balanced {
    dealer: Dealer,
    sends: bool,
    receives: bool,
}

impl Balanced {
    pub fn client() -> Balanced {
        Balanced {
            sends: true,
            receives: true,
            ..Default::default()
        }
    }
    pub fn scatter() -> Balanced {
        Balanced {
            sends: true,
            ..Default::default()
        }
    }
    pub fn gather() -> Balanced {
        Balanced {
            receives: true,
            ..Default::default()
        }
    }
}

impl Pattern for Balanced {
    fn attach(&mut self, pipes: &mut Pipes, id: PipeId) -> bool {
        self.dealer.attach(pipes, id)
    }
    fn detach(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.dealer.detach(pipes, id)
    }
    fn read_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.dealer.read_ready(pipes, id)
    }
    fn write_ready(&mut self, pipes: &mut Pipes, id: PipeId) {
        self.dealer.write_ready(pipes, id)
    }
    fn send(&mut self, pipes: &mut Pipes, msg: Msg) -> std::result::Result<(), (Error, Msg)> {
        if !self.sends {
            return Err((Error::ENOTSUP, msg));
        }
        let mut msg = refuse_more(msg)?;
        msg.set_routing_id(0);
        self.dealer.send(pipes, msg)
    }
    fn recv(&mut self, pipes: &mut Pipes) -> Result<Msg> {
        if !self.receives {
            return Err(Error::ENOTSUP);
        }
        let dealer = &mut self.dealer;
        skip_multipart(|| dealer.recv(pipes).map(|m| (m, ()))).map(|(m, _)| m)
    }
    fn has_in(&mut self, pipes: &mut Pipes) -> bool {
        self.receives && self.dealer.has_in(pipes)
    }
    fn has_out(&mut self, pipes: &mut Pipes) -> bool {
        self.sends && self.dealer.has_out(pipes)
    }
}
