//! `project.xml`: the plan as MS Project XML (MSPDI), for offices on MS
//! Project or ProjectLibre. A summary task per site holding its tasks with
//! their dates and durations, the network's precedence links, crews as
//! resources and each crew task's assignment. Elements follow the order of
//! the MSPDI schema (mspdi_pj12.xsd), which MS Project insists on.
//!
//! Dates are kept as scheduled: each dated task carries a "start no earlier
//! than" constraint on its start, so a tool that re-schedules without our
//! crew and budget limits cannot pull work earlier. Crew tasks run 08:00 to
//! 17:00 on working days; elapsed tasks (procurement, disposal) from 00:00
//! on their first day to 23:59 on their last, so every task finishes on the
//! day the timeline says. Tasks are named by site and phase; a site with
//! blackouts gets its own calendar (the programme's, with the blackouts as
//! exceptions) for its tasks. Written with quick-xml,
//! which escapes all text; characters XML 1.0 forbids are dropped.

use chrono::NaiveDate;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::ReportError;
use crate::artifact::Context;
use crate::plan::Plan;
use crate::timeline::{LinkedTask, Links, Status, TaskRow};
use crate::units::Money;
use crate::words;

type W<'a> = Writer<&'a mut dyn std::io::Write>;
type R = std::io::Result<()>;

/// MS Project's standard day: 8 hours, 08:00–12:00 and 13:00–17:00.
const HOURS_PER_DAY: u32 = 8;
/// Lags are in tenths of a minute; an elapsed day is 24 hours.
const TENTHS_PER_ELAPSED_DAY: u64 = 24 * 60 * 10;

pub fn render(ctx: &Context) -> Result<Vec<u8>, ReportError> {
    let mut bytes = Vec::new();
    render_to(ctx, &mut bytes)?;
    Ok(bytes)
}

/// `render`, written to `out` as it is made (a national programme's
/// project.xml is hundreds of megabytes, never held whole).
pub fn render_to(ctx: &Context, out: &mut dyn std::io::Write) -> Result<(), ReportError> {
    write(ctx, out).map_err(|e| ReportError::Xml(e.to_string()))
}

/// Text XML 1.0 can hold: control characters other than tab and line
/// breaks, and the non-characters U+FFFE/U+FFFF, are dropped.
fn xml_text(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            (c >= ' ' || matches!(c, '\t' | '\n' | '\r')) && c != '\u{FFFE}' && c != '\u{FFFF}'
        })
        .collect()
}

fn el(w: &mut W, name: &str, text: &str) -> R {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_text(text)))?;
    Ok(())
}

fn open(w: &mut W, name: &str) -> R {
    w.write_event(Event::Start(BytesStart::new(name)))
}

fn close(w: &mut W, name: &str) -> R {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn at(d: NaiveDate, time: &str) -> String {
    format!("{}T{time}", d.format("%Y-%m-%d"))
}

fn hours(h: u64) -> String {
    format!("PT{h}H0M0S")
}

fn cents(m: Option<f64>) -> String {
    Money::from_f64(m.unwrap_or(0.0))
        .unwrap_or(Money::ZERO)
        .0
        .to_string()
}

/// Task UIDs: 0 the project summary, then each site's summary followed by
/// its tasks (by task row).
struct Uids {
    site: Vec<u32>,
    task: Vec<u32>,
}

fn uids(plan: &Plan, links: &Links) -> Uids {
    let mut next = 1;
    let mut site = Vec::with_capacity(plan.sites.len());
    let mut task = vec![0; links.tasks.len()];
    for s in 0..plan.sites.len() {
        site.push(next);
        next += 1;
        for t in links.site_tasks[s].clone() {
            task[t] = next;
            next += 1;
        }
    }
    Uids { site, task }
}

fn write(ctx: &Context, out: &mut dyn std::io::Write) -> R {
    let plan = ctx.plan;
    let mut w = Writer::new_with_indent(out, b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))?;
    w.write_event(Event::Start(
        BytesStart::new("Project")
            .with_attributes([("xmlns", "http://schemas.microsoft.com/project")]),
    ))?;
    header(&mut w, ctx)?;
    let site_cals = site_calendars(plan);
    calendars(&mut w, plan, &site_cals)?;
    let ids = uids(plan, ctx.links);
    tasks(&mut w, ctx, &ids, &site_cals)?;
    resources(&mut w, plan)?;
    assignments(&mut w, ctx, &ids)?;
    close(&mut w, "Project")?;
    w.into_inner().write_all(b"\n")
}

