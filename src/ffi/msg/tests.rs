use super::*;
use crate::error::errno;
use crate::msg::Metadata;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn garbage() -> zmq_msg_t {
    zmq_msg_t { _d: [0x5A; 64] }
}

fn zeroed() -> zmq_msg_t {
    zmq_msg_t { _d: [0; 64] }
}

/// Runs `f`, expecting it to fail with `errno == e`.
fn fails<T: PartialEq + std::fmt::Debug>(fail: T, e: i32, f: impl FnOnce() -> T) {
    crate::error::set_errno(0);
    assert_eq!(f(), fail);
    assert_eq!(errno(), e);
}

#[test]
fn init_size_data_close_lifecycle() {
    let mut m = garbage();
    // SAFETY: `m` is a local zmq_msg_t for every call below.
    unsafe {
        assert_eq!(zmq_msg_init(&mut m), 0);
        assert_eq!(zmq_msg_size(&m), 0);
        assert_eq!(zmq_msg_more(&m), 0);
        assert_eq!(zmq_msg_close(&mut m), 0);
        fails(-1, libc::EFAULT, || zmq_msg_close(&mut m));
        fails(0, libc::EFAULT, || zmq_msg_size(&m));
        fails(std::ptr::null_mut(), libc::EFAULT, || zmq_msg_data(&mut m));

        for n in [10usize, 33, 34, 1000] {
            assert_eq!(zmq_msg_init_size(&mut m, n), 0);
            assert_eq!(zmq_msg_size(&m), n);
            let d = zmq_msg_data(&mut m).cast::<u8>();
            assert!(!d.is_null());
            d.write_bytes(0xAB, n);
            assert!(msg_ref(&mut m).unwrap().data().iter().all(|&b| b == 0xAB));
            assert_eq!(zmq_msg_close(&mut m), 0);
        }
        fails(-1, libc::ENOMEM, || zmq_msg_init_size(&mut m, usize::MAX));
        fails(-1, libc::ENOMEM, || zmq_msg_init_size(&mut m, 1 << 62));

        let src = b"buffer copied in";
        assert_eq!(
            zmq_msg_init_buffer(&mut m, src.as_ptr().cast(), src.len()),
            0
        );
        assert_ne!(zmq_msg_data(&mut m).cast::<u8>().cast_const(), src.as_ptr());
        assert_eq!(msg_ref(&mut m).unwrap().data(), src);
        assert_eq!(zmq_msg_close(&mut m), 0);
        assert_eq!(zmq_msg_init_buffer(&mut m, std::ptr::null(), 0), 0);
        assert_eq!(zmq_msg_close(&mut m), 0);
        fails(-1, libc::EFAULT, || {
            zmq_msg_init_buffer(&mut m, std::ptr::null(), 3)
        });
    }
}

#[test]
fn null_pointers_are_efault() {
    let null = std::ptr::null_mut::<zmq_msg_t>();
    // SAFETY: NULL is refused before any access.
    unsafe {
        fails(-1, libc::EFAULT, || zmq_msg_init(null));
        fails(-1, libc::EFAULT, || zmq_msg_init_size(null, 10));
        fails(-1, libc::EFAULT, || zmq_msg_close(null));
        fails(0, libc::EFAULT, || zmq_msg_size(null));
        fails(-1, libc::EFAULT, || zmq_msg_more(null));
        fails(-1, libc::EFAULT, || zmq_msg_get(null, ZMQ_MORE));
        fails(0, libc::EFAULT, || zmq_msg_routing_id(null));
        fails(std::ptr::null(), libc::EFAULT, || zmq_msg_group(null));
        let mut m = zeroed();
        fails(-1, libc::EFAULT, || {
            zmq_msg_init_data(&mut m, std::ptr::null_mut(), 5, None, std::ptr::null_mut())
        });
    }
}

