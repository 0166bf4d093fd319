use super::*;

#[test]
fn clocks_are_monotonic() {
    let (ms, us) = (now_ms(), now_us());
    std::thread::sleep(Duration::from_millis(3));
    assert!(now_ms() >= ms + 3);
    assert!(now_us() >= us + 3000);
}

#[test]
fn stopwatch_measures_sleep() {
    let w = Stopwatch::start();
    std::thread::sleep(Duration::from_millis(5));
    let a = w.elapsed_us();
    assert!(a >= 5000, "{a}");
    assert!(w.elapsed_us() >= a);
}
