use super::*;
use crate::msg::Msg;

#[test]
fn short_and_long_v3_roundtrip() {
    for len in [0usize, 1, 255, 256, 70000] {
        let body = vec![7u8; len];
        let mut out = Vec::new();
        write_frame(&mut out, Framing::V3, Msg::MORE | Msg::COMMAND, &body);
        let h = parse_header(&out, Framing::V3, -1).unwrap().unwrap();
        assert_eq!(h.body_len, len);
        assert_eq!(h.flags, Msg::MORE | Msg::COMMAND);
        assert_eq!(h.header_len + len, out.len());
        assert_eq!(out[0] & LONG != 0, len > 255);
    }
}

#[test]
fn v1_roundtrip() {
    for len in [0usize, 253, 254, 255, 1000] {
        let body = vec![1u8; len];
        let mut out = Vec::new();
        write_frame(&mut out, Framing::V1, Msg::MORE, &body);
        let h = parse_header(&out, Framing::V1, -1).unwrap().unwrap();
        assert_eq!(h.body_len, len);
        assert_eq!(h.flags, Msg::MORE);
        assert_eq!(h.header_len + len, out.len());
    }
    assert_eq!(
        parse_header(&[0, 0], Framing::V1, -1),
        Err(ProtocolError::MalformedFrame)
    );
}

#[test]
fn sizes_are_checked_before_the_body() {
    let mut hdr = vec![LONG];
    hdr.extend_from_slice(&u64::MAX.to_be_bytes());
    assert_eq!(
        parse_header(&hdr, Framing::V3, -1),
        Err(ProtocolError::MalformedFrame)
    );
    assert_eq!(
        parse_header(&[0, 11], Framing::V3, 10),
        Err(ProtocolError::MessageTooLarge)
    );
    assert!(parse_header(&[0, 10], Framing::V3, 10).unwrap().is_some());
    assert_eq!(parse_header(&[LONG, 0, 0], Framing::V3, -1), Ok(None));
}
