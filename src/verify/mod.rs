//! `verify`: checks a timeline against a plan, rule by rule.
//!
//! Written apart from the scheduler and the lowering on purpose: it reads
//! the plan's dates directly and counts working days with its own calendar
//! code, so a bug there cannot hide itself. It takes the generated task
//! list from `network::build` (the plan format's task table, tested against
//! the spec's worked example) and re-derives everything else.

use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;
use std::fmt;

use crate::network::{self, Network, TaskKind};
use crate::plan::{horizon_date, CrewIx, Diagnostic, Plan, Progress, Severity, SiteIx};
use crate::timeline::{IdIndex, SiteRow, Status, TaskRow, Timeline, FORMAT};
use crate::units::Money;

mod days;
mod programme;

use days::*;

/// Which rule a violation breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// Header fields: format, plan name, start, status date.
    Header,
    /// The task list equals the generated tasks; fields consistent with status.
    Tasks,
    /// 1: crew tasks on working days of the site, duration, no blackout.
    WorkingDays,
    /// 2: elapsed tasks start on a programme working day, calendar duration.
    Elapsed,
    /// 3: precedence with lags; unscheduled successors are blocked.
    Precedence,
    /// 4: no start before the plan's start or the site's not_before.
    Release,
    /// 5: one eligible, available crew; crews never double-booked.
    Crew,
    /// 6: the budget.
    Budget,
    /// 7: re-planning: actuals kept, planned work after the status date.
    Replan,
    /// Nothing runs on or after the 20th anniversary of the start.
    Horizon,
    /// Site rows.
    Sites,
    /// Summary figures.
    Summary,
}

impl Rule {
    pub fn label(self) -> &'static str {
        match self {
            Rule::Header => "header",
            Rule::Tasks => "task list",
            Rule::WorkingDays => "rule 1, crew working days",
            Rule::Elapsed => "rule 2, elapsed tasks",
            Rule::Precedence => "rule 3, precedence",
            Rule::Release => "rule 4, earliest start",
            Rule::Crew => "rule 5, crews",
            Rule::Budget => "rule 6, budget",
            Rule::Replan => "rule 7, re-planning",
            Rule::Horizon => "horizon",
            Rule::Sites => "site rows",
            Rule::Summary => "summary",
        }
    }
}

/// One broken rule: what (a task, site or the summary), which rule, how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub subject: String,
    pub rule: Rule,
    pub detail: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.subject,
            self.rule.label(),
            self.detail
        )
    }
}

/// Longest span verify will count day by day: the longest a task may run
/// (longer is a violation, and counting it would only waste time).
const MAX_SPAN_DAYS: i64 = crate::plan::MAX_TASK_SPAN_DAYS;

/// Every violation of the plan format's rules by `tl`, in a stable order.
pub fn verify(plan: &Plan, tl: &Timeline) -> Vec<Violation> {
    match network::build(plan) {
        Ok(net) => verify_tasks(plan, &net, tl),
        Err(_) => vec![Violation {
            subject: "plan".into(),
            rule: Rule::Tasks,
            detail: "the plan's tasks form a cycle".into(),
        }],
    }
}

/// `verify` against a given task list: the plan's own, or (for `risk`'s
/// tests) one whose durations a sample changed, so that a replayed
/// schedule is held to every rule with the durations it was made with.
pub fn verify_tasks(plan: &Plan, net: &Network, tl: &Timeline) -> Vec<Violation> {
    let mut v = Checker {
        plan,
        tl,
        crews: IdIndex::crews(plan),
        out: Vec::new(),
    };
    v.header();
    if !v.task_list(net) {
        return v.out;
    }
    let progress = progress_by_task(plan, net);
    let spans: Vec<Option<Span>> = tl.tasks.iter().map(span_of).collect();
    for (t, task) in net.tasks.iter().enumerate() {
        v.task(t, task, progress[t], spans[t]);
    }
    v.precedence(net, &spans);
    v.crews(net, &spans);
    v.budget(&spans);
    let rcs = v.sites(net);
    v.summary(net, &rcs);
    for detail in crate::timeline::targets::mismatches(plan, tl) {
        v.push("targets", Rule::Summary, detail);
    }
    v.out
}

/// A scheduled task's first and last day.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: NaiveDate,
    finish: NaiveDate,
}

fn span_of(row: &TaskRow) -> Option<Span> {
    match (row.status, row.start, row.finish) {
        (Status::Unscheduled, _, _) => None,
        (_, Some(start), Some(finish)) => Some(Span { start, finish }),
        _ => None,
    }
}

