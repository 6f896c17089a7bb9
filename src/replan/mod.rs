//! Re-planning: keep what happened and what need not move, re-place the
//! rest; say what moved (`diff`); and try what-if scenarios (`patch`,
//! `compare`).
//!
//! `replan` takes a plan whose `progress` and `status_date` say what has
//! happened, and the baseline timeline published before. Reported work is
//! fixed by the lowering; baseline work that is still valid is pinned
//! (`pins`); the search places everything else around both. The result
//! goes through the same pipeline as `schedule`, so it is verified.

pub mod compare;
pub mod diff;
pub mod markdown;
pub mod patch;
pub mod pins;
#[cfg(test)]
mod testplan;

use std::collections::BTreeSet;

use crate::network::lower::{LowerOptions, Pin};
use crate::network::Network;
use crate::pipeline::{schedule_plan, PipelineError, Scheduled};
use crate::plan::{Plan, SiteIx};
use crate::schedule::{Problem, Solution};
use crate::timeline::Timeline;

/// A re-plan and how it kept to the baseline.
#[derive(Debug, Clone)]
pub struct Replanned {
    pub scheduled: Scheduled,
    /// Baseline tasks kept exactly where they were.
    pub kept: Vec<String>,
    /// Sites whose kept work was released and re-placed, because keeping
    /// it would have committed money to a site whose later work could not
    /// be scheduled at all (stranded money). In plan order.
    pub released_sites: Vec<String>,
}

/// How many times sites are released and the search rerun before the
/// result is taken as it is (each round releases at least one site).
const MAX_RELEASE_ROUNDS: usize = 4;

/// Re-plans `plan` (with its progress and status date) against `baseline`.
/// `solve` is called once per round (normally `schedule::solve` with the
/// user's seed, so the result is deterministic).
pub fn replan(
    plan: &Plan,
    baseline: &Timeline,
    mut solve: impl FnMut(&Problem) -> Solution,
) -> Result<Replanned, PipelineError> {
    let net = crate::network::build(plan).map_err(|c| PipelineError::Cycle(c.ids(plan)))?;
    let low = crate::network::lower::lower(plan, &net, &LowerOptions::default());
    let mut pins = pins::choose(plan, &net, &low, baseline);
    let mut released: BTreeSet<SiteIx> = BTreeSet::new();
    let mut round = 0;
    loop {
        let opts = LowerOptions { pins: pins.clone() };
        let scheduled = schedule_plan(plan, &opts, &mut solve)?;
        let stranded = stranded_sites(&net, &pins, &scheduled);
        round += 1;
        if stranded.is_empty() || round > MAX_RELEASE_ROUNDS {
            let kept = pins
                .iter()
                .map(|p| net.tasks[p.task.ix()].id.clone())
                .collect();
            return Ok(Replanned {
                scheduled,
                kept,
                released_sites: released
                    .iter()
                    .map(|s| plan.sites[s.ix()].id.clone())
                    .collect(),
            });
        }
        pins.retain(|p| !stranded.contains(&net.tasks[p.task.ix()].key.site));
        released.extend(stranded);
    }
}

/// Sites with pinned work and unscheduled work: keeping the pins would
/// commit money to a site whose removal cannot be finished.
fn stranded_sites(net: &Network, pins: &[Pin], scheduled: &Scheduled) -> BTreeSet<SiteIx> {
    let low = &scheduled.lowered;
    let unscheduled: BTreeSet<SiteIx> = (0..net.tasks.len())
        .filter(|&t| scheduled.solution.activities[low.task_act[t].ix()].is_err())
        .map(|t| net.tasks[t].key.site)
        .collect();
    pins.iter()
        .map(|p| net.tasks[p.task.ix()].key.site)
        .filter(|s| unscheduled.contains(s))
        .collect()
}

#[cfg(test)]
mod tests;
