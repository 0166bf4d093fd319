use super::*;

// A key pair printed by Debian's libzmq (libsodium) zmq_curve_public.
const SECRET: &str = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";
const PUBLIC: &str = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";

#[test]
fn derives_libzmq_public_key() {
    assert_eq!(public_from_z85(SECRET.as_bytes()).unwrap(), PUBLIC);
}

#[test]
fn keypair_is_consistent_and_fresh() {
    let (public, secret) = keypair().unwrap();
    assert_eq!(public.len(), Z85_KEY_LEN);
    assert_eq!(secret.len(), Z85_KEY_LEN);
    assert_eq!(public_from_z85(secret.as_bytes()).unwrap(), public);
    let (public2, secret2) = keypair().unwrap();
    assert_ne!(secret, secret2);
    assert_ne!(public, public2);
}

#[test]
fn rejects_bad_secret_text() {
    assert_eq!(public_from_z85(b"abc"), Err(Error::EINVAL));
    assert_eq!(public_from_z85(b"HelloWorld"), Err(Error::EINVAL));
    let mut bad = SECRET.as_bytes().to_vec();
    bad[3] = b' ';
    assert_eq!(public_from_z85(&bad), Err(Error::EINVAL));
}

#[test]
fn rfc7748_base_point_vector() {
    // RFC 7748 section 6.1, Alice's key pair.
    let secret: [u8; 32] = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    let public: [u8; 32] = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assert_eq!(public_key(&secret), public);
}

fn hex(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}
