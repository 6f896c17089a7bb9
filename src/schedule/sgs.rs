//! The serial schedule-generation scheme: groups are taken in list order and
//! each activity is placed at its earliest feasible start given everything
//! placed before it (precedence, calendar, crew, pools, money).
//!
//! `Engine` holds what a problem needs prepared once (calendars, adjacency,
//! the state after fixed work); `State` is the scratch a pass works in, reset
//! by copying the prepared state so that a pass costs time linear in what it
//! places.

mod index;
mod pick;

use super::calendar::Calendars;
use super::problem::*;
use crate::units::Money;

/// Compressed adjacency lists.
#[derive(Debug, Default, Clone)]
pub(crate) struct Csr<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Csr<T> {
    /// Builds from `(node, item)` pairs; each node's items keep input order.
    pub(crate) fn new(nodes: usize, pairs: impl Iterator<Item = (usize, T)> + Clone) -> Csr<T> {
        let mut count = vec![0u32; nodes + 1];
        for (n, _) in pairs.clone() {
            count[n + 1] += 1;
        }
        for i in 0..nodes {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut items: Vec<Option<T>> = vec![None; count[nodes] as usize];
        for (n, it) in pairs {
            items[fill[n] as usize] = Some(it);
            fill[n] += 1;
        }
        Csr {
            start: count,
            items: items.into_iter().map(|x| x.expect("filled")).collect(),
        }
    }

    pub(crate) fn of(&self, n: usize) -> &[T] {
        &self.items[self.start[n] as usize..self.start[n + 1] as usize]
    }

    pub(crate) fn nodes(&self) -> usize {
        self.start.len() - 1
    }

    /// How many items each node has, in node order.
    pub(crate) fn degrees(&self) -> impl Iterator<Item = u32> + '_ {
        self.start.windows(2).map(|w| w[1] - w[0])
    }
}

/// `csr`'s lists in fours, the last four of each padded with copies of
/// its last item (a predecessor read twice changes no "all taken"). A
/// loop over fours takes one step for lists of one to four items
/// (PSPLIB's), where a loop over the items mispredicted its exit on
/// lists of varied length: used in the precedence repair, 0.98 of a J120
/// search's time.
fn fours<T: Copy>(csr: &Csr<T>) -> Csr<[T; 4]> {
    let chunks = (0..csr.nodes()).flat_map(|n| {
        csr.of(n).chunks(4).map(move |c| {
            let last = c[c.len() - 1];
            (
                n,
                std::array::from_fn(|k| c.get(k).copied().unwrap_or(last)),
            )
        })
    });
    Csr::new(csr.nodes(), chunks)
}

/// Whose time `Engine::fit` books: no unit's, a unit's (its window and its
/// diary), or an idle unit's like the one named (its window alone).
#[derive(Debug, Clone, Copy)]
enum Crew {
    None,
    Unit(UnitIx),
    Like(UnitIx),
}

/// Why one unit (or the no-unit case) could not take an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FitFail {
    /// The unit's window ends before the activity could finish.
    Window,
    /// Would finish on or after the horizon.
    Horizon,
    /// No period on or after this day can fund it.
    Budget(Time),
    /// Could not start by the latest start asked for (another unit already
    /// starts by then).
    Beaten,
}

