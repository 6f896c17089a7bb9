//! Progress records (re-planning): what has already happened, checked
//! against the plan. The same rules hold whether progress sits in the plan
//! or comes from a separate JSON or CSV file.

use chrono::NaiveDate;
use std::collections::HashMap;

use super::check::{missing_phase, Checker, ProgressIn};
use super::graph::{Finding, Place};
use super::locate::Seg;
use super::model::*;
use super::values::{self, Ids};

/// Checks every record; returns them typed (complete only when no error
/// was reported).
pub fn check(
    plan: &Plan,
    status: Option<NaiveDate>,
    entries: &[ProgressIn],
    site_ok: &[bool],
    c: &mut Checker,
) -> Vec<Progress> {
    if entries.is_empty() {
        return Vec::new();
    }
    let sites = ids("site", plan.sites.iter().map(|s| s.id.as_str()));
    let crews = ids("crew", plan.crews.iter().map(|w| w.id.as_str()));
    let mut out = Vec::new();
    let mut seen: HashMap<TaskKey, usize> = HashMap::new();
    let mut kept = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(p) = entry(plan, status, e, &sites, &crews, site_ok, c) else {
            continue;
        };
        if let Some(&j) = seen.get(&p.task) {
            c.err(
                &e.at,
                &[Seg::K("task")],
                &format!(
                    "task {:?} has two entries (the first is entry {})",
                    e.raw.task,
                    j + 1
                ),
            );
            continue;
        }
        seen.insert(p.task, i);
        // After an error the plan may hold stand-in references (see
        // check.rs): its warnings would mislead.
        if !c.has_errors() {
            warn_disagreements(plan, &p, e, c);
        }
        kept.push(i);
        out.push(p);
    }
    crew_overlaps(plan, status, &out, &kept, entries, c);
    out
}

fn ids<'a>(what: &'static str, list: impl Iterator<Item = &'a str>) -> Ids {
    let mut ids = Ids::new(what);
    for id in list {
        let _ = ids.add(id);
    }
    ids
}

/// One record, typed; `None` after reporting its errors.
fn entry(
    plan: &Plan,
    status: Option<NaiveDate>,
    e: &ProgressIn,
    sites: &Ids,
    crews: &Ids,
    site_ok: &[bool],
    c: &mut Checker,
) -> Option<Progress> {
    let (raw, at) = (e.raw, &e.at);
    let before = c.diags.len();
    let task = c.ok(
        at,
        &[Seg::K("task")],
        task_key(&raw.task, plan, sites, site_ok),
    );
    let started = c.date(at, &[Seg::K("started")], &raw.started);
    let finished = c.opt_date(at, &[Seg::K("finished")], &raw.finished);
    let crew = raw
        .crew
        .as_ref()
        .and_then(|w| c.ok(at, &[Seg::K("crew")], crews.get(w)))
        .map(CrewIx::from);
    let remaining_days = raw
        .remaining_days
        .and_then(|v| c.ok(at, &[Seg::K("remaining_days")], values::days(v)));
    if remaining_days == Some(0) {
        c.err(
            at,
            &[Seg::K("remaining_days")],
            "0: a task in progress has at least 1 day to go",
        );
    }
    let cost = raw
        .cost
        .and_then(|v| c.ok(at, &[Seg::K("cost")], values::money(v)));
    for (k, d) in [("started", started), ("finished", finished)] {
        if let (Some(d), Some(s)) = (d, status) {
            if d > s {
                c.err(at, &[Seg::K(k)], &format!("{d} is after status_date {s}"));
            }
        }
    }
    if let (Some(s), Some(f)) = (started, finished) {
        if f < s {
            c.err(
                at,
                &[Seg::K("finished")],
                &format!("{f} is before started {s}"),
            );
        }
    }
    let task = task?;
    if task.phase.is_crew() && raw.crew.is_none() {
        c.err(
            at,
            &[Seg::K("crew")],
            &format!("{:?} is a crew task; say which crew worked on it", raw.task),
        );
    }
    if c.diags.len() != before {
        return None;
    }
    let mut p = Progress {
        task,
        started: started?,
        finished,
        crew,
        remaining_days,
        cost,
    };
    if !task.phase.is_crew() && p.crew.take().is_some() {
        c.warn(
            at,
            &[Seg::K("crew")],
            "ignored: procurement and disposal use no crew",
        );
    }
    if p.finished.is_some() && p.remaining_days.take().is_some() {
        c.warn(
            at,
            &[Seg::K("remaining_days")],
            "ignored: the task is finished",
        );
    }
    Some(p)
}

