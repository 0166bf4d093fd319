//! The `ipc://` transport: UNIX-domain stream sockets (zmq_ipc(7)).
//!
//! Rules, checked against Debian's libzmq 4.3.4:
//! - the address is a file path (relative paths stay relative), `@name`
//!   for Linux's abstract namespace (`@` alone is EINVAL), or `*` on bind
//!   for a fresh unique path `<tmp>/tmpXXXXXX/socket`, where `<tmp>` is the
//!   first directory among $TMPDIR, $TEMPDIR, $TMP. (libzmq 4.3.4 then
//!   falls back to the current directory; we fall back to `/tmp`.);
//! - a path of 108 bytes or more (sizeof sun_path) is ENAMETOOLONG;
//! - bind first removes a socket file left at the path, so a second bind
//!   to the same path takes it over, as in libzmq (we only remove sockets,
//!   never another kind of file: that one gives EADDRINUSE); an abstract
//!   name already bound is EADDRINUSE;
//! - on close libzmq leaves an explicit path's file in place and removes
//!   only the wildcard's file and its directory: [`ipc_bind`] returns that
//!   file for [`ipc_cleanup`].

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use socket2::{Domain, SockAddr, Socket, Type};

use super::{sys, ConnectFailure};
use crate::error::{Error, Result};

/// `sizeof(((struct sockaddr_un *)0)->sun_path)` on Linux.
const SUN_PATH_LEN: usize = 108;

/// libzmq's default ZMQ_BACKLOG.
const DEFAULT_BACKLOG: i32 = 100;

/// Checks an `ipc://` address part as libzmq does when resolving it:
/// ENAMETOOLONG when it does not fit `sun_path` with its terminating NUL,
/// EINVAL for an empty path or a bare `@`.
pub fn ipc_check_path(path: &str) -> Result<()> {
    if path.len() >= SUN_PATH_LEN {
        return Err(Error(libc::ENAMETOOLONG));
    }
    if path.is_empty() || path == "@" || path.contains('\0') {
        return Err(Error::EINVAL);
    }
    Ok(())
}

/// The socket address of a checked path (`@name` is abstract).
fn sock_addr(path: &str) -> io::Result<SockAddr> {
    match path.strip_prefix('@') {
        Some(name) => {
            let mut bytes = Vec::with_capacity(name.len() + 1);
            bytes.push(0u8);
            bytes.extend_from_slice(name.as_bytes());
            SockAddr::unix(PathBuf::from(OsString::from_vec(bytes)))
        }
        None => SockAddr::unix(path),
    }
}

/// The directory for wildcard sockets: $TMPDIR, $TEMPDIR or $TMP if it is
/// a directory, else `/tmp`.
fn temp_dir() -> String {
    for var in ["TMPDIR", "TEMPDIR", "TMP"] {
        if let Ok(dir) = std::env::var(var) {
            if !dir.is_empty() && Path::new(&dir).is_dir() {
                return dir;
            }
        }
    }
    "/tmp".to_string()
}

/// Binds and listens on an `ipc://` address part with ZMQ_BACKLOG 100
/// (zmq_bind(3), zmq_ipc(7)); see [`ipc_bind_with_backlog`].
pub fn ipc_bind(path: &str) -> Result<(mio::net::UnixListener, String, Option<PathBuf>)> {
    ipc_bind_with_backlog(path, DEFAULT_BACKLOG)
}

