//! What a caller asks of the search (how hard, which seed, how long) and
//! what it hears back as the search goes. Kept apart from the searches so
//! that the problem types and the searches both depend on it, never on
//! each other.

use super::super::problem::Score;

/// How hard to search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Schedules to generate (as the literature counts them: each forward or
    /// backward pass is one). 1 = a single pass of the priority rule.
    pub schedules: u64,
    pub seed: u64,
    /// Stop improving after this long and return the best so far.
    pub time_limit: Option<std::time::Duration>,
    /// Called as the search goes (phase, schedules tried, best score).
    pub progress: Option<ProgressFn>,
}

impl Default for SearchOptions {
    /// A single pass of the priority rule, seed 1, no limit, no progress.
    fn default() -> Self {
        SearchOptions {
            schedules: 1,
            seed: 1,
            time_limit: None,
            progress: None,
        }
    }
}

/// What the search reports to a progress callback.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub phase: Phase,
    /// Schedules generated so far.
    pub schedules: u64,
    /// Of `SearchOptions::schedules`.
    pub of: u64,
    pub best: Score,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Trying the priority rules.
    Rules,
    /// Improving with the genetic algorithm.
    Improve,
}

/// A progress callback (called at most every few milliseconds' worth of
/// schedules, and on every improvement).
#[derive(Clone)]
pub struct ProgressFn(pub std::sync::Arc<dyn Fn(&Progress) + Send + Sync>);

impl std::fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressFn")
    }
}
