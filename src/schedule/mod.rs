//! The scheduling core: a general resource-constrained problem (activities,
//! precedence with lags, calendars, crews, pools, budgets, fixed work) and
//! the search that solves it. Pure and deterministic for a seed; knows
//! nothing of plans, JSON or files.

mod bound;
mod calendar;
mod mirror;
mod parallel;
pub mod problem;
#[cfg(test)]
mod proptests;
mod replay;
mod rules;
mod score;
mod search;
mod sgs;
#[cfg(test)]
mod tests;

pub use problem::*;
pub use replay::Replay;
pub use search::{place_in_order, solve, Phase, Progress, ProgressFn, SearchOptions};
