//! An upper bound, from the money and the network alone, on how many sites
//! of each tier can finish by their deadlines. Crews are ignored (beyond
//! the cheapest day rate a site's work can be paid at), so no schedule can
//! do better; where a schedule attains it, none can beat that schedule on
//! that tier.
//!
//! Why each step is a true upper bound:
//!
//! - **Sites that can never be on time.** A site is on time when its
//!   removal work is done by its deadline. Placed on the plan with no
//!   crews, no pools and no money (calendars, blackouts, not-before dates,
//!   lead times and every dependency, across sites too, kept), each task
//!   starts as early as anything allows; a removal that finishes after the
//!   deadline even then finishes after it in every schedule, so the site is
//!   left out. One that cannot be placed at all is never on time either.
//! - **What a site on time must have paid for.** A task's cost is
//!   committed on its start day, and a removal can only finish once every
//!   task it waits for (its own site's and, through dependencies, other
//!   sites') has started. So the sites on time by a day `d` have committed,
//!   by `d`, the cost of every task in the union of what their removals
//!   wait for, and that is at most `M(d)`: the money of every budget period
//!   that starts by `d` (with or without carry-over, a period's spending
//!   never exceeds its amount). A task costs at least its own cost plus,
//!   for crew work, the cheapest eligible crew's day rate for its working
//!   days.
//! - **Shared work counted once.** A task that several sites wait for (a
//!   monitoring hub another site's survey waits for, say) is charged to
//!   each of them in equal shares: its cost divided by how many sites'
//!   removals wait for it. For any set of sites the charges then sum to at
//!   most the cost of the union of the tasks they wait for (each task's
//!   shares over the set add up to at most its cost), so a set of sites on
//!   time by `d` has charges of at most `M(d)`, whichever tier each
//!   belongs to. Against the money by a deadline only sites with a
//!   deadline count, so there a task is shared among those alone: a
//!   tier-1 site that waits for a tier-4 site's removal is charged all of
//!   it. Against all the money (the sites without a deadline, on time once
//!   scheduled at all) every site shares.
//! - **Not the work after the removal.** Disposal follows the removal and
//!   may start after the deadline, on later money, so a site on time need
//!   not have paid for it by its deadline. (The bound before this one
//!   charged a site all its work; a schedule that leaves disposals to the
//!   next year's money could beat that, so it was not a bound.)
//!
//! Tiers are taken from the most sensitive (heaviest). For each, the
//! charges of the more sensitive tiers' on-time sites are set aside first:
//! as many as `floor[tier]` of them (the bound holds for every schedule
//! with at least that many on time in each more sensitive tier), their
//! cheapest that can be on time, counted against the money of every
//! deadline from their tier's latest one on. Then the tier's own sites that
//! can be on time, by deadline, take what remains; when the sites taken so
//! far are charged more than the money by the latest deadline among them,
//! the most expensive is dropped (Moore and Hodgson's rule, optimal for the
//! count with a capacity that grows with the deadline). With one deadline
//! per tier (the generated plans) this is the count of the tier's cheapest
//! sites that fit in the money left by its deadline.
//!
//! Not used, since it could not tighten these plans: that a task must
//! start before the tail of work after it (the generated plans' deadlines
//! fall inside a budget period, so `M` is the same a few weeks earlier),
//! and crews' days per region by the deadline (about a twentieth of them
//! is used by the sites of tiers 1 and 2 in the generated plans).

use removal_timeline::network::lower::{lower, LowerOptions};
use removal_timeline::network::{self, Network};
use removal_timeline::plan::{Plan, SiteIx};
use removal_timeline::schedule::{
    place_in_order, BudgetRule, DurationKind, GroupIx, Problem, Time,
};

/// What the bound reads of a plan: its sites' facts and its money.
pub struct Facts {
    pub sites: Vec<SiteFacts>,
    pub money: BudgetRule,
    /// Tier weights, in the plan's order.
    pub weights: Vec<f64>,
}

/// Per site: its tier, its deadline (`Time::MAX` when none), its charges
/// in cents, and whether it can be on time at all.
#[derive(Debug, Clone, Copy)]
pub struct SiteFacts {
    pub tier: usize,
    /// No deadline: never late, on time once scheduled at all.
    pub deadline: Time,
    /// Shared among the sites with a deadline, for a site with one
    /// (checked against the money by a deadline, when only such sites
    /// count); among all sites, for a site without.
    pub charge: f64,
    /// Shared among all sites (checked against all the money).
    pub charge_all: f64,
    pub possible: bool,
}

