//! Unit tests of the lowering.

use super::*;
use crate::network::build;
use crate::network::tests::{d, site, worked_example};
use crate::plan::*;

#[test]
fn worked_example_lowers_with_calendars_units_and_milestones() {
    let mut plan = worked_example();
    plan.sites[0].not_before = Some(d("2026-01-12"));
    plan.sites[0].deadline = Some(d("2026-06-30"));
    plan.sites[0].blackouts = vec![DateRange {
        from: d("2026-02-02"),
        to: d("2026-02-06"),
    }];
    let net = build(&plan).unwrap();
    let low = lower(&plan, &net, &LowerOptions::default());
    let p = &low.problem;
    // 2026-01-05 + 20 years = 2046-01-05.
    assert_eq!(low.date(p.horizon), d("2046-01-05"));
    assert_eq!(p.calendars.len(), 2);
    assert_eq!(p.calendars[1].blocked, vec![(28, 32)]);
    let BaseCalendar::Days(days) = &p.calendars[0].base else {
        panic!("plans use a day calendar")
    };
    // Monday 5 Jan works, Saturday 10 Jan does not.
    assert!(days[0] && !days[5]);
    assert_eq!(p.activities.len(), 8);
    assert_eq!(p.activities[0].calendar, CalIx(1));
    assert_eq!(p.activities[1].calendar, CalIx(0));
    assert_eq!(p.activities[1].kind, DurationKind::Elapsed);
    assert_eq!(p.activities[1].cost, Money(4_500_000));
    assert_eq!(p.activities[0].release, 7);
    assert_eq!(*p.activities[2].units, [UnitIx(0)]);
    assert!(p.activities[1].units.is_empty());
    assert_eq!(p.groups.len(), 1);
    assert_eq!(p.groups[0].activities.len(), 8);
    let m = &p.objective.milestones[0];
    assert_eq!(m.activities, vec![ActIx(5), ActIx(6)]);
    assert_eq!(m.weight, 63.0);
    assert_eq!(m.deadline, Some(low.time(d("2026-06-30"))));
    assert_eq!(p.precedences.len(), net.edges.len());
}

#[test]
fn cleared_sites_only_get_cleared_crews_of_their_region() {
    let mut plan = worked_example();
    plan.regions.push(Region {
        id: "south".into(),
        name: None,
    });
    let crew = |id: &str, region, cleared| Crew {
        id: id.into(),
        region: RegionIx(region),
        cleared,
        day_rate: Money(100),
        available_from: None,
        available_to: None,
    };
    plan.crews = vec![crew("a", 0, false), crew("b", 0, true), crew("c", 1, true)];
    plan.sites[0].cleared_only = true;
    let net = build(&plan).unwrap();
    let low = lower(&plan, &net, &LowerOptions::default());
    assert_eq!(*low.problem.activities[0].units, [UnitIx(1)]);
}

#[test]
fn sites_tied_in_a_cycle_share_a_group_in_topological_order() {
    let mut plan = worked_example();
    plan.sites.push(site("beta", vec![(DeviceTypeIx(2), 3)]));
    plan.sites.push(site("gamma", vec![(DeviceTypeIx(2), 3)]));
    let r = |s, phase| PhaseRef {
        site: SiteIx(s),
        phase,
    };
    // alpha's disposal waits for beta's removal, and beta's survey for
    // alpha's: no task cycle, but the sites must be ordered together.
    plan.dependencies.push(Dependency {
        from: r(1, Phase::Remove),
        to: r(0, Phase::Dispose),
        lag_days: 0,
    });
    plan.dependencies.push(Dependency {
        from: r(0, Phase::Survey),
        to: r(1, Phase::Survey),
        lag_days: 2,
    });
    let net = build(&plan).unwrap();
    let low = lower(&plan, &net, &LowerOptions::default());
    let groups = &low.problem.groups;
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].activities.len(), 11);
    let pos = |t: usize| {
        groups[0]
            .activities
            .iter()
            .position(|a| a.ix() == t)
            .unwrap()
    };
    assert!(pos(9) < pos(7), "beta/remove/1 before alpha/dispose");
    assert_eq!(low.problem.activities[8].group, GroupIx(0));
    assert_eq!(low.problem.activities[11].group, GroupIx(1));
}

#[test]
fn progress_becomes_fixed_work_with_actual_costs() {
    let mut plan = worked_example();
    plan.status_date = Some(d("2026-01-14"));
    plan.sites[0].blackouts = vec![DateRange {
        from: d("2026-01-15"),
        to: d("2026-01-16"),
    }];
    let key = |phase, package| TaskKey {
        site: SiteIx(0),
        phase,
        package,
    };
    plan.progress = vec![
        Progress {
            task: key(Phase::Survey, None),
            started: d("2026-01-05"),
            finished: Some(d("2026-01-06")),
            crew: Some(CrewIx(0)),
            remaining_days: None,
            cost: None,
        },
        Progress {
            task: key(Phase::Procure, None),
            started: d("2026-01-07"),
            finished: None,
            crew: None,
            remaining_days: None,
            cost: Some(Money(123)),
        },
        Progress {
            task: key(Phase::Install, Some(2)),
            started: d("2026-01-12"),
            finished: None,
            crew: Some(CrewIx(0)),
            remaining_days: None,
            cost: None,
        },
    ];
    let net = build(&plan).unwrap();
    let low = lower(&plan, &net, &LowerOptions::default());
    let acts = &low.problem.activities;
    let fixed = |i: usize| acts[i].fixed.unwrap();
    // Survey: done over two working days.
    assert_eq!(low.state[0], TaskState::Done);
    assert_eq!(low.duration[0], 2);
    assert_eq!(
        (fixed(0).start, fixed(0).finish, fixed(0).cost),
        (0, 1, Money(200_000))
    );
    // Procurement: 8 calendar days done of 45, so 37 more after the 14th.
    assert_eq!(low.state[1], TaskState::InProgress);
    assert_eq!(low.date(fixed(1).finish), d("2026-02-20"));
    assert_eq!(low.duration[1], 45);
    assert_eq!(fixed(1).cost, Money(123));
    // Install/2 (5 days): worked 12–14 Jan (3), 2 left; the blackout on
    // 15–16 and the weekend pause it, so it finishes Tuesday 20 Jan.
    assert_eq!(low.date(fixed(3).finish), d("2026-01-20"));
    assert_eq!(low.duration[3], 5);
    assert_eq!(fixed(3).unit, Some(UnitIx(0)));
    assert_eq!(fixed(3).cost, Money(500_000));
    // Planned work starts after the status date.
    assert_eq!(acts[2].release, low.time(d("2026-01-15")));
    assert!(acts[2].fixed.is_none());
}

#[test]
fn pins_fix_planned_tasks_only() {
    let plan = worked_example();
    let net = build(&plan).unwrap();
    let opts = LowerOptions {
        pins: vec![Pin {
            task: TaskIx(0),
            start: d("2026-01-07"),
            finish: d("2026-01-07"),
            crew: Some(CrewIx(0)),
            cost: Money(100_000),
        }],
    };
    let low = lower(&plan, &net, &opts);
    let f = low.problem.activities[0].fixed.unwrap();
    assert_eq!((f.start, f.finish, f.unit), (2, 2, Some(UnitIx(0))));
    assert_eq!(low.state[0], TaskState::Planned);
}
