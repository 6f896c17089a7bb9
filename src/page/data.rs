//! The data the timeline page embeds: the office's full view (`office`)
//! or the public tier-level view (`crate::page::public`).
//!
//! Laid out for the browser, not for people: days are counted from the
//! plan's start, names are looked up by index, and sites and tasks are
//! stored column by column (one array per field), so a 10,000-site plan
//! (some 70,000 tasks) parses quickly and stays a few megabytes.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::artifact::Context;
use crate::plan::{Phase, Plan};
use crate::timeline::{by_site_id, LateCategory, Status, Timeline};

/// The value of `format` in the embedded data.
pub const FORMAT: &str = "removal-timeline-page/1";

/// Everything the page shows. Days are `i32` offsets from `start`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageData {
    pub format: &'static str,
    /// True for the public page: rows are tiers, nothing names a site,
    /// crew or region, and no cost is given.
    pub public: bool,
    /// The programme's name.
    pub plan: String,
    pub currency: String,
    /// Day 0, `YYYY-MM-DD`.
    pub start: NaiveDate,
    /// The status date (re-plans), as a day.
    pub status: Option<i32>,
    /// The last day anything happens (at least `start`).
    pub end: i32,
    /// Whether the page has grey bars to draw: the committed timeline
    /// (`replan --committed`), else the baseline of a re-plan.
    pub baseline: bool,
    /// What the grey bars are, in words: `committed timeline` or
    /// `baseline` (empty without them).
    pub grey: &'static str,
    /// Phase names, in workflow order; `tasks.phase` indexes them.
    pub phases: Vec<&'static str>,
    pub tiers: Vec<Named>,
    pub regions: Vec<Named>,
    pub crews: Vec<CrewInfo>,
    /// The bodies responsible for sites (empty when the plan names none);
    /// `sites.owner` indexes them.
    pub owners: Vec<Named>,
    /// The ways rows can be grouped, first the default (`tier`, `region`,
    /// `owner` when the plan names owners, `crew`).
    pub groupings: Vec<&'static str>,
    /// Dashed lines across the chart: programme and tier deadlines.
    pub deadlines: Vec<Mark>,
    /// The plan's targets, each met or missed, in plan order.
    pub targets: Vec<TargetMark>,
    pub sites: Sites,
    pub tasks: Tasks,
    /// What can hold a late site back, in words (`sites.cause` indexes
    /// them): the timeline's `late_category` values.
    pub causes: Vec<&'static str>,
    /// The same causes as the timeline's `late_category` values (the
    /// page's link fragments and filter keys), beside their words.
    pub cause_ids: Vec<&'static str>,
    /// Budget periods and what the schedule commits in each (empty without
    /// a budget, and on the public page).
    pub periods: Vec<Period>,
    pub carry_over: bool,
    /// What one row of `sites` is called: `site` or `tier`.
    pub unit: &'static str,
    /// Whether `sites.on_time` and `sites.at_risk` hold a risk run's
    /// figures (`schedule --risk N`).
    pub risk: bool,
}

/// An ID and its display name (the ID when the plan gives none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrewInfo {
    pub id: String,
    /// Index into `regions`.
    pub region: usize,
    pub cleared: bool,
}

/// A labelled day (a deadline line).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    pub day: i32,
    pub label: String,
}

/// A target's day (its line is drawn at the end of `by`), met or missed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetMark {
    /// The day after `by`: the line sits where the day `by` ends.
    pub day: i32,
    /// The target's ID, on its flag.
    pub id: String,
    /// Its name and result in words, for its tooltip and text alternative.
    pub words: String,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub from: i32,
    pub to: i32,
    pub amount: f64,
    pub committed: f64,
}

/// One entry per site (or tier, on the public page), column by column.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Sites {
    pub id: Vec<String>,
    /// Display name; empty when it is the ID.
    pub name: Vec<String>,
    /// Index into `tiers`.
    pub tier: Vec<usize>,
    /// Index into `regions`; null on the public page.
    pub region: Vec<Option<usize>>,
    /// Index into `owners`; empty when the plan names no owners.
    pub owner: Vec<Option<usize>>,
    pub devices: Vec<u64>,
    /// Removal complete day.
    pub done: Vec<Option<i32>>,
    pub deadline: Vec<Option<i32>>,
    /// Days late; null when the removal is unscheduled.
    pub late: Vec<Option<i64>>,
    /// Why it is late or unscheduled, in words.
    pub reason: Vec<Option<String>>,
    /// What held it back most (its `late_category`): index into `causes`.
    pub cause: Vec<Option<usize>>,
    /// The grey timeline's removal complete day (re-plans).
    pub base_done: Vec<Option<i32>>,
    /// Index of the site's first task in `tasks`; its tasks run to the
    /// next site's first task (a final entry closes the last site).
    pub first_task: Vec<usize>,
    /// Extra words for the details panel (the public page's shares).
    pub note: Vec<Option<String>>,
    /// With a risk run: the share of samples meeting the deadline.
    pub on_time: Vec<Option<f64>>,
    /// With a risk run: on time as published but under 80% likely to stay so.
    pub at_risk: Vec<bool>,
}

