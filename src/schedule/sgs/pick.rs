//! Which crew takes a crew task (`Engine::place_on_unit`): the eligible
//! unit with the earliest start, then the lower cost, then the one listed
//! first, found without searching every crew's diary (issue 19: a pass
//! must not cost crew tasks x crews per region; docs/performance.md, "The
//! crew index").

use super::index::{positions, List};
use super::{busy_conflict, Crew, Engine, FitFail, State};
use crate::schedule::problem::*;
use crate::units::Money;

impl Engine<'_> {
    /// The eligible unit with the earliest start wins, then the lower
    /// cost, then the one listed first. A pass places every crew task
    /// here, so little may be spent per crew of a region: units idle from
    /// `earliest` on (their last booking ends before it: the end of
    /// `busy`'s last interval says when each unit is next free for good)
    /// place the task alike when they share a profile, so only the first
    /// of each profile is tried; then the busy units in order of the first
    /// day they are free, each searched only up to the best start found so
    /// far, and none once that day is past it.
    pub(super) fn place_on_unit(
        &self,
        st: &State,
        i: usize,
        earliest: Time,
    ) -> Result<Placement, Failure> {
        let a = &self.p.activities[i];
        let list = self.crews.list(i);
        // No unit can start before calendar, pools and money allow its
        // cheapest cost (more money is never found sooner): the units'
        // searches start there instead of each walking up to it. When no
        // unit fits, the units are tried again from `earliest`, so that
        // the failure reported is the one each unit's own search finds.
        let cheapest = match list {
            Some(l) => Some(self.cost_with(a, Some(l.cheapest))),
            None => a.units.iter().map(|&u| self.cost_with(a, Some(u))).min(),
        };
        let fit = |c| self.fit(st, i, Crew::None, c, earliest, self.p.horizon);
        let from = match cheapest.map(fit) {
            Some(Ok((s, _))) => s,
            _ => earliest,
        };
        if let Some(pl) = list.and_then(|l| self.pick_indexed(st, i, l, from)) {
            return Ok(pl);
        }
        let pick = self.pick_unit(st, i, from, earliest);
        let pick = if pick.best.is_none() && from != earliest {
            self.pick_unit(st, i, earliest, earliest)
        } else {
            pick
        };
        match (pick.best, pick.budget) {
            (Some((pl, _)), _) => Ok(pl),
            (None, Some((from, cost))) => Err(Failure::Budget { from, cost }),
            (None, None) if pick.all_window => Err(Failure::NoUnit),
            _ => Err(Failure::Horizon),
        }
    }

    /// The best unit of `list` for activity `i` from day `t` on, by the
    /// crew index: for each profile, the first start from `t` on that
    /// calendar, pools, money and the profile's window allow and on which
    /// some unit of the profile is free until the finish (the bits, then
    /// the unit's diary, say so), the first such unit in the list; then
    /// the best of the profiles by (start, cost, place in the list): the
    /// unit `pick_unit` finds. Between starts it skips the days on which
    /// every unit of the profile is booked. `None` when no unit fits, and
    /// `pick_unit` says why.
    fn pick_indexed(&self, st: &State, i: usize, list: &List, t: Time) -> Option<Placement> {
        let a = &self.p.activities[i];
        let mut best: Option<(Placement, usize)> = None;
        for prof in &list.profiles {
            let cost = self.cost_with(a, Some(prof.unit));
            let mut t = t;
            loop {
                let latest = best.map_or(self.p.horizon, |(b, _)| b.start);
                let Ok((s, f)) = self.fit(st, i, Crew::Like(prof.unit), cost, t, latest) else {
                    break; // the profile cannot start by `latest`
                };
                let free = self.crews.free(&st.crew_days, list, prof, s, f);
                let unit = positions(&free)
                    .find(|&k| busy_conflict(&st.busy[a.units[k].ix()], s, f).is_none());
                if let Some(k) = unit {
                    if best.is_none_or(|(b, bk)| (s, cost, k) < (b.start, b.cost, bk)) {
                        let unit = Some(a.units[k]);
                        let pl = Placement {
                            start: s,
                            finish: f,
                            unit,
                            cost,
                        };
                        best = Some((pl, k));
                    }
                    break;
                }
                t = self.crews.next_free_day(&st.crew_days, list, prof, s + 1);
            }
        }
        best.map(|(pl, _)| pl)
    }

    /// The best unit for activity `i` from day `t` on (see
    /// `place_on_unit`); `earliest` decides only which failure a window
    /// gives.
    fn pick_unit(&self, st: &State, i: usize, t: Time, earliest: Time) -> Pick {
        let a = &self.p.activities[i];
        let mut pick = Pick::default();
        let mut seen: u64 = 0;
        let mut busy = [(0 as Time, 0u32); BUSY_SORTED];
        let (mut n_busy, mut overflow) = (0, false);
        for (k, &u) in a.units.iter().enumerate() {
            let diary = &st.busy[u.ix()];
            if diary.last().is_none_or(|iv| iv.1 < t) {
                let profile = self.unit_profile[u.ix()];
                if profile != NO_PROFILE {
                    if seen & (1 << profile) != 0 {
                        continue; // places it as an earlier unit does
                    }
                    seen |= 1 << profile;
                }
                self.try_unit(st, i, k, u, (t, earliest), &mut pick);
            } else if n_busy < BUSY_SORTED {
                let free = free_from(diary, t).max(self.p.units[u.ix()].available_from);
                busy[n_busy] = (free, k as u32);
                n_busy += 1;
            } else {
                overflow = true;
            }
        }
        if overflow {
            // More busy units than the buffer holds: try them all.
            for (k, &u) in a.units.iter().enumerate() {
                if st.busy[u.ix()].last().is_some_and(|iv| iv.1 >= t) {
                    self.try_unit(st, i, k, u, (t, earliest), &mut pick);
                }
            }
        } else {
            let busy = &mut busy[..n_busy];
            busy.sort_unstable();
            for &(free, k) in busy.iter() {
                if pick.best.is_some_and(|(b, _)| free > b.start) {
                    break; // neither this unit nor any after it can start by then
                }
                let k = k as usize;
                self.try_unit(st, i, k, a.units[k], (t, earliest), &mut pick);
            }
        }
        pick
    }

    /// Tries unit `u`, listed `k`th for activity `i`, and keeps what it
    /// gives in `pick`: the best placement by (start, cost, `k`), or why
    /// it failed.
    fn try_unit(
        &self,
        st: &State,
        i: usize,
        k: usize,
        u: UnitIx,
        (t, earliest): (Time, Time),
        pick: &mut Pick,
    ) {
        let a = &self.p.activities[i];
        let cost = self.cost_with(a, Some(u));
        // A unit that cannot start by the best start found cannot win:
        // its search stops there.
        let latest = pick.best.map_or(self.p.horizon, |(b, _)| b.start);
        match self.fit(st, i, Crew::Unit(u), cost, t, latest) {
            Ok((start, finish)) => {
                let cand = Placement {
                    start,
                    finish,
                    unit: Some(u),
                    cost,
                };
                if pick
                    .best
                    .is_none_or(|(b, bk)| (start, cost, k) < (b.start, b.cost, bk))
                {
                    pick.best = Some((cand, k));
                }
            }
            Err(FitFail::Budget(from)) => {
                pick.all_window = false;
                if pick.budget.is_none_or(|b| (from, cost) < b) {
                    pick.budget = Some((from, cost));
                }
            }
            Err(FitFail::Horizon) => pick.all_window = false,
            Err(FitFail::Window) => pick.all_window &= !self.window_fits(a, u, earliest),
            Err(FitFail::Beaten) => {}
        }
    }

    pub(super) fn cost_with(&self, a: &Activity, unit: Option<UnitIx>) -> Money {
        let rate = unit.map_or(0, |u| self.p.units[u.ix()].day_rate.0);
        Money(
            a.cost
                .0
                .saturating_add(rate.saturating_mul(a.duration.max(0) as i64)),
        )
    }

    /// Whether the unit's window alone (nothing else booked) could hold the
    /// activity from `earliest` on.
    fn window_fits(&self, a: &Activity, u: UnitIx, earliest: Time) -> bool {
        let unit = &self.p.units[u.ix()];
        let mut t = earliest.max(unit.available_from);
        while let Some((s, f)) = self.cals.fit(a.calendar.ix(), a.kind, a.duration, t) {
            if f > unit.available_to || f >= self.p.horizon {
                return false;
            }
            if s >= unit.available_from {
                return true;
            }
            t = unit.available_from;
        }
        false
    }
}

