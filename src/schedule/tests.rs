//! Hand-made problems, one constraint at a time, solved with a single pass
//! so that the expected placement can be worked out by hand.

use super::*;
use crate::units::Money;
use std::rc::Rc;

/// Day 0 is a Monday; `n` days of Mon–Fri.
fn weekdays(n: usize) -> Rc<Vec<bool>> {
    Rc::new((0..n).map(|t| t % 7 < 5).collect())
}

fn act(duration: i32, group: usize) -> Activity {
    Activity {
        duration,
        kind: DurationKind::Working,
        calendar: CalIx(0),
        release: 0,
        pool_demand: vec![],
        units: Default::default(),
        cost: Money::ZERO,
        group: GroupIx::from(group),
        fixed: None,
    }
}

/// One group per activity, in index order, on the given calendars.
fn problem(activities: Vec<Activity>, calendars: Vec<Calendar>) -> Problem {
    let mut p = Problem {
        groups: vec![],
        calendars,
        horizon: 200,
        ..Problem::default()
    };
    for (i, a) in activities.into_iter().enumerate() {
        while p.groups.len() <= a.group.ix() {
            p.groups.push(Group { activities: vec![] });
        }
        p.groups[a.group.ix()].activities.push(ActIx::from(i));
        p.activities.push(a);
    }
    p
}

fn cont() -> Vec<Calendar> {
    vec![Calendar {
        base: BaseCalendar::Continuous,
        blocked: vec![],
    }]
}

fn unit(from: Time, to: Time, rate: i64) -> Unit {
    Unit {
        available_from: from,
        available_to: to,
        day_rate: Money(rate),
    }
}

fn one_pass(p: &Problem) -> Solution {
    solve(p, &SearchOptions::default())
}

fn at(sol: &Solution, i: usize) -> (Time, Time) {
    let pl = sol.activities[i]
        .as_ref()
        .unwrap_or_else(|e| panic!("activity {i} failed: {e:?}"));
    (pl.start, pl.finish)
}

#[test]
fn precedence_with_lag_and_release() {
    let mut a1 = act(2, 1);
    a1.release = 1;
    let mut p = problem(vec![act(3, 0), a1, act(1, 2)], cont());
    p.precedences = vec![
        Precedence {
            from: ActIx(0),
            to: ActIx(2),
            lag: 2,
        },
        Precedence {
            from: ActIx(1),
            to: ActIx(2),
            lag: 0,
        },
    ];
    let s = one_pass(&p);
    assert_eq!(at(&s, 0), (0, 2));
    assert_eq!(at(&s, 1), (1, 2));
    assert_eq!(at(&s, 2), (5, 5), "finish 2 + 1 + lag 2");
    assert_eq!(s.score.finish, 6);
}

#[test]
fn working_days_blocked_ranges_and_elapsed() {
    let base = weekdays(100);
    let cals = vec![
        Calendar {
            base: BaseCalendar::Days(base.clone()),
            blocked: vec![],
        },
        Calendar {
            base: BaseCalendar::Days(base),
            blocked: vec![(8, 9)],
        },
    ];
    let mut a = act(3, 0);
    a.release = 3; // Thursday
    let mut b = act(3, 1);
    b.calendar = CalIx(1);
    b.release = 7; // Monday; Tue–Wed blocked
    let mut c = act(4, 2);
    c.kind = DurationKind::Elapsed;
    c.release = 5; // Saturday → Monday 7
    let p = problem(vec![a, b, c], cals);
    let s = one_pass(&p);
    assert_eq!(at(&s, 0), (3, 7), "Thu, Fri, Mon");
    assert_eq!(at(&s, 1), (10, 14), "cannot span the blocked Tue–Wed");
    assert_eq!(
        at(&s, 2),
        (7, 10),
        "elapsed: calendar days from a working day"
    );
}

