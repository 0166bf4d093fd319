//! transport (under construction).
