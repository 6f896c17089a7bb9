//! The whole-site greedy baseline of issue 19: sites in order of tier
//! weight (heaviest first), then deadline (earliest first, none last), then
//! size (fewest devices first), each site's tasks kept together, placed by
//! one serial pass of the same placement engine (`schedule::place_in_order`:
//! earliest start that crews, calendars and money allow). No search: what a
//! careful planner would do by hand, and the yardstick the default search
//! must never fall behind.

use removal_timeline::network::lower::{lower, LowerOptions};
use removal_timeline::network::{self, Network};
use removal_timeline::plan::{Plan, SiteIx};
use removal_timeline::schedule::{place_in_order, GroupIx, Solution};
use removal_timeline::timeline::{build, Timeline};
use removal_timeline::units::Money;
use removal_timeline::verify::verify;

/// The greedy's timeline of `plan`, verified (a violation is a bug and
/// panics the benchmark).
pub fn timeline(plan: &Plan) -> Timeline {
    let net = network::build(plan).expect("benchmark plans have no cycles");
    let low = lower(plan, &net, &LowerOptions::default());
    let order = site_order(plan);
    let groups = group_order(&net, &low, &order);
    let sol: Solution = place_in_order(&low.problem, &groups);
    let tl = build::build(plan, &net, &low, &sol);
    let bad = verify(plan, &tl);
    assert!(
        bad.is_empty(),
        "the greedy's timeline breaks rules: {bad:?}"
    );
    tl
}

/// Sites by tier weight (heaviest first), deadline, then devices.
fn site_order(plan: &Plan) -> Vec<SiteIx> {
    let mut sites: Vec<SiteIx> = (0..plan.sites.len()).map(SiteIx::from).collect();
    sites.sort_by(|&a, &b| {
        let w = |s: SiteIx| plan.tiers[plan.sites[s.ix()].tier.ix()].weight;
        let dl = |s: SiteIx| plan.site_deadline(s).unwrap_or(chrono::NaiveDate::MAX);
        let size = |s: SiteIx| plan.sites[s.ix()].device_count();
        w(b).total_cmp(&w(a))
            .then(dl(a).cmp(&dl(b)))
            .then(size(a).cmp(&size(b)))
            .then(a.cmp(&b))
    });
    sites
}

/// The groups (one per site, or per cycle of sites) in the order their
/// first site comes in `sites`.
fn group_order(
    net: &Network,
    low: &removal_timeline::network::lower::Lowered,
    sites: &[SiteIx],
) -> Vec<GroupIx> {
    let mut seen = vec![false; low.problem.groups.len()];
    let mut out = Vec::with_capacity(seen.len());
    for &s in sites {
        for t in net.site_ranges[s.ix()].clone() {
            let g = low.problem.activities[low.task_act[t].ix()].group;
            if !seen[g.ix()] {
                seen[g.ix()] = true;
                out.push(g);
            }
        }
    }
    out
}

/// `plan` with its budget periods scaled so that they hold `share` of
/// what all its work costs (the greedy's timeline of it with the budget
/// lifted tells the cost).
pub fn money_share(plan: &Plan, share: f64) -> Plan {
    let mut free = plan.clone();
    free.budget = None;
    let cost = timeline(&free).summary.total_cost;
    let mut out = plan.clone();
    if let Some(b) = out.budget.as_mut() {
        let total: f64 = b.periods.iter().map(|p| p.amount.to_f64()).sum();
        let f = share * cost / total.max(1.0);
        for p in &mut b.periods {
            p.amount = Money::from_f64(p.amount.to_f64() * f).unwrap_or(p.amount);
        }
    }
    out
}
