//! Calendars prepared for fast placement: for each distinct base pattern a
//! prefix count of working days and the list of working days, so that "the
//! next working day" and "the n-th working day from here" are O(1); a
//! calendar's blocked ranges are searched by bisection.

use super::problem::{BaseCalendar, Calendar, DurationKind, Time};
use std::rc::Rc;

/// A base pattern with its lookup tables. Days outside `0..len` are not
/// working (for `Days`); every day works for `Continuous`.
#[derive(Debug)]
pub(crate) enum Base {
    Continuous,
    Days {
        /// `prefix[t]` = working days in `0..t`, for `t` in `0..=len`.
        prefix: Vec<u32>,
        /// The working days in increasing order.
        days: Vec<Time>,
    },
}

impl Base {
    fn from_days(working: &[bool]) -> Base {
        let mut prefix = Vec::with_capacity(working.len() + 1);
        let mut days = Vec::new();
        prefix.push(0);
        for (t, &w) in working.iter().enumerate() {
            if w {
                days.push(t as Time);
            }
            prefix.push(days.len() as u32);
        }
        Base::Days { prefix, days }
    }

    /// The first working day on or after `t`, if any.
    pub(crate) fn next_working(&self, t: Time) -> Option<Time> {
        match self {
            Base::Continuous => Some(t),
            Base::Days { prefix, days } => {
                let k = Self::count_before(prefix, t);
                days.get(k).copied()
            }
        }
    }

    /// The `n`-th working day counting `start` as the first (`n >= 1`;
    /// `start` must be a working day).
    fn nth_from(&self, start: Time, n: i32) -> Option<Time> {
        match self {
            Base::Continuous => Some(start + n - 1),
            Base::Days { prefix, days } => {
                let k = Self::count_before(prefix, start) + n as usize - 1;
                days.get(k).copied()
            }
        }
    }

    /// Whether every day strictly between `a` and `b` is not working.
    pub(crate) fn idle_between(&self, a: Time, b: Time) -> bool {
        if b <= a + 1 {
            return true;
        }
        match self {
            Base::Continuous => false,
            Base::Days { prefix, .. } => {
                Self::count_before(prefix, b) == Self::count_before(prefix, a + 1)
            }
        }
    }

    fn count_before(prefix: &[u32], t: Time) -> usize {
        if t <= 0 {
            0
        } else {
            let i = (t as usize).min(prefix.len() - 1);
            prefix[i] as usize
        }
    }
}

/// A calendar ready for placement: its shared base and its blocked ranges.
#[derive(Debug)]
pub(crate) struct Cal {
    pub(crate) base: usize,
    /// Continuous and never blocked: every day works.
    simple: bool,
    blocked: Vec<(Time, Time)>,
}

/// Every calendar of a problem, with bases shared.
#[derive(Debug)]
pub(crate) struct Calendars {
    pub(crate) bases: Vec<Base>,
    pub(crate) cals: Vec<Cal>,
}

impl Calendars {
    pub(crate) fn new(calendars: &[Calendar]) -> Calendars {
        let mut bases: Vec<Base> = Vec::new();
        let mut seen: Vec<(*const Vec<bool>, usize)> = Vec::new();
        let mut continuous = None;
        let mut cals = Vec::with_capacity(calendars.len());
        for c in calendars {
            let base = match &c.base {
                BaseCalendar::Continuous => *continuous.get_or_insert_with(|| {
                    bases.push(Base::Continuous);
                    bases.len() - 1
                }),
                BaseCalendar::Days(v) => {
                    let ptr = Rc::as_ptr(v);
                    match seen.iter().find(|(p, _)| *p == ptr) {
                        Some(&(_, b)) => b,
                        None => {
                            bases.push(Base::from_days(v));
                            seen.push((ptr, bases.len() - 1));
                            bases.len() - 1
                        }
                    }
                }
            };
            let mut blocked = c.blocked.clone();
            blocked.sort_unstable();
            let simple = c.base == BaseCalendar::Continuous && blocked.is_empty();
            cals.push(Cal {
                base,
                blocked,
                simple,
            });
        }
        Calendars { bases, cals }
    }

