//! The point of a chart, in words on it: spans in which no crew works and
//! why ("FY 2026/27 budget fully committed 14 Oct 2026 — no work until
//! 1 Apr 2027", "Waiting for equipment: 45-day delivery for Alpha House
//! arrives 6 Mar 2026 — no work until 9 Mar 2026"), and the first deadline
//! that will be missed. Found from the timeline's dated tasks and the
//! plan's budget periods, blackouts, crews and start dates; drawn by the
//! burndown and budget charts.

use chrono::NaiveDate;

use super::budget::period_name;
use super::text;
use crate::artifact::Context;
use crate::plan::{Phase, Plan, Site};
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

/// Spans of at least `MIN_STOP_DAYS` between the first crew task's start
/// and the last one's finish on which no crew works (procurement and
/// disposal run without one, so a wait for deliveries is a stop), each
/// with its cause when the plan and the timeline show one: the budget, a
/// delivery, a site's blackout, a crew not yet available, or a site that
/// may not start earlier.
pub fn stops(ctx: &Context) -> Vec<Note> {
    let tl = ctx.timeline;
    let mut spans: Vec<(NaiveDate, NaiveDate)> = tl
        .tasks
        .iter()
        .filter(|t| t.status != Status::Unscheduled && t.crew.is_some())
        .filter_map(|t| Some((t.start?, t.finish?)))
        .collect();
    spans.sort();
    let mut out = Vec::new();
    let mut busy_to: Option<NaiveDate> = None;
    for (s, f) in spans {
        if let Some(end) = busy_to {
            let idle_from = end.succ_opt().unwrap_or(end);
            if (s - idle_from).num_days() >= MIN_STOP_DAYS {
                out.push(stop_note(ctx, idle_from, s));
            }
        }
        busy_to = Some(busy_to.map_or(f, |e| e.max(f)));
    }
    out
}

/// Work that ends a stop this many days or fewer after the thing it waited
/// for (a delivery, a blackout's end, a crew's first day) is put down to it:
/// a weekend or a holiday may lie between.
const RESUME_WITHIN: i64 = 7;

/// The note for no work from `idle_from` until `resume`.
fn stop_note(ctx: &Context, idle_from: NaiveDate, resume: NaiveDate) -> Note {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let to = resume.pred_opt().unwrap_or(resume);
    let until = format!("no work until {}", text::date(resume));
    let text = match budget_cause(plan, tl, idle_from, resume) {
        Some((name, spent_out)) => format!(
            "{name} budget fully committed {} — {until}",
            text::date(spent_out)
        ),
        None => match other_cause(ctx, idle_from, resume) {
            Some(why) => format!("{why} — {until}"),
            None => format!(
                "No work from {} until {}",
                text::date(idle_from),
                text::date(resume)
            ),
        },
    };
    Note {
        from: idle_from,
        to: Some(to),
        text,
    }
}

/// A site's name for a note: its name, else its ID.
fn site_name(site: &Site) -> String {
    text::clean(site.name.as_deref().unwrap_or(&site.id))
}

/// Why the crew work that ends a stop did not start sooner, when not for
/// money: the first of these that holds for a task starting on `resume`
/// (earliest in the timeline's order):
/// - a delivery: its site's procurement ran into the stop and ended just
///   before (a supplier's lead time);
/// - its site's blackout covered the stop's end;
/// - its crew's availability began just before;
/// - its site may not start before a day just before (`not_before`).
fn other_cause(ctx: &Context, idle_from: NaiveDate, resume: NaiveDate) -> Option<String> {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let near = |d: NaiveDate| (0..=RESUME_WITHIN).contains(&(resume - d).num_days());
    // A wait whose last day is `d`.
    let ended = |d: NaiveDate| (1..=RESUME_WITHIN + 1).contains(&(resume - d).num_days());
    // The crew tasks that end the stop, by task row.
    let resuming: Vec<usize> = (0..tl.tasks.len())
        .filter(|&i| tl.tasks[i].crew.is_some() && tl.tasks[i].start == Some(resume))
        .collect();
    let delivery = resuming.iter().find_map(|&i| {
        ctx.site_tasks(ctx.links.site_of(i))
            .iter()
            .filter(|p| p.phase == Phase::Procure)
            .filter_map(|p| Some((p.start?, p.finish?, p.duration)))
            .filter(|&(_, f, _)| f >= idle_from && f < resume && ended(f))
            .max_by_key(|&(_, f, _)| f)
            .map(|(ordered, f, days)| {
                let delivery = format!(
                    "{}-day delivery for {} arrives {}",
                    days,
                    site_name(ctx.task_site(i)),
                    text::date(f)
                );
                // Ordered well into the stop: say what the order waited for
                // when it is a budget period's money, else when it went out.
                match (ordered - idle_from).num_days() {
                    ..=RESUME_WITHIN => format!("Waiting for equipment: {delivery}"),
                    _ => match money_from(plan, ordered) {
                        Some(d) => format!(
                            "Waiting for the budget from {}, then for equipment: {delivery}",
                            text::date(d)
                        ),
                        None => format!(
                            "Waiting for equipment ordered {}: {delivery}",
                            text::date(ordered)
                        ),
                    },
                }
            })
    });
    let blackout = || {
        resuming.iter().find_map(|&i| {
            let site = ctx.task_site(i);
            let b = site
                .blackouts
                .iter()
                .find(|b| b.from < resume && b.to >= idle_from && ended(b.to))?;
            Some(format!(
                "Blackout at {} from {} to {}",
                site_name(site),
                text::date(b.from),
                text::date(b.to)
            ))
        })
    };
    let crew = || {
        resuming.iter().find_map(|&i| {
            let c = ctx.task_crew(i)?;
            let from = c.available_from.filter(|&d| d > idle_from && near(d))?;
            Some(format!(
                "No crew available: crew {} starts {}",
                text::clean(&c.id),
                text::date(from)
            ))
        })
    };
    let not_before = || {
        resuming.iter().find_map(|&i| {
            let site = ctx.task_site(i);
            let d = site.not_before.filter(|&d| d > idle_from && near(d))?;
            Some(format!(
                "{} cannot start before {}",
                site_name(site),
                text::date(d)
            ))
        })
    };
    delivery.or_else(blackout).or_else(crew).or_else(not_before)
}

