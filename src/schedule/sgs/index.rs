//! The crew index: for each list of crews that activities share (in plans,
//! a region's crews, or its cleared crews), which of them are booked on
//! each day, one bit per crew. A crew task asks it which crews of one
//! profile (window and day rate) are free on every day it would take, in
//! a few word operations a day, instead of asking each crew's diary; so a
//! pass costs little more per crew task when the crews per region grow
//! (issue 19; docs/performance.md, "The crew index").
//!
//! The bits are a filter, never the rule: a crew they show free is still
//! checked against its diary (which also spans the idle days between
//! bookings), and a crew they show booked is booked.

use super::Csr;
use crate::schedule::problem::*;
use std::collections::HashMap;

/// The lists and their profiles, fixed for a problem (`Engine::crews`);
/// the bits themselves are a pass's (`State::crew_days`).
#[derive(Debug, Default)]
pub(super) struct CrewIndex {
    /// Per activity: the number of its list in `lists`, or `UNINDEXED`.
    list_of: Vec<u32>,
    lists: Vec<List>,
    /// Per unit: `(list, position)` for each list it is in.
    places: Csr<(u32, u32)>,
    /// Words a day holds (every list's, side by side).
    day_words: usize,
    /// Days covered, from `tmin` on.
    days: usize,
    tmin: Time,
}

/// One list of units, as activities name them (`Activity::units`).
#[derive(Debug)]
pub(super) struct List {
    /// Where its words start within a day.
    offset: usize,
    words: usize,
    /// Its units of each profile, in order of first appearance.
    pub(super) profiles: Vec<Profile>,
    /// The unit with the lowest day rate (the first such).
    pub(super) cheapest: UnitIx,
}

/// The units of one list that share a window and a day rate.
#[derive(Debug)]
pub(super) struct Profile {
    /// Its first unit: its window and rate are the profile's.
    pub(super) unit: UnitIx,
    /// Its units' positions in the list.
    mask: Words,
}

/// Positions of a list, one bit each.
pub(super) type Words = [u64; MAX_WORDS];

/// Lists longer than `MAX_WORDS` × 64 units, or with more than
/// `MAX_PROFILES` profiles, are not indexed: their tasks ask every unit
/// (`Engine::pick_unit`), as a sweep per profile would cost more.
const MAX_WORDS: usize = 8;
const MAX_PROFILES: usize = 8;
const UNINDEXED: u32 = u32::MAX;

impl CrewIndex {
    pub(super) fn new(p: &Problem, tmin: Time, days: usize) -> CrewIndex {
        // Activities share one list per region and clearance (`Arc`):
        // looked up by address first, so that only a new list is hashed.
        let mut by_arc: HashMap<*const UnitIx, u32> = HashMap::new();
        let mut by_units: HashMap<&[UnitIx], u32> = HashMap::new();
        let mut lists: Vec<List> = Vec::new();
        let mut places: Vec<(usize, (u32, u32))> = Vec::new();
        let mut day_words = 0;
        let list_of = p
            .activities
            .iter()
            .map(|a| {
                if a.units.is_empty() {
                    return UNINDEXED;
                }
                if let Some(&l) = by_arc.get(&a.units.as_ptr()) {
                    return l;
                }
                let l = *by_units.entry(&a.units[..]).or_insert_with(|| {
                    let Some(list) = List::new(p, &a.units, day_words) else {
                        return UNINDEXED;
                    };
                    let l = lists.len() as u32;
                    for (k, u) in a.units.iter().enumerate() {
                        places.push((u.ix(), (l, k as u32)));
                    }
                    day_words += list.words;
                    lists.push(list);
                    l
                });
                by_arc.insert(a.units.as_ptr(), l);
                l
            })
            .collect();
        places.sort_unstable();
        CrewIndex {
            list_of,
            lists,
            places: Csr::new(p.units.len(), places.into_iter()),
            day_words,
            days,
            tmin,
        }
    }

    /// The list of activity `i`, when it is indexed.
    pub(super) fn list(&self, i: usize) -> Option<&List> {
        self.lists.get(self.list_of[i] as usize)
    }

    /// Words a pass's bits take (`State::crew_days`).
    pub(super) fn len(&self) -> usize {
        self.day_words * self.days
    }

