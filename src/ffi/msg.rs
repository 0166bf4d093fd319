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

/// [`msg_ref_const`] for the property readers (zmq_msg_more, zmq_msg_get,
/// zmq_msg_gets): libzmq reads those fields without checking the message,
/// so a zeroed or closed body answers as a message with no flags and no
/// metadata (`None`). NULL or misaligned still gives `EFAULT`.
///
/// # Safety
/// As [`msg_ref_const`].
unsafe fn msg_props<'a>(p: *const zmq_msg_t) -> Result<Option<&'a Msg>> {
    let m = slot(p)?;
    // SAFETY: `m` is non-NULL and aligned; the caller guarantees 64 bytes.
    if !unsafe { Msg::raw_is_valid(m) } {
        return Ok(None);
    }
    // SAFETY: a valid message, not written during 'a (caller's contract).
    Ok(Some(unsafe { &*m }))
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
            Msg::try_from_slice_patient(unsafe {
                std::slice::from_raw_parts(buf.cast::<u8>(), size)
            })
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
    // SAFETY: `msg` from the C caller; checked by msg_props.
    guard_int(|| Ok(unsafe { msg_props(msg) }?.is_some_and(Msg::more) as c_int))
}

/// zmq_msg_get(3): `ZMQ_MORE`, `ZMQ_SRCFD` (-1 with `EINVAL` when the
/// message did not come from a connection with an fd), `ZMQ_SHARED`;
/// any other property gives `EINVAL`.
#[no_mangle]
pub unsafe extern "C" fn zmq_msg_get(msg: *const zmq_msg_t, property: c_int) -> c_int {
    guard_int(|| {
        // SAFETY: `msg` from the C caller; checked by msg_props.
        let m = unsafe { msg_props(msg) }?;
        match property {
            ZMQ_MORE => Ok(m.is_some_and(Msg::more) as c_int),
            ZMQ_SRCFD => m.and_then(Msg::srcfd).ok_or(Error::EINVAL),
            ZMQ_SHARED => Ok(m.is_some_and(Msg::is_shared) as c_int),
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
        // SAFETY: `msg` from the C caller; checked by msg_props.
        let m = unsafe { msg_props(msg) }?.ok_or(Error::EINVAL)?;
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
mod tests;
