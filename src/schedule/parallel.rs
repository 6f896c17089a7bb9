//! The parallel (non-delay) schedule generation scheme, for problems as
//! plain as PSPLIB's: day by day, the eligible groups start in list order
//! while the pools have room. It builds other schedules than the serial
//! pass (no group waits while it could start), which pays on the most
//! constrained instances; the search uses it for some children only.

use super::problem::*;
use super::sgs::Engine;
use std::cell::RefCell;

/// A problem prepared for parallel passes: durations and demands in flat
/// arrays, read in every pass, the demands of up to four pools packed in
/// one word (see `fits`).
pub(crate) struct Parallel {
    /// Per activity: its duration.
    duration: Vec<Time>,
    /// Per activity: its demands, packed.
    demand: Vec<u64>,
    /// The pools' capacities, packed.
    capacity: u64,
    group_of: Vec<usize>,
    /// Per group: its activity.
    act_of: Vec<u32>,
    /// Per activity: how many predecessors it has.
    preds: Vec<u32>,
    /// Working memory of `pass`, kept between passes.
    work: RefCell<Work>,
}

/// A pass's working memory. Activities are bits indexed by list
/// position, so a day's look visits them in list order without sorting.
/// An eligible activity (predecessors all placed, ready by today) waits
/// in `look` until looked at, then, when it did not fit, in `waiting` of
/// a pool it lacked: only room returning to that pool can let it start,
/// so it is not looked at again before. What happens later is kept by
/// day: the demand that returns, and the activities that become ready
/// (a list threaded through `next_woken`), so the pass jumps from one
/// such day to the next.
#[derive(Default)]
struct Work {
    /// Per activity: predecessors not yet placed.
    missing: Vec<u32>,
    /// Per activity: the first day its placed predecessors allow.
    ready: Vec<Time>,
    /// Per activity: its position in the list.
    pos: Vec<u32>,
    /// Per position: the activity there.
    act_at: Vec<u32>,
    /// Eligible activities to look at today, by position.
    look: Vec<u64>,
    /// Per pool: eligible activities that lacked its room when last
    /// looked at, by position.
    waiting: [Vec<u64>; LANES],
    /// Per activity: the next activity ready on the same day.
    next_woken: Vec<u32>,
    /// What happens later, by day.
    days: Days,
}

/// `Work`'s arrays by day.
#[derive(Default)]
struct Days {
    /// Per day: demand that returns that day.
    freed: Vec<u64>,
    /// Per day: the first activity that becomes ready that day.
    woken: Vec<u32>,
    /// Days of `freed` and `woken` in use: after it, all empty.
    used: usize,
}

/// End of a `woken` list.
const NONE: u32 = u32::MAX;