/// A problem prepared for repeated passes.
pub(crate) struct Engine<'p> {
    pub(crate) p: &'p Problem,
    pub(crate) cals: Calendars,
    /// Direct predecessors `(activity, lag)` of each activity, by index.
    pub(crate) preds: Csr<(u32, i32)>,
    /// Direct successors of each activity.
    pub(crate) succs: Csr<(u32, i32)>,
    /// Successor groups of each group (distinct, sorted).
    pub(crate) group_succs: Csr<u32>,
    pub(crate) group_preds: Csr<u32>,
    /// `group_preds` in fours (see `fours`).
    pub(crate) group_preds4: Csr<[u32; 4]>,
    /// Every group is one activity and no lag is negative: in any
    /// schedule a group starts no earlier than its predecessors, so orders
    /// by start need no precedence check.
    pub(crate) starts_ordered: bool,
    /// The base a unit's busy intervals may be merged across (when every
    /// activity it can do starts on working days of that one base).
    unit_base: Vec<Option<usize>>,
    /// Per unit: its profile (window and day rate), numbered from 0 in
    /// order of first appearance; `NO_PROFILE` past the 64th. Two units of
    /// one profile, both idle from an activity's earliest start on, place
    /// it alike (see `place_on_unit`).
    unit_profile: Vec<u8>,
    /// Which units are booked on each day, by list (`index`).
    crews: index::CrewIndex,
    /// Earliest day any state array covers (fixed work may precede day 0).
    tmin: Time,
    /// Days `State::room` covers.
    span: usize,
    /// Blocks of `LANES` pools per day in `State::room`.
    blocks: usize,
    /// Per activity: its demand on every pool, `blocks` blocks (none when
    /// it needs no pool).
    demand: Csr<Lanes>,
    /// Per activity: demands more of a pool than it ever has.
    oversized: Vec<bool>,
    /// Per activity: its duration and demand when only the pools decide
    /// where it goes (see `Plain`).
    plain: Vec<Option<Plain>>,
    /// Per group: how a pass places it (saves a pass reading each
    /// group's list of activities, and for plain work, the activity's
    /// result and `plain` entry: one read per group).
    steps: Vec<Step>,
    /// Period amounts, cumulated, for carry-over.
    cum_amount: Vec<i64>,
    /// The state with fixed activities placed.
    initial: State,
    /// Activity indices that are fixed.
    fixed: Vec<usize>,
}

/// Work that needs no unit and no money, lasts at least a day on a
/// calendar where every day is a working day, and fits one block of pools
/// (PSPLIB's jobs): only the pools decide its start, so a pass places it
/// with a scan of the pools (`first_run`) and books it with one
/// vector subtraction a day, skipping the crew, calendar and budget steps.
#[derive(Debug, Clone, Copy)]
struct Plain {
    duration: i32,
    need: Lanes,
    /// The activity's release, kept here so a pass need not read the
    /// activity at all (its record is large).
    release: Time,
}

/// How a pass places a group (`Engine::steps`).
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Its one activity, plain work.
    Plain(u32, Plain),
    /// Its one activity, any other work.
    Sole(ActIx),
    /// Several activities, all placed or none.
    Several,
}

/// A pass's working state.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub(crate) result: Vec<Option<Result<Placement, Failure>>>,
    /// Per unit: sorted, disjoint busy intervals (merged across idle days).
    busy: Vec<Vec<(Time, Time)>>,
    /// Room left in each pool per day, day-major: block `b` of day `t` is
    /// `room[(t - tmin) * blocks + b]`, pool `b * LANES + k` in lane `k`.
    /// Keeping a day's pools side by side lets one check test them all.
    room: Vec<Lanes>,
    /// `room[dirty..]` is as the state it was reset from left it: a reset
    /// copies only what passes touched (a schedule uses a fraction of the
    /// horizon).
    dirty: usize,
    /// Per budget period: committed cents.
    committed: Vec<i64>,
    /// The crew index's bits (`index::CrewIndex`), day-major.
    crew_days: Vec<u64>,
    /// `crew_days[crew_dirty..]` is all 0: no booking reached it.
    crew_dirty: usize,
}

impl State {
    /// Becomes a copy of `other`, reusing this state's memory (a derived
    /// `clone_from` would allocate every vector anew for every pass).
    fn reset_to(&mut self, other: &State) {
        if self.result.len() == other.result.len() {
            self.result.copy_from_slice(&other.result);
        } else {
            self.result.clone_from(&other.result);
        }
        self.busy.clone_from(&other.busy);
        if self.room.len() == other.room.len() {
            let n = self.dirty.max(other.dirty);
            self.room[..n].copy_from_slice(&other.room[..n]);
        } else {
            self.room.clone_from(&other.room);
        }
        self.dirty = other.dirty;
        self.committed.clone_from(&other.committed);
        if self.crew_days.len() != other.crew_days.len() {
            // Zeroed pages the allocator maps lazily: at 20 years of days
            // only the days bookings reached are ever touched.
            self.crew_days = vec![0; other.crew_days.len()];
            self.crew_dirty = 0;
        }
        let n = self.crew_dirty.max(other.crew_dirty);
        self.crew_days[..n].copy_from_slice(&other.crew_days[..n]);
        self.crew_dirty = other.crew_dirty;
    }
}

