//! A lower bound on how soon a problem can finish, so that the search can
//! stop once its best schedule reaches it: no schedule can be shorter, and
//! the passes left would only cost time. On PSPLIB's J120 about a third of
//! the instances have a best known makespan equal to the critical path
//! (docs/performance.md).

use super::problem::*;

/// The larger of the critical path and, for each pool, its work divided by
/// its capacity: no schedule's `Score::finish` can be smaller. `None` when
/// the problem has rules these bounds do not account for (crews, money,
/// calendars with days off, fixed work, releases, milestones, negative
/// lags, demand above capacity), or when its precedences form a cycle.
pub(crate) fn finish_floor(p: &Problem) -> Option<Time> {
    if !plain(p) {
        return None;
    }
    let work = pools_work(p);
    let critical = critical_path(p)?;
    Some(critical.max(work))
}

/// Whether only durations, precedences and pools decide when work can go.
fn plain(p: &Problem) -> bool {
    let every_day = |c: &Calendar| c.base == BaseCalendar::Continuous && c.blocked.is_empty();
    p.budget.is_none()
        && p.objective.milestones.is_empty()
        && p.precedences.iter().all(|e| e.lag >= 0)
        && p.activities.iter().all(|a| {
            every_day(&p.calendars[a.calendar.ix()])
                && a.fixed.is_none()
                && a.units.is_empty()
                && a.release == 0
                && a.duration >= 0
                && a.pool_demand
                    .iter()
                    .all(|&(q, d)| d <= p.pools[q.ix()].capacity)
        })
}

/// The longest chain of durations through the precedences (lags included),
/// by Kahn's algorithm; `None` on a cycle.
fn critical_path(p: &Problem) -> Option<Time> {
    let n = p.activities.len();
    let mut succs = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for e in &p.precedences {
        succs[e.from.ix()].push((e.to.ix(), e.lag));
        indeg[e.to.ix()] += 1;
    }
    // The earliest start each activity's predecessors allow.
    let mut early: Vec<Time> = vec![0; n];
    let mut ready: Vec<usize> = (0..n).filter(|&j| indeg[j] == 0).collect();
    let (mut done, mut end) = (0, 0);
    while let Some(j) = ready.pop() {
        done += 1;
        // A successor may start `lag` days after `j`'s last day.
        let after = early[j] + p.activities[j].duration;
        end = end.max(after);
        for &(s, lag) in &succs[j] {
            early[s] = early[s].max(after + lag);
            indeg[s] -= 1;
            if indeg[s] == 0 {
                ready.push(s);
            }
        }
    }
    (done == n).then_some(end)
}

/// The most days any pool's work needs at full capacity.
fn pools_work(p: &Problem) -> Time {
    let mut work = vec![0i64; p.pools.len()];
    for a in &p.activities {
        for &(q, d) in &a.pool_demand {
            work[q.ix()] += a.duration as i64 * d as i64;
        }
    }
    work.iter()
        .zip(&p.pools)
        .filter(|(_, pool)| pool.capacity > 0)
        .map(|(&w, pool)| (w + pool.capacity as i64 - 1) / pool.capacity as i64)
        .map(|days| days as Time)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Money;

    fn act(duration: i32, demand: i32, g: usize) -> Activity {
        Activity {
            duration,
            kind: DurationKind::Working,
            calendar: CalIx(0),
            release: 0,
            pool_demand: vec![(PoolIx(0), demand)],
            units: Default::default(),
            cost: Money::ZERO,
            group: GroupIx::from(g),
            fixed: None,
        }
    }

    /// Three activities: 0 → 1 (lag 1), and 2 on its own; pool of `cap`.
    fn problem(cap: i32) -> Problem {
        Problem {
            activities: vec![act(3, 2, 0), act(4, 2, 1), act(5, 2, 2)],
            precedences: vec![Precedence {
                from: ActIx(0),
                to: ActIx(1),
                lag: 1,
            }],
            calendars: vec![Calendar {
                base: BaseCalendar::Continuous,
                blocked: Vec::new(),
            }],
            pools: vec![Pool { capacity: cap }],
            units: Default::default(),
            budget: None,
            groups: (0..3)
                .map(|g| Group {
                    activities: vec![ActIx::from(g)],
                })
                .collect(),
            objective: Objective::default(),
            horizon: 100,
        }
    }

    #[test]
    fn the_critical_path_counts_durations_and_lags() {
        // 3 + 1 + 4 days on the chain; the pool holds everything at once.
        assert_eq!(finish_floor(&problem(6)), Some(8));
    }

    #[test]
    fn a_tight_pool_raises_the_floor_to_its_work() {
        // 24 units-days of work through a pool of 2: one at a time, 12 days.
        assert_eq!(finish_floor(&problem(2)), Some(12));
        // 24 / 5 rounds up to 5 days, under the critical path.
        assert_eq!(finish_floor(&problem(5)), Some(8));
    }

    #[test]
    fn no_floor_for_rules_it_does_not_model() {
        let mut p = problem(6);
        p.activities[2].release = 3;
        assert_eq!(finish_floor(&p), None);
        let mut p = problem(6);
        p.precedences.push(Precedence {
            from: ActIx(1),
            to: ActIx(0),
            lag: 0,
        });
        assert_eq!(finish_floor(&p), None, "a cycle");
    }
}
