//! Why each site that moved did so, on time or not: what changed at the
//! site itself (its devices, deadline, access), the progress reported at
//! it, how its waits changed (with both plans), and what holds it now —
//! told by the timeline stage's own walk back through the schedule
//! (`timeline::why::held_back`), never guessed from the dates.

use chrono::NaiveDate;

use super::changes::PlanChanges;
use super::diff::{Located, Plans, SiteMove};
use super::joined::Joined;
use crate::network::Network;
use crate::plan::{Phase, Plan, SiteIx};
use crate::timeline::why::{held_back, Held};
use crate::timeline::{LateCategory, Status, Timeline};
use crate::words::{self, capitalise, join_and};

/// Fills `why` of every site that is scheduled in both timelines and
/// moved (each of which has a row in both, paired in `joined`).
pub(super) fn explain(
    sites: &mut [Located],
    old: &Timeline,
    new: &Timeline,
    plans: Plans<'_>,
    changes: &PlanChanges,
    joined: &Joined,
) {
    // (index into `sites`, earlier row, later row) of each moved site.
    let moved: Vec<(usize, usize, usize)> = sites
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            matches!(
                s.change.change,
                SiteMove::Moved | SiteMove::NewlyLate | SiteMove::NewlyOnTime
            )
        })
        .filter_map(|(i, s)| Some((i, s.old?, s.new?)))
        .collect();
    let in_new: Vec<Option<SiteIx>> = moved.iter().map(|m| joined.new_in_plan[m.2]).collect();
    let in_old: Vec<Option<SiteIx>> = moved.iter().map(|m| joined.old_in_plan[m.1]).collect();
    // Both schedules are measured from the later status date: before it,
    // the later timeline holds history, not waits.
    let since = new.status_date;
    let now = held(new, plans.new, plans.new_network, &in_new, since);
    let before = held(old, plans.old, None, &in_old, since);
    // The plan's own changes of each later site row.
    let mut own: Vec<Option<&Vec<String>>> = vec![None; new.sites.len()];
    for s in &changes.sites {
        own[s.row] = Some(&s.changes);
    }
    let tasks = site_tasks(new, &joined.rows.new_task_site);
    let mut whys = Vec::with_capacity(moved.len());
    for (k, &(i, _, ni)) in moved.iter().enumerate() {
        let c = &sites[i].change;
        let mut parts: Vec<String> = own[ni].map_or(Vec::new(), |v| v.to_vec());
        parts.extend(progress_at(old, new, &tasks[ni], joined));
        let (b, n) = (before[k].as_ref(), now[k].as_ref());
        if let (Some(b), Some(n)) = (b, n) {
            parts.extend(wait_changes(b, n, c.days_moved.unwrap_or(0)));
        }
        let told = match n {
            Some(n) if !n.told.is_empty() => format!("now: {}", crate::words::lower_first(&n.told)),
            Some(_) => "now: nothing holds it but its own work".into(),
            None => match &c.reason {
                Some(r) => format!("now: {}", crate::words::lower_first(r)),
                None if plans.new.is_none() => {
                    "what holds it now is told when the plan is given (--new-plan)".into()
                }
                None => String::new(),
            },
        };
        if !told.is_empty() {
            parts.push(told);
        }
        whys.push(capitalise(&parts.join("; ")));
    }
    for (&(i, _, _), why) in moved.iter().zip(whys) {
        sites[i].change.why = Some(why);
    }
}

/// Each site row's task rows, from each task row's site row.
fn site_tasks(t: &Timeline, task_site: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); t.sites.len()];
    for (task, site) in task_site.iter().enumerate() {
        if let Some(s) = site {
            out[*s].push(task);
        }
    }
    out
}

