use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counter(AtomicUsize);
impl Notify for Counter {
    fn notify(&self, _t: u64, _ev: PipeEvent) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn frame(s: &str, more: bool) -> Msg {
    let mut m = Msg::from_slice(s.as_bytes());
    m.set_more(more);
    m
}

#[test]
fn hwm_counts_whole_messages() {
    let q = Reader::new(Queue::new(2, false));
    q.write(frame("a", true)).unwrap();
    q.write(frame("b", false)).unwrap();
    q.write(frame("c", false)).unwrap();
    assert!(matches!(
        q.write(frame("d", false)),
        Err(WriteError::Full(_))
    ));
    assert_eq!(q.len(), 2);
}

#[test]
fn partial_message_invisible_until_last_frame() {
    let mut q = Reader::new(Queue::new(0, false));
    q.write(frame("a", true)).unwrap();
    assert!(matches!(q.read(), ReadResult::Empty));
    q.write(frame("b", false)).unwrap();
    assert!(matches!(q.read(), ReadResult::Msg(m) if m.data() == b"a"));
    assert!(matches!(q.read(), ReadResult::Msg(m) if m.data() == b"b"));
}

#[test]
fn reader_woken_once_when_waiting() {
    let mut q = Reader::new(Queue::new(0, false));
    let c = Arc::new(Counter(AtomicUsize::new(0)));
    q.set_reader(Some((c.clone(), 1)));
    q.write(frame("x", false)).unwrap();
    assert_eq!(c.0.load(Ordering::SeqCst), 0);
    assert!(matches!(q.read(), ReadResult::Msg(_)));
    assert!(matches!(q.read(), ReadResult::Empty));
    q.write(frame("y", false)).unwrap();
    q.write(frame("z", false)).unwrap();
    assert_eq!(c.0.load(Ordering::SeqCst), 1);
}

#[test]
fn writer_woken_below_lwm() {
    let mut q = Reader::new(Queue::new(4, false));
    let c = Arc::new(Counter(AtomicUsize::new(0)));
    q.set_writer(Some((c.clone(), 1)));
    for _ in 0..4 {
        q.write(frame("x", false)).unwrap();
    }
    assert!(!q.check_write());
    q.read();
    assert_eq!(c.0.load(Ordering::SeqCst), 0);
    q.read();
    assert_eq!(c.0.load(Ordering::SeqCst), 1);
    assert!(q.check_write());
}

#[test]
fn close_writer_rolls_back_partial_and_drains() {
    let mut q = Reader::new(Queue::new(0, false));
    q.write(frame("whole", false)).unwrap();
    q.write(frame("part", true)).unwrap();
    q.close_writer();
    assert!(matches!(q.read(), ReadResult::Msg(m) if m.data() == b"whole"));
    assert!(matches!(q.read(), ReadResult::Closed));
}

#[test]
fn conflate_keeps_newest() {
    let mut q = Reader::new(Queue::new(1, true));
    for s in ["1", "2", "3"] {
        q.write(frame(s, false)).unwrap();
    }
    assert!(matches!(q.read(), ReadResult::Msg(m) if m.data() == b"3"));
    assert!(matches!(q.read(), ReadResult::Empty));
}

#[test]
fn write_after_reader_closed_fails() {
    let q = Reader::new(Queue::new(0, false));
    q.close_reader();
    assert!(matches!(
        q.write(frame("x", false)),
        Err(WriteError::Closed(_))
    ));
}

#[test]
fn read_while_takes_a_batch_and_stops_when_asked() {
    let mut q = Reader::new(Queue::new(0, false));
    for s in ["a", "b", "c", "d"] {
        q.write(frame(s, false)).unwrap();
    }
    let mut got = Vec::new();
    let n = q.read_while(|m| {
        got.push(m.data().to_vec());
        got.len() < 3
    });
    assert_eq!(n, 3);
    assert_eq!(got, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    assert!(matches!(q.read(), ReadResult::Msg(m) if m.data() == b"d"));
    assert_eq!(q.read_while(|_| true), 0);
    assert!(q.is_empty());
}

#[test]
fn adopted_metadata_is_attached_by_the_reader() {
    let mut q = Reader::new(Queue::new(0, false));
    let mut md = Metadata::new();
    md.insert("Peer-Address", b"1.2.3.4");
    let first = Arc::new(md);
    assert!(q.adopt_metadata(&first));
    // The queue keeps the first connection's properties.
    assert!(!q.adopt_metadata(&Arc::new(Metadata::new())));
    let mut own = frame("own", false);
    own.set_metadata(Some(Arc::new(Metadata::new())));
    q.write(frame("plain", false)).unwrap();
    q.write(own).unwrap();
    let ReadResult::Msg(a) = q.read() else {
        panic!("no message")
    };
    assert!(a.metadata().is_some_and(|m| Arc::ptr_eq(m, &first)));
    let ReadResult::Msg(b) = q.read() else {
        panic!("no message")
    };
    assert!(b.metadata().is_some_and(|m| !Arc::ptr_eq(m, &first)));
}

#[test]
fn whole_batches_and_partial_tails_read_in_order() {
    let mut q = Reader::new(Queue::new(0, false));
    q.write(frame("1", false)).unwrap();
    q.write(frame("2a", true)).unwrap();
    q.write(frame("2b", false)).unwrap();
    q.write(frame("3a", true)).unwrap();
    // 1 and 2 are whole, 3 is not: only 1 and 2 come out.
    let mut got = Vec::new();
    while let ReadResult::Msg(m) = q.read() {
        got.push(m.data().to_vec());
    }
    assert_eq!(got, [b"1".to_vec(), b"2a".to_vec(), b"2b".to_vec()]);
    q.write(frame("3b", false)).unwrap();
    assert!(matches!(q.read(), ReadResult::Msg(m) if m.data() == b"3a"));
    assert!(matches!(q.read(), ReadResult::Msg(m) if m.data() == b"3b"));
}

/// Writes `n` single-frame messages (each must fit).
fn write_n(q: &Reader, n: usize) {
    for _ in 0..n {
        q.write(frame("m", false)).unwrap();
    }
}

/// Reads `n` whole single-frame messages (each must be there).
fn read_n(q: &mut Reader, n: usize) {
    for _ in 0..n {
        assert!(matches!(q.read(), ReadResult::Msg(_)));
    }
}

#[test]
fn queued_coarse_counts_reads_in_multiples_of_the_lwm() {
    // hwm 500: lwm 250. The count is what was written less the largest
    // multiple of 250 not above what the reader consumed.
    let mut q = Reader::new(Queue::new(500, false));
    write_n(&q, 500);
    assert_eq!(q.queued_coarse(), 500);
    read_n(&mut q, 249);
    assert_eq!(q.queued_coarse(), 500);
    read_n(&mut q, 11);
    write_n(&q, 100);
    // 600 written, 260 read.
    assert_eq!(q.queued_coarse(), 350);
    read_n(&mut q, 240);
    // 600 written, 500 read.
    assert_eq!(q.queued_coarse(), 100);
    read_n(&mut q, 100);
    // Going idle publishes everything, still counted in whole lwms.
    assert!(matches!(q.read(), ReadResult::Empty));
    assert_eq!(q.queued_coarse(), 100);
    assert_eq!(q.queued(), 0);
}

#[test]
fn queued_coarse_sees_each_lwm_above_the_publish_batch() {
    // hwm 1000: lwm 500, above the most a reader reads before publishing
    // (256); it must still publish at 500 itself, not only at 512.
    let mut q = Reader::new(Queue::new(1000, false));
    write_n(&q, 1000);
    read_n(&mut q, 499);
    assert_eq!(q.queued_coarse(), 1000);
    read_n(&mut q, 11);
    assert_eq!(q.queued_coarse(), 500);
}

#[test]
fn write_clone_copies_only_what_fits_and_keeps_the_original() {
    let mut q = Reader::new(Queue::new(1, false));
    let m = frame("x", false);
    assert_eq!(q.write_clone(&m), WriteStatus::Written);
    assert_eq!(q.write_clone(&m), WriteStatus::Full);
    assert!(matches!(q.write(frame("y", false)), Err(WriteError::Full(r)) if r.data() == b"y"));
    assert_eq!(m.data(), b"x");
    let mut got = Msg::new();
    assert_eq!(q.read_into(&mut got), ReadStatus::Got);
    assert_eq!(got.data(), b"x");
    assert_eq!(q.read_into(&mut got), ReadStatus::Empty);
    assert_eq!(got.data(), b"x");
    q.close();
    assert_eq!(q.write_clone(&m), WriteStatus::Closed);
}
