//! `validate` and `schema`: check a plan and summarise it in a programme
//! manager's terms; print the JSON Schema of the plan format.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{CliError, ValidateArgs};
use crate::network::reach::Short;
use crate::network::{self, Network, TaskKind};
use crate::plan::{self, Plan};
use crate::units::Money;
use crate::words;

pub fn run(args: &ValidateArgs, quiet: bool) -> Result<(), CliError> {
    let loaded = crate::load::plan_file(&args.plan)?;
    if !quiet {
        for w in &loaded.warnings {
            super::print_err(&w.to_string());
        }
    }
    let net = network::build(&loaded.plan)
        .map_err(|_| CliError::Internal("a cycle passed validation".into()))?;
    if !quiet {
        for w in target_warnings(&loaded.plan, &net) {
            eprintln!("{}: warning: {w}", args.plan.display());
        }
        for w in deadline_money_warnings(&loaded.plan, &net) {
            eprintln!("{}: warning: {w}", args.plan.display());
        }
        super::print_out(&summary(&loaded.plan, &net))?;
    }
    Ok(())
}

pub fn schema() -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(&plan::raw_schema())
        .map_err(|e| CliError::Internal(e.to_string()))?;
    super::print_out(&format!("{text}\n"))
}

/// The summary `validate` prints: sites and devices by tier, crews by
/// region, tasks, the cost of the work and the budget.
pub fn summary(plan: &Plan, net: &Network) -> String {
    let mut out = String::new();
    let short = deadline_money_warnings(plan, net).len() as u64;
    let mut targets: Vec<usize> = network::reach::target_shortfalls(plan, net)
        .iter()
        .map(|t| t.target)
        .collect();
    targets.dedup();
    let mut out_of_reach = Vec::new();
    if short > 0 {
        out_of_reach.push(format!(
            "money alone cannot meet {}",
            words::count(short, "deadline", "deadlines")
        ));
    }
    if !targets.is_empty() {
        out_of_reach.push(format!(
            "money or crews alone cannot meet {}",
            words::count(targets.len() as u64, "public target", "public targets")
        ));
    }
    if out_of_reach.is_empty() {
        let _ = writeln!(out, "{}: valid", plan.name);
    } else {
        let _ = writeln!(
            out,
            "{}: valid as a plan, but {} (see the warnings)",
            plan.name,
            out_of_reach.join(", and ")
        );
    }
    let _ = writeln!(
        out,
        "  starts {}{}",
        plan.start,
        plan.deadline
            .map(|d| format!(", deadline {d}"))
            .unwrap_or_default()
    );
    tiers(plan, &mut out);
    crews(plan, &mut out);
    let crew_tasks = net
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Crew)
        .count();
    let _ = writeln!(
        out,
        "tasks: {} ({} crew tasks, {} procurement and disposal), {} dependencies",
        net.tasks.len(),
        crew_tasks,
        net.tasks.len() - crew_tasks,
        plan.dependencies.len()
    );
    cost(plan, net, &mut out);
    let o = plan.objective;
    let how = if o == crate::plan::Objective::default() {
        " (the default)"
    } else {
        ""
    };
    let _ = writeln!(out, "objective: {}{how}: {}", o.as_str(), o.sentence());
    out
}

fn tiers(plan: &Plan, out: &mut String) {
    let mut by_tier = vec![(0usize, 0u64); plan.tiers.len()];
    for s in &plan.sites {
        by_tier[s.tier.ix()].0 += 1;
        by_tier[s.tier.ix()].1 += s.device_count();
    }
    let sites = plan.sites.len();
    let devices: u64 = by_tier.iter().map(|t| t.1).sum();
    let _ = writeln!(out, "sites: {sites}, devices: {devices}");
    for (t, (n, d)) in plan.tiers.iter().zip(by_tier) {
        let deadline = t
            .deadline
            .map(|d| format!(", deadline {d}"))
            .unwrap_or_default();
        let name = t
            .name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  tier {}{name}: {n} sites, {d} devices{deadline}",
            t.id
        );
    }
}