/// Every task, grouped by site in site order, column by column.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Tasks {
    /// Index into `phases`.
    pub phase: Vec<usize>,
    pub package: Vec<Option<u32>>,
    pub devices: Vec<u64>,
    pub start: Vec<Option<i32>>,
    pub finish: Vec<Option<i32>>,
    /// Index into `crews`; null for elapsed and unscheduled tasks.
    pub crew: Vec<Option<usize>>,
    pub cost: Vec<Option<f64>>,
    /// 0 done, 1 in progress, 2 planned, 3 unscheduled.
    pub status: Vec<u8>,
    pub base_start: Vec<Option<i32>>,
    pub base_finish: Vec<Option<i32>>,
    /// Why an unscheduled task is unscheduled: task index → words.
    pub reason: BTreeMap<usize, String>,
}

/// The day number of `d` (days after the plan's start).
pub fn day(start: NaiveDate, d: NaiveDate) -> i32 {
    (d - start).num_days() as i32
}

pub fn status_code(s: Status) -> u8 {
    match s {
        Status::Done => 0,
        Status::InProgress => 1,
        Status::Planned => 2,
        Status::Unscheduled => 3,
    }
}

/// The office page's data: every site and task.
pub fn office(ctx: &Context) -> PageData {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let start = tl.start;
    let mut page = skeleton(plan, tl, false);
    // As on the PNG Gantt: the committed timeline, when given, is what the
    // programme answers for, so it is the one drawn in grey.
    let grey = ctx.committed.or(ctx.baseline);
    page.baseline = grey.is_some();
    page.grey = match (ctx.committed, ctx.baseline) {
        (Some(_), _) => "committed timeline",
        (None, Some(_)) => "baseline",
        (None, None) => "",
    };
    page.crews = plan
        .crews
        .iter()
        .map(|c| CrewInfo {
            id: c.id.clone(),
            region: c.region.ix(),
            cleared: c.cleared,
        })
        .collect();
    page.owners = plan
        .owners
        .iter()
        .map(|o| Named {
            id: o.id.clone(),
            name: o.name.clone().unwrap_or_else(|| o.id.clone()),
        })
        .collect();
    page.groupings = if page.owners.is_empty() {
        vec!["tier", "region", "crew"]
    } else {
        vec!["tier", "region", "owner", "crew"]
    };
    page.periods = periods(plan, tl);
    page.carry_over = plan.budget.as_ref().is_some_and(|b| b.carry_over);

    let base = grey.map(by_site_id).unwrap_or_default();
    let dayo = |d: Option<NaiveDate>| d.map(|d| day(start, d));

    let s = &mut page.sites;
    let t = &mut page.tasks;
    for (i, site) in tl.sites.iter().enumerate() {
        let record = &plan.sites[i];
        s.first_task.push(t.phase.len());
        s.id.push(site.id.clone());
        s.name.push(
            record
                .name
                .as_deref()
                .filter(|n| *n != site.id)
                .map_or_else(String::new, |n| n.to_string()),
        );
        s.tier.push(record.tier.ix());
        s.region.push(Some(record.region.ix()));
        if !page.owners.is_empty() {
            s.owner.push(record.owner.map(|o| o.ix()));
        }
        s.devices.push(site.devices);
        s.done.push(dayo(site.removal_complete));
        s.deadline.push(dayo(site.deadline));
        s.late.push(site.late_days);
        s.reason.push(site.late_reason.clone());
        s.cause.push(
            site.late_category
                .and_then(|c| LateCategory::ALL.iter().position(|&k| k == c)),
        );
        s.base_done
            .push(base.site(&site.id).and_then(|b| dayo(b.removal_complete)));
        s.note.push(None);
        for ti in ctx.links.site_tasks[i].clone() {
            let task = &tl.tasks[ti];
            if let Some(r) = &task.reason {
                t.reason.insert(t.phase.len(), r.clone());
            }
            t.phase.push(task.phase.ix());
            t.package.push(task.package);
            t.devices.push(task.devices);
            t.start.push(dayo(task.start));
            t.finish.push(dayo(task.finish));
            t.crew.push(ctx.links.crews[ti].map(|c| c.ix()));
            t.cost.push(task.cost);
            t.status.push(status_code(task.status));
            let b = base.task(&task.id);
            t.base_start.push(dayo(b.and_then(|b| b.start)));
            t.base_finish.push(dayo(b.and_then(|b| b.finish)));
        }
    }
    s.first_task.push(t.phase.len());
    page.end = last_day(&page);
    page
}

