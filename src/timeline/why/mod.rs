//! Why a site is late, found from the schedule rather than guessed. Part
//! of the timeline stage: `timeline::build` fills `sites[].late_reason`
//! here, where the network and the scheduler's typed failures are in hand,
//! so nothing downstream rebuilds the network or patches the timeline.
//!
//! From the site's last removal package we walk back along what fixed each
//! task's start: the predecessor that finished last (the site's own earlier
//! phase, or another site's task through a dependency), or the earliest day
//! the task was allowed to start (programme start, `not_before`, status
//! date). Between that bound and the actual start, each day is put down to
//! the first constraint that rules it out: the calendar, a blackout, no crew
//! available in its window, every eligible crew booked (and by which sites),
//! or the budget period being exhausted. The largest causes along the chain
//! are then told in the order they happened (`tell`); money waits follow
//! the period to what its money went to (`money`), and the site's
//! `late_category` is the kind of cause that cost it most (`category`).

mod category;
mod held;
mod money;
mod tell;

pub use held::{held_back, Held};

use std::collections::HashSet;

use super::IdIndex;

use chrono::{Duration, NaiveDate};

use crate::network::{Edge, Network, TaskIx, TaskKind};
use crate::plan::{DateRange, Phase, Plan, Site, SiteIx};
use crate::timeline::{LateCategory, SiteRow, Status, TaskRow};
use crate::units::Money;
use crate::words::capitalise;

/// Why a late or unscheduled site is so: in words, and its category.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    pub reason: String,
    pub category: LateCategory,
}

/// Why the scheduler could not place a task: its typed failure, in the
/// network's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stuck {
    /// Another task failed first (a predecessor, or its group's task).
    Behind(TaskIx),
    /// No budget period could fund it.
    Money,
    /// No eligible crew is ever available for long enough.
    NoCrew,
    /// It could not finish within the horizon.
    Horizon,
}

/// One per plan site (plan order): for a late or unscheduled site, the
/// constraint that held it back, in words, and its category; `None` for
/// the others.
///
/// `tasks` and `sites` are the timeline's rows (network order, plan order);
/// `stuck` gives, for each unscheduled task, why the scheduler could not
/// place it (from the scheduler's typed failure, never from the words of
/// its reason).
pub fn late_reasons(
    plan: &Plan,
    network: &Network,
    tasks: &[TaskRow],
    sites: &[SiteRow],
    stuck: &[Option<Stuck>],
) -> Vec<Option<Why>> {
    let sched = Sched::new(plan, network, tasks, stuck);
    plan.sites
        .iter()
        .zip(sites)
        .enumerate()
        .map(|(s, (site, row))| {
            if row.devices == 0 || site.device_count() == 0 {
                return None;
            }
            match (row.removal_complete, row.late_days) {
                (None, _) => sched.unscheduled_reason(SiteIx::from(s)),
                (Some(_), Some(d)) if d > 0 => sched.late_reason(SiteIx::from(s), row),
                _ => None,
            }
        })
        .collect()
}

/// The schedule, indexed for walking back.
struct Sched<'a> {
    plan: &'a Plan,
    net: &'a Network,
    /// Timeline row of each network task.
    rows: Vec<Option<&'a TaskRow>>,
    /// Why each unscheduled task could not be placed.
    stuck: &'a [Option<Stuck>],
    preds: Vec<Vec<Edge>>,
    /// Per crew (plan order): bookings (start, finish, task), sorted.
    bookings: Vec<Vec<(NaiveDate, NaiveDate, usize)>>,
    /// Per region: its crews (plan order), so a late site's crews are
    /// found without a scan of every crew.
    region_crews: Vec<Vec<usize>>,
    budget: Option<BudgetUse>,
}

/// Money committed per budget period, as the schedule stands.
struct BudgetUse {
    committed: Vec<Money>,
    /// Per period: (start, cost, task) of every task it funds, by start.
    spend: Vec<Vec<(NaiveDate, Money, usize)>>,
    /// The same, summed for telling each late site's wait at once.
    totals: money::SpendTotals,
}

/// One reason a task started later than its bound.
#[derive(Debug, Clone, PartialEq)]
enum Hold {
    /// Not a working day (weekend, holiday): never worth telling.
    Calendar,
    Blackout(DateRange),
    /// No eligible crew available for the whole span; the next day one is.
    CrewWindow(Option<NaiveDate>),
    /// Every eligible crew booked, by these tasks.
    CrewsBusy(Vec<usize>),
    /// Every eligible crew booked with the same site's other packages: the
    /// site's own amount of work, not a constraint worth telling.
    OwnWork,
    /// Money: each period that was short, in time order.
    Budget(Vec<Shortfall>),
    /// Possible by every constraint we know, yet not used.
    Unexplained,
}

