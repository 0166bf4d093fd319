//! Messages: the body of the 64-byte `zmq_msg_t` (zmq_msg_init(3),
//! zmq_msg_init_size(3), zmq_msg_init_data(3), zmq_msg_copy(3),
//! zmq_msg_get(3), zmq_msg_gets(3), zmq_msg_set_group(3)).
//!
//! # Layout
//!
//! [`Msg`] is exactly 64 bytes, 8-byte aligned (`#[repr(C, align(8))]`,
//! checked by const assertions), so the FFI stores it directly inside a C
//! `zmq_msg_t`:
//!
//! | bytes  | field        | notes                                               |
//! | ------ | ------------ | --------------------------------------------------- |
//! | 0..40  | `body`       | `#[repr(u8)]` enum, tag at byte 0 (see [`Body`])     |
//! | 40..48 | `meta`       | `Option<Arc<Metadata>>` (handshake properties)      |
//! | 48..56 | `group`      | `Option<Box<CString>>` (RADIO/DISH group)           |
//! | 56..60 | `routing_id` | `u32` (SERVER/CLIENT/PEER routing id; 0 = none)     |
//! | 60     | `flags`      | MORE, COMMAND, command subtypes, CREDENTIAL, ...    |
//! | 61     | `state`      | internal bits: [`STATE_SHARED`] (atomic)            |
//! | 62..64 | `magic`      | [`MAGIC`] while the message is valid                |
//!
//! Bodies of up to [`INLINE_MAX`] (33) bytes live inline, exactly libzmq
//! 4.3's "very small message" limit on 64-bit targets, so that copies and
//! `ZMQ_SHARED` answer as libzmq does; larger bodies are a refcounted
//! `bytes::Bytes` shared by [`Clone`] (zmq_msg_copy(3) semantics).
//!
//! # Invariants
//!
//! * Not self-referential: C code may `memcpy` a `zmq_msg_t` (e.g.
//!   `zmq_msg_t b = a;`), so every pointer is derived from `&self` on use.
//! * A valid message has a body tag in {0xA1, 0xA2, 0xA3}, an inline length
//!   of at most [`INLINE_MAX`], and `magic == MAGIC`; [`Msg::raw_is_valid`]
//!   checks this on raw bytes before the FFI forms a reference, and
//!   [`Msg::raw_invalidate`] clears it after zmq_msg_close(3), so a closed
//!   or never initialised `zmq_msg_t` is refused with `EFAULT` like libzmq.
//! * `ZMQ_SHARED` follows libzmq's `msg.cpp`: a constant body (zero-copy
//!   without free function, zmq_send_const(3)) is always shared; a
//!   refcounted body becomes shared on its first copy and stays shared
//!   (the flag is sticky, also on the original after the copy is closed);
//!   inline bodies are copied and never shared.
//! * `Msg` is `Send + Sync`: a user buffer's free function runs exactly once,
//!   when the last copy is dropped, on whichever thread drops it.

use crate::error::{Error, Result};
use bytes::Bytes;
use std::ffi::{c_void, CStr, CString};
use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

/// Largest body kept inline in the 64 bytes (libzmq's `max_vsm_size`).
pub const INLINE_MAX: usize = 33;
/// Longest RADIO/DISH group name (`ZMQ_GROUP_MAX_LENGTH`).
pub const GROUP_MAX_LENGTH: usize = 255;
/// Marker stored at bytes 62..64 of every valid message.
pub const MAGIC: u16 = 0x6D5A;
/// `state` bit: the body has been shared by a copy (sticky, as libzmq).
pub const STATE_SHARED: u8 = 1;

/// The C free function of zmq_msg_init_data(3) (`zmq_free_fn`).
pub type FreeFn = unsafe extern "C" fn(data: *mut c_void, hint: *mut c_void);

const TAG_INLINE: u8 = 0xA1;
const TAG_HEAP: u8 = 0xA2;
const TAG_CONST: u8 = 0xA3;

