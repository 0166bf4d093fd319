use super::*;

/// Drives `c` as the I/O thread would: takes its output, then feeds the
/// proxy's answer in pieces no larger than `wants()`.
fn exchange(c: &mut SocksClient, answer: &[u8]) -> (Vec<u8>, Result<(), SocksError>) {
    let sent = c.output().to_vec();
    c.consume_output(sent.len());
    let mut rest = answer;
    while !rest.is_empty() {
        let n = c.wants().min(rest.len());
        assert!(
            n > 0,
            "client wants nothing but {} bytes remain",
            rest.len()
        );
        let (a, b) = rest.split_at(n);
        if let Err(e) = c.handle_input(a) {
            return (sent, Err(e));
        }
        rest = b;
    }
    (sent, Ok(()))
}

#[test]
fn no_auth_ipv4() {
    let mut c = SocksClient::new("127.0.0.1:5555", b"", b"").unwrap();
    assert_eq!(c.wants(), 0);
    let (sent, r) = exchange(&mut c, &[5, 0]);
    assert_eq!(sent, [5, 1, 0]);
    assert_eq!(r, Ok(()));
    assert_eq!(c.wants(), 0);
    let (sent, r) = exchange(&mut c, &[5, 0, 0, 1, 10, 0, 0, 1, 0x1f, 0x90]);
    assert_eq!(sent, [5, 1, 0, 1, 127, 0, 0, 1, 0x15, 0xb3]);
    assert_eq!(r, Ok(()));
    assert!(c.is_done());
    assert_eq!(c.wants(), 0);
    assert_eq!(
        c.bound(),
        Some(&(BoundAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), 8080))
    );
}

#[test]
fn user_pass_and_domain_reply() {
    let mut c = SocksClient::new("example.org:80", b"bob", b"").unwrap();
    let (sent, r) = exchange(&mut c, &[5, 2]);
    assert_eq!(sent, [5, 1, 2]);
    assert_eq!(r, Ok(()));
    let (sent, r) = exchange(&mut c, &[1, 0]);
    assert_eq!(sent, [1, 3, b'b', b'o', b'b', 0]);
    assert_eq!(r, Ok(()));
    let mut reply = vec![5, 0, 0, 3, 9];
    reply.extend_from_slice(b"localhost");
    reply.extend_from_slice(&[0, 80]);
    let (sent, r) = exchange(&mut c, &reply);
    let mut want = vec![5, 1, 0, 3, 11];
    want.extend_from_slice(b"example.org");
    want.extend_from_slice(&[0, 80]);
    assert_eq!(sent, want);
    assert_eq!(r, Ok(()));
    assert_eq!(
        c.bound(),
        Some(&(BoundAddr::Domain(b"localhost".to_vec()), 80))
    );
}

#[test]
fn ipv6_targets_with_and_without_brackets() {
    for t in ["::1:7000", "[::1]:7000"] {
        let mut c = SocksClient::new(t, b"", b"").unwrap();
        exchange(&mut c, &[5, 0]).1.unwrap();
        let mut reply = vec![5, 0, 0, 4];
        reply.extend_from_slice(&[0; 16]);
        reply.extend_from_slice(&[0, 1]);
        let (sent, r) = exchange(&mut c, &reply);
        let mut want = vec![5, 1, 0, 4];
        want.extend_from_slice(&Ipv6Addr::LOCALHOST.octets());
        want.extend_from_slice(&7000u16.to_be_bytes());
        assert_eq!(sent, want, "{t}");
        assert_eq!(r, Ok(()));
        assert_eq!(c.bound(), Some(&(BoundAddr::V6(Ipv6Addr::UNSPECIFIED), 1)));
    }
}

#[test]
fn reply_read_exactly() {
    // The reply is asked for in steps that never reach past its end.
    let mut c = SocksClient::new("1.2.3.4:1", b"", b"").unwrap();
    exchange(&mut c, &[5, 0]).1.unwrap();
    let req = c.output().len();
    c.consume_output(req);
    assert_eq!(c.wants(), 4);
    c.handle_input(&[5, 0, 0, 3]).unwrap();
    assert_eq!(c.wants(), 1);
    c.handle_input(&[2]).unwrap();
    assert_eq!(c.wants(), 4);
    c.handle_input(&[b'a', b'b', 0]).unwrap();
    assert_eq!(c.wants(), 1);
    c.handle_input(&[9]).unwrap();
    assert!(c.is_done());
    // Anything more is not the handshake's.
    assert_eq!(c.handle_input(&[1]), Err(SocksError::Protocol));
}