/// A budget period that could not fund a task: `period` None when no
/// period covered the day.
#[derive(Debug, Clone, PartialEq)]
struct Shortfall {
    period: Option<usize>,
    left: Money,
    needed: Money,
    /// The task that waited, and the period that funded it in the end.
    task: usize,
    funded: Option<usize>,
}

/// A link of the chain, with the days it cost.
#[derive(Debug, Clone)]
enum Cause {
    Wait {
        hold: Hold,
        days: i64,
        from: NaiveDate,
        task: usize,
    },
    LeadTime {
        days: i64,
        from: NaiveDate,
        site: SiteIx,
    },
    Dependency {
        from_task: usize,
        finish: NaiveDate,
        lag: u32,
    },
    NotBefore(NaiveDate),
    StatusDate(NaiveDate),
    UnderWay {
        task: usize,
        since: NaiveDate,
    },
}

/// Steps allowed when classifying the days of one gap (jumps make most gaps short).
const MAX_STEPS: usize = 20_000;

impl<'a> Sched<'a> {
    fn new(
        plan: &'a Plan,
        net: &'a Network,
        tasks: &'a [TaskRow],
        stuck: &'a [Option<Stuck>],
    ) -> Sched<'a> {
        let rows: Vec<Option<&TaskRow>> = tasks.iter().map(Some).collect();
        let crew_ix = IdIndex::crews(plan);
        let mut bookings = vec![Vec::new(); plan.crews.len()];
        for (i, row) in rows.iter().enumerate() {
            let Some(row) = row else { continue };
            if let (Some(c), Some(s), Some(f)) = (row.crew.as_deref(), row.start, row.finish) {
                if let Some(c) = crew_ix.get(c) {
                    bookings[c].push((s, f, i));
                }
            }
        }
        bookings.iter_mut().for_each(|b| b.sort());
        let budget = plan.budget.as_ref().map(|b| {
            let mut committed = vec![Money::ZERO; b.periods.len()];
            let mut spend = vec![Vec::new(); b.periods.len()];
            for (t, row) in rows.iter().enumerate() {
                let Some(row) = row else { continue };
                if let (Some(s), Some(c)) = (row.start, row.cost) {
                    if let Some(p) = b.periods.iter().position(|p| p.from <= s && s <= p.to) {
                        let c = Money::from_f64(c).unwrap_or(Money::ZERO);
                        committed[p] += c;
                        spend[p].push((s, c, t));
                    }
                }
            }
            spend.iter_mut().for_each(|s| s.sort());
            let totals = money::SpendTotals::new(&spend, |t| {
                let site = net.tasks[t].key.site;
                (site, plan.sites[site.ix()].tier)
            });
            BudgetUse {
                committed,
                spend,
                totals,
            }
        });
        let mut region_crews = vec![Vec::new(); plan.regions.len()];
        for (c, crew) in plan.crews.iter().enumerate() {
            if let Some(r) = region_crews.get_mut(crew.region.ix()) {
                r.push(c);
            }
        }
        Sched {
            plan,
            net,
            rows,
            region_crews,
            stuck,
            preds: net.predecessors(),
            bookings,
            budget,
        }
    }

    fn site_of(&self, task: usize) -> SiteIx {
        self.net.tasks[task].key.site
    }

    // ---- unscheduled sites -------------------------------------------------

    /// The reason of the failing task, followed through the tasks that
    /// blocked it to the task that could not be placed itself.
    fn unscheduled_reason(&self, site: SiteIx) -> Option<Why> {
        let removal = self.net.removal_tasks(site);
        let first = removal
            .iter()
            .map(|t| t.ix())
            .find(|&t| self.rows[t].is_some_and(|r| r.status == Status::Unscheduled))?;
        let mut cur = first;
        let mut seen = HashSet::new();
        while seen.insert(cur) {
            match self.blocking_task(cur, &seen) {
                Some(next) => cur = next,
                None => break,
            }
        }
        let reason = self.rows[cur]
            .and_then(|r| r.reason.clone())
            .unwrap_or_else(|| "no reason given".into());
        let task = &self.net.tasks[cur];
        let what = if task.key.site == site {
            task.key.phase.words().to_string()
        } else {
            format!(
                "{} at {} (a dependency)",
                task.key.phase.words(),
                self.plan.sites[task.key.site.ix()].id
            )
        };
        Some(Why {
            reason: capitalise(&format!(
                "no date for removal: {what} cannot be scheduled ({reason})"
            )),
            category: self.stuck_category(site, cur),
        })
    }

    /// The unscheduled task whose failure kept `task` from being placed,
    /// unless already followed.
    fn blocking_task(&self, task: usize, seen: &HashSet<usize>) -> Option<usize> {
        let Some(Stuck::Behind(b)) = self.stuck[task] else {
            return None;
        };
        Some(b.ix()).filter(|&b| {
            !seen.contains(&b) && self.rows[b].is_some_and(|r| r.status == Status::Unscheduled)
        })
    }

    // ---- late sites ----------------------------------------------------------

    fn late_reason(&self, site: SiteIx, row: &SiteRow) -> Option<Why> {
        let last = self
            .net
            .removal_tasks(site)
            .into_iter()
            .map(|t| t.ix())
            .filter(|&t| self.rows[t].and_then(|r| r.finish).is_some())
            .max_by_key(|&t| (self.rows[t].and_then(|r| r.finish), t))?;
        let chain = self.walk_back(last);
        Some(Why {
            reason: self.tell(site, row, &chain),
            category: self.chain_category(site, &chain),
        })
    }

    /// The causes along the chain that fixed `last`'s start, latest first.
    fn walk_back(&self, last: usize) -> Vec<Cause> {
        let mut causes = Vec::new();
        let mut cur = last;
        let mut seen = HashSet::new();
        while seen.insert(cur) {
            let Some(row) = self.rows[cur] else { break };
            let Some(start) = row.start else { break };
            if matches!(row.status, Status::Done | Status::InProgress) {
                causes.push(Cause::UnderWay {
                    task: cur,
                    since: start,
                });
                break;
            }
            let task = &self.net.tasks[cur];
            if task.key.phase == Phase::Procure {
                let days = i64::from(task.duration);
                causes.push(Cause::LeadTime {
                    days,
                    from: start,
                    site: task.key.site,
                });
            }
            let (release, release_cause) = self.release(cur);
            let pred = self.binding_pred(cur);
            let bound = match pred {
                Some((_, b, _)) if b >= release => b,
                _ => release,
            };
            for (hold, days, from) in self.classify_gap(cur, bound, start) {
                causes.push(Cause::Wait {
                    hold,
                    days,
                    from,
                    task: cur,
                });
            }
            match pred {
                Some((p, b, lag)) if b >= release => {
                    if self.site_of(p) != task.key.site {
                        let finish = self.rows[p].and_then(|r| r.finish).unwrap_or(b);
                        causes.push(Cause::Dependency {
                            from_task: p,
                            finish,
                            lag,
                        });
                    }
                    cur = p;
                }
                _ => {
                    causes.extend(release_cause);
                    break;
                }
            }
        }
        causes
    }

    /// The earliest day the task may start regardless of predecessors.
    fn release(&self, task: usize) -> (NaiveDate, Option<Cause>) {
        let site = &self.plan.sites[self.site_of(task).ix()];
        let mut day = self.plan.start;
        let mut cause = None;
        if let Some(nb) = site.not_before.filter(|&nb| nb > day) {
            day = nb;
            cause = Some(Cause::NotBefore(nb));
        }
        if let Some(sd) = self.plan.status_date {
            if let Some(next) = sd.succ_opt().filter(|&n| n > day) {
                day = next;
                cause = Some(Cause::StatusDate(sd));
            }
        }
        (day, cause)
    }

    /// The predecessor whose finish (plus lag) bounds the start most:
    /// (task, first allowed day, lag).
    fn binding_pred(&self, task: usize) -> Option<(usize, NaiveDate, u32)> {
        self.preds[task]
            .iter()
            .filter_map(|e| {
                let f = self.rows[e.from.ix()]?.finish?;
                let day = f + Duration::days(1 + i64::from(e.lag));
                Some((e.from.ix(), day, e.lag))
            })
            // Latest bound wins; among equals, the site's own phase (first in order).
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// Days from `from` up to (not including) `start`, grouped into runs
    /// with the same cause: (hold, days, first day).
    fn classify_gap(
        &self,
        task: usize,
        from: NaiveDate,
        start: NaiveDate,
    ) -> Vec<(Hold, i64, NaiveDate)> {
        let mut runs: Vec<(Hold, i64, NaiveDate)> = Vec::new();
        let mut day = from;
        let mut steps = 0;
        let mut leading = 0;
        while day < start {
            let (hold, next) = if steps < MAX_STEPS {
                self.hold_on(task, day, start)
            } else {
                (Hold::Unexplained, start)
            };
            steps += 1;
            let next = next.clamp(day + Duration::days(1), start);
            let days = (next - day).num_days();
            // Weekends and holidays inside a wait belong to that wait.
            if hold == Hold::Calendar {
                match runs.last_mut() {
                    Some(last) => last.1 += days,
                    None => leading += days,
                }
                day = next;
                continue;
            }
            let (days, first) = (days + leading, day - Duration::days(leading));
            leading = 0;
            match runs.last_mut() {
                Some(last) if same_kind(&last.0, &hold) => {
                    last.1 += days;
                    merge_hold(&mut last.0, hold);
                }
                _ => runs.push((hold, days, first)),
            }
            day = next;
        }
        runs
    }

    /// Why the task could not start on `day`, and the next day worth trying.
    fn hold_on(&self, task: usize, day: NaiveDate, start: NaiveDate) -> (Hold, NaiveDate) {
        let t = &self.net.tasks[task];
        let site = &self.plan.sites[t.key.site.ix()];
        let next = day + Duration::days(1);
        if !self.plan.calendar.is_working(day) {
            return (Hold::Calendar, next);
        }
        if t.kind == TaskKind::Crew {
            if let Some(b) = blackout_at(site, day) {
                return (Hold::Blackout(b), b.to + Duration::days(1));
            }
            let Some(end) = self.span_end(day, t.duration) else {
                return (Hold::Unexplained, start);
            };
            if let Some(b) = site.blackouts.iter().find(|b| b.from <= end && b.to >= day) {
                return (Hold::Blackout(*b), b.to + Duration::days(1));
            }
            if let Some(h) = self.crew_hold(task, site, day, end) {
                return h;
            }
        }
        if let Some(h) = self.budget_hold(task, day) {
            return h;
        }
        (Hold::Unexplained, next)
    }

    /// The last day of `duration` programme working days from `day`.
    fn span_end(&self, day: NaiveDate, duration: u32) -> Option<NaiveDate> {
        let mut left = duration.max(1);
        let mut d = day;
        for _ in 0..(duration as usize * 7 + 400) {
            if self.plan.calendar.is_working(d) {
                left -= 1;
                if left == 0 {
                    return Some(d);
                }
            }
            d = d.succ_opt()?;
        }
        None
    }

    /// Crews: none eligible in its window, or all eligible ones booked.
    fn crew_hold(
        &self,
        task: usize,
        site: &Site,
        day: NaiveDate,
        end: NaiveDate,
    ) -> Option<(Hold, NaiveDate)> {
        let eligible: Vec<usize> = self.region_crews[site.region.ix()]
            .iter()
            .copied()
            .filter(|&c| self.plan.crews[c].may_work_at(site))
            .collect();
        let in_window: Vec<usize> = eligible
            .iter()
            .copied()
            .filter(|&c| {
                let crew = &self.plan.crews[c];
                crew.available_from.is_none_or(|f| f <= day)
                    && crew.available_to.is_none_or(|t| t >= end)
            })
            .collect();
        if in_window.is_empty() {
            let next = eligible
                .iter()
                .filter_map(|&c| self.plan.crews[c].available_from)
                .filter(|&f| f > day)
                .min();
            return Some((
                Hold::CrewWindow(next),
                next.unwrap_or(day + Duration::days(1)),
            ));
        }
        let mut blockers = Vec::new();
        let mut free_from: Option<NaiveDate> = None;
        for &c in &in_window {
            let busy = self.overlapping(c, day, end, task);
            // A crew free over the whole span: crews are not what held it.
            let last_finish = busy.iter().map(|&(_, f, _)| f).max()?;
            blockers.extend(busy.iter().map(|&(_, _, t)| t));
            let free = last_finish + Duration::days(1);
            free_from = Some(free_from.map_or(free, |f| f.min(free)));
        }
        let next = free_from.unwrap_or(day + Duration::days(1));
        let own = self.site_of(task);
        if blockers.iter().all(|&b| self.site_of(b) == own) {
            return Some((Hold::OwnWork, next));
        }
        Some((Hold::CrewsBusy(blockers), next))
    }

    /// A crew's bookings overlapping `from..=to`, other than `task` itself.
    fn overlapping(
        &self,
        crew: usize,
        from: NaiveDate,
        to: NaiveDate,
        task: usize,
    ) -> Vec<(NaiveDate, NaiveDate, usize)> {
        let b = &self.bookings[crew];
        let end = b.partition_point(|&(s, _, _)| s <= to);
        b[..end]
            .iter()
            .rev()
            .take_while(|&&(_, f, _)| f >= from)
            .filter(|&&(_, _, t)| t != task)
            .copied()
            .collect()
    }

    /// Money: no period on `day`, or the period (with carry-over: the
    /// tightest period from it on) could not take the task's cost.
    fn budget_hold(&self, task: usize, day: NaiveDate) -> Option<(Hold, NaiveDate)> {
        let (budget, used) = (self.plan.budget.as_ref()?, self.budget.as_ref()?);
        let row = self.rows[task]?;
        let cost = Money::from_f64(row.cost?).unwrap_or(Money::ZERO);
        if cost <= Money::ZERO {
            return None;
        }
        let periods = &budget.periods;
        let Some(p) = periods.iter().position(|p| p.from <= day && day <= p.to) else {
            let next = periods.iter().map(|p| p.from).filter(|&f| f > day).min();
            let hold = Hold::Budget(vec![Shortfall {
                period: None,
                left: Money::ZERO,
                needed: cost,
                task,
                funded: None,
            }]);
            return Some((hold, next.unwrap_or(day + Duration::days(1))));
        };
        let own = row
            .start
            .and_then(|s| periods.iter().position(|q| q.from <= s && s <= q.to));
        let others = |q: usize| used.committed[q] - if own == Some(q) { cost } else { Money::ZERO };
        let left = if budget.carry_over {
            // With carry-over, money left for period q is the cumulative slack
            // up to q; moving the task into p takes from every q ≥ p.
            let (mut amount, mut spent, mut tightest) = (Money::ZERO, Money::ZERO, None::<Money>);
            for (q, period) in periods.iter().enumerate() {
                amount += period.amount;
                spent += others(q);
                if q >= p {
                    let slack = amount - spent;
                    tightest = Some(tightest.map_or(slack, |t| t.min(slack)));
                }
            }
            tightest.unwrap_or(Money::ZERO)
        } else {
            periods[p].amount - others(p)
        };
        if left >= cost {
            return None;
        }
        let hold = Hold::Budget(vec![Shortfall {
            period: Some(p),
            left,
            needed: cost,
            task,
            funded: own,
        }]);
        Some((hold, periods[p].to + Duration::days(1)))
    }
}

