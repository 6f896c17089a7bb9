//! The parallel (non-delay) schedule generation scheme, for problems as
//! plain as PSPLIB's: day by day, the eligible groups start in list order
//! while the pools have room. It builds other schedules than the serial
//! pass (no group waits while it could start), which pays on the most
//! constrained instances; the search uses it for some children only.

use super::problem::*;
use super::sgs::Engine;

/// A problem prepared for parallel passes: durations and demands in flat
/// arrays (reading them from the activity records was most of a pass),
/// the demands of up to four pools packed in one word (see `fits`).
pub(crate) struct Parallel {
    /// Per activity: its duration.
    duration: Vec<Time>,
    /// Per activity: its demands, packed.
    demand: Vec<u64>,
    /// The pools' capacities, packed.
    capacity: u64,
    group_of: Vec<usize>,
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

/// An activity whose predecessors are all placed.
#[derive(Clone, Copy)]
struct Eligible {
    /// Its position in the list (the order of choice).
    pos: u32,
    act: u32,
    /// The first day its predecessors allow.
    ready: Time,
    need: u64,
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
        })
    }

    /// Each group's start and finish (inclusive) in the parallel schedule
    /// of `list` (a precedence-ordered list of `eng`'s groups). Days start
    /// at 0.
    ///
    /// Only activities whose predecessors are all placed are looked at, in
    /// list order: a handful at a time, not every unplaced one every day.
    pub(crate) fn pass(&self, eng: &Engine, list: &[GroupIx]) -> Vec<Option<(Time, Time)>> {
        let n = self.duration.len();
        let act_of = |g: GroupIx| eng.p.groups[g.ix()].activities[0].ix();
        let mut missing: Vec<u32> = eng.preds.degrees().collect();
        let mut ready = vec![0 as Time; n];
        let mut pos = vec![0u32; n];
        for (k, &g) in list.iter().enumerate() {
            pos[act_of(g)] = k as u32;
        }
        let cand = |a: usize, ready: Time| Eligible {
            pos: pos[a],
            act: a as u32,
            ready,
            need: self.demand[a],
        };
        let mut eligible: Vec<Eligible> = (0..n)
            .filter(|&a| missing[a] == 0)
            .map(|a| cand(a, 0))
            .collect();
        eligible.sort_unstable_by_key(|e| e.pos);
        // Work in progress: (last day, demand).
        let mut active: Vec<(Time, u64)> = Vec::new();
        let mut free = self.capacity;
        let mut ext = vec![None; list.len()];
        let mut placed = 0;
        let mut t: Time = 0;
        while placed < n {
            let mut i = 0;
            while i < active.len() {
                if active[i].0 < t {
                    free += active[i].1;
                    active.swap_remove(i);
                } else {
                    i += 1;
                }
            }
            // In list order; a group started now may free a successor (later
            // in the list), which then may start today too.
            let mut k = 0;
            while k < eligible.len() {
                let e = eligible[k];
                if e.ready > t || !fits(free, e.need) {
                    k += 1;
                    continue;
                }
                eligible.remove(k);
                placed += 1;
                let a = e.act as usize;
                let f = t + self.duration[a] - 1;
                ext[self.group_of[a]] = Some((t, f));
                if self.duration[a] > 0 {
                    free -= e.need;
                    active.push((f, e.need));
                }
                for &(s, lag) in eng.succs.of(a) {
                    let s = s as usize;
                    missing[s] -= 1;
                    ready[s] = ready[s].max(f + 1 + lag);
                    if missing[s] == 0 {
                        let c = cand(s, ready[s]);
                        let at = eligible.partition_point(|x| x.pos < c.pos);
                        eligible.insert(at, c);
                    }
                }
            }
            // The next day anything can change: a finish or a release by lag.
            let next_fin = active.iter().map(|&(f, _)| f + 1).min();
            let next_ready = eligible.iter().map(|e| e.ready).filter(|&r| r > t).min();
            match next_fin.into_iter().chain(next_ready).min() {
                Some(next) => t = next,
                None => break,
            }
        }
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
        let text = "\
jobs (incl. supersource/sink ):  8
RESOURCES
  - renewable                 :  2   R
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          3           2   3   4
   2        1          1           5
   3        1          1           6
   4        1          1           7
   5        1          1           7
   6        1          1           8
   7        1          1           8
   8        1          0
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     2       2    1
  3      1     3       2    0
  4      1     0       1    1
  5      1     1       1    2
  6      1     2       3    0
  7      1     2       1    1
  8      1     0       0    0
RESOURCEAVAILABILITIES:
  R 1  R 2
    3    2
";
        crate::psplib::parse(text).unwrap().to_problem()
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

    #[test]
    fn parallel_pass_does_not_apply_to_crews_or_calendars() {
        let mut p = problem();
        assert!(Parallel::new(&Engine::new(&p)).is_some());
        p.activities[2].release = 1;
        assert!(Parallel::new(&Engine::new(&p)).is_none());
    }
}