/// What the bound reads of `plan` (see the module's doc); `None` without
/// a budget (money bounds nothing).
pub fn facts(plan: &Plan) -> Option<Facts> {
    plan.budget.as_ref()?;
    let net = network::build(plan).expect("benchmark plans have no cycles");
    let low = lower(plan, &net, &LowerOptions::default());
    let p = &low.problem;
    let money = p.budget.clone()?;
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); p.activities.len()];
    for e in &p.precedences {
        preds[e.to.ix()].push(e.from.ix());
    }
    // What each site's removal waits for (its removal tasks included).
    let waits: Vec<Vec<usize>> = (0..plan.sites.len())
        .map(|s| waited_for(&preds, &removal_acts(&net, &low, s)))
        .collect();
    let deadline: Vec<Time> = (0..plan.sites.len())
        .map(|s| {
            plan.site_deadline(SiteIx::from(s))
                .map_or(Time::MAX, |d| low.time(d))
        })
        .collect();
    // Per activity, how many sites' removals wait for it: sites with a
    // deadline, and all sites.
    let (mut dated, mut all) = (
        vec![0u32; p.activities.len()],
        vec![0u32; p.activities.len()],
    );
    for (s, w) in waits.iter().enumerate() {
        for &a in w {
            all[a] += 1;
            dated[a] += u32::from(deadline[s] < Time::MAX);
        }
    }
    let earliest = earliest_finishes(p);
    let sites = (0..plan.sites.len())
        .map(|s| {
            let shared = |by: &[u32]| -> f64 {
                waits[s]
                    .iter()
                    .map(|&a| least_cost(p, a) / by[a] as f64)
                    .sum()
            };
            let deadline = deadline[s];
            let finish = removal_acts(&net, &low, s)
                .iter()
                .map(|&a| earliest[a])
                .max()
                .unwrap_or(None);
            SiteFacts {
                tier: plan.sites[s].tier.ix(),
                deadline,
                charge: if deadline < Time::MAX {
                    shared(&dated)
                } else {
                    shared(&all)
                },
                charge_all: shared(&all),
                possible: finish.is_some_and(|f| deadline == Time::MAX || f <= deadline),
            }
        })
        .collect();
    Some(Facts {
        sites,
        money,
        weights: plan.tiers.iter().map(|t| t.weight).collect(),
    })
}

/// The activities whose finish makes site `s` done: its removal tasks
/// (every task when it has none).
fn removal_acts(
    net: &Network,
    low: &removal_timeline::network::lower::Lowered,
    s: usize,
) -> Vec<usize> {
    let removal = net.removal_tasks(SiteIx::from(s));
    if removal.is_empty() {
        return net.site_ranges[s]
            .clone()
            .map(|t| low.task_act[t].ix())
            .collect();
    }
    removal.iter().map(|t| low.task_act[t.ix()].ix()).collect()
}

/// `acts` and every activity they wait for, directly or not.
fn waited_for(preds: &[Vec<usize>], acts: &[usize]) -> Vec<usize> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<usize> = acts.to_vec();
    while let Some(a) = stack.pop() {
        if seen.insert(a) {
            stack.extend(preds[a].iter().copied());
        }
    }
    seen.into_iter().collect()
}

/// An activity's least cost in cents: its own cost plus, for crew work,
/// the cheapest eligible crew's day rate for its working days.
fn least_cost(p: &Problem, a: usize) -> f64 {
    let a = &p.activities[a];
    let rate = a
        .units
        .iter()
        .map(|u| p.units[u.ix()].day_rate.0 as f64)
        .fold(f64::INFINITY, f64::min);
    let days = match a.kind {
        DurationKind::Working => a.duration.max(0) as f64,
        DurationKind::Elapsed => 0.0,
    };
    a.cost.0 as f64 + if rate.is_finite() { rate * days } else { 0.0 }
}

/// Each activity's finish with no crews, pools or money (`None` when it
/// cannot be placed even then).
fn earliest_finishes(p: &Problem) -> Vec<Option<Time>> {
    let mut free = p.clone();
    free.budget = None;
    for a in &mut free.activities {
        a.units = Vec::new().into();
        a.pool_demand.clear();
    }
    let order: Vec<GroupIx> = (0..free.groups.len()).map(GroupIx::from).collect();
    let sol = place_in_order(&free, &order);
    sol.activities
        .iter()
        .map(|r| r.as_ref().ok().map(|pl| pl.finish))
        .collect()
}

/// Per tier (in the plan's order), the most of its sites that can be on
/// time (a site without a deadline: scheduled at all), given that the tiers
/// heavier than it have at least `floor[tier]` sites on time.
pub fn bound(facts: &Facts, floor: &[u64]) -> Vec<u64> {
    let (sites, w) = (&facts.sites, &facts.weights);
    let money = |d: Time| facts.money.money_by(d);
    let mut tiers: Vec<usize> = (0..w.len()).collect();
    tiers.sort_by(|&a, &b| w[b].total_cmp(&w[a]));
    // Money set aside for heavier tiers: (from this deadline on, amount
    // by a deadline, amount against all the money).
    let mut aside: Vec<(Time, f64, f64)> = Vec::new();
    let mut out = vec![0; w.len()];
    for &tier in &tiers {
        let mine = || sites.iter().filter(|s| s.tier == tier && s.possible);
        let mut own: Vec<(Time, f64)> = mine().map(|s| (s.deadline, s.charge)).collect();
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
                .map(|e| {
                    let by = aside.iter().filter(|a| a.0 <= e);
                    let set: f64 = if e == Time::MAX {
                        by.map(|a| a.2).sum()
                    } else {
                        by.map(|a| a.1).sum()
                    };
                    money(e) - set
                })
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
        // from its latest deadline on (each charge's cheapest).
        let n = (floor.get(tier).copied().unwrap_or(0) as usize).min(own.len());
        let cheapest = |mut c: Vec<f64>| -> f64 {
            c.sort_by(f64::total_cmp);
            c[..n].iter().sum()
        };
        if let Some(last) = own.iter().map(|s| s.0).max() {
            let by = cheapest(own.iter().map(|s| s.1).collect());
            aside.push((last, by, cheapest(mine().map(|s| s.charge_all).collect())));
        }
    }
    out
}