    /// The earliest `(start, finish)` with `start >= t` that the calendar
    /// allows for an activity of this kind and duration, or `None` when the
    /// calendar runs out. Duration 0 starts anywhere and finishes the day
    /// before it starts.
    #[inline]
    pub(crate) fn fit(
        &self,
        cal: usize,
        kind: DurationKind,
        dur: i32,
        t: Time,
    ) -> Option<(Time, Time)> {
        if dur <= 0 {
            return Some((t, t - 1));
        }
        let c = &self.cals[cal];
        if c.simple {
            return Some((t, t + dur - 1));
        }
        self.fit_on_days(c, kind, dur, t)
    }

    /// `fit` for a calendar with working days or blocked ranges (kept out
    /// of line so that the every-day case above inlines into the pass).
    fn fit_on_days(&self, c: &Cal, kind: DurationKind, dur: i32, t: Time) -> Option<(Time, Time)> {
        let base = &self.bases[c.base];
        if kind == DurationKind::Elapsed {
            let s = base.next_working(t)?;
            return Some((s, s + dur - 1));
        }
        let mut t = t;
        loop {
            let s = base.next_working(t)?;
            let f = base.nth_from(s, dur)?;
            // The first blocked range ending on or after `s`.
            let i = c.blocked.partition_point(|r| r.1 < s);
            match c.blocked.get(i) {
                Some(&(from, to)) if from <= f => t = to + 1,
                _ => return Some((s, f)),
            }
        }
    }

    /// Whether every day is a working day of `cal` (nothing blocked).
    pub(crate) fn every_day(&self, cal: usize) -> bool {
        self.cals[cal].simple
    }

    pub(crate) fn base_of(&self, cal: usize) -> usize {
        self.cals[cal].base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekdays(n: usize) -> Rc<Vec<bool>> {
        // Day 0 is a Monday.
        Rc::new((0..n).map(|t| t % 7 < 5).collect())
    }

    #[test]
    fn working_activity_skips_weekends_and_blocked_ranges() {
        let base = weekdays(60);
        let cals = Calendars::new(&[
            Calendar {
                base: BaseCalendar::Days(base.clone()),
                blocked: vec![],
            },
            Calendar {
                base: BaseCalendar::Days(base),
                blocked: vec![(9, 10)],
            },
        ]);
        assert_eq!(cals.bases.len(), 1, "bases are shared");
        // Starts Saturday → Monday 7; 3 working days → Wednesday 9.
        assert_eq!(cals.fit(0, DurationKind::Working, 3, 5), Some((7, 9)));
        // Friday 4 + 2 working days spans the weekend: finishes Monday 7.
        assert_eq!(cals.fit(0, DurationKind::Working, 2, 4), Some((4, 7)));
        // Blocked 9..=10 (Wed, Thu): cannot span it, so starts Friday 11.
        assert_eq!(cals.fit(1, DurationKind::Working, 3, 7), Some((11, 15)));
        // Fits before the blocked range.
        assert_eq!(cals.fit(1, DurationKind::Working, 2, 7), Some((7, 8)));
        // Elapsed: starts on a working day, ignores blocked, counts calendar days.
        assert_eq!(cals.fit(1, DurationKind::Elapsed, 5, 5), Some((7, 11)));
        assert_eq!(cals.fit(1, DurationKind::Elapsed, 5, 9), Some((9, 13)));
        // Runs out of calendar.
        assert_eq!(cals.fit(0, DurationKind::Working, 3, 58), None);
        // Duration 0.
        assert_eq!(cals.fit(0, DurationKind::Working, 0, 5), Some((5, 4)));
    }

    #[test]
    fn continuous_and_idle_gaps() {
        let cals = Calendars::new(&[
            Calendar {
                base: BaseCalendar::Continuous,
                blocked: vec![(3, 3)],
            },
            Calendar {
                base: BaseCalendar::Days(weekdays(30)),
                blocked: vec![],
            },
        ]);
        assert_eq!(cals.fit(0, DurationKind::Working, 4, 0), Some((4, 7)));
        assert_eq!(cals.fit(0, DurationKind::Working, 3, 0), Some((0, 2)));
        let cont = &cals.bases[cals.base_of(0)];
        assert!(cont.idle_between(3, 4));
        assert!(!cont.idle_between(3, 5));
        let days = &cals.bases[cals.base_of(1)];
        assert!(days.idle_between(4, 7), "Fri → Mon: weekend only");
        assert!(!days.idle_between(3, 7));
    }
}