#[test]
fn a_unit_works_one_activity_a_day_inside_its_window() {
    let mut acts = vec![act(3, 0), act(2, 1), act(2, 2)];
    for a in &mut acts {
        a.units = vec![UnitIx(0), UnitIx(1)].into();
    }
    let mut p = problem(acts, cont());
    p.units = vec![unit(0, 100, 10), unit(2, 3, 5)];
    let s = one_pass(&p);
    let pl: Vec<Placement> = s.activities.iter().map(|r| *r.as_ref().unwrap()).collect();
    assert_eq!((pl[0].start, pl[0].unit), (0, Some(UnitIx(0))));
    // Unit 1 opens on day 2 and can hold exactly one 2-day activity.
    assert_eq!(
        (pl[1].start, pl[1].unit, pl[1].cost),
        (2, Some(UnitIx(1)), Money(10))
    );
    assert_eq!((pl[2].start, pl[2].unit), (3, Some(UnitIx(0))));
}

#[test]
fn no_unit_when_no_window_is_long_enough() {
    let mut a = act(5, 0);
    a.units = vec![UnitIx(0)].into();
    let mut p = problem(vec![a, act(1, 1)], cont());
    p.units = vec![unit(0, 3, 0)];
    p.precedences = vec![Precedence {
        from: ActIx(0),
        to: ActIx(1),
        lag: 0,
    }];
    let s = one_pass(&p);
    assert_eq!(s.activities[0], Err(Failure::NoUnit));
    assert_eq!(s.activities[1], Err(Failure::BlockedBy(ActIx(0))));
}

#[test]
fn pools_cap_parallel_use() {
    let mut acts = vec![act(2, 0), act(2, 1), act(2, 2)];
    for a in &mut acts {
        a.pool_demand = vec![(PoolIx(0), 2)];
    }
    let mut p = problem(acts, cont());
    p.pools = vec![Pool { capacity: 4 }];
    let s = one_pass(&p);
    assert_eq!((at(&s, 0), at(&s, 1), at(&s, 2)), ((0, 1), (0, 1), (2, 3)));
}

fn budget(carry_over: bool, periods: &[(Time, Time, i64)]) -> Option<BudgetRule> {
    Some(BudgetRule {
        periods: periods
            .iter()
            .map(|&(from, to, a)| BudgetPeriod {
                from,
                to,
                amount: Money(a),
            })
            .collect(),
        carry_over,
    })
}

#[test]
fn budget_without_carry_over_moves_work_to_a_funded_period() {
    let mut acts = vec![act(1, 0), act(1, 1), act(1, 2)];
    for a in &mut acts {
        a.cost = Money(60);
    }
    let mut p = problem(acts, cont());
    p.budget = budget(false, &[(0, 9, 100), (10, 19, 100), (30, 39, 50)]);
    let s = one_pass(&p);
    assert_eq!(at(&s, 0).0, 0);
    assert_eq!(at(&s, 1).0, 10, "period 1 has only 40 left");
    assert_eq!(
        s.activities[2],
        Err(Failure::Budget {
            from: 0,
            cost: Money(60)
        })
    );
}

#[test]
fn budget_with_carry_over_uses_unspent_money() {
    let mut acts = vec![act(1, 0), act(1, 1), act(1, 2)];
    for a in &mut acts {
        a.cost = Money(60);
    }
    acts[0].release = 10;
    let mut p = problem(acts, cont());
    p.budget = budget(true, &[(0, 9, 100), (10, 19, 50)]);
    let s = one_pass(&p);
    // Period 0 may not commit more than 100 in total... but neither may the
    // two together exceed 150: 60 (day 10) + 60 (day 0) = 120 fits;
    // a third 60 would make 180.
    assert_eq!(at(&s, 0).0, 10);
    assert_eq!(at(&s, 1).0, 0);
    assert!(matches!(s.activities[2], Err(Failure::Budget { .. })));
}

#[test]
fn fixed_work_is_kept_even_over_budget_and_blocks_its_unit() {
    let mut f = act(3, 0);
    f.units = vec![UnitIx(0)].into();
    f.fixed = Some(Placement {
        start: -2,
        finish: 1,
        unit: Some(UnitIx(0)),
        cost: Money(500),
    });
    let mut a = act(2, 1);
    a.units = vec![UnitIx(0)].into();
    let mut b = act(1, 2);
    b.cost = Money(10);
    let mut p = problem(vec![f, a, b], cont());
    p.units = vec![unit(-10, 100, 0)];
    p.budget = budget(false, &[(-5, 9, 100), (10, 19, 100)]);
    let s = one_pass(&p);
    assert_eq!(at(&s, 0), (-2, 1));
    assert_eq!(at(&s, 1), (2, 3), "the unit is busy until day 1");
    assert_eq!(at(&s, 2).0, 10, "the fixed cost used up period 0");
}

