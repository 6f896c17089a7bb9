//! What moved between two timelines, most important first: the data
//! (`Diff`, written as `diff.json`) and its Markdown rendering (`diff.md`,
//! and what `diff` prints).
//!
//! Only the two timelines are needed. The later plan, when given, adds what
//! a timeline does not hold: site names, tier weights (which decide the
//! order of importance), the budget periods costs are grouped by, and what
//! holds each moved site now. Without one, tiers rank in the order they
//! first appear and costs are grouped by financial year (the plan's
//! `financial_year_start`, else April to March). With the earlier plan too,
//! the diff says what changed in the plan (budget, crews, device types,
//! deadlines: `changes`) and how each moved site's waits changed (`moved`).

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

use super::changes::{self, PlanChanges};
use super::joined::Joined;
use super::moved;
use crate::network::Network;
use crate::plan::Plan;
use crate::timeline::{pair_tasks, Pairs, SiteRow, Status, Timeline};
use crate::units::Money;

/// The plans of the two timelines, when known.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plans<'a> {
    /// The plan the earlier timeline was made from.
    pub old: Option<&'a Plan>,
    /// The plan the later timeline was made from.
    pub new: Option<&'a Plan>,
    /// The later plan's task network, when the caller has it (a re-plan
    /// has just scheduled it), so that it is not built again; else built
    /// here when needed.
    pub new_network: Option<&'a Network>,
}

/// Everything that changed, ordered for a reader who must act on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// The earlier timeline's status date.
    pub old_status_date: Option<NaiveDate>,
    /// The later timeline's status date.
    pub new_status_date: Option<NaiveDate>,
    /// What changed in the plan: budget, devices, crews, deadlines,
    /// progress reported.
    pub plan_changes: PlanChanges,
    pub summary: SummaryDelta,
    /// Sites whose removal complete day moved, or that became late, on
    /// time, unscheduled or scheduled, or that one timeline lacks; most
    /// important first (tier, then days moved).
    pub sites: Vec<SiteChange>,
    /// Cost committed per budget period (or financial year), before and after.
    pub cost_by_period: Vec<PeriodCost>,
    /// Tasks scheduled before and unscheduled now, with the reason.
    pub newly_unscheduled: Vec<TaskChange>,
    /// Tasks unscheduled before and scheduled now.
    pub newly_scheduled: Vec<TaskChange>,
    /// How many tasks scheduled in both kept their start and crew.
    pub tasks_kept: u64,
    /// How many tasks scheduled in both changed start or crew.
    pub tasks_moved: u64,
    /// Tasks the earlier timeline had starting by the later one's status
    /// date that the later one has neither done nor under way: no progress
    /// was reported for them, so they were re-planned as not started. In
    /// task order.
    #[serde(default)]
    pub due_unreported: Vec<DueTask>,
    /// The later timeline against the earlier by the plan's objective,
    /// when a plan was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Judgement>,
}

/// A baseline task that was due to start by the status date with no
/// progress reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueTask {
    pub id: String,
    /// Its start in the earlier timeline.
    pub was_due: NaiveDate,
    /// Its start now (null when unscheduled).
    pub now: Option<NaiveDate>,
}

/// The later timeline judged against the earlier by the plan's objective.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement {
    /// The plan's `objective`.
    pub objective: String,
    /// `better`, `worse` or `same`.
    pub verdict: String,
    /// The first figure, in the objective's order, that differs.
    pub because: String,
}

/// A before/after pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryDelta {
    pub removal_complete: Change<Option<NaiveDate>>,
    /// Calendar days the programme's removal complete moved (later is positive).
    pub removal_complete_days: Option<i64>,
    pub finish: Change<Option<NaiveDate>>,
    pub finish_days: Option<i64>,
    pub exposure: Change<f64>,
    pub devices_unscheduled: Change<u64>,
    pub sites_unscheduled: Change<u64>,
    pub sites_late: Change<u64>,
    pub total_cost: Change<f64>,
}