#[test]
fn move_and_copy_need_valid_messages() {
    let (mut a, mut b) = (zeroed(), zeroed());
    // SAFETY: local messages.
    unsafe {
        assert_eq!(zmq_msg_init_size(&mut a, 100), 0);
        // dest never initialised: EFAULT, like libzmq.
        fails(-1, libc::EFAULT, || zmq_msg_move(&mut b, &mut a));
        fails(-1, libc::EFAULT, || zmq_msg_copy(&mut b, &mut a));
        // src never initialised: EFAULT, dest untouched.
        fails(-1, libc::EFAULT, || zmq_msg_move(&mut a, &mut b));
        fails(-1, libc::EFAULT, || zmq_msg_copy(&mut a, &mut b));
        assert_eq!(zmq_msg_size(&a), 100);

        assert_eq!(zmq_msg_init(&mut b), 0);
        let pa = zmq_msg_data(&mut a);
        assert_eq!(zmq_msg_move(&mut b, &mut a), 0);
        assert_eq!(zmq_msg_size(&a), 0);
        assert_eq!(zmq_msg_size(&b), 100);
        assert_eq!(zmq_msg_data(&mut b), pa);
        // Onto itself: nothing changes.
        let pb: *mut zmq_msg_t = &mut b;
        assert_eq!(zmq_msg_move(pb, pb), 0);
        assert_eq!(zmq_msg_copy(pb, pb), 0);
        assert_eq!(zmq_msg_size(&b), 100);
        assert_eq!(zmq_msg_close(&mut a), 0);
        assert_eq!(zmq_msg_close(&mut b), 0);
    }
}

#[test]
fn copy_shares_large_bodies_like_libzmq() {
    // SAFETY: local messages.
    unsafe {
        for (n, shared) in [(32usize, 0), (33, 0), (34, 1), (1024, 1)] {
            let (mut a, mut b) = (zeroed(), zeroed());
            assert_eq!(zmq_msg_init_size(&mut a, n), 0);
            assert_eq!(zmq_msg_get(&a, ZMQ_SHARED), 0);
            assert_eq!(zmq_msg_init(&mut b), 0);
            assert_eq!(zmq_msg_copy(&mut b, &mut a), 0);
            assert_eq!(zmq_msg_get(&a, ZMQ_SHARED), shared, "size {n}");
            assert_eq!(zmq_msg_get(&b, ZMQ_SHARED), shared, "size {n}");
            assert_eq!(zmq_msg_data(&mut a) == zmq_msg_data(&mut b), shared == 1);
            assert_eq!(zmq_msg_close(&mut b), 0);
            assert_eq!(zmq_msg_get(&a, ZMQ_SHARED), shared, "sticky, size {n}");
            assert_eq!(zmq_msg_close(&mut a), 0);
        }
        // Constant data (NULL free function) is always shared.
        let mut c = zeroed();
        let text = b"TEST\0";
        assert_eq!(
            zmq_msg_init_data(
                &mut c,
                text.as_ptr().cast_mut().cast(),
                5,
                None,
                std::ptr::null_mut()
            ),
            0
        );
        assert_eq!(zmq_msg_get(&c, ZMQ_SHARED), 1);
        assert_eq!(
            zmq_msg_data(&mut c).cast::<u8>().cast_const(),
            text.as_ptr()
        );
        assert_eq!(zmq_msg_close(&mut c), 0);
    }
}

