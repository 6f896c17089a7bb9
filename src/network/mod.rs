//! The task network: a validated plan expanded into the tasks of the plan
//! format's table and their precedence (workflow order within a site, and
//! the plan's dependencies between sites).
//!
//! petgraph is used inside this module only; the rest of the program sees
//! `TaskIx` and `Edge`.

use crate::plan::{Plan, SiteIx, TaskKey};
use crate::units::Money;

/// Index into `Network::tasks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskIx(pub u32);

impl TaskIx {
    pub fn ix(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// Occupies one crew on working days of the site.
    Crew,
    /// Runs on calendar days with no crew (procurement, disposal).
    Elapsed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub key: TaskKey,
    /// `SITE/PHASE` or `SITE/PHASE/K`.
    pub id: String,
    pub kind: TaskKind,
    /// Working days (crew) or calendar days (elapsed), at least 1.
    pub duration: u32,
    pub devices: u64,
    /// The cost that does not depend on the crew: Σ count × unit_cost for
    /// procurement, Σ count × disposal_cost for disposal, 0 for crew tasks
    /// (whose cost is the crew's day rate × duration).
    pub cost: Money,
}

/// `to` starts at the earliest on the day after `from` finishes, plus `lag` calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: TaskIx,
    pub to: TaskIx,
    pub lag: u32,
}

/// A cycle through dependencies and the workflow, as task indices in order
/// (the first task is not repeated at the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<TaskIx>);

/// The expanded plan. `tasks` are in timeline order: by site in plan order,
/// then workflow order (survey, procure, install packages, commission,
/// removal packages, dispose).
#[derive(Debug, Clone)]
pub struct Network {
    pub tasks: Vec<Task>,
    /// Every precedence, workflow and dependency alike, in a stable order.
    pub edges: Vec<Edge>,
    /// `site_tasks[s]`: the range of `tasks` belonging to site `s`.
    pub site_ranges: Vec<std::ops::Range<usize>>,
}

impl Network {
    /// The tasks of one site, in workflow order.
    pub fn site_tasks(&self, site: SiteIx) -> std::ops::Range<usize> {
        self.site_ranges[site.ix()].clone()
    }
}

/// Expands a validated plan. Fails only on a cycle.
pub fn build(plan: &Plan) -> Result<Network, Cycle> {
    let _ = plan;
    todo!("issue 2: expand the plan into tasks and edges; find cycles with kosaraju_scc")
}
