//! The diff as Markdown for a programme manager: the headline figures, then
//! the sites that need attention, most important first, then money and work
//! that gained or lost a date.

use chrono::NaiveDate;
use std::fmt::Write;

use super::diff::{Change, Diff, SiteChange, SiteMove};
// Every text here comes from a timeline or plan file (which may be
// hostile): it goes through `md`, IDs through `md_code`.
use crate::report::escape::{md, md_code};
use crate::words::money_exact_f64 as money;

/// `diff.md`, and what `diff` prints.
pub fn diff_markdown(d: &Diff, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# What changed: {}\n", md(title));
    if d.old_status_date.is_some() || d.new_status_date.is_some() {
        let _ = writeln!(
            out,
            "Status date: {} → {}\n",
            date(d.old_status_date),
            date(d.new_status_date)
        );
    }
    super::changes_md::plan_changes(&mut out, &d.plan_changes);
    if let Some(j) = &d.verdict {
        let because = if j.because.is_empty() {
            String::new()
        } else {
            format!(": {}", md(&j.because))
        };
        let _ = writeln!(
            out,
            "**By the plan's objective ({}), the new timeline is {}{because}.**\n",
            md(&j.objective),
            verdict_words(&j.verdict)
        );
    }
    summary(&mut out, d);
    due_unreported(&mut out, d);
    sites(&mut out, d);
    tasks(&mut out, d);
    costs(&mut out, d);
    out
}

/// "better", "worse", "no better and no worse".
pub fn verdict_words(v: &str) -> String {
    match v {
        "same" => "no better and no worse".into(),
        other => md(other),
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "none".into(), |d| d.to_string())
}

/// `+12 days`, `-3 days`, `no change`.
pub fn days(n: Option<i64>) -> String {
    match n {
        None => "—".into(),
        Some(0) => "no change".into(),
        Some(1) => "+1 day".into(),
        Some(-1) => "-1 day".into(),
        Some(n) if n > 0 => format!("+{n} days"),
        Some(n) => format!("{n} days"),
    }
}

fn signed(n: f64, f: impl Fn(f64) -> String) -> String {
    if n > 0.0 {
        format!("+{}", f(n))
    } else if n == 0.0 {
        "no change".into()
    } else {
        f(n)
    }
}

fn count_row(out: &mut String, label: &str, c: Change<u64>) {
    let delta = c.after as i64 - c.before as i64;
    let change = match delta {
        0 => "no change".to_string(),
        d if d > 0 => format!("+{d}"),
        d => d.to_string(),
    };
    let _ = writeln!(out, "| {label} | {} | {} | {change} |", c.before, c.after);
}

fn summary(out: &mut String, d: &Diff) {
    let s = &d.summary;
    out.push_str("## Summary\n\n| | before | after | change |\n|---|---|---|---|\n");
    let _ = writeln!(
        out,
        "| Removal complete (all sites) | {} | {} | {} |",
        date(s.removal_complete.before),
        date(s.removal_complete.after),
        days(s.removal_complete_days)
    );
    let _ = writeln!(
        out,
        "| Last task finishes | {} | {} | {} |",
        date(s.finish.before),
        date(s.finish.after),
        days(s.finish_days)
    );
    count_row(out, "Devices unscheduled", s.devices_unscheduled);
    count_row(out, "Sites unscheduled", s.sites_unscheduled);
    count_row(out, "Sites late", s.sites_late);
    let e = s.exposure;
    let pct = if e.before > 0.0 {
        format!(" ({})", crate::words::percent_change(e.before, e.after))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "| Exposure (device-days × tier weight) | {} | {} | {}{pct} |",
        money(e.before),
        money(e.after),
        signed(e.after - e.before, money)
    );
    let c = s.total_cost;
    let _ = writeln!(
        out,
        "| Total cost | {} | {} | {} |",
        money(c.before),
        money(c.after),
        signed(c.after - c.before, money)
    );
    let _ = writeln!(
        out,
        "\nTasks scheduled in both: {} kept their start and crew, {} moved.\n",
        d.tasks_kept, d.tasks_moved
    );
}

