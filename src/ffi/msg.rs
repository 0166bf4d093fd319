//! zmq_msg_*(3) shims: zmq_msg_init(3), zmq_msg_init_size(3),
//! zmq_msg_init_data(3), zmq_msg_init_buffer(3), zmq_msg_close(3),
//! zmq_msg_move(3), zmq_msg_copy(3), zmq_msg_data(3), zmq_msg_size(3),
//! zmq_msg_more(3), zmq_msg_get(3), zmq_msg_set(3), zmq_msg_gets(3) and the
//! draft zmq_msg_routing_id(3), zmq_msg_set_routing_id(3), zmq_msg_group(3),
//! zmq_msg_set_group(3).
//!
//! A [`crate::msg::Msg`] lives directly in the 64 bytes of the C
//! [`zmq_msg_t`]. Every access goes through [`msg_ref`] / [`msg_ref_const`]:
//! NULL, misaligned, never initialised or closed messages give `EFAULT`
//! (libzmq checks its type byte the same way in close/move/copy).
//! [`msg_write`] and [`msg_take`] are the socket layer's way in and out
//! (zmq_msg_send(3) leaves the message empty, zmq_msg_recv(3) overwrites).
//!
//! Where we differ from libzmq 4.3.5 (which asserts or crashes there): NULL
//! pointers and invalid messages give `EFAULT` from every function
//! (`zmq_msg_size`/`zmq_msg_routing_id` return 0, `zmq_msg_data` NULL);
//! `zmq_msg_init_data`/`zmq_msg_init_buffer` with NULL data and a non-zero
//! size give `EFAULT`; `zmq_msg_copy`/`zmq_msg_move` of a message onto
//! itself succeed and change nothing; a NULL property or group name gives
//! `EINVAL`.
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

use crate::error::{Error, Result};
use crate::ffi::{guard, guard_int, guard_ptr};
use crate::msg::{FreeFn, Msg};
use libc::{c_char, c_int, c_void, size_t};
use std::ffi::CStr;
#[cfg(test)]
use std::ffi::CString;

/// The C message: 64 opaque bytes aligned like a pointer, as zmq.h
/// declares it; holds a [`Msg`] while valid.
#[repr(C, align(8))]
pub struct zmq_msg_t {
    _d: [u8; 64],
}

const _: () = assert!(std::mem::size_of::<zmq_msg_t>() == std::mem::size_of::<Msg>());
const _: () = assert!(std::mem::align_of::<zmq_msg_t>() >= std::mem::align_of::<Msg>());

/// zmq_msg_get(3) properties.
const ZMQ_MORE: c_int = 1;
const ZMQ_SRCFD: c_int = 2;
const ZMQ_SHARED: c_int = 3;

/// `p` as a `Msg` slot: `EFAULT` when NULL or misaligned.
fn slot(p: *const zmq_msg_t) -> Result<*mut Msg> {
    if p.is_null() || !p.cast::<Msg>().is_aligned() {
        return Err(Error::EFAULT);
    }
    Ok(p.cast::<Msg>().cast_mut())
}

/// The message at `p`: `EFAULT` when `p` is NULL or holds no valid
/// message (never initialised, or closed).
///
/// # Safety
/// A non-NULL `p` must point to 64 readable and writable bytes that nothing
/// else uses during `'a`.
pub(crate) unsafe fn msg_ref<'a>(p: *mut zmq_msg_t) -> Result<&'a mut Msg> {
    let m = slot(p)?;
    // SAFETY: `m` is non-NULL and aligned; the caller guarantees 64 bytes.
    if !unsafe { Msg::raw_is_valid(m) } {
        return Err(Error::EFAULT);
    }
    // SAFETY: the bytes hold a valid message (checked above), exclusively
    // ours for 'a per the caller's contract.
    Ok(unsafe { &mut *m })
}

/// [`msg_ref`] for the `const zmq_msg_t *` functions.
///
/// # Safety
/// A non-NULL `p` must point to 64 readable bytes not written during `'a`.
pub(crate) unsafe fn msg_ref_const<'a>(p: *const zmq_msg_t) -> Result<&'a Msg> {
    let m = slot(p)?;
    // SAFETY: `m` is non-NULL and aligned; the caller guarantees 64 bytes.
    if !unsafe { Msg::raw_is_valid(m) } {
        return Err(Error::EFAULT);
    }
    // SAFETY: a valid message, not written during 'a (caller's contract).
    Ok(unsafe { &*m })
}

/// Stores `m` at `p` without dropping what was there (an init function, or
/// zmq_msg_recv(3) after the old message was taken). A NULL or misaligned
/// `p` drops `m` instead.
///
/// # Safety
/// A non-NULL `p` must point to 64 writable bytes holding no live message
/// (or one the caller has already moved out or accepts to leak).
pub(crate) unsafe fn msg_write(p: *mut zmq_msg_t, m: Msg) {
    if let Ok(s) = slot(p) {
        // SAFETY: aligned, writable 64 bytes (caller's contract).
        unsafe { s.write(m) }
    }
}

