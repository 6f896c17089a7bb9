//! A solution of the lowered problem → the published `Timeline`: task rows
//! with statuses and reasons in words, site rows with why each late site is
//! late (`why`), and the summary figures. Complete when built: nothing
//! downstream fills anything in.

use chrono::NaiveDate;

use super::why::{self, Stuck};
use super::{SiteRow, Status, Summary, TaskRow, TierSummary, Timeline, FORMAT};
use crate::network::lower::{eligible_crews, Lowered, TaskState};
use crate::network::{Network, TaskIx, TaskKind};
use crate::plan::{horizon_date, HORIZON_YEARS};
use crate::plan::{Plan, SiteIx};
use crate::schedule::{Failure, Placement, Solution};
use crate::units::Money;

/// Builds the timeline from a solution of `low.problem`.
pub fn build(plan: &Plan, net: &Network, low: &Lowered, sol: &Solution) -> Timeline {
    let placed: Vec<Result<Placement, Failure>> = (0..net.tasks.len())
        .map(|t| sol.activities[low.task_act[t].ix()])
        .collect();
    let tasks: Vec<TaskRow> = (0..net.tasks.len())
        .map(|t| task_row(plan, net, low, &placed, TaskIx(t as u32)))
        .collect();
    let mut sites: Vec<SiteRow> = (0..plan.sites.len())
        .map(|s| site_row(plan, net, &tasks, SiteIx::from(s)))
        .collect();
    let stuck: Vec<Option<Stuck>> = placed
        .iter()
        .map(|p| match p {
            Ok(_) => None,
            Err(Failure::BlockedBy(a) | Failure::Withdrawn(a)) => Some(Stuck::Behind(low.task(*a))),
            Err(Failure::Budget { .. }) => Some(Stuck::Money),
            Err(Failure::NoUnit) => Some(Stuck::NoCrew),
            Err(Failure::Horizon) => Some(Stuck::Horizon),
        })
        .collect();
    let whys = why::late_reasons(plan, net, &tasks, &sites, &stuck);
    for (row, why) in sites.iter_mut().zip(whys) {
        row.late_category = why.as_ref().map(|w| w.category);
        row.late_reason = why.map(|w| w.reason);
    }
    let summary = summarise(plan, net, &tasks, &sites);
    let targets = super::targets::rows(plan, &tasks);
    Timeline {
        format: FORMAT.into(),
        plan: plan.name.clone(),
        start: plan.start,
        status_date: plan.status_date,
        summary,
        tasks,
        sites,
        targets,
    }
}

fn task_row(
    plan: &Plan,
    net: &Network,
    low: &Lowered,
    placed: &[Result<Placement, Failure>],
    t: TaskIx,
) -> TaskRow {
    let task = &net.tasks[t.ix()];
    let mut row = TaskRow {
        id: task.id.clone(),
        site: plan.sites[task.key.site.ix()].id.clone(),
        phase: task.key.phase.as_str().into(),
        package: task.key.package,
        devices: task.devices,
        start: None,
        finish: None,
        duration: low.duration[t.ix()],
        crew: None,
        cost: None,
        status: Status::Unscheduled,
        reason: None,
    };
    match &placed[t.ix()] {
        Ok(p) => {
            row.start = Some(low.date(p.start));
            row.finish = Some(low.date(p.finish));
            row.crew = p
                .unit
                .filter(|_| task.kind == TaskKind::Crew)
                .map(|u| plan.crews[low.crew(u).ix()].id.clone());
            row.cost = Some(p.cost.to_f64());
            row.status = match low.state[t.ix()] {
                TaskState::Done => Status::Done,
                TaskState::InProgress => Status::InProgress,
                TaskState::Planned => Status::Planned,
            };
        }
        Err(f) => row.reason = Some(reason(plan, net, low, placed, t, f)),
    }
    row
}

/// Why a task is unscheduled, in words a programme manager understands.
fn reason(
    plan: &Plan,
    net: &Network,
    low: &Lowered,
    placed: &[Result<Placement, Failure>],
    t: TaskIx,
    f: &Failure,
) -> String {
    let task = &net.tasks[t.ix()];
    match f {
        Failure::BlockedBy(a) => format!("blocked by {}", net.tasks[low.task(*a).ix()].id),
        Failure::Withdrawn(a) => format!(
            "held back: {} cannot be placed, so no money is committed to this site",
            net.tasks[low.task(*a).ix()].id
        ),
        Failure::NoUnit => no_crew(plan, t, task.key.site, task.duration),
        Failure::Budget { from, cost } => format!(
            "budget: no period from {} can fund {} {}",
            low.date(*from).max(plan.start),
            cost,
            plan.currency
        ),
        Failure::Horizon => horizon_reason(plan, net, low, placed, t),
    }
}

fn region_crews(plan: &Plan, site: SiteIx) -> String {
    let s = &plan.sites[site.ix()];
    let cleared = if s.cleared_only { "cleared " } else { "" };
    format!("{cleared}crew in region {}", plan.regions[s.region.ix()].id)
}

fn no_crew(plan: &Plan, _t: TaskIx, site: SiteIx, days: u32) -> String {
    if eligible_crews(plan, site).is_empty() {
        return format!("no {}", region_crews(plan, site));
    }
    format!(
        "no {} is ever available for {days} working days at this site",
        region_crews(plan, site)
    )
}

