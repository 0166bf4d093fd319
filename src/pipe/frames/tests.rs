use super::*;

fn num(i: usize, more: bool) -> Msg {
    let mut m = Msg::from_slice(&(i as u32).to_le_bytes());
    m.set_more(more);
    m
}

fn val(m: &Msg) -> usize {
    let d = m.data();
    u32::from_le_bytes([d[0], d[1], d[2], d[3]]) as usize
}

#[test]
fn fifo_order_across_many_chunks_with_interleaved_pops() {
    let mut f = Frames::default();
    let mut next_in = 0;
    let mut next_out = 0;
    // Grow well past several full-size chunks, drain partly, grow again.
    for round in 0..5 {
        for _ in 0..(1000 + round * 333) {
            f.push_back(num(next_in, false));
            next_in += 1;
        }
        for _ in 0..700 {
            let m = f.pop_front().expect("queued");
            assert_eq!(val(&m), next_out);
            next_out += 1;
        }
        assert_eq!(f.len(), next_in - next_out);
    }
    while let Some(m) = f.pop_front() {
        assert_eq!(val(&m), next_out);
        next_out += 1;
    }
    assert_eq!(next_out, next_in);
    assert!(f.is_empty());
    assert!(f.pop_front().is_none());
}

fn chunk_count(f: &Frames) -> usize {
    let middle = f.more.as_ref().map_or(0, |x| x.chunks.len());
    usize::from(f.head.capacity() > 0) + middle + usize::from(f.tail.capacity() > 0)
}

#[test]
fn chunks_start_small_and_a_drained_queue_keeps_little() {
    let mut f = Frames::default();
    f.push_back(num(0, false));
    assert_eq!(chunk_count(&f), 1);
    assert!(f.tail.capacity() < CHUNK_MAX);
    for i in 1..10_000 {
        f.push_back(num(i, false));
    }
    // Full-size chunks once grown: about len / CHUNK_MAX of them.
    assert!(
        chunk_count(&f) <= 10_000 / CHUNK_MAX + 8,
        "{}",
        chunk_count(&f)
    );
    let mut i = 0;
    while let Some(m) = f.pop_front() {
        assert_eq!(val(&m), i);
        i += 1;
    }
    assert_eq!(i, 10_000);
    assert!(f.more.as_ref().is_none_or(|x| x.chunks.is_empty()));
    assert!(chunk_count(&f) <= 2, "head and tail at most");
    assert!(
        f.more.as_ref().is_some_and(|x| x.spare.is_some()),
        "one full-size spare"
    );
    // Refilled, the queue grows into the spare rather than a new chunk.
    for i in 0..(2 * CHUNK_MAX + 1) {
        f.push_back(num(i, false));
    }
    assert!(f.more.as_ref().is_some_and(|x| x.spare.is_none()));
    for i in 0..(2 * CHUNK_MAX + 1) {
        assert_eq!(f.pop_front().map(|m| val(&m)), Some(i));
    }
}

#[test]
fn push_after_pop_keeps_order_in_a_single_chunk() {
    // Reads and writes alternate around one chunk: `head` and `tail` trade
    // places without reordering anything.
    let mut f = Frames::default();
    let (mut w, mut r) = (0, 0);
    for step in 0..2000 {
        for _ in 0..(step % 5) {
            f.push_back(num(w, false));
            w += 1;
        }
        for _ in 0..(step % 3) {
            if let Some(m) = f.pop_front() {
                assert_eq!(val(&m), r);
                r += 1;
            }
        }
        assert_eq!(f.len(), w - r);
    }
}

#[test]
fn get_truncate_and_partial_moves() {
    let mut f = Frames::default();
    for i in 0..600 {
        f.push_back(num(i, i % 3 != 2));
    }
    assert_eq!(f.get(0).map(val), Some(0));
    assert_eq!(f.get(299).map(val), Some(299));
    assert_eq!(f.get(599).map(val), Some(599));
    assert!(f.get(600).is_none());

    f.truncate(450);
    assert_eq!(f.len(), 450);
    assert_eq!(f.get(449).map(val), Some(449));
    assert!(f.get(450).is_none());

    let mut dst = Frames::default();
    f.move_front_to(100, &mut dst);
    assert_eq!((f.len(), dst.len()), (350, 100));
    assert_eq!(dst.get(99).map(val), Some(99));
    assert_eq!(f.get(0).map(val), Some(100));

    // Frames 100..130: every third (index % 3 == 2) ends a message.
    assert_eq!(f.drop_front(30), 10);
    assert_eq!(f.get(0).map(val), Some(130));
    assert_eq!(f.drop_front(10_000), 320 / 3 + 1);
    assert!(f.is_empty());

    dst.clear();
    assert!(dst.is_empty());
    dst.push_back(num(7, false));
    assert_eq!(dst.pop_front().map(|m| val(&m)), Some(7));
}