/// How a site's position changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteMove {
    /// Its removal was scheduled and now is not.
    NewlyUnscheduled,
    /// Removal complete now falls after its deadline; it did not before.
    NewlyLate,
    /// Only the later timeline has it.
    Added,
    /// Still scheduled, on the same side of its deadline, but moved.
    Moved,
    /// Removal complete now meets its deadline; it did not before.
    NewlyOnTime,
    /// Its removal was unscheduled and now is scheduled.
    NewlyScheduled,
    /// Only the earlier timeline has it.
    Removed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteChange {
    pub id: String,
    /// From the plan, when one was given.
    pub name: Option<String>,
    pub tier: String,
    pub change: SiteMove,
    pub removal_complete: Change<Option<NaiveDate>>,
    /// Calendar days moved (later is positive); null when either side is
    /// unscheduled or missing.
    pub days_moved: Option<i64>,
    pub deadline: Option<NaiveDate>,
    /// Days late after the change; null when unscheduled or missing.
    pub late_days: Option<i64>,
    /// What held it back, when the later timeline says (its late reason).
    pub reason: Option<String>,
    /// Why it moved (every site scheduled in both that moved, on time or
    /// not): what changed at the site, progress reported at it, how its
    /// waits changed, and what holds it now.
    pub why: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodCost {
    /// `2026-04-01..2027-03-31`, or `FY2026-27`, or `outside any period`.
    pub label: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The period's amount, when grouped by a plan's budget.
    pub available: Option<f64>,
    pub before: f64,
    pub after: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskChange {
    pub id: String,
    pub site: String,
    pub tier: String,
    pub devices: u64,
    /// Why it is unscheduled (the later timeline's reason, or the earlier's).
    pub reason: Option<String>,
    /// Its start in the timeline where it is scheduled.
    pub start: Option<NaiveDate>,
}

/// Compares two timelines; the later plan adds names, tier weights, budget
/// periods and what holds each site now; the earlier one what changed in
/// the plan.
pub fn diff(old: &Timeline, new: &Timeline, plans: Plans<'_>) -> Diff {
    let plan = plans.new;
    let ranks = TierRanks::new(old, new, plan);
    // The one join of the two timelines (and their plans) by ID.
    let joined = Joined::new(old, new, plans);
    let tasks = &joined.rows.tasks;
    let (tasks_kept, tasks_moved) = count_paired_moves(old, new, tasks);
    let plan_changes = changes::plan_changes(old, new, plans.old, plans.new, &joined);
    let mut sites = site_changes(old, new, plan, &ranks, &joined);
    moved::explain(&mut sites, old, new, plans, &plan_changes, &joined);
    let sites = sites.into_iter().map(|s| s.change).collect();
    Diff {
        old_status_date: old.status_date,
        new_status_date: new.status_date,
        plan_changes,
        summary: summary(old, new),
        sites,
        cost_by_period: cost_by_period(old, new, plan),
        newly_unscheduled: task_changes(old, new, &ranks, &joined, true),
        newly_scheduled: task_changes(old, new, &ranks, &joined, false),
        tasks_kept,
        tasks_moved,
        due_unreported: due_unreported(old, new, tasks),
        verdict: plan.map(|p| {
            let (v, because) = super::verdict::judge(p, new, old);
            Judgement {
                objective: p.objective.as_str().into(),
                verdict: v.as_str().into(),
                because,
            }
        }),
    }
}

fn days_between(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<i64> {
    Some((b? - a?).num_days())
}

fn summary(old: &Timeline, new: &Timeline) -> SummaryDelta {
    let (o, n) = (&old.summary, &new.summary);
    SummaryDelta {
        removal_complete: Change {
            before: o.removal_complete,
            after: n.removal_complete,
        },
        removal_complete_days: days_between(o.removal_complete, n.removal_complete),
        finish: Change {
            before: o.finish,
            after: n.finish,
        },
        finish_days: days_between(o.finish, n.finish),
        exposure: Change {
            before: o.exposure,
            after: n.exposure,
        },
        devices_unscheduled: Change {
            before: o.devices_unscheduled,
            after: n.devices_unscheduled,
        },
        sites_unscheduled: Change {
            before: o.sites_unscheduled,
            after: n.sites_unscheduled,
        },
        sites_late: Change {
            before: o.sites_late,
            after: n.sites_late,
        },
        total_cost: Change {
            before: o.total_cost,
            after: n.total_cost,
        },
    }
}

/// The importance of each tier: 0 is the most important. With a plan, by
/// weight (heaviest first, plan order on ties); without, in the order
/// tiers first appear in the later timeline, then the earlier one.
struct TierRanks(HashMap<String, usize>);

impl TierRanks {
    fn new(old: &Timeline, new: &Timeline, plan: Option<&Plan>) -> TierRanks {
        let mut order: Vec<String> = Vec::new();
        if let Some(p) = plan {
            let mut tiers: Vec<(usize, &crate::plan::Tier)> = p.tiers.iter().enumerate().collect();
            tiers.sort_by(|a, b| b.1.weight.total_cmp(&a.1.weight).then(a.0.cmp(&b.0)));
            order.extend(tiers.into_iter().map(|(_, t)| t.id.clone()));
        }
        for s in new.sites.iter().chain(&old.sites) {
            if !order.contains(&s.tier) {
                order.push(s.tier.clone());
            }
        }
        TierRanks(order.into_iter().enumerate().map(|(i, t)| (t, i)).collect())
    }

    fn rank(&self, tier: &str) -> usize {
        self.0.get(tier).copied().unwrap_or(usize::MAX)
    }
}

/// Is a scheduled site late?
fn is_late(late_days: Option<i64>) -> bool {
    late_days.is_some_and(|d| d > 0)
}

fn classify(old: Option<&SiteRow>, new: Option<&SiteRow>) -> Option<SiteMove> {
    let (o, n) = match (old, new) {
        (None, None) => return None,
        (None, Some(_)) => return Some(SiteMove::Added),
        (Some(_), None) => return Some(SiteMove::Removed),
        (Some(o), Some(n)) => (o, n),
    };
    let unsched = |r: &SiteRow| r.devices > 0 && r.removal_complete.is_none();
    Some(match (unsched(o), unsched(n)) {
        (false, true) => SiteMove::NewlyUnscheduled,
        (true, false) => SiteMove::NewlyScheduled,
        (true, true) => return None,
        (false, false) => match (is_late(o.late_days), is_late(n.late_days)) {
            (false, true) => SiteMove::NewlyLate,
            (true, false) => SiteMove::NewlyOnTime,
            _ if o.removal_complete != n.removal_complete => SiteMove::Moved,
            _ => return None,
        },
    })
}

/// A site that changed, with its rows in the two timelines.
pub(super) struct Located {
    pub change: SiteChange,
    /// Its row in the earlier timeline.
    pub old: Option<usize>,
    /// Its row in the later timeline.
    pub new: Option<usize>,
}

fn site_changes(
    old: &Timeline,
    new: &Timeline,
    plan: Option<&Plan>,
    ranks: &TierRanks,
    joined: &Joined,
) -> Vec<Located> {
    let pairs = &joined.rows.sites;
    // Sites of the later timeline in its order, then those it dropped:
    // (earlier row, later row, the later plan's site).
    let rows = (0..new.sites.len())
        .map(|n| (pairs.old[n], Some(n), joined.new_in_plan[n]))
        .chain(
            (0..old.sites.len())
                .filter(|&o| pairs.new[o].is_none())
                .map(|o| (Some(o), None, joined.old_in_new_plan[o])),
        );
    let mut out: Vec<(usize, Located)> = Vec::new();
    for (order, (oi, ni, in_plan)) in rows.enumerate() {
        let o = oi.map(|i| &old.sites[i]);
        let n = ni.map(|i| &new.sites[i]);
        let Some(change) = classify(o, n) else {
            continue;
        };
        let row = n.or(o).expect("one side has the site");
        let before = o.and_then(|r| r.removal_complete);
        let after = n.and_then(|r| r.removal_complete);
        let name = plan
            .zip(in_plan)
            .and_then(|(p, s)| p.sites[s.ix()].name.clone());
        let change = SiteChange {
            id: row.id.clone(),
            name,
            tier: row.tier.clone(),
            change,
            removal_complete: Change { before, after },
            days_moved: days_between(before, after),
            deadline: row.deadline,
            late_days: n.and_then(|r| r.late_days),
            reason: n.and_then(|r| r.late_reason.clone()),
            why: None,
        };
        out.push((
            order,
            Located {
                change,
                old: oi,
                new: ni,
            },
        ));
    }
    out.sort_by(|(ao, a), (bo, b)| {
        let (a, b) = (&a.change, &b.change);
        ranks
            .rank(&a.tier)
            .cmp(&ranks.rank(&b.tier))
            .then(severity(a).cmp(&severity(b)))
            .then(ao.cmp(bo))
    });
    out.into_iter().map(|(_, c)| c).collect()
}

/// Inside a tier: losing a removal date first, then the slips, biggest
/// first, then the gains, biggest first, then sites gained or dropped.
fn severity(c: &SiteChange) -> (u8, bool, i64) {
    match c.change {
        SiteMove::NewlyUnscheduled => (0, false, 0),
        SiteMove::Added | SiteMove::Removed => (2, false, 0),
        SiteMove::NewlyScheduled => (1, true, 0),
        _ => {
            let d = c.days_moved.unwrap_or(0);
            (1, d < 0, -d.abs())
        }
    }
}

/// One bucket of committed cost.
#[derive(Debug, Clone)]
struct Bucket {
    label: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    available: Option<Money>,
}

/// The plan's budget periods (plus one for costs outside them), else
/// financial years from the plan's `financial_year_start` (April without a
/// plan).
fn buckets_for(plan: Option<&Plan>, days: &[NaiveDate]) -> Vec<Bucket> {
    if let Some(b) = plan.and_then(|p| p.budget.as_ref()) {
        let mut out: Vec<Bucket> = b
            .periods
            .iter()
            .map(|p| Bucket {
                label: format!("{}..{}", p.from, p.to),
                from: Some(p.from),
                to: Some(p.to),
                available: Some(p.amount),
            })
            .collect();
        out.push(Bucket {
            label: "outside any period".into(),
            from: None,
            to: None,
            available: None,
        });
        return out;
    }
    let fy = plan.map(|p| p.financial_year_start).unwrap_or_default();
    let years: std::collections::BTreeSet<i32> = days.iter().map(|d| fy.year_of(*d)).collect();
    years
        .into_iter()
        .map(|y| Bucket {
            label: format!("FY{}-{:02}", y, (y + 1).rem_euclid(100)),
            from: Some(fy.first_day(y)),
            to: fy.first_day(y + 1).pred_opt(),
            available: None,
        })
        .collect()
}

fn bucket_of(buckets: &[Bucket], day: NaiveDate) -> usize {
    buckets
        .iter()
        .position(|b| matches!((b.from, b.to), (Some(f), Some(t)) if f <= day && day <= t))
        .unwrap_or(buckets.len().saturating_sub(1))
}

/// Costs as committed (on each task's start day), in cents per bucket.
fn committed(t: &Timeline, buckets: &[Bucket]) -> Vec<Money> {
    let mut sums = vec![Money::ZERO; buckets.len()];
    for task in &t.tasks {
        if let (Some(start), Some(cost)) = (task.start, task.cost) {
            if !buckets.is_empty() {
                sums[bucket_of(buckets, start)] += Money::from_f64(cost).unwrap_or(Money::ZERO);
            }
        }
    }
    sums
}

fn cost_by_period(old: &Timeline, new: &Timeline, plan: Option<&Plan>) -> Vec<PeriodCost> {
    let days: Vec<NaiveDate> = old
        .tasks
        .iter()
        .chain(&new.tasks)
        .filter(|t| t.cost.is_some())
        .filter_map(|t| t.start)
        .collect();
    let buckets = buckets_for(plan, &days);
    let (before, after) = (committed(old, &buckets), committed(new, &buckets));
    buckets
        .into_iter()
        .zip(before.into_iter().zip(after))
        // The catch-all bucket only matters when something falls in it.
        .filter(|(b, (x, y))| b.from.is_some() || *x != Money::ZERO || *y != Money::ZERO)
        .map(|(b, (x, y))| PeriodCost {
            label: b.label,
            from: b.from,
            to: b.to,
            available: b.available.map(Money::to_f64),
            before: x.to_f64(),
            after: y.to_f64(),
        })
        .collect()
}

fn task_changes(
    old: &Timeline,
    new: &Timeline,
    ranks: &TierRanks,
    joined: &Joined,
    lost: bool,
) -> Vec<TaskChange> {
    let rows = &joined.rows;
    // A task's tier is its site's: in the later timeline, else (a site
    // row only the earlier one has) in the earlier.
    let tier_of = |t: usize, o: usize| {
        let now = rows.new_task_site[t].map(|s| new.sites[s].tier.as_str());
        let was = || rows.old_task_site[o].map(|s| old.sites[s].tier.as_str());
        now.or_else(was).unwrap_or("")
    };
    let mut out: Vec<(usize, TaskChange)> = Vec::new();
    for (i, n) in new.tasks.iter().enumerate() {
        let Some(oi) = rows.tasks.old[i] else {
            continue;
        };
        let o = &old.tasks[oi];
        let was = o.status == Status::Unscheduled;
        let is = n.status == Status::Unscheduled;
        if (lost && !was && is) || (!lost && was && !is) {
            out.push((
                i,
                TaskChange {
                    id: n.id.clone(),
                    site: n.site.clone(),
                    tier: tier_of(i, oi).to_string(),
                    devices: n.devices,
                    reason: if lost {
                        n.reason.clone()
                    } else {
                        o.reason.clone()
                    },
                    start: if lost { o.start } else { n.start },
                },
            ));
        }
    }
    out.sort_by(|(ai, a), (bi, b)| {
        ranks
            .rank(&a.tier)
            .cmp(&ranks.rank(&b.tier))
            .then(ai.cmp(bi))
    });
    out.into_iter().map(|(_, c)| c).collect()
}

/// Baseline tasks due to start by the later timeline's status date that it
/// has neither done nor in progress.
fn due_unreported(old: &Timeline, new: &Timeline, tasks: &Pairs) -> Vec<DueTask> {
    let Some(status) = new.status_date else {
        return Vec::new();
    };
    new.tasks
        .iter()
        .zip(&tasks.old)
        .filter(|(t, _)| matches!(t.status, Status::Planned | Status::Unscheduled))
        .filter_map(|(t, o)| {
            let was_due = old.tasks[(*o)?].start?;
            (was_due <= status).then(|| DueTask {
                id: t.id.clone(),
                was_due,
                now: t.start,
            })
        })
        .collect()
}

/// How many tasks scheduled in both timelines kept their start and crew,
/// and how many moved.
pub fn count_moves(old: &Timeline, new: &Timeline) -> (u64, u64) {
    count_paired_moves(old, new, &pair_tasks(old, new))
}

/// `count_moves`, with the task rows already paired.
fn count_paired_moves(old: &Timeline, new: &Timeline, tasks: &Pairs) -> (u64, u64) {
    let (mut kept, mut moved) = (0, 0);
    for (n, o) in new.tasks.iter().zip(&tasks.old) {
        let Some(o) = o.map(|o| &old.tasks[o]) else {
            continue;
        };
        if o.start.is_none() || n.start.is_none() {
            continue;
        }
        if o.start == n.start && o.crew == n.crew {
            kept += 1;
        } else {
            moved += 1;
        }
    }
    (kept, moved)
}

/// `diff.json`: pretty, with a final newline.
pub fn to_json(d: &Diff) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(d).expect("a diff always serializes");
    v.push(b'\n');
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::{SiteRow, Summary, TaskRow, Timeline};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A site row: id, tier, removal complete, deadline.
    fn site(id: &str, tier: &str, rc: Option<&str>, deadline: &str) -> SiteRow {
        let rc = rc.map(d);
        let deadline = d(deadline);
        SiteRow {
            id: id.into(),
            tier: tier.into(),
            region: "r".into(),
            devices: 10,
            removal_complete: rc,
            deadline: Some(deadline),
            late_days: rc.map(|r| (r - deadline).num_days().max(0)),
            late_reason: None,
            late_category: None,
            owner: None,
        }
    }

    /// A removal task for a site: start (None = unscheduled), cost.
    fn task(site: &str, start: Option<&str>, cost: f64) -> TaskRow {
        TaskRow {
            id: format!("{site}/remove/1"),
            site: site.into(),
            phase: crate::plan::Phase::Remove,
            package: Some(1),
            devices: 10,
            start: start.map(d),
            finish: start.map(d),
            duration: 1,
            crew: start.map(|_| "c1".into()),
            cost: start.map(|_| cost),
            status: if start.is_some() {
                Status::Planned
            } else {
                Status::Unscheduled
            },
            reason: if start.is_some() {
                None
            } else {
                Some("budget: no period can fund 10.00 GBP".into())
            },
        }
    }

    fn timeline(sites: Vec<SiteRow>, tasks: Vec<TaskRow>) -> Timeline {
        let rc = sites.iter().filter_map(|s| s.removal_complete).max();
        Timeline {
            format: crate::timeline::FORMAT.into(),
            plan: "p".into(),
            start: d("2026-01-05"),
            status_date: None,
            summary: Summary {
                finish: rc,
                removal_complete: rc,
                total_cost: tasks.iter().filter_map(|t| t.cost).sum(),
                exposure: 0.0,
                sites: sites.len() as u64,
                sites_late: sites.iter().filter(|s| is_late(s.late_days)).count() as u64,
                tasks: tasks.len() as u64,
                unscheduled: tasks.iter().filter(|t| t.start.is_none()).count() as u64,
                sites_unscheduled: sites
                    .iter()
                    .filter(|s| s.removal_complete.is_none())
                    .count() as u64,
                devices_unscheduled: 0,
                stranded_cost: 0.0,
                objective: "tiers_first".into(),
                tiers: vec![],
            },
            tasks,
            sites,
            targets: Vec::new(),
        }
    }

    /// Four sites in two tiers; between the two timelines `a` slips a little,
    /// `b` (tier T2) becomes late, `c` loses its date and `d2` is unchanged.
    fn pair() -> (Timeline, Timeline) {
        let old = timeline(
            vec![
                site("b", "T2", Some("2026-03-02"), "2026-03-31"),
                site("a", "T1", Some("2026-02-02"), "2026-06-30"),
                site("c", "T1", Some("2026-02-10"), "2026-06-30"),
                site("d2", "T2", Some("2026-02-11"), "2026-06-30"),
            ],
            vec![
                task("b", Some("2026-03-02"), 100.0),
                task("a", Some("2026-02-02"), 200.0),
                task("c", Some("2026-02-10"), 300.0),
                task("d2", Some("2026-02-11"), 5.0),
            ],
        );
        let new = timeline(
            vec![
                site("b", "T2", Some("2026-05-04"), "2026-03-31"),
                site("a", "T1", Some("2026-02-09"), "2026-06-30"),
                site("c", "T1", None, "2026-06-30"),
                site("d2", "T2", Some("2026-02-11"), "2026-06-30"),
            ],
            vec![
                task("b", Some("2026-05-04"), 100.0),
                task("a", Some("2026-02-09"), 200.0),
                task("c", None, 0.0),
                task("d2", Some("2026-02-11"), 5.0),
            ],
        );
        (old, new)
    }

    #[test]
    fn known_pair_reports_expected_movements_in_order() {
        let (old, new) = pair();
        let diff = diff(&old, &new, Plans::default());
        // Without a plan, T2 appears first in the later timeline, so it ranks first.
        let got: Vec<(&str, SiteMove, Option<i64>)> = diff
            .sites
            .iter()
            .map(|c| (c.id.as_str(), c.change, c.days_moved))
            .collect();
        assert_eq!(
            got,
            vec![
                ("b", SiteMove::NewlyLate, Some(63)),
                ("c", SiteMove::NewlyUnscheduled, None),
                ("a", SiteMove::Moved, Some(7)),
            ]
        );
        assert_eq!(diff.summary.sites_late.before, 0);
        assert_eq!(diff.summary.sites_late.after, 1);
        assert_eq!(diff.summary.removal_complete_days, Some(63));
        assert_eq!(diff.newly_unscheduled.len(), 1);
        assert_eq!(diff.newly_unscheduled[0].id, "c/remove/1");
        assert_eq!(diff.newly_unscheduled[0].start, Some(d("2026-02-10")));
        assert!(diff.newly_scheduled.is_empty());
        assert_eq!((diff.tasks_kept, diff.tasks_moved), (1, 2));
    }

    #[test]
    fn reversed_pair_reports_the_opposite() {
        let (old, new) = pair();
        let back = diff(&new, &old, Plans::default());
        let kinds: Vec<SiteMove> = back.sites.iter().map(|c| c.change).collect();
        assert!(kinds.contains(&SiteMove::NewlyOnTime));
        assert!(kinds.contains(&SiteMove::NewlyScheduled));
        assert_eq!(back.newly_scheduled.len(), 1);
        assert_eq!(back.newly_scheduled[0].start, Some(d("2026-02-10")));
        assert!(back.newly_unscheduled.is_empty());
    }

    #[test]
    fn identical_timelines_have_no_changes() {
        let (old, _) = pair();
        let same = diff(&old, &old, Plans::default());
        assert!(same.sites.is_empty());
        assert!(same.newly_unscheduled.is_empty());
        assert_eq!(same.tasks_moved, 0);
        let md = super::super::markdown::diff_markdown(&same, "p");
        assert!(md.contains("No other site's removal complete day moved."));
    }

    #[test]
    fn costs_group_by_financial_year_without_a_plan() {
        let (old, mut new) = pair();
        // Move a's work into the next financial year.
        new.tasks[1].start = Some(d("2026-04-01"));
        let diff = diff(&old, &new, Plans::default());
        let labels: Vec<&str> = diff
            .cost_by_period
            .iter()
            .map(|p| p.label.as_str())
            .collect();
        assert_eq!(labels, vec!["FY2025-26", "FY2026-27"]);
        assert_eq!(diff.cost_by_period[0].before, 605.0);
        // Only d2 stays in FY2025-26: b slipped into May, c lost its date.
        assert_eq!(diff.cost_by_period[0].after, 5.0);
        assert_eq!(diff.cost_by_period[1].before, 0.0);
        assert_eq!(diff.cost_by_period[1].after, 300.0);
    }

    #[test]
    fn sites_added_and_removed_are_listed_last_in_their_tier() {
        let (old, mut new) = pair();
        new.sites
            .push(site("z", "T1", Some("2026-02-03"), "2026-06-30"));
        new.sites.retain(|s| s.id != "d2");
        let diff = diff(&old, &new, Plans::default());
        let t1: Vec<(&str, SiteMove)> = diff
            .sites
            .iter()
            .filter(|c| c.tier == "T1")
            .map(|c| (c.id.as_str(), c.change))
            .collect();
        assert_eq!(
            t1,
            vec![
                ("c", SiteMove::NewlyUnscheduled),
                ("a", SiteMove::Moved),
                ("z", SiteMove::Added)
            ]
        );
        assert!(diff
            .sites
            .iter()
            .any(|c| c.id == "d2" && c.change == SiteMove::Removed));
    }

    #[test]
    fn markdown_names_sites_and_moves() {
        let (old, new) = pair();
        let md = super::super::markdown::diff_markdown(&diff(&old, &new, Plans::default()), "p");
        assert!(md.contains("## Sites newly late (1)"), "{md}");
        assert!(
            md.contains("| `b` | T2 | 2026-03-02 | 2026-05-04 | +63 days | 2026-03-31 | 34 days |"),
            "{md}"
        );
        assert!(
            md.contains("## Sites that lost their removal date (1)"),
            "{md}"
        );
        assert!(md.contains("`c/remove/1`"), "{md}");
        assert!(md.contains("| Sites late | 0 | 1 | +1 |"), "{md}");
    }

    #[test]
    fn json_round_trips_as_valid_json() {
        let (old, new) = pair();
        let bytes = to_json(&diff(&old, &new, Plans::default()));
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["sites"][0]["change"], "newly_late");
        assert_eq!(v["summary"]["sites_late"]["after"], 1);
    }
}