/// The body of a message. `#[repr(u8)]`: the tag is byte 0 of the message
/// and each variant is laid out as a `repr(C)` struct after it.
#[derive(Clone)]
#[repr(u8)]
enum Body {
    /// Up to [`INLINE_MAX`] bytes stored in place.
    Inline { len: u8, data: [u8; INLINE_MAX] } = TAG_INLINE,
    /// A refcounted buffer: ours, a `Bytes` handed in, or a user buffer
    /// with a free function (zmq_msg_init_data(3)).
    Heap(Bytes) = TAG_HEAP,
    /// A constant buffer never freed by us (zmq_msg_init_data(3) with a
    /// NULL free function, zmq_send_const(3)); always reported shared.
    Const(Bytes) = TAG_CONST,
}

/// One message frame, laid out as the 64 bytes of a C `zmq_msg_t`.
#[repr(C, align(8))]
pub struct Msg {
    body: Body,
    meta: Option<Arc<Metadata>>,
    group: Option<Box<CString>>,
    routing_id: u32,
    flags: u8,
    state: AtomicU8,
    magic: u16,
}

const _: () = assert!(std::mem::size_of::<Msg>() == 64);
const _: () = assert!(std::mem::align_of::<Msg>() == 8);
const _: () = assert!(std::mem::size_of::<Body>() == 40);
const _: () = assert!(std::mem::offset_of!(Msg, magic) == 62);
const _: () = assert!(std::mem::offset_of!(Msg, flags) == 60);

/// Byte offset of the inline length (right after the tag).
const INLINE_LEN_OFFSET: usize = 1;

impl Msg {
    /// More frames follow (`ZMQ_MORE`, zmq_msg_more(3)).
    pub const MORE: u8 = 1;
    /// A ZMTP command, not a message.
    pub const COMMAND: u8 = 2;
    /// Command subtype: PING (with COMMAND).
    pub const PING: u8 = 4;
    /// Command subtype: PONG (with COMMAND).
    pub const PONG: u8 = 8;
    /// Command subtype: SUBSCRIBE (with COMMAND).
    pub const SUBSCRIBE: u8 = 12;
    /// Command subtype: CANCEL (with COMMAND).
    pub const CANCEL: u8 = 16;
    /// Mask of the command subtype bits.
    pub const CMD_TYPE_MASK: u8 = 28;
    /// The frame carries the ZAP user id / credential.
    pub const CREDENTIAL: u8 = 32;
    /// The frame is a routing id (ROUTER/STREAM envelope).
    pub const ROUTING_ID: u8 = 64;

    /// An empty message (zmq_msg_init(3)).
    pub const fn new() -> Msg {
        Msg::with_body(Body::Inline {
            len: 0,
            data: [0; INLINE_MAX],
        })
    }

    const fn with_body(body: Body) -> Msg {
        Msg {
            body,
            meta: None,
            group: None,
            routing_id: 0,
            flags: 0,
            state: AtomicU8::new(0),
            magic: MAGIC,
        }
    }

    /// Inline body from `d`, which must be at most [`INLINE_MAX`] long.
    fn inline(d: &[u8]) -> Option<Msg> {
        let len = u8::try_from(d.len())
            .ok()
            .filter(|&l| l as usize <= INLINE_MAX)?;
        let mut data = [0u8; INLINE_MAX];
        data.get_mut(..d.len())?.copy_from_slice(d);
        Some(Msg::with_body(Body::Inline { len, data }))
    }

    /// A message holding a copy of `d` (zmq_msg_init_buffer(3)).
    /// Aborts on allocation failure like `Vec`; see [`Msg::try_from_slice`].
    pub fn from_slice(d: &[u8]) -> Msg {
        if d.len() >= pool::POOL_MIN {
            if let Ok(m) = Msg::try_from_slice(d) {
                return m;
            }
        }
        match Msg::inline(d) {
            Some(m) => m,
            None => Msg::with_body(Body::Heap(Bytes::copy_from_slice(d))),
        }
    }

    /// Like [`Msg::from_slice`], but `ENOMEM` when the copy cannot be
    /// allocated.
    pub fn try_from_slice(d: &[u8]) -> Result<Msg> {
        Msg::copy_of(d, pool::take)
    }

    /// Like [`Msg::try_from_slice`], for an application thread that can
    /// afford to wait briefly for a recycled large buffer
    /// ([`pool::take_patient`]): zmq_msg_init_buffer(3), a blocking
    /// zmq_send(3). Never from an I/O thread.
    pub fn try_from_slice_patient(d: &[u8]) -> Result<Msg> {
        Msg::copy_of(d, pool::take_patient)
    }

