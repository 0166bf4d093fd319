use super::*;

#[test]
fn only_a_large_burst_onto_an_idle_connection_starts_short() {
    let max = WRITE_MAX;
    // Idle connection, large burst: header and the body's start first.
    assert_eq!(first_write_cap(true, OUT_BATCH + 1, max), FIRST_WRITE);
    assert_eq!(first_write_cap(true, 1 << 20, max), FIRST_WRITE);
    // Small output goes out whole; so does anything once a write is
    // under way (output was already pending when it was pulled).
    assert_eq!(first_write_cap(true, OUT_BATCH, max), max);
    assert_eq!(first_write_cap(false, 1 << 20, max), max);
    // Never more than the caller's own limit.
    assert_eq!(first_write_cap(true, 1 << 20, 100), 100);
}
