use super::*;
use crate::ctx::mailbox::PeerInfo;
use crate::pipe::{pipe_pair, PipeEnd, ReadResult};

fn peer(pipes: &mut Pipes, d: &mut Distributor, hwm: usize) -> (PipeId, PipeEnd) {
    let (ours, theirs) = pipe_pair(hwm, 0, false, false);
    let id = pipes.insert(ours, PeerInfo::default());
    d.attach(id);
    (id, theirs)
}

fn frame(s: &[u8], more: bool) -> Msg {
    let mut m = Msg::from_slice(s);
    m.set_more(more);
    m
}

fn got(p: &mut PipeEnd) -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    while let ReadResult::Msg(m) = p.inq.read() {
        v.push(m.data().to_vec());
    }
    v
}

#[test]
fn match_is_deduplicated_and_sticks_for_the_message() {
    let mut pipes = Pipes::default();
    let mut d = Distributor::new();
    let (a, mut pa) = peer(&mut pipes, &mut d, 0);
    let (_b, mut pb) = peer(&mut pipes, &mut d, 0);
    d.match_pipe(a);
    d.match_pipe(a);
    assert_eq!(d.matching(), &[a]);
    d.send_to_matching(&mut pipes, frame(b"1", true));
    // A pipe attached mid-message is not part of it.
    let (_c, mut pc) = peer(&mut pipes, &mut d, 0);
    d.send_to_matching(&mut pipes, frame(b"2", false));
    assert_eq!(got(&mut pa), vec![b"1".to_vec(), b"2".to_vec()]);
    assert!(got(&mut pb).is_empty() && got(&mut pc).is_empty());
    assert!(d.matching().is_empty());
    d.send_to_all(&mut pipes, frame(b"all", false));
    assert_eq!(got(&mut pa), vec![b"all".to_vec()]);
    assert_eq!(got(&mut pb), vec![b"all".to_vec()]);
    assert_eq!(got(&mut pc), vec![b"all".to_vec()]);
}

#[test]
fn full_pipe_misses_whole_message_until_activated() {
    let mut pipes = Pipes::default();
    let mut d = Distributor::new();
    let (a, mut pa) = peer(&mut pipes, &mut d, 1);
    d.send_to_all(&mut pipes, frame(b"1", false));
    d.send_to_all(&mut pipes, frame(b"2a", true));
    d.send_to_all(&mut pipes, frame(b"2b", false));
    assert_eq!(got(&mut pa), vec![b"1".to_vec()]);
    // Inactive until WriteReady, even though there is room now.
    d.send_to_all(&mut pipes, frame(b"3", false));
    assert!(got(&mut pa).is_empty());
    d.activated(a);
    d.send_to_all(&mut pipes, frame(b"4", false));
    assert_eq!(got(&mut pa), vec![b"4".to_vec()]);
}

#[test]
fn reverse_match_and_check_hwm_and_detach() {
    let mut pipes = Pipes::default();
    let mut d = Distributor::new();
    let (a, mut pa) = peer(&mut pipes, &mut d, 1);
    let (b, _pb) = peer(&mut pipes, &mut d, 0);
    d.match_pipe(a);
    d.reverse_match();
    assert_eq!(d.matching(), &[b]);
    d.unmatch();
    d.match_pipe(a);
    assert!(d.check_hwm(&mut pipes));
    d.send_to_matching(&mut pipes, frame(b"x", false));
    d.match_pipe(a);
    assert!(!d.check_hwm(&mut pipes), "a is full");
    assert_eq!(got(&mut pa), vec![b"x".to_vec()]);
    assert!(d.check_hwm(&mut pipes));
    d.detach(a);
    assert!(!d.has_pipe(a));
    assert!(d.matching().is_empty());
    d.match_pipe(a);
    assert!(d.matching().is_empty());
}