    /// A message holding a copy of `d`, its body from `take` when it does
    /// not fit inline.
    fn copy_of(d: &[u8], take: fn(usize) -> Option<Vec<u8>>) -> Result<Msg> {
        if let Some(m) = Msg::inline(d) {
            return Ok(m);
        }
        let mut v = take(d.len()).ok_or(Error::ENOMEM)?;
        v.extend_from_slice(d);
        Ok(Msg::with_body(Body::Heap(pool::into_bytes(v))))
    }

    /// A message taking `v` (small bodies are copied inline).
    pub fn from_vec(v: Vec<u8>) -> Msg {
        match Msg::inline(&v) {
            Some(m) => m,
            None => Msg::with_body(Body::Heap(pool::into_bytes(v))),
        }
    }

    /// A message over `b` without copying (small bodies are copied inline).
    pub fn from_bytes(b: Bytes) -> Msg {
        match Msg::inline(&b) {
            Some(m) => m,
            None => Msg::with_body(Body::Heap(b)),
        }
    }

    /// A constant body over static data; never freed, always shared.
    pub fn from_static(d: &'static [u8]) -> Msg {
        Msg::with_body(Body::Const(Bytes::from_static(d)))
    }

    /// A message of `n` zero bytes. Aborts if the memory cannot be had;
    /// the FFI uses [`Msg::try_with_size`].
    pub fn with_size(n: usize) -> Msg {
        match Msg::try_with_size(n) {
            Ok(m) => m,
            Err(_) => std::alloc::handle_alloc_error(
                std::alloc::Layout::from_size_align(n.min(isize::MAX as usize), 1)
                    .unwrap_or(std::alloc::Layout::new::<u8>()),
            ),
        }
    }

    /// A message of `n` zero bytes (zmq_msg_init_size(3)); `ENOMEM` when the
    /// memory cannot be had. Large bodies come from `calloc`-like zeroed
    /// allocation, so untouched pages cost nothing.
    pub fn try_with_size(n: usize) -> Result<Msg> {
        if n <= INLINE_MAX {
            let len = u8::try_from(n).map_err(|_| Error::EINVAL)?;
            return Ok(Msg::with_body(Body::Inline {
                len,
                data: [0; INLINE_MAX],
            }));
        }
        // SAFETY: zeroed, so every byte is initialised.
        unsafe { Msg::heap_with_size(n, true) }
    }

    /// A message of `n` bytes for a C caller (zmq_msg_init_size(3)), whose
    /// content libzmq leaves uninitialised: so do we for bodies that do not
    /// fit inline. Clearing them is not free: zeroing (calloc) cost a third
    /// of inproc throughput at 64 bytes, and as much as sending at 1 MiB.
    ///
    /// # Safety
    /// The returned message must be handed to C (zmq_msg_data(3) exposes the
    /// buffer) before Rust reads its body: C owns the content from then on,
    /// as with libzmq, and Rust only copies or transmits those bytes.
    pub unsafe fn try_with_size_for_c(n: usize) -> Result<Msg> {
        if n <= INLINE_MAX {
            return Msg::try_with_size(n);
        }
        if n >= pool::POOL_MIN {
            // SAFETY: forwarded from this function's contract.
            let b = unsafe { pool::uninit_bytes(n) }.ok_or(Error::ENOMEM)?;
            return Ok(Msg::with_body(Body::Heap(b)));
        }
        // SAFETY: forwarded from this function's contract.
        unsafe { Msg::heap_with_size(n, false) }
    }

    /// A refcounted body of `n` (> [`INLINE_MAX`]) bytes, zeroed or not.
    ///
    /// # Safety
    /// Without `zeroed`, the caller must see that the bytes are written
    /// before Rust reads them (see [`Msg::try_with_size_for_c`]).
    unsafe fn heap_with_size(n: usize, zeroed: bool) -> Result<Msg> {
        let layout = std::alloc::Layout::array::<u8>(n).map_err(|_| Error::ENOMEM)?;
        if layout.size() == 0 {
            return Ok(Msg::new());
        }
        // SAFETY: `layout` has a non-zero size (checked above).
        let ptr = unsafe {
            if zeroed {
                std::alloc::alloc_zeroed(layout)
            } else {
                std::alloc::alloc(layout)
            }
        };
        if ptr.is_null() {
            return Err(Error::ENOMEM);
        }
        // SAFETY: `ptr` was allocated by the global allocator with the
        // layout of `[u8; n]`, length == capacity == n; the bytes are zeroed
        // or, per this function's contract, written before any Rust read.
        let v = unsafe { Vec::from_raw_parts(ptr, n, n) };
        Ok(Msg::with_body(Body::Heap(Bytes::from(v))))
    }

