//! Errors as libzmq reports them: an errno value.
//!
//! Every fallible function of the crate returns `Result<T>`; the FFI layer
//! turns `Err(e)` into `-1`/`NULL` and stores `e.0` in the C `errno`
//! (zmq_errno(3)). libzmq's own codes sit above `ZMQ_HAUSNUMERO`; POSIX codes
//! use the platform's values, exactly as libzmq does on Linux.

use std::fmt;

/// Base of libzmq's private error numbers (`ZMQ_HAUSNUMERO`).
pub const HAUSNUMERO: i32 = 156_384_712;
/// Operation cannot be accomplished in current state.
pub const EFSM: i32 = HAUSNUMERO + 51;
/// The protocol is not compatible with the socket type.
pub const ENOCOMPATPROTO: i32 = HAUSNUMERO + 52;
/// Context was terminated.
pub const ETERM: i32 = HAUSNUMERO + 53;
/// No thread available.
pub const EMTHREAD: i32 = HAUSNUMERO + 54;

/// An errno value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(pub i32);

impl Error {
    pub const EAGAIN: Error = Error(libc::EAGAIN);
    pub const EINVAL: Error = Error(libc::EINVAL);
    pub const EFAULT: Error = Error(libc::EFAULT);
    pub const ENOMEM: Error = Error(libc::ENOMEM);
    pub const ENOTSUP: Error = Error(libc::ENOTSUP);
    pub const ENOTSOCK: Error = Error(libc::ENOTSOCK);
    pub const EINTR: Error = Error(libc::EINTR);
    pub const EHOSTUNREACH: Error = Error(libc::EHOSTUNREACH);
    pub const ENOENT: Error = Error(libc::ENOENT);
    pub const EADDRINUSE: Error = Error(libc::EADDRINUSE);
    pub const EADDRNOTAVAIL: Error = Error(libc::EADDRNOTAVAIL);
    pub const EPROTONOSUPPORT: Error = Error(libc::EPROTONOSUPPORT);
    pub const ENODEV: Error = Error(libc::ENODEV);
    pub const EMFILE: Error = Error(libc::EMFILE);
    pub const ECONNREFUSED: Error = Error(libc::ECONNREFUSED);
    pub const EFSM: Error = Error(EFSM);
    pub const ENOCOMPATPROTO: Error = Error(ENOCOMPATPROTO);
    pub const ETERM: Error = Error(ETERM);
    pub const EMTHREAD: Error = Error(EMTHREAD);

    /// The errno of an I/O error (EIO when the OS gave none).
    pub fn from_io(e: &std::io::Error) -> Error {
        Error(e.raw_os_error().unwrap_or(libc::EIO))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::from_io(&e)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.0, strerror(self.0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&strerror(self.0))
    }
}

impl std::error::Error for Error {}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// libzmq's message for its own codes, the system's for the others
/// (zmq_strerror(3)).
pub fn strerror(errnum: i32) -> String {
    match errnum {
        EFSM => "Operation cannot be accomplished in current state".into(),
        ENOCOMPATPROTO => "The protocol is not compatible with the socket type".into(),
        ETERM => "Context was terminated".into(),
        EMTHREAD => "No thread available".into(),
        _ => std::io::Error::from_raw_os_error(errnum)
            .to_string()
            .split(" (os error")
            .next()
            .unwrap_or("Unknown error")
            .to_string(),
    }
}

/// Reads the calling thread's C `errno`.
pub fn errno() -> i32 {
    // SAFETY: __errno_location always returns a valid pointer to this
    // thread's errno.
    unsafe { *libc::__errno_location() }
}

/// Stores `e` in the calling thread's C `errno`.
pub fn set_errno(e: i32) {
    // SAFETY: __errno_location always returns a valid pointer to this
    // thread's errno.
    unsafe { *libc::__errno_location() = e };
}
