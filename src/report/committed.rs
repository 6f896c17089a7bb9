//! Variance against the committed timeline, from two timelines alone: per
//! site (start, removal complete, cost), then rolled up by owner and by
//! tier. `diff` and `replan` append it to what moved since the last
//! re-plan; `status` shows the per-site rows.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt::Write;

use super::doc::{Block, Section, Table};
use super::escape::md;
use crate::plan::Plan;
use crate::timeline::{by_site_id, Status, TaskRow, Timeline};
use crate::units::Money;
use crate::words;

/// One site against the committed timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteVariance {
    pub site: String,
    pub owner: Option<String>,
    pub tier: String,
    pub committed_start: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub committed: Option<NaiveDate>,
    pub forecast: Option<NaiveDate>,
    /// Forecast − committed removal complete, in days (None: unscheduled).
    pub slip: Option<i64>,
    pub committed_cost: Money,
    pub cost: Money,
}

/// Every site of `now` that `committed` also has, in `now`'s order.
pub fn site_variance(now: &Timeline, committed: &Timeline) -> Vec<SiteVariance> {
    /// A site's first start and its cost, over its tasks that are not
    /// unscheduled.
    fn facts(tasks: &[&TaskRow]) -> (Option<NaiveDate>, Money) {
        let mut e: (Option<NaiveDate>, Money) = (None, Money::ZERO);
        for r in tasks.iter().filter(|r| r.status != Status::Unscheduled) {
            e.0 = match (e.0, r.start) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            e.1 += r.cost.and_then(Money::from_f64).unwrap_or(Money::ZERO);
        }
        e
    }
    let (f_now, com) = (by_site_id(now), by_site_id(committed));
    now.sites
        .iter()
        .filter_map(|s| {
            let c_rc = com.site(&s.id)?.removal_complete;
            let (start, cost) = facts(f_now.site_tasks(&s.id));
            let (c_start, c_cost) = facts(com.site_tasks(&s.id));
            let slip = match (s.removal_complete, c_rc) {
                (Some(f), Some(c)) => Some((f - c).num_days()),
                (None, Some(_)) => None,
                _ => Some(0),
            };
            Some(SiteVariance {
                site: s.id.clone(),
                owner: s.owner.clone(),
                tier: s.tier.clone(),
                committed_start: c_start,
                start,
                committed: c_rc,
                forecast: s.removal_complete,
                slip,
                committed_cost: c_cost,
                cost,
            })
        })
        .collect()
}

/// Sites later than committed, their days later, and the cost variance.
#[derive(Default)]
struct Roll {
    sites: u64,
    later: u64,
    undated: u64,
    days: i64,
    committed_cost: Money,
    cost: Money,
}

/// The sites of `v` rolled up by `key`, in key order.
fn roll(v: &[SiteVariance], key: impl Fn(&SiteVariance) -> String) -> BTreeMap<String, Roll> {
    let mut by: BTreeMap<String, Roll> = BTreeMap::new();
    for s in v {
        let r = by.entry(key(s)).or_default();
        r.sites += 1;
        match s.slip {
            None => r.undated += 1,
            Some(d) if d > 0 => {
                r.later += 1;
                r.days += d;
            }
            _ => {}
        }
        r.committed_cost += s.committed_cost;
        r.cost += s.cost;
    }
    by
}

/// The roll-ups shown: by owner (when sites have owners), then by tier.
fn roll_ups(v: &[SiteVariance]) -> Vec<(&'static str, BTreeMap<String, Roll>)> {
    let mut out = Vec::new();
    if v.iter().any(|s| s.owner.is_some()) {
        out.push((
            "owner",
            roll(v, |s| s.owner.clone().unwrap_or_else(|| "(none)".into())),
        ));
    }
    out.push(("tier", roll(v, |s| s.tier.clone())));
    out
}

/// Sites whose start, removal complete or cost moved.
fn moved(v: &[SiteVariance]) -> Vec<&SiteVariance> {
    v.iter()
        .filter(|s| s.slip != Some(0) || s.start != s.committed_start || s.cost != s.committed_cost)
        .collect()
}

const ROLL_HEAD: [&str; 7] = [
    "sites",
    "later than committed",
    "with no date",
    "days later (sum)",
    "cost committed",
    "cost now",
    "variance",
];

const SITE_HEAD: [&str; 10] = [
    "site",
    "owner",
    "tier",
    "start committed",
    "start now",
    "removal committed",
    "removal now",
    "days",
    "cost committed",
    "cost now",
];

fn roll_cells(k: &str, r: &Roll, currency: &str) -> Vec<String> {
    vec![
        k.to_string(),
        words::int(r.sites),
        words::int(r.later),
        words::int(r.undated),
        words::signed(r.days),
        words::money(r.committed_cost, currency),
        words::money(r.cost, currency),
        words::money(r.cost - r.committed_cost, currency),
    ]
}

