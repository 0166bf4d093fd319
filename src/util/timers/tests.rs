use super::*;

fn fired(t: &mut Timers<&'static str>, now: u64) -> Vec<&'static str> {
    let mut out = Vec::new();
    t.execute(now, |_, h| out.push(h));
    out
}

#[test]
fn ids_start_at_one_and_timeout_tracks_earliest() {
    let mut t = Timers::new();
    assert_eq!(t.timeout(0), -1);
    assert_eq!(t.add(100, 50, "a"), 1);
    assert_eq!(t.add(100, 20, "b"), 2);
    assert_eq!(t.timeout(100), 20);
    assert_eq!(t.timeout(110), 10);
    assert_eq!(t.timeout(500), 0);
}

#[test]
fn fires_in_deadline_order_then_rearms() {
    let mut t = Timers::new();
    t.add(0, 30, "slow");
    t.add(0, 10, "fast");
    t.add(0, 10, "fast2");
    assert!(fired(&mut t, 5).is_empty());
    assert_eq!(fired(&mut t, 10), ["fast", "fast2"]);
    // Re-armed at 10 + 10 = 20.
    assert_eq!(t.timeout(10), 10);
    assert_eq!(fired(&mut t, 30), ["fast", "fast2", "slow"]);
    assert_eq!(t.timeout(30), 10);
}

#[test]
fn cancel_rules_match_libzmq() {
    let mut t = Timers::new();
    let a = t.add(0, 5, "a");
    let b = t.add(0, 5, "b");
    assert_eq!(t.cancel(a), Ok(()));
    assert_eq!(t.cancel(a), Err(Error::EINVAL));
    // Still known until the next timeout/execute, and still cancelled.
    assert_eq!(t.reset(0, a), Ok(()));
    assert_eq!(t.set_interval(0, a, 3), Ok(()));
    assert_eq!(t.cancel(77), Err(Error::EINVAL));
    assert_eq!(t.reset(0, 77), Err(Error::EINVAL));
    assert_eq!(t.set_interval(0, 77, 1), Err(Error::EINVAL));
    assert_eq!(fired(&mut t, 10), ["b"]);
    assert_eq!(t.cancel(a), Err(Error::EINVAL));
    assert_eq!(t.reset(0, a), Err(Error::EINVAL));
    assert_eq!(t.cancel(b), Ok(()));
    assert_eq!(t.timeout(10), -1);
    assert!(t.is_empty());
}

#[test]
fn reset_and_set_interval_rearm_from_now() {
    let mut t = Timers::new();
    let a = t.add(0, 100, "a");
    assert_eq!(t.timeout(60), 40);
    t.reset(60, a).unwrap();
    assert_eq!(t.timeout(60), 100);
    assert!(fired(&mut t, 150).is_empty());
    t.set_interval(150, a, 5).unwrap();
    assert_eq!(t.timeout(150), 5);
    assert_eq!(fired(&mut t, 155), ["a"]);
    assert_eq!(t.timeout(155), 5);
}

#[test]
fn zero_interval_fires_once_per_execute() {
    let mut t = Timers::new();
    t.add(0, 0, "z");
    assert_eq!(t.timeout(0), 0);
    assert_eq!(fired(&mut t, 0), ["z"]);
    assert_eq!(fired(&mut t, 0), ["z"]);
}

#[test]
fn handler_may_cancel_a_later_due_timer() {
    let mut t: Timers<i32> = Timers::new();
    let a = t.add(0, 1, 0);
    let b = t.add(0, 2, 0);
    let mut ran = Vec::new();
    // Drive the split API the way the C shim does.
    for id in t.due(5) {
        if t.fire(id).is_some() {
            ran.push(id);
            if id == a {
                t.cancel(b).unwrap();
                t.add(5, 0, 0);
            }
            t.rearm(5, id);
        }
    }
    assert_eq!(ran, [a]);
    // The timer added during execute fires on the next round.
    let mut next = Vec::new();
    t.execute(5, |id, _| next.push(id));
    assert_eq!(next, [3]);
}

#[test]
fn handler_cancelling_itself_is_not_rearmed() {
    let mut t: Timers<i32> = Timers::new();
    let a = t.add(0, 1, 0);
    for id in t.due(1) {
        if t.fire(id).is_some() {
            t.cancel(id).unwrap();
            t.rearm(1, id);
        }
    }
    assert_eq!(t.timeout(1), -1);
    assert_eq!(t.cancel(a), Err(Error::EINVAL));
}
