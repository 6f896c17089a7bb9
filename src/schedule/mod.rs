//! The scheduling core: a general resource-constrained problem (activities,
//! precedence with lags, calendars, crews, pools, budgets, fixed work) and
//! the search that solves it. Pure and deterministic for a seed; knows
//! nothing of plans, JSON or files.

pub mod problem;

pub use problem::*;
