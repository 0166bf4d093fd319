//! Helpers shared by the integration tests (each test file that needs
//! them says `mod common;`).

/// ZMTP as a raw peer writes it (RFC 23/ZMTP), for tests that play the
/// other side of a connection byte by byte.
pub mod wire {
    /// A valid ZMTP 3.0 greeting for `mechanism` (as client: as-server 0).
    pub fn greeting(mechanism: &[u8], major: u8) -> Vec<u8> {
        let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, major, 0];
        let mut mech = [0u8; 20];
        mech[..mechanism.len()].copy_from_slice(mechanism);
        g.extend_from_slice(&mech);
        g.push(0);
        g.extend_from_slice(&[0u8; 31]);
        g
    }

    /// A READY command (short command frame) announcing `socket_type`.
    pub fn ready(socket_type: &[u8]) -> Vec<u8> {
        let mut body = vec![5];
        body.extend_from_slice(b"READY");
        body.push(11);
        body.extend_from_slice(b"Socket-Type");
        body.extend_from_slice(&(socket_type.len() as u32).to_be_bytes());
        body.extend_from_slice(socket_type);
        let mut f = vec![0x04, body.len() as u8];
        f.extend_from_slice(&body);
        f
    }
}
