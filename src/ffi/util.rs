//! Shims for the utility functions (errors, version, Z85, CURVE keys,
//! atomic counters, stopwatch, threads, timers).
