//! OS calls of the transport layer that socket2 and mio do not offer.
//!
//! This is the one place in `src/transport` with `unsafe`: every libc call
//! goes through [`cvt`], which turns the C convention (`-1` plus `errno`)
//! into `io::Result` (ARCHITECTURE rule 6). Each unsafe block carries a
//! `// SAFETY:` line. Nothing here knows about ZeroMQ endpoints; callers pass
//! plain names, descriptors and integers.

use std::ffi::{CStr, CString, OsString};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

/// Turns a libc return value into `io::Result`, reading `errno` on `-1`.
fn cvt(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// `setsockopt(fd, level, name, &value, sizeof(int))`.
pub fn setsockopt_int<S: AsFd>(
    sock: &S,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    let fd = sock.as_fd().as_raw_fd();
    // SAFETY: `fd` is a live descriptor borrowed from `sock`; the option
    // value points to a local c_int whose exact size is passed.
    cvt(unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })
    .map(|_| ())
}

/// `getsockopt(fd, level, name)` for an `int` option.
pub fn getsockopt_int<S: AsFd>(
    sock: &S,
    level: libc::c_int,
    name: libc::c_int,
) -> io::Result<libc::c_int> {
    let fd = sock.as_fd().as_raw_fd();
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `fd` is live; `value` and `len` are valid, writable locals and
    // `len` holds the size of `value`.
    cvt(unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    })?;
    Ok(value)
}

/// The peer's credentials of a connected `AF_UNIX` socket (`SO_PEERCRED`).
pub fn peer_cred<S: AsFd>(sock: &S) -> io::Result<(u32, u32, i32)> {
    let fd = sock.as_fd().as_raw_fd();
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `fd` is live; `cred` is a writable ucred and `len` its size.
    cvt(unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    })?;
    Ok((cred.uid, cred.gid, cred.pid))
}

/// The index of the network interface `name`, 0 when there is none
/// (`if_nametoindex(3)`).
pub fn if_nametoindex(name: &str) -> u32 {
    let Ok(c) = CString::new(name) else {
        return 0;
    };
    // SAFETY: `c` is a valid NUL-terminated string for the whole call.
    unsafe { libc::if_nametoindex(c.as_ptr()) }
}

/// The first address of family IPv6 (`ipv6`) or IPv4 (`!ipv6`) of the
/// network interface `name`, from `getifaddrs(3)`; `Ok(None)` when the
/// interface does not exist or has no address of that family.
pub fn interface_addr(name: &str, ipv6: bool) -> io::Result<Option<(IpAddr, u32)>> {
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: `head` is a valid out-pointer; on success it owns a list that
    // we release with freeifaddrs below.
    cvt(unsafe { libc::getifaddrs(&mut head) })?;
    let mut found = None;
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a non-null node of the list getifaddrs returned,
        // alive until freeifaddrs.
        let ifa = unsafe { &*cur };
        cur = ifa.ifa_next;
        if ifa.ifa_addr.is_null() || ifa.ifa_name.is_null() {
            continue;
        }
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        let ifname = unsafe { CStr::from_ptr(ifa.ifa_name) };
        if ifname.to_bytes() != name.as_bytes() {
            continue;
        }
        // SAFETY: ifa_addr is non-null and points to at least a sockaddr.
        let family = libc::c_int::from(unsafe { (*ifa.ifa_addr).sa_family });
        if ipv6 && family == libc::AF_INET6 {
            // SAFETY: the family says this is a sockaddr_in6.
            let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
            found = Some((
                IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)),
                sin6.sin6_scope_id,
            ));
            break;
        }
        if !ipv6 && family == libc::AF_INET {
            // SAFETY: the family says this is a sockaddr_in.
            let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
            found = Some((
                IpAddr::V4(Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr))),
                0,
            ));
            break;
        }
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    Ok(found)
}

