//! Utilities behind the C API: Z85, CURVE keys, atomic counters,
//! stopwatches, threads, timers (zmq_z85_encode(3), zmq_curve_keypair(3),
//! zmq_atomic_counter_new(3), zmq_timers(3)).
