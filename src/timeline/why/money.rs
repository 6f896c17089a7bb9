//! Money waits told as what happened to the money: which budget period ran
//! short, by when its money was committed and to which less urgent sites,
//! and when money came again. A reason a funder can check against the
//! budget, rather than "had 527 left, 880 needed".

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{Sched, Shortfall};
use crate::plan::{BudgetPeriod, SiteIx};
use crate::units::Money;
use crate::words;

impl Sched<'_> {
    /// "FY 2026/27's £1.90m was committed by 14 Oct 2026, £779k of it to 19
    /// tier T3/T4 sites (1 earlier period was short too), and money came
    /// next from 1 Apr 2027 (FY 2027/28)". The last short period is told:
    /// the one the site waited on last, before money came.
    pub(super) fn money_words(&self, short: &[Shortfall], late: SiteIx) -> String {
        let periods = self.periods();
        let mut short = short.to_vec();
        short.sort_by_key(|s| s.period.and_then(|p| periods.get(p)).map(|p| p.from));
        let Some(last) = short.last() else {
            return String::new();
        };
        let mut text = self.period_story(last, late);
        let more = short.len() - 1;
        if more > 0 {
            let (noun, verb) = if more == 1 {
                ("period", "was")
            } else {
                ("periods", "were")
            };
            text.push_str(&format!(" ({more} earlier {noun} {verb} short too)"));
        }
        let last_short = short.iter().filter_map(|s| s.period).max();
        let funded = short.iter().filter_map(|s| s.funded).max();
        if let Some(f) = funded.filter(|&f| Some(f) > last_short) {
            let p = &periods[f];
            let name = words::period(p.from, p.to);
            let when = words::date(p.from);
            text.push_str(&if name.starts_with("FY") {
                format!(", and money came next from {when} ({name})")
            } else {
                format!(", and money came next from {when}")
            });
        }
        text
    }

    fn periods(&self) -> &[BudgetPeriod] {
        self.plan
            .budget
            .as_ref()
            .map(|b| &b.periods[..])
            .unwrap_or(&[])
    }

    /// One short period: its amount, when it was all committed and how much
    /// of it went to sites no more urgent than the late one.
    fn period_story(&self, s: &Shortfall, late: SiteIx) -> String {
        let cur = &self.plan.currency;
        let Some((ix, p)) = s.period.and_then(|i| Some((i, self.periods().get(i)?))) else {
            return format!(
                "no budget period was open to fund {}",
                words::money_short(s.needed, cur)
            );
        };
        let name = words::period(p.from, p.to);
        let amount = words::money_short(p.amount, cur);
        let money = if name.starts_with("FY") {
            format!("{name}'s {amount}")
        } else {
            format!("the {amount} budgeted for {name}")
        };
        if p.amount < s.needed {
            return format!(
                "{money} is less than the {} needed",
                words::money_short(s.needed, cur)
            );
        }
        let Some(by) = self.committed_by(ix, p.amount, s) else {
            // Short only through carry-over: later periods had spent ahead.
            return format!(
                "{name} had {} left once later periods drew on it, {} needed",
                words::money_short(s.left, cur),
                words::money_short(s.needed, cur)
            );
        };
        format!(
            "{money} was committed by {} ({} left, {} needed), {}",
            words::date(by),
            words::money_short(s.left.max(Money::ZERO), cur),
            words::money_short(s.needed, cur),
            self.went_to(ix, s.task, late)
        )
    }

    /// The day by which the period's other commitments left less than the
    /// task needed.
    fn committed_by(&self, period: usize, amount: Money, s: &Shortfall) -> Option<NaiveDate> {
        let spend = &self.budget.as_ref()?.spend[period];
        let mut left = amount;
        for &(day, cost, t) in spend {
            if t == s.task {
                continue;
            }
            left -= cost;
            if left < s.needed {
                return Some(day);
            }
        }
        None
    }

    /// "£779k of it to 19 tier T3/T4 sites", the sites of the late site's
    /// tier or a lower one (other than itself), or "none of it to …".
    fn went_to(&self, period: usize, task: usize, late: SiteIx) -> String {
        let Some(b) = self.budget.as_ref() else {
            return String::new();
        };
        let tier = |s: SiteIx| self.plan.sites[s.ix()].tier;
        let mut money = Money::ZERO;
        let mut sites = BTreeSet::new();
        let mut tiers = BTreeSet::new();
        for &(_, cost, t) in &b.spend[period] {
            let s = self.site_of(t);
            if t != task && s != late && tier(s) >= tier(late) {
                money += cost;
                sites.insert(s);
                tiers.insert(tier(s));
            }
        }
        if sites.is_empty() {
            return "none of it to sites less urgent than this one".into();
        }
        let ids: Vec<String> = tiers
            .iter()
            .map(|t| self.plan.tiers[t.ix()].id.clone())
            .collect();
        let label = if ids.iter().all(|i| i.to_lowercase().starts_with("tier")) {
            ids.join("/")
        } else {
            format!("tier {}", ids.join("/"))
        };
        let label = if tiers.len() == 1 && tiers.contains(&tier(late)) {
            format!("other {label}")
        } else {
            label
        };
        let noun = if sites.len() == 1 { "site" } else { "sites" };
        format!(
            "{} of it to {} {label} {noun}",
            words::money_short(money, &self.plan.currency),
            words::int(sites.len() as u64)
        )
    }
}