/// The sites' table against the committed timeline under `head` (ten
/// columns, the last three figures), a site later than committed or with
/// no date marked late. The report and the status report both show it.
pub fn site_table<'a>(
    head: &[&str],
    sites: impl IntoIterator<Item = &'a SiteVariance>,
    currency: &str,
) -> Table {
    let mut t = Table::new(
        head,
        &[
            false, false, false, false, false, false, false, true, true, true,
        ],
    );
    for s in sites {
        t.push(site_cells(s, currency), s.slip.is_none_or(|d| d > 0));
    }
    t
}

fn site_cells(s: &SiteVariance, currency: &str) -> Vec<String> {
    vec![
        s.site.clone(),
        s.owner.clone().unwrap_or_else(|| "–".into()),
        s.tier.clone(),
        words::opt_date(s.committed_start),
        words::opt_date(s.start),
        words::opt_date(s.committed),
        words::opt_date(s.forecast),
        s.slip
            .map(words::signed)
            .unwrap_or_else(|| "no date".into()),
        words::money(s.committed_cost, currency),
        words::money(s.cost, currency),
    ]
}

/// A roll-up's rows in the plan's order of owners or tiers, owners by
/// name with their ID (the spreadsheet's key), as the other reports show them.
fn in_plan_order(plan: &Plan, what: &str, mut by: BTreeMap<String, Roll>) -> Vec<(String, Roll)> {
    let keys: Vec<(String, String)> = if what == "owner" {
        plan.owners
            .iter()
            .map(|o| {
                let label = match &o.name {
                    Some(n) => format!("{n} ({})", o.id),
                    None => o.id.clone(),
                };
                (o.id.clone(), label)
            })
            .collect()
    } else {
        plan.tiers
            .iter()
            .map(|t| (t.id.clone(), t.id.clone()))
            .collect()
    };
    let mut out: Vec<(String, Roll)> = keys
        .into_iter()
        .filter_map(|(k, label)| by.remove(&k).map(|r| (label, r)))
        .collect();
    // Anything the plan does not name ("(none)") last.
    out.extend(by);
    out
}

const ABOUT: &str = "The timeline the programme committed to, which re-plans never replace (the baseline is only the last re-plan).";

/// The variance as a Markdown section (`## Against the committed timeline`).
pub fn markdown(now: &Timeline, committed: &Timeline, currency: &str) -> String {
    let v = site_variance(now, committed);
    let mut out = String::new();
    let _ = writeln!(out, "## Against the committed timeline\n");
    let _ = writeln!(out, "{ABOUT}\n");
    let row = |out: &mut String, cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|c| md(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    };
    for (what, by) in roll_ups(&v) {
        let _ = writeln!(out, "| {what} | {} |", ROLL_HEAD.join(" | "));
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
        for (k, r) in &by {
            row(&mut out, roll_cells(k, r, currency));
        }
        out.push('\n');
    }
    let moved = moved(&v);
    if moved.is_empty() {
        let _ = writeln!(out, "No site moved against the committed timeline.\n");
        return out;
    }
    let _ = writeln!(out, "| {} |", SITE_HEAD.join(" | "));
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---:|---:|---:|");
    for s in moved {
        row(&mut out, site_cells(s, currency));
    }
    out.push('\n');
    out
}

/// The same variance as a report section (`report.md` and `report.html`
/// with `--committed`): the roll-ups, then the sites that moved, latest
/// first.
pub fn section(plan: &Plan, now: &Timeline, committed: &Timeline) -> Section {
    let currency = &plan.currency;
    let v = site_variance(now, committed);
    let mut blocks = vec![Block::Para(ABOUT.into())];
    for (what, by) in roll_ups(&v) {
        let mut head = vec![crate::words::capitalise(what)];
        head.extend(ROLL_HEAD.iter().map(|h| h.to_string()));
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        let mut t = Table::new(&head, &[false, true, true, true, true, true, true, true]);
        for (k, r) in in_plan_order(plan, what, by) {
            t.push(roll_cells(&k, &r, currency), r.later + r.undated > 0);
        }
        blocks.push(Block::Table(t));
    }
    let mut moved = moved(&v);
    if moved.is_empty() {
        blocks.push(Block::Para(
            "No site moved against the committed timeline.".into(),
        ));
    } else {
        // Latest first; sites with no date before all.
        moved.sort_by_key(|s| std::cmp::Reverse(s.slip.unwrap_or(i64::MAX)));
        let head: Vec<String> = SITE_HEAD
            .iter()
            .map(|h| crate::words::capitalise(h))
            .collect();
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        blocks.push(Block::Table(site_table(&head, moved, currency)));
    }
    Section {
        title: "Against the committed timeline".into(),
        blocks,
    }
}
