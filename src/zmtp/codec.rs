//! Frame codec: the wire framing of ZMTP 1.0 (RFC 13), 2.0 (RFC 15) and
//! 3.x (RFC 23/37), with no I/O.
//!
//! Invariants: a header is parsed (and its size checked against MAXMSGSIZE and
//! `isize::MAX`) before any byte of its body is looked at or stored, so a
//! hostile size never causes an allocation; encoding never fails.

use super::ProtocolError;

/// Which framing a connection speaks after the greeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    /// RFC 13: length (1 or 0xFF + 8 bytes, counting the flags byte), flags, body.
    V1,
    /// RFC 15: flags (MORE 1, LONG 2), size (1 or 8 bytes), body.
    V2,
    /// RFC 23/37: as V2 plus the COMMAND flag (4).
    V3,
}

/// Wire flag bits of ZMTP 2.0/3.x.
const MORE: u8 = 0x01;
const LONG: u8 = 0x02;
const COMMAND: u8 = 0x04;

/// A parsed frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    /// `Msg::MORE` and/or `Msg::COMMAND`.
    pub flags: u8,
    pub header_len: usize,
    pub body_len: usize,
}

fn check_size(size: u64, maxmsgsize: i64) -> Result<usize, ProtocolError> {
    if size > isize::MAX as u64 {
        return Err(ProtocolError::MalformedFrame);
    }
    if maxmsgsize >= 0 && size > maxmsgsize as u64 {
        return Err(ProtocolError::MessageTooLarge);
    }
    Ok(size as usize)
}

fn be_u64(b: &[u8]) -> Option<u64> {
    let arr: [u8; 8] = b.get(..8)?.try_into().ok()?;
    Some(u64::from_be_bytes(arr))
}

/// Parses a frame header at the start of `buf`; `Ok(None)` when more bytes
/// are needed to know the header.
pub(crate) fn parse_header(
    buf: &[u8],
    framing: Framing,
    maxmsgsize: i64,
) -> Result<Option<Header>, ProtocolError> {
    let Some(&first) = buf.first() else {
        return Ok(None);
    };
    match framing {
        Framing::V1 => {
            let (len, len_size) = if first == 0xFF {
                match buf.get(1..9).and_then(be_u64) {
                    Some(l) => (l, 9),
                    None => return Ok(None),
                }
            } else {
                (u64::from(first), 1)
            };
            if len == 0 {
                return Err(ProtocolError::MalformedFrame);
            }
            let body_len = check_size(len - 1, maxmsgsize)?;
            let Some(&wire_flags) = buf.get(len_size) else {
                return Ok(None);
            };
            Ok(Some(Header {
                flags: if wire_flags & MORE != 0 {
                    crate::msg::Msg::MORE
                } else {
                    0
                },
                header_len: len_size + 1,
                body_len,
            }))
        }
        Framing::V2 | Framing::V3 => {
            let (size, header_len) = if first & LONG != 0 {
                match buf.get(1..9).and_then(be_u64) {
                    Some(l) => (l, 9),
                    None => return Ok(None),
                }
            } else {
                match buf.get(1) {
                    Some(&l) => (u64::from(l), 2),
                    None => return Ok(None),
                }
            };
            let body_len = check_size(size, maxmsgsize)?;
            let mut flags = 0;
            if first & MORE != 0 {
                flags |= crate::msg::Msg::MORE;
            }
            if framing == Framing::V3 && first & COMMAND != 0 {
                flags |= crate::msg::Msg::COMMAND;
            }
            Ok(Some(Header {
                flags,
                header_len,
                body_len,
            }))
        }
    }
}

/// Appends one frame to `out`. `flags` holds `Msg::MORE` / `Msg::COMMAND`;
/// COMMAND is dropped for framings that have no commands.
pub(crate) fn write_frame(out: &mut Vec<u8>, framing: Framing, flags: u8, body: &[u8]) {
    write_header(out, framing, flags, body.len());
    out.extend_from_slice(body);
}

/// Writes only the header of a frame whose body of `len` bytes follows.
pub(crate) fn write_header(out: &mut Vec<u8>, framing: Framing, flags: u8, len: usize) {
    let more = flags & crate::msg::Msg::MORE != 0;
    match framing {
        Framing::V1 => {
            let len = len as u64 + 1;
            if len < 255 {
                out.push(len as u8);
            } else {
                out.push(0xFF);
                out.extend_from_slice(&len.to_be_bytes());
            }
            out.push(if more { MORE } else { 0 });
        }
        Framing::V2 | Framing::V3 => {
            let mut f = if more { MORE } else { 0 };
            if framing == Framing::V3 && flags & crate::msg::Msg::COMMAND != 0 {
                f |= COMMAND;
            }
            if len > 255 {
                out.push(f | LONG);
                out.extend_from_slice(&(len as u64).to_be_bytes());
            } else {
                out.push(f);
                out.push(len as u8);
            }
        }
    }
}

#[cfg(test)]
mod tests;
