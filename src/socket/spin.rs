//! How long a blocking call spins for its reply before it sleeps.
//!
//! A sleep and a wake-up cost tens of microseconds here (futex or eventfd,
//! the scheduler, often a VM exit); a REQ's reply over loopback takes about
//! as long. Spinning a fixed few microseconds (the old policy, 200 rounds,
//! ~10 µs) was too short for most round trips (lat tcp 1 B: 31.7 µs;
//! spinning ~25 µs: 13.3 µs), spinning long always would burn a core in a
//! program whose messages are milliseconds apart. So each socket learns
//! how long its waits usually last and spins a little longer than that,
//! but only while that is short.
//!
//! Invariants:
//! - The spin lasts between [`SPIN_MIN`] and [`SPIN_MAX`].
//! - It exceeds [`SPIN_MIN`] only while the typical wait (a moving
//!   average) is at most [`SPIN_MAX`]: a socket whose waits are long spins
//!   no longer than before.
//! - The spinner yields the CPU every few rounds, so a thread it waits for
//!   on the same CPU still runs.

use std::time::Duration;

/// Shortest spin (what every wait spent before).
pub const SPIN_MIN: Duration = Duration::from_micros(10);
/// Longest spin, for sockets whose waits are short.
pub const SPIN_MAX: Duration = Duration::from_micros(100);
/// Pauses between two yields of the CPU (and two looks at the clock).
pub const ROUNDS_PER_YIELD: u32 = 16;

/// A socket's moving average of how long its waits last.
#[derive(Debug, Clone)]
pub struct SpinPolicy {
    /// Typical wait, in nanoseconds.
    typical_ns: u64,
}

impl Default for SpinPolicy {
    fn default() -> Self {
        // Half the minimum: a new socket spins the minimum.
        SpinPolicy {
            typical_ns: SPIN_MIN.as_nanos() as u64 / 2,
        }
    }
}

impl SpinPolicy {
    /// How long the next wait spins before sleeping: twice the typical
    /// wait while that is at most [`SPIN_MAX`], else [`SPIN_MIN`].
    pub fn limit(&self) -> Duration {
        let typical = Duration::from_nanos(self.typical_ns);
        if typical > SPIN_MAX {
            return SPIN_MIN;
        }
        (typical * 2).clamp(SPIN_MIN, SPIN_MAX)
    }

    /// How long a zmq_poll(3) call spins before it sleeps: like
    /// [`SpinPolicy::limit`] while the typical wait is short, but nothing
    /// once it is long. Each round of a poll's spin is a poll(2) syscall
    /// over all its items, so a loop whose waits last milliseconds
    /// (timers, idle event loops) should not pay for it on every call.
    pub fn poll_limit(&self) -> Option<Duration> {
        (Duration::from_nanos(self.typical_ns) <= SPIN_MAX).then(|| self.limit())
    }

    /// Records how long a wait lasted (spinning and sleeping together).
    pub fn learn(&mut self, waited: Duration) {
        // Longer waits count as 1 ms: one long sleep (a quiet second)
        // moves the average as far as needed and no further.
        let w = waited.as_nanos().min(1_000_000) as u64;
        self.typical_ns = (self.typical_ns * 3 + w) / 4;
    }
}

thread_local! {
    /// How long this thread's polls (zmq_poll, zmq_poller_wait) usually
    /// wait.
    static POLL_POLICY: std::cell::RefCell<SpinPolicy> =
        std::cell::RefCell::new(SpinPolicy::default());
}

/// The wait of one poll call (zmq_poll, zmq_poller_wait): its first look,
/// then, for about as long as this thread's polls usually wait, more looks
/// without sleeping (the CPU yielded between them), then sleeps.
#[derive(Debug, Default)]
pub struct PollWait {
    /// When the first look found nothing, and how long to spin after it.
    since: Option<(std::time::Instant, Option<Duration>)>,
}

impl PollWait {
    /// The next look must not sleep: it is the first, or within the spin.
    pub fn look_only(&self) -> bool {
        match self.since {
            None => true,
            Some((start, limit)) => limit.is_some_and(|l| start.elapsed() < l),
        }
    }

    /// The first look is behind (the call's deadline applies from now).
    pub fn waiting(&self) -> bool {
        self.since.is_some()
    }

    /// A look found nothing and the call waits on: the first such look
    /// starts the wait; within the spin the CPU is yielded.
    pub fn found_nothing(&mut self) {
        if self.since.is_none() {
            let limit = POLL_POLICY
                .try_with(|p| p.borrow().poll_limit())
                .ok()
                .flatten();
            self.since = Some((std::time::Instant::now(), limit));
        }
        if self.look_only() {
            std::thread::yield_now();
        }
    }

    /// The call ends (an item is ready or the timeout passed): learn how
    /// long it waited.
    pub fn done(&self) {
        if let Some((start, _)) = self.since {
            let waited = start.elapsed();
            let _ = POLL_POLICY.try_with(|p| p.borrow_mut().learn(waited));
        }
    }
}

#[cfg(test)]
mod tests;
