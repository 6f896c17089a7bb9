//! Which baseline work stays where it was.
//!
//! A re-plan is not a fresh solve: a manager has told crews and suppliers
//! the baseline dates, so planned work keeps its dates and crew unless the
//! change forces it to move. The rule: walk the baseline's planned tasks in
//! start order and keep (pin) each one that is still valid beside
//! everything kept so far and the work already done or under way — same
//! calendar and duration, its crew still eligible, available and free, its
//! predecessors kept or reported and finished in time, and its cost still
//! within the budget. Walking in start order is what makes the guarantee
//! hold: a change that only touches the plan from some day P on cannot
//! make a task that starts before P invalid, since everything that task
//! depends on starts earlier still.
//!
//! Money is the exception to keeping work one task at a time: at the first
//! task whose cost no longer fits, its whole budget period is released
//! (the walk starts again without it), so the search shares that period's
//! scarce money out by priority instead of in baseline order; and either
//! every later period with it (`Release::FromShortPeriodOn`, what a budget
//! cut needs) or none of them (`Release::ShortPeriods`: work elsewhere is
//! kept where it still fits, and only work waiting on a released task
//! moves with it; what a small overrun needs). `replan` tries both and
//! keeps the better. The guarantee is unaffected: a budget changed only
//! from P on fails only in periods that start on or after P.

use chrono::{Days, NaiveDate};
use std::collections::HashMap;

use crate::network::lower::{eligible_crews, site_working, Lowered, Pin, TaskState};
use crate::network::{Network, TaskIx, TaskKind};
use crate::plan::horizon_date;
use crate::plan::{CrewIx, Plan};
use crate::timeline::{IdIndex, Status, Timeline};
use crate::units::Money;

/// Money committed against the plan's budget so far.
struct Ledger<'p> {
    periods: &'p [crate::plan::BudgetPeriod],
    carry_over: bool,
    /// Committed per period, in the periods' order (sorted by date).
    committed: Vec<Money>,
}

impl<'p> Ledger<'p> {
    fn new(plan: &'p Plan) -> Option<Ledger<'p>> {
        let b = plan.budget.as_ref()?;
        Some(Ledger {
            periods: &b.periods,
            carry_over: b.carry_over,
            committed: vec![Money::ZERO; b.periods.len()],
        })
    }

    fn period(&self, day: NaiveDate) -> Option<usize> {
        self.periods
            .iter()
            .position(|p| p.from <= day && day <= p.to)
    }

    /// Records a commitment as it is (actual costs may break a rule).
    fn commit(&mut self, day: NaiveDate, cost: Money) {
        if let Some(p) = self.period(day) {
            self.committed[p] += cost;
        }
    }

    /// Would committing `cost` on `day` keep every budget rule?
    fn fits(&self, day: NaiveDate, cost: Money) -> bool {
        if cost == Money::ZERO {
            return true;
        }
        let Some(p) = self.period(day) else {
            return false;
        };
        if !self.carry_over {
            return self.committed[p] + cost <= self.periods[p].amount;
        }
        // With carry-over, every running total from this period on must
        // stay within the running total of amounts.
        let (mut spent, mut avail) = (Money::ZERO, Money::ZERO);
        for (k, per) in self.periods.iter().enumerate() {
            spent += self.committed[k];
            avail += per.amount;
            if k >= p && spent + cost > avail {
                return false;
            }
        }
        true
    }
}

/// What is already placed: reported work and kept baseline work.
struct Placed<'p> {
    plan: &'p Plan,
    /// Finish day of every task placed so far.
    finish: HashMap<TaskIx, NaiveDate>,
    /// Busy spans per crew.
    busy: HashMap<CrewIx, Vec<(NaiveDate, NaiveDate)>>,
    ledger: Option<Ledger<'p>>,
}

impl<'p> Placed<'p> {
    fn place(
        &mut self,
        t: TaskIx,
        start: NaiveDate,
        finish: NaiveDate,
        crew: Option<CrewIx>,
        cost: Money,
    ) {
        self.finish.insert(t, finish);
        if let Some(c) = crew {
            self.busy.entry(c).or_default().push((start, finish));
        }
        if let Some(l) = self.ledger.as_mut() {
            l.commit(start, cost);
        }
    }