/// `SITE/PHASE` or `SITE/PHASE/K`, naming a task the plan generates.
pub fn task_key(s: &str, plan: &Plan, sites: &Ids, site_ok: &[bool]) -> Result<TaskKey, String> {
    let parts: Vec<&str> = s.split('/').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(format!(
            "{s:?} is not a task ID (SITE/PHASE or SITE/PHASE/K)"
        ));
    }
    let site = SiteIx::from(sites.get(parts[0])?);
    let phase = Phase::parse(parts[1]).ok_or_else(|| not_a_phase(parts[1]))?;
    if !site_ok.get(site.ix()).copied().unwrap_or(false) {
        // The site itself is wrong and reported; do not pile on.
        return Ok(TaskKey {
            site,
            phase,
            package: phase.is_packaged().then_some(1),
        });
    }
    let n = plan.phase_task_count(site, phase);
    if n == 0 {
        return Err(missing_phase(plan, PhaseRef { site, phase }));
    }
    let package = match (phase.is_packaged(), parts.get(2)) {
        (false, None) => None,
        (false, Some(_)) => return Err(format!("{s:?}: {} is not split into packages", parts[1])),
        (true, None) => {
            return Err(format!(
                "{s:?} names a phase split into packages; name one, e.g. \"{s}/1\""
            ))
        }
        (true, Some(k)) => match k.parse::<u64>() {
            Ok(k) if (1..=n).contains(&k) => Some(k as u32),
            _ => {
                return Err(format!(
                    "{s:?}: site {:?} has {n} {} package(s), numbered from 1",
                    parts[0], parts[1]
                ))
            }
        },
    };
    Ok(TaskKey {
        site,
        phase,
        package,
    })
}

/// `"instal" is not a phase; did you mean "install"?`
pub fn not_a_phase(given: &str) -> String {
    let all: Vec<String> = Phase::ALL.iter().map(|p| p.as_str().to_string()).collect();
    match values::suggest(given, &all) {
        Some(s) => format!("{given:?} is not a phase; did you mean {s:?}?"),
        None => format!(
            "{given:?} is not a phase; use survey, procure, install, commission, remove or dispose"
        ),
    }
}

/// Progress is a record of what happened: accepted where it disagrees
/// with the plan, but said.
fn warn_disagreements(plan: &Plan, p: &Progress, e: &ProgressIn, c: &mut Checker) {
    let site = &plan.sites[p.task.site.ix()];
    if let Some(w) = p
        .crew
        .map(|w| &plan.crews[w.ix()])
        .filter(|w| !w.may_work_at(site))
    {
        if w.region != site.region {
            let r = &plan.regions[site.region.ix()].id;
            c.warn(
                &e.at,
                &[Seg::K("crew")],
                &format!("crew {:?} is not of the site's region {r:?}", w.id),
            );
        } else {
            c.warn(
                &e.at,
                &[Seg::K("crew")],
                &format!(
                    "crew {:?} is not cleared, but site {:?} is cleared_only",
                    w.id, site.id
                ),
            );
        }
    }
    if p.started < plan.start {
        c.warn(
            &e.at,
            &[Seg::K("started")],
            &format!("{} is before the programme start {}", p.started, plan.start),
        );
    }
}

/// One crew on two tasks on the same day; an unfinished task occupies its
/// crew from `started` to the status date.
fn crew_overlaps(
    plan: &Plan,
    status: Option<NaiveDate>,
    out: &[Progress],
    kept: &[usize],
    entries: &[ProgressIn],
    c: &mut Checker,
) {
    let mut spans: Vec<(CrewIx, NaiveDate, NaiveDate, usize)> = out
        .iter()
        .zip(kept)
        .filter_map(|(p, &i)| {
            let end = p.finished.or(status).unwrap_or(p.started).max(p.started);
            p.crew.map(|w| (w, p.started, end, i))
        })
        .collect();
    spans.sort();
    let mut last: Option<(CrewIx, NaiveDate, usize)> = None;
    for &(w, from, to, i) in &spans {
        if let Some((lw, lto, li)) = last {
            if lw == w && from <= lto {
                c.err(
                    &entries[i].at,
                    &[Seg::K("crew")],
                    &format!(
                        "crew {:?} is reported on {:?} and on {:?} on the same day ({from})",
                        plan.crews[w.ix()].id,
                        entries[li].raw.task,
                        entries[i].raw.task
                    ),
                );
            }
        }
        if last.is_none_or(|(lw, lto, _)| lw != w || to > lto) {
            last = Some((w, to, i));
        }
    }
}

/// Puts the network's findings about progress (`GraphChecks`) at the
/// first record of their task; a finding about a task with no record here
/// is dropped.
pub fn place_findings(plan: &Plan, findings: &[Finding], entries: &[ProgressIn], c: &mut Checker) {
    let at = first_entry_by_task(entries);
    for f in findings {
        let Place::Progress { task, field } = f.place else {
            continue;
        };
        let Some(&i) = at.get(plan.task_id(task).as_str()) else {
            continue;
        };
        c.push(&entries[i].at, &[Seg::K(field)], f.severity, &f.message);
    }
}

/// Where each task's first progress record is in the file, to point at it.
fn first_entry_by_task<'a>(entries: &'a [ProgressIn<'_>]) -> HashMap<&'a str, usize> {
    // Reversed so that, for a task recorded twice, the first record wins.
    entries
        .iter()
        .enumerate()
        .rev()
        .map(|(i, e)| (e.raw.task.as_str(), i))
        .collect()
}