fn crews(plan: &Plan, out: &mut String) {
    let mut by_region: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for w in &plan.crews {
        let e = by_region.entry(w.region.ix()).or_default();
        e.0 += 1;
        e.1 += usize::from(w.cleared);
    }
    let _ = writeln!(out, "crews: {}", plan.crews.len());
    for (r, (n, cleared)) in by_region {
        let _ = writeln!(
            out,
            "  region {}: {n} crews ({cleared} cleared)",
            plan.regions[r].id
        );
    }
}

/// The cheapest day rate per (region, cleared only).
type Cheapest = BTreeMap<(usize, bool), Money>;

fn cheapest_rates(plan: &Plan) -> Cheapest {
    let mut cheapest = Cheapest::new();
    for s in &plan.sites {
        if let std::collections::btree_map::Entry::Vacant(e) =
            cheapest.entry((s.region.ix(), s.cleared_only))
        {
            let rates = plan.crews.iter().filter(|w| w.may_work_at(s));
            if let Some(rate) = rates.map(|w| w.day_rate).min() {
                e.insert(rate);
            }
        }
    }
    cheapest
}

/// A task's equipment or disposal cost, and its crew cost at the cheapest
/// crew that may do it: the least it can cost.
fn least_cost(plan: &Plan, cheapest: &Cheapest, t: &network::Task) -> (i128, i128) {
    let labour = if t.kind == TaskKind::Crew {
        let s = &plan.sites[t.key.site.ix()];
        let rate = cheapest
            .get(&(s.region.ix(), s.cleared_only))
            .copied()
            .unwrap_or(Money::ZERO);
        rate.0 as i128 * t.duration as i128
    } else {
        0
    };
    (t.cost.0 as i128, labour)
}

/// One warning per target that money or crews alone rule out, naming the
/// target and the figures.
pub fn target_warnings(plan: &Plan, net: &Network) -> Vec<String> {
    network::reach::target_shortfalls(plan, net)
        .into_iter()
        .map(|s| {
            let t = &plan.targets[s.target];
            let (cur, by) = (&plan.currency, words::long_date(t.by));
            let head = format!("targets[{}] (\"{}\"): cannot be met on", s.target, t.id);
            let removing = format!(
                "removing {} needs at least",
                words::count(s.required, "device", "devices")
            );
            match s.short {
                Short::Money { need, available } => format!(
                    "{head} money alone: {removing} {cur} {} committed by {by}, but the budget \
                     periods that begin by then hold {cur} {} ({cur} {} short)",
                    words::money_exact(need),
                    words::money_exact(available),
                    words::money_exact(need - available)
                ),
                Short::Crews { need, available } => format!(
                    "{head} crews alone: {removing} {} by {by}, but the crews of those sites' \
                     regions have {}",
                    words::count(need, "crew working day", "crew working days"),
                    words::int(available)
                ),
            }
        })
        .collect()
}

