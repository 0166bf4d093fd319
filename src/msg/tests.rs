//! Unit tests of `Msg` and `Metadata`: layout, inline/shared boundary, copy
//! sharing, free function exactly once across threads, raw memcpy.

use super::*;
use std::mem::MaybeUninit;
use std::sync::atomic::AtomicUsize;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn layout_is_64_bytes_8_aligned_send_sync() {
    assert_eq!(std::mem::size_of::<Msg>(), 64);
    assert_eq!(std::mem::align_of::<Msg>(), 8);
    assert_send_sync::<Msg>();
    let m = Msg::new();
    // SAFETY: `m` is a live, aligned message.
    assert!(unsafe { Msg::raw_is_valid(&m) });
    let b = (&m as *const Msg).cast::<u8>();
    // SAFETY: reading the tag byte of a live message.
    assert_eq!(unsafe { b.read() }, TAG_INLINE);
}

#[test]
fn raw_validity_rejects_zeroes_garbage_and_invalidated() {
    let zero = [0u64; 8];
    // SAFETY: 64 readable, aligned bytes.
    assert!(!unsafe { Msg::raw_is_valid(zero.as_ptr().cast()) });
    let garbage = [0xA2A2_A2A2_A2A2_A2A2u64; 8];
    // SAFETY: as above.
    assert!(!unsafe { Msg::raw_is_valid(garbage.as_ptr().cast()) });

    let mut slot = MaybeUninit::<Msg>::new(Msg::with_size(100));
    let p = slot.as_mut_ptr();
    // SAFETY: `p` holds a live message; it is dropped once, then cleared.
    unsafe {
        assert!(Msg::raw_is_valid(p));
        std::ptr::drop_in_place(p);
        Msg::raw_invalidate(p);
        assert!(!Msg::raw_is_valid(p));
    }

    // An inline tag with an impossible length is refused.
    let mut bytes = [0u8; 64];
    // SAFETY: copies the 64 bytes of a live message into a byte array.
    unsafe {
        let m = Msg::from_slice(b"abc");
        std::ptr::copy_nonoverlapping((&m as *const Msg).cast::<u8>(), bytes.as_mut_ptr(), 64);
    }
    bytes[INLINE_LEN_OFFSET] = 34;
    let mut aligned = [0u64; 8];
    // SAFETY: 64 bytes into 64 bytes.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), aligned.as_mut_ptr().cast(), 64) };
    // SAFETY: 64 readable, aligned bytes.
    assert!(!unsafe { Msg::raw_is_valid(aligned.as_ptr().cast()) });
}

#[test]
fn inline_up_to_33_heap_beyond() {
    for n in [0usize, 1, 32, 33] {
        let m = Msg::with_size(n);
        assert!(m.is_inline(), "{n}");
        assert_eq!(m.len(), n);
        assert!(m.data().iter().all(|&b| b == 0));
        assert!(Msg::from_slice(&vec![7; n]).is_inline());
        assert!(Msg::from_vec(vec![7; n]).is_inline());
        assert!(Msg::from_bytes(Bytes::from(vec![7; n])).is_inline());
    }
    for n in [34usize, 100, 1 << 20] {
        let m = Msg::with_size(n);
        assert!(!m.is_inline(), "{n}");
        assert_eq!(m.len(), n);
        assert!(m.data().iter().all(|&b| b == 0));
        assert!(!Msg::from_slice(&vec![7; n]).is_inline());
    }
    assert_eq!(Msg::from_slice(b"hello").data(), b"hello");
    assert_eq!(Msg::from_vec(vec![9; 40]).data(), &[9; 40][..]);
    assert!(Msg::new().is_empty());
}

#[test]
fn clone_of_small_copies_and_is_not_shared() {
    let a = Msg::from_slice(&[5; 33]);
    let b = a.clone();
    assert!(!a.is_shared());
    assert!(!b.is_shared());
    assert_ne!(a.data().as_ptr(), b.data().as_ptr());
    assert_eq!(a.data(), b.data());
}

#[test]
fn clone_of_large_shares_body_and_flag_is_sticky() {
    let mut a = Msg::from_slice(&[5; 34]);
    a.set_more(true);
    a.set_routing_id(7);
    a.set_group(b"g").unwrap();
    assert!(!a.is_shared());
    let b = a.clone();
    assert!(a.is_shared());
    assert!(b.is_shared());
    assert_eq!(a.data().as_ptr(), b.data().as_ptr());
    assert!(b.more());
    assert_eq!(b.routing_id(), 7);
    assert_eq!(b.group(), b"g");
    drop(b);
    // libzmq keeps the shared flag once set.
    assert!(a.is_shared());
}

#[test]
fn constant_bodies_are_shared() {
    let m = Msg::from_static(b"TEST");
    assert!(m.is_shared());
    assert_eq!(m.data(), b"TEST");
    static DATA: [u8; 5] = *b"const";
    // SAFETY: DATA is 'static.
    let c = unsafe { Msg::from_static_raw(DATA.as_ptr(), DATA.len()) };
    assert!(c.is_shared());
    assert_eq!(c.data().as_ptr(), DATA.as_ptr());
    // SAFETY: NULL data with length 0 and no free function.
    let z = unsafe { Msg::from_raw_parts(std::ptr::null_mut(), 0, None, std::ptr::null_mut()) };
    assert!(z.unwrap().is_shared());
}

