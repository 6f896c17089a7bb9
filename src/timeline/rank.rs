//! Which of two timelines of one plan is better, by the plan's
//! `objective` (plan format, "Which schedule to publish"), read from their
//! site rows and summaries. The keys are the scheduling core's own
//! `Score`, so a published timeline ranks exactly as the search ranked it.

use std::cmp::Ordering;

use super::Timeline;
use crate::network::lower::sensitivity_classes;
use crate::plan::{Objective, Plan};
use crate::schedule::{ClassScore, ObjectiveKind, Score};

/// The objective's keys of a timeline of `plan`: weighted unscheduled
/// devices, the public targets missed and their shortfall (key 1b), then
/// per class of sensitivity (tiers of equal weight together) the late
/// sites and their days late, the late sites and days over all tiers, and
/// the exposure. The finish is left at 0: it is no
/// key of the plan format.
pub fn score(plan: &Plan, tl: &Timeline) -> Score {
    let (class, classes) = sensitivity_classes(plan);
    let mut sc = Score {
        kind: kind(plan.objective),
        classes: vec![ClassScore::default(); classes],
        exposure: tl.summary.exposure,
        ..Score::default()
    };
    for row in &tl.sites {
        let Some(t) = plan.tiers.iter().position(|t| t.id == row.tier) else {
            continue;
        };
        match row.late_days {
            None => {
                let w = plan.tiers[t].weight * row.devices as f64;
                sc.unscheduled_weight += w;
                let c = &mut sc.classes[class[t] as usize];
                c.unscheduled_weight += w;
                c.unscheduled += 1;
            }
            Some(d) if d > 0 => {
                let c = &mut sc.classes[class[t] as usize];
                c.late += 1;
                c.late_days += d;
                sc.late_milestones += 1;
                sc.late_days += d;
            }
            Some(_) => {}
        }
    }
    for t in &tl.targets {
        if t.removed < t.required {
            sc.targets_missed += 1;
            sc.target_shortfall += t.required - t.removed;
        }
    }
    sc
}

/// The core's objective for the plan's.
pub fn kind(o: Objective) -> ObjectiveKind {
    match o {
        Objective::TiersFirst => ObjectiveKind::TiersFirst,
        Objective::FewestLate => ObjectiveKind::FewestLate,
        Objective::LeastExposure => ObjectiveKind::LeastExposure,
    }
}

/// `a` against `b` on every key of the plan's objective (`Less`: `a` is
/// better).
pub fn compare(plan: &Plan, a: &Timeline, b: &Timeline) -> Ordering {
    score(plan, a).cmp_full(&score(plan, b))
}

/// `a` against `b` on the keys that come before exposure: what a
/// programme would never trade for exposure or for keeping dates
/// (unscheduled devices, targets, and deadlines as the objective counts
/// them). Under `least_exposure` only the unscheduled devices and
/// targets come first.
pub fn compare_before_exposure(plan: &Plan, a: &Timeline, b: &Timeline) -> Ordering {
    score(plan, a).cmp_before_exposure(&score(plan, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::tests::worked_example;
    use crate::plan::{Tier, TierIx};

    /// The worked example with a second, heavier tier for site 0.
    fn two_tier_plan() -> Plan {
        let mut plan = worked_example();
        let mut second = plan.sites[0].clone();
        second.id = "second".into();
        plan.sites.push(second);
        plan.tiers.push(Tier {
            id: "T0".into(),
            name: None,
            weight: 10.0,
            deadline: None,
        });
        plan.sites[0].tier = TierIx::from(1);
        plan
    }

    /// The plan scheduled by the core, then given the lateness and
    /// exposure to compare.
    fn timeline(plan: &Plan, late: &[(usize, Option<i64>)], exposure: f64) -> Timeline {
        let net = crate::network::build(plan).unwrap();
        let low = crate::network::lower::lower(plan, &net, &Default::default());
        let solution = crate::schedule::solve(&low.problem, &Default::default());
        let mut tl = crate::timeline::build::build(plan, &net, &low, &solution);
        tl.summary.exposure = exposure;
        for r in &mut tl.sites {
            r.late_days = Some(0);
        }
        for &(s, d) in late {
            tl.sites[s].late_days = d;
        }
        tl
    }

    #[test]
    fn a_more_sensitive_miss_weighs_more_under_tiers_first() {
        let mut plan = two_tier_plan();
        // a: the heavy site 3 days late; b: the light one 90 days late.
        let a = timeline(&plan, &[(0, Some(3))], 10.0);
        let b = timeline(&plan, &[(1, Some(90))], 20.0);
        assert_eq!(compare(&plan, &b, &a), Ordering::Less);
        // Fewest late counts each as one late site: fewer days wins.
        plan.objective = Objective::FewestLate;
        assert_eq!(compare(&plan, &a, &b), Ordering::Less);
        // Least exposure: the exposure decides first.
        plan.objective = Objective::LeastExposure;
        assert_eq!(compare(&plan, &a, &b), Ordering::Less);
        assert_eq!(compare_before_exposure(&plan, &a, &b), Ordering::Equal);
        // An unscheduled site outweighs any lateness.
        plan.objective = Objective::TiersFirst;
        let c = timeline(&plan, &[(1, None)], 1.0);
        assert_eq!(compare(&plan, &a, &c), Ordering::Less);
        assert_eq!(compare_before_exposure(&plan, &b, &c), Ordering::Less);
    }
}
