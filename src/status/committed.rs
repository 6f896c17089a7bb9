//! Variance against the committed timeline, from two timelines alone: per
//! site (start, removal complete, cost), then rolled up by owner and by
//! tier. `diff` and `replan` append it to what moved since the last
//! re-plan; `status` shows the per-site rows.

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::figures::SiteVariance;
use crate::report::escape::md;
use crate::timeline::{Status, Timeline};
use crate::units::Money;
use crate::words;

/// Every site of `now` that `committed` also has, in `now`'s order.
pub fn site_variance(now: &Timeline, committed: &Timeline) -> Vec<SiteVariance> {
    fn facts(t: &Timeline) -> HashMap<&str, (Option<NaiveDate>, Money)> {
        let mut by: HashMap<&str, (Option<NaiveDate>, Money)> = HashMap::new();
        for r in t.tasks.iter().filter(|r| r.status != Status::Unscheduled) {
            let e = by.entry(r.site.as_str()).or_insert((None, Money::ZERO));
            e.0 = match (e.0, r.start) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            e.1 += r.cost.and_then(Money::from_f64).unwrap_or(Money::ZERO);
        }
        by
    }
    let (f_now, f_com) = (facts(now), facts(committed));
    let rows: HashMap<&str, Option<NaiveDate>> = committed
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.removal_complete))
        .collect();
    let none = (None, Money::ZERO);
    now.sites
        .iter()
        .filter_map(|s| {
            let c_rc = *rows.get(s.id.as_str())?;
            let (start, cost) = f_now.get(s.id.as_str()).copied().unwrap_or(none);
            let (c_start, c_cost) = f_com.get(s.id.as_str()).copied().unwrap_or(none);
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

/// The variance as a Markdown section (`## Against the committed timeline`).
pub fn markdown(now: &Timeline, committed: &Timeline, currency: &str) -> String {
    let v = site_variance(now, committed);
    let mut out = String::new();
    let _ = writeln!(out, "## Against the committed timeline\n");
    let _ = writeln!(
        out,
        "The timeline the programme committed to, which re-plans never replace (the baseline is only the last re-plan).\n"
    );
    let roll = |key: &dyn Fn(&SiteVariance) -> String| {
        let mut by: BTreeMap<String, Roll> = BTreeMap::new();
        for s in &v {
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
    };
    let table = |out: &mut String, what: &str, by: BTreeMap<String, Roll>| {
        let _ = writeln!(
            out,
            "| {what} | sites | later than committed | with no date | days later (sum) | cost committed | cost now | variance |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
        for (k, r) in by {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md(&k),
                r.sites,
                r.later,
                r.undated,
                words::signed(r.days),
                words::money(r.committed_cost, currency),
                words::money(r.cost, currency),
                words::money(r.cost - r.committed_cost, currency)
            );
        }
        out.push('\n');
    };
    if v.iter().any(|s| s.owner.is_some()) {
        table(
            &mut out,
            "owner",
            roll(&|s| s.owner.clone().unwrap_or_else(|| "(none)".into())),
        );
    }
    table(&mut out, "tier", roll(&|s| s.tier.clone()));
    let moved: Vec<&SiteVariance> = v
        .iter()
        .filter(|s| s.slip != Some(0) || s.start != s.committed_start || s.cost != s.committed_cost)
        .collect();
    if moved.is_empty() {
        let _ = writeln!(out, "No site moved against the committed timeline.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "| site | owner | tier | start committed | start now | removal committed | removal now | days | cost committed | cost now |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---:|---:|---:|");
    for s in moved {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&s.site),
            md(s.owner.as_deref().unwrap_or("–")),
            md(&s.tier),
            words::opt_date(s.committed_start),
            words::opt_date(s.start),
            words::opt_date(s.committed),
            words::opt_date(s.forecast),
            s.slip
                .map(words::signed)
                .unwrap_or_else(|| "no date".into()),
            words::money(s.committed_cost, currency),
            words::money(s.cost, currency)
        );
    }
    out.push('\n');
    out
}
