//! The plan checks that need the task network, for the plan loader
//! (`plan::GraphChecks`): a cycle named whole at the first dependency on
//! it, progress the timeline could not hold (past the horizon, longer than
//! a task may span, an unfinished task's crew unavailable), and progress
//! that ran ahead of the workflow.

use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

use super::lower::progress_finish;
use super::{build, Cycle, Network};
use crate::plan::{
    horizon_date, Finding, GraphChecks, Place, Plan, Progress, Severity, SiteIx, TaskKey,
    HORIZON_YEARS, MAX_TASK_SPAN_DAYS,
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
        let mut found = progress_errors(plan, &net, status, progress);
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

/// Progress the timeline could not hold, each an error at its record:
/// - a task that would end on or after the horizon (20 years from the
///   plan's start): `verify` refuses any task there (a status date that
///   late, or remaining work that runs past it; found by the scheduler
///   fuzz target);
/// - a task that would run longer than a task may span (`MAX_TASK_SPAN_DAYS`,
///   the horizon's length): a `started` years before the programme
///   (found by the progress property test, `tests/suite/mutate.rs`);
/// - an unfinished crew task whose crew is not available on the days it
///   goes on after the status date: it keeps its crew (plan format, rule 7),
///   so no schedule could be valid (found there too; `replan` failed with
///   an internal error).
fn progress_errors(
    plan: &Plan,
    net: &Network,
    status: Option<NaiveDate>,
    progress: &[Progress],
) -> Vec<Finding> {
    let Some(status) = status else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for p in progress {
        let Some((finish, _)) = progress_finish(plan, net, status, p) else {
            continue;
        };
        let mut error = |field: &'static str, message: String| {
            found.push(Finding {
                place: Place::Progress {
                    task: p.task,
                    field,
                },
                severity: Severity::Error,
                message,
            })
        };
        let id = plan.task_id(p.task);
        let limit = horizon_date(plan.start);
        if finish >= limit {
            let field = match (p.finished, p.remaining_days) {
                (Some(_), _) => "finished",
                (None, Some(_)) => "remaining_days",
                (None, None) => "started",
            };
            error(
                field,
                format!(
                    "{id:?} would finish on {finish}, on or after {limit}, the end of the \
                     {HORIZON_YEARS} years from the start that a timeline may cover"
                ),
            );
        } else if (finish - p.started).num_days() > MAX_TASK_SPAN_DAYS {
            error(
                "started",
                format!(
                    "{id:?} would run from {} to {finish}, longer than the {HORIZON_YEARS} \
                     years a task may span",
                    p.started
                ),
            );
        }
        if let Some(why) = crew_unavailable(plan, status, p, finish) {
            error("crew", format!("{id:?} {why}"));
        }
    }
    found
}

/// Why the crew of an unfinished task cannot go on with it from the day
/// after the status date to its finish, if it cannot.
fn crew_unavailable(
    plan: &Plan,
    status: NaiveDate,
    p: &Progress,
    finish: NaiveDate,
) -> Option<String> {
    let crew = &plan.crews[p.crew?.ix()];
    let from = status.succ_opt()?;
    if p.finished.is_some() || finish < from {
        return None;
    }
    let (before, after) = (
        crew.available_from.filter(|&d| d > from),
        crew.available_to.filter(|&d| d < finish),
    );
    let window = match (before, after) {
        (None, None) => return None,
        (Some(f), None) => format!("from {f}"),
        (None, Some(t)) => format!("until {t}"),
        (Some(f), Some(t)) => format!("from {f} until {t}"),
    };
    Some(format!(
        "is in progress on the status date {status} and goes on with crew {:?} until \
         {finish}, but the crew is available only {window}: name the crew that will \
         finish it, or change the crew's availability",
        crew.id
    ))
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
