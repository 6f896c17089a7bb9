//! Property tests: random small problems with every kind of constraint;
//! every solution must pass a checker written here from the rules alone
//! (not from the engine's code), and a seed must give the same solution.

use super::*;
use crate::units::Money;
use proptest::prelude::*;
use std::rc::Rc;

/// Working days of a calendar, straight from its definition.
fn working(c: &Calendar, t: Time) -> bool {
    base_working(c, t) && !c.blocked.iter().any(|&(a, b)| a <= t && t <= b)
}

fn base_working(c: &Calendar, t: Time) -> bool {
    match &c.base {
        BaseCalendar::Continuous => true,
        BaseCalendar::Days(v) => t >= 0 && v.get(t as usize).copied().unwrap_or(false),
    }
}

/// Every rule a solution must keep; the first one broken, in words.
fn check(p: &Problem, sol: &Solution) -> Result<(), String> {
    let placed = |i: usize| sol.activities[i].as_ref().ok().copied();
    let mut committed: Vec<(Time, i64)> = Vec::new();
    for (i, a) in p.activities.iter().enumerate() {
        let Some(pl) = placed(i) else { continue };
        let (s, f) = (pl.start, pl.finish);
        if s < a.release {
            return Err(format!("{i} starts before its release"));
        }
        if f >= p.horizon {
            return Err(format!("{i} finishes at the horizon"));
        }
        let cal = &p.calendars[a.calendar.ix()];
        if a.duration == 0 {
            if f != s - 1 {
                return Err(format!(
                    "{i}: duration 0 must finish the day before it starts"
                ));
            }
        } else if a.kind == DurationKind::Elapsed {
            if !base_working(cal, s) || f != s + a.duration - 1 {
                return Err(format!("{i}: elapsed span wrong"));
            }
        } else {
            let days = (s..=f).filter(|&t| base_working(cal, t)).count() as i32;
            if !working(cal, s) || !working(cal, f) || days != a.duration {
                return Err(format!("{i}: working span {s}..={f} wrong"));
            }
            if (s..=f).any(|t| cal.blocked.iter().any(|&(x, y)| x <= t && t <= y)) {
                return Err(format!("{i} spans a blocked day"));
            }
        }
        let rate = match (a.units.is_empty() || a.duration == 0, pl.unit) {
            (true, _) => pl.unit.map_or(0, |u| p.units[u.ix()].day_rate.0),
            (false, None) => return Err(format!("{i} has no unit")),
            (false, Some(u)) => {
                let w = &p.units[u.ix()];
                if !a.units.contains(&u) || s < w.available_from || f > w.available_to {
                    return Err(format!("{i}: unit {u:?} not eligible or not available"));
                }
                w.day_rate.0
            }
        };
        if pl.cost.0 != a.cost.0 + rate * a.duration as i64 {
            return Err(format!("{i}: cost {:?}", pl.cost));
        }
        if pl.cost.0 > 0 {
            committed.push((s, pl.cost.0));
        }
    }
    for e in &p.precedences {
        match (placed(e.from.ix()), placed(e.to.ix())) {
            (Some(a), Some(b)) if b.start < a.finish + 1 + e.lag => {
                return Err(format!("precedence {e:?} broken"));
            }
            (None, Some(_)) => {
                return Err(format!("{} placed after unscheduled {}", e.to.0, e.from.0))
            }
            _ => {}
        }
    }
    for g in &p.groups {
        let any_failed = g.activities.iter().any(|a| placed(a.ix()).is_none());
        if any_failed && g.activities.iter().any(|a| placed(a.ix()).is_some()) {
            return Err("a group is partly placed".into());
        }
    }
    let n = p.activities.len();
    for u in 0..p.units.len() {
        for i in 0..n {
            for j in i + 1..n {
                if let (Some(a), Some(b)) = (placed(i), placed(j)) {
                    let busy =
                        |x: &Placement| x.unit == Some(UnitIx::from(u)) && x.finish >= x.start;
                    if busy(&a) && busy(&b) && a.start <= b.finish && b.start <= a.finish {
                        return Err(format!("unit {u} works {i} and {j} at once"));
                    }
                }
            }
        }
    }
    for (k, pool) in p.pools.iter().enumerate() {
        for t in 0..p.horizon {
            let used: i32 = (0..n)
                .filter_map(|i| placed(i).map(|pl| (i, pl)))
                .filter(|(_, pl)| pl.start <= t && t <= pl.finish)
                .flat_map(|(i, _)| {
                    p.activities[i]
                        .pool_demand
                        .iter()
                        .filter(|d| d.0.ix() == k)
                        .map(|d| d.1)
                })
                .sum();
            if used > pool.capacity {
                return Err(format!("pool {k} over capacity on day {t}"));
            }
        }
    }
    if let Some(b) = &p.budget {
        let period = |t: Time| b.periods.iter().position(|q| q.from <= t && t <= q.to);
        let mut sums = vec![0i64; b.periods.len()];
        for &(t, c) in &committed {
            let Some(q) = period(t) else {
                return Err(format!("cost committed outside a period on {t}"));
            };
            sums[q] += c;
        }
        let (mut cs, mut ca) = (0, 0);
        for (q, per) in b.periods.iter().enumerate() {
            cs += sums[q];
            ca += per.amount.0;
            let over = if b.carry_over {
                cs > ca
            } else {
                sums[q] > per.amount.0
            };
            if over {
                return Err(format!("budget period {q} overspent"));
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
struct Spec {
    acts: Vec<(i32, bool, usize, Time, i64, u8, u8)>,
    edges: Vec<(usize, usize, i32)>,
    group_cuts: Vec<bool>,
    blocked: Vec<(Time, Time)>,
    pools: Vec<i32>,
    units: Vec<(Time, Time, i64)>,
    budget: Option<(bool, Vec<i64>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let act = (
        0..5i32,
        any::<bool>(),
        0..3usize,
        0..8 as Time,
        0..60i64,
        any::<u8>(),
        any::<u8>(),
    );
    (
        prop::collection::vec(act, 1..10),
        prop::collection::vec((0..10usize, 0..10usize, 0..3i32), 0..12),
        prop::collection::vec(any::<bool>(), 10),
        prop::collection::vec((0..40 as Time, 0..3 as Time), 0..3),
        // Up to six pools: the core checks pools four to a block, so
        // this covers a day of two blocks too.
        prop::collection::vec(1..4i32, 0..7),
        prop::collection::vec((0..10 as Time, 10..60 as Time, 0..20i64), 0..3),
        prop::option::of((any::<bool>(), prop::collection::vec(0..150i64, 1..5))),
    )
        .prop_map(
            |(acts, edges, group_cuts, blocked, pools, units, budget)| Spec {
                acts,
                edges,
                group_cuts,
                blocked,
                pools,
                units,
                budget,
            },
        )
}

fn build(s: &Spec) -> Problem {
    let n = s.acts.len();
    let weekdays = Rc::new((0..80).map(|t| t % 7 < 5).collect::<Vec<bool>>());
    let mut blocked: Vec<(Time, Time)> = s.blocked.iter().map(|&(a, l)| (a, a + l)).collect();
    blocked.sort_unstable();
    blocked.dedup_by(|b, a| {
        b.0 <= a.1 + 1 && {
            a.1 = a.1.max(b.1);
            true
        }
    });
    let calendars = vec![
        Calendar {
            base: BaseCalendar::Continuous,
            blocked: vec![],
        },
        Calendar {
            base: BaseCalendar::Days(weekdays.clone()),
            blocked: vec![],
        },
        Calendar {
            base: BaseCalendar::Days(weekdays),
            blocked,
        },
    ];
    // Groups: runs of consecutive activities, so that edges from lower to
    // higher indices keep the groups acyclic and each group's list ordered.
    let mut groups: Vec<Group> = Vec::new();
    let mut activities = Vec::new();
    for (i, &(dur, elapsed, cal, release, cost, pm, um)) in s.acts.iter().enumerate() {
        if i == 0 || s.group_cuts[i] {
            groups.push(Group { activities: vec![] });
        }
        let g = groups.len() - 1;
        groups[g].activities.push(ActIx::from(i));
        let pool_demand = (0..s.pools.len())
            .filter(|k| pm & (1 << k) != 0)
            .map(|k| (PoolIx::from(k), 1 + (pm as i32 >> 4) % s.pools[k]))
            .collect();
        let units = (0..s.units.len())
            .filter(|k| um & (1 << k) != 0)
            .map(UnitIx::from)
            .collect();
        activities.push(Activity {
            duration: dur,
            kind: if elapsed {
                DurationKind::Elapsed
            } else {
                DurationKind::Working
            },
            calendar: CalIx::from(cal),
            release,
            pool_demand,
            units,
            cost: Money(cost),
            group: GroupIx::from(g),
            fixed: None,
        });
    }
    let mut precedences: Vec<Precedence> = s
        .edges
        .iter()
        .filter(|&&(a, b, _)| a < b && b < n)
        .map(|&(a, b, lag)| Precedence {
            from: ActIx::from(a),
            to: ActIx::from(b),
            lag,
        })
        .collect();
    precedences.sort_by_key(|e| (e.from, e.to));
    precedences.dedup_by_key(|e| (e.from, e.to));
    let budget = s.budget.as_ref().map(|(carry, amounts)| BudgetRule {
        periods: amounts
            .iter()
            .enumerate()
            .map(|(k, &a)| BudgetPeriod {
                from: k as Time * 12,
                to: k as Time * 12 + 9,
                amount: Money(a),
            })
            .collect(),
        carry_over: *carry,
    });
    Problem {
        activities,
        precedences,
        calendars,
        pools: s.pools.iter().map(|&c| Pool { capacity: c }).collect(),
        units: s
            .units
            .iter()
            .map(|&(a, b, r)| Unit {
                available_from: a,
                available_to: b,
                day_rate: Money(r),
            })
            .collect(),
        budget,
        groups,
        objective: Objective {
            milestones: (0..n)
                .step_by(3)
                .map(|i| Milestone {
                    activities: vec![ActIx::from(i)],
                    weight: 1.0 + i as f64,
                    unscheduled_weight: 1.0,
                    deadline: Some(10),
                    class: 0,
                })
                .collect(),
            ..Objective::default()
        },
        horizon: 70,
    }
}

proptest! {
    #![proptest_config(crate::proptest_seed::config(200))]

    #[test]
    fn every_solution_keeps_every_rule(s in spec(), schedules in 1u64..40, seed in 0u64..5) {
        let p = build(&s);
        let opts = SearchOptions { schedules, seed, ..SearchOptions::default() };
        let sol = solve(&p, &opts);
        prop_assert!(sol.schedules <= schedules);
        if let Err(e) = check(&p, &sol) {
            prop_assert!(false, "{e}\n{sol:?}");
        }
        prop_assert_eq!(&sol, &solve(&p, &opts), "same seed, same solution");
    }

    #[test]
    fn makespan_problems_use_the_other_search_and_stay_valid(s in spec(), schedules in 1u64..40) {
        let mut p = build(&s);
        p.objective.milestones.clear();
        let sol = solve(&p, &SearchOptions { schedules, ..SearchOptions::default() });
        if let Err(e) = check(&p, &sol) {
            prop_assert!(false, "{e}\n{sol:?}");
        }
    }

    /// Where only durations, precedences and pools count, no schedule
    /// beats the floor, and the search stops early only on it (or when
    /// one group leaves just one order to try).
    #[test]
    fn the_floor_is_a_bound_and_the_only_early_stop(s in spec(), schedules in 1u64..60, seed in 0u64..5) {
        let mut p = build(&s);
        p.objective.milestones.clear();
        p.budget = None;
        p.units.clear();
        for a in &mut p.activities {
            (a.units, a.cost, a.release, a.calendar) = (Default::default(), Money(0), 0, CalIx(0));
        }
        let floor = super::bound::finish_floor(&p).expect("a plain problem has a floor");
        let sol = solve(&p, &SearchOptions { schedules, seed, ..SearchOptions::default() });
        if let Err(e) = check(&p, &sol) {
            prop_assert!(false, "{e}\n{sol:?}");
        }
        if sol.activities.iter().all(|a| a.is_ok()) {
            prop_assert!(sol.score.finish >= floor, "{} beats the floor {floor}", sol.score.finish);
        }
        if sol.schedules < schedules && p.groups.len() > 1 {
            prop_assert_eq!(sol.score.finish, floor, "stopped early off the floor");
        }
    }
}

#[test]
fn the_checker_rejects_planted_faults() {
    let s = Spec {
        acts: vec![(3, false, 1, 0, 50, 1, 1), (2, false, 1, 0, 50, 1, 1)],
        edges: vec![(0, 1, 1)],
        group_cuts: vec![true; 10],
        blocked: vec![],
        pools: vec![1],
        units: vec![(0, 60, 10)],
        budget: Some((false, vec![200, 200])),
    };
    let p = build(&s);
    let sol = solve(&p, &SearchOptions::default());
    check(&p, &sol).unwrap();
    let plant = |f: &dyn Fn(&mut Placement)| {
        let mut bad = sol.clone();
        if let Ok(pl) = bad.activities[1].as_mut() {
            f(pl);
        }
        check(&p, &bad)
    };
    assert!(plant(&|pl| pl.start -= 1).is_err(), "precedence and span");
    assert!(plant(&|pl| pl.cost = Money(1)).is_err(), "cost");
    assert!(plant(&|pl| pl.unit = None).is_err(), "unit");
    assert!(plant(&|pl| {
        pl.start += 40;
        pl.finish += 40
    })
    .is_err());
}
