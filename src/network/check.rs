//! The plan checks that need the task network, for the plan loader
//! (`plan::GraphChecks`): a cycle named whole at the first dependency on
//! it, progress that would end on or after the horizon, and progress that
//! ran ahead of the workflow.

use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

use super::lower::progress_finish;
use super::{build, Cycle, Network};
use crate::plan::{
    horizon_date, Finding, GraphChecks, Place, Plan, Progress, Severity, SiteIx, TaskKey,
    HORIZON_YEARS,
};

/// The network's checks, as the loader asks for them.
pub struct Checks;

impl GraphChecks for Checks {
    fn check(
        &self,
        plan: &Plan,
        status: Option<NaiveDate>,
        progress: &[Progress],
    ) -> Result<Vec<Finding>, Finding> {
        let net = build(plan).map_err(|cycle| cycle_finding(plan, &cycle))?;
        let mut found = horizon_errors(plan, &net, status, progress);
        found.extend(order_warnings(plan, &net, progress));
        Ok(found)
    }
}

/// A cycle through dependencies and the workflow, named whole, at the
/// first dependency on it.
fn cycle_finding(plan: &Plan, cycle: &Cycle) -> Finding {
    let mut keys = cycle_keys(plan, cycle);
    let on_dep = |a: &TaskKey, b: &TaskKey| {
        plan.dependencies.iter().position(|d| {
            d.from.site == a.site
                && d.from.phase == a.phase
                && d.to.site == b.site
                && d.to.phase == b.phase
        })
    };
    // Start the cycle at the first dependency on it: that is the line shown.
    let first = (0..keys.len())
        .filter_map(|k| on_dep(&keys[k], &keys[(k + 1) % keys.len()]).map(|d| (d, k)))
        .min();
    let (dep, k) = first.unwrap_or((0, 0));
    keys.rotate_left(k);
    let mut names: Vec<String> = keys.iter().map(|&k| plan.task_id(k)).collect();
    if let Some(first) = names.first().cloned() {
        names.push(first);
    }
    Finding {
        place: Place::Dependency(dep),
        severity: Severity::Error,
        message: format!("cycle: {}", names.join(" -> ")),
    }
}

/// The task keys of a cycle. The network numbers tasks in site order then
/// workflow order, so the keys are recomputed the same way.
fn cycle_keys(plan: &Plan, cycle: &Cycle) -> Vec<TaskKey> {
    let mut all = Vec::new();
    let wanted: BTreeSet<usize> = cycle.0.iter().map(|t| t.ix()).collect();
    let max = wanted.iter().next_back().copied().unwrap_or(0);
    for s in 0..plan.sites.len() {
        if all.len() > max {
            break;
        }
        all.extend(plan.site_task_keys(SiteIx::from(s)));
    }
    cycle
        .0
        .iter()
        .filter_map(|t| all.get(t.ix()).copied())
        .collect()
}

/// Progress that would end on or after the horizon (20 years from the
/// plan's start) cannot be published: `verify` refuses any task there. A
/// status date that late, or remaining work that runs past it, is an error
/// at the record. Found by the scheduler fuzz target.
fn horizon_errors(
    plan: &Plan,
    net: &Network,
    status: Option<NaiveDate>,
    progress: &[Progress],
) -> Vec<Finding> {
    let Some(status) = status else {
        return Vec::new();
    };
    let limit = horizon_date(plan.start);
    let mut found = Vec::new();
    for p in progress {
        let Some((finish, _)) = progress_finish(plan, net, status, p) else {
            continue;
        };
        if finish < limit {
            continue;
        }
        let id = plan.task_id(p.task);
        let field = match (p.finished, p.remaining_days) {
            (Some(_), _) => "finished",
            (None, Some(_)) => "remaining_days",
            (None, None) => "started",
        };
        found.push(Finding {
            place: Place::Progress {
                task: p.task,
                field,
            },
            severity: Severity::Error,
            message: format!(
                "{id:?} would finish on {finish}, on or after {limit}, the end of the \
                 {HORIZON_YEARS} years from the start that a timeline may cover"
            ),
        });
    }
    found
}

/// Progress that ran ahead of the workflow (a task started before its
/// predecessor finished) is accepted, since it happened, but said once per
/// record, naming the first such predecessor.
fn order_warnings(plan: &Plan, net: &Network, progress: &[Progress]) -> Vec<Finding> {
    if progress.is_empty() {
        return Vec::new();
    }
    let by_task: HashMap<TaskKey, &Progress> = progress.iter().map(|p| (p.task, p)).collect();
    let preds = net.predecessors();
    let mut found = Vec::new();
    for p in progress {
        let Some(t) = net.find(p.task) else { continue };
        let id = plan.task_id(p.task);
        let ahead = preds[t.ix()].iter().find_map(|e| {
            let pred = net.tasks[e.from.ix()].key;
            let name = plan.task_id(pred);
            match by_task.get(&pred).map(|q| q.finished) {
                None => Some(format!(
                    "{id:?} started before {name:?} was reported started"
                )),
                Some(None) => Some(format!(
                    "{id:?} started while {name:?} was still in progress"
                )),
                Some(Some(f)) if p.started <= f + chrono::Days::new(u64::from(e.lag)) => {
                    Some(format!(
                        "{id:?} started on {}, before {name:?} finished on {f}{}",
                        p.started,
                        if e.lag > 0 {
                            format!(" plus {} days", e.lag)
                        } else {
                            String::new()
                        }
                    ))
                }
                Some(Some(_)) => None,
            }
        });
        if let Some(msg) = ahead {
            found.push(Finding {
                place: Place::Progress {
                    task: p.task,
                    field: "started",
                },
                severity: Severity::Warning,
                message: format!("{msg}; accepted as reported"),
            });
        }
    }
    found
}