/// Baseline work due by the status date with no progress reported: said,
/// never silently taken as not started.
fn due_unreported(out: &mut String, d: &Diff) {
    if d.due_unreported.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## Due by the status date, no progress reported ({})\n\n\
         The baseline had these tasks starting by the status date {}, but no progress was \
         reported for them, so they are re-planned as not started. If any did start, report it \
         in the progress file and re-plan.\n\n| task | was due to start | now starts |\n|---|---|---|",
        d.due_unreported.len(),
        date(d.new_status_date)
    );
    for t in &d.due_unreported {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md_code(&t.id),
            t.was_due,
            date(t.now)
        );
    }
    out.push('\n');
}

fn site_label(c: &SiteChange) -> String {
    match &c.name {
        Some(n) => format!("{} {}", md_code(&c.id), md(n)),
        None => md_code(&c.id),
    }
}

fn sites(out: &mut String, d: &Diff) {
    let groups: [(SiteMove, &str, &str); 6] = [
        (
            SiteMove::NewlyUnscheduled,
            "Sites that lost their removal date",
            "Their removal can no longer be scheduled; see the work newly unscheduled below for why.",
        ),
        (
            SiteMove::NewlyLate,
            "Sites newly late",
            "Removal complete now falls after the site's deadline.",
        ),
        (
            SiteMove::NewlyOnTime,
            "Sites newly on time",
            "Removal complete now meets the site's deadline.",
        ),
        (
            SiteMove::NewlyScheduled,
            "Sites that gained a removal date",
            "",
        ),
        (SiteMove::Added, "Sites added", ""),
        (SiteMove::Removed, "Sites removed", ""),
    ];
    for (kind, heading, note) in groups {
        let rows: Vec<&SiteChange> = d.sites.iter().filter(|c| c.change == kind).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {heading} ({})\n", rows.len());
        if !note.is_empty() {
            let _ = writeln!(out, "{note}\n");
        }
        site_table(out, &rows);
    }
    let moved: Vec<&SiteChange> = d
        .sites
        .iter()
        .filter(|c| c.change == SiteMove::Moved)
        .collect();
    let _ = writeln!(out, "## Sites whose removal moved ({})\n", moved.len());
    if moved.is_empty() {
        out.push_str("No other site's removal complete day moved.\n\n");
    } else {
        out.push_str(
            "Most important first: by tier, then the biggest slips, then the biggest gains.\n\n",
        );
        site_table(out, &moved);
    }
}

fn site_table(out: &mut String, rows: &[&SiteChange]) {
    out.push_str(
        "| site | tier | removal complete before | after | moved | deadline | late by | why |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for c in rows {
        let late = match c.late_days {
            Some(n) if n > 0 => format!("{n} days"),
            Some(_) => "on time".into(),
            None => "—".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            site_label(c),
            md(&c.tier),
            date(c.removal_complete.before),
            date(c.removal_complete.after),
            days(c.days_moved),
            date(c.deadline),
            late,
            md(c.why.as_deref().or(c.reason.as_deref()).unwrap_or(""))
        );
    }
    out.push('\n');
}

fn tasks(out: &mut String, d: &Diff) {
    for (rows, heading, when) in [
        (
            &d.newly_unscheduled,
            "Work newly unscheduled",
            "was due to start",
        ),
        (&d.newly_scheduled, "Work newly scheduled", "now starts"),
    ] {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {heading} ({})\n", rows.len());
        let _ = writeln!(
            out,
            "| task | tier | devices | {when} | reason |\n|---|---|---|---|---|"
        );
        for t in rows.iter() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md_code(&t.id),
                md(&t.tier),
                t.devices,
                date(t.start),
                md(t.reason.as_deref().unwrap_or(""))
            );
        }
        out.push('\n');
    }
}

fn costs(out: &mut String, d: &Diff) {
    if d.cost_by_period.is_empty() {
        return;
    }
    out.push_str("## Cost committed per budget period\n\n");
    let with_budget = d.cost_by_period.iter().any(|p| p.available.is_some());
    if with_budget {
        out.push_str("| period | available | before | after | change |\n|---|---|---|---|---|\n");
    } else {
        out.push_str("| financial year | before | after | change |\n|---|---|---|---|\n");
    }
    for p in &d.cost_by_period {
        let change = signed(p.after - p.before, money);
        if with_budget {
            let avail = p.available.map_or_else(|| "—".into(), money);
            let _ = writeln!(
                out,
                "| {} | {avail} | {} | {} | {change} |",
                md(&p.label),
                money(p.before),
                money(p.after)
            );
        } else {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {change} |",
                md(&p.label),
                money(p.before),
                money(p.after)
            );
        }
    }
    out.push('\n');
}