/// What every page has: plan, dates, phases, tiers, regions and the
/// deadline lines.
pub fn skeleton(plan: &Plan, tl: &Timeline, public: bool) -> PageData {
    let start = tl.start;
    let named = |id: &str, name: &Option<String>| Named {
        id: id.to_string(),
        name: name.clone().unwrap_or_else(|| id.to_string()),
    };
    PageData {
        format: FORMAT,
        public,
        plan: tl.plan.clone(),
        currency: plan.currency.clone(),
        start,
        status: tl.status_date.map(|d| day(start, d)),
        end: 0,
        baseline: false,
        grey: "",
        phases: Phase::ALL.iter().map(|p| p.as_str()).collect(),
        tiers: plan.tiers.iter().map(|t| named(&t.id, &t.name)).collect(),
        regions: if public {
            Vec::new()
        } else {
            plan.regions.iter().map(|r| named(&r.id, &r.name)).collect()
        },
        crews: Vec::new(),
        owners: Vec::new(),
        groupings: if public { vec!["none"] } else { vec!["tier"] },
        deadlines: deadlines(plan, start),
        targets: targets(plan, tl),
        sites: Sites::default(),
        tasks: Tasks::default(),
        causes: if public {
            Vec::new()
        } else {
            LateCategory::ALL.iter().map(|c| c.words()).collect()
        },
        cause_ids: if public {
            Vec::new()
        } else {
            LateCategory::ALL.iter().map(|c| c.as_str()).collect()
        },
        periods: Vec::new(),
        carry_over: false,
        unit: if public { "tier" } else { "site" },
        risk: false,
    }
}

/// The programme deadline and each tier's, one line per day with every
/// tier that shares it named (`T1, T2 deadline`).
fn deadlines(plan: &Plan, start: NaiveDate) -> Vec<Mark> {
    let mut by_day: std::collections::BTreeMap<NaiveDate, Vec<String>> = Default::default();
    for t in &plan.tiers {
        if let Some(d) = t.deadline {
            by_day.entry(d).or_default().push(t.id.clone());
        }
    }
    if let Some(d) = plan.deadline {
        by_day.entry(d).or_default().push("Programme".into());
    }
    by_day
        .into_iter()
        .map(|(d, who)| Mark {
            day: day(start, d),
            label: format!("{} deadline", who.join(", ")),
        })
        .collect()
}

/// The timeline's targets as lines: named as the report's compliance
/// table names them, with the result in words.
/// Target row `i` is plan target `i` (`timeline::targets`).
fn targets(plan: &Plan, tl: &Timeline) -> Vec<TargetMark> {
    tl.targets
        .iter()
        .zip(&plan.targets)
        .map(|(row, target)| {
            let name = target.name.clone().unwrap_or_else(|| row.id.clone());
            let result = if row.met {
                "met".to_string()
            } else {
                format!(
                    "missed by {}",
                    crate::words::count(
                        row.required.saturating_sub(row.removed),
                        "device",
                        "devices"
                    )
                )
            };
            TargetMark {
                day: day(tl.start, row.by) + 1,
                id: row.id.clone(),
                words: format!(
                    "{name}: {result} ({} of the {} required removed by {})",
                    crate::words::int(row.removed),
                    crate::words::int(row.required),
                    crate::words::date(row.by)
                ),
                met: row.met,
            }
        })
        .collect()
}

/// Budget periods and the money each has committed (on a task's start day).
fn periods(plan: &Plan, tl: &Timeline) -> Vec<Period> {
    let (Some(budget), Some((per, _))) = (
        plan.budget.as_ref(),
        crate::report::model::committed_by_period(plan, tl),
    ) else {
        return Vec::new();
    };
    budget
        .periods
        .iter()
        .zip(per)
        .map(|(p, spent)| Period {
            from: day(tl.start, p.from),
            to: day(tl.start, p.to),
            amount: p.amount.to_f64(),
            committed: spent.to_f64(),
        })
        .collect()
}

/// The last day the page must show: the latest finish, deadline or budget
/// period end.
pub fn last_day(page: &PageData) -> i32 {
    let t = &page.tasks;
    let s = &page.sites;
    t.finish
        .iter()
        .chain(&t.base_finish)
        .chain(&s.deadline)
        .flatten()
        .copied()
        .chain(page.deadlines.iter().map(|m| m.day))
        .chain(page.targets.iter().map(|m| m.day))
        .chain(page.status)
        .max()
        .unwrap_or(0)
        .max(0)
}

/// Adds a risk run's per-site figures (its sites are the page's, both in
/// plan order).
pub fn add_risk(page: &mut PageData, risk: &crate::odds::Risk) {
    let s = &mut page.sites;
    s.on_time = risk.sites.iter().map(|r| r.on_time_probability).collect();
    s.at_risk = risk.sites.iter().map(|r| r.at_risk).collect();
    page.risk = true;
}