/// Waits of the same kind along the chain, summed: (hold, days, first day, a task).
fn aggregate_waits(
    chain: &[Cause],
    site_of: impl Fn(usize) -> SiteIx,
) -> Vec<(Hold, i64, NaiveDate, usize)> {
    let mut out: Vec<(Hold, i64, NaiveDate, usize)> = Vec::new();
    // The chain runs latest first; aggregate in time order.
    for c in chain.iter().rev() {
        if let Cause::Wait {
            hold,
            days,
            from,
            task,
        } = c
        {
            match out
                .iter_mut()
                .find(|o| same_kind(&o.0, hold) && site_of(o.3) == site_of(*task))
            {
                Some(o) => {
                    o.1 += days;
                    if *from < o.2 {
                        o.2 = *from;
                        o.3 = *task;
                    }
                    merge_hold(&mut o.0, hold.clone());
                }
                None => out.push((hold.clone(), *days, *from, *task)),
            }
        }
    }
    out
}

/// Waits shorter than this say nothing a manager needs (a weekend, a holiday).
fn min_days(hold: &Hold) -> i64 {
    match hold {
        Hold::Calendar | Hold::OwnWork => i64::MAX,
        Hold::Unexplained => 14,
        _ => 3,
    }
}

fn same_kind(a: &Hold, b: &Hold) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Keeps what a run of one kind has seen: every blocking task, the first
/// period or blackout.
fn merge_hold(into: &mut Hold, other: Hold) {
    match (into, other) {
        (Hold::CrewsBusy(a), Hold::CrewsBusy(b)) => a.extend(b),
        (Hold::Budget(a), Hold::Budget(b)) => {
            for s in b {
                match a.iter_mut().find(|x| x.period == s.period) {
                    // The same period seen again (another task): the larger need.
                    Some(x) if s.needed > x.needed => *x = s,
                    Some(_) => {}
                    None => a.push(s),
                }
            }
        }
        _ => {}
    }
}

fn blackout_at(site: &Site, day: NaiveDate) -> Option<DateRange> {
    site.blackouts.iter().find(|b| b.contains(day)).copied()
}