fn set_bit(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

/// The first pool (lane) in which `need` does not fit in `free`.
fn lacking(free: u64, need: u64) -> usize {
    let lacks = !((free | HIGH) - need) & HIGH;
    lacks.trailing_zeros() as usize / 16
}

impl Days {
    /// Day `d`'s slots, growing the per-day arrays when needed.
    fn day(&mut self, d: Time) -> usize {
        let d = d as usize;
        self.used = self.used.max(d + 1);
        if d >= self.freed.len() {
            let len = (d + 1).max(2 * self.freed.len());
            self.freed.resize(len, 0);
            self.woken.resize(len, NONE);
        }
        d
    }
}

/// Pools a word holds: four lanes of 16 bits, each below `HIGH`.
const LANES: usize = 4;
const HIGH: u64 = 0x8000_8000_8000_8000;

/// Whether `need` fits in `free`, lane by lane: setting each lane's high
/// bit before subtracting keeps borrows inside their lane, and a lane
/// whose need exceeds what is free loses its high bit.
fn fits(free: u64, need: u64) -> bool {
    ((free | HIGH) - need) & HIGH == HIGH
}

impl Parallel {
    /// `None` unless only pools (at most four, capacities below 2^15) and
    /// precedences without negative lags decide starts: every group one
    /// activity, no crews, budget, calendars, releases or fixed work, and
    /// no demand above a pool's capacity.
    pub(crate) fn new(eng: &Engine) -> Option<Parallel> {
        let p = eng.p;
        let plain = p.units.is_empty()
            && p.budget.is_none()
            && p.pools.len() <= LANES
            && p.pools.iter().all(|q| (0..0x8000).contains(&q.capacity))
            && p.precedences.iter().all(|e| e.lag >= 0)
            && p.calendars
                .iter()
                .all(|c| c.base == BaseCalendar::Continuous && c.blocked.is_empty())
            && p.groups.iter().all(|g| g.activities.len() == 1)
            && p.activities.iter().all(|a| {
                a.release == 0
                    && a.fixed.is_none()
                    && a.units.is_empty()
                    && a.duration >= 0
                    && a.pool_demand.iter().all(|&(_, d)| d >= 0)
            });
        if !plain {
            return None;
        }
        let pack = |amounts: &mut dyn Iterator<Item = (usize, i32)>| {
            let mut lanes = [0i64; LANES];
            for (q, d) in amounts {
                lanes[q] += d as i64;
            }
            lanes
        };
        let capacity = pack(&mut p.pools.iter().enumerate().map(|(q, c)| (q, c.capacity)));
        let word =
            |lanes: [i64; LANES]| (0..LANES).fold(0u64, |w, q| w | (lanes[q] as u64) << (16 * q));
        let mut demand = Vec::with_capacity(p.activities.len());
        for a in &p.activities {
            // A pool listed twice adds up, as in the serial pass.
            let need = pack(&mut a.pool_demand.iter().map(|&(q, d)| (q.ix(), d)));
            if (0..LANES).any(|q| need[q] > capacity[q]) {
                return None;
            }
            demand.push(word(need));
        }
        Some(Parallel {
            duration: p.activities.iter().map(|a| a.duration).collect(),
            demand,
            capacity: word(capacity),
            group_of: p.activities.iter().map(|a| a.group.ix()).collect(),
            act_of: p.groups.iter().map(|g| g.activities[0].0).collect(),
            preds: eng.preds.degrees().collect(),
            work: RefCell::default(),
        })
    }

    /// Each group's start and finish (inclusive) in the parallel schedule
    /// of `list` (a precedence-ordered list of `eng`'s groups). Days start
    /// at 0.
    ///
    /// The pass visits only the days on which room returns or an activity
    /// becomes ready, and on them looks only at the activities that became
    /// eligible and those waiting for a pool whose room returned (see
    /// `Work`): the others could not start either.
    // Kept out of the search's loop, whose registers it would share.
    #[inline(never)]
    pub(crate) fn pass(&self, eng: &Engine, list: &[GroupIx]) -> Vec<Option<(Time, Time)>> {
        let w = &mut *self.work.borrow_mut();
        let n = self.duration.len();
        w.missing.clone_from(&self.preds);
        w.ready.clear();
        w.ready.resize(n, 0);
        w.pos.resize(n, 0);
        w.act_at.resize(n, 0);
        for (k, &g) in list.iter().enumerate() {
            let a = self.act_of[g.ix()];
            w.pos[a as usize] = k as u32;
            w.act_at[k] = a;
        }
        w.next_woken.resize(n, NONE);
        let words = n.div_ceil(64);
        for set in std::iter::once(&mut w.look).chain(&mut w.waiting) {
            set.clear();
            set.resize(words, 0);
        }
        for a in (0..n).filter(|&a| w.missing[a] == 0) {
            set_bit(&mut w.look, w.pos[a] as usize);
        }
        // Each array by itself, as a slice where its length is fixed: read
        // through `w`, their addresses were loaded again after every store.
        let Work {
            missing,
            ready,
            pos,
            act_at,
            look,
            waiting,
            next_woken,
            days,
        } = w;
        let (missing, ready, pos, act_at) =
            (&mut missing[..], &mut ready[..], &pos[..], &act_at[..]);
        let (look, next_woken) = (&mut look[..], &mut next_woken[..]);
        let mut free = self.capacity;
        let mut ext = vec![None; list.len()];
        let mut placed = 0;
        let mut t: Time = 0;
        while placed < n {
            // In list order; a group started now may free a successor (later
            // in the list), which then may start today too.
            for i in 0..words {
                let mut bits = std::mem::take(&mut look[i]);
                // This word's activities that did not fit, per pool lacked,
                // kept in registers: most looks fail, and each would
                // otherwise be a write to `waiting`.
                let mut wait = [0u64; LANES];
                while bits != 0 {
                    let k = i * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let a = act_at[k] as usize;
                    let need = self.demand[a];
                    if !fits(free, need) {
                        let (lack, bit) = (lacking(free, need), 1 << (k % 64));
                        for (q, x) in wait.iter_mut().enumerate() {
                            *x |= bit & 0u64.wrapping_sub(u64::from(q == lack));
                        }
                        continue;
                    }
                    placed += 1;
                    let f = t + self.duration[a] - 1;
                    ext[self.group_of[a]] = Some((t, f));
                    if self.duration[a] > 0 {
                        free -= need;
                        let d = days.day(f + 1);
                        days.freed[d] += need;
                    }
                    for &(s, lag) in eng.succs.of(a) {
                        let s = s as usize;
                        missing[s] -= 1;
                        ready[s] = ready[s].max(f + 1 + lag);
                        if missing[s] > 0 {
                            continue;
                        }
                        if ready[s] <= t {
                            set_bit(look, pos[s] as usize);
                        } else {
                            let d = days.day(ready[s]);
                            next_woken[s] = days.woken[d];
                            days.woken[d] = s as u32;
                        }
                    }
                    // Successors that may start today lie later in the list.
                    bits |= std::mem::take(&mut look[i]);
                }
                for (set, x) in waiting.iter_mut().zip(wait) {
                    set[i] |= x;
                }
            }
            // The next day anything changes: room returns or an activity
            // becomes ready.
            let from = t as usize + 1;
            let Days { freed, woken, used } = days;
            let Some(d) = (from..*used).find(|&d| freed[d] != 0 || woken[d] != NONE) else {
                break;
            };
            t = d as Time;
            let back = std::mem::take(&mut freed[d]);
            free += back;
            for q in (0..LANES).filter(|q| back >> (16 * q) & 0xffff != 0) {
                for (l, x) in look.iter_mut().zip(&mut waiting[q]) {
                    *l |= std::mem::take(x);
                }
            }
            let mut s = std::mem::replace(&mut woken[d], NONE);
            while s != NONE {
                set_bit(look, pos[s as usize] as usize);
                s = next_woken[s as usize];
            }
        }
        // Room still to return after the last start.
        let used = std::mem::take(&mut days.used);
        days.freed[..used].fill(0);
        ext
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::rules::{topo_by_key, Key};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Two pools (capacities 3 and 2); 2 → 5 → 7, 3 → 6, a zero-duration
    /// job (4) and a lag-free chain through it.
    fn problem() -> Problem {
        let succ = [
            vec![1, 2, 3],
            vec![4],
            vec![5],
            vec![6],
            vec![6],
            vec![7],
            vec![7],
            vec![],
        ];
        let demands = [
            [0, 0],
            [2, 1],
            [2, 0],
            [1, 1],
            [1, 2],
            [3, 0],
            [1, 1],
            [0, 0],
        ]
        .map(Vec::from);
        Problem::single_mode(&[0, 2, 3, 0, 1, 2, 2, 0], &demands, &succ, &[3, 2])
    }

    /// Every group placed, after its predecessors, within the pools'
    /// capacities every day, and none could have started a day earlier
    /// (non-delay: precedence and pools allowed no earlier start).
    fn check(p: &Problem, eng: &Engine, ext: &[Option<(Time, Time)>]) {
        let at = |g: usize| ext[g].expect("every group placed");
        for e in &p.precedences {
            let (a, b) = (e.from.ix(), e.to.ix());
            assert!(at(b).0 >= at(a).1 + 1 + e.lag, "{a} -> {b}: {ext:?}");
        }
        let end = ext.iter().flatten().map(|e| e.1 + 1).max().unwrap_or(0);
        let use_on = |q: usize, t: Time| -> i32 {
            p.activities
                .iter()
                .enumerate()
                .filter(|(a, _)| at(*a).0 <= t && t <= at(*a).1)
                .flat_map(|(_, act)| act.pool_demand.iter())
                .filter(|&&(pq, _)| pq.ix() == q)
                .map(|&(_, d)| d)
                .sum()
        };
        for t in 0..end {
            for (q, pool) in p.pools.iter().enumerate() {
                assert!(use_on(q, t) <= pool.capacity, "pool {q} day {t}: {ext:?}");
            }
        }
        for (a, act) in p.activities.iter().enumerate() {
            let (s, _) = at(a);
            let free_by = eng
                .preds
                .of(a)
                .iter()
                .map(|&(q, lag)| at(q as usize).1 + 1 + lag);
            if s == 0 || free_by.max().unwrap_or(0) >= s || act.duration == 0 {
                continue;
            }
            // Started after its predecessors allowed: some pool was full
            // the day before for it.
            let blocked = act
                .pool_demand
                .iter()
                .any(|&(q, d)| use_on(q.ix(), s - 1) + d > p.pools[q.ix()].capacity);
            assert!(blocked, "{a} could start on day {}: {ext:?}", s - 1);
        }
    }

    #[test]
    fn parallel_schedules_are_feasible_and_non_delay() {
        let p = problem();
        let eng = Engine::new(&p);
        let par = Parallel::new(&eng).expect("a PSPLIB problem");
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..300 {
            let noise: Vec<f64> = (0..8).map(|_| rng.gen_range(0.0..1.0)).collect();
            let list = topo_by_key(&eng.group_succs, &eng.group_preds, |g| Key(noise[g], 0.0));
            check(&p, &eng, &par.pass(&eng, &list));
        }
    }

    #[test]
    fn parallel_pass_follows_the_list_among_eligible_groups() {
        let p = problem();
        let eng = Engine::new(&p);
        let par = Parallel::new(&eng).expect("a PSPLIB problem");
        let list = |v: &[u32]| v.iter().map(|&g| GroupIx(g)).collect::<Vec<_>>();
        // Job 3 (index 2) first takes two of pool 1; job 2 (index 1, two
        // of pool 1) must wait for it; job 4 (index 3) starts at once.
        let ext = par.pass(&eng, &list(&[0, 2, 1, 3, 4, 5, 6, 7]));
        assert_eq!(ext[2], Some((0, 2)));
        assert_eq!(ext[1], Some((3, 4)));
        assert_eq!(ext[3], Some((0, -1)));
        check(&p, &eng, &ext);
    }

    /// The straightforward parallel pass (a sorted list of eligible
    /// activities, every one looked at on every day anything changes),
    /// against which `pass` is checked.
    fn reference_pass(p: &Problem, eng: &Engine, list: &[GroupIx]) -> Vec<Option<(Time, Time)>> {
        let n = p.activities.len();
        let fits_now = |used: &[i32], a: usize| {
            p.activities[a]
                .pool_demand
                .iter()
                .all(|&(q, d)| used[q.ix()] + d <= p.pools[q.ix()].capacity)
        };
        let mut missing: Vec<u32> = eng.preds.degrees().collect();
        let mut ready = vec![0 as Time; n];
        let mut pos = vec![0; n];
        for (k, &g) in list.iter().enumerate() {
            pos[p.groups[g.ix()].activities[0].ix()] = k;
        }
        let mut eligible: Vec<usize> = (0..n).filter(|&a| missing[a] == 0).collect();
        let mut ext = vec![None; list.len()];
        let mut active: Vec<(Time, usize)> = Vec::new();
        let (mut t, mut placed) = (0, 0);
        while placed < n {
            active.retain(|&(f, _)| f >= t);
            let mut used = vec![0; p.pools.len()];
            for &(_, a) in &active {
                for &(q, d) in &p.activities[a].pool_demand {
                    used[q.ix()] += d;
                }
            }
            eligible.sort_by_key(|&a| pos[a]);
            let mut k = 0;
            while k < eligible.len() {
                let a = eligible[k];
                if ready[a] > t || !fits_now(&used, a) {
                    k += 1;
                    continue;
                }
                eligible.remove(k);
                placed += 1;
                let f = t + p.activities[a].duration - 1;
                ext[p.activities[a].group.ix()] = Some((t, f));
                if f >= t {
                    active.push((f, a));
                    for &(q, d) in &p.activities[a].pool_demand {
                        used[q.ix()] += d;
                    }
                }
                for &(s, lag) in eng.succs.of(a) {
                    let s = s as usize;
                    missing[s] -= 1;
                    ready[s] = ready[s].max(f + 1 + lag);
                    if missing[s] == 0 {
                        eligible.push(s);
                        eligible.sort_by_key(|&a| pos[a]);
                    }
                }
            }
            let next = active.iter().map(|&(f, _)| f + 1);
            let waiting = eligible.iter().map(|&a| ready[a]).filter(|&r| r > t);
            if placed < n {
                t = next.chain(waiting).min().expect("something left to do");
            }
        }
        ext
    }

    /// A random PSPLIB-like problem: `n` jobs between a source and a sink,
    /// four pools, durations 0 to 6, demands up to the capacities.
    fn random_problem(n: usize, rng: &mut ChaCha8Rng) -> Problem {
        let cap = [9, 7, 5, 12];
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n + 2];
        for (j, targets) in succ.iter_mut().enumerate().take(n + 1).skip(1) {
            let k = rng.gen_range(0..3);
            targets.extend((0..k).map(|_| rng.gen_range(j + 1..=n + 1)));
            targets.sort_unstable();
            targets.dedup();
        }
        let has_pred: Vec<bool> = (0..n + 2)
            .map(|j| succ.iter().any(|s| s.contains(&j)))
            .collect();
        succ[0] = (1..=n).filter(|&j| !has_pred[j]).collect();
        for targets in succ.iter_mut().take(n + 1).skip(1) {
            if targets.is_empty() {
                targets.push(n + 1);
            }
        }
        let mut durations = Vec::with_capacity(n + 2);
        let mut demands = Vec::with_capacity(n + 2);
        for j in 0..n + 2 {
            let inner = j > 0 && j <= n;
            durations.push(if inner { rng.gen_range(0..7) } else { 0 });
            let req: Vec<i32> = cap
                .iter()
                .map(|&c| {
                    if inner && rng.gen_bool(0.6) {
                        rng.gen_range(0..=c)
                    } else {
                        0
                    }
                })
                .collect();
            demands.push(req);
        }
        Problem::single_mode(&durations, &demands, &succ, &cap)
    }

    #[test]
    fn parallel_pass_matches_the_straightforward_one() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for round in 0..12 {
            let mut p = random_problem(if round % 2 == 0 { 150 } else { 40 }, &mut rng);
            if round % 3 == 0 {
                // Lags make activities ready on days nothing finishes.
                for e in &mut p.precedences {
                    e.lag = rng.gen_range(0..3);
                }
            }
            let eng = Engine::new(&p);
            let par = Parallel::new(&eng).expect("a PSPLIB-like problem");
            let g = p.groups.len();
            for _ in 0..20 {
                let noise: Vec<f64> = (0..g).map(|_| rng.gen_range(0.0..1.0)).collect();
                let list = topo_by_key(&eng.group_succs, &eng.group_preds, |g| Key(noise[g], 0.0));
                let ext = par.pass(&eng, &list);
                assert_eq!(ext, reference_pass(&p, &eng, &list), "round {round}");
                check(&p, &eng, &ext);
            }
        }
    }

    #[test]
    fn parallel_pass_does_not_apply_to_crews_or_calendars() {
        let mut p = problem();
        assert!(Parallel::new(&Engine::new(&p)).is_some());
        p.activities[2].release = 1;
        assert!(Parallel::new(&Engine::new(&p)).is_none());
    }
}
