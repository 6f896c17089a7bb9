//! The re-planning rule on generated plans: stability under budget cuts,
//! reported work kept, stranded money released.

use super::testplan::{d, plan};
use super::*;
use crate::pipeline::schedule_plan;
use crate::plan::{Plan, Progress};
use crate::schedule::{solve, SearchOptions};
use crate::timeline::{pair_tasks, Status, TaskRow};
use chrono::NaiveDate;
use proptest::prelude::*;

fn solver(seed: u64) -> impl FnMut(&Problem) -> Solution {
    move |p: &Problem| {
        solve(
            p,
            &SearchOptions {
                schedules: 40,
                seed,
                ..SearchOptions::default()
            },
        )
    }
}

fn baseline(plan: &Plan) -> Timeline {
    schedule_plan(plan, &LowerOptions::default(), solver(1))
        .expect("the baseline verifies")
        .timeline
}

/// Multiplies every budget period starting on or after `from`.
fn cut_budget(plan: &Plan, from: NaiveDate, factor: f64) -> Plan {
    let mut p = plan.clone();
    if let Some(b) = p.budget.as_mut() {
        for per in b.periods.iter_mut().filter(|per| per.from >= from) {
            per.amount = crate::units::Money((per.amount.0 as f64 * factor).round() as i64);
        }
    }
    p
}

/// A task row's start and crew.
fn placement(r: &TaskRow) -> (Option<NaiveDate>, Option<&str>) {
    (r.start, r.crew.as_deref())
}

/// Whether `a` and `b` list the same tasks, each with the same start and
/// crew.
fn same_placements(a: &Timeline, b: &Timeline) -> bool {
    let pairs = pair_tasks(a, b);
    a.tasks.len() == b.tasks.len()
        && b.tasks
            .iter()
            .zip(&pairs.old)
            .all(|(n, o)| o.is_some_and(|o| placement(&a.tasks[o]) == placement(n)))
}

/// Baseline tasks starting before `p` that the re-plan moved, leaving out
/// sites released to avoid stranded money.
fn moved_before(base: &Timeline, r: &Replanned, p: NaiveDate) -> Vec<String> {
    let now = &r.scheduled.timeline;
    let pairs = pair_tasks(base, now);
    base.tasks
        .iter()
        .zip(&pairs.new)
        .filter(|(t, _)| t.start.is_some_and(|s| s < p))
        .filter(|(t, _)| !r.released_sites.contains(&t.site))
        .filter(|(t, n)| n.map(|n| placement(&now.tasks[n])) != Some(placement(t)))
        .map(|(t, _)| t.id.clone())
        .collect()
}

/// The replan rule: the published re-plan is the kept one, or a fresh
/// solve better by the objective before exposure, then by tasks moved
/// from the baseline, then by exposure (never one that is no better).
fn fresh_only_when_better(
    plan: &Plan,
    base: &Timeline,
    kept: &Replanned,
    r: &Replanned,
) -> Result<(), String> {
    if !r.fresh {
        return same_placements(&r.scheduled.timeline, &kept.scheduled.timeline)
            .then_some(())
            .ok_or_else(|| "not fresh, yet not the kept re-plan".into());
    }
    let (a, b) = (&r.scheduled.timeline, &kept.scheduled.timeline);
    let moved = |t: &Timeline| diff::count_moves(base, t).1;
    let order = crate::timeline::rank::compare_before_exposure(plan, a, b)
        .then(moved(a).cmp(&moved(b)))
        .then(a.summary.exposure.total_cmp(&b.summary.exposure));
    match order {
        std::cmp::Ordering::Less => Ok(()),
        o => Err(format!("fresh re-plan published but {o:?}")),
    }
}

#[test]
fn an_unchanged_plan_keeps_every_task() {
    let p = plan(3, 8, Some(60_000), false);
    let base = baseline(&p);
    let r = replan(&p, &base, solver(9)).unwrap();
    let scheduled = base.tasks.iter().filter(|t| t.start.is_some()).count();
    assert_eq!(r.kept.len(), scheduled);
    assert!(same_placements(&r.scheduled.timeline, &base));
    assert!(r.released_sites.is_empty());
}

#[test]
fn a_budget_cut_moves_nothing_before_it() {
    let p = plan(5, 10, Some(50_000), false);
    let base = baseline(&p);
    let cut_from = d("2026-07-05");
    let cut = cut_budget(&p, cut_from, 0.395);
    let kept = keep(&cut, &base, solver(2)).unwrap();
    assert_eq!(moved_before(&base, &kept, cut_from), Vec::<String>::new());
    // The cut must have forced something to move, or the test proves nothing.
    let after = diff::diff(
        &base,
        &kept.scheduled.timeline,
        diff::Plans {
            old: Some(&p),
            new: Some(&cut),
            new_network: None,
        },
    );
    assert!(after.tasks_moved > 0, "the cut moved nothing");
    let r = replan(&cut, &base, solver(2)).unwrap();
    fresh_only_when_better(&cut, &base, &kept, &r).unwrap();
}

