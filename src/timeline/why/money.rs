//! Money waits told as what happened to the money: which budget period ran
//! short, by when its money was committed and to which less urgent sites,
//! and when money came again. A reason a funder can check against the
//! budget, rather than "had 527 left, 880 needed".

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Sched, Shortfall};
use crate::plan::{BudgetPeriod, SiteIx, TierIx};
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
    /// task needed: the first commitment (not the task's own) after which
    /// the running total passes `amount - needed`, found by halving.
    fn committed_by(&self, period: usize, amount: Money, s: &Shortfall) -> Option<NaiveDate> {
        let b = self.budget.as_ref()?;
        let i = b
            .totals
            .first_past(&b.spend, period, amount - s.needed, s.task)?;
        Some(b.spend[period][i].0)
    }

    /// "£779k of it to 19 tier T3/T4 sites", the sites of the late site's
    /// tier or a lower one (other than itself), or "none of it to …".
    fn went_to(&self, period: usize, task: usize, late: SiteIx) -> String {
        let Some(b) = self.budget.as_ref() else {
            return String::new();
        };
        let tier = |s: SiteIx| self.plan.sites[s.ix()].tier;
        let (money, tiers) = b.totals.less_urgent(period, tier(late), late, task);
        let sites: usize = tiers.iter().map(|&(_, n)| n).sum();
        let tiers: Vec<TierIx> = tiers.into_iter().map(|(t, _)| t).collect();
        if sites == 0 {
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
        let label = if tiers == [tier(late)] {
            format!("other {label}")
        } else {
            label
        };
        let noun = if sites == 1 { "site" } else { "sites" };
        format!(
            "{} of it to {} {label} {noun}",
            words::money_short(money, &self.plan.currency),
            words::int(sites as u64)
        )
    }
}

/// What each budget period funded, summed once so that the reasons of
/// thousands of late sites are told without a walk over every commitment
/// for each.
pub(super) struct SpendTotals {
    /// Per period: the running total of its commitments, in `spend` order.
    cumulative: Vec<Vec<Money>>,
    /// Per task: its period and place in that period's `spend`.
    place: HashMap<usize, (usize, usize)>,
    /// Per task: its site and that site's tier.
    owner: HashMap<usize, (SiteIx, TierIx)>,
    /// Per period, per tier: money committed and sites funded.
    by_tier: Vec<Vec<(Money, usize)>>,
    /// Per (period, site): money committed and commitments.
    by_site: HashMap<(usize, SiteIx), (Money, usize)>,
}

impl SpendTotals {
    pub(super) fn new(
        spend: &[Vec<(NaiveDate, Money, usize)>],
        site_of: impl Fn(usize) -> (SiteIx, TierIx),
    ) -> SpendTotals {
        let mut t = SpendTotals {
            cumulative: Vec::with_capacity(spend.len()),
            place: HashMap::new(),
            owner: HashMap::new(),
            by_tier: vec![Vec::new(); spend.len()],
            by_site: HashMap::new(),
        };
        for (p, entries) in spend.iter().enumerate() {
            let mut sum = Money::ZERO;
            let mut cum = Vec::with_capacity(entries.len());
            for (i, &(_, cost, task)) in entries.iter().enumerate() {
                sum += cost;
                cum.push(sum);
                let (site, tier) = site_of(task);
                t.place.insert(task, (p, i));
                t.owner.insert(task, (site, tier));
                let row = &mut t.by_tier[p];
                if row.len() <= tier.ix() {
                    row.resize(tier.ix() + 1, (Money::ZERO, 0));
                }
                let e = t.by_site.entry((p, site)).or_insert((Money::ZERO, 0));
                if e.1 == 0 {
                    row[tier.ix()].1 += 1;
                }
                e.0 += cost;
                e.1 += 1;
                row[tier.ix()].0 += cost;
            }
            t.cumulative.push(cum);
        }
        t
    }

    fn at(&self, task: usize) -> Option<(usize, usize)> {
        self.place.get(&task).copied()
    }