/// The first day of the budget period whose money arrives within a week
/// before `d`, if any.
fn money_from(plan: &Plan, d: NaiveDate) -> Option<NaiveDate> {
    let periods = &plan.budget.as_ref()?.periods;
    periods
        .iter()
        .skip(1)
        .map(|p| p.from)
        .find(|&from| (0..=RESUME_WITHIN).contains(&(d - from).num_days()))
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
pub fn all(ctx: &Context) -> Vec<Note> {
    let mut out = stops(ctx);
    out.extend(first_missed(ctx.timeline));
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
        crate::words::signed(at.len() as i64)
    );
    if most > 0 {
        words.push_str(&format!(", by up to {} days", crate::words::signed(most)));
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
    use crate::chart::sample::{self, Sample};

    fn stops_of(plan: &Plan, tl: &Timeline) -> Vec<Note> {
        stops(&Sample::with(plan.clone(), tl.clone()).ctx())
    }

    #[test]
    fn a_gap_in_work_is_told_and_short_gaps_are_not() {
        let plan = sample::plan(5, false);
        let mut tl = sample::timeline(&plan);
        let before = stops_of(&plan, &tl).len();
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
        let after = stops_of(&plan, &tl);
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

    /// A sample timeline with a stop of a year in crew work after day 60;
    /// the stop's first and the resuming crew task's site and crew.
    fn stopped() -> (Plan, Timeline, Note, String, String) {
        let mut plan = sample::plan(5, false);
        plan.budget = None;
        let mut tl = sample::timeline(&plan);
        let cut = plan.start + chrono::Duration::days(60);
        for t in &mut tl.tasks {
            if let (Some(s), Some(f)) = (t.start, t.finish) {
                if s > cut {
                    t.start = Some(s + chrono::Duration::days(365));
                    t.finish = Some(f + chrono::Duration::days(365));
                }
            }
        }
        let stop = stops_of(&plan, &tl)
            .into_iter()
            .max_by_key(|n| n.to.unwrap() - n.from)
            .unwrap();
        let resume = stop.to.unwrap().succ_opt().unwrap();
        let t = tl
            .tasks
            .iter()
            .find(|t| t.crew.is_some() && t.start == Some(resume))
            .unwrap();
        let (site, crew) = (t.site.clone(), t.crew.clone().unwrap());
        // No delivery ends in the stop: the cause must be found elsewhere.
        tl.tasks.retain(|t| t.phase != Phase::Procure);
        (plan, tl, stop, site, crew)
    }

    #[test]
    fn a_stop_is_put_down_to_a_blackout_or_a_crew_not_yet_available() {
        let (plan, tl, stop, site, crew) = stopped();
        let same = |p: &Plan| {
            stops_of(p, &tl)
                .into_iter()
                .find(|n| n.from == stop.from)
                .unwrap()
        };
        assert!(
            same(&plan).text.starts_with("No work from"),
            "{}",
            stop.text
        );

        let mut plan_b = plan.clone();
        let s = plan_b.sites.iter_mut().find(|s| s.id == site).unwrap();
        s.blackouts.push(crate::plan::DateRange {
            from: stop.from - chrono::Duration::days(3),
            to: stop.to.unwrap(),
        });
        let n = same(&plan_b);
        assert!(n.text.starts_with("Blackout at "), "{}", n.text);
        assert!(n.text.contains(&text::date(stop.to.unwrap())), "{}", n.text);

        let mut plan_c = plan.clone();
        let c = plan_c.crews.iter_mut().find(|c| c.id == crew).unwrap();
        c.available_from = Some(stop.to.unwrap() - chrono::Duration::days(2));
        let n = same(&plan_c);
        assert!(
            n.text
                .starts_with(&format!("No crew available: crew {crew} starts")),
            "{}",
            n.text
        );
    }
}
