use super::*;

fn keys(seed: u8) -> (SecretKey, PublicKey) {
    let secret = SecretKey::from([seed; 32]);
    let public = secret.public_key();
    (secret, public)
}

fn pair() -> (CurveCodec, CurveCodec, SalsaBox) {
    let (a_secret, a_public) = keys(1);
    let (b_secret, b_public) = keys(2);
    let client = CurveCodec::new(&a_secret, &b_public, (1, 0), false).unwrap();
    let server = CurveCodec::new(&b_secret, &a_public, (1, 0), true).unwrap();
    (client, server, SalsaBox::new(&b_public, &a_secret))
}

#[test]
fn both_box_implementations_make_the_same_boxes_as_crypto_box() {
    let (client, server, reference) = pair();
    let n = [5u8; 24];
    for len in [1usize, 100, BULK_MIN - 1, BULK_MIN, 4000, 70_000] {
        let text: Vec<u8> = (0..len).map(|i| (i * 7 % 256) as u8).collect();
        let mut simd = text.clone();
        let tag_simd = client.bulk.encrypt_detached(&n, &mut simd);
        let mut portable = text.clone();
        let tag_portable = client
            .precom
            .encrypt_in_place_detached(&GenericArray::from(n), b"", &mut portable)
            .unwrap();
        assert!(
            simd == portable && tag_simd[..] == tag_portable[..],
            "len {len}"
        );
        // NaCl's layout: the tag, then the ciphertext.
        let boxed = reference
            .encrypt(&GenericArray::from(n), &text[..])
            .unwrap();
        assert!(
            boxed[..TAG] == tag_simd[..] && boxed[TAG..] == simd[..],
            "len {len}"
        );
        // Whichever side seals, the other opens, and a flipped bit fails.
        assert!(server.open_in_place(&n, &mut simd, &tag_simd), "len {len}");
        assert!(simd == text, "len {len}");
        let mut bad = tag_simd;
        bad[3] ^= 0x40;
        assert!(!server.open_in_place(&n, &mut portable, &bad), "len {len}");
    }
}

#[test]
fn messages_of_every_size_class_round_trip() {
    let (mut client, mut server, _) = pair();
    for len in [0usize, 31, 1000, BULK_MIN - 1, BULK_MIN, 100_000] {
        let body: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
        let mut out = Vec::new();
        client
            .encode_into(&mut out, Framing::V3, Msg::MORE, &body)
            .unwrap();
        let h = super::super::codec::parse_header(&out, Framing::V3, -1)
            .unwrap()
            .unwrap();
        let (flags, data) = server.decode(&out[h.header_len..]).unwrap();
        assert_eq!(flags, Msg::MORE, "len {len}");
        assert!(data[..] == body[..], "len {len}");
    }
}

#[test]
fn a_low_order_peer_key_is_refused() {
    let (secret, _) = keys(3);
    let zero = PublicKey::from([0u8; 32]);
    assert_eq!(
        CurveCodec::new(&secret, &zero, (1, 0), false).err(),
        Some(ProtocolError::Protocol(codes::CRYPTOGRAPHIC))
    );
}
