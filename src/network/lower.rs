//! Lowering: a plan's task network → the general scheduling `Problem`, and
//! the maps back from activities and units to tasks and crews.
//!
//! Activity `i` is task `i` and unit `j` is crew `j`, so the maps are
//! identities today; they are kept explicit so callers never rely on it.
//! Day 0 is the plan's start. Re-planning work (progress, and baseline work
//! the caller pins) becomes fixed placements.

use chrono::{Days, NaiveDate};
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::rc::Rc;

use super::{Network, TaskIx, TaskKind};
use crate::plan::{horizon_date, CrewIx, DateRange, Plan, SiteIx};
use crate::schedule::{
    self, ActIx, Activity, BaseCalendar, BudgetRule, CalIx, DurationKind, Group, GroupIx,
    Milestone, Objective, ObjectiveKind, Placement, Precedence, Problem, TargetGoal, Time, Unit,
    UnitIx,
};
use crate::units::Money;

/// Where a task stands when the schedule is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// Reported finished: kept exactly.
    Done,
    /// Reported started, not finished: keeps its start and crew.
    InProgress,
    /// To be scheduled (or pinned by the caller).
    Planned,
}

/// A planned task the caller wants kept where it is (re-planning keeps
/// baseline work that need not move).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pin {
    pub task: TaskIx,
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub crew: Option<CrewIx>,
    pub cost: Money,
}

#[derive(Debug, Clone, Default)]
pub struct LowerOptions {
    /// Planned tasks to fix in place; they must not be done or in progress.
    pub pins: Vec<Pin>,
}

/// The lowered problem and everything needed to read its solution back.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub problem: Problem,
    /// Day 0.
    pub start: NaiveDate,
    /// `task_act[task]`: the activity of each task.
    pub task_act: Vec<ActIx>,
    /// `act_task[activity]`: the task of each activity.
    pub act_task: Vec<TaskIx>,
    /// `unit_crew[unit]`: the crew of each unit.
    pub unit_crew: Vec<CrewIx>,
    /// `state[task]`.
    pub state: Vec<TaskState>,
    /// `duration[task]` as the timeline reports it: the table's duration for
    /// planned tasks, the actual or whole span for done and in-progress ones.
    pub duration: Vec<u32>,
}

impl Lowered {
    /// The date of a day index.
    pub fn date(&self, t: Time) -> NaiveDate {
        offset(self.start, t as i64)
    }

    /// The day index of a date.
    pub fn time(&self, d: NaiveDate) -> Time {
        day_index(self.start, d)
    }

    /// The crew of a unit.
    pub fn crew(&self, u: UnitIx) -> CrewIx {
        self.unit_crew[u.ix()]
    }

    /// The task an activity stands for.
    pub fn task(&self, a: ActIx) -> TaskIx {
        self.act_task[a.ix()]
    }
}

fn day_index(start: NaiveDate, d: NaiveDate) -> Time {
    (d - start)
        .num_days()
        .clamp(i32::MIN as i64 / 2, i32::MAX as i64 / 2) as Time
}