unsafe extern "C" fn count_free(data: *mut c_void, hint: *mut c_void) {
    // SAFETY: the tests pass a live `AtomicUsize` as hint.
    let counter = unsafe { &*hint.cast::<AtomicUsize>() };
    counter.fetch_add(1, Ordering::SeqCst);
    if !data.is_null() {
        // SAFETY: the tests pass buffers made by `Box<[u8]>::into_raw` of
        // length 64.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(data.cast::<u8>(), 64)) });
    }
}

#[test]
fn free_fn_runs_exactly_once_across_threads() {
    let counter: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let buf: Box<[u8]> = (0..64u8).collect();
    let ptr = Box::into_raw(buf).cast::<u8>();
    let hint = (counter as *const AtomicUsize).cast_mut().cast::<c_void>();
    // SAFETY: `ptr` is a 64-byte heap buffer freed by `count_free`.
    let m = unsafe { Msg::from_raw_parts(ptr.cast(), 64, Some(count_free), hint) }.unwrap();
    assert!(!m.is_shared());
    assert_eq!(m.data().as_ptr(), ptr.cast_const());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let c = m.clone();
            std::thread::spawn(move || {
                assert_eq!(c.data().len(), 64);
                assert_eq!(c.data()[63], 63);
                drop(c);
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(counter.load(Ordering::SeqCst), 0);
    assert!(m.is_shared());
    // The last holder may be on another thread.
    std::thread::spawn(move || drop(m)).join().unwrap();
    assert_eq!(counter.load(Ordering::SeqCst), 1);
}

#[test]
fn free_fn_runs_for_empty_null_buffer_and_small_buffers_are_not_copied() {
    let counter: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let hint = (counter as *const AtomicUsize).cast_mut().cast::<c_void>();
    // SAFETY: NULL data with length 0; count_free ignores NULL data.
    let m = unsafe { Msg::from_raw_parts(std::ptr::null_mut(), 0, Some(count_free), hint) };
    let m = m.unwrap();
    assert!(m.is_empty());
    drop(m);
    assert_eq!(counter.load(Ordering::SeqCst), 1);

    // A small user buffer is used in place (zero-copy), like libzmq.
    let ptr = Box::into_raw(vec![1u8; 64].into_boxed_slice()).cast::<u8>();
    // SAFETY: `ptr` is a 64-byte heap buffer (only 5 bytes exposed).
    let m = unsafe { Msg::from_raw_parts(ptr.cast(), 5, Some(count_free), hint) }.unwrap();
    assert_eq!(m.data().as_ptr(), ptr.cast_const());
    drop(m);
    assert_eq!(counter.load(Ordering::SeqCst), 2);
}

#[test]
fn null_data_with_length_is_efault() {
    // SAFETY: refused before any read.
    let r = unsafe { Msg::from_raw_parts(std::ptr::null_mut(), 3, None, std::ptr::null_mut()) };
    assert_eq!(r.unwrap_err(), Error::EFAULT);
}

#[test]
fn huge_size_is_enomem() {
    assert_eq!(Msg::try_with_size(usize::MAX).unwrap_err(), Error::ENOMEM);
    assert_eq!(Msg::try_with_size(1 << 62).unwrap_err(), Error::ENOMEM);
    assert_eq!(Msg::try_with_size(10).unwrap().len(), 10);
}

/// C may copy the 64 bytes of a `zmq_msg_t` and use the copy instead.
#[test]
fn raw_memcpy_then_use() {
    for n in [10usize, 1000] {
        let mut a = Msg::with_size(n);
        for (i, b) in a.data_mut().iter_mut().enumerate() {
            *b = i as u8;
        }
        let mut raw = [0u64; 8];
        // SAFETY: moves the message's bytes into `raw` and forgets the
        // original, so exactly one owner remains.
        unsafe {
            std::ptr::copy_nonoverlapping(
                (&a as *const Msg).cast::<u8>(),
                raw.as_mut_ptr().cast(),
                64,
            );
        }
        std::mem::forget(a);
        // SAFETY: `raw` holds the only copy of a valid message.
        let b = unsafe {
            assert!(Msg::raw_is_valid(raw.as_ptr().cast()));
            std::ptr::read(raw.as_ptr().cast::<Msg>())
        };
        assert_eq!(b.len(), n);
        assert!(b.data().iter().enumerate().all(|(i, &x)| x == i as u8));
        // The data pointer follows the message for inline bodies.
        if n <= INLINE_MAX {
            assert_eq!(
                b.data().as_ptr(),
                (&b as *const Msg).cast::<u8>().wrapping_add(2)
            );
        }
    }
}

#[test]
fn data_mut_writes_in_place_or_copies_on_write() {
    let mut a = Msg::with_size(100);
    let p = a.data().as_ptr();
    a.data_mut()[0] = 1;
    assert_eq!(a.data().as_ptr(), p, "unique body written in place");
    assert_eq!(a.data()[0], 1);

    let b = a.clone();
    a.data_mut()[0] = 2;
    assert_eq!(b.data()[0], 1, "a copy never sees Rust writes");
    assert_eq!(a.data()[0], 2);
    assert_ne!(a.data().as_ptr(), b.data().as_ptr());
    assert!(!a.is_shared());

    let mut c = Msg::from_static(b"constant");
    c.data_mut()[0] = b'C';
    assert_eq!(c.data(), b"Constant");
    assert!(!c.is_shared());

    let mut d = Msg::from_slice(b"small");
    d.data_mut()[0] = b'S';
    assert_eq!(d.data(), b"Small");

    // The FFI pointer of a shared body is libzmq's: the shared buffer.
    let mut e = Msg::with_size(50);
    let f = e.clone();
    assert_eq!(e.data_ptr_mut().cast_const(), f.data().as_ptr());
}

#[test]
fn flags_and_routing_id() {
    let mut m = Msg::new();
    assert!(!m.more());
    m.set_more(true);
    assert!(m.more());
    m.set_flags(Msg::COMMAND | Msg::PING);
    assert!(m.is_command());
    assert_eq!(m.flags() & Msg::CMD_TYPE_MASK, Msg::PING);
    m.reset_flags(Msg::COMMAND | Msg::CMD_TYPE_MASK);
    assert_eq!(m.flags(), Msg::MORE);
    m.set_more(false);
    assert_eq!(m.flags(), 0);
    m.set_flags(Msg::CREDENTIAL | Msg::ROUTING_ID);
    assert!(m.is_credential() && m.is_routing_id());
    assert_eq!(m.routing_id(), 0);
    m.set_routing_id(42);
    assert_eq!(m.routing_id(), 42);
}

#[test]
fn groups() {
    let mut m = Msg::new();
    assert_eq!(m.group(), b"");
    assert_eq!(m.group_cstr().to_bytes(), b"");
    m.set_group(&[b'a'; 255]).unwrap();
    assert_eq!(m.group().len(), 255);
    assert_eq!(m.set_group(&[b'a'; 256]).unwrap_err(), Error::EINVAL);
    assert_eq!(m.group().len(), 255, "a refused group leaves the old one");
    assert_eq!(m.set_group(b"a\0b").unwrap_err(), Error::EINVAL);
    m.set_group(b"news").unwrap();
    assert_eq!(m.group_cstr().to_bytes(), b"news");
    m.set_group(b"").unwrap();
    assert_eq!(m.group(), b"");
}

#[test]
fn metadata_lookup_is_exact_with_identity_alias() {
    let mut md = Metadata::new();
    assert!(md.is_empty());
    md.insert("Socket-Type", b"DEALER");
    md.insert("Peer-Address", b"127.0.0.1");
    assert_eq!(md.get("Socket-Type"), Some(&b"DEALER"[..]));
    assert_eq!(md.get("socket-type"), None);
    assert_eq!(md.get("Identity"), None);
    md.insert("Routing-Id", b"rid");
    assert_eq!(md.get("Identity"), Some(&b"rid"[..]));
    md.insert("Identity", b"abc");
    assert_eq!(md.get("Identity"), Some(&b"abc"[..]));
    assert_eq!(md.get("Routing-Id"), Some(&b"rid"[..]));
    md.insert("Socket-Type", b"ROUTER");
    assert_eq!(md.get("Socket-Type"), Some(&b"ROUTER"[..]));
    assert_eq!(md.len(), 4);
    assert_eq!(md.get_cstr("Socket-Type").unwrap().to_bytes(), b"ROUTER");
    md.insert("Empty", b"");
    assert_eq!(md.get("Empty"), Some(&b""[..]));
    assert_eq!(md.get_cstr("Empty").unwrap().to_bytes(), b"");
    let names: Vec<&str> = md.iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "Socket-Type",
            "Peer-Address",
            "Routing-Id",
            "Identity",
            "Empty"
        ]
    );

    let mut m = Msg::new();
    assert_eq!(m.srcfd(), None);
    md.insert(Metadata::SRCFD, b"13");
    m.set_metadata(Some(Arc::new(md)));
    assert_eq!(m.srcfd(), Some(13));
    let c = m.clone();
    assert_eq!(
        c.metadata().unwrap().get("Peer-Address"),
        Some(&b"127.0.0.1"[..])
    );
}

#[test]
fn atoi_like_libzmq() {
    assert_eq!(atoi(b"13"), 13);
    assert_eq!(atoi(b" -4x"), -4);
    assert_eq!(atoi(b"x"), 0);
    assert_eq!(atoi(b""), 0);
}

#[test]
fn into_and_to_bytes() {
    let m = Msg::from_slice(&[3; 100]);
    let b = m.to_bytes();
    assert_eq!(b.as_ptr(), m.data().as_ptr());
    assert!(!m.is_shared());
    assert_eq!(m.into_bytes().as_ptr(), b.as_ptr());
    assert_eq!(&Msg::from_slice(b"xy").into_bytes()[..], b"xy");
}
