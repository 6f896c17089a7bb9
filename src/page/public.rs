//! The public page's data: one row per tier, expandable to one bar per
//! phase (the tier's first start to its last finish of that phase). Like
//! the rest of `public/`, it names no site, crew or region, gives no cost
//! and no one site's device count: only tiers, shares, device totals and
//! dates.

use chrono::NaiveDate;

use super::data::{day, last_day, skeleton, status_code, PageData};
use crate::artifact::Context;
use crate::plan::{Phase, TierIx};
use crate::report::milestones;
use crate::timeline::Status;
use crate::words;

/// One phase of one tier, gathered over its sites.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: Option<NaiveDate>,
    finish: Option<NaiveDate>,
    /// Tasks of this phase, and how many are done, in progress or unscheduled.
    tasks: u64,
    done: u64,
    started: u64,
    unscheduled: u64,
    devices: u64,
}

impl Span {
    fn add(&mut self, t: &crate::timeline::TaskRow) {
        self.tasks += 1;
        self.devices += t.devices;
        match t.status {
            Status::Done => self.done += 1,
            Status::InProgress => self.started += 1,
            Status::Unscheduled => self.unscheduled += 1,
            Status::Planned => {}
        }
        self.start = min_opt(self.start, t.start);
        self.finish = self.finish.max(t.finish);
    }

    /// The phase's status as a whole: done when all is done, unscheduled
    /// when any is, in progress once any has started.
    fn status(&self) -> Status {
        if self.tasks > 0 && self.done == self.tasks {
            Status::Done
        } else if self.unscheduled > 0 {
            Status::Unscheduled
        } else if self.started + self.done > 0 {
            Status::InProgress
        } else {
            Status::Planned
        }
    }
}

fn min_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The public page's data.
pub fn public(ctx: &Context) -> PageData {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let start = tl.start;
    let mut page = skeleton(plan, tl, true);
    let mut spans = vec![[Span::default(); 6]; plan.tiers.len()];
    for (i, t) in tl.tasks.iter().enumerate() {
        spans[ctx.task_site(i).tier.ix()][t.phase.ix()].add(t);
    }
    let m = milestones::compute(plan, tl);
    let dayo = |d: Option<NaiveDate>| d.map(|d| day(start, d));
    let s = &mut page.sites;
    let tk = &mut page.tasks;
    // The tiers with sites, in plan order (the last is all tiers).
    for p in &m.tiers {
        let Some(i) = p.tier.map(TierIx::ix) else {
            continue;
        };
        let tier = &plan.tiers[i];
        s.first_task.push(tk.phase.len());
        s.id.push(tier.id.clone());
        s.name.push(tier.name.clone().unwrap_or_default());
        s.tier.push(i);
        s.region.push(None);
        s.devices.push(p.devices);
        let done = if p.unscheduled == 0 {
            p.last_clear
        } else {
            None
        };
        s.done.push(dayo(done));
        let deadline = tier.deadline.or(plan.deadline);
        s.deadline.push(dayo(deadline));
        s.late.push(match (done, deadline) {
            (Some(c), Some(d)) => Some((c - d).num_days().max(0)),
            (None, _) if p.unscheduled > 0 => None,
            _ => Some(0),
        });
        s.reason.push(None);
        s.cause.push(None);
        s.base_done.push(None);
        s.note.push(Some(note(p)));
        for (k, span) in spans[i].iter().enumerate() {
            if span.tasks == 0 {
                continue;
            }
            tk.phase.push(k);
            tk.package.push(None);
            tk.devices.push(if Phase::ALL[k] == Phase::Survey {
                0
            } else {
                span.devices
            });
            tk.start.push(dayo(span.start));
            tk.finish.push(dayo(span.finish));
            tk.crew.push(None);
            tk.cost.push(None);
            tk.status.push(status_code(span.status()));
            tk.base_start.push(None);
            tk.base_finish.push(None);
        }
    }
    s.first_task.push(tk.phase.len());
    page.end = last_day(&page);
    page
}

/// Shares, never counts of sites: "Sites cleared by the deadline: 87%".
fn note(p: &milestones::TierProgress) -> String {
    let mut parts = vec![format!(
        "Sites late for the deadline: {}",
        words::pct_some(p.late, p.sites)
    )];
    if p.unscheduled > 0 {
        parts.push(format!(
            "not yet scheduled: {}",
            words::pct_some(p.unscheduled, p.sites)
        ));
    }
    parts.join("; ")
}