/// Takes ownership of a descriptor the application handed over with
/// ZMQ_USE_FD (zmq_setsockopt(3)); EBADF when `fd` is not open. Like
/// libzmq, the listener made from it closes it.
pub fn adopt_fd(fd: i32) -> io::Result<OwnedFd> {
    // SAFETY: F_GETFD only reads the descriptor flags; an invalid fd
    // fails with EBADF.
    cvt(unsafe { libc::fcntl(fd, libc::F_GETFD) })?;
    // SAFETY: `fd` is open (checked above) and the application gave it to
    // this socket (ZMQ_USE_FD): from here on the listener owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Creates a fresh private directory from `template` (which ends in
/// `XXXXXX`) with `mkdtemp(3)` and returns its path.
pub fn mkdtemp(template: &str) -> io::Result<PathBuf> {
    let c = CString::new(template).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    let mut buf = c.into_bytes_with_nul();
    // SAFETY: `buf` is a writable NUL-terminated buffer that mkdtemp
    // modifies in place without changing its length.
    let p = unsafe { libc::mkdtemp(buf.as_mut_ptr().cast()) };
    if p.is_null() {
        return Err(io::Error::last_os_error());
    }
    buf.pop(); // the NUL
    Ok(PathBuf::from(OsString::from_vec(buf)))
}

/// A growable byte buffer whose unused capacity a read may fill: a
/// message body (`Vec`) or an I/O thread's shared read buffer (`BytesMut`).
pub trait SpareBuf {
    /// The unused capacity.
    fn spare(&mut self) -> &mut [std::mem::MaybeUninit<u8>];
    /// Counts `n` more bytes as content.
    ///
    /// # Safety
    /// The first `n` bytes of [`SpareBuf::spare`] must be initialised.
    unsafe fn grow(&mut self, n: usize);
}

impl SpareBuf for Vec<u8> {
    fn spare(&mut self) -> &mut [std::mem::MaybeUninit<u8>] {
        self.spare_capacity_mut()
    }
    unsafe fn grow(&mut self, n: usize) {
        // SAFETY: forwarded from this function's contract; `n` is at most
        // the spare capacity, so the length stays within the capacity.
        unsafe { self.set_len(self.len() + n) };
    }
}

impl SpareBuf for bytes::BytesMut {
    fn spare(&mut self) -> &mut [std::mem::MaybeUninit<u8>] {
        self.spare_capacity_mut()
    }
    unsafe fn grow(&mut self, n: usize) {
        // SAFETY: as for `Vec`.
        unsafe { self.set_len(self.len() + n) };
    }
}

/// `read(2)` from `sock` into the unused capacity of `buf`, at most `max`
/// bytes; the bytes read extend `buf`. Lets a large message body be filled
/// straight from the socket without zeroing or copying it first, and the
/// I/O thread's shared read buffer be filled without zeroing. Returns the
/// bytes read and the bytes asked for (fewer read: the socket is empty).
pub fn read_spare<S: AsFd, B: SpareBuf>(
    sock: &S,
    buf: &mut B,
    max: usize,
) -> io::Result<(usize, usize)> {
    let fd = sock.as_fd().as_raw_fd();
    let spare = buf.spare();
    let want = spare.len().min(max);
    // SAFETY: `fd` is a live descriptor borrowed from `sock`; the kernel
    // writes at most `want` bytes into `spare`, which is owned, writable
    // capacity of `buf` of at least that length.
    let n = unsafe { libc::read(fd, spare.as_mut_ptr().cast(), want) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let n = n.unsigned_abs().min(want);
    // SAFETY: the kernel initialised the first `n` spare bytes (read(2)
    // returned `n`, at most `want`, within the spare capacity).
    unsafe { buf.grow(n) };
    Ok((n, want))
}

/// `sendmsg(2)` of `bufs` in order with `MSG_NOSIGNAL` (a closed peer is
/// an `EPIPE` error, never a SIGPIPE in the host process).
pub fn send_vectored<S: AsFd>(sock: &S, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
    let fd = sock.as_fd().as_raw_fd();
    // SAFETY: an all-zero msghdr is a valid "no name, no control" header.
    let mut hdr: libc::msghdr = unsafe { std::mem::zeroed() };
    // IoSlice is guaranteed ABI-compatible with `struct iovec` on Unix; the
    // kernel only reads through these pointers.
    hdr.msg_iov = bufs.as_ptr().cast_mut().cast::<libc::iovec>();
    hdr.msg_iovlen = bufs.len().min(1024);
    // SAFETY: `fd` is a live descriptor borrowed from `sock`; `hdr` points
    // to `msg_iovlen` valid iovecs borrowed from `bufs` for this call.
    let n = unsafe { libc::sendmsg(fd, &hdr, libc::MSG_NOSIGNAL) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n.unsigned_abs())
}

#[cfg(test)]
mod tests;

/// Pins the calling thread to the CPUs in `cpus` (sched_setaffinity(2),
/// libzmq's ZMQ_THREAD_AFFINITY_CPU_ADD); nothing when it is empty.
pub fn pin_current_thread(cpus: &[i32]) -> io::Result<()> {
    if cpus.is_empty() {
        return Ok(());
    }
    // SAFETY: cpu_set_t is plain data; all zeroes is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    for &cpu in cpus {
        let Ok(cpu) = usize::try_from(cpu) else {
            continue;
        };
        if cpu < libc::CPU_SETSIZE as usize {
            // SAFETY: `cpu` is below the set's size.
            unsafe { libc::CPU_SET(cpu, &mut set) };
        }
    }
    // SAFETY: `set` is a valid cpu_set_t and its exact size is passed;
    // pid 0 names the calling thread.
    cvt(unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) })?;
    Ok(())
}

/// Sets the calling thread's scheduling policy and priority (libzmq's
/// ZMQ_THREAD_SCHED_POLICY / ZMQ_THREAD_PRIORITY; -1 leaves one as it is).
pub fn set_current_thread_sched(policy: i32, priority: i32) -> io::Result<()> {
    if policy < 0 && priority < 0 {
        return Ok(());
    }
    let mut cur_policy: libc::c_int = 0;
    // SAFETY: sched_param is plain data; all zeroes is a valid value.
    let mut param: libc::sched_param = unsafe { std::mem::zeroed() };
    // SAFETY: pthread_self() is the calling thread; both out-pointers
    // point to locals of the right types.
    let rc =
        unsafe { libc::pthread_getschedparam(libc::pthread_self(), &mut cur_policy, &mut param) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    if policy >= 0 {
        cur_policy = policy;
    }
    if priority >= 0 {
        param.sched_priority = priority;
    }
    // SAFETY: as above; `param` is initialised.
    let rc = unsafe { libc::pthread_setschedparam(libc::pthread_self(), cur_policy, &param) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(())
}
