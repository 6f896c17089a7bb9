//! verify's own calendar and cost arithmetic, written apart from the
//! lowering's so that a bug there cannot hide itself: working days of a
//! site, the span a task covers, the finish of work in progress, and what
//! a task's table row charges.

use super::*;

pub(super) fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    let r = if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    };
    r.unwrap_or(if n >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

pub(super) fn programme_working(plan: &Plan, day: NaiveDate) -> bool {
    use chrono::Datelike;
    plan.calendar.workdays[day.weekday().num_days_from_monday() as usize]
        && !plan.calendar.holidays.contains(&day)
}

pub(super) fn site_working(plan: &Plan, site: SiteIx, day: NaiveDate) -> bool {
    programme_working(plan, day)
        && !plan.sites[site.ix()]
            .blackouts
            .iter()
            .any(|b| b.from <= day && day <= b.to)
}

pub(super) fn count_site_days(plan: &Plan, site: SiteIx, from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0;
    let mut d = from;
    while d <= to && (d - from).num_days() <= MAX_SPAN_DAYS {
        if site_working(plan, site, d) {
            n += 1;
        }
        d = add_days(d, 1);
        if d == NaiveDate::MAX {
            break;
        }
    }
    n
}

/// Days a task of this kind counts from `from` to `to` inclusive.
pub(super) fn span_days(
    plan: &Plan,
    site: SiteIx,
    kind: TaskKind,
    from: NaiveDate,
    to: NaiveDate,
) -> u32 {
    match kind {
        _ if to < from => 0,
        TaskKind::Elapsed => ((to - from).num_days() + 1).min(u32::MAX as i64) as u32,
        TaskKind::Crew => count_site_days(plan, site, from, to),
    }
}

/// The plan format's finish of an in-progress task.
pub(super) fn in_progress_finish(plan: &Plan, task: &network::Task, p: &Progress) -> NaiveDate {
    let Some(sd) = plan.status_date else {
        return p.started;
    };
    let site = task.key.site;
    let worked = span_days(plan, site, task.kind, p.started, sd);
    let mut left = p
        .remaining_days
        .unwrap_or_else(|| task.duration.saturating_sub(worked).max(1));
    if task.kind == TaskKind::Elapsed {
        return add_days(sd, left as i64);
    }
    let mut d = sd;
    let limit = horizon_date(sd);
    while left > 0 && d < limit {
        d = add_days(d, 1);
        if site_working(plan, site, d) {
            left -= 1;
        }
    }
    d
}

/// What a task's table row charges for `days` with `crew`.
pub(super) fn expected_cost(
    plan: &Plan,
    task: &network::Task,
    crew: Option<CrewIx>,
    days: u32,
) -> Money {
    match task.kind {
        TaskKind::Elapsed => task.cost,
        TaskKind::Crew => crew.map_or(Money::ZERO, |c| plan.crews[c.ix()].cost_of(days)),
    }
}
