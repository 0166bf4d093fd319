//! pipe (under construction).
