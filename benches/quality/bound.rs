//! An upper bound, from the money alone, on how many sites of each tier
//! can finish by their deadlines. Crews, calendars, lead times and
//! dependencies are ignored, so no schedule can do better; where a
//! schedule attains it, none can beat that schedule on that tier.
//!
//! A site on time has committed all its cost by its deadline `d` (a task's
//! cost is committed on its start day), so the sites on time by `d` cost
//! at most `M(d)`: the money of every budget period that starts by `d`
//! (with or without carry-over, a period's spending never exceeds its
//! amount). A site costs at least its tasks' own costs plus, for crew
//! work, the cheapest eligible crew's day rate for its working days.
//!
//! Tiers are taken from the most sensitive (heaviest). For each, the
//! money of the more sensitive tiers' on-time sites is set aside first:
//! as many as `floor[tier]` of them (the greedy's on-time count: the
//! bound holds for every schedule with no more misses in the more
//! sensitive tiers than the greedy), their cheapest, counted against the
//! money of every deadline from their tier's latest one on. Then the
//! tier's own sites, by deadline, take what remains; when the sites taken
//! so far cost more than the money by the latest deadline among them, the
//! most expensive is dropped (Moore and Hodgson's rule, optimal for the
//! count with a capacity that grows with the deadline). With one deadline
//! per tier (the generated plans) this is the count of the tier's
//! cheapest sites that fit in the money left by its deadline.

use removal_timeline::network::lower::{lower, LowerOptions};
use removal_timeline::network::{self};
use removal_timeline::plan::{Plan, SiteIx};
use removal_timeline::schedule::{DurationKind, Time};

/// Per tier of `plan` (in the plan's order), the most of its sites that
/// can be on time (a site without a deadline: scheduled at all), given that the tiers heavier than it
/// have at least `floor[tier]` sites on time. `None` for a plan without a
/// budget (money bounds nothing).
pub fn on_time_at_most(plan: &Plan, floor: &[u64]) -> Option<Vec<u64>> {
    plan.budget.as_ref()?;
    let net = network::build(plan).expect("benchmark plans have no cycles");
    let low = lower(plan, &net, &LowerOptions::default());
    let p = &low.problem;
    let rule = p.budget.as_ref()?;
    let money = |d: Time| rule.money_by(d);
    // Each site: (tier, deadline, least cost in cents).
    let sites: Vec<(usize, Time, f64)> = (0..plan.sites.len())
        .map(|s| {
            // No deadline: never late, on time once scheduled at all.
            let deadline = plan
                .site_deadline(SiteIx::from(s))
                .map_or(Time::MAX, |d| low.time(d));
            let mut cost = 0.0;
            for t in net.site_ranges[s].clone() {
                let a = &p.activities[low.task_act[t].ix()];
                cost += a.cost.0 as f64;
                let days = match a.kind {
                    DurationKind::Working => a.duration.max(0) as f64,
                    DurationKind::Elapsed => 0.0,
                };
                let rate = a
                    .units
                    .iter()
                    .map(|u| p.units[u.ix()].day_rate.0 as f64)
                    .fold(f64::INFINITY, f64::min);
                if rate.is_finite() {
                    cost += rate * days;
                }
            }
            (plan.sites[s].tier.ix(), deadline, cost)
        })
        .collect();
    let mut tiers: Vec<usize> = (0..plan.tiers.len()).collect();
    tiers.sort_by(|&a, &b| plan.tiers[b].weight.total_cmp(&plan.tiers[a].weight));
    // Money set aside for heavier tiers: (from this deadline on, amount).
    let mut aside: Vec<(Time, f64)> = Vec::new();
    let mut out = vec![0; plan.tiers.len()];
    for &tier in &tiers {
        let mut own: Vec<(Time, f64)> = sites
            .iter()
            .filter(|s| s.0 == tier)
            .map(|s| (s.1, s.2))
            .collect();
        // What is left by `d` once the heavier tiers' share is set aside:
        // the least over every later deadline, so it never grows back.
        let mut checks: Vec<Time> = own.iter().map(|s| s.0).collect();
        checks.extend(aside.iter().map(|a| a.0));
        let left = |d: Time| -> f64 {
            checks
                .iter()
                .copied()
                .chain([d])
                .filter(|&e| e >= d)
                .map(|e| money(e) - aside.iter().filter(|a| a.0 <= e).map(|a| a.1).sum::<f64>())
                .fold(f64::INFINITY, f64::min)
        };
        own.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut taken: Vec<f64> = Vec::new();
        let mut spent = 0.0;
        for &(d, cost) in &own {
            taken.push(cost);
            spent += cost;
            if spent > left(d) {
                let (k, most) = taken
                    .iter()
                    .copied()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .expect("one taken");
                taken.swap_remove(k);
                spent -= most;
            }
        }
        out[tier] = taken.len() as u64;
        // Set aside what the tier's `floor` cheapest on-time sites cost,
        // from its latest deadline on.
        let mut costs: Vec<f64> = own.iter().map(|s| s.1).collect();
        costs.sort_by(f64::total_cmp);
        let n = (floor.get(tier).copied().unwrap_or(0) as usize).min(costs.len());
        if let Some(last) = own.iter().map(|s| s.0).max() {
            aside.push((last, costs[..n].iter().sum()));
        }
    }
    Some(out)
}
