//! Z85: ZeroMQ's printable encoding of binary data (ZMQ RFC 32/Z85,
//! zmq_z85_encode(3), zmq_z85_decode(3)).
//!
//! Every 4 bytes (a big-endian `u32`) become 5 characters, most significant
//! base-85 digit first, drawn from an 85-character alphabet.
//!
//! Rules, as libzmq 4.3.5 applies them:
//! - encoding requires a length that is a multiple of 4 (an empty input
//!   encodes to an empty string), otherwise `EINVAL`;
//! - decoding requires a length of at least 5 and a multiple of 5, only
//!   alphabet characters, and no 5-character group worth more than
//!   `0xFFFF_FFFF`; any violation is `EINVAL`.
//!
//! Invariant: `decode(encode(b)) == b` for every valid `b`; decoding never
//! writes a partial result (libzmq may fill earlier groups before it fails).

use crate::error::{Error, Result};

/// The 85 digits, in value order.
const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// Marks a byte that is not a Z85 digit in [`DIGITS`].
const NOT_A_DIGIT: u8 = 0xFF;

/// Reverse map from byte to digit value, built at compile time.
const DIGITS: [u8; 256] = {
    let mut table = [NOT_A_DIGIT; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Length of the text that encodes `n` bytes (`n` a multiple of 4).
pub const fn encoded_len(n: usize) -> usize {
    n / 4 * 5
}

/// Length of the bytes that `n` characters decode to (`n` a multiple of 5).
pub const fn decoded_len(n: usize) -> usize {
    n / 5 * 4
}

/// Encodes `data` (length a multiple of 4) as Z85 text.
pub fn encode(data: &[u8]) -> Result<String> {
    if !data.len().is_multiple_of(4) {
        return Err(Error::EINVAL);
    }
    let mut out = String::with_capacity(encoded_len(data.len()));
    for group in data.chunks_exact(4) {
        // chunks_exact(4) yields exactly 4 bytes; `value % 85` < 85 =
        // ALPHABET.len().
        let mut value = u32::from_be_bytes([group[0], group[1], group[2], group[3]]);
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = ALPHABET[(value % 85) as usize];
            value /= 85;
        }
        // Alphabet characters are ASCII.
        out.extend(digits.iter().map(|&b| b as char));
    }
    Ok(out)
}

/// Decodes Z85 `text` (length at least 5 and a multiple of 5).
pub fn decode(text: &[u8]) -> Result<Vec<u8>> {
    if text.len() < 5 || !text.len().is_multiple_of(5) {
        return Err(Error::EINVAL);
    }
    let mut out = Vec::with_capacity(decoded_len(text.len()));
    for group in text.chunks_exact(5) {
        let mut value: u64 = 0;
        for &c in group {
            // DIGITS has 256 entries, one per byte value.
            let digit = DIGITS[c as usize];
            if digit == NOT_A_DIGIT {
                return Err(Error::EINVAL);
            }
            value = value * 85 + u64::from(digit);
        }
        let value = u32::try_from(value).map_err(|_| Error::EINVAL)?;
        out.extend_from_slice(&value.to_be_bytes());
    }
    Ok(out)
}

/// Decodes exactly 32 bytes (a CURVE key) from 40 characters of Z85.
pub fn decode_key(text: &[u8]) -> Result<[u8; 32]> {
    if text.len() != 40 {
        return Err(Error::EINVAL);
    }
    let bytes = decode(text)?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| Error::EINVAL)
}

#[cfg(test)]
mod tests;
