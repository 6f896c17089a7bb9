//! Better, worse or the same, by the plan's objective: the one judgement
//! `compare`, `diff` and `replan` give when they set two timelines of a
//! plan side by side. The word comes from `timeline::rank` (the scheduler's
//! own ranking); the reason names the first key that differs, in the
//! objective's order: work with no date, targets, deadlines (tier by tier
//! under `tiers_first`), then exposure, then the finish.

use std::cmp::Ordering;

use crate::plan::{Objective, Plan};
use crate::timeline::{rank, TierSummary, Timeline};
use crate::words;

/// How a timeline compares with another by the plan's objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Better,
    Worse,
    Same,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Same => "same",
        }
    }
}

/// `a` against `b` (the reference), with the first key that decides it in
/// words ("2 sites (33 devices) have no date, against none"); for `Same`,
/// an empty reason.
pub fn judge(plan: &Plan, a: &Timeline, b: &Timeline) -> (Verdict, String) {
    let verdict = match rank::compare(plan, a, b) {
        Ordering::Less => Verdict::Better,
        Ordering::Greater => Verdict::Worse,
        Ordering::Equal => Verdict::Same,
    };
    let why = if verdict == Verdict::Same {
        String::new()
    } else {
        deciding_key(plan, a, b)
    };
    (verdict, why)
}

/// The first key, in the objective's order, on which `a` and `b` differ.
fn deciding_key(plan: &Plan, a: &Timeline, b: &Timeline) -> String {
    let (sa, sb) = (&a.summary, &b.summary);
    if (sa.sites_unscheduled, sa.devices_unscheduled)
        != (sb.sites_unscheduled, sb.devices_unscheduled)
    {
        return format!(
            "{} with no date, against {}",
            no_date(sa.sites_unscheduled, sa.devices_unscheduled),
            no_date_short(sb.sites_unscheduled, sb.devices_unscheduled)
        );
    }
    let missed = |t: &Timeline| t.targets.iter().filter(|r| !r.met).count() as u64;
    if missed(a) != missed(b) {
        return format!(
            "{} missed, against {}",
            words::count(missed(a), "target", "targets"),
            missed(b)
        );
    }
    let exposure = || {
        format!(
            "exposure {} weighted device-days, against {}",
            words::int(sa.exposure.round().max(0.0) as u64),
            words::int(sb.exposure.round().max(0.0) as u64)
        )
    };
    let late = || {
        lateness(
            sa.sites_late,
            total_days(&sa.tiers),
            sb.sites_late,
            total_days(&sb.tiers),
        )
    };
    let text = match plan.objective {
        Objective::TiersFirst => tier_by_tier(&sa.tiers, &sb.tiers)
            .or_else(|| (sa.exposure != sb.exposure).then(exposure)),
        Objective::FewestLate => late().or_else(|| (sa.exposure != sb.exposure).then(exposure)),
        Objective::LeastExposure => (sa.exposure != sb.exposure).then(exposure).or_else(late),
    };
    text.unwrap_or_else(|| {
        format!(
            "the last task finishes {}, against {}",
            words::opt_date(sa.finish),
            words::opt_date(sb.finish)
        )
    })
}

fn no_date(sites: u64, devices: u64) -> String {
    format!(
        "{} ({})",
        words::count(sites, "site", "sites"),
        words::count(devices, "device", "devices")
    )
}

fn no_date_short(sites: u64, devices: u64) -> String {
    if sites == 0 {
        "none".into()
    } else {
        no_date(sites, devices)
    }
}

fn total_days(tiers: &[TierSummary]) -> i64 {
    tiers.iter().map(|t| t.late_days).sum()
}

fn lateness(a: u64, a_days: i64, b: u64, b_days: i64) -> Option<String> {
    if a != b {
        return Some(format!(
            "{} late, against {b}",
            words::count(a, "site", "sites")
        ));
    }
    (a_days != b_days).then(|| format!("{a_days} days late in all, against {b_days}"))
}

/// The most sensitive tier whose late sites (then days late) differ.
fn tier_by_tier(a: &[TierSummary], b: &[TierSummary]) -> Option<String> {
    for t in a {
        let Some(o) = b.iter().find(|o| o.tier == t.tier) else {
            continue;
        };
        if let Some(text) = lateness(t.sites_late, t.late_days, o.sites_late, o.late_days) {
            let label = words::tier_short(&t.tier);
            return Some(format!("{label}: {text}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replan::testplan::plan;

    fn timeline(p: &Plan) -> Timeline {
        crate::chart::sample::timeline(p)
    }

    #[test]
    fn work_with_no_date_decides_before_any_date() {
        let p = plan(2, 3, None, false);
        let base = timeline(&p);
        let mut cut = base.clone();
        // Finishes sooner, but a site has no date at all.
        cut.sites[0].late_days = None;
        cut.sites[0].removal_complete = None;
        cut.summary.sites_unscheduled = 1;
        cut.summary.devices_unscheduled = cut.sites[0].devices;
        cut.summary.exposure = 0.0;
        let (v, why) = judge(&p, &cut, &base);
        assert_eq!(v, Verdict::Worse);
        assert!(why.starts_with("1 site ("), "{why}");
        assert!(why.ends_with("with no date, against none"), "{why}");
        assert_eq!(judge(&p, &base, &cut).0, Verdict::Better);
        assert_eq!(judge(&p, &base, &base), (Verdict::Same, String::new()));
    }
}