#[test]
fn reported_work_is_kept_and_the_rest_follows_it() {
    let p = plan(7, 6, None, false);
    let base = baseline(&p);
    let status = d("2026-02-13");
    let mut now = p.clone();
    now.status_date = Some(status);
    let net = crate::network::build(&p).unwrap();
    // Report the baseline as it went: finished work done, started work in
    // progress (its remaining days as planned).
    for (i, row) in base.tasks.iter().enumerate() {
        let (Some(s), Some(f)) = (row.start, row.finish) else {
            continue;
        };
        if s <= status {
            now.progress.push(Progress {
                task: net.tasks[i].key,
                started: s,
                finished: (f <= status).then_some(f),
                crew: row.crew.as_ref().map(|c| {
                    crate::plan::CrewIx::from(p.crews.iter().position(|x| &x.id == c).unwrap())
                }),
                remaining_days: None,
                cost: None,
            });
        }
    }
    assert!(!now.progress.is_empty());
    let r = replan(&now, &base, solver(4)).unwrap();
    let t = &r.scheduled.timeline;
    let reported = t
        .tasks
        .iter()
        .filter(|x| matches!(x.status, Status::Done | Status::InProgress))
        .count();
    assert_eq!(reported, now.progress.len());
    assert!(t.tasks.iter().any(|x| x.status == Status::InProgress));
    // The progress matches the baseline, so nothing at all moves.
    assert_eq!(
        moved_before(&base, &r, d("2099-01-01")),
        Vec::<String>::new()
    );
    assert!(t
        .tasks
        .iter()
        .all(|x| x.status != Status::Planned || x.start > Some(status)));
}

#[test]
fn sites_that_would_strand_money_are_released() {
    // No money at all after the cut: sites whose procurement the baseline
    // starts before it but whose installs come after can no longer finish,
    // so their kept work is released rather than commit money to them.
    let p = plan(11, 10, Some(45_000), false);
    let base = baseline(&p);
    let cut_from = d("2026-04-05");
    let cut = cut_budget(&p, cut_from, 0.0);
    let kept = keep(&cut, &base, solver(3)).unwrap();
    let t = &kept.scheduled.timeline;
    assert!(
        !kept.released_sites.is_empty(),
        "the cut stranded nothing; the test proves nothing"
    );
    assert_eq!(moved_before(&base, &kept, cut_from), Vec::<String>::new());
    assert_eq!(
        t.summary.stranded_cost, 0.0,
        "money stranded: {:?}",
        kept.released_sites
    );
    let r = replan(&cut, &base, solver(3)).unwrap();
    fresh_only_when_better(&cut, &base, &kept, &r).unwrap();
    assert_eq!(r.scheduled.timeline.summary.stranded_cost, 0.0);
}

proptest! {
    #![proptest_config(crate::proptest_seed::config(32))]

    /// The stability guarantee: cut (or raise) the budget from a random day
    /// P, and perhaps add a site that cannot start before P: no task the
    /// baseline starts before P moves in the kept re-plan, and the re-plan
    /// published is that one unless a fresh solve is better before
    /// exposure.
    #[test]
    fn budget_changes_from_p_move_nothing_before_p(
        seed in 0u64..1000,
        offset in 20u64..400,
        factor in 0.0f64..1.5,
        carry in any::<bool>(),
        add_site in any::<bool>(),
    ) {
        let p = plan(seed, 7, Some(40_000), carry);
        let base = baseline(&p);
        let cut_from = p.start.checked_add_days(chrono::Days::new(offset)).unwrap();
        let mut cut = cut_budget(&p, cut_from, factor);
        if add_site {
            // A site found later, which cannot start before P.
            let mut s = cut.sites[0].clone();
            s.id = "site-new".into();
            s.not_before = Some(cut_from);
            cut.sites.push(s);
        }
        let kept = keep(&cut, &base, solver(seed)).unwrap();
        prop_assert_eq!(moved_before(&base, &kept, cut_from), Vec::<String>::new());
        let r = replan(&cut, &base, solver(seed)).unwrap();
        prop_assert_eq!(fresh_only_when_better(&cut, &base, &kept, &r), Ok(()));
    }
}

