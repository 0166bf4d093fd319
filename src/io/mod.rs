//! io (under construction).