#[test]
fn a_failed_group_is_rolled_back_whole() {
    // Group 0: a (cost 60) then b (cost 60); budget 100: b fails, so a is
    // withdrawn and its money freed for group 1's c.
    let mut a = act(1, 0);
    a.cost = Money(60);
    let mut b = act(1, 0);
    b.cost = Money(60);
    b.group = GroupIx(0);
    let mut c = act(1, 1);
    c.cost = Money(90);
    let mut p = problem(vec![a, b, c, act(1, 2)], cont());
    p.budget = budget(false, &[(0, 9, 100)]);
    p.precedences = vec![
        Precedence {
            from: ActIx(0),
            to: ActIx(1),
            lag: 0,
        },
        Precedence {
            from: ActIx(1),
            to: ActIx(3),
            lag: 0,
        },
    ];
    let s = one_pass(&p);
    assert_eq!(
        s.activities[1],
        Err(Failure::Budget {
            from: 1,
            cost: Money(60)
        })
    );
    assert_eq!(s.activities[0], Err(Failure::Withdrawn(ActIx(1))));
    assert_eq!(at(&s, 2).0, 0, "the withdrawn money is available again");
    assert_eq!(s.activities[3], Err(Failure::BlockedBy(ActIx(1))));
}

#[test]
fn nothing_finishes_at_or_after_the_horizon() {
    let mut p = problem(vec![act(150, 0), act(100, 1)], cont());
    p.precedences = vec![Precedence {
        from: ActIx(0),
        to: ActIx(1),
        lag: 0,
    }];
    let s = one_pass(&p);
    assert_eq!(at(&s, 0), (0, 149));
    assert_eq!(s.activities[1], Err(Failure::Horizon));
}

#[test]
fn score_counts_milestones() {
    let mut p = problem(vec![act(3, 0), act(2, 1)], cont());
    p.pools = vec![Pool { capacity: 1 }];
    for a in &mut p.activities {
        a.pool_demand = vec![(PoolIx(0), 1)];
    }
    p.objective.milestones = vec![
        Milestone {
            activities: vec![ActIx(0)],
            weight: 1.0,
            unscheduled_weight: 1.0,
            deadline: Some(1),
            class: 0,
        },
        Milestone {
            activities: vec![ActIx(1)],
            weight: 10.0,
            unscheduled_weight: 10.0,
            deadline: None,
            class: 0,
        },
    ];
    let s = solve(
        &p,
        &SearchOptions {
            schedules: 50,
            ..SearchOptions::default()
        },
    );
    // The light one is late either way; first it is 1 day late, second 3:
    // fewer days late beats the heavy one's lower exposure.
    assert_eq!(at(&s, 0), (0, 2));
    assert_eq!(s.score.late_milestones, 1);
    assert_eq!(s.score.late_days, 1);
    assert_eq!(s.score.exposure, 1.0 * 3.0 + 10.0 * 5.0);
}

#[test]
fn a_time_limit_stops_the_search_and_progress_is_reported() {
    let p = problem((0..6).map(|g| act(2, g)).collect(), cont());
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = calls.clone();
    let opts = SearchOptions {
        schedules: 1_000_000,
        time_limit: Some(std::time::Duration::ZERO),
        progress: Some(ProgressFn(std::sync::Arc::new(move |_p: &Progress| {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }))),
        ..SearchOptions::default()
    };
    let s = solve(&p, &opts);
    assert_eq!(
        s.schedules, 1,
        "one pass always runs, then the limit stops it"
    );
    assert!(s.activities.iter().all(|r| r.is_ok()));
    assert!(calls.load(std::sync::atomic::Ordering::Relaxed) >= 1);
}
