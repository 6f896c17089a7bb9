//! The whole scheduling pipeline for a plan: network → lowering → search →
//! timeline → verify. `schedule`, `replan` and `compare` all go through
//! here, so nothing is published that `verify` would reject. It sits above
//! every stage it runs (`timeline` and `verify` included), never below.

use std::fmt;

use crate::network::lower::{lower, LowerOptions, Lowered};
use crate::network::{self, Network};
use crate::plan::Plan;
use crate::schedule::{Problem, Solution};
use crate::timeline::{build, Links, Timeline};
use crate::verify::{verify_tasks, Violation};

/// A plan scheduled: every stage's result, for callers that need more than
/// the timeline (re-planning reads the lowering and the solution). The
/// network is built once per run, here; `links` is what the publishing
/// side reads of it.
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub network: Network,
    pub lowered: Lowered,
    pub solution: Solution,
    pub timeline: Timeline,
    pub links: Links,
}

#[derive(Debug, Clone)]
pub enum PipelineError {
    /// The tasks form a cycle (the plan loader reports this first; kept for
    /// plans built in code). The task IDs, in order.
    Cycle(Vec<String>),
    /// The schedule broke a rule: a bug, never published.
    Invalid(Vec<Violation>),
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::Cycle(ids) => {
                let first = ids.first().cloned().unwrap_or_default();
                write!(
                    f,
                    "the dependencies form a cycle: {} -> {first}",
                    ids.join(" -> ")
                )
            }
            PipelineError::Invalid(v) => {
                write!(f, "the schedule found breaks {} rule(s):", v.len())?;
                for x in v.iter().take(20) {
                    write!(f, "\n  {x}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PipelineError {}

/// The stages of `schedule_plan`, in order, for progress and timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Building the task network and lowering it to a scheduling problem.
    Network,
    /// Searching for a schedule.
    Search,
    /// Building the timeline from the schedule.
    Timeline,
    /// Checking the timeline against every rule.
    Verify,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Network => "building the task network",
            Stage::Search => "searching for a schedule",
            Stage::Timeline => "building the timeline",
            Stage::Verify => "verifying the timeline",
        }
    }
}

/// Schedules `plan` with `solve` (normally `schedule::solve` with the
/// user's search options), builds the timeline and verifies it.
pub fn schedule_plan(
    plan: &Plan,
    opts: &LowerOptions,
    solve: impl FnOnce(&Problem) -> Solution,
) -> Result<Scheduled, PipelineError> {
    schedule_plan_staged(plan, opts, solve, |_| {})
}

/// `schedule_plan`, telling `stage` as each stage begins.
pub fn schedule_plan_staged(
    plan: &Plan,
    opts: &LowerOptions,
    solve: impl FnOnce(&Problem) -> Solution,
    mut stage: impl FnMut(Stage),
) -> Result<Scheduled, PipelineError> {
    stage(Stage::Network);
    let network = network::build(plan).map_err(|c| PipelineError::Cycle(c.ids(plan)))?;
    schedule_network_staged(plan, network, opts, solve, stage)
}

/// `schedule_plan` on the plan's network, built already (re-planning
/// builds it once and schedules it again as it releases pins).
pub fn schedule_network(
    plan: &Plan,
    network: Network,
    opts: &LowerOptions,
    solve: impl FnOnce(&Problem) -> Solution,
) -> Result<Scheduled, PipelineError> {
    schedule_network_staged(plan, network, opts, solve, |_| {})
}

fn schedule_network_staged(
    plan: &Plan,
    network: Network,
    opts: &LowerOptions,
    solve: impl FnOnce(&Problem) -> Solution,
    mut stage: impl FnMut(Stage),
) -> Result<Scheduled, PipelineError> {
    let lowered = lower(plan, &network, opts);
    stage(Stage::Search);
    let solution = solve(&lowered.problem);
    stage(Stage::Timeline);
    let timeline = build::build(plan, &network, &lowered, &solution);
    stage(Stage::Verify);
    let violations = verify_tasks(plan, &network, &timeline);
    if !violations.is_empty() {
        return Err(PipelineError::Invalid(violations));
    }
    let links = Links::new(plan, &network, &timeline);
    Ok(Scheduled {
        network,
        lowered,
        solution,
        timeline,
        links,
    })
}
