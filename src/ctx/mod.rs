//! ctx (under construction).