    /// Marks unit `u` booked (`on`) or free on days `s..=f`; `dirty` is
    /// raised past the last word written.
    pub(super) fn mark(
        &self,
        bits: &mut [u64],
        dirty: &mut usize,
        u: UnitIx,
        s: Time,
        f: Time,
        on: bool,
    ) {
        let (lo, hi) = self.day_range(s, f);
        for &(l, k) in self.places.of(u.ix()) {
            let at = self.lists[l as usize].offset + k as usize / 64;
            let bit = 1u64 << (k % 64);
            for d in lo..hi {
                let w = &mut bits[d * self.day_words + at];
                *w = if on { *w | bit } else { *w & !bit };
            }
        }
        if lo < hi && !self.places.of(u.ix()).is_empty() {
            *dirty = (*dirty).max(hi * self.day_words);
        }
    }

    /// The units of profile `prof` of `list` that no booking holds on any
    /// of days `s..=f`.
    pub(super) fn free(
        &self,
        bits: &[u64],
        list: &List,
        prof: &Profile,
        s: Time,
        f: Time,
    ) -> Words {
        let mut free = prof.mask;
        let (lo, hi) = self.day_range(s, f);
        for d in lo..hi {
            let day = &bits[d * self.day_words + list.offset..][..list.words];
            for (x, b) in free.iter_mut().zip(day) {
                *x &= !b;
            }
        }
        free
    }

    /// The first day from `t` on on which some unit of profile `prof` of
    /// `list` is free (days the bits do not cover are free; none: the
    /// first day after them).
    pub(super) fn next_free_day(&self, bits: &[u64], list: &List, prof: &Profile, t: Time) -> Time {
        let d0 = t - self.tmin;
        if d0 < 0 || d0 >= self.days as Time {
            return t;
        }
        let found = (d0 as usize..self.days).find(|&d| {
            let day = &bits[d * self.day_words + list.offset..][..list.words];
            day.iter().zip(&prof.mask).any(|(b, m)| m & !b != 0)
        });
        found.unwrap_or(self.days) as Time + self.tmin
    }

    /// Day indices `lo..hi` of `s..=f`, clamped to the days covered.
    fn day_range(&self, s: Time, f: Time) -> (usize, usize) {
        let len = self.days as Time;
        let lo = (s - self.tmin).clamp(0, len) as usize;
        let hi = (f - self.tmin + 1).clamp(0, len) as usize;
        (lo, hi.max(lo))
    }
}

impl List {
    fn new(p: &Problem, units: &[UnitIx], offset: usize) -> Option<List> {
        let words = units.len().div_ceil(64);
        if words > MAX_WORDS {
            return None;
        }
        let key = |u: UnitIx| {
            let w = &p.units[u.ix()];
            (w.available_from, w.available_to, w.day_rate)
        };
        let mut profiles: Vec<Profile> = Vec::new();
        for (k, &u) in units.iter().enumerate() {
            let prof = match profiles.iter_mut().position(|q| key(q.unit) == key(u)) {
                Some(x) => &mut profiles[x],
                None if profiles.len() < MAX_PROFILES => {
                    profiles.push(Profile {
                        unit: u,
                        mask: [0; MAX_WORDS],
                    });
                    profiles.last_mut().expect("just pushed")
                }
                None => return None,
            };
            prof.mask[k / 64] |= 1 << (k % 64);
        }
        let cheapest = *units
            .iter()
            .min_by_key(|u| p.units[u.ix()].day_rate)
            .expect("a list has units");
        Some(List {
            offset,
            words,
            profiles,
            cheapest,
        })
    }
}

