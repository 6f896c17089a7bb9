//! Public targets in the timeline: how many devices each counts, how many it
//! requires, and how many the timeline removes by its day.

use chrono::NaiveDate;

use super::{IdIndex, TargetRow, TaskRow, Timeline};
use crate::plan::{Phase, Plan, Target};

/// One row per plan target, in plan order.
pub fn rows(plan: &Plan, tasks: &[TaskRow]) -> Vec<TargetRow> {
    if plan.targets.is_empty() {
        return Vec::new();
    }
    // The task rows' sites, found once: `verify` hands rows read from a file.
    let site_of = IdIndex::sites(plan);
    plan.targets
        .iter()
        .map(|t| {
            let devices = plan.target_devices(t);
            let required = t.required(devices);
            let removed = removed_by(plan, t, tasks, &site_of, t.by);
            TargetRow {
                id: t.id.clone(),
                by: t.by,
                devices,
                required,
                removed,
                met: removed >= required,
            }
        })
        .collect()
}

/// Devices of the target's sites whose removal package finishes by the end
/// of `day` (a package's devices count as removed when it finishes).
pub fn removed_by(
    plan: &Plan,
    target: &Target,
    tasks: &[TaskRow],
    site_of: &IdIndex<'_>,
    day: NaiveDate,
) -> u64 {
    tasks
        .iter()
        .filter(|r| r.phase == Phase::Remove && r.finish.is_some_and(|f| f <= day))
        .filter(|r| {
            site_of
                .get(&r.site)
                .is_some_and(|s| target.matches(&plan.sites[s]))
        })
        .map(|r| r.devices)
        .sum()
}

/// Where a timeline's target rows differ from what its tasks give, in words
/// (for `verify`).
pub fn mismatches(plan: &Plan, tl: &Timeline) -> Vec<String> {
    let want = rows(plan, &tl.tasks);
    if want.len() != tl.targets.len() {
        return vec![format!(
            "the timeline has {} target rows, the plan {} targets",
            tl.targets.len(),
            want.len()
        )];
    }
    want.iter()
        .zip(&tl.targets)
        .filter(|(w, g)| w != g)
        .map(|(w, g)| {
            format!(
                "target {}: by {} devices {} required {} removed {} met {}, expected by {} devices {} required {} removed {} met {}",
                w.id, g.by, g.devices, g.required, g.removed, g.met, w.by, w.devices, w.required, w.removed, w.met
            )
        })
        .collect()
}