/// For each deadline (sites' effective deadlines), the least the work due
/// by it can cost (every task of those sites up to removal, at the
/// cheapest eligible crew) against all the money of the budget periods
/// that open by then: the deadlines money alone cannot meet, in date order.
pub fn deadline_money_warnings(plan: &Plan, net: &Network) -> Vec<String> {
    let Some(budget) = &plan.budget else {
        return Vec::new();
    };
    let cheapest = cheapest_rates(plan);
    let mut due: BTreeMap<chrono::NaiveDate, (i128, usize, u64)> = BTreeMap::new();
    for (s, site) in plan.sites.iter().enumerate() {
        let Some(d) = plan.site_deadline(crate::plan::SiteIx::from(s)) else {
            continue;
        };
        if site.device_count() == 0 {
            continue;
        }
        let cost: i128 = net
            .site_tasks(crate::plan::SiteIx::from(s))
            .map(|t| &net.tasks[t])
            // Disposal follows removal: it is not due by the deadline.
            .filter(|t| t.key.phase != crate::plan::Phase::Dispose)
            .map(|t| {
                let (g, l) = least_cost(plan, &cheapest, t);
                g + l
            })
            .sum();
        let e = due.entry(d).or_default();
        e.0 += cost;
        e.1 += 1;
        e.2 += site.device_count();
    }
    let cur = &plan.currency;
    let money =
        |c: i128| words::money_exact(Money(c.clamp(i64::MIN as i128, i64::MAX as i128) as i64));
    let (mut need, mut sites, mut devices) = (0i128, 0usize, 0u64);
    let mut out = Vec::new();
    for (d, (cost, n, dev)) in due {
        need += cost;
        sites += n;
        devices += dev;
        let have: i128 = budget
            .periods
            .iter()
            .filter(|p| p.from <= d)
            .map(|p| p.amount.0 as i128)
            .sum();
        if need > have {
            out.push(format!(
                "money alone cannot meet the deadline {}: the {} ({}) due by then need at least \
                 {cur} {} of work before their removal, but the budget periods opening by then \
                 hold {cur} {} ({cur} {} short)",
                words::long_date(d),
                words::count(sites as u64, "site", "sites"),
                words::count(devices, "device", "devices"),
                money(need),
                money(have),
                money(need - have)
            ));
        }
    }
    out
}

/// Crew tasks are costed at the cheapest crew that may do them (of the
/// site's region, cleared where needed): the least the work can cost.
fn cost(plan: &Plan, net: &Network, out: &mut String) {
    let cheapest = cheapest_rates(plan);
    let mut goods = 0i128;
    let mut labour = 0i128;
    for t in &net.tasks {
        let (g, l) = least_cost(plan, &cheapest, t);
        goods += g;
        labour += l;
    }
    let money = |c: i128| words::money_exact(Money(c.clamp(0, i64::MAX as i128) as i64));
    let cur = &plan.currency;
    let _ = writeln!(
        out,
        "cost of the work: {cur} {} (equipment and disposal {}, crews {} at the cheapest eligible crew's day rate)",
        money(goods + labour),
        money(goods),
        money(labour)
    );
    match &plan.budget {
        None => {
            let _ = writeln!(out, "budget: unlimited");
        }
        Some(b) => {
            let total: i128 = b.periods.iter().map(|p| p.amount.0 as i128).sum();
            let first = b
                .periods
                .first()
                .map(|p| p.from.to_string())
                .unwrap_or_default();
            let last = b
                .periods
                .last()
                .map(|p| p.to.to_string())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "budget: {cur} {} in {} periods from {first} to {last}{}",
                money(total),
                b.periods.len(),
                if b.carry_over {
                    ", unspent money carries over"
                } else {
                    ""
                }
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_the_tutorial() {
        let p = crate::load::plan_file(std::path::Path::new("plans/tutorial.json"))
            .unwrap()
            .plan;
        let net = network::build(&p).unwrap();
        let s = summary(&p, &net);
        assert!(s.contains("sites: 2, devices: 67"), "{s}");
        assert!(
            s.contains("tier T1 (Sensitive): 1 sites, 63 devices, deadline 2026-04-30"),
            "{s}"
        );
        assert!(
            s.contains("tasks: 14 (10 crew tasks, 4 procurement and disposal), 1 dependencies"),
            "{s}"
        );
        // The spec's worked example costs 76,100 for alpha (crews at 1,000 a
        // day); beta adds 4 domes: 2,800 + 60 disposal + 5 crew days.
        assert!(s.contains("cost of the work: GBP 83,960.00"), "{s}");
        assert!(s.contains("budget: GBP 160,000.00 in 2 periods"), "{s}");
    }
}
