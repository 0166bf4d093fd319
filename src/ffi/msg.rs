//! zmq_msg_*(3) shims.
