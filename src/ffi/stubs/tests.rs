use super::*;
use libc::c_void;
use std::mem::{align_of, size_of};

#[test]
fn layouts_match_zmq_h_on_this_target() {
    assert_eq!(size_of::<zmq_msg_t>(), 64);
    assert_eq!(align_of::<zmq_msg_t>(), align_of::<*const c_void>());
    let ptr = size_of::<*const c_void>();
    // void*, int, short, short: padded to pointer alignment.
    assert_eq!(size_of::<zmq_pollitem_t>(), if ptr == 8 { 16 } else { 12 });
    // void*, int, void*, short.
    assert_eq!(
        size_of::<zmq_poller_event_t>(),
        if ptr == 8 { 32 } else { 16 }
    );
    assert_eq!(size_of::<zmq_fd_t>(), size_of::<libc::c_int>());
}
