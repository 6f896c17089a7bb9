//! Re-planning: keep what happened and what need not move, re-place the
//! rest; say what moved (`diff`); and try what-if scenarios (`patch`,
//! `compare`).
//!
//! `replan` takes a plan whose `progress` and `status_date` say what has
//! happened, and the baseline timeline published before. Reported work is
//! fixed by the lowering; baseline work that is still valid is pinned
//! (`pins`); the search places everything else around both. The result
//! goes through the same pipeline as `schedule`, so it is verified.
//!
//! Keeping baseline dates is worth exposure, never a deadline: when the
//! kept plan is late or unscheduled anywhere, a fresh solve of the same
//! plan and progress (nothing pinned) is made too, and the two compare by
//! the plan's objective on its keys before exposure, then by the tasks
//! they move from the baseline (fewer wins), then by exposure.

pub mod changes;
mod changes_md;
pub mod compare;
pub mod diff;
mod joined;
pub mod markdown;
mod moved;
pub mod patch;
pub mod pins;
#[cfg(test)]
mod testplan;
pub mod verdict;

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::network::lower::{LowerOptions, Pin};
use crate::pipeline::{schedule_network, PipelineError, Scheduled};
use crate::plan::{Plan, SiteIx};
use crate::schedule::{Problem, Score, Solution};
use crate::timeline::{rank, Timeline};
use pins::Release;

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
    /// Nothing was kept: a fresh solve beat keeping the baseline on a
    /// deadline, a target or unscheduled work.
    pub fresh: bool,
}

/// How many times sites are released and the search rerun before the
/// result is taken as it is (each round releases at least one site).
const MAX_RELEASE_ROUNDS: usize = 4;

/// Re-plans `plan` (with its progress and status date) against `baseline`:
/// the re-plan that keeps baseline work (`keep`), or a fresh solve when
/// that is better before exposure (see the module's doc). `solve` is
/// called once per round (normally `schedule::solve` with the user's seed,
/// so the result is deterministic).
pub fn replan(
    plan: &Plan,
    baseline: &Timeline,
    mut solve: impl FnMut(&Problem) -> Solution,
) -> Result<Replanned, PipelineError> {
    let kept = keep(plan, baseline, &mut solve)?;
    better_of(plan, baseline, kept, &mut solve)
}

/// The re-plan that keeps every baseline task still valid (`pins`) and
/// releases sites whose kept work would strand money. Where money is
/// short, both ways of releasing it (`pins::Release`) are scheduled and the
/// better kept: by the objective before exposure, then by tasks moved,
/// then by exposure (as `better_of` compares with a fresh solve).
pub fn keep(
    plan: &Plan,
    baseline: &Timeline,
    mut solve: impl FnMut(&Problem) -> Solution,
) -> Result<Replanned, PipelineError> {
    let net = crate::network::build(plan).map_err(|c| PipelineError::Cycle(c.ids(plan)))?;
    let low = crate::network::lower::lower(plan, &net, &LowerOptions::default());
    let whole = pins::choose(plan, &net, &low, baseline, Release::FromShortPeriodOn);
    let short = pins::choose(plan, &net, &low, baseline, Release::ShortPeriods);
    if whole == short {
        return keep_pins(plan, net, whole, &mut solve);
    }
    let a = keep_pins(plan, net.clone(), whole, &mut solve)?;
    let b = keep_pins(plan, net, short, &mut solve)?;
    let order = ranked(plan, baseline, &b.scheduled.timeline, &a.scheduled.timeline);
    Ok(if order == Ordering::Less { b } else { a })
}

/// `a` against `b`: the objective before exposure, then tasks moved from
/// the baseline, then exposure.
fn ranked(plan: &Plan, baseline: &Timeline, ta: &Timeline, tb: &Timeline) -> Ordering {
    let (sa, sb) = (rank::score(plan, ta), rank::score(plan, tb));
    let moved = |t: &Timeline| diff::count_moves(baseline, t).1;
    sa.cmp_before_exposure(&sb)
        .then_with(|| moved(ta).cmp(&moved(tb)))
        .then(sa.exposure.total_cmp(&sb.exposure))
}

/// Schedules around `pins`, releasing the sites whose kept work would
/// strand money, for a few rounds.
fn keep_pins(
    plan: &Plan,
    mut net: crate::network::Network,
    mut pins: Vec<Pin>,
    mut solve: impl FnMut(&Problem) -> Solution,
) -> Result<Replanned, PipelineError> {
    let mut released: BTreeSet<SiteIx> = BTreeSet::new();
    let mut round = 0;
    loop {
        let opts = LowerOptions { pins: pins.clone() };
        let scheduled = schedule_network(plan, net, &opts, &mut solve)?;
        let stranded = stranded_sites(&pins, &scheduled);
        round += 1;
        if stranded.is_empty() || round > MAX_RELEASE_ROUNDS {
            let kept = pins
                .iter()
                .map(|p| scheduled.network.tasks[p.task.ix()].id.clone())
                .collect();
            return Ok(Replanned {
                scheduled,
                kept,
                released_sites: released
                    .iter()
                    .map(|s| plan.sites[s.ix()].id.clone())
                    .collect(),
                fresh: false,
            });
        }
        net = scheduled.network;
        pins.retain(|p| !stranded.contains(&net.tasks[p.task.ix()].key.site));
        released.extend(stranded);
    }
}

/// The kept re-plan, or a fresh solve when that is better by the plan's
/// objective before exposure, then by tasks moved from the baseline, then
/// by exposure. The fresh solve is only made when the kept re-plan has
/// something it could improve on before exposure (a late or unscheduled
/// site, a missed target).
fn better_of(
    plan: &Plan,
    baseline: &Timeline,
    pinned: Replanned,
    solve: impl FnMut(&Problem) -> Solution,
) -> Result<Replanned, PipelineError> {
    let kept = rank::score(plan, &pinned.scheduled.timeline);
    if kept.cmp_before_exposure(&Score::default()) != Ordering::Greater || pinned.kept.is_empty() {
        return Ok(pinned);
    }
    let net = pinned.scheduled.network.clone();
    let fresh = schedule_network(plan, net, &LowerOptions::default(), solve)?;
    if ranked(plan, baseline, &fresh.timeline, &pinned.scheduled.timeline) != Ordering::Less {
        return Ok(pinned);
    }
    Ok(Replanned {
        scheduled: fresh,
        kept: Vec::new(),
        released_sites: Vec::new(),
        fresh: true,
    })
}

/// Sites with pinned work and unscheduled work: keeping the pins would
/// commit money to a site whose removal cannot be finished.
fn stranded_sites(pins: &[Pin], scheduled: &Scheduled) -> BTreeSet<SiteIx> {
    let (net, low) = (&scheduled.network, &scheduled.lowered);
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