unsafe extern "C" fn count_free(_data: *mut c_void, hint: *mut c_void) {
    // SAFETY: the test passes a leaked AtomicUsize as hint.
    unsafe { &*hint.cast::<AtomicUsize>() }.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn init_data_frees_once_after_last_close_on_any_thread() {
    let counter: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let hint = (counter as *const AtomicUsize).cast_mut().cast::<c_void>();
    let buf: &'static mut [u8] = Box::leak(vec![7u8; 100].into_boxed_slice());
    let (mut a, mut b) = (zeroed(), zeroed());
    // SAFETY: local messages; `buf` outlives them (leaked).
    unsafe {
        let p = buf.as_mut_ptr().cast::<c_void>();
        assert_eq!(zmq_msg_init_data(&mut a, p, 100, Some(count_free), hint), 0);
        assert_eq!(zmq_msg_data(&mut a), p);
        assert_eq!(zmq_msg_get(&a, ZMQ_SHARED), 0);
        assert_eq!(zmq_msg_init(&mut b), 0);
        assert_eq!(zmq_msg_copy(&mut b, &mut a), 0);
        assert_eq!(zmq_msg_close(&mut a), 0);
        assert_eq!(counter.load(Ordering::SeqCst), 0);
        // The last copy is closed on another thread.
        let raw = std::ptr::read(&b);
        std::thread::spawn(move || {
            let mut raw = raw;
            // `raw` is the only remaining copy of `b`'s bytes.
            assert_eq!(zmq_msg_close(&mut raw), 0);
        })
        .join()
        .unwrap();
        assert_eq!(counter.load(Ordering::SeqCst), 1);

        // NULL data with size 0 still calls the free function.
        assert_eq!(
            zmq_msg_init_data(&mut a, std::ptr::null_mut(), 0, Some(count_free), hint),
            0
        );
        assert_eq!(zmq_msg_size(&a), 0);
        assert_eq!(zmq_msg_close(&mut a), 0);
        assert_eq!(counter.load(Ordering::SeqCst), 2);
    }
}

#[test]
fn memcpy_of_the_struct_then_use_the_copy() {
    let mut a = zeroed();
    // SAFETY: local messages; after the copy only `b` is used.
    unsafe {
        assert_eq!(zmq_msg_init_size(&mut a, 10), 0);
        zmq_msg_data(&mut a)
            .cast::<u8>()
            .copy_from(b"0123456789".as_ptr(), 10);
        let mut b = zmq_msg_t { _d: a._d };
        assert_eq!(zmq_msg_size(&b), 10);
        let d = std::slice::from_raw_parts(zmq_msg_data(&mut b).cast::<u8>(), 10);
        assert_eq!(d, b"0123456789");
        assert_eq!(zmq_msg_close(&mut b), 0);
    }
}

#[test]
fn get_set_properties() {
    let mut m = zeroed();
    // SAFETY: local message.
    unsafe {
        assert_eq!(zmq_msg_init(&mut m), 0);
        assert_eq!(zmq_msg_get(&m, ZMQ_MORE), 0);
        msg_ref(&mut m).unwrap().set_more(true);
        assert_eq!(zmq_msg_get(&m, ZMQ_MORE), 1);
        assert_eq!(zmq_msg_more(&m), 1);
        fails(-1, libc::EINVAL, || zmq_msg_get(&m, ZMQ_SRCFD));
        fails(-1, libc::EINVAL, || zmq_msg_get(&m, 99));
        fails(-1, libc::EINVAL, || zmq_msg_set(&mut m, ZMQ_MORE, 1));
        fails(std::ptr::null(), libc::EINVAL, || {
            zmq_msg_gets(&m, c"Socket-Type".as_ptr())
        });

        let mut md = Metadata::new();
        md.insert("Socket-Type", b"DEALER");
        md.insert("Identity", b"abc");
        md.insert("Peer-Address", b"127.0.0.1");
        md.insert("__fd", b"13");
        msg_ref(&mut m).unwrap().set_metadata(Some(Arc::new(md)));
        assert_eq!(zmq_msg_get(&m, ZMQ_SRCFD), 13);
        let v = zmq_msg_gets(&m, c"Socket-Type".as_ptr());
        assert_eq!(CStr::from_ptr(v).to_bytes(), b"DEALER");
        let v = zmq_msg_gets(&m, c"Identity".as_ptr());
        assert_eq!(CStr::from_ptr(v).to_bytes(), b"abc");
        let v = zmq_msg_gets(&m, c"Peer-Address".as_ptr());
        assert_eq!(CStr::from_ptr(v).to_bytes(), b"127.0.0.1");
        fails(std::ptr::null(), libc::EINVAL, || {
            zmq_msg_gets(&m, c"socket-type".as_ptr())
        });
        fails(std::ptr::null(), libc::EINVAL, || {
            zmq_msg_gets(&m, c"Routing-Id".as_ptr())
        });
        fails(std::ptr::null(), libc::EINVAL, || {
            zmq_msg_gets(&m, std::ptr::null())
        });
        // Metadata follows copies.
        let mut c = zeroed();
        assert_eq!(zmq_msg_init(&mut c), 0);
        assert_eq!(zmq_msg_copy(&mut c, &mut m), 0);
        assert_eq!(zmq_msg_get(&c, ZMQ_SRCFD), 13);
        assert_eq!(zmq_msg_close(&mut c), 0);
        assert_eq!(zmq_msg_close(&mut m), 0);
        // As libzmq, the property readers do not check the message: a
        // closed one reads as no flags and no metadata.
        fails(0, 0, || zmq_msg_get(&m, ZMQ_MORE));
        fails(0, 0, || zmq_msg_more(&m));
        fails(0, 0, || zmq_msg_get(&m, ZMQ_SHARED));
        fails(-1, libc::EINVAL, || zmq_msg_get(&m, ZMQ_SRCFD));
        fails(std::ptr::null(), libc::EINVAL, || {
            zmq_msg_gets(&m, c"Socket-Type".as_ptr())
        });
        fails(-1, libc::EFAULT, || zmq_msg_get(std::ptr::null(), ZMQ_MORE));
    }
}

#[test]
fn routing_id_and_group() {
    let mut m = zeroed();
    // SAFETY: local message; strings are NUL-terminated.
    unsafe {
        assert_eq!(zmq_msg_init(&mut m), 0);
        assert_eq!(zmq_msg_routing_id(&mut m), 0);
        fails(-1, libc::EINVAL, || zmq_msg_set_routing_id(&mut m, 0));
        assert_eq!(zmq_msg_set_routing_id(&mut m, 0xDEAD_BEEF), 0);
        assert_eq!(zmq_msg_routing_id(&mut m), 0xDEAD_BEEF);

        assert_eq!(CStr::from_ptr(zmq_msg_group(&mut m)).to_bytes(), b"");
        let max = CString::new(vec![b'g'; 255]).unwrap();
        assert_eq!(zmq_msg_set_group(&mut m, max.as_ptr()), 0);
        assert_eq!(CStr::from_ptr(zmq_msg_group(&mut m)).to_bytes().len(), 255);
        let long = CString::new(vec![b'g'; 256]).unwrap();
        fails(-1, libc::EINVAL, || {
            zmq_msg_set_group(&mut m, long.as_ptr())
        });
        fails(-1, libc::EINVAL, || {
            zmq_msg_set_group(&mut m, std::ptr::null())
        });
        assert_eq!(zmq_msg_set_group(&mut m, c"weather".as_ptr()), 0);
        assert_eq!(CStr::from_ptr(zmq_msg_group(&mut m)).to_bytes(), b"weather");
        assert_eq!(zmq_msg_close(&mut m), 0);
    }
}

#[test]
fn socket_helpers_take_and_write() {
    let mut m = zeroed();
    // SAFETY: local message slots.
    unsafe {
        assert!(msg_take(&mut m).is_err());
        assert_eq!(zmq_msg_init_size(&mut m, 50), 0);
        let taken = msg_take(&mut m).unwrap();
        assert_eq!(taken.len(), 50);
        // Left empty and valid, as zmq_msg_send(3) leaves it.
        assert_eq!(zmq_msg_size(&m), 0);
        assert_eq!(zmq_msg_close(&mut m), 0);
        msg_write(&mut m, taken);
        assert_eq!(zmq_msg_size(&m), 50);
        assert_eq!(zmq_msg_close(&mut m), 0);

        let mut slot = MaybeUninit::<zmq_msg_t>::uninit();
        msg_write(slot.as_mut_ptr(), Msg::from_slice(b"hi"));
        assert_eq!(zmq_msg_size(slot.as_ptr()), 2);
        assert_eq!(zmq_msg_close(slot.as_mut_ptr()), 0);
    }
}