    fn crew_free(&self, crew: CrewIx, start: NaiveDate, finish: NaiveDate) -> bool {
        let c = &self.plan.crews[crew.ix()];
        let available = c.available_from.is_none_or(|f| f <= start)
            && c.available_to.is_none_or(|t| finish <= t);
        available
            && self
                .busy
                .get(&crew)
                .is_none_or(|spans| spans.iter().all(|&(s, f)| finish < s || f < start))
    }
}

/// A baseline placement to try to keep.
struct Candidate {
    task: TaskIx,
    start: NaiveDate,
    finish: NaiveDate,
    crew: Option<CrewIx>,
}

/// The baseline's planned tasks that are still planned now, in baseline
/// start order (task order on ties).
fn candidates(plan: &Plan, net: &Network, low: &Lowered, baseline: &Timeline) -> Vec<Candidate> {
    // The baseline is another run's timeline, read from a file: its task
    // rows and crews are found in this plan's network and crews by ID,
    // once.
    let tasks = IdIndex::new(net.tasks.iter().map(|t| t.id.as_str()))
        .positions(baseline.tasks.iter().map(|r| r.id.as_str()));
    let crew_ix = IdIndex::crews(plan);
    // A task with two rows (a damaged or hand-edited baseline) has no one
    // baseline placement to keep: both rows are left out (two pins of one
    // task made a schedule that broke precedence; found by the timeline
    // property test, tests/suite/mutate.rs).
    let mut rows_of = vec![0usize; net.tasks.len()];
    for &t in tasks.iter().flatten() {
        rows_of[t] += 1;
    }
    let mut out: Vec<Candidate> = Vec::new();
    for (row, task) in baseline.tasks.iter().zip(tasks) {
        let Some(task) = task.filter(|&t| rows_of[t] == 1) else {
            continue;
        };
        let task = TaskIx(task as u32);
        let (Some(start), Some(finish)) = (row.start, row.finish) else {
            continue;
        };
        if row.status != Status::Planned {
            continue;
        }
        if low.state[task.ix()] != TaskState::Planned {
            continue;
        }
        let crew = match row.crew.as_deref().map(|id| crew_ix.crew(id)) {
            Some(None) => continue, // the crew left the plan
            c => c.flatten(),
        };
        out.push(Candidate {
            task,
            start,
            finish,
            crew,
        });
    }
    out.sort_by_key(|c| (c.start, c.task));
    out
}

/// How much a period short of money releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// Everything from the start of the first short period on: the
    /// search shares all the money left out by priority (what a budget
    /// cut needs, when later periods are short too or their money is
    /// wanted for the released work).
    FromShortPeriodOn,
    /// Only the short periods' own work; the other periods keep theirs
    /// where it still fits (what an overrun needs, which costs the
    /// current period a little and the later years nothing).
    ShortPeriods,
}

/// The baseline work to keep in place (see the module doc).
pub fn choose(
    plan: &Plan,
    net: &Network,
    low: &Lowered,
    baseline: &Timeline,
    release: Release,
) -> Vec<Pin> {
    let candidates = candidates(plan, net, low, baseline);
    let preds = net.predecessors();
    // Budget periods released whole; each walk that finds money short in
    // one more period starts again without it (at most one walk a period).
    let mut released: Vec<usize> = Vec::new();
    loop {
        match walk(plan, net, low, &preds, &candidates, &released) {
            Walk::Kept(pins) => return pins,
            Walk::Short(period) if release == Release::FromShortPeriodOn => {
                let periods = plan.budget.as_ref().map_or(0, |b| b.periods.len());
                released.extend(period..periods);
            }
            Walk::Short(period) => released.push(period),
        }
    }
}

/// How a walk over the candidates ended.
enum Walk {
    Kept(Vec<Pin>),
    /// Money is short in this budget period: release it whole.
    Short(usize),
}

