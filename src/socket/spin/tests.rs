use super::*;

const US: Duration = Duration::from_micros(1);

#[test]
fn starts_at_the_minimum() {
    assert_eq!(SpinPolicy::default().limit(), SPIN_MIN);
}

#[test]
fn short_waits_lengthen_the_spin_up_to_the_maximum() {
    let mut p = SpinPolicy::default();
    for _ in 0..20 {
        p.learn(30 * US);
    }
    let l = p.limit();
    assert!(l > 50 * US && l <= 60 * US, "{l:?}");
    for _ in 0..20 {
        p.learn(90 * US);
    }
    assert_eq!(p.limit(), SPIN_MAX);
}

#[test]
fn long_waits_bring_it_back_to_the_minimum() {
    let mut p = SpinPolicy::default();
    for _ in 0..20 {
        p.learn(30 * US);
    }
    assert!(p.limit() > SPIN_MIN);
    // A quiet stretch: a few long sleeps are enough.
    for _ in 0..3 {
        p.learn(Duration::from_secs(1));
    }
    assert_eq!(p.limit(), SPIN_MIN);
    // Waits just above the maximum never spin long either.
    for _ in 0..20 {
        p.learn(150 * US);
    }
    assert_eq!(p.limit(), SPIN_MIN);
}

#[test]
fn polls_spin_only_while_waits_are_short() {
    let mut p = SpinPolicy::default();
    assert_eq!(p.poll_limit(), Some(SPIN_MIN));
    for _ in 0..20 {
        p.learn(30 * US);
    }
    assert_eq!(p.poll_limit(), Some(p.limit()));
    for _ in 0..3 {
        p.learn(Duration::from_secs(1));
    }
    assert_eq!(p.poll_limit(), None);
}

#[test]
fn a_poll_waits_only_after_its_first_look() {
    let mut w = PollWait::default();
    assert!(w.look_only());
    assert!(!w.waiting());
    w.found_nothing();
    assert!(w.waiting());
    w.done();
}