#[test]
fn a_period_short_of_money_is_released_whole() {
    let p = plan(5, 10, Some(50_000), false);
    let base = baseline(&p);
    let cut_from = d("2026-07-05");
    let cut = cut_budget(&p, cut_from, 0.395);
    let net = crate::network::build(&cut).unwrap();
    let low = crate::network::lower::lower(&cut, &net, &LowerOptions::default());
    let pins = pins::choose(&cut, &net, &low, &base, pins::Release::FromShortPeriodOn);
    // The first period whose baseline commitments no longer fit.
    let periods = &cut.budget.as_ref().unwrap().periods;
    let short = periods
        .iter()
        .find(|per| {
            let spent: f64 = base
                .tasks
                .iter()
                .filter(|t| t.start.is_some_and(|s| per.from <= s && s <= per.to))
                .filter_map(|t| t.cost)
                .sum();
            spent > per.amount.to_f64()
        })
        .expect("the cut leaves some period short");
    assert!(short.from >= cut_from);
    assert!(!pins.is_empty());
    assert!(pins.iter().all(|p| p.start < short.from));
    // Everything the baseline starts before that period is kept.
    let before = base
        .tasks
        .iter()
        .filter(|t| t.start.is_some_and(|s| s < short.from))
        .count();
    assert_eq!(pins.len(), before);
}

/// Issue 20, item 4: a diff given both plans starts with the budget cut
/// and the devices added, and says why every site that moved did so, on
/// time or not; slips come before gains within a tier, biggest first.
#[test]
fn a_diff_with_both_plans_says_what_changed_and_why_each_site_moved() {
    use super::diff::{Plans, SiteMove};
    let p = plan(5, 10, Some(50_000), false);
    let base = baseline(&p);
    let mut cut = cut_budget(&p, d("2026-07-05"), 0.395);
    let grown = cut.sites[0].id.clone();
    let before_devices = cut.sites[0].device_count();
    for (_, n) in cut.sites[0].devices.iter_mut() {
        *n *= 2;
    }
    let r = replan(&cut, &base, solver(2)).unwrap();
    let t = &r.scheduled.timeline;
    let both = Plans {
        old: Some(&p),
        new: Some(&cut),
        new_network: None,
    };
    let diff = super::diff::diff(&base, t, both);
    // The re-plan's own network, handed over, tells the same.
    let handed = Plans {
        new_network: Some(&r.scheduled.network),
        ..both
    };
    assert_eq!(super::diff::diff(&base, t, handed), diff);
    let c = &diff.plan_changes;
    assert!(c.plans_compared);
    assert!(!c.budget.is_empty(), "the cut periods are listed");
    for q in &c.budget {
        assert!(q.after.unwrap() < q.before.unwrap(), "{q:?}");
    }
    let site = c
        .sites
        .iter()
        .find(|s| s.id == grown)
        .expect("the grown site");
    assert!(
        site.changes[0].starts_with(&format!(
            "devices {before_devices} → {}",
            before_devices * 2
        )),
        "{site:?}"
    );
    let moved: Vec<_> = diff
        .sites
        .iter()
        .filter(|s| {
            matches!(
                s.change,
                SiteMove::Moved | SiteMove::NewlyLate | SiteMove::NewlyOnTime
            )
        })
        .collect();
    assert!(
        !moved.is_empty(),
        "the cut moved no site: the test proves nothing"
    );
    for s in &moved {
        let why = s.why.as_deref().unwrap_or("");
        assert!(why.contains("now: ") || why.starts_with("Now: "), "{s:?}");
    }
    // Within a tier and kind: slips (biggest first), then gains (biggest first).
    for w in diff.sites.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.tier == b.tier && a.change == SiteMove::Moved && b.change == SiteMove::Moved {
            let (x, y) = (a.days_moved.unwrap(), b.days_moved.unwrap());
            let key = |d: i64| (d < 0, -d.abs());
            assert!(key(x) <= key(y), "{x} before {y}");
        }
    }
    let md = super::markdown::diff_markdown(&diff, "p");
    let first = md.find("## What changed in the plan").unwrap();
    assert!(first < md.find("## Summary").unwrap(), "{md}");
    assert!(md.contains("- **Budget**"), "{md}");
    // Without the earlier plan, the diff says what it cannot compare.
    let one = super::diff::diff(
        &base,
        t,
        Plans {
            old: None,
            new: Some(&cut),
            new_network: None,
        },
    );
    assert!(one.plan_changes.budget.is_empty());
    let md = super::markdown::diff_markdown(&one, "p");
    assert!(md.contains("`replan --baseline-plan PLAN`"), "{md}");
    assert!(md.contains(&format!("`{grown}`")), "{md}");
}
