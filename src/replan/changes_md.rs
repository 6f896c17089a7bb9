//! "What changed in the plan", the first section of `diff.md`: the
//! changes a manager made (or that happened to the programme), before
//! what they did to the timeline.

use std::fmt::Write;

use super::changes::{Altered, PlanChanges};
use super::diff::Change;
use crate::report::escape::{md, md_code};
use crate::words;
use crate::words::money_exact_f64 as money;

/// Site rows shown before the rest are counted (diff.json lists them all).
const SITES_SHOWN: usize = 40;

pub fn plan_changes(out: &mut String, c: &PlanChanges) {
    out.push_str("## What changed in the plan\n\n");
    let mut told = false;
    told |= progress(out, c);
    told |= budget(out, c);
    told |= sites(out, c);
    told |= altered(out, "Crews", &c.crews);
    told |= altered(out, "Deadlines", &c.deadlines);
    told |= altered(out, "Device types", &c.device_types);
    if !told {
        out.push_str(if c.plans_compared {
            "Nothing in the plan changed: no budget, device, crew, deadline or progress.\n\n"
        } else {
            "No device count, site deadline or progress changed.\n\n"
        });
    }
    if !c.plans_compared {
        out.push_str(
            "Budget periods, crews, device types and tier deadlines are compared when both \
             plans are given (`diff --old-plan PLAN --new-plan PLAN`, `replan --baseline-plan \
             PLAN`).\n\n",
        );
    }
}

fn progress(out: &mut String, c: &PlanChanges) -> bool {
    let same = c.status_date.before == c.status_date.after
        && c.tasks_done.before == c.tasks_done.after
        && c.tasks_in_progress.before == c.tasks_in_progress.after;
    if same {
        return false;
    }
    let as_of = match c.status_date {
        Change {
            before: Some(b),
            after: Some(a),
        } if a != b => format!("as of {a} (was {b})"),
        Change { after: Some(a), .. } => format!("as of {a}"),
        Change { after: None, .. } => "none now".into(),
    };
    let _ = writeln!(
        out,
        "- **Progress reported** {as_of}: {} tasks done and {} under way (before: {} and {}).\n",
        words::int(c.tasks_done.after),
        words::int(c.tasks_in_progress.after),
        words::int(c.tasks_done.before),
        words::int(c.tasks_in_progress.before)
    );
    true
}

fn amount(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), money)
}

fn budget(out: &mut String, c: &PlanChanges) -> bool {
    if c.budget.is_empty() && c.budget_total.is_none() {
        return false;
    }
    let total = match c.budget_total {
        Some(t) => format!(
            ": {} in all, was {} ({})",
            money(t.after),
            money(t.before),
            signed_money(t.after - t.before)
        ),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "- **Budget**{total}. Periods changed ({}):\n\n  | period | before | after | change |\n  |---|---|---|---|",
        c.budget.len()
    );
    for p in &c.budget {
        let change = signed_money(p.after.unwrap_or(0.0) - p.before.unwrap_or(0.0));
        let _ = writeln!(
            out,
            "  | {} | {} | {} | {change} |",
            md(&p.label),
            amount(p.before),
            amount(p.after)
        );
    }
    out.push('\n');
    true
}

fn signed_money(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", money(v))
    } else if v == 0.0 {
        "no change".into()
    } else {
        money(v)
    }
}

fn sites(out: &mut String, c: &PlanChanges) -> bool {
    let mut told = false;
    if !c.sites.is_empty() {
        let devices = if c.devices.before != c.devices.after {
            format!(
                "; devices over all sites {} → {}",
                words::int(c.devices.before),
                words::int(c.devices.after)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "- **Sites changed** ({}){devices}:\n\n  | site | tier | what changed |\n  |---|---|---|",
            c.sites.len()
        );
        for s in c.sites.iter().take(SITES_SHOWN) {
            let _ = writeln!(
                out,
                "  | {} | {} | {} |",
                md_code(&s.id),
                md(&s.tier),
                md(&s.changes.join("; "))
            );
        }
        if c.sites.len() > SITES_SHOWN {
            let _ = writeln!(
                out,
                "\n  … and {} more (diff.json lists every one).",
                c.sites.len() - SITES_SHOWN
            );
        }
        out.push('\n');
        told = true;
    }
    for (ids, what) in [
        (&c.sites_added, "Sites added"),
        (&c.sites_removed, "Sites removed"),
    ] {
        if ids.is_empty() {
            continue;
        }
        let shown: Vec<String> = ids.iter().take(SITES_SHOWN).map(|i| md_code(i)).collect();
        let more = ids.len().saturating_sub(SITES_SHOWN);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "- **{what}** ({}): {}{more}.\n",
            ids.len(),
            shown.join(", ")
        );
        told = true;
    }
    told
}

fn altered(out: &mut String, heading: &str, items: &[Altered]) -> bool {
    if items.is_empty() {
        return false;
    }
    let _ = writeln!(out, "- **{heading}** ({}):", items.len());
    for a in items {
        let line = match (&a.before, &a.after) {
            (None, Some(n)) => format!("{}: added ({})", md(&a.what), md(n)),
            (Some(b), None) => format!("{}: removed (was {})", md(&a.what), md(b)),
            (Some(b), Some(n)) => format!("{}: {} → {}", md(&a.what), md(b), md(n)),
            (None, None) => md(&a.what),
        };
        let _ = writeln!(out, "  - {line}");
    }
    out.push('\n');
    true
}
