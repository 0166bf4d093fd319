//! One file per socket type; each is a routing policy over the shared
//! strategies in `super::pipes` (zmq_socket(3)). The draft types
//! (SERVER .. CHANNEL) are single-part; their shared rules are in `single`.

mod channel;
mod client;
mod dealer;
mod dgram;
mod dish;
mod pair;
mod pub_;
mod pull;
mod push;
mod radio;
mod rep;
mod req;
mod router;
mod server;
mod single;
mod stream;
mod sub;
mod xpub;
mod xsub;

use super::Pattern;
use crate::error::{Error, Result};

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
pub use crate::socket::options::consts::{
    ZMQ_CHANNEL, ZMQ_CLIENT, ZMQ_DGRAM, ZMQ_DISH, ZMQ_GATHER, ZMQ_PEER, ZMQ_RADIO, ZMQ_SCATTER,
    ZMQ_SERVER,
};

/// Makes the routing policy of `socket_type`; EINVAL for unknown types.
pub fn new_pattern(socket_type: i32) -> Result<Box<dyn Pattern>> {
    Ok(match socket_type {
        ZMQ_PAIR => Box::new(pair::Pair::default()),
        ZMQ_PUSH => Box::new(push::Push::default()),
        ZMQ_PULL => Box::new(pull::Pull::default()),
        ZMQ_DEALER => Box::new(dealer::Dealer::default()),
        ZMQ_ROUTER => Box::new(router::Router::new()),
        ZMQ_REQ => Box::new(req::Req::default()),
        ZMQ_REP => Box::new(rep::Rep::default()),
        ZMQ_STREAM => Box::new(stream::Stream::new()),
        ZMQ_PUB => Box::new(pub_::new_pub()),
        ZMQ_SUB => Box::new(sub::Sub::default()),
        ZMQ_XPUB => Box::new(xpub::XPub::new(false)),
        ZMQ_XSUB => Box::new(xsub::XSub::default()),
        ZMQ_SERVER | ZMQ_PEER => Box::new(server::Server::new()),
        ZMQ_CLIENT => Box::new(client::Balanced::client()),
        ZMQ_SCATTER => Box::new(client::Balanced::scatter()),
        ZMQ_GATHER => Box::new(client::Balanced::gather()),
        ZMQ_RADIO => Box::new(radio::Radio::new()),
        ZMQ_DISH => Box::new(dish::Dish::new()),
        ZMQ_CHANNEL => Box::new(channel::Channel::default()),
        ZMQ_DGRAM => Box::new(dgram::Dgram::default()),
        _ => return Err(Error::EINVAL),
    })
}

/// Reads a boolean (int) option value.
pub(crate) fn int_opt(val: &[u8]) -> Result<i32> {
    let b: [u8; 4] = val.try_into().map_err(|_| Error::EINVAL)?;
    Ok(i32::from_ne_bytes(b))
}

/// Reads a flag option: an int, negative refused (EINVAL), non-zero on.
pub(crate) fn flag_opt(val: &[u8]) -> Result<bool> {
    let v = int_opt(val)?;
    if v < 0 {
        return Err(Error::EINVAL);
    }
    Ok(v != 0)
}

/// Writes an int option value.
pub(crate) fn put_int(buf: &mut [u8], v: i32) -> Result<usize> {
    if buf.len() < 4 {
        return Err(Error::EINVAL);
    }
    // buf.len() >= 4 (checked above).
    buf[..4].copy_from_slice(&v.to_ne_bytes());
    Ok(4)
}