fn header(w: &mut W, ctx: &Context) -> R {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    el(w, "SaveVersion", "12")?;
    el(w, "Name", &plan.name)?;
    el(w, "Title", &plan.name)?;
    let made = tl.status_date.unwrap_or(tl.start);
    el(w, "CreationDate", &at(made, "00:00:00"))?;
    el(w, "ScheduleFromStart", "1")?;
    el(w, "StartDate", &at(tl.start, "08:00:00"))?;
    if let Some(f) = tl.summary.finish {
        el(w, "FinishDate", &at(f, "17:00:00"))?;
    }
    el(
        w,
        "FYStartDate",
        &plan.financial_year_start.month.to_string(),
    )?;
    el(w, "CurrencyDigits", "2")?;
    let code: String = plan
        .currency
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .take(3)
        .collect();
    // Required by the schema; XXX is ISO 4217's "no currency".
    el(
        w,
        "CurrencyCode",
        if code.len() == 3 { &code } else { "XXX" },
    )?;
    el(w, "CalendarUID", "1")?;
    el(w, "DefaultStartTime", "08:00:00")?;
    el(w, "DefaultFinishTime", "17:00:00")?;
    el(w, "MinutesPerDay", &(HOURS_PER_DAY * 60).to_string())?;
    let week = plan.calendar.workdays.iter().filter(|&&d| d).count() as u32;
    el(
        w,
        "MinutesPerWeek",
        &(HOURS_PER_DAY * 60 * week).to_string(),
    )?;
    el(w, "DaysPerMonth", "20")?;
    el(w, "HonorConstraints", "1")?;
    if let Some(sd) = tl.status_date {
        el(w, "StatusDate", &at(sd, "17:00:00"))?;
    }
    Ok(())
}

/// Calendar UID per site: 1 (the programme's) unless the site has blackouts.
fn site_calendars(plan: &Plan) -> Vec<u32> {
    let mut next = 2;
    plan.sites
        .iter()
        .map(|s| {
            if s.blackouts.is_empty() {
                1
            } else {
                next += 1;
                next - 1
            }
        })
        .collect()
}

/// The programme calendar: its workdays, 8 hours each, and its holidays;
/// then one calendar per site with blackouts, based on it.
fn calendars(w: &mut W, plan: &Plan, site_cals: &[u32]) -> R {
    open(w, "Calendars")?;
    programme_calendar(w, plan)?;
    for (site, &uid) in plan.sites.iter().zip(site_cals) {
        if uid == 1 {
            continue;
        }
        open(w, "Calendar")?;
        el(w, "UID", &uid.to_string())?;
        el(w, "Name", &format!("{}: blackouts", site_label(site)))?;
        el(w, "IsBaseCalendar", "0")?;
        el(w, "BaseCalendarUID", "1")?;
        open(w, "WeekDays")?;
        for b in &site.blackouts {
            exception(w, b.from, b.to)?;
        }
        close(w, "WeekDays")?;
        close(w, "Calendar")?;
    }
    close(w, "Calendars")
}

/// Days no one works, as a calendar exception.
fn exception(w: &mut W, from: NaiveDate, to: NaiveDate) -> R {
    open(w, "WeekDay")?;
    el(w, "DayType", "0")?;
    el(w, "DayWorking", "0")?;
    open(w, "TimePeriod")?;
    el(w, "FromDate", &at(from, "00:00:00"))?;
    el(w, "ToDate", &at(to, "23:59:00"))?;
    close(w, "TimePeriod")?;
    close(w, "WeekDay")
}

/// A site as people call it: `Alpha House (a)`, or its ID.
fn site_label(site: &crate::plan::Site) -> String {
    match &site.name {
        Some(n) => format!("{n} ({})", site.id),
        None => site.id.clone(),
    }
}

/// A task as people call it: `Alpha House (a): install, package 2`.
fn task_name(site: &crate::plan::Site, task: &LinkedTask) -> String {
    let phase = task.key.phase.as_str();
    let what = match task.key.package {
        Some(k) => format!("{phase}, package {k}"),
        None => phase.to_string(),
    };
    format!("{}: {what}", site_label(site))
}

fn programme_calendar(w: &mut W, plan: &Plan) -> R {
    open(w, "Calendar")?;
    el(w, "UID", "1")?;
    el(w, "Name", "Programme calendar")?;
    el(w, "IsBaseCalendar", "1")?;
    el(w, "BaseCalendarUID", "-1")?;
    open(w, "WeekDays")?;
    // MSPDI day types: 1 = Sunday … 7 = Saturday; ours are Monday first.
    for day_type in 1..=7usize {
        let working = plan.calendar.workdays[(day_type + 5) % 7];
        open(w, "WeekDay")?;
        el(w, "DayType", &day_type.to_string())?;
        el(w, "DayWorking", if working { "1" } else { "0" })?;
        if working {
            working_times(w)?;
        }
        close(w, "WeekDay")?;
    }
    for h in &plan.calendar.holidays {
        exception(w, *h, *h)?;
    }
    close(w, "WeekDays")?;
    close(w, "Calendar")
}

