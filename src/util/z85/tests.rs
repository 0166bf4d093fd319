use super::*;

const HELLO: [u8; 8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];

#[test]
fn rfc32_test_vector() {
    assert_eq!(encode(&HELLO).unwrap(), "HelloWorld");
    assert_eq!(decode(b"HelloWorld").unwrap(), HELLO);
}

#[test]
fn alphabet_table_is_a_bijection() {
    for (i, &c) in ALPHABET.iter().enumerate() {
        assert_eq!(DIGITS[c as usize] as usize, i);
    }
    let valid = DIGITS.iter().filter(|&&d| d != NOT_A_DIGIT).count();
    assert_eq!(valid, 85);
}

#[test]
fn encode_rejects_bad_length_and_accepts_empty() {
    assert_eq!(encode(&[1, 2, 3]), Err(Error::EINVAL));
    assert_eq!(encode(&[1, 2, 3, 4, 5]), Err(Error::EINVAL));
    assert_eq!(encode(&[]).unwrap(), "");
}

#[test]
fn decode_rejects_like_libzmq() {
    // Length: empty, short, not a multiple of 5 (Debian libzmq: EINVAL).
    assert_eq!(decode(b""), Err(Error::EINVAL));
    assert_eq!(decode(b"Hell"), Err(Error::EINVAL));
    assert_eq!(decode(b"HelloWorldHell"), Err(Error::EINVAL));
    // Characters outside the alphabet: space, DEL, quote, high byte.
    assert_eq!(decode(b" ello"), Err(Error::EINVAL));
    assert_eq!(decode(b"HelloWorl\x7f"), Err(Error::EINVAL));
    assert_eq!(decode(b"Hel\"o"), Err(Error::EINVAL));
    assert_eq!(decode(b"Hell\xc3"), Err(Error::EINVAL));
    // Group value above 0xFFFFFFFF.
    assert_eq!(decode(b"%nSc0").unwrap(), [0xFF; 4]);
    assert_eq!(decode(b"%nSc1"), Err(Error::EINVAL));
    assert_eq!(decode(b"#####"), Err(Error::EINVAL));
}

#[test]
fn round_trip_all_byte_values() {
    let data: Vec<u8> = (0..=255u8).collect();
    let text = encode(&data).unwrap();
    assert_eq!(text.len(), encoded_len(256));
    assert_eq!(decode(text.as_bytes()).unwrap(), data);
    assert_eq!(encode(&[0, 0, 0, 0]).unwrap(), "00000");
}

#[test]
fn key_decoding_requires_forty_characters() {
    let key = [7u8; 32];
    let text = encode(&key).unwrap();
    assert_eq!(decode_key(text.as_bytes()).unwrap(), key);
    assert_eq!(decode_key(b"HelloWorld"), Err(Error::EINVAL));
}