/// Binds and listens on an `ipc://` address part. Returns the non-blocking
/// listener, the endpoint for ZMQ_LAST_ENDPOINT (`ipc://...`), and for the
/// wildcard `*` the socket file to hand to [`ipc_cleanup`] on close.
/// Errors: ENAMETOOLONG, EINVAL, EADDRINUSE, ENOENT (no such directory),
/// EACCES, and other OS errors.
pub fn ipc_bind_with_backlog(
    path: &str,
    backlog: i32,
) -> Result<(mio::net::UnixListener, String, Option<PathBuf>)> {
    if path == "*" {
        let base = temp_dir();
        let template = if base.ends_with('/') {
            format!("{base}tmpXXXXXX")
        } else {
            format!("{base}/tmpXXXXXX")
        };
        let dir = sys::mkdtemp(&template)?;
        let file = dir.join("socket");
        let result = file
            .to_str()
            .ok_or(Error::EINVAL)
            .and_then(|f| listen_at(f, backlog).map(|l| (l, f.to_string())));
        return match result {
            Ok((l, f)) => Ok((l, format!("ipc://{f}"), Some(file))),
            Err(e) => {
                let _ = std::fs::remove_file(&file);
                let _ = std::fs::remove_dir(&dir);
                Err(e)
            }
        };
    }
    if !path.starts_with('@') {
        // Take over a socket file left behind, as libzmq does.
        ipc_check_path(path)?;
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            if meta.file_type().is_socket() {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    let listener = listen_at(path, backlog)?;
    Ok((listener, format!("ipc://{path}"), None))
}

fn listen_at(path: &str, backlog: i32) -> Result<mio::net::UnixListener> {
    ipc_check_path(path)?;
    let addr = sock_addr(path)?;
    let sock = Socket::new(Domain::UNIX, Type::STREAM, None)?;
    sock.bind(&addr)?;
    sock.listen(backlog)?;
    sock.set_nonblocking(true)?;
    let std_listener = std::os::unix::net::UnixListener::from(OwnedFd::from(sock));
    Ok(mio::net::UnixListener::from_std(std_listener))
}

/// An ipc listener from a descriptor the application bound and set
/// listening itself (ZMQ_USE_FD). The socket file stays the
/// application's: nothing is removed when the listener closes.
pub fn ipc_listener_from_fd(fd: i32, path: &str) -> Result<(mio::net::UnixListener, String)> {
    let sock = Socket::from(sys::adopt_fd(fd)?);
    sock.set_nonblocking(true)?;
    let std_listener = std::os::unix::net::UnixListener::from(OwnedFd::from(sock));
    Ok((
        mio::net::UnixListener::from_std(std_listener),
        format!("ipc://{path}"),
    ))
}

/// Removes a wildcard socket's file and its private directory (what
/// libzmq does when such a listener closes). Errors are ignored.
pub fn ipc_cleanup(file: &Path) {
    let _ = std::fs::remove_file(file);
    if let Some(dir) = file.parent() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Starts a non-blocking connect to an `ipc://` address part (`@name` is
/// abstract). UNIX sockets usually connect at once; EINPROGRESS is
/// reported as success (check with `connect_finished` once writable).
/// Errors: ENAMETOOLONG/EINVAL (path), ENOENT, ECONNREFUSED, EAGAIN (the
/// listener's backlog is full) and other OS errors.
pub fn ipc_connect(path: &str) -> io::Result<mio::net::UnixStream> {
    ipc_start_connect(path).map_err(|f| f.error)
}

/// [`ipc_connect`], telling on failure which fd the OS socket had when it
/// was made before the connect failed (libzmq reports that fd closed).
pub fn ipc_start_connect(path: &str) -> std::result::Result<mio::net::UnixStream, ConnectFailure> {
    ipc_check_path(path).map_err(|e| ConnectFailure::from(io::Error::from_raw_os_error(e.0)))?;
    let addr = sock_addr(path)?;
    let sock = Socket::new(Domain::UNIX, Type::STREAM, None)?;
    let fd = sock.as_raw_fd();
    let opened = |error| ConnectFailure {
        error,
        fd: Some(fd),
    };
    sock.set_nonblocking(true).map_err(opened)?;
    match sock.connect(&addr) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {}
        Err(e) => return Err(opened(e)),
    }
    let std_stream = std::os::unix::net::UnixStream::from(OwnedFd::from(sock));
    Ok(mio::net::UnixStream::from_std(std_stream))
}

#[cfg(test)]
mod tests;

/// A unix socket address as libzmq names it in monitor events:
/// `ipc://` and the path, `ipc://@name` for an abstract one, plain `ipc://`
/// for an unnamed socket (a connecting end).
pub fn format_ipc_endpoint(addr: &std::os::unix::net::SocketAddr) -> String {
    use std::os::linux::net::SocketAddrExt;
    if let Some(p) = addr.as_pathname() {
        format!("ipc://{}", p.display())
    } else if let Some(name) = addr.as_abstract_name() {
        format!("ipc://@{}", String::from_utf8_lossy(name))
    } else {
        "ipc://".to_string()
    }
}
