//! Rules shared by the single-part draft socket types (SERVER, CLIENT,
//! RADIO, DISH, GATHER, SCATTER, PEER, CHANNEL; zmq_socket(3)): a send
//! with ZMQ_SNDMORE is refused with EINVAL, and a multipart message that
//! arrives from a peer is dropped whole, never delivered in parts.

use crate::error::{Error, Result};
use crate::msg::Msg;

/// EINVAL (handing the message back) for a frame sent with ZMQ_SNDMORE.
pub(super) fn refuse_more(msg: Msg) -> std::result::Result<Msg, (Error, Msg)> {
    if msg.more() {
        Err((Error::EINVAL, msg))
    } else {
        Ok(msg)
    }
}

/// Takes frames from `next` (which stays on one pipe while a message has
/// more frames) until a single-frame message turns up; every frame of a
/// multipart message is dropped on the way.
pub(super) fn skip_multipart<T>(mut next: impl FnMut() -> Result<(Msg, T)>) -> Result<(Msg, T)> {
    loop {
        let (m, from) = next()?;
        if !m.more() {
            return Ok((m, from));
        }
        let mut more = true;
        while more {
            more = next()?.0.more();
        }
    }
}
