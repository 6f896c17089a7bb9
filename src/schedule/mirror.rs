//! The problem seen backwards in time, for the backward pass of
//! forward–backward improvement: day `t` becomes `m - t`, precedences are
//! reversed, and a group's activities are listed in reverse. Releases and
//! money are dropped: the backward pass only proposes an order, and every
//! schedule the search keeps comes from a forward pass with all the rules.

use super::problem::*;
use crate::units::Money;
use std::rc::Rc;

/// The mirrored problem and the day it mirrors around.
pub(crate) fn mirror(p: &Problem) -> (Problem, Time) {
    let tmin = p
        .activities
        .iter()
        .filter_map(|a| a.fixed.map(|f| f.start))
        .fold(0, Time::min);
    let m = p.horizon - 1;
    let flip = |t: Time| m.saturating_sub(t);
    let len = (m - tmin + 1).max(0) as usize;
    let mut flipped: Vec<(*const Vec<bool>, Rc<Vec<bool>>)> = Vec::new();
    let calendars = p
        .calendars
        .iter()
        .map(|c| {
            let base = match &c.base {
                BaseCalendar::Continuous => BaseCalendar::Continuous,
                BaseCalendar::Days(v) => {
                    let ptr = Rc::as_ptr(v);
                    let rc = match flipped.iter().find(|(q, _)| *q == ptr) {
                        Some((_, rc)) => rc.clone(),
                        None => {
                            let w: Vec<bool> = (0..len)
                                .map(|t| {
                                    let d = flip(t as Time);
                                    d >= 0 && v.get(d as usize).copied().unwrap_or(false)
                                })
                                .collect();
                            let rc = Rc::new(w);
                            flipped.push((ptr, rc.clone()));
                            rc
                        }
                    };
                    BaseCalendar::Days(rc)
                }
            };
            let mut blocked: Vec<(Time, Time)> =
                c.blocked.iter().map(|&(a, b)| (flip(b), flip(a))).collect();
            blocked.sort_unstable();
            Calendar { base, blocked }
        })
        .collect();
    let activities = p
        .activities
        .iter()
        .map(|a| Activity {
            release: 0,
            cost: Money::ZERO,
            fixed: a.fixed.map(|f| Placement {
                start: flip(f.finish),
                finish: flip(f.start),
                unit: f.unit,
                cost: Money::ZERO,
            }),
            ..a.clone()
        })
        .collect();
    let precedences = p
        .precedences
        .iter()
        .map(|e| Precedence {
            from: e.to,
            to: e.from,
            lag: e.lag,
        })
        .collect();
    let units = p
        .units
        .iter()
        .map(|u| Unit {
            available_from: flip(u.available_to),
            available_to: flip(u.available_from),
            day_rate: Money::ZERO,
        })
        .collect();
    let groups = p
        .groups
        .iter()
        .map(|g| Group {
            activities: g.activities.iter().rev().copied().collect(),
        })
        .collect();
    let q = Problem {
        activities,
        precedences,
        calendars,
        pools: p.pools.clone(),
        units,
        budget: None,
        groups,
        objective: Objective::default(),
        horizon: m - tmin + 1,
    };
    (q, m)
}
