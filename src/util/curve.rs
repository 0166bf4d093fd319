//! CURVE long-term keys: X25519 key pairs as libsodium's `crypto_box`
//! makes them (zmq_curve_keypair(3), zmq_curve_public(3), ZMQ RFC 26).
//!
//! A secret key is 32 random bytes from the OS (`getrandom`), kept as drawn;
//! clamping happens inside the scalar multiplication, as in libsodium, so a
//! key pair made here is byte-for-byte what libzmq would accept and derive.
//! The public key is the X25519 base-point multiple of the secret key.
//! Keys cross the C API as 40-character Z85 text ([`crate::util::z85`]).

use crate::error::{Error, Result};
use crate::util::z85;
use x25519_dalek::{PublicKey, StaticSecret};

/// Size of a binary CURVE key.
pub const KEY_LEN: usize = 32;
/// Size of a Z85-encoded CURVE key, without its terminating NUL.
pub const Z85_KEY_LEN: usize = 40;

/// Draws a fresh secret key from the operating system's CSPRNG.
pub fn generate_secret() -> Result<[u8; KEY_LEN]> {
    let mut secret = [0u8; KEY_LEN];
    getrandom::getrandom(&mut secret).map_err(|e| Error(e.raw_os_error().unwrap_or(libc::EIO)))?;
    Ok(secret)
}

/// The public key that belongs to `secret` (X25519 scalar multiplication of
/// the base point, libsodium's `crypto_scalarmult_base`).
pub fn public_key(secret: &[u8; KEY_LEN]) -> [u8; KEY_LEN] {
    let secret = StaticSecret::from(*secret);
    PublicKey::from(&secret).to_bytes()
}

/// A fresh key pair, binary: `(public, secret)`.
pub fn keypair_bytes() -> Result<([u8; KEY_LEN], [u8; KEY_LEN])> {
    let secret = generate_secret()?;
    Ok((public_key(&secret), secret))
}

/// A fresh key pair as Z85 text: `(public, secret)`, 40 characters each.
pub fn keypair() -> Result<(String, String)> {
    let (public, secret) = keypair_bytes()?;
    Ok((z85::encode(&public)?, z85::encode(&secret)?))
}

/// Derives the Z85 public key from a Z85 secret key.
///
/// The secret must be exactly 40 valid Z85 characters, else `EINVAL`.
/// (libzmq 4.3.5 also accepts shorter multiples of 5 and then reads
/// uninitialised key bytes; we refuse them.)
pub fn public_from_z85(secret: &[u8]) -> Result<String> {
    let secret = z85::decode_key(secret)?;
    z85::encode(&public_key(&secret))
}

#[cfg(test)]
mod tests;