impl<'p> Engine<'p> {
    pub(crate) fn new(p: &'p Problem) -> Engine<'p> {
        let n = p.activities.len();
        check_groups(p);
        let cals = Calendars::new(&p.calendars);
        let mut prec: Vec<&Precedence> = p.precedences.iter().collect();
        prec.sort_by_key(|e| (e.to, e.from));
        let preds = Csr::new(n, prec.iter().map(|e| (e.to.ix(), (e.from.0, e.lag))));
        prec.sort_by_key(|e| (e.from, e.to));
        let succs = Csr::new(n, prec.iter().map(|e| (e.from.ix(), (e.to.0, e.lag))));
        let mut gedges: Vec<(u32, u32)> = p
            .precedences
            .iter()
            .map(|e| {
                (
                    p.activities[e.from.ix()].group.0,
                    p.activities[e.to.ix()].group.0,
                )
            })
            .filter(|(a, b)| a != b)
            .collect();
        gedges.sort_unstable();
        gedges.dedup();
        let g = p.groups.len();
        let group_succs = Csr::new(g, gedges.iter().map(|&(a, b)| (a as usize, b)));
        let mut rev: Vec<(u32, u32)> = gedges.iter().map(|&(a, b)| (b, a)).collect();
        rev.sort_unstable();
        let group_preds = Csr::new(g, rev.iter().map(|&(b, a)| (b as usize, a)));
        let group_preds4 = fours(&group_preds);

        let mut unit_base: Vec<Option<Option<usize>>> = vec![None; p.units.len()];
        for a in &p.activities {
            let b = cals.base_of(a.calendar.ix());
            for u in a.units.iter() {
                let slot = &mut unit_base[u.ix()];
                *slot = match *slot {
                    None => Some(Some(b)),
                    Some(Some(x)) if x == b => Some(Some(b)),
                    _ => Some(None),
                };
            }
        }
        let unit_base = unit_base.into_iter().map(|x| x.flatten()).collect();
        let unit_profile = pick::profiles(&p.units);

        let fixed: Vec<usize> = (0..n)
            .filter(|&i| p.activities[i].fixed.is_some())
            .collect();
        let tmin = fixed
            .iter()
            .map(|&i| p.activities[i].fixed.map_or(0, |f| f.start))
            .fold(0, Time::min);
        let mut cum = 0i64;
        let cum_amount = p
            .budget
            .iter()
            .flat_map(|b| b.periods.iter())
            .map(|q| {
                cum = cum.saturating_add(q.amount.0);
                cum
            })
            .collect();
        let span = (p.horizon.max(0) - tmin).max(0) as usize + 1;
        let blocks = p.pools.len().div_ceil(LANES);
        let demand = Csr::new(
            n,
            p.activities.iter().enumerate().flat_map(move |(i, a)| {
                let mut dense = vec![[0; LANES]; blocks];
                for &(q, d) in &a.pool_demand {
                    dense[q.ix() / LANES][q.ix() % LANES] += d;
                }
                let needs = dense.iter().flatten().any(|&d| d != 0);
                let len = if needs { blocks } else { 0 };
                dense.into_iter().take(len).map(move |b| (i, b))
            }),
        );
        let starts_ordered = p.groups.iter().all(|g| g.activities.len() == 1)
            && p.precedences.iter().all(|e| e.lag >= 0);
        let mut eng = Engine {
            p,
            starts_ordered,
            span,
            blocks,
            demand,
            cals,
            preds,
            succs,
            group_succs,
            group_preds,
            group_preds4,
            unit_base,
            unit_profile,
            crews: index::CrewIndex::new(p, tmin, span),
            tmin,
            cum_amount,
            oversized: p
                .activities
                .iter()
                .map(|a| {
                    a.pool_demand
                        .iter()
                        .any(|&(pool, q)| q > p.pools[pool.ix()].capacity)
                })
                .collect(),
            plain: Vec::new(),
            steps: Vec::new(),
            initial: State::default(),
            fixed,
        };
        eng.plain = (0..n).map(|i| eng.plain_of(i)).collect();
        eng.steps = p.groups.iter().map(|g| eng.step_of(g)).collect();
        eng.initial = eng.fresh_state();
        eng
    }

    fn plain_of(&self, i: usize) -> Option<Plain> {
        let a = &self.p.activities[i];
        let simple = a.units.is_empty()
            && a.cost.0 == 0
            && a.duration > 0
            && a.fixed.is_none()
            && !self.oversized[i]
            && self.cals.every_day(a.calendar.ix());
        match self.demand.of(i) {
            [q] if simple => Some(Plain {
                duration: a.duration,
                need: *q,
                release: a.release,
            }),
            _ => None,
        }
    }

    fn step_of(&self, g: &Group) -> Step {
        match g.activities[..] {
            [a] => match self.plain[a.ix()] {
                Some(plain) => Step::Plain(a.0, plain),
                None => Step::Sole(a),
            },
            _ => Step::Several,
        }
    }

    /// The activity of group `g` when it has exactly one.
    pub(crate) fn sole(&self, g: usize) -> Option<ActIx> {
        match self.steps[g] {
            Step::Plain(i, _) => Some(ActIx(i)),
            Step::Sole(a) => Some(a),
            Step::Several => None,
        }
    }

    fn fresh_state(&self) -> State {
        let p = self.p;
        let periods = p.budget.as_ref().map_or(0, |b| b.periods.len());
        let mut st = State {
            result: vec![None; p.activities.len()],
            busy: vec![Vec::new(); p.units.len()],
            room: std::iter::repeat_n(self.capacity_lanes(), self.span)
                .flatten()
                .collect(),
            committed: vec![0; periods],
            dirty: 0,
            crew_days: vec![0; self.crews.len()],
            crew_dirty: 0,
        };
        for &i in &self.fixed {
            let pl = p.activities[i].fixed.expect("fixed");
            self.book(&mut st, i, pl);
        }
        st
    }

    /// One serial pass over `order` (every group once, predecessors'
    /// groups first). Leaves every activity's result in `st.result`.
    pub(crate) fn decode(&self, st: &mut State, order: &[GroupIx]) {
        st.reset_to(&self.initial);
        for &g in order {
            self.place_group(st, g);
        }
    }

    fn place_group(&self, st: &mut State, g: GroupIx) {
        match self.steps[g.ix()] {
            // Plain work is never fixed, so it is not placed yet.
            Step::Plain(i, plain) => return self.place_plain(st, i as usize, plain),
            // One activity: nothing to roll back when it fails.
            Step::Sole(a) => {
                let i = a.ix();
                if st.result[i].is_none() {
                    if let Err(e) = self.place(st, i) {
                        st.result[i] = Some(Err(e));
                    }
                }
                return;
            }
            Step::Several => {}
        }
        let acts = &self.p.groups[g.ix()].activities;
        let mut failed: Option<(usize, ActIx)> = None;
        for (k, &a) in acts.iter().enumerate() {
            if st.result[a.ix()].is_some() {
                continue; // fixed
            }
            let r = self.place(st, a.ix());
            if r.is_err() {
                st.result[a.ix()] = Some(r);
                failed = Some((k, a));
                break;
            }
        }
        let Some((k, fa)) = failed else { return };
        // Roll back what this group placed, so no crew time or money is
        // stranded on work that cannot be completed.
        for &a in &acts[..k] {
            let i = a.ix();
            if self.p.activities[i].fixed.is_some() {
                continue;
            }
            if let Some(Ok(pl)) = st.result[i] {
                self.unbook(st, i, pl);
            }
            st.result[i] = Some(Err(Failure::Withdrawn(fa)));
        }
        for &a in &acts[k + 1..] {
            let i = a.ix();
            if st.result[i].is_some() {
                continue;
            }
            let blocked = self.first_failed_pred(st, i);
            st.result[i] = Some(Err(
                blocked.map_or(Failure::Withdrawn(fa), Failure::BlockedBy)
            ));
        }
    }

    fn first_failed_pred(&self, st: &State, i: usize) -> Option<ActIx> {
        self.preds
            .of(i)
            .iter()
            .find(|(q, _)| !matches!(st.result[*q as usize], Some(Ok(_))))
            .map(|&(q, _)| ActIx(q))
    }

    /// Places one activity at its best start, books it, and returns it.
    fn place(&self, st: &mut State, i: usize) -> Result<Placement, Failure> {
        if let Some(plain) = self.plain[i] {
            self.place_plain(st, i, plain);
            return st.result[i].expect("placed or failed");
        }
        let a = &self.p.activities[i];
        let earliest = self.earliest(st, i, a.release)?;
        if self.oversized[i] {
            return Err(Failure::Horizon);
        }
        let pl = if a.units.is_empty() || a.duration <= 0 {
            let unit = a.units.first().copied();
            let cost = self.cost_with(a, unit);
            match self.fit(st, i, Crew::None, cost, earliest, self.p.horizon) {
                Ok((start, finish)) => Placement {
                    start,
                    finish,
                    unit,
                    cost,
                },
                Err(FitFail::Budget(from)) => return Err(Failure::Budget { from, cost }),
                Err(_) => return Err(Failure::Horizon),
            }
        } else {
            self.place_on_unit(st, i, earliest)?
        };
        self.book(st, i, pl);
        Ok(pl)
    }

    /// The earliest start precedence and release allow, once every
    /// predecessor is placed.
    #[inline(always)]
    fn earliest(&self, st: &State, i: usize, release: Time) -> Result<Time, Failure> {
        let mut earliest = release;
        for &(q, lag) in self.preds.of(i) {
            match st.result[q as usize] {
                Some(Ok(pl)) => earliest = earliest.max(pl.finish + 1 + lag),
                _ => return Err(Failure::BlockedBy(ActIx(q))),
            }
        }
        Ok(earliest)
    }

    /// Places and books plain work (see `Plain`) at its first run of days
    /// with room, or records why it cannot go: what `place` and `book`
    /// would do, without the steps that cannot apply to it (a pass's hot
    /// path on PSPLIB). It writes `st.result` itself and returns nothing:
    /// handing a placement back through memory and copying it again cost
    /// a sixth of a J120 pass in store-forwarding stalls (perf).
    // Inlined into the pass's loop, which otherwise kept its state on the
    // stack around each call: 0.98 of a J120 search's time.
    #[inline(always)]
    fn place_plain(&self, st: &mut State, i: usize, plain: Plain) {
        let earliest = match self.earliest(st, i, plain.release) {
            Ok(t) => t,
            Err(e) => {
                st.result[i] = Some(Err(e));
                return;
            }
        };
        // One block of pools a day (`Plain`), so day `t` is `room[t - tmin]`.
        let last = (self.p.horizon - self.tmin) as usize; // exclusive
        let days = &st.room[..last.min(st.room.len())];
        let dur = plain.duration as usize;
        let Some(lo) = first_run(days, plain.need, (earliest - self.tmin) as usize, dur) else {
            st.result[i] = Some(Err(Failure::Horizon));
            return;
        };
        let start = lo as Time + self.tmin;
        st.result[i] = Some(Ok(Placement {
            start,
            finish: start + plain.duration - 1,
            unit: None,
            cost: Money(0),
        }));
        st.dirty = st.dirty.max(lo + dur);
        take(&mut st.room[lo..lo + dur], plain.need);
    }

    /// The earliest `(start, finish)` from `t` on that the calendar, the
    /// unit, the pools and the budget all allow, if it starts by `latest`.
    /// Each retry moves `t` strictly later, past the day that blocked it.
    fn fit(
        &self,
        st: &State,
        i: usize,
        crew: Crew,
        cost: Money,
        mut t: Time,
        latest: Time,
    ) -> Result<(Time, Time), FitFail> {
        let a = &self.p.activities[i];
        let horizon = self.p.horizon;
        // Days known to have room in every pool for this activity: a retry
        // only checks days it has not checked yet.
        let mut roomy: (Time, Time) = (1, 0);
        loop {
            if t > horizon {
                return Err(FitFail::Horizon);
            }
            let (s, f) = self
                .cals
                .fit(a.calendar.ix(), a.kind, a.duration, t)
                .ok_or(FitFail::Horizon)?;
            if f >= horizon || s > horizon {
                return Err(FitFail::Horizon);
            }
            if s > latest {
                return Err(FitFail::Beaten);
            }
            if let Crew::Unit(u) | Crew::Like(u) = crew {
                let w = &self.p.units[u.ix()];
                if s < w.available_from {
                    t = w.available_from;
                    continue;
                }
                if f > w.available_to {
                    return Err(FitFail::Window);
                }
            }
            if let Crew::Unit(u) = crew {
                if let Some(end) = busy_conflict(&st.busy[u.ix()], s, f) {
                    t = end + 1;
                    continue;
                }
            }
            if f >= s && !self.demand.of(i).is_empty() {
                let (lo, hi) = roomy;
                let from = if lo <= s && s <= hi + 1 { hi + 1 } else { s };
                if from <= f {
                    if let Some(d) = self.latest_short(st, i, from, f) {
                        // Every day after `d` up to `f` has room, so the
                        // next try only checks days past `f`; when `d` is
                        // `f` itself, skip the stretch without room first.
                        if d < f {
                            roomy = (d + 1, f);
                            t = d + 1;
                        } else {
                            t = self.next_roomy(st, i, d + 1);
                            roomy = (t, t);
                        }
                        continue;
                    }
                }
                roomy = if from == s { (s, f) } else { (lo, hi.max(f)) };
            }
            if cost.0 > 0 {
                match self.funding(st, s, cost.0) {
                    Funding::Now => {}
                    Funding::From(t2) => {
                        t = t2;
                        continue;
                    }
                    Funding::Never => return Err(FitFail::Budget(s)),
                }
            }
            return Ok((s, f));
        }
    }

    /// The latest day of `s..=f` on which some pool lacks room for
    /// activity `i`. Scanned from the end, so that a start pushed past it
    /// skips every earlier day unread (the hot loop of a pass).
    fn latest_short(&self, st: &State, i: usize, s: Time, f: Time) -> Option<Time> {
        let need = self.demand.of(i);
        let lo = (s - self.tmin) as usize;
        let hi = (f - self.tmin) as usize;
        let b = self.blocks;
        let mut days = st.room[lo * b..(hi + 1) * b].chunks_exact(b);
        let k = days.rposition(|day| short(day, need))?;
        Some((lo + k) as Time + self.tmin)
    }

    /// The first day from `d` on with room for activity `i` in every pool
    /// (past the end: the horizon). Skips a full stretch in one tight scan.
    fn next_roomy(&self, st: &State, i: usize, d: Time) -> Time {
        let need = self.demand.of(i);
        let lo = (d - self.tmin) as usize;
        let b = self.blocks;
        let ahead = &st.room[(lo * b).min(self.span * b)..];
        let mut days = ahead.chunks_exact(b);
        let k = days
            .position(|day| !short(day, need))
            .unwrap_or(ahead.len() / b);
        (lo + k) as Time + self.tmin
    }

    /// Each pool's capacity in its lane (padding lanes 0: nothing needs them).
    fn capacity_lanes(&self) -> Vec<Lanes> {
        let mut lanes = vec![[0; LANES]; self.blocks];
        for (q, pool) in self.p.pools.iter().enumerate() {
            lanes[q / LANES][q % LANES] = pool.capacity;
        }
        lanes
    }

    /// Whether `cost` can be committed on day `s`, and if not, from when.
    fn funding(&self, st: &State, s: Time, cost: i64) -> Funding {
        let Some(b) = &self.p.budget else {
            return Funding::Now;
        };
        let first = b.periods.partition_point(|q| q.to < s);
        if first == b.periods.len() {
            return Funding::Never;
        }
        let found = if b.carry_over {
            // Money may be committed in period j when, for every q >= j,
            // cumulative committed + cost <= cumulative amount. That slack's
            // minimum over q >= j only grows with j, so the fundable periods
            // are a suffix: walk back from the last while it still holds.
            let mut cum_c: i64 = st.committed.iter().fold(0i64, |a, c| a.saturating_add(*c));
            let mut min_slack = i64::MAX;
            let mut found = None;
            for j in (first..b.periods.len()).rev() {
                min_slack = min_slack.min(self.cum_amount[j].saturating_sub(cum_c));
                if min_slack < cost {
                    break;
                }
                found = Some(j);
                cum_c = cum_c.saturating_sub(st.committed[j]);
            }
            found
        } else {
            (first..b.periods.len())
                .find(|&j| st.committed[j].saturating_add(cost) <= b.periods[j].amount.0)
        };
        match found {
            Some(j) if b.periods[j].from <= s => Funding::Now,
            Some(j) => Funding::From(b.periods[j].from),
            None => Funding::Never,
        }
    }

    fn period_of(&self, day: Time) -> Option<usize> {
        let b = self.p.budget.as_ref()?;
        let j = b.periods.partition_point(|q| q.to < day);
        (j < b.periods.len() && b.periods[j].from <= day).then_some(j)
    }

    fn book(&self, st: &mut State, i: usize, pl: Placement) {
        st.result[i] = Some(Ok(pl));
        self.apply(st, i, pl, 1);
    }

    fn unbook(&self, st: &mut State, i: usize, pl: Placement) {
        st.result[i] = None;
        self.apply(st, i, pl, -1);
    }

    /// Adds (`sign` 1) or removes (−1) an activity's use of its unit,
    /// pools and budget.
    fn apply(&self, st: &mut State, i: usize, pl: Placement, sign: i32) {
        if pl.finish >= pl.start {
            if let Some(u) = pl.unit {
                if sign > 0 {
                    self.busy_insert(&mut st.busy[u.ix()], u.ix(), pl.start, pl.finish);
                } else {
                    busy_remove(&mut st.busy[u.ix()], pl.start, pl.finish);
                }
                let bits = (&mut st.crew_days, &mut st.crew_dirty);
                self.crews
                    .mark(bits.0, bits.1, u, pl.start, pl.finish, sign > 0);
            }
            let len = self.span as Time;
            let lo = (pl.start - self.tmin).clamp(0, len) as usize;
            let hi = (pl.finish - self.tmin + 1).clamp(0, len) as usize;
            let need = self.demand.of(i);
            if !need.is_empty() {
                st.dirty = st.dirty.max(hi * self.blocks);
            }
            if let [q] = need {
                take(&mut st.room[lo..hi], q.map(|x| sign * x));
            } else if !need.is_empty() {
                self.apply_blocks(st, need, lo, hi, sign);
            }
        }
        if pl.cost.0 != 0 {
            if let Some(j) = self.period_of(pl.start) {
                st.committed[j] += sign as i64 * pl.cost.0;
            }
        }
    }

    fn apply_blocks(&self, st: &mut State, need: &[Lanes], lo: usize, hi: usize, sign: i32) {
        let b = self.blocks;
        for day in st.room[lo * b..hi * b].chunks_exact_mut(b) {
            for (r, q) in day.iter_mut().zip(need) {
                for l in 0..LANES {
                    r[l] -= sign * q[l];
                }
            }
        }
    }

    fn busy_insert(&self, v: &mut Vec<(Time, Time)>, u: usize, s: Time, f: Time) {
        let joins = |end: Time, start: Time| {
            start <= end + 1
                || self.unit_base[u].is_some_and(|b| self.cals.bases[b].idle_between(end, start))
        };
        let pos = v.partition_point(|iv| iv.1 < s);
        let (mut lo, mut hi) = (s, f);
        let mut i = pos;
        if i > 0 && joins(v[i - 1].1, lo) {
            i -= 1;
            lo = lo.min(v[i].0);
        }
        let mut j = pos;
        while j < v.len() && joins(hi, v[j].0) {
            lo = lo.min(v[j].0);
            hi = hi.max(v[j].1);
            j += 1;
        }
        v.splice(i..j, std::iter::once((lo, hi)));
    }

    pub(crate) fn solution(&self, st: &State, schedules: u64) -> Solution {
        let activities = st
            .result
            .iter()
            .map(|r| r.unwrap_or(Err(Failure::Horizon)))
            .collect();
        Solution {
            activities,
            score: self.score(st),
            schedules,
        }
    }
}

/// Pools are checked `LANES` at a time: four `i32`s, one SIMD register.
const LANES: usize = 4;
type Lanes = [i32; LANES];

/// The first run of `dur` days from day `from` of `days` (one block of
/// pools each) with room for `q`; `None` when it would pass the end. Each
/// window is checked from its last unchecked day backwards, so a day
/// without room moves the start past it and skips every earlier day
/// unread; days already found roomy are never read again.
// Inlined into `place_plain`, the one hot caller (its measured worth:
// docs/performance.md, "Figures that were kept in the search's comments").
#[inline(always)]
fn first_run(days: &[Lanes], q: Lanes, from: usize, dur: usize) -> Option<usize> {
    let mut start = from;
    // Days `start..roomy` are known to have room.
    let mut roomy = start;
    loop {
        let end = start + dur;
        if end > days.len() {
            return None;
        }
        match days[roomy..end].iter().rposition(|r| lacks(r, &q)) {
            Some(k) => (start, roomy) = (roomy + k + 1, end),
            None => return Some(start),
        }
    }
}

/// Takes `q` from every one of `days` (one block of pools a day): one
/// vector subtraction a day.
#[inline(always)]
fn take(days: &mut [Lanes], q: Lanes) {
    for r in days {
        for (x, d) in r.iter_mut().zip(q) {
            *x -= d;
        }
    }
}

/// Whether a day (its blocks of pools) lacks room for `need`.
#[inline]
fn short(day: &[Lanes], need: &[Lanes]) -> bool {
    day.iter().zip(need).any(|(r, q)| lacks(r, q))
}

/// Whether one block of pools lacks room for `q`. Written without early
/// exits so that it compiles to one vector compare.
#[inline(always)]
fn lacks(r: &Lanes, q: &Lanes) -> bool {
    (r[0] < q[0]) | (r[1] < q[1]) | (r[2] < q[2]) | (r[3] < q[3])
}

enum Funding {
    Now,
    From(Time),
    Never,
}

/// The end of the busy interval that overlaps `s..=f`, if any.
fn busy_conflict(v: &[(Time, Time)], s: Time, f: Time) -> Option<Time> {
    let i = v.partition_point(|iv| iv.1 < s);
    match v.get(i) {
        Some(&(a, b)) if a <= f => Some(b),
        _ => None,
    }
}

/// Frees `s..=f`, which lies inside one merged interval. The pieces left
/// may keep idle days at their edges; no activity could use those alone.
fn busy_remove(v: &mut Vec<(Time, Time)>, s: Time, f: Time) {
    let i = v.partition_point(|iv| iv.1 < s);
    let Some(&(a, b)) = v.get(i) else { return };
    let mut pieces = Vec::with_capacity(2);
    if a < s {
        pieces.push((a, s - 1));
    }
    if f < b {
        pieces.push((f + 1, b));
    }
    v.splice(i..=i, pieces);
}

/// The contract the lowering must keep: every activity in exactly the group
/// it names, listed once. A breach is a bug in the caller.
fn check_groups(p: &Problem) {
    let mut seen = vec![false; p.activities.len()];
    for (g, grp) in p.groups.iter().enumerate() {
        for a in &grp.activities {
            assert!(
                p.activities[a.ix()].group.ix() == g && !seen[a.ix()],
                "scheduling problem: activity {} is not listed once in its group",
                a.0
            );
            seen[a.ix()] = true;
        }
    }
    assert!(
        seen.iter().all(|&s| s),
        "scheduling problem: an activity is in no group"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The first run, found the obvious way: every start, every day.
    fn naive(days: &[Lanes], q: Lanes, from: usize, dur: usize) -> Option<usize> {
        (from..days.len())
            .take_while(|s| s + dur <= days.len())
            .find(|&s| days[s..s + dur].iter().all(|r| !lacks(r, &q)))
    }

    #[test]
    fn fours_pad_with_the_last_item() {
        let csr = Csr::new(
            3,
            [(0, 1u32), (2, 5), (2, 6), (2, 7), (2, 8), (2, 9)].into_iter(),
        );
        let four = fours(&csr);
        assert_eq!(four.of(0), &[[1, 1, 1, 1]]);
        assert!(four.of(1).is_empty());
        assert_eq!(four.of(2), &[[5, 6, 7, 8], [9, 9, 9, 9]]);
    }

    proptest! {
        #![proptest_config(crate::proptest_seed::config(256))]

        /// The backward-checking scan finds the same start as trying every
        /// start; rooms near the demand make runs short and varied.
        #[test]
        fn first_run_is_the_first_start_with_room(
            days in prop::collection::vec(prop::array::uniform4(0i32..4), 0..80),
            q in prop::array::uniform4(0i32..3),
            from in 0usize..60,
            dur in 1usize..20,
        ) {
            prop_assert_eq!(first_run(&days, q, from, dur), naive(&days, q, from, dur));
        }
    }
}
