//! PUB: the publisher (zmq_socket(3)). Compatible peers: SUB, XSUB.
//! Can send, cannot receive (ENOTSUP).
//!
//! The XPUB policy (`xpub.rs`) without delivery of subscriptions to the
//! application, as libzmq's pub_t is an xpub_t: subscriptions from peers
//! are read and applied, messages go to every pipe subscribed to a prefix
//! of their first frame, a pipe at its HWM misses messages (PUB never
//! blocks, ZMQ_EVENTS always has POLLOUT) unless ZMQ_XPUB_NODROP is set;
//! messages from peers that are not subscriptions are dropped. The
//! ZMQ_XPUB_* options are accepted as libzmq accepts them on PUB;
//! ZMQ_SUBSCRIBE is EINVAL.

use super::xpub::XPub;

/// PUB (zmq_socket(3)).
pub fn new_pub() -> XPub {
    XPub::new(true)
}

#[cfg(test)]
mod tests;