fn working_times(w: &mut W) -> R {
    open(w, "WorkingTimes")?;
    for (from, to) in [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")] {
        open(w, "WorkingTime")?;
        el(w, "FromTime", from)?;
        el(w, "ToTime", to)?;
        close(w, "WorkingTime")?;
    }
    close(w, "WorkingTimes")
}

fn tasks(w: &mut W, ctx: &Context, ids: &Uids, site_cals: &[u32]) -> R {
    let (plan, tl, links) = (ctx.plan, ctx.timeline, ctx.links);
    open(w, "Tasks")?;
    summary_task(w, 0, 0, &plan.name, 0, tl.start, tl.summary.finish)?;
    let mut id = 1;
    for (s, site) in plan.sites.iter().enumerate() {
        let range = links.site_tasks[s].clone();
        let dated = ctx.site_tasks(s);
        let first = dated.iter().filter_map(|r| r.start).min();
        let last = dated.iter().filter_map(|r| r.finish).max();
        let name = site_label(site);
        summary_task(
            w,
            ids.site[s],
            id,
            &name,
            1,
            first.unwrap_or(tl.start),
            last,
        )?;
        id += 1;
        for t in range {
            let row = &tl.tasks[t];
            let preds: Vec<(u32, u32)> = links.tasks[t]
                .preds
                .iter()
                .map(|p| (ids.task[p.task], p.lag))
                .collect();
            let task = Work {
                row,
                uid: ids.task[t],
                id,
                calendar: site_cals[s],
            };
            work_task(w, &links.tasks[t], &task, &preds, plan)?;
            id += 1;
        }
    }
    close(w, "Tasks")
}

fn summary_task(
    w: &mut W,
    uid: u32,
    id: u32,
    name: &str,
    level: u32,
    start: NaiveDate,
    finish: Option<NaiveDate>,
) -> R {
    open(w, "Task")?;
    el(w, "UID", &uid.to_string())?;
    el(w, "ID", &id.to_string())?;
    el(w, "Name", name)?;
    el(w, "Type", "1")?;
    el(w, "IsNull", "0")?;
    el(w, "OutlineLevel", &level.to_string())?;
    el(w, "Start", &at(start, "08:00:00"))?;
    if let Some(f) = finish {
        el(w, "Finish", &at(f, "17:00:00"))?;
    }
    el(w, "Milestone", "0")?;
    el(w, "Summary", "1")?;
    close(w, "Task")
}

/// One task of the network as written: its row in the timeline, IDs and
/// calendar.
struct Work<'a> {
    row: &'a TaskRow,
    uid: u32,
    id: u32,
    calendar: u32,
}

/// When a task's first and last days begin and end: crew tasks keep the
/// working day's hours, elapsed tasks run round the clock, so both finish
/// on the day the timeline gives.
fn start_at(elapsed: bool, d: NaiveDate) -> String {
    at(d, if elapsed { "00:00:00" } else { "08:00:00" })
}

fn finish_at(elapsed: bool, d: NaiveDate) -> String {
    at(d, if elapsed { "23:59:00" } else { "17:00:00" })
}

