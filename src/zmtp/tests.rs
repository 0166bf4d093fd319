//! Tests of the ZMTP state machine (two connections wired in memory).