/// What held each of `sites` (the plan's sites, where in it) back in `t`
/// (scheduled sites only), in their order, when the plan of `t` is given
/// and `t` is a schedule of it. The plan's network is built only when the
/// caller does not have it already (`built`).
fn held(
    t: &Timeline,
    plan: Option<&Plan>,
    built: Option<&Network>,
    sites: &[Option<SiteIx>],
    since: Option<NaiveDate>,
) -> Vec<Option<Held>> {
    let none = || vec![None; sites.len()];
    let Some(plan) = plan else {
        return none();
    };
    let made;
    let net = match built {
        Some(net) => net,
        None => match crate::network::build(plan) {
            Ok(net) => {
                made = net;
                &made
            }
            Err(_) => return none(),
        },
    };
    let which: Vec<SiteIx> = sites.iter().flatten().copied().collect();
    let mut held = held_back(plan, net, &t.tasks, &t.sites, &which, since).into_iter();
    sites
        .iter()
        .map(|s| s.and_then(|_| held.next().flatten()))
        .collect()
}

/// Waits that grew (for a site that slipped) or shrank (for one that
/// gained) by 3 days or more: `waits for money 120 days longer`, largest
/// change first. Changes against the move are not what moved it.
fn wait_changes(before: &Held, now: &Held, moved: i64) -> Vec<String> {
    let mut deltas: Vec<(i64, LateCategory)> = LateCategory::ALL
        .iter()
        .map(|&c| (now.days_of(c) - before.days_of(c), c))
        .filter(|(d, _)| d.abs() >= 3 && d.signum() == moved.signum())
        .collect();
    deltas.sort_by_key(|d| std::cmp::Reverse(d.0.abs()));
    let parts: Vec<String> = deltas
        .into_iter()
        .map(|(d, c)| {
            let dir = if d > 0 { "longer" } else { "shorter" };
            format!(
                "{} {} {dir}",
                wait_noun(c),
                words::count(d.unsigned_abs(), "day", "days")
            )
        })
        .collect();
    if parts.is_empty() {
        Vec::new()
    } else {
        vec![join_and(&parts)]
    }
}

fn wait_noun(c: LateCategory) -> &'static str {
    match c {
        LateCategory::Funding => "waits for money",
        LateCategory::Supply => "lead times",
        LateCategory::Crews => "waits for crews",
        LateCategory::Access => "waits for access",
        LateCategory::Dependency => "waits for other sites' work",
        LateCategory::Progress => "work under way",
    }
}

/// The site's tasks (the later timeline's task rows `tasks`) whose
/// reported progress differs from the plan they had: `procurement under
/// way, finishing 3 Jul 2026 instead of 5 Mar 2026`; `the survey was due
/// 5 Jul 2022, no progress reported`.
fn progress_at(old: &Timeline, new: &Timeline, tasks: &[usize], joined: &Joined) -> Vec<String> {
    let mut out = Vec::new();
    let mut unreported: Vec<(String, Option<NaiveDate>)> = Vec::new();
    for &t in tasks {
        let n = &new.tasks[t];
        // The earlier timeline's row of the task, at the same site.
        let Some(o) = joined.rows.tasks.old[t]
            .map(|o| &old.tasks[o])
            .filter(|o| o.site == n.site)
        else {
            continue;
        };
        let what = phase_words(n.phase, n.package);
        match n.status {
            Status::Done | Status::InProgress if n.finish != o.finish => {
                let state = if n.status == Status::Done {
                    "reported done"
                } else {
                    "reported under way, due to finish"
                };
                out.push(format!(
                    "{what} {state} {} (the baseline had {})",
                    date(n.finish),
                    date(o.finish)
                ));
            }
            Status::Planned | Status::Unscheduled
                if matches!(o.status, Status::Planned | Status::InProgress)
                    && new
                        .status_date
                        .is_some_and(|s| o.start.is_some_and(|d| d <= s)) =>
            {
                unreported.push((what, o.start));
            }
            _ => {}
        }
    }
    match unreported.as_slice() {
        [] => {}
        [(what, due)] => out.push(format!(
            "{what} was due to start {}, no progress reported",
            date(*due)
        )),
        [(what, due), rest @ ..] => out.push(format!(
            "{what} (due {}) and {} later tasks were due by the status date, no progress reported",
            date(*due),
            rest.len()
        )),
    }
    out
}

fn date(d: Option<NaiveDate>) -> String {
    words::opt_date(d)
}

fn phase_words(phase: Phase, package: Option<u32>) -> String {
    let p = phase.words();
    match package {
        Some(k) => format!("{p} (package {k})"),
        None => p.to_string(),
    }
}
