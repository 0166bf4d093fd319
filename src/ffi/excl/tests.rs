use super::*;
use std::sync::Arc;

#[test]
fn serializes_threads() {
    let c = Arc::new(Excl::new(0u64));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || {
                for _ in 0..10_000 {
                    *c.lock() += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(*c.lock(), 40_000);
}

#[test]
fn released_after_a_caught_panic() {
    let c = Excl::new(1);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _g = c.lock();
        panic!("inside");
    }));
    assert!(r.is_err());
    assert_eq!(*c.lock(), 1);
}
