//! Monotonic time for the utilities: milliseconds for timers
//! (zmq_timers(3)) and microseconds for stopwatches
//! (zmq_stopwatch_start(3), zmq_stopwatch_intermediate(3),
//! zmq_stopwatch_stop(3)).
//!
//! Times count from a process-wide epoch taken on first use, so they are
//! small, never go backwards and never overflow in practice.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn since_epoch() -> Duration {
    Instant::now().saturating_duration_since(epoch())
}

/// Monotonic milliseconds since the process epoch.
pub fn now_ms() -> u64 {
    u64::try_from(since_epoch().as_millis()).unwrap_or(u64::MAX)
}

/// Monotonic microseconds since the process epoch.
pub fn now_us() -> u64 {
    u64::try_from(since_epoch().as_micros()).unwrap_or(u64::MAX)
}

/// Measures elapsed wall time in microseconds.
#[derive(Debug, Clone, Copy)]
pub struct Stopwatch {
    start: Instant,
}

impl Stopwatch {
    /// Starts measuring now.
    pub fn start() -> Stopwatch {
        Stopwatch {
            start: Instant::now(),
        }
    }

    /// Microseconds elapsed since [`Stopwatch::start`].
    pub fn elapsed_us(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests;
