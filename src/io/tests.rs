use super::*;

#[test]
fn lowat_mark_never_exceeds_what_is_coming() {
    // Only after a short read, only for a large rest, capped.
    assert_eq!(lowat_mark(LOWAT_MIN, true, false), Some(LOWAT_MIN as i32));
    assert_eq!(lowat_mark(LOWAT_MIN, false, false), None);
    assert_eq!(lowat_mark(LOWAT_MIN - 1, true, false), None);
    assert_eq!(lowat_mark(usize::MAX, true, true), Some(LOWAT_MAX as i32));
    // A raised mark goes back to 1 when the body is complete, and also
    // when the rest is too small to wait for (a stale mark above the
    // rest would stall the connection for good).
    assert_eq!(lowat_mark(0, false, true), Some(1));
    assert_eq!(lowat_mark(LOWAT_MIN - 1, true, true), Some(1));
    assert_eq!(lowat_mark(10, false, true), Some(1));
    assert_eq!(lowat_mark(0, false, false), None);
}
