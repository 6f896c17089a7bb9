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
        phase: task.key.phase,
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
            "budget: no period from {} on can fund {}",
            crate::words::date(low.date(*from).max(plan.start)),
            crate::words::money(*cost, &plan.currency)
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
    Summary {
        total_cost: total.to_f64(),
        exposure,
        stranded_cost: stranded.to_f64(),
        objective: plan.objective.as_str().into(),
        tiers: tier_summaries(plan, sites),
        ..row_summary(tasks, sites)
    }
}

/// The summary's counts and extremes, read off the rows alone (for
/// `summarise`, and for the charts' sample timelines); the money, the
/// exposure and the tiers are the caller's to fill in.
pub fn row_summary(tasks: &[TaskRow], sites: &[SiteRow]) -> Summary {
    let unscheduled: Vec<&SiteRow> = sites.iter().filter(|r| unscheduled_removal(r)).collect();
    Summary {
        finish: tasks.iter().filter_map(|t| t.finish).max(),
        removal_complete: sites.iter().filter_map(|s| s.removal_complete).max(),
        total_cost: 0.0,
        exposure: 0.0,
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
        stranded_cost: 0.0,
        objective: crate::plan::Objective::default().as_str().into(),
        tiers: Vec::new(),
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
pub(crate) mod tests {
    //! Unit tests of the timeline builder on hand-made solutions.

    use super::*;
    use crate::network::build as build_network;
    use crate::network::lower::{lower, LowerOptions};
    use crate::network::tests::{d, worked_example};
    use crate::schedule::{ActIx, Score, UnitIx};

    /// The worked example placed by hand, back to back from Monday 5 Jan 2026.
    pub(crate) fn placed_by_hand() -> Vec<Result<Placement, Failure>> {
        let p = |start, finish, unit: Option<u32>, cost| {
            Ok(Placement {
                start,
                finish,
                unit: unit.map(UnitIx),
                cost: Money(cost),
            })
        };
        vec![
            p(0, 0, Some(0), 100_000),     // survey Mon 5 Jan
            p(1, 45, None, 4_500_000),     // procure 6 Jan – 19 Feb
            p(46, 70, Some(0), 1_700_000), // install/1 Fri 20 Feb: 17 working days
            p(71, 77, Some(0), 500_000),   // install/2
            p(78, 78, Some(0), 100_000),   // commission
            p(79, 84, Some(0), 400_000),   // remove/1
            p(85, 86, Some(0), 200_000),   // remove/2
            p(87, 91, None, 110_000),      // dispose
        ]
    }

    pub(crate) fn solution(acts: Vec<Result<Placement, Failure>>) -> Solution {
        Solution {
            activities: acts,
            score: Score::default(),
            schedules: 1,
        }
    }

    #[test]
    fn scheduled_worked_example_has_rows_and_summary() {
        let mut plan = worked_example();
        plan.sites[0].deadline = Some(d("2026-03-31"));
        let net = build_network(&plan).unwrap();
        let low = lower(&plan, &net, &LowerOptions::default());
        let tl = build(&plan, &net, &low, &solution(placed_by_hand()));
        assert_eq!(tl.tasks.len(), 8);
        let r = &tl.tasks[2];
        assert_eq!(r.id, "alpha/install/1");
        assert_eq!((r.phase, r.package), (crate::plan::Phase::Install, Some(1)));
        assert_eq!(r.start, Some(d("2026-02-20")));
        assert_eq!(r.crew.as_deref(), Some("crew-a"));
        assert_eq!(r.cost, Some(17_000.0));
        assert_eq!(r.status, Status::Planned);
        assert_eq!(tl.tasks[1].crew, None);
        let site = &tl.sites[0];
        // remove/2 finishes on day 86 = 1 April 2026: one day late.
        assert_eq!(site.removal_complete, Some(d("2026-04-01")));
        assert_eq!(site.late_days, Some(1));
        let s = &tl.summary;
        assert_eq!(s.sites_late, 1);
        assert_eq!(s.total_cost, 76_100.0);
        assert_eq!(s.exposure, 63.0 * 87.0);
        assert_eq!(s.finish, Some(d("2026-04-06")));
        assert_eq!(
            (s.unscheduled, s.sites_unscheduled, s.stranded_cost),
            (0, 0, 0.0)
        );
    }

    #[test]
    fn unscheduled_tasks_have_reasons_and_strand_money() {
        let mut plan = worked_example();
        plan.sites[0].cleared_only = true;
        plan.crews[0].cleared = true;
        let net = build_network(&plan).unwrap();
        let low = lower(&plan, &net, &LowerOptions::default());
        let mut acts = placed_by_hand();
        acts[2] = Err(Failure::Budget {
            from: 400,
            cost: Money(12_000_000),
        });
        acts[3] = Err(Failure::Withdrawn(ActIx(2)));
        acts[4] = Err(Failure::BlockedBy(ActIx(2)));
        acts[5] = Err(Failure::NoUnit);
        acts[6] = Err(Failure::Horizon);
        acts[7] = Err(Failure::BlockedBy(ActIx(5)));
        let tl = build(&plan, &net, &low, &solution(acts));
        let reasons: Vec<_> = tl.tasks.iter().map(|t| t.reason.as_deref()).collect();
        assert_eq!(
            reasons[2],
            Some("budget: no period from 9 Feb 2027 on can fund 120,000 GBP")
        );
        assert_eq!(
        reasons[3],
        Some("held back: alpha/install/1 cannot be placed, so no money is committed to this site")
    );
        assert_eq!(reasons[4], Some("blocked by alpha/install/1"));
        assert_eq!(
            reasons[5],
            Some(
                "no cleared crew in region north is ever available for 4 working days at this site"
            )
        );
        assert!(reasons[6]
            .unwrap()
            .starts_with("cannot finish before 2046-01-05"));
        let r = &tl.tasks[3];
        assert_eq!((r.start, r.crew.as_ref(), r.cost), (None, None, None));
        assert_eq!(r.status, Status::Unscheduled);
        let s = &tl.summary;
        assert_eq!(s.unscheduled, 6);
        assert_eq!((s.sites_unscheduled, s.devices_unscheduled), (1, 63));
        assert_eq!(s.stranded_cost, 46_000.0);
        assert_eq!(s.total_cost, 46_000.0);
        assert_eq!(s.exposure, 0.0);
        assert_eq!(tl.sites[0].late_days, None);
        assert_eq!(s.removal_complete, None);
    }

    /// The worked example with its disposal past the horizon (one
    /// unscheduled task), for the writers' tests.
    pub(crate) fn worked_example_past_horizon() -> Timeline {
        let plan = worked_example();
        let net = build_network(&plan).unwrap();
        let low = lower(&plan, &net, &LowerOptions::default());
        let mut acts = placed_by_hand();
        acts[7] = Err(Failure::Horizon);
        build(&plan, &net, &low, &solution(acts))
    }
}