    /// The first commitment of `period`, not `task`'s own, after which the
    /// running total of the others passes `room`, found by halving.
    fn first_past(
        &self,
        spend: &[Vec<(NaiveDate, Money, usize)>],
        period: usize,
        room: Money,
        task: usize,
    ) -> Option<usize> {
        let (spend, cum) = (&spend[period], &self.cumulative[period]);
        let own = self.at(task).filter(|&(p, _)| p == period);
        let others = |i: usize| match own {
            Some((_, k)) if k <= i => cum[i] - spend[k].1,
            _ => cum[i],
        };
        let mut i = partition_point(spend.len(), |i| others(i) <= room);
        if own.is_some_and(|(_, k)| k == i) {
            i += 1;
        }
        (i < spend.len()).then_some(i)
    }

    /// Money the period committed to sites of tier `from` or a less
    /// sensitive one, other than the `late` site and the waiting `task`,
    /// and the tiers it went to with their number of sites.
    fn less_urgent(
        &self,
        period: usize,
        from: TierIx,
        late: SiteIx,
        task: usize,
    ) -> (Money, Vec<(TierIx, usize)>) {
        let mut rows = self.by_tier[period].clone();
        let mut take = |tier: TierIx, money: Money, whole_site: bool| {
            if let Some(r) = rows.get_mut(tier.ix()) {
                r.0 -= money;
                r.1 = r.1.saturating_sub(usize::from(whole_site));
            }
        };
        if let Some(&(money, _)) = self.by_site.get(&(period, late)) {
            take(from, money, true);
        }
        let own = self.at(task).filter(|&(p, _)| p == period);
        if let (Some((_, i)), Some(&(site, tier))) = (own, self.owner.get(&task)) {
            if site != late {
                let cum = &self.cumulative[period];
                let cost = cum[i] - if i > 0 { cum[i - 1] } else { Money::ZERO };
                let alone = self.by_site.get(&(period, site)).map(|e| e.1) == Some(1);
                take(tier, cost, alone);
            }
        }
        let tiers = rows
            .iter()
            .enumerate()
            .filter(|&(t, r)| t >= from.ix() && r.1 > 0)
            .map(|(t, r)| (TierIx::from(t), r.1))
            .collect::<Vec<_>>();
        let money = rows
            .iter()
            .enumerate()
            .filter(|&(t, _)| t >= from.ix())
            .map(|(_, r)| r.0)
            .sum();
        (money, tiers)
    }
}

/// The first index in `0..n` for which `below` is false, for a `below`
/// that is true up to some index and false after it.
fn partition_point(n: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if below(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The totals agree with a walk over every commitment, for every late
    /// site, waiting task and tier, on a seeded random budget period.
    #[test]
    fn totals_agree_with_a_walk_over_every_commitment() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let site_of = |t: usize| (SiteIx::from(t / 3), TierIx::from((t / 3) % 4));
        let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let mut spend = vec![Vec::new(); 2];
        for t in 0..60 {
            let p = next(2) as usize;
            spend[p].push((day, Money(next(1000) as i64), t));
        }
        let totals = SpendTotals::new(&spend, site_of);
        for (p, entries) in spend.iter().enumerate() {
            for task in 0..60 {
                for late in (0..20).map(SiteIx::from) {
                    let from = TierIx::from(late.ix() % 4);
                    let mut money = Money::ZERO;
                    let mut sites = std::collections::BTreeSet::new();
                    for &(_, cost, t) in entries {
                        let (s, tier) = site_of(t);
                        if t != task && s != late && tier >= from {
                            money += cost;
                            sites.insert(s);
                        }
                    }
                    let room = Money(next(30_000) as i64 - 2_000);
                    let mut left = Money::ZERO;
                    let walked = entries.iter().position(|&(_, cost, t)| {
                        left += if t == task { Money::ZERO } else { cost };
                        t != task && left > room
                    });
                    assert_eq!(totals.first_past(&spend, p, room, task), walked);
                    let (m, tiers) = totals.less_urgent(p, from, late, task);
                    assert_eq!(m, money, "period {p} task {task} late {late:?}");
                    let n: usize = tiers.iter().map(|t| t.1).sum();
                    assert_eq!(n, sites.len(), "period {p} task {task} late {late:?}");
                }
            }
        }
    }
}
