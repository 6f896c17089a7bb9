//! The point of a chart, in words on it: spans in which no work happens and
//! why ("FY 2026/27 budget fully committed 14 Oct 2026 — no work until
//! 1 Apr 2027"), and the first deadline that will be missed. Found from the
//! timeline's dated tasks and the plan's budget periods; drawn by the
//! burndown and budget charts.

use chrono::NaiveDate;

use super::budget::period_name;
use super::text;
use crate::plan::Plan;
use crate::timeline::{Status, Timeline};

/// A stop shorter than this many days (a holiday week) is not told.
pub const MIN_STOP_DAYS: i64 = 28;

/// A note on a chart: over a span of days, or at one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub from: NaiveDate,
    /// Last day of the span; `None` for a note at `from` only.
    pub to: Option<NaiveDate>,
    pub text: String,
}

/// Spans of at least `MIN_STOP_DAYS` between the first task's start and
/// the last task's finish on which no dated task is under way, each with
/// its cause when the budget explains it: the period the stop begins in
/// had its money committed, and work starts again when the next period's
/// money arrives.
pub fn stops(plan: &Plan, tl: &Timeline) -> Vec<Note> {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = tl
        .tasks
        .iter()
        .filter(|t| t.status != Status::Unscheduled)
        .filter_map(|t| Some((t.start?, t.finish?)))
        .collect();
    spans.sort();
    let mut out = Vec::new();
    let mut busy_to: Option<NaiveDate> = None;
    for (s, f) in spans {
        if let Some(end) = busy_to {
            let idle_from = end.succ_opt().unwrap_or(end);
            if (s - idle_from).num_days() >= MIN_STOP_DAYS {
                out.push(stop_note(plan, tl, idle_from, s));
            }
        }
        busy_to = Some(busy_to.map_or(f, |e| e.max(f)));
    }
    out
}

/// The note for no work from `idle_from` until `resume`.
fn stop_note(plan: &Plan, tl: &Timeline, idle_from: NaiveDate, resume: NaiveDate) -> Note {
    let to = resume.pred_opt().unwrap_or(resume);
    let text = match budget_cause(plan, tl, idle_from, resume) {
        Some((name, spent_out)) => format!(
            "{name} budget fully committed {} — no work until {}",
            text::date(spent_out),
            text::date(resume)
        ),
        None => format!(
            "No work from {} until {}",
            text::date(idle_from),
            text::date(resume)
        ),
    };
    Note {
        from: idle_from,
        to: Some(to),
        text,
    }
}

/// When the stop is the budget's doing: the name of the period it begins
/// in and the last day money was committed there. That period must have
/// at least nine tenths of its money committed, and work must resume
/// within a week of the next period's first day.
fn budget_cause(
    plan: &Plan,
    tl: &Timeline,
    idle_from: NaiveDate,
    resume: NaiveDate,
) -> Option<(String, NaiveDate)> {
    let periods = &plan.budget.as_ref()?.periods;
    let i = periods
        .iter()
        .position(|p| p.from <= idle_from && idle_from <= p.to)
        .or_else(|| periods.iter().rposition(|p| p.to < idle_from))?;
    let (p, next) = (&periods[i], periods.get(i + 1)?);
    let after_next = (resume - next.from).num_days();
    if !(0..=7).contains(&after_next) {
        return None;
    }
    let mut committed = 0.0;
    let mut last = None;
    for t in &tl.tasks {
        if let (Some(d), Some(c)) = (t.start, t.cost) {
            if p.from <= d && d <= p.to && t.status != Status::Unscheduled {
                committed += c;
                if c > 0.0 {
                    last = Some(last.map_or(d, |l: NaiveDate| l.max(d)));
                }
            }
        }
    }
    let enough = committed >= 0.9 * p.amount.to_f64();
    enough
        .then(|| (period_name(p.from, p.to, plan.financial_year_start), last))
        .and_then(|(n, l)| Some((n, l?)))
}

/// Every note a chart of the programme carries: the stops, then the first
/// missed deadline.
pub fn all(plan: &Plan, tl: &Timeline) -> Vec<Note> {
    let mut out = stops(plan, tl);
    out.extend(first_missed(tl));
    out
}

/// The earliest deadline that a site misses: its day, with how many sites
/// miss it and by how much at most.
pub fn first_missed(tl: &Timeline) -> Option<Note> {
    let late = tl
        .sites
        .iter()
        .filter(|s| s.late_days.unwrap_or(0) > 0 || s.removal_complete.is_none());
    let day = late.clone().filter_map(|s| s.deadline).min()?;
    let at: Vec<_> = late.filter(|s| s.deadline == Some(day)).collect();
    let most = at.iter().filter_map(|s| s.late_days).max().unwrap_or(0);
    let sites = if at.len() == 1 { "site" } else { "sites" };
    let mut words = format!(
        "First deadline missed: {} — {} {sites} late",
        text::date(day),
        text::thousands(at.len() as i64)
    );
    if most > 0 {
        words.push_str(&format!(", by up to {} days", text::thousands(most)));
    }
    Some(Note {
        from: day,
        to: None,
        text: words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample;

    #[test]
    fn a_gap_in_work_is_told_and_short_gaps_are_not() {
        let plan = sample::plan(5, false);
        let mut tl = sample::timeline(&plan);
        let before = stops(&plan, &tl).len();
        // Move every task starting after the first 60 days a year later.
        let cut = plan.start + chrono::Duration::days(60);
        for t in &mut tl.tasks {
            if let (Some(s), Some(f)) = (t.start, t.finish) {
                if s > cut {
                    t.start = Some(s + chrono::Duration::days(365));
                    t.finish = Some(f + chrono::Duration::days(365));
                }
            }
        }
        let after = stops(&plan, &tl);
        assert_eq!(after.len(), before + 1, "{after:?}");
        assert!(after.iter().all(|n| n.to.unwrap() > n.from));
        assert!(after
            .iter()
            .all(|n| (n.to.unwrap() - n.from).num_days() + 1 >= MIN_STOP_DAYS));
    }

    #[test]
    fn the_first_missed_deadline_counts_its_late_sites() {
        let plan = sample::plan(50, false);
        let tl = sample::timeline(&plan);
        let n = first_missed(&tl).expect("the sample has late sites");
        assert!(n.text.starts_with("First deadline missed: "), "{}", n.text);
        let earliest = tl
            .sites
            .iter()
            .filter(|s| s.late_days.unwrap_or(0) > 0)
            .filter_map(|s| s.deadline)
            .min();
        assert!(earliest.is_none_or(|d| n.from <= d));
    }
}