    /// Wraps a caller's buffer without copying (zmq_msg_init_data(3)).
    ///
    /// With `ffn` set, `ffn(data, hint)` runs exactly once, when the last
    /// copy of the message is dropped, on whichever thread drops it (even
    /// for `size == 0`, like libzmq). With `ffn == None` the buffer is
    /// constant: never freed, and the message reports `ZMQ_SHARED`.
    /// `data == NULL` with `len > 0` is refused with `EFAULT` (libzmq
    /// asserts there).
    ///
    /// # Safety
    /// `data` must point to `len` readable bytes that stay valid until
    /// `ffn` is called (or, without `ffn`, for as long as any copy of the
    /// message lives); `ffn` and `hint` must be usable from any thread.
    pub unsafe fn from_raw_parts(
        data: *mut c_void,
        len: usize,
        ffn: Option<FreeFn>,
        hint: *mut c_void,
    ) -> Result<Msg> {
        if data.is_null() && len > 0 {
            return Err(Error::EFAULT);
        }
        match ffn {
            // SAFETY: forwarded from this function's contract.
            None => Ok(unsafe { Msg::from_static_raw(data.cast::<u8>().cast_const(), len) }),
            Some(ffn) => Ok(Msg::with_body(Body::Heap(Bytes::from_owner(UserBuffer {
                ptr: data.cast::<u8>(),
                len,
                ffn,
                hint,
            })))),
        }
    }

    /// A constant body over a caller's buffer, never freed and always
    /// reported shared (zmq_send_const(3)).
    ///
    /// # Safety
    /// `ptr` must point to `len` readable bytes (or be NULL with `len == 0`)
    /// that stay valid for as long as any copy of the message lives.
    pub unsafe fn from_static_raw(ptr: *const u8, len: usize) -> Msg {
        let bytes = if ptr.is_null() {
            Bytes::new()
        } else {
            // SAFETY: the caller guarantees `len` readable bytes at `ptr`
            // outliving every copy of the message; they are only read here.
            Bytes::from_static(unsafe { std::slice::from_raw_parts(ptr, len) })
        };
        Msg::with_body(Body::Const(bytes))
    }

    /// The body.
    pub fn data(&self) -> &[u8] {
        match &self.body {
            Body::Inline { len, data } => data.get(..*len as usize).unwrap_or(&[]),
            Body::Heap(b) | Body::Const(b) => b,
        }
    }

    /// The body, writable.
    ///
    /// Inline bodies and refcounted bodies held by this message alone are
    /// written in place. A body that other copies also hold, a user buffer
    /// of zmq_msg_init_data(3) or a constant body is first copied into a
    /// buffer of its own (copy-on-write), so Rust code can never write into
    /// memory another message reads. C code that wants libzmq's exact
    /// pointer (into the shared buffer) uses [`Msg::data_ptr_mut`].
    pub fn data_mut(&mut self) -> &mut [u8] {
        let copy = match &self.body {
            Body::Inline { .. } => false,
            Body::Heap(b) => !b.is_empty() && !b.is_unique(),
            Body::Const(b) => !b.is_empty(),
        };
        if copy {
            let v = self.data().to_vec();
            self.body = Body::Heap(Bytes::from(v));
            self.state.store(0, Ordering::Relaxed);
        }
        match &mut self.body {
            Body::Inline { len, data } => data.get_mut(..*len as usize).unwrap_or(&mut []),
            Body::Heap(b) if !b.is_empty() && b.is_unique() => {
                // SAFETY: a non-empty `Bytes` that is unique was built from
                // a Vec/Box allocation (only those vtables answer unique),
                // so its pointer may be written; no other handle reads it,
                // and `&mut self` keeps `self.data()` borrows out for the
                // lifetime of the returned slice.
                unsafe { std::slice::from_raw_parts_mut(b.as_ptr().cast_mut(), b.len()) }
            }
            _ => &mut [],
        }
    }