/// The task could not finish within the horizon: say what held it back.
fn horizon_reason(
    plan: &Plan,
    net: &Network,
    low: &Lowered,
    placed: &[Result<Placement, Failure>],
    t: TaskIx,
) -> String {
    let task = &net.tasks[t.ix()];
    let limit = horizon_date(plan.start);
    let head = format!("cannot finish before {limit} ({HORIZON_YEARS} years from the start)");
    // The latest predecessor pushes its start.
    let latest_pred = net
        .edges
        .iter()
        .filter(|e| e.to == t)
        .filter_map(|e| {
            placed[e.from.ix()]
                .as_ref()
                .ok()
                .map(|p| (p.finish, e.from))
        })
        .max();
    if let Some((finish, p)) = latest_pred {
        if finish + i32::try_from(task.duration).unwrap_or(i32::MAX) >= low.problem.horizon {
            return format!("{head}: it must wait for {}", net.tasks[p.ix()].id);
        }
    }
    let site = &plan.sites[task.key.site.ix()];
    match task.kind {
        TaskKind::Crew if !site.blackouts.is_empty() => format!(
            "{head}: every {} is busy or unavailable whenever the site is open",
            region_crews(plan, task.key.site)
        ),
        TaskKind::Crew => format!(
            "{head}: every {} is busy or unavailable",
            region_crews(plan, task.key.site)
        ),
        TaskKind::Elapsed => format!("{head}: no working day is left to start it"),
    }
}

fn site_row(plan: &Plan, net: &Network, tasks: &[TaskRow], s: SiteIx) -> SiteRow {
    let site = &plan.sites[s.ix()];
    let removal = net.removal_tasks(s);
    let deadline = plan.site_deadline(s);
    let finishes: Option<Vec<NaiveDate>> = removal.iter().map(|t| tasks[t.ix()].finish).collect();
    let removal_complete = finishes.and_then(|f| f.into_iter().max());
    let late_days = match (removal.is_empty(), removal_complete) {
        (true, _) => Some(0),
        (false, None) => None,
        (false, Some(rc)) => Some(deadline.map(|d| (rc - d).num_days().max(0)).unwrap_or(0)),
    };
    SiteRow {
        id: site.id.clone(),
        tier: plan.tiers[site.tier.ix()].id.clone(),
        region: plan.regions[site.region.ix()].id.clone(),
        devices: site.device_count(),
        removal_complete,
        deadline,
        late_days,
        late_reason: None,
        late_category: None,
        owner: plan.owner_id(s).map(str::to_string),
    }
}

/// Exposure of one site: tier weight × devices × days from the start to its
/// removal complete day, both counted.
pub fn site_exposure(plan: &Plan, s: SiteIx, removal_complete: NaiveDate) -> f64 {
    let site = &plan.sites[s.ix()];
    let days = (removal_complete - plan.start).num_days() + 1;
    plan.tiers[site.tier.ix()].weight * site.device_count() as f64 * days as f64
}

fn summarise(plan: &Plan, net: &Network, tasks: &[TaskRow], sites: &[SiteRow]) -> Summary {
    let mut total = Money::ZERO;
    let mut stranded = Money::ZERO;
    for (s, row) in sites.iter().enumerate() {
        let spent: Money = net.site_ranges[s]
            .clone()
            .filter_map(|t| tasks[t].cost)
            .map(|c| Money::from_f64(c).unwrap_or(Money::ZERO))
            .sum();
        total += spent;
        if unscheduled_removal(row) {
            stranded += spent;
        }
    }
    let mut exposure = 0.0;
    for (s, row) in sites.iter().enumerate() {
        if let Some(rc) = row.removal_complete {
            exposure += site_exposure(plan, SiteIx::from(s), rc);
        }
    }
    let unscheduled: Vec<&SiteRow> = sites.iter().filter(|r| unscheduled_removal(r)).collect();
    Summary {
        finish: tasks.iter().filter_map(|t| t.finish).max(),
        removal_complete: sites.iter().filter_map(|s| s.removal_complete).max(),
        total_cost: total.to_f64(),
        exposure,
        sites: sites.len() as u64,
        sites_late: sites
            .iter()
            .filter(|s| s.late_days.is_some_and(|d| d > 0))
            .count() as u64,
        tasks: tasks.len() as u64,
        unscheduled: tasks
            .iter()
            .filter(|t| t.status == Status::Unscheduled)
            .count() as u64,
        sites_unscheduled: unscheduled.len() as u64,
        devices_unscheduled: unscheduled.iter().map(|s| s.devices).sum(),
        stranded_cost: stranded.to_f64(),
        objective: plan.objective.as_str().into(),
        tiers: tier_summaries(plan, sites),
    }
}

/// `summary.tiers`: per tier in plan order, its sites, the late ones and
/// their days late, and the unscheduled ones and their devices.
fn tier_summaries(plan: &Plan, sites: &[SiteRow]) -> Vec<TierSummary> {
    let mut out: Vec<TierSummary> = plan
        .tiers
        .iter()
        .map(|t| TierSummary {
            tier: t.id.clone(),
            sites: 0,
            sites_late: 0,
            late_days: 0,
            sites_unscheduled: 0,
            devices_unscheduled: 0,
        })
        .collect();
    for (site, row) in plan.sites.iter().zip(sites) {
        let t = &mut out[site.tier.ix()];
        t.sites += 1;
        match row.late_days {
            None => {
                t.sites_unscheduled += 1;
                t.devices_unscheduled += row.devices;
            }
            Some(d) if d > 0 => {
                t.sites_late += 1;
                t.late_days += d;
            }
            Some(_) => {}
        }
    }
    out
}

/// A site with devices whose removal is not fully scheduled.
pub fn unscheduled_removal(row: &SiteRow) -> bool {
    row.late_days.is_none()
}

/// The published JSON: pretty, with a final newline.
pub fn to_json(timeline: &Timeline) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_json(timeline, &mut bytes).expect("a timeline always serialises");
    bytes
}

/// `to_json`, written to `out` as it is made.
pub fn write_json(timeline: &Timeline, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, timeline)?;
    out.write_all(b"\n")
}

#[cfg(test)]
pub(crate) mod tests;
