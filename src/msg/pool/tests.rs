use super::*;

/// The byte cap is shared by all classes: tests that fill the pool run
/// one at a time and empty what they filled.
static SERIAL: Mutex<()> = Mutex::new(());

#[test]
fn classes_round_up_and_bound() {
    assert_eq!(class_of(POOL_MIN - 1), None);
    assert_eq!(class_of(POOL_MIN), Some((0, POOL_MIN)));
    assert_eq!(class_of(POOL_MIN + 1), Some((1, 2 * POOL_MIN)));
    assert_eq!(class_of(1 << 20), Some((4, 1 << 20)));
    assert_eq!(class_of(POOL_MAX_CLASS + 1), None);
}

#[test]
fn buffers_come_back_and_memory_stays_bounded() {
    let _serial = SERIAL.lock();
    // A class of its own for this test (other tests use 64 KiB-1 MiB).
    let n = (4 << 20) + 1;
    let idx = class_of(n).unwrap().0;
    let shard = &FREE[my_shard()][idx];
    // The first buffer of a class goes back to the allocator (so glibc
    // sees a large block freed), not to the pool.
    drop(into_bytes(take(n).unwrap()));
    assert!(shard.lock().is_empty());
    let mut v = take(n).unwrap();
    assert_eq!(v.capacity(), 8 << 20);
    v.extend_from_slice(b"abc");
    let p = v.as_ptr();
    let b = into_bytes(v);
    let c = b.clone();
    assert_eq!(&c[..], b"abc");
    drop(b);
    drop(c);
    // The same buffer serves the next body of that class.
    let v = take(n).unwrap();
    assert_eq!(v.as_ptr(), p);
    assert!(v.is_empty());
    // Never more than PER_CLASS kept, never more than the byte cap.
    let many: Vec<Bytes> = (0..PER_CLASS + 4)
        .map(|_| into_bytes(take(n).unwrap()))
        .collect();
    drop(many);
    assert!(kept_bytes() <= POOL_MAX_BYTES);
    assert!(shard.lock().len() <= PER_CLASS);
    while !shard.lock().is_empty() {
        drop(take(n));
    }
}

#[test]
fn buffers_go_back_to_the_shard_of_the_thread_that_made_them() {
    let _serial = SERIAL.lock();
    // A class of its own for this test.
    let n = (2 << 20) + 1;
    let idx = class_of(n).unwrap().0;
    // The first buffer of the class goes back to the allocator.
    drop(into_bytes(take(n).unwrap()));
    let mine = my_shard();
    let v = take(n).unwrap();
    let p = v.as_ptr();
    let b = into_bytes(v);
    // Dropped on another thread, it still returns to this thread's shard.
    let other = std::thread::spawn(move || {
        let s = my_shard();
        drop(b);
        s
    })
    .join()
    .unwrap();
    assert!(FREE[mine][idx].lock().iter().any(|v| v.as_ptr() == p));
    if other != mine {
        assert!(FREE[other][idx].lock().iter().all(|v| v.as_ptr() != p));
    }
    // And this thread takes it again.
    let again = take(n).unwrap();
    assert_eq!(again.as_ptr(), p);
}

#[test]
fn a_patient_taker_waits_only_while_buffers_come_back_and_not_long() {
    let mib = 1 << 20;
    // Never for small classes, nor before any buffer of the class came back.
    assert_eq!(patience(PATIENT_MIN / 2, 1_000, 1_000), None);
    assert_eq!(patience(mib, 0, 1_000), None);
    // About what a fresh buffer costs: 2 µs per 4 KiB page (512 µs a MiB).
    let wait = patience(mib, 1_000, 1_100).unwrap();
    assert_eq!(wait, Duration::from_micros(512));
    assert_eq!(patience(4 * mib, 1_000, 1_000), Some(4 * wait));
    // While returns are flowing: within 4 patiences of the last one.
    assert!(patience(mib, 1_000, 1_000 + 4 * 512).is_some());
    assert_eq!(patience(mib, 1_000, 1_000 + 4 * 512 + 1), None);
}

#[test]
fn a_patient_taker_gets_the_buffer_another_thread_gave_back() {
    let _serial = SERIAL.lock();
    // A class of its own for this test (512 KiB: no other unit test uses it).
    let n = (256 << 10) + 1;
    let idx = class_of(n).unwrap().0;
    drop(into_bytes(take_patient(n).unwrap()));
    let v = take_patient(n).unwrap();
    assert_eq!(v.capacity(), 512 << 10);
    let p = v.as_ptr();
    let b = into_bytes(v);
    std::thread::spawn(move || drop(b)).join().unwrap();
    assert_ne!(RETURNED[my_shard()][idx].load(Ordering::Relaxed), 0);
    let again = take_patient(n).unwrap();
    assert_eq!(again.as_ptr(), p);
    assert!(again.is_empty());
}