/// The best unit found so far for an activity, and why the others failed
/// (`Engine::place_on_unit`).
#[derive(Debug, Clone, Copy)]
struct Pick {
    /// The placement and the unit's place in the activity's list.
    best: Option<(Placement, usize)>,
    /// The earliest day (then lowest cost) money could be found from.
    budget: Option<(Time, Money)>,
    /// Every unit failed on its window alone.
    all_window: bool,
}

impl Default for Pick {
    fn default() -> Pick {
        Pick {
            best: None,
            budget: None,
            all_window: true,
        }
    }
}

/// Busy units of one activity sorted by the day they are next free, at
/// most (past that, all are tried in list order; the result is the same).
const BUSY_SORTED: usize = 128;

/// Units with no profile of their own in `Engine::unit_profile`.
const NO_PROFILE: u8 = u8::MAX;

/// Each unit's profile (see `Engine::unit_profile`).
pub(super) fn profiles(units: &[Unit]) -> Vec<u8> {
    let mut known: Vec<(Time, Time, Money)> = Vec::new();
    units
        .iter()
        .map(|u| {
            let key = (u.available_from, u.available_to, u.day_rate);
            let k = known.iter().position(|&x| x == key).unwrap_or_else(|| {
                known.push(key);
                known.len() - 1
            });
            if k < 64 {
                k as u8
            } else {
                NO_PROFILE
            }
        })
        .collect()
}

/// The first day from `t` on that no busy interval of `v` covers.
fn free_from(v: &[(Time, Time)], t: Time) -> Time {
    let i = v.partition_point(|iv| iv.1 < t);
    match v.get(i) {
        Some(&(a, b)) if a <= t => b + 1,
        _ => t,
    }
}
