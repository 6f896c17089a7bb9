//! Unit tests of the timeline builder on hand-made solutions.

use super::*;
use crate::network::build as build_network;
use crate::network::lower::{lower, LowerOptions};
use crate::network::tests::{d, worked_example};
use crate::schedule::{ActIx, Score, UnitIx};

/// The worked example placed by hand, back to back from Monday 5 Jan 2026.
pub(crate) fn placed_by_hand() -> Vec<Result<Placement, Failure>> {
    let p = |start, finish, unit: Option<u32>, cost| {
        Ok(Placement {
            start,
            finish,
            unit: unit.map(UnitIx),
            cost: Money(cost),
        })
    };
    vec![
        p(0, 0, Some(0), 100_000),     // survey Mon 5 Jan
        p(1, 45, None, 4_500_000),     // procure 6 Jan – 19 Feb
        p(46, 70, Some(0), 1_700_000), // install/1 Fri 20 Feb: 17 working days
        p(71, 77, Some(0), 500_000),   // install/2
        p(78, 78, Some(0), 100_000),   // commission
        p(79, 84, Some(0), 400_000),   // remove/1
        p(85, 86, Some(0), 200_000),   // remove/2
        p(87, 91, None, 110_000),      // dispose
    ]
}

pub(crate) fn solution(acts: Vec<Result<Placement, Failure>>) -> Solution {
    Solution {
        activities: acts,
        score: Score::default(),
        schedules: 1,
    }
}

#[test]
fn scheduled_worked_example_has_rows_and_summary() {
    let mut plan = worked_example();
    plan.sites[0].deadline = Some(d("2026-03-31"));
    let net = build_network(&plan).unwrap();
    let low = lower(&plan, &net, &LowerOptions::default());
    let tl = build(&plan, &net, &low, &solution(placed_by_hand()));
    assert_eq!(tl.tasks.len(), 8);
    let r = &tl.tasks[2];
    assert_eq!(r.id, "alpha/install/1");
    assert_eq!((r.phase.as_str(), r.package), ("install", Some(1)));
    assert_eq!(r.start, Some(d("2026-02-20")));
    assert_eq!(r.crew.as_deref(), Some("crew-a"));
    assert_eq!(r.cost, Some(17_000.0));
    assert_eq!(r.status, Status::Planned);
    assert_eq!(tl.tasks[1].crew, None);
    let site = &tl.sites[0];
    // remove/2 finishes on day 86 = 1 April 2026: one day late.
    assert_eq!(site.removal_complete, Some(d("2026-04-01")));
    assert_eq!(site.late_days, Some(1));
    let s = &tl.summary;
    assert_eq!(s.sites_late, 1);
    assert_eq!(s.total_cost, 76_100.0);
    assert_eq!(s.exposure, 63.0 * 87.0);
    assert_eq!(s.finish, Some(d("2026-04-06")));
    assert_eq!(
        (s.unscheduled, s.sites_unscheduled, s.stranded_cost),
        (0, 0, 0.0)
    );
}

#[test]
fn unscheduled_tasks_have_reasons_and_strand_money() {
    let mut plan = worked_example();
    plan.sites[0].cleared_only = true;
    plan.crews[0].cleared = true;
    let net = build_network(&plan).unwrap();
    let low = lower(&plan, &net, &LowerOptions::default());
    let mut acts = placed_by_hand();
    acts[2] = Err(Failure::Budget {
        from: 400,
        cost: Money(12_000_000),
    });
    acts[3] = Err(Failure::Withdrawn(ActIx(2)));
    acts[4] = Err(Failure::BlockedBy(ActIx(2)));
    acts[5] = Err(Failure::NoUnit);
    acts[6] = Err(Failure::Horizon);
    acts[7] = Err(Failure::BlockedBy(ActIx(5)));
    let tl = build(&plan, &net, &low, &solution(acts));
    let reasons: Vec<_> = tl.tasks.iter().map(|t| t.reason.as_deref()).collect();
    assert_eq!(
        reasons[2],
        Some("budget: no period from 2027-02-09 can fund 120000.00 GBP")
    );
    assert_eq!(
        reasons[3],
        Some("held back: alpha/install/1 cannot be placed, so no money is committed to this site")
    );
    assert_eq!(reasons[4], Some("blocked by alpha/install/1"));
    assert_eq!(
        reasons[5],
        Some("no cleared crew in region north is ever available for 4 working days at this site")
    );
    assert!(reasons[6]
        .unwrap()
        .starts_with("cannot finish before 2046-01-05"));
    let r = &tl.tasks[3];
    assert_eq!((r.start, r.crew.as_ref(), r.cost), (None, None, None));
    assert_eq!(r.status, Status::Unscheduled);
    let s = &tl.summary;
    assert_eq!(s.unscheduled, 6);
    assert_eq!((s.sites_unscheduled, s.devices_unscheduled), (1, 63));
    assert_eq!(s.stranded_cost, 46_000.0);
    assert_eq!(s.total_cost, 46_000.0);
    assert_eq!(s.exposure, 0.0);
    assert_eq!(tl.sites[0].late_days, None);
    assert_eq!(s.removal_complete, None);
}

/// The worked example with its disposal past the horizon (one
/// unscheduled task), for the writers' tests.
pub(crate) fn worked_example_past_horizon() -> Timeline {
    let plan = worked_example();
    let net = build_network(&plan).unwrap();
    let low = lower(&plan, &net, &LowerOptions::default());
    let mut acts = placed_by_hand();
    acts[7] = Err(Failure::Horizon);
    build(&plan, &net, &low, &solution(acts))
}