fn work_task(w: &mut W, task: &LinkedTask, work: &Work, links: &[(u32, u32)], plan: &Plan) -> R {
    let Work {
        row,
        uid,
        id,
        calendar,
    } = *work;
    let elapsed = task.elapsed;
    let days = u64::from(row.duration);
    open(w, "Task")?;
    el(w, "UID", &uid.to_string())?;
    el(w, "ID", &id.to_string())?;
    el(w, "Name", &task_name(&plan.sites[task.key.site.ix()], task))?;
    el(w, "Type", "1")?;
    el(w, "IsNull", "0")?;
    el(w, "OutlineLevel", "2")?;
    let dates = row.start.zip(row.finish);
    if let Some((s, f)) = dates {
        el(w, "Start", &start_at(elapsed, s))?;
        el(w, "Finish", &finish_at(elapsed, f))?;
    }
    let (h, format) = if elapsed {
        (days * 24, "8")
    } else {
        (days * u64::from(HOURS_PER_DAY), "7")
    };
    if elapsed {
        // From 00:00 on the first day to 23:59 on the last: a minute short
        // of d × 24 h, which MS Project shows as d elapsed days.
        el(w, "Duration", &format!("PT{}H59M0S", h.saturating_sub(1)))?;
    } else {
        el(w, "Duration", &hours(h))?;
    }
    el(w, "DurationFormat", format)?;
    if !elapsed {
        el(w, "Work", &hours(h))?;
    }
    el(w, "Milestone", "0")?;
    el(w, "Summary", "0")?;
    let status = row.status;
    let pct = match status {
        Status::Done => "100",
        _ => "0",
    };
    el(w, "PercentComplete", pct)?;
    el(w, "Cost", &cents(row.cost))?;
    if let Some((s, f)) = dates.filter(|_| status == Status::Done) {
        el(w, "ActualStart", &start_at(elapsed, s))?;
        el(w, "ActualFinish", &finish_at(elapsed, f))?;
    } else if let (Some((s, _)), Status::InProgress) = (dates, status) {
        el(w, "ActualStart", &start_at(elapsed, s))?;
    }
    // 4: start no earlier than — keeps the scheduled start.
    el(w, "ConstraintType", if dates.is_some() { "4" } else { "0" })?;
    if calendar != 1 {
        el(w, "CalendarUID", &calendar.to_string())?;
    }
    if let Some((s, _)) = dates {
        el(w, "ConstraintDate", &start_at(elapsed, s))?;
    }
    if let Some(deadline) = plan
        .site_deadline(task.key.site)
        .filter(|_| task.key.phase == crate::plan::Phase::Remove)
    {
        el(w, "Deadline", &at(deadline, "17:00:00"))?;
    }
    if let Some(reason) = row.reason.as_deref() {
        el(w, "Notes", &format!("No date: {reason}"))?;
    }
    for &(pred, lag) in links {
        open(w, "PredecessorLink")?;
        el(w, "PredecessorUID", &pred.to_string())?;
        el(w, "Type", "1")?;
        el(
            w,
            "LinkLag",
            &(u64::from(lag) * TENTHS_PER_ELAPSED_DAY).to_string(),
        )?;
        el(w, "LagFormat", "8")?;
        close(w, "PredecessorLink")?;
    }
    close(w, "Task")
}

fn resources(w: &mut W, plan: &Plan) -> R {
    open(w, "Resources")?;
    for (i, c) in plan.crews.iter().enumerate() {
        open(w, "Resource")?;
        el(w, "UID", &(i + 1).to_string())?;
        el(w, "ID", &(i + 1).to_string())?;
        el(w, "Name", &c.id)?;
        el(w, "Type", "1")?;
        el(w, "IsNull", "0")?;
        let region = &plan.regions[c.region.ix()];
        let mut group = words::region_label(region);
        if c.cleared {
            group.push_str(" (cleared)");
        }
        el(w, "Group", &group)?;
        el(w, "MaxUnits", "1.00")?;
        if let Some(f) = c.available_from {
            el(w, "AvailableFrom", &at(f, "00:00:00"))?;
        }
        if let Some(t) = c.available_to {
            el(w, "AvailableTo", &at(t, "23:59:00"))?;
        }
        // Rates are per hour in currency units; a day is 8 hours.
        el(
            w,
            "StandardRate",
            &format!("{:.2}", c.day_rate.to_f64() / f64::from(HOURS_PER_DAY)),
        )?;
        el(w, "StandardRateFormat", "2")?;
        close(w, "Resource")?;
    }
    close(w, "Resources")
}

fn assignments(w: &mut W, ctx: &Context, ids: &Uids) -> R {
    open(w, "Assignments")?;
    let mut uid = 1;
    for (i, row) in ctx.timeline.tasks.iter().enumerate() {
        let (Some(crew), Some(s), Some(f)) = (ctx.links.crews[i], row.start, row.finish) else {
            continue;
        };
        // Resources are numbered from 1 in the plan's order of crews.
        let (r, t) = (crew.ix() + 1, ids.task[i]);
        open(w, "Assignment")?;
        el(w, "UID", &uid.to_string())?;
        el(w, "TaskUID", &t.to_string())?;
        el(w, "ResourceUID", &r.to_string())?;
        el(w, "Cost", &cents(row.cost))?;
        el(w, "Finish", &at(f, "17:00:00"))?;
        el(w, "Start", &at(s, "08:00:00"))?;
        el(w, "Units", "1")?;
        el(
            w,
            "Work",
            &hours(u64::from(row.duration) * u64::from(HOURS_PER_DAY)),
        )?;
        close(w, "Assignment")?;
        uid += 1;
    }
    close(w, "Assignments")
}