fn progress_by_task<'p>(plan: &'p Plan, net: &Network) -> Vec<Option<&'p Progress>> {
    let mut out = vec![None; net.tasks.len()];
    for p in &plan.progress {
        if let Some(t) = net.find(p.task) {
            out[t.ix()] = Some(p);
        }
    }
    out
}

struct Checker<'a> {
    plan: &'a Plan,
    tl: &'a Timeline,
    /// Crews by ID: every crew task row names one (a search of the crews
    /// per row cost tasks x crews).
    crews: IdIndex<'a>,
    out: Vec<Violation>,
}

impl<'a> Checker<'a> {
    fn push(&mut self, subject: &str, rule: Rule, detail: String) {
        self.out.push(Violation {
            subject: subject.into(),
            rule,
            detail,
        });
    }

    fn header(&mut self) {
        let (p, t) = (self.plan, self.tl);
        if t.format != FORMAT {
            self.push(
                "timeline",
                Rule::Header,
                format!("format is {:?}, expected {FORMAT:?}", t.format),
            );
        }
        if t.plan != p.name {
            self.push(
                "timeline",
                Rule::Header,
                format!("plan is {:?}, expected {:?}", t.plan, p.name),
            );
        }
        if t.start != p.start {
            self.push(
                "timeline",
                Rule::Header,
                format!("start is {}, the plan's is {}", t.start, p.start),
            );
        }
        if t.status_date != p.status_date {
            self.push(
                "timeline",
                Rule::Header,
                format!(
                    "status_date is {:?}, the plan's is {:?}",
                    t.status_date, p.status_date
                ),
            );
        }
    }

    /// The rows are the generated tasks, in order. False when they are not
    /// (then nothing else can be checked row by row).
    fn task_list(&mut self, net: &Network) -> bool {
        let rows = &self.tl.tasks;
        let mut ok = rows.len() == net.tasks.len();
        if !ok {
            self.push(
                "timeline",
                Rule::Tasks,
                format!(
                    "{} task rows, the plan generates {}",
                    rows.len(),
                    net.tasks.len()
                ),
            );
        }
        for (t, row) in net.tasks.iter().zip(rows) {
            let site = &self.plan.sites[t.key.site.ix()].id;
            let want = (&t.id, site, t.key.phase.as_str(), t.key.package, t.devices);
            let got = (
                &row.id,
                &row.site,
                row.phase.as_str(),
                row.package,
                row.devices,
            );
            if want != got {
                self.push(
                    &row.id,
                    Rule::Tasks,
                    format!("row is {got:?}, the plan generates {want:?} here"),
                );
                ok = false;
            }
        }
        if rows.len() > net.tasks.len() {
            for row in &rows[net.tasks.len()..] {
                self.push(&row.id, Rule::Tasks, "not a task the plan generates".into());
            }
        } else {
            for t in &net.tasks[rows.len()..] {
                self.push(&t.id, Rule::Tasks, "missing from the timeline".into());
            }
        }
        ok
    }

    /// Rules 1, 2, 4, 7 and the row's own fields for one task.
    fn task(
        &mut self,
        t: usize,
        task: &network::Task,
        prog: Option<&Progress>,
        span: Option<Span>,
    ) {
        let row = &self.tl.tasks[t];
        let status_ok = match (prog.map(|p| p.finished.is_some()), row.status) {
            (Some(true), s) => s == Status::Done,
            (Some(false), s) => s == Status::InProgress,
            (None, s) => matches!(s, Status::Planned | Status::Unscheduled),
        };
        if !status_ok {
            let want = match prog.map(|p| p.finished.is_some()) {
                Some(true) => "done",
                Some(false) => "in_progress",
                None => "planned or unscheduled",
            };
            self.push(
                &row.id,
                Rule::Tasks,
                format!(
                    "status is {}, progress makes it {want}",
                    row.status.as_str()
                ),
            );
        }
        let Some(span) = span else {
            self.unscheduled_row(row);
            return;
        };
        if span.finish < span.start || (span.finish - span.start).num_days() > MAX_SPAN_DAYS {
            self.push(
                &row.id,
                Rule::Tasks,
                format!("runs from {} to {}", span.start, span.finish),
            );
            return;
        }
        if span.finish >= horizon_date(self.plan.start) {
            self.push(
                &row.id,
                Rule::Horizon,
                format!(
                    "finishes {}, on or after {}",
                    span.finish,
                    horizon_date(self.plan.start)
                ),
            );
        }
        let crew = self.row_crew(row, task);
        match row.status {
            Status::Planned => self.planned(task, row, span, crew),
            _ => {
                if let Some(p) = prog {
                    self.actual(task, row, span, crew, p);
                }
            }
        }
    }

