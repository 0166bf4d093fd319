//! zmtp (under construction).
