use super::*;
use std::sync::Arc;

#[test]
fn inc_returns_old_value_and_dec_reports_non_zero() {
    let c = AtomicCounter::new();
    assert_eq!(c.value(), 0);
    c.set(2);
    assert_eq!(c.inc(), 2);
    assert_eq!(c.value(), 3);
    assert!(c.dec());
    assert!(c.dec());
    assert!(!c.dec());
    assert_eq!(c.value(), 0);
}

#[test]
fn wraps_like_libzmq() {
    let c = AtomicCounter::new();
    // Debian libzmq: dec on 0 returns 1 and the value reads -1.
    assert!(c.dec());
    assert_eq!(c.value(), -1);
    assert_eq!(c.inc(), -1);
    assert_eq!(c.value(), 0);
    c.set(i32::MAX);
    assert_eq!(c.inc(), i32::MAX);
    assert_eq!(c.value(), i32::MIN);
}

#[test]
fn counts_across_threads() {
    let c = Arc::new(AtomicCounter::new());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                for _ in 0..10_000 {
                    c.inc();
                }
                for _ in 0..5_000 {
                    c.dec();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(c.value(), 20_000);
}