/// Moves the message out of `p`, leaving a valid empty message there (what
/// zmq_msg_send(3) leaves behind). `EFAULT` as [`msg_ref`].
///
/// # Safety
/// As [`msg_ref`].
pub(crate) unsafe fn msg_take(p: *mut zmq_msg_t) -> Result<Msg> {
    // SAFETY: forwarded contract.
    let m = unsafe { msg_ref(p) }?;
    Ok(std::mem::take(m))
}

/// Writes `m` into `p`, which may hold anything: the init functions.
unsafe fn init_with(p: *mut zmq_msg_t, m: Result<Msg>) -> Result<i32> {
    slot(p)?;
    // SAFETY: `p` is non-NULL and aligned; the caller's bytes are
    // overwritten without drop, as libzmq's init does.
    unsafe { msg_write(p, m?) };
    Ok(0)
}

/// zmq_msg_init(3): an empty message.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init(msg: *mut zmq_msg_t) -> c_int {
    // SAFETY: `msg` comes from the C caller (zmq_msg_init(3) contract).
    guard_int(|| unsafe { init_with(msg, Ok(Msg::new())) })
}

/// zmq_msg_init_size(3): `size` bytes, uninitialised as in libzmq (small
/// bodies are zeroed); `ENOMEM` when they cannot be allocated.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init_size(msg: *mut zmq_msg_t, size: size_t) -> c_int {
    // SAFETY: `msg` comes from the C caller (zmq_msg_init_size(3) contract);
    // the new body goes straight to the caller, who owns its content.
    guard_int(|| unsafe { init_with(msg, Msg::try_with_size_for_c(size)) })
}

/// zmq_msg_init_data(3): wraps `data` without copying; `ffn(data, hint)`
/// runs once when the last copy is closed (on any thread). A NULL `ffn`
/// makes a constant message (never freed, `ZMQ_SHARED` is 1).
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init_data(
    msg: *mut zmq_msg_t,
    data: *mut c_void,
    size: size_t,
    ffn: Option<FreeFn>,
    hint: *mut c_void,
) -> c_int {
    // SAFETY: zmq_msg_init_data(3) contract: `size` bytes at `data`, valid
    // until `ffn` is called; `msg` from the C caller.
    guard_int(|| unsafe { init_with(msg, Msg::from_raw_parts(data, size, ffn, hint)) })
}

/// zmq_msg_init_buffer(3) (draft): a copy of `size` bytes at `buf`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_init_buffer(
    msg: *mut zmq_msg_t,
    buf: *const c_void,
    size: size_t,
) -> c_int {
    guard_int(|| {
        let m = if size == 0 {
            Ok(Msg::new())
        } else if buf.is_null() {
            Err(Error::EFAULT)
        } else {
            // SAFETY: zmq_msg_init_buffer(3) contract: `size` readable bytes.
            Msg::try_from_slice(unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), size) })
        };
        // SAFETY: `msg` from the C caller.
        unsafe { init_with(msg, m) }
    })
}

/// zmq_msg_close(3): releases the message; closing it again, or closing a
/// message never initialised, gives `EFAULT`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_close(msg: *mut zmq_msg_t) -> c_int {
    guard_int(|| {
        // SAFETY: `msg` from the C caller; checked valid by msg_ref.
        let m: *mut Msg = unsafe { msg_ref(msg) }?;
        // Invalidate first: a panic (impossible today) in drop must not
        // leave a message that a later close would drop twice.
        // SAFETY: `m` holds a valid message; it is read out once, the slot
        // is then marked invalid, and the message dropped here.
        let owned = unsafe {
            let owned = m.read();
            Msg::raw_invalidate(m);
            owned
        };
        drop(owned);
        Ok(0)
    })
}

/// zmq_msg_move(3): `dest` (which must be a valid message) is released and
/// takes `src`'s content; `src` becomes empty.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_move(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int {
    guard_int(|| {
        // SAFETY: pointers from the C caller; each checked by msg_ref.
        unsafe {
            msg_ref(src)?;
            msg_ref(dest)?;
            if dest != src {
                let m = msg_take(src)?;
                *msg_ref(dest)? = m;
            }
        }
        Ok(0)
    })
}

/// zmq_msg_copy(3): `dest` (which must be a valid message) is released and
/// becomes a copy of `src`; bodies over 33 bytes are shared, not copied,
/// and both messages then report `ZMQ_SHARED`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_copy(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int {
    guard_int(|| {
        // SAFETY: pointers from the C caller; each checked by msg_ref, and
        // the two references are never alive together when equal.
        unsafe {
            let c = msg_ref(src)?.clone();
            if dest != src {
                *msg_ref(dest)? = c;
            }
        }
        Ok(0)
    })
}

