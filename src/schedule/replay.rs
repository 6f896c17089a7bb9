//! Replaying a published schedule with other durations: its decisions kept
//! as a policy, never re-optimised.
//!
//! The policy is the published order of work (activities by published
//! start) and crews: each activity keeps its published crew, each crew
//! does its work in the published order, and nothing starts before its
//! published start (crews are booked for those dates). Each activity is
//! then placed at its earliest feasible start with the sample's duration,
//! by the same serial pass the search uses (`sgs`), so calendars,
//! blackouts, crew windows and budgets bind exactly as they do there. With
//! the published durations the replay gives back the published schedule.
//!
//! Work done or in progress (re-planning) stays fixed; work unscheduled in
//! the published schedule stays unscheduled.

use super::problem::*;
use super::sgs::{Engine, State};

/// A published schedule prepared for replays.
pub struct Replay {
    /// The problem with the policy built in: one group per activity, each
    /// crew task on its published crew only, released no earlier than its
    /// published start, and each crew's work chained in published order.
    problem: Problem,
    /// Activities placed by a replay, in published order of start.
    order: Vec<GroupIx>,
    /// What the published schedule said of activities a replay does not
    /// place (unscheduled ones).
    published: Vec<Result<Placement, Failure>>,
    state: State,
}

impl Replay {
    /// Prepares `published`, a solution of `p`, for replays.
    pub fn new(p: &Problem, published: &Solution) -> Replay {
        let mut problem = p.clone();
        let placed = |i: usize| match published.activities[i] {
            Ok(pl) if p.activities[i].fixed.is_none() => Some(pl),
            _ => None,
        };
        let mut order: Vec<(Time, usize)> = Vec::new();
        let mut by_unit: Vec<Vec<(Time, usize)>> = vec![Vec::new(); p.units.len()];
        for (i, a) in problem.activities.iter_mut().enumerate() {
            a.group = GroupIx::from(i);
            let Some(pl) = placed(i) else { continue };
            order.push((pl.start, i));
            a.release = a.release.max(pl.start);
            if let Some(u) = pl.unit {
                a.units = [u].into();
                by_unit[u.ix()].push((pl.start, i));
            }
        }
        problem.groups = (0..p.activities.len())
            .map(|i| Group {
                activities: vec![ActIx::from(i)],
            })
            .collect();
        for chain in &mut by_unit {
            chain.sort_unstable();
            problem
                .precedences
                .extend(chain.windows(2).map(|w| Precedence {
                    from: ActIx::from(w[0].1),
                    to: ActIx::from(w[1].1),
                    lag: 0,
                }));
        }
        order.sort_unstable();
        Replay {
            problem,
            order: order.into_iter().map(|(_, i)| GroupIx::from(i)).collect(),
            published: published.activities.clone(),
            state: State::default(),
        }
    }

    /// The published duration of every activity (what `run` reproduces the
    /// published schedule with).
    pub fn durations(&self) -> Vec<i32> {
        self.problem.activities.iter().map(|a| a.duration).collect()
    }

    /// Replays with `durations` (one per activity; fixed work keeps its
    /// own) and writes where each activity runs, or why not, to `out`.
    pub fn run(&mut self, durations: &[i32], out: &mut Vec<Result<Placement, Failure>>) {
        for (a, &d) in self.problem.activities.iter_mut().zip(durations) {
            if a.fixed.is_none() {
                a.duration = d;
            }
        }
        let eng = Engine::new(&self.problem);
        eng.decode(&mut self.state, &self.order);
        out.clear();
        out.extend(
            self.state
                .result
                .iter()
                .zip(&self.published)
                .map(|(r, p)| r.unwrap_or(*p)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::SearchOptions;
    use crate::units::Money;
    use std::rc::Rc;

    /// Two crew tasks on one unit and an elapsed task before the second,
    /// on a weekday calendar (day 0 a Monday).
    fn problem() -> Problem {
        let week = Rc::new((0..400).map(|t| t % 7 < 5).collect::<Vec<bool>>());
        let act = |duration, kind, units: Vec<UnitIx>, g: usize| Activity {
            duration,
            kind,
            calendar: CalIx(0),
            release: 0,
            pool_demand: vec![],
            units: units.into(),
            cost: Money(0),
            group: GroupIx::from(g),
            fixed: None,
        };
        Problem {
            activities: vec![
                act(3, DurationKind::Working, vec![UnitIx(0)], 0),
                act(10, DurationKind::Elapsed, vec![], 1),
                act(2, DurationKind::Working, vec![UnitIx(0)], 1),
            ],
            precedences: vec![Precedence {
                from: ActIx(1),
                to: ActIx(2),
                lag: 0,
            }],
            calendars: vec![Calendar {
                base: BaseCalendar::Days(week),
                blocked: vec![],
            }],
            pools: vec![],
            units: vec![Unit {
                available_from: 0,
                available_to: 300,
                day_rate: Money(100),
            }],
            budget: None,
            groups: vec![
                Group {
                    activities: vec![ActIx(0)],
                },
                Group {
                    activities: vec![ActIx(1), ActIx(2)],
                },
            ],
            objective: Objective::default(),
            horizon: 400,
        }
    }

    #[test]
    fn published_durations_give_the_published_schedule_and_delays_shift_it() {
        let p = problem();
        let published = crate::schedule::solve(&p, &SearchOptions::default());
        let mut r = Replay::new(&p, &published);
        let mut out = Vec::new();
        r.run(&r.durations(), &mut out);
        assert_eq!(out, published.activities);
        // Procurement 10 → 20 calendar days: the second crew task waits
        // for it, on its published crew, on the next working day.
        let first = published.activities[2].unwrap();
        r.run(&[3, 20, 2], &mut out);
        let second = out[2].unwrap();
        assert_eq!(second.unit, first.unit);
        let delivered = out[1].unwrap().finish;
        assert!(second.start > delivered && second.start <= delivered + 3);
        // Shorter work never starts before its published start.
        r.run(&[1, 1, 1], &mut out);
        for (a, b) in out.iter().zip(&published.activities) {
            assert!(a.unwrap().start >= b.unwrap().start);
        }
    }
}
