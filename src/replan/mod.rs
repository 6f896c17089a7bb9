//! Re-planning: keep what happened and what need not move, re-place the
//! rest; say what moved (`diff`); and try what-if scenarios (`patch`).

pub mod diff;
pub mod markdown;