    /// The pointer zmq_msg_data(3) returns: into the inline bytes, or into
    /// the shared buffer for refcounted and constant bodies, exactly as
    /// libzmq (which lets C write into a buffer other copies share). Rust
    /// code never writes through it; C callers take libzmq's rules.
    pub fn data_ptr_mut(&mut self) -> *mut u8 {
        match &mut self.body {
            Body::Inline { data, .. } => data.as_mut_ptr(),
            Body::Heap(b) | Body::Const(b) => b.as_ptr().cast_mut(),
        }
    }

    /// Body length in bytes (zmq_msg_size(3)).
    pub fn len(&self) -> usize {
        match &self.body {
            Body::Inline { len, .. } => *len as usize,
            Body::Heap(b) | Body::Const(b) => b.len(),
        }
    }

    /// True when the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A cheap handle on the body (shared for large bodies, a copy for
    /// inline ones). Does not mark the message `ZMQ_SHARED`.
    pub fn to_bytes(&self) -> Bytes {
        match &self.body {
            Body::Inline { .. } => Bytes::copy_from_slice(self.data()),
            Body::Heap(b) | Body::Const(b) => b.clone(),
        }
    }

    /// The body as `Bytes`, without a refcount change for large bodies.
    pub fn into_bytes(self) -> Bytes {
        match self.body {
            Body::Inline { len, data } => {
                Bytes::copy_from_slice(data.get(..len as usize).unwrap_or(&[]))
            }
            Body::Heap(b) | Body::Const(b) => b,
        }
    }

    /// `ZMQ_SHARED` of zmq_msg_get(3): a constant body, or a refcounted body
    /// that has been copied (sticky, as in libzmq).
    pub fn is_shared(&self) -> bool {
        matches!(self.body, Body::Const(_))
            || self.state.load(Ordering::Relaxed) & STATE_SHARED != 0
    }

    /// True when the body lives inline (no allocation).
    pub fn is_inline(&self) -> bool {
        matches!(self.body, Body::Inline { .. })
    }

    /// All flag bits.
    pub fn flags(&self) -> u8 {
        self.flags
    }
    /// Sets the bits of `f`.
    pub fn set_flags(&mut self, f: u8) {
        self.flags |= f;
    }
    /// Clears the bits of `f`.
    pub fn reset_flags(&mut self, f: u8) {
        self.flags &= !f;
    }
    /// `ZMQ_MORE` (zmq_msg_more(3)).
    pub fn more(&self) -> bool {
        self.flags & Msg::MORE != 0
    }
    /// Sets or clears `ZMQ_MORE`.
    pub fn set_more(&mut self, more: bool) {
        if more {
            self.flags |= Msg::MORE
        } else {
            self.flags &= !Msg::MORE
        }
    }
    /// True for a ZMTP command frame.
    pub fn is_command(&self) -> bool {
        self.flags & Msg::COMMAND != 0
    }
    /// True for a credential frame.
    pub fn is_credential(&self) -> bool {
        self.flags & Msg::CREDENTIAL != 0
    }
    /// True for a routing-id frame.
    pub fn is_routing_id(&self) -> bool {
        self.flags & Msg::ROUTING_ID != 0
    }

    /// The routing id (zmq_msg_routing_id(3)); 0 when none.
    pub fn routing_id(&self) -> u32 {
        self.routing_id
    }
    /// Sets the routing id; 0 clears it. (zmq_msg_set_routing_id(3)'s
    /// refusal of 0 is done by the FFI.)
    pub fn set_routing_id(&mut self, id: u32) {
        self.routing_id = id;
    }

    /// The group (zmq_msg_group(3)); empty when none.
    pub fn group(&self) -> &[u8] {
        self.group.as_deref().map_or(&[], |g| g.as_bytes())
    }
    /// The group as a C string ("" when none).
    pub fn group_cstr(&self) -> &CStr {
        self.group.as_deref().map_or(c"", |g| g.as_c_str())
    }
    /// Sets the group (zmq_msg_set_group(3)): `EINVAL` when longer than
    /// [`GROUP_MAX_LENGTH`] bytes or holding a NUL byte.
    pub fn set_group(&mut self, g: &[u8]) -> Result<()> {
        if g.len() > GROUP_MAX_LENGTH {
            return Err(Error::EINVAL);
        }
        let c = CString::new(g).map_err(|_| Error::EINVAL)?;
        self.group = Some(Box::new(c));
        Ok(())
    }

