//! socket (under construction).