    fn unscheduled_row(&mut self, row: &TaskRow) {
        if row.status != Status::Unscheduled {
            self.push(
                &row.id,
                Rule::Tasks,
                format!("{} but has no start and finish", row.status.as_str()),
            );
            return;
        }
        if row.start.is_some() || row.finish.is_some() || row.crew.is_some() || row.cost.is_some() {
            self.push(
                &row.id,
                Rule::Tasks,
                "unscheduled but has dates, a crew or a cost".into(),
            );
        }
        if row.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            self.push(&row.id, Rule::Tasks, "unscheduled without a reason".into());
        }
    }

    /// The row's crew, checked against the task's kind.
    fn row_crew(&mut self, row: &TaskRow, task: &network::Task) -> Option<CrewIx> {
        match (task.kind, &row.crew) {
            (TaskKind::Elapsed, None) => None,
            (TaskKind::Elapsed, Some(c)) => {
                self.push(&row.id, Rule::Crew, format!("an elapsed task has crew {c}"));
                None
            }
            (TaskKind::Crew, None) => {
                self.push(&row.id, Rule::Crew, "a crew task has no crew".into());
                None
            }
            (TaskKind::Crew, Some(c)) => {
                let found = self.crews.crew(c);
                if found.is_none() {
                    self.push(&row.id, Rule::Crew, format!("crew {c} is not in the plan"));
                }
                found
            }
        }
    }

    fn planned(&mut self, task: &network::Task, row: &TaskRow, span: Span, crew: Option<CrewIx>) {
        let site = task.key.site;
        if row.duration != task.duration {
            self.push(
                &row.id,
                Rule::Tasks,
                format!(
                    "duration {}, the table gives {}",
                    row.duration, task.duration
                ),
            );
        }
        match task.kind {
            TaskKind::Crew => self.working_days(row, site, span, task.duration),
            TaskKind::Elapsed => {
                if !programme_working(self.plan, span.start) {
                    self.push(
                        &row.id,
                        Rule::Elapsed,
                        format!("starts {}, not a programme working day", span.start),
                    );
                }
                let want = add_days(span.start, task.duration as i64 - 1);
                if span.finish != want {
                    self.push(
                        &row.id,
                        Rule::Elapsed,
                        format!(
                            "finishes {}, {} calendar days from {} end {want}",
                            span.finish, task.duration, span.start
                        ),
                    );
                }
            }
        }
        let s = &self.plan.sites[site.ix()];
        let earliest = [Some(self.plan.start), s.not_before]
            .into_iter()
            .flatten()
            .max();
        if let Some(e) = earliest.filter(|e| span.start < *e) {
            self.push(
                &row.id,
                Rule::Release,
                format!("starts {}, before {e}", span.start),
            );
        }
        if let Some(sd) = self.plan.status_date.filter(|sd| span.start <= *sd) {
            self.push(
                &row.id,
                Rule::Replan,
                format!(
                    "planned work starts {}, not after the status date {sd}",
                    span.start
                ),
            );
        }
        if let Some(c) = crew {
            self.crew_fits(row, site, c, span.start, span.finish);
        }
        let want = expected_cost(self.plan, task, crew, task.duration);
        self.cost(row, want);
    }

    /// Rule 1 for a planned crew task.
    fn working_days(&mut self, row: &TaskRow, site: SiteIx, span: Span, duration: u32) {
        for (day, what) in [(span.start, "starts"), (span.finish, "finishes")] {
            if !site_working(self.plan, site, day) {
                self.push(
                    &row.id,
                    Rule::WorkingDays,
                    format!("{what} {day}, not a working day of the site"),
                );
            }
        }
        if let Some(b) = self.plan.sites[site.ix()]
            .blackouts
            .iter()
            .find(|b| b.from <= span.finish && span.start <= b.to)
        {
            self.push(
                &row.id,
                Rule::WorkingDays,
                format!(
                    "runs {}–{} across the site's blackout {}–{}",
                    span.start, span.finish, b.from, b.to
                ),
            );
        }
        let n = count_site_days(self.plan, site, span.start, span.finish);
        if n != duration {
            self.push(
                &row.id,
                Rule::WorkingDays,
                format!(
                    "{n} working days from {} to {}, duration is {duration}",
                    span.start, span.finish
                ),
            );
        }
    }

    /// Rule 5's crew checks for a planned task: a crew that may work at the
    /// site, available from `from` to `to`.
    fn crew_fits(
        &mut self,
        row: &TaskRow,
        site: SiteIx,
        c: CrewIx,
        from: NaiveDate,
        to: NaiveDate,
    ) {
        let crew = &self.plan.crews[c.ix()];
        let s = &self.plan.sites[site.ix()];
        if !crew.may_work_at(s) {
            let why = if crew.region != s.region {
                format!(
                    "crew {} works in region {}, the site is in {}",
                    crew.id,
                    self.plan.regions[crew.region.ix()].id,
                    self.plan.regions[s.region.ix()].id
                )
            } else {
                format!("crew {} is not cleared, the site is cleared_only", crew.id)
            };
            self.push(&row.id, Rule::Crew, why);
        }
        self.crew_available(row, c, from, to);
    }

    /// Rule 5's availability, from `from` to `to`. All that rule 7 asks of
    /// an in-progress task's reported crew after the status date: it keeps
    /// its crew, which may be one the plan would not send there (progress
    /// is a record, accepted with a warning).
    fn crew_available(&mut self, row: &TaskRow, c: CrewIx, from: NaiveDate, to: NaiveDate) {
        let crew = &self.plan.crews[c.ix()];
        let before = crew.available_from.is_some_and(|f| from < f);
        let after = crew.available_to.is_some_and(|t| to > t);
        if before || after {
            self.push(
                &row.id,
                Rule::Crew,
                format!(
                    "crew {} is available {}–{}, the task runs {from}–{to}",
                    crew.id,
                    crew.available_from.map_or("any".into(), |d| d.to_string()),
                    crew.available_to.map_or("any".into(), |d| d.to_string())
                ),
            );
        }
    }

    fn cost(&mut self, row: &TaskRow, want: Money) {
        let got = row.cost.and_then(Money::from_f64);
        if got != Some(want) {
            self.push(
                &row.id,
                Rule::Tasks,
                format!(
                    "cost {}, expected {want}",
                    row.cost.map_or("null".into(), |c| c.to_string())
                ),
            );
        }
    }

    /// Rule 7 for done and in-progress tasks.
    fn actual(
        &mut self,
        task: &network::Task,
        row: &TaskRow,
        span: Span,
        crew: Option<CrewIx>,
        p: &Progress,
    ) {
        let site = task.key.site;
        let finish = match p.finished {
            Some(f) => f,
            None => in_progress_finish(self.plan, task, p),
        };
        if span.start != p.started || span.finish != finish {
            self.push(
                &row.id,
                Rule::Replan,
                format!(
                    "runs {}–{}, progress makes it {}–{finish}",
                    span.start, span.finish, p.started
                ),
            );
        }
        if task.kind == TaskKind::Crew && crew != p.crew {
            self.push(
                &row.id,
                Rule::Replan,
                "crew differs from the one reported".into(),
            );
        }
        let days = span_days(self.plan, site, task.kind, p.started, finish);
        if row.duration != days {
            self.push(
                &row.id,
                Rule::Tasks,
                format!("duration {}, its span counts {days}", row.duration),
            );
        }
        if let (Some(c), None, Some(sd)) = (crew, p.finished, self.plan.status_date) {
            let from = add_days(sd, 1);
            if from <= span.finish {
                self.crew_available(row, c, from, span.finish);
            }
        }
        let want = p
            .cost
            .unwrap_or_else(|| expected_cost(self.plan, task, p.crew, days));
        self.cost(row, want);
    }
}

/// Unscheduled only because other work of its site could not be placed.
fn held_back(row: &TaskRow) -> bool {
    row.reason
        .as_deref()
        .is_some_and(|r| r.starts_with("held back"))
}

fn cents(c: i128) -> String {
    Money(c.clamp(i64::MIN as i128, i64::MAX as i128) as i64).to_string()
}

/// Parses a timeline file's bytes; an error is located at its line and
/// column.
pub fn parse_timeline(path: &str, bytes: &[u8]) -> Result<Timeline, Diagnostic> {
    serde_json::from_slice(bytes).map_err(|e| {
        // serde_json appends "at line L column C"; the location leads instead.
        let text = e.to_string();
        let what = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(w, _)| w);
        Diagnostic {
            file: path.into(),
            line: e.line(),
            col: e.column(),
            severity: Severity::Error,
            message: format!("not a valid timeline: {what}"),
        }
    })
}

#[cfg(test)]
mod tests;