    /// The properties of the connection the message arrived on.
    pub fn metadata(&self) -> Option<&Arc<Metadata>> {
        self.meta.as_ref()
    }
    /// Attaches (or removes) properties.
    pub fn set_metadata(&mut self, m: Option<Arc<Metadata>>) {
        self.meta = m;
    }
    /// Detaches the properties and returns them.
    pub fn take_metadata(&mut self) -> Option<Arc<Metadata>> {
        self.meta.take()
    }

    /// `ZMQ_SRCFD` of zmq_msg_get(3): the fd of the connection the message
    /// arrived on, from the private `__fd` property (as libzmq); `None`
    /// when not known.
    pub fn srcfd(&self) -> Option<i32> {
        self.meta.as_ref()?.get(Metadata::SRCFD).map(atoi)
    }

    /// True when the 64 bytes at `p` hold a valid message: tag, inline
    /// length and magic are checked on raw bytes, before any reference to
    /// a `Msg` is formed (the FFI's EFAULT check).
    ///
    /// # Safety
    /// `p` must be non-null, 8-byte aligned and point to 64 readable bytes.
    pub unsafe fn raw_is_valid(p: *const Msg) -> bool {
        let b = p.cast::<u8>();
        // SAFETY: the caller guarantees 64 readable bytes at `p`; every
        // offset read is below 64 and `magic` is 2-byte aligned (offset 62
        // of an 8-aligned pointer).
        unsafe {
            let tag = b.read();
            let magic = b.add(std::mem::offset_of!(Msg, magic)).cast::<u16>().read();
            if magic != MAGIC {
                return false;
            }
            match tag {
                TAG_INLINE => (b.add(INLINE_LEN_OFFSET).read() as usize) <= INLINE_MAX,
                TAG_HEAP | TAG_CONST => true,
                _ => false,
            }
        }
    }

    /// Marks the 64 bytes at `p` invalid (after the message was dropped in
    /// place), so that [`Msg::raw_is_valid`] refuses them.
    ///
    /// # Safety
    /// `p` must point to 64 writable bytes holding no live message.
    pub unsafe fn raw_invalidate(p: *mut Msg) {
        // SAFETY: the caller guarantees 64 writable bytes with nothing live
        // in them; zero bytes have tag 0 and magic 0, i.e. invalid.
        unsafe { p.cast::<u8>().write_bytes(0, std::mem::size_of::<Msg>()) }
    }
}

/// libzmq's `atoi` on the `__fd` property: leading digits, 0 otherwise.
fn atoi(v: &[u8]) -> i32 {
    let s = std::str::from_utf8(v).unwrap_or("");
    let s = s.trim_start();
    let end = s
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+'))))
        .map_or(s.len(), |(i, _)| i);
    s.get(..end).and_then(|d| d.parse().ok()).unwrap_or(0)
}

impl Default for Msg {
    fn default() -> Msg {
        Msg::new()
    }
}

/// zmq_msg_copy(3) semantics: inline bodies are copied, refcounted bodies
/// are shared and both the original and the copy become `ZMQ_SHARED`.
impl Clone for Msg {
    fn clone(&self) -> Msg {
        let state = match self.body {
            Body::Inline { .. } => self.state.load(Ordering::Relaxed),
            Body::Heap(_) | Body::Const(_) => {
                self.state.fetch_or(STATE_SHARED, Ordering::Relaxed) | STATE_SHARED
            }
        };
        Msg {
            body: self.body.clone(),
            meta: self.meta.clone(),
            group: self.group.clone(),
            routing_id: self.routing_id,
            flags: self.flags,
            state: AtomicU8::new(state),
            magic: MAGIC,
        }
    }
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.data();
        let head = d.get(..d.len().min(16)).unwrap_or(&[]);
        f.debug_struct("Msg")
            .field("len", &d.len())
            .field("head", &head)
            .field("flags", &self.flags)
            .field("shared", &self.is_shared())
            .field("routing_id", &self.routing_id)
            .field("group", &String::from_utf8_lossy(self.group()))
            .field("meta", &self.meta.is_some())
            .finish()
    }
}