/// One walk in baseline start order, keeping each candidate still valid
/// and skipping those that start in a released period.
fn walk(
    plan: &Plan,
    net: &Network,
    low: &Lowered,
    preds: &[Vec<crate::network::Edge>],
    candidates: &[Candidate],
    released: &[usize],
) -> Walk {
    let mut placed = Placed {
        plan,
        finish: HashMap::new(),
        busy: HashMap::new(),
        ledger: Ledger::new(plan),
    };
    for (i, a) in low.task_act.iter().enumerate() {
        if let Some(f) = low.problem.activities[a.ix()].fixed {
            let crew = f.unit.map(|u| low.crew(u));
            placed.place(
                TaskIx(i as u32),
                low.date(f.start),
                low.date(f.finish),
                crew,
                f.cost,
            );
        }
    }
    let ledger = Ledger::new(plan);
    let period = |day| ledger.as_ref().and_then(|l| l.period(day));
    let mut pins = Vec::new();
    for c in candidates {
        if period(c.start).is_some_and(|p| released.contains(&p)) {
            continue;
        }
        let cost = match still_valid(plan, net, preds, &placed, c) {
            Ok(cost) => cost,
            Err(Invalid::Other) => continue,
            // Keeping the rest of this period in baseline order would hand
            // its scarce money to whatever the baseline happened to start
            // first; the whole period is released instead, so that the
            // search shares it out by priority. Other periods keep their
            // work where it still fits: an overrun that costs one period
            // a few thousand does not move the programme's later years.
            Err(Invalid::Budget) => match period(c.start) {
                Some(p) => return Walk::Short(p),
                None => continue,
            },
        };
        placed.place(c.task, c.start, c.finish, c.crew, cost);
        pins.push(Pin {
            task: c.task,
            start: c.start,
            finish: c.finish,
            crew: c.crew,
            cost,
        });
    }
    Walk::Kept(pins)
}

/// Why a baseline placement cannot be kept.
enum Invalid {
    /// Its cost no longer fits the budget.
    Budget,
    /// Anything else: calendar, crew, predecessors, release.
    Other,
}

/// The task's cost under the current plan when its baseline placement is
/// still valid.
fn still_valid(
    plan: &Plan,
    net: &Network,
    preds: &[Vec<crate::network::Edge>],
    placed: &Placed,
    c: &Candidate,
) -> Result<Money, Invalid> {
    let cost = fits_apart_from_money(plan, net, preds, placed, c).ok_or(Invalid::Other)?;
    match &placed.ledger {
        Some(l) if !l.fits(c.start, cost) => Err(Invalid::Budget),
        _ => Ok(cost),
    }
}

/// Every rule but money: the task's cost when it holds.
fn fits_apart_from_money(
    plan: &Plan,
    net: &Network,
    preds: &[Vec<crate::network::Edge>],
    placed: &Placed,
    c: &Candidate,
) -> Option<Money> {
    let task = &net.tasks[c.task.ix()];
    let site = task.key.site;
    let earliest = [
        Some(plan.start),
        plan.sites[site.ix()].not_before,
        plan.status_date
            .and_then(|d| d.checked_add_days(Days::new(1))),
    ]
    .into_iter()
    .flatten()
    .max()?;
    if c.start < earliest || c.finish >= horizon_date(plan.start) {
        return None;
    }
    if !calendar_fits(plan, task, c) {
        return None;
    }
    match (task.kind, c.crew) {
        (TaskKind::Crew, Some(crew)) => {
            if !eligible_crews(plan, site).contains(&crew)
                || !placed.crew_free(crew, c.start, c.finish)
            {
                return None;
            }
        }
        (TaskKind::Crew, None) => return None,
        (TaskKind::Elapsed, _) => {}
    }
    for e in &preds[c.task.ix()] {
        let done = placed.finish.get(&e.from)?;
        let ready = done.checked_add_days(Days::new(1 + u64::from(e.lag)))?;
        if c.start < ready {
            return None;
        }
    }
    Some(crate::network::lower::table_cost(
        plan,
        task,
        c.crew,
        task.duration,
    ))
}

/// Rules 1 and 2 of a valid schedule, under the current plan's calendar.
fn calendar_fits(plan: &Plan, task: &crate::network::Task, c: &Candidate) -> bool {
    if c.finish < c.start {
        return false;
    }
    match task.kind {
        TaskKind::Elapsed => {
            plan.calendar.is_working(c.start)
                && c.start
                    .checked_add_days(Days::new(u64::from(task.duration).saturating_sub(1)))
                    == Some(c.finish)
        }
        TaskKind::Crew => {
            let site = task.key.site;
            let blackouts = &plan.sites[site.ix()].blackouts;
            if !site_working(plan, site, c.start) || !site_working(plan, site, c.finish) {
                return false;
            }
            if blackouts
                .iter()
                .any(|b| b.from <= c.finish && c.start <= b.to)
            {
                return false;
            }
            let worked = c
                .start
                .iter_days()
                .take_while(|d| *d <= c.finish)
                .filter(|d| site_working(plan, site, *d))
                .count();
            worked == task.duration as usize
        }
    }
}