/// Positions set in `w`, lowest first.
pub(super) fn positions(w: &Words) -> impl Iterator<Item = usize> + '_ {
    w.iter().enumerate().flat_map(|(i, &x)| {
        let mut x = x;
        std::iter::from_fn(move || {
            (x != 0).then(|| {
                let b = x.trailing_zeros() as usize;
                x &= x - 1;
                i * 64 + b
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Engine, State};
    use super::*;
    use crate::units::Money;
    use proptest::prelude::*;
    use std::rc::Rc;
    use std::sync::Arc;

    impl CrewIndex {
        /// An index of no list: every crew task asks every unit.
        fn unindexed(p: &Problem) -> CrewIndex {
            CrewIndex {
                list_of: vec![UNINDEXED; p.activities.len()],
                places: Csr::new(p.units.len(), std::iter::empty()),
                ..CrewIndex::default()
            }
        }
    }

    /// Units of two windows and two rates (so profiles are shared); crew
    /// tasks on three shared lists; money by ten-day periods.
    fn problem(
        units: &[(bool, bool)],
        acts: &[(i32, Time, usize, i64, bool)],
        budget: &Option<(bool, Vec<i64>)>,
    ) -> Problem {
        let lists: Vec<Arc<[UnitIx]>> = [
            (0..units.len()).collect::<Vec<_>>(),
            (0..units.len()).step_by(2).collect(),
            (0..units.len()).rev().filter(|k| k % 3 != 1).collect(),
        ]
        .into_iter()
        .map(|l| l.into_iter().map(UnitIx::from).collect())
        .collect();
        let weekdays = Rc::new((0..120).map(|t| t % 7 < 5).collect::<Vec<bool>>());
        let activities = acts
            .iter()
            .enumerate()
            .map(|(i, &(duration, release, list, cost, working))| Activity {
                duration,
                kind: DurationKind::Working,
                calendar: CalIx::from(usize::from(working)),
                release,
                pool_demand: vec![],
                units: lists[list].clone(),
                cost: Money(cost),
                group: GroupIx::from(i),
                fixed: None,
            })
            .collect();
        Problem {
            activities,
            precedences: vec![],
            calendars: vec![
                Calendar {
                    base: BaseCalendar::Continuous,
                    blocked: vec![],
                },
                Calendar {
                    base: BaseCalendar::Days(weekdays),
                    blocked: vec![],
                },
            ],
            pools: vec![],
            units: units
                .iter()
                .map(|&(late, dear)| Unit {
                    available_from: if late { 15 } else { 0 },
                    available_to: 100,
                    day_rate: Money(if dear { 9 } else { 4 }),
                })
                .collect(),
            budget: budget.as_ref().map(|(carry, amounts)| BudgetRule {
                periods: amounts
                    .iter()
                    .enumerate()
                    .map(|(k, &a)| BudgetPeriod {
                        from: k as Time * 10,
                        to: k as Time * 10 + 9,
                        amount: Money(a),
                    })
                    .collect(),
                carry_over: *carry,
            }),
            groups: (0..acts.len())
                .map(|i| Group {
                    activities: vec![ActIx::from(i)],
                })
                .collect(),
            objective: Objective::default(),
            horizon: 110,
        }
    }

    proptest! {
        #![proptest_config(crate::proptest_seed::config(256))]

        /// Every crew task goes where asking every unit puts it (same
        /// start, unit and cost, or the same failure), whatever the order
        /// the tasks come in (later tasks fill earlier gaps).
        #[test]
        fn the_index_places_every_task_as_asking_every_unit_does(
            units in prop::collection::vec(any::<(bool, bool)>(), 1..9),
            acts in prop::collection::vec((1..8i32, 0..40 as Time, 0..3usize, 0..30i64, any::<bool>()), 1..40),
            budget in prop::option::of((any::<bool>(), prop::collection::vec(0..300i64, 1..12))),
            order in prop::collection::vec(any::<u32>(), 40),
        ) {
            let p = problem(&units, &acts, &budget);
            let indexed = Engine::new(&p);
            let mut asking = Engine::new(&p);
            asking.crews = CrewIndex::unindexed(&p);
            asking.initial = asking.fresh_state();
            let mut groups: Vec<GroupIx> = (0..acts.len()).map(GroupIx::from).collect();
            groups.sort_by_key(|g| order[g.ix()]);
            let (mut a, mut b) = (State::default(), State::default());
            indexed.decode(&mut a, &groups);
            asking.decode(&mut b, &groups);
            prop_assert_eq!(&a.result, &b.result);
            // Passes reuse their state: a second pass from the first's
            // gives the same again.
            indexed.decode(&mut a, &groups);
            prop_assert_eq!(&a.result, &b.result);
        }
    }
}