/// zmq_msg_data(3): the body pointer, the same libzmq gives (into the
/// `zmq_msg_t` for bodies of up to 33 bytes, into the shared buffer else).
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_data(msg: *mut zmq_msg_t) -> *mut c_void {
    // SAFETY: `msg` from the C caller; checked by msg_ref.
    guard_ptr(|| Ok(unsafe { msg_ref(msg) }?.data_ptr_mut().cast::<c_void>()))
}

/// zmq_msg_size(3): the body size (0 with `EFAULT` for an invalid message).
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_size(msg: *const zmq_msg_t) -> size_t {
    // SAFETY: `msg` from the C caller; checked by msg_ref_const.
    guard(0, || Ok(unsafe { msg_ref_const(msg) }?.len()))
}

/// zmq_msg_more(3): 1 when more frames follow, else 0.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_more(msg: *const zmq_msg_t) -> c_int {
    // SAFETY: `msg` from the C caller; checked by msg_ref_const.
    guard_int(|| Ok(unsafe { msg_ref_const(msg) }?.more() as c_int))
}

/// zmq_msg_get(3): `ZMQ_MORE`, `ZMQ_SRCFD` (-1 with `EINVAL` when the
/// message did not come from a connection with an fd), `ZMQ_SHARED`;
/// any other property gives `EINVAL`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_get(msg: *const zmq_msg_t, property: c_int) -> c_int {
    guard_int(|| {
        // SAFETY: `msg` from the C caller; checked by msg_ref_const.
        let m = unsafe { msg_ref_const(msg) }?;
        match property {
            ZMQ_MORE => Ok(m.more() as c_int),
            ZMQ_SRCFD => m.srcfd().ok_or(Error::EINVAL),
            ZMQ_SHARED => Ok(m.is_shared() as c_int),
            _ => Err(Error::EINVAL),
        }
    })
}

/// zmq_msg_set(3): no property can be set in libzmq 4.3: always `EINVAL`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_set(
    _msg: *mut zmq_msg_t,
    _property: c_int,
    _optval: c_int,
) -> c_int {
    guard_int(|| Err(Error::EINVAL))
}

/// zmq_msg_gets(3): a metadata property of the connection the message came
/// from (names match exactly; `Identity` also answers `Routing-Id`);
/// NULL with `EINVAL` when absent. The string lives as long as the message.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_gets(
    msg: *const zmq_msg_t,
    property: *const c_char,
) -> *const c_char {
    guard(std::ptr::null(), || {
        // SAFETY: `msg` from the C caller; checked by msg_ref_const.
        let m = unsafe { msg_ref_const(msg) }?;
        if property.is_null() {
            return Err(Error::EINVAL);
        }
        // SAFETY: zmq_msg_gets(3) contract: a NUL-terminated property name.
        let name = unsafe { CStr::from_ptr(property) };
        let name = name.to_str().map_err(|_| Error::EINVAL)?;
        let md = m.metadata().ok_or(Error::EINVAL)?;
        Ok(md.get_cstr(name).ok_or(Error::EINVAL)?.as_ptr())
    })
}

/// zmq_msg_routing_id(3) (draft): the routing id, 0 when none.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_routing_id(msg: *mut zmq_msg_t) -> u32 {
    // SAFETY: `msg` from the C caller; checked by msg_ref_const.
    guard(0, || Ok(unsafe { msg_ref_const(msg) }?.routing_id()))
}

/// zmq_msg_set_routing_id(3) (draft): 0 is refused with `EINVAL`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_set_routing_id(msg: *mut zmq_msg_t, routing_id: u32) -> c_int {
    guard_int(|| {
        // SAFETY: `msg` from the C caller; checked by msg_ref.
        let m = unsafe { msg_ref(msg) }?;
        if routing_id == 0 {
            return Err(Error::EINVAL);
        }
        m.set_routing_id(routing_id);
        Ok(0)
    })
}

/// zmq_msg_group(3) (draft): the group, "" when none.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_group(msg: *mut zmq_msg_t) -> *const c_char {
    // SAFETY: `msg` from the C caller; checked by msg_ref_const.
    guard(std::ptr::null(), || {
        Ok(unsafe { msg_ref_const(msg) }?.group_cstr().as_ptr())
    })
}

/// zmq_msg_set_group(3) (draft): `EINVAL` when longer than
/// `ZMQ_GROUP_MAX_LENGTH` (255) bytes.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_set_group(msg: *mut zmq_msg_t, group: *const c_char) -> c_int {
    guard_int(|| {
        // SAFETY: `msg` from the C caller; checked by msg_ref.
        let m = unsafe { msg_ref(msg) }?;
        if group.is_null() {
            return Err(Error::EINVAL);
        }
        // SAFETY: zmq_msg_set_group(3) contract: a NUL-terminated string.
        let g = unsafe { CStr::from_ptr(group) };
        m.set_group(g.to_bytes())?;
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
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
            fails(-1, libc::EFAULT, || zmq_msg_get(&m, ZMQ_MORE));
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
}