#[test]
fn partial_writes() {
    let mut c = SocksClient::new("h:1", b"", b"").unwrap();
    c.consume_output(1);
    assert_eq!(c.output(), [1, 0]);
    assert_eq!(c.wants(), 0);
    c.consume_output(2);
    assert_eq!(c.output(), [] as [u8; 0]);
    assert_eq!(c.wants(), 2);
}

#[test]
fn refusals() {
    let mut c = SocksClient::new("h:1", b"", b"").unwrap();
    assert_eq!(exchange(&mut c, &[5, 0xff]).1, Err(SocksError::NoMethod));
    // A method we did not offer is a refusal too.
    let mut c = SocksClient::new("h:1", b"", b"").unwrap();
    assert_eq!(exchange(&mut c, &[5, 2]).1, Err(SocksError::NoMethod));
    let mut c = SocksClient::new("h:1", b"u", b"p").unwrap();
    assert_eq!(exchange(&mut c, &[5, 0]).1, Err(SocksError::NoMethod));
    let mut c = SocksClient::new("h:1", b"u", b"p").unwrap();
    exchange(&mut c, &[5, 2]).1.unwrap();
    assert_eq!(exchange(&mut c, &[1, 1]).1, Err(SocksError::AuthFailed));
    let mut c = SocksClient::new("h:1", b"", b"").unwrap();
    exchange(&mut c, &[5, 0]).1.unwrap();
    assert_eq!(
        exchange(&mut c, &[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]).1,
        Err(SocksError::Refused(5))
    );
}

#[test]
fn malformed_answers() {
    let mut c = SocksClient::new("h:1", b"", b"").unwrap();
    assert_eq!(exchange(&mut c, &[4, 0]).1, Err(SocksError::Protocol));
    let mut c = SocksClient::new("h:1", b"u", b"").unwrap();
    exchange(&mut c, &[5, 2]).1.unwrap();
    assert_eq!(exchange(&mut c, &[5, 0]).1, Err(SocksError::Protocol));
    for header in [[4u8, 0, 0, 1], [5, 0, 1, 1], [5, 0, 0, 2], [5, 0, 0, 0xff]] {
        let mut c = SocksClient::new("h:1", b"", b"").unwrap();
        exchange(&mut c, &[5, 0]).1.unwrap();
        assert_eq!(exchange(&mut c, &header).1, Err(SocksError::Protocol));
    }
    // Input while the client still has something to say.
    let mut c = SocksClient::new("h:1", b"", b"").unwrap();
    assert_eq!(c.handle_input(&[5]), Err(SocksError::Protocol));
}

#[test]
fn targets() {
    assert_eq!(
        SocksClient::new("h", b"", b"").unwrap_err(),
        SocksError::BadTarget
    );
    assert_eq!(
        SocksClient::new("h:0", b"", b"").unwrap_err(),
        SocksError::BadTarget
    );
    assert_eq!(
        SocksClient::new(":5", b"", b"").unwrap_err(),
        SocksError::BadTarget
    );
    let long = format!("{}:5", "a".repeat(256));
    assert_eq!(
        SocksClient::new(&long, b"", b"").unwrap_err(),
        SocksError::BadTarget
    );
    let ok = format!("{}:5", "a".repeat(255));
    assert!(SocksClient::new(&ok, b"", b"").is_ok());
    assert!(SocksClient::new("h:1", &[b'u'; 256], b"").is_err());
    // A source part is not sent to the proxy.
    let mut c = SocksClient::new("127.0.0.1:0;10.0.0.2:9", b"", b"").unwrap();
    exchange(&mut c, &[5, 0]).1.unwrap();
    assert_eq!(c.output(), [5, 1, 0, 1, 10, 0, 0, 2, 0, 9]);
}