/// A caller's buffer from zmq_msg_init_data(3): its free function runs when
/// the last `Bytes` handle on it is dropped.
struct UserBuffer {
    ptr: *mut u8,
    len: usize,
    ffn: FreeFn,
    hint: *mut c_void,
}

// SAFETY: zmq_msg_init_data(3) hands the buffer over to the library, which
// may read it and call `ffn(data, hint)` from any thread (libzmq frees from
// its I/O threads too); the caller's contract on `Msg::from_raw_parts`.
unsafe impl Send for UserBuffer {}

impl AsRef<[u8]> for UserBuffer {
    fn as_ref(&self) -> &[u8] {
        if self.ptr.is_null() {
            return &[];
        }
        // SAFETY: `Msg::from_raw_parts`'s contract: `len` readable bytes at
        // `ptr`, valid until `ffn` runs (in `drop`, after the last use).
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for UserBuffer {
    fn drop(&mut self) {
        // SAFETY: the free function the caller gave with this buffer, called
        // exactly once (this owner is dropped once, by the last `Bytes`).
        unsafe { (self.ffn)(self.ptr.cast::<c_void>(), self.hint) }
    }
}

/// Properties attached to received messages (zmq_msg_gets(3)), filled by
/// the engine from the handshake (Socket-Type, Identity/Routing-Id, User-Id,
/// application properties) and the connection (Peer-Address, `__fd`).
///
/// Names match exactly (case-sensitive), as libzmq's `metadata_t::get`;
/// the one alias is `Identity`, which falls back to `Routing-Id`. Values
/// are stored NUL-terminated so the FFI can hand out C strings.
#[derive(Debug, Default, Clone)]
pub struct Metadata {
    entries: Vec<(String, Box<[u8]>)>,
}

impl Metadata {
    /// `Socket-Type` (ZMTP READY property).
    pub const SOCKET_TYPE: &'static str = "Socket-Type";
    /// `Routing-Id`.
    pub const ROUTING_ID: &'static str = "Routing-Id";
    /// `Identity` (deprecated name of `Routing-Id`, what ZMTP peers send).
    pub const IDENTITY: &'static str = "Identity";
    /// `User-Id` (set from the ZAP reply).
    pub const USER_ID: &'static str = "User-Id";
    /// `Peer-Address` (the remote IP address, when the transport has one).
    pub const PEER_ADDRESS: &'static str = "Peer-Address";
    /// Private property holding the connection's fd (for `ZMQ_SRCFD`).
    pub const SRCFD: &'static str = "__fd";

    pub fn new() -> Metadata {
        Metadata::default()
    }

    /// Adds (or replaces, same exact name) a property.
    pub fn insert(&mut self, name: &str, value: &[u8]) {
        let mut v = Vec::with_capacity(value.len() + 1);
        v.extend_from_slice(value);
        v.push(0);
        let v = v.into_boxed_slice();
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(e) => e.1 = v,
            None => self.entries.push((name.to_string(), v)),
        }
    }

    fn find(&self, name: &str) -> Option<&[u8]> {
        let found = self.entries.iter().find(|(n, _)| n == name);
        match found {
            Some((_, v)) => Some(v),
            None if name == Metadata::IDENTITY => self.find(Metadata::ROUTING_ID),
            None => None,
        }
    }

    /// Looks a property up (exact name; `Identity` falls back to
    /// `Routing-Id`).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        let v = self.find(name)?;
        Some(v.get(..v.len().saturating_sub(1)).unwrap_or(&[]))
    }

    /// Looks a property up as a C string (up to its first NUL byte), for
    /// zmq_msg_gets(3); the pointer lives as long as `self`.
    pub fn get_cstr(&self, name: &str) -> Option<&CStr> {
        CStr::from_bytes_until_nul(self.find(name)?).ok()
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no property.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The properties in insertion order, values without their NUL.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.entries.iter().map(|(n, v)| {
            (
                n.as_str(),
                v.get(..v.len().saturating_sub(1)).unwrap_or(&[]),
            )
        })
    }
}

pub mod alloc;
pub mod pool;

#[cfg(test)]
mod tests;