fn offset(start: NaiveDate, t: i64) -> NaiveDate {
    let r = if t >= 0 {
        start.checked_add_days(Days::new(t as u64))
    } else {
        start.checked_sub_days(Days::new(t.unsigned_abs()))
    };
    r.unwrap_or(if t >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// Lowers a plan and its network.
pub fn lower(plan: &Plan, net: &Network, opts: &LowerOptions) -> Lowered {
    let start = plan.start;
    let horizon = day_index(start, horizon_date(start));
    let base = Rc::new(
        (0..horizon)
            .map(|t| plan.calendar.is_working(offset(start, t as i64)))
            .collect::<Vec<bool>>(),
    );
    let (calendars, site_cal) = calendars(plan, &base, horizon);
    let units = plan
        .crews
        .iter()
        .map(|c| Unit {
            // Unbounded ends become the horizon either side of day 0.
            available_from: c
                .available_from
                .map_or(-horizon, |d| day_index(start, d).max(-horizon)),
            available_to: c
                .available_to
                .map_or(horizon, |d| day_index(start, d).min(horizon)),
            day_rate: c.day_rate,
        })
        .collect();
    let site_group = site_groups(plan, net);
    let mut low = Lowered {
        problem: Problem {
            calendars,
            units,
            horizon,
            budget: plan.budget.as_ref().map(|b| BudgetRule {
                carry_over: b.carry_over,
                periods: b
                    .periods
                    .iter()
                    .map(|p| schedule::BudgetPeriod {
                        from: day_index(start, p.from),
                        to: day_index(start, p.to),
                        amount: p.amount,
                    })
                    .collect(),
            }),
            ..Problem::default()
        },
        start,
        task_act: (0..net.tasks.len()).map(ActIx::from).collect(),
        act_task: (0..net.tasks.len()).map(|i| TaskIx(i as u32)).collect(),
        unit_crew: (0..plan.crews.len()).map(CrewIx::from).collect(),
        state: vec![TaskState::Planned; net.tasks.len()],
        duration: net.tasks.iter().map(|t| t.duration).collect(),
    };
    low.problem.activities = activities(plan, net, &site_cal, &site_group, &low);
    low.problem.precedences = net
        .edges
        .iter()
        .map(|e| Precedence {
            from: low.task_act[e.from.ix()],
            to: low.task_act[e.to.ix()],
            lag: e.lag.min(i32::MAX as u32 / 2) as i32,
        })
        .collect();
    low.problem.groups = groups(net, &site_group, &low);
    low.problem.objective = objective(plan, net, &low);
    fix_progress(plan, net, &mut low);
    fix_pins(net, opts, &mut low);
    low
}

/// Calendar 0 is the programme's; each site with blackouts gets its own.
/// Returns the calendars and each site's calendar.
fn calendars(
    plan: &Plan,
    base: &Rc<Vec<bool>>,
    horizon: Time,
) -> (Vec<schedule::Calendar>, Vec<CalIx>) {
    let mut cals = vec![schedule::Calendar {
        base: BaseCalendar::Days(base.clone()),
        blocked: vec![],
    }];
    let mut site_cal = Vec::with_capacity(plan.sites.len());
    for site in &plan.sites {
        let blocked = blocked_ranges(plan.start, &site.blackouts, horizon);
        if blocked.is_empty() {
            site_cal.push(CalIx(0));
        } else {
            site_cal.push(CalIx::from(cals.len()));
            cals.push(schedule::Calendar {
                base: BaseCalendar::Days(base.clone()),
                blocked,
            });
        }
    }
    (cals, site_cal)
}

/// Blackouts as sorted, disjoint day ranges inside `0..horizon`.
fn blocked_ranges(start: NaiveDate, blackouts: &[DateRange], horizon: Time) -> Vec<(Time, Time)> {
    let mut ranges: Vec<(Time, Time)> = blackouts
        .iter()
        .map(|b| {
            (
                day_index(start, b.from).max(0),
                day_index(start, b.to).min(horizon),
            )
        })
        .filter(|(a, b)| a <= b)
        .collect();
    ranges.sort();
    let mut merged: Vec<(Time, Time)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// One group per site, except that sites tied in a cycle by dependencies
/// share one (their work can only be ordered together).
fn site_groups(plan: &Plan, net: &Network) -> Vec<GroupIx> {
    use petgraph::graph::{DiGraph, NodeIndex};
    let mut g: DiGraph<(), ()> = DiGraph::new();
    for _ in &plan.sites {
        g.add_node(());
    }
    for d in &plan.dependencies {
        g.add_edge(
            NodeIndex::new(d.from.site.ix()),
            NodeIndex::new(d.to.site.ix()),
            (),
        );
    }
    // A component is named by its first site in plan order; groups are
    // numbered in that order, skipping sites without tasks.
    let mut first = vec![usize::MAX; plan.sites.len()];
    for comp in petgraph::algo::kosaraju_scc(&g) {
        let min = comp.iter().map(|n| n.index()).min().unwrap_or(0);
        for n in comp {
            first[n.index()] = min;
        }
    }
    let mut number: HashMap<usize, GroupIx> = HashMap::new();
    let mut out = Vec::with_capacity(plan.sites.len());
    for (range, &comp) in net.site_ranges.iter().zip(&first) {
        if range.is_empty() {
            out.push(GroupIx(u32::MAX));
            continue;
        }
        let next = GroupIx::from(number.len());
        out.push(*number.entry(comp).or_insert(next));
    }
    out
}

fn activities(
    plan: &Plan,
    net: &Network,
    site_cal: &[CalIx],
    site_group: &[GroupIx],
    low: &Lowered,
) -> Vec<Activity> {
    let release_after_status = plan.status_date.map(|d| low.time(d) + 1);
    // Eligible crews once per region and clearance, not per task (a scan
    // of every crew for every task is tasks x crews at national scale),
    // and one list shared by every task there, not a copy per task (at
    // 100,000 sites the copies would be most of the run's memory).
    let mut eligible: HashMap<(usize, bool), std::sync::Arc<[UnitIx]>> = HashMap::new();
    net.tasks
        .iter()
        .map(|t| {
            let s = t.key.site;
            let site = &plan.sites[s.ix()];
            let release = [
                Some(0),
                site.not_before.map(|d| low.time(d)),
                release_after_status,
            ]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(0);
            let (kind, calendar, units) = match t.kind {
                TaskKind::Crew => (
                    DurationKind::Working,
                    site_cal[s.ix()],
                    eligible
                        .entry((site.region.ix(), site.cleared_only))
                        .or_insert_with(|| eligible_units(plan, s).into())
                        .clone(),
                ),
                TaskKind::Elapsed => (DurationKind::Elapsed, CalIx(0), Default::default()),
            };
            Activity {
                duration: t.duration.min(i32::MAX as u32 / 2) as i32,
                kind,
                calendar,
                release,
                pool_demand: vec![],
                units,
                cost: t.cost,
                group: site_group[s.ix()],
                fixed: None,
            }
        })
        .collect()
}

/// The crews that may work at a site: its region's, cleared ones where it
/// is `cleared_only`.
pub fn eligible_crews(plan: &Plan, site: SiteIx) -> Vec<CrewIx> {
    let s = &plan.sites[site.ix()];
    plan.crews
        .iter()
        .enumerate()
        .filter(|(_, c)| c.may_work_at(s))
        .map(|(i, _)| CrewIx::from(i))
        .collect()
}

fn eligible_units(plan: &Plan, site: SiteIx) -> Vec<UnitIx> {
    eligible_crews(plan, site)
        .into_iter()
        .map(|c| UnitIx(c.0))
        .collect()
}

/// Groups in order of their first site; inside a group, activities in a
/// topological order that keeps task order wherever precedence allows.
fn groups(net: &Network, site_group: &[GroupIx], low: &Lowered) -> Vec<Group> {
    let count = site_group
        .iter()
        .filter(|g| g.0 != u32::MAX)
        .map(|g| g.ix() + 1)
        .max()
        .unwrap_or(0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (s, g) in site_group.iter().enumerate() {
        if g.0 != u32::MAX {
            members[g.ix()].extend(net.site_ranges[s].clone());
        }
    }
    let preds = net.predecessors();
    members
        .into_iter()
        .map(|tasks| Group {
            activities: topological(&tasks, &preds)
                .into_iter()
                .map(|t| low.task_act[t])
                .collect(),
        })
        .collect()
}

/// Kahn's algorithm over `tasks` (edges from outside the set are ignored),
/// always taking the lowest ready task index.
fn topological(tasks: &[usize], preds: &[Vec<super::Edge>]) -> Vec<usize> {
    let set: BTreeSet<usize> = tasks.iter().copied().collect();
    let mut indeg: HashMap<usize, usize> = HashMap::new();
    let mut succ: HashMap<usize, Vec<usize>> = HashMap::new();
    for &t in tasks {
        for e in &preds[t] {
            if set.contains(&e.from.ix()) {
                *indeg.entry(t).or_default() += 1;
                succ.entry(e.from.ix()).or_default().push(t);
            }
        }
    }
    let mut ready: BinaryHeap<std::cmp::Reverse<usize>> = tasks
        .iter()
        .filter(|t| !indeg.contains_key(t))
        .map(|&t| std::cmp::Reverse(t))
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    while let Some(std::cmp::Reverse(t)) = ready.pop() {
        out.push(t);
        for &n in succ.get(&t).map(Vec::as_slice).unwrap_or(&[]) {
            let d = indeg.get_mut(&n).expect("successor has an in-degree");
            *d -= 1;
            if *d == 0 {
                ready.push(std::cmp::Reverse(n));
            }
        }
    }
    out
}

/// One milestone per site with devices: its removal packages, in its
/// tier's class of sensitivity (`sensitivity_classes`), and the plan's
/// `objective`.
fn objective(plan: &Plan, net: &Network, low: &Lowered) -> Objective {
    let (class, classes) = sensitivity_classes(plan);
    let mut milestones = Vec::new();
    for (s, site) in plan.sites.iter().enumerate() {
        let s = SiteIx::from(s);
        let removal = net.removal_tasks(s);
        if removal.is_empty() {
            continue;
        }
        let weight = plan.tiers[site.tier.ix()].weight * site.device_count() as f64;
        milestones.push(Milestone {
            activities: removal.iter().map(|t| low.task_act[t.ix()]).collect(),
            weight,
            unscheduled_weight: weight,
            deadline: plan.site_deadline(s).map(|d| low.time(d)),
            class: class[site.tier.ix()],
        });
    }
    Objective {
        kind: match plan.objective {
            crate::plan::Objective::TiersFirst => ObjectiveKind::TiersFirst,
            crate::plan::Objective::FewestLate => ObjectiveKind::FewestLate,
            crate::plan::Objective::LeastExposure => ObjectiveKind::LeastExposure,
        },
        milestones,
        classes,
        targets: target_goals(plan, net, low),
    }
}

/// The plan's public targets as key 1b counts them: the removal packages of
/// the matching sites, each with the devices it removes, to finish by the
/// end of the target's day.
fn target_goals(plan: &Plan, net: &Network, low: &Lowered) -> Vec<TargetGoal> {
    plan.targets
        .iter()
        .map(|target| {
            let packages: Vec<(ActIx, u64)> = plan
                .sites
                .iter()
                .enumerate()
                .filter(|(_, site)| target.matches(site))
                .flat_map(|(s, _)| net.removal_tasks(SiteIx::from(s)))
                .map(|t| (low.task_act[t.ix()], net.tasks[t.ix()].devices))
                .collect();
            let devices = packages.iter().map(|p| p.1).sum();
            TargetGoal {
                packages,
                by: low.time(target.by),
                required: target.required(devices),
            }
        })
        .collect()
}

/// Each tier's class of sensitivity, and how many classes there are:
/// tiers of equal weight share a class, and class 0 holds the heaviest
/// (`tiers_first` weighs them in that order).
pub fn sensitivity_classes(plan: &Plan) -> (Vec<u32>, usize) {
    let mut weights: Vec<f64> = plan.tiers.iter().map(|t| t.weight).collect();
    weights.sort_by(|a, b| b.total_cmp(a));
    weights.dedup();
    let class = plan
        .tiers
        .iter()
        .map(|t| weights.iter().position(|&w| w == t.weight).unwrap_or(0) as u32)
        .collect();
    (class, weights.len())
}

/// Working days of a site (programme working day, outside its blackouts).
pub fn site_working(plan: &Plan, site: SiteIx, day: NaiveDate) -> bool {
    plan.calendar.is_working(day)
        && !plan.sites[site.ix()]
            .blackouts
            .iter()
            .any(|b| b.contains(day))
}

/// Days counted for a task kind from `from` to `to` inclusive: working days
/// of the site for crew tasks, calendar days for elapsed ones.
fn span_days(plan: &Plan, site: SiteIx, kind: TaskKind, from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    match kind {
        TaskKind::Elapsed => ((to - from).num_days() + 1).min(u32::MAX as i64) as u32,
        TaskKind::Crew => from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| site_working(plan, site, *d))
            .count() as u32,
    }
}

/// The day on which `days` more days of work after `after` are done.
/// Bounded: a site that never works again finishes at the search limit.
fn finish_after(
    plan: &Plan,
    site: SiteIx,
    kind: TaskKind,
    after: NaiveDate,
    days: u32,
) -> NaiveDate {
    match kind {
        TaskKind::Elapsed => offset(after, days as i64),
        TaskKind::Crew => {
            let limit = horizon_date(after);
            let mut left = days;
            let mut day = after;
            while left > 0 && day < limit {
                day = offset(day, 1);
                if site_working(plan, site, day) {
                    left -= 1;
                }
            }
            day
        }
    }
}

/// The day a reported task finishes, and its state: the reported finish
/// when done, else the day its remaining work is done after `status`.
/// The plan loader's network checks use it to refuse progress that ends
/// past the horizon.
pub fn progress_finish(
    plan: &Plan,
    net: &Network,
    status: NaiveDate,
    p: &crate::plan::Progress,
) -> Option<(NaiveDate, TaskState)> {
    let task = &net.tasks[net.find(p.task)?.ix()];
    let s = task.key.site;
    Some(match p.finished {
        Some(f) => (f, TaskState::Done),
        None => {
            let worked = span_days(plan, s, task.kind, p.started, status);
            let left = p
                .remaining_days
                .unwrap_or_else(|| task.duration.saturating_sub(worked).max(1));
            (
                finish_after(plan, s, task.kind, status, left),
                TaskState::InProgress,
            )
        }
    })
}

/// Done and in-progress tasks become fixed placements with actual costs.
fn fix_progress(plan: &Plan, net: &Network, low: &mut Lowered) {
    let Some(status) = plan.status_date else {
        return;
    };
    for p in &plan.progress {
        let Some(t) = net.find(p.task) else { continue };
        let task = &net.tasks[t.ix()];
        let s = task.key.site;
        let Some((finish, state)) = progress_finish(plan, net, status, p) else {
            continue;
        };
        let duration = span_days(plan, s, task.kind, p.started, finish);
        let crew = p.crew.filter(|_| task.kind == TaskKind::Crew);
        let cost = p
            .cost
            .unwrap_or_else(|| table_cost(plan, task, crew, duration));
        low.state[t.ix()] = state;
        low.duration[t.ix()] = duration;
        let a = low.task_act[t.ix()];
        low.problem.activities[a.ix()].fixed = Some(Placement {
            start: low.time(p.started),
            finish: low.time(finish),
            unit: crew.map(|c| UnitIx(c.0)),
            cost,
        });
    }
}

/// The cost a task's table row gives: the crew's day rate × days for crew
/// tasks, the fixed cost for elapsed ones.
pub fn table_cost(plan: &Plan, task: &super::Task, crew: Option<CrewIx>, days: u32) -> Money {
    match (task.kind, crew) {
        (TaskKind::Crew, Some(c)) => plan.crews[c.ix()].cost_of(days),
        (TaskKind::Crew, None) => Money::ZERO,
        (TaskKind::Elapsed, _) => task.cost,
    }
}

fn fix_pins(net: &Network, opts: &LowerOptions, low: &mut Lowered) {
    for pin in &opts.pins {
        if low.state[pin.task.ix()] != TaskState::Planned {
            continue;
        }
        let crew = pin
            .crew
            .filter(|_| net.tasks[pin.task.ix()].kind == TaskKind::Crew);
        let a = low.task_act[pin.task.ix()];
        low.problem.activities[a.ix()].fixed = Some(Placement {
            start: low.time(pin.start),
            finish: low.time(pin.finish),
            unit: crew.map(|c| UnitIx(c.0)),
            cost: pin.cost,
        });
    }
}

#[cfg(test)]
mod tests {
    //! Unit tests of the lowering.

    use super::*;
    use crate::network::build;
    use crate::network::tests::{d, site, worked_example};
    use crate::plan::*;

    #[test]
    fn worked_example_lowers_with_calendars_units_and_milestones() {
        let mut plan = worked_example();
        plan.sites[0].not_before = Some(d("2026-01-12"));
        plan.sites[0].deadline = Some(d("2026-06-30"));
        plan.sites[0].blackouts = vec![DateRange {
            from: d("2026-02-02"),
            to: d("2026-02-06"),
        }];
        let net = build(&plan).unwrap();
        let low = lower(&plan, &net, &LowerOptions::default());
        let p = &low.problem;
        // 2026-01-05 + 20 years = 2046-01-05.
        assert_eq!(low.date(p.horizon), d("2046-01-05"));
        assert_eq!(p.calendars.len(), 2);
        assert_eq!(p.calendars[1].blocked, vec![(28, 32)]);
        let BaseCalendar::Days(days) = &p.calendars[0].base else {
            panic!("plans use a day calendar")
        };
        // Monday 5 Jan works, Saturday 10 Jan does not.
        assert!(days[0] && !days[5]);
        assert_eq!(p.activities.len(), 8);
        assert_eq!(p.activities[0].calendar, CalIx(1));
        assert_eq!(p.activities[1].calendar, CalIx(0));
        assert_eq!(p.activities[1].kind, DurationKind::Elapsed);
        assert_eq!(p.activities[1].cost, Money(4_500_000));
        assert_eq!(p.activities[0].release, 7);
        assert_eq!(*p.activities[2].units, [UnitIx(0)]);
        assert!(p.activities[1].units.is_empty());
        assert_eq!(p.groups.len(), 1);
        assert_eq!(p.groups[0].activities.len(), 8);
        let m = &p.objective.milestones[0];
        assert_eq!(m.activities, vec![ActIx(5), ActIx(6)]);
        assert_eq!(m.weight, 63.0);
        assert_eq!(m.deadline, Some(low.time(d("2026-06-30"))));
        assert_eq!(p.precedences.len(), net.edges.len());
    }

    #[test]
    fn cleared_sites_only_get_cleared_crews_of_their_region() {
        let mut plan = worked_example();
        plan.regions.push(Region {
            id: "south".into(),
            name: None,
        });
        let crew = |id: &str, region, cleared| Crew {
            id: id.into(),
            region: RegionIx(region),
            cleared,
            day_rate: Money(100),
            available_from: None,
            available_to: None,
        };
        plan.crews = vec![crew("a", 0, false), crew("b", 0, true), crew("c", 1, true)];
        plan.sites[0].cleared_only = true;
        let net = build(&plan).unwrap();
        let low = lower(&plan, &net, &LowerOptions::default());
        assert_eq!(*low.problem.activities[0].units, [UnitIx(1)]);
    }

    #[test]
    fn sites_tied_in_a_cycle_share_a_group_in_topological_order() {
        let mut plan = worked_example();
        plan.sites.push(site("beta", vec![(DeviceTypeIx(2), 3)]));
        plan.sites.push(site("gamma", vec![(DeviceTypeIx(2), 3)]));
        let r = |s, phase| PhaseRef {
            site: SiteIx(s),
            phase,
        };
        // alpha's disposal waits for beta's removal, and beta's survey for
        // alpha's: no task cycle, but the sites must be ordered together.
        plan.dependencies.push(Dependency {
            from: r(1, Phase::Remove),
            to: r(0, Phase::Dispose),
            lag_days: 0,
        });
        plan.dependencies.push(Dependency {
            from: r(0, Phase::Survey),
            to: r(1, Phase::Survey),
            lag_days: 2,
        });
        let net = build(&plan).unwrap();
        let low = lower(&plan, &net, &LowerOptions::default());
        let groups = &low.problem.groups;
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].activities.len(), 11);
        let pos = |t: usize| {
            groups[0]
                .activities
                .iter()
                .position(|a| a.ix() == t)
                .unwrap()
        };
        assert!(pos(9) < pos(7), "beta/remove/1 before alpha/dispose");
        assert_eq!(low.problem.activities[8].group, GroupIx(0));
        assert_eq!(low.problem.activities[11].group, GroupIx(1));
    }

    #[test]
    fn progress_becomes_fixed_work_with_actual_costs() {
        let mut plan = worked_example();
        plan.status_date = Some(d("2026-01-14"));
        plan.sites[0].blackouts = vec![DateRange {
            from: d("2026-01-15"),
            to: d("2026-01-16"),
        }];
        let key = |phase, package| TaskKey {
            site: SiteIx(0),
            phase,
            package,
        };
        plan.progress = vec![
            Progress {
                task: key(Phase::Survey, None),
                started: d("2026-01-05"),
                finished: Some(d("2026-01-06")),
                crew: Some(CrewIx(0)),
                remaining_days: None,
                cost: None,
            },
            Progress {
                task: key(Phase::Procure, None),
                started: d("2026-01-07"),
                finished: None,
                crew: None,
                remaining_days: None,
                cost: Some(Money(123)),
            },
            Progress {
                task: key(Phase::Install, Some(2)),
                started: d("2026-01-12"),
                finished: None,
                crew: Some(CrewIx(0)),
                remaining_days: None,
                cost: None,
            },
        ];
        let net = build(&plan).unwrap();
        let low = lower(&plan, &net, &LowerOptions::default());
        let acts = &low.problem.activities;
        let fixed = |i: usize| acts[i].fixed.unwrap();
        // Survey: done over two working days.
        assert_eq!(low.state[0], TaskState::Done);
        assert_eq!(low.duration[0], 2);
        assert_eq!(
            (fixed(0).start, fixed(0).finish, fixed(0).cost),
            (0, 1, Money(200_000))
        );
        // Procurement: 8 calendar days done of 45, so 37 more after the 14th.
        assert_eq!(low.state[1], TaskState::InProgress);
        assert_eq!(low.date(fixed(1).finish), d("2026-02-20"));
        assert_eq!(low.duration[1], 45);
        assert_eq!(fixed(1).cost, Money(123));
        // Install/2 (5 days): worked 12–14 Jan (3), 2 left; the blackout on
        // 15–16 and the weekend pause it, so it finishes Tuesday 20 Jan.
        assert_eq!(low.date(fixed(3).finish), d("2026-01-20"));
        assert_eq!(low.duration[3], 5);
        assert_eq!(fixed(3).unit, Some(UnitIx(0)));
        assert_eq!(fixed(3).cost, Money(500_000));
        // Planned work starts after the status date.
        assert_eq!(acts[2].release, low.time(d("2026-01-15")));
        assert!(acts[2].fixed.is_none());
    }

    #[test]
    fn pins_fix_planned_tasks_only() {
        let plan = worked_example();
        let net = build(&plan).unwrap();
        let opts = LowerOptions {
            pins: vec![Pin {
                task: TaskIx(0),
                start: d("2026-01-07"),
                finish: d("2026-01-07"),
                crew: Some(CrewIx(0)),
                cost: Money(100_000),
            }],
        };
        let low = lower(&plan, &net, &opts);
        let f = low.problem.activities[0].fixed.unwrap();
        assert_eq!((f.start, f.finish, f.unit), (2, 2, Some(UnitIx(0))));
        assert_eq!(low.state[0], TaskState::Planned);
    }
}
