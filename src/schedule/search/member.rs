//! Members of a population: a group list with its schedule's score and
//! extents, and how populations compare, admit and select them (shared by
//! both searches).

use super::super::problem::*;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;

/// One member of the population: a group list, its schedule's score, and
/// each group's first start and last finish (`None`: the group failed).
#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) list: Vec<GroupIx>,
    pub(super) score: Score,
    pub(super) extent: Vec<Option<(Time, Time)>>,
    /// Breaks ties between equal scores (smaller is better): the
    /// bi-population GA's work-weighted finish (`weighted_finish`).
    pub(super) tie: f64,
    /// A hash of `extent`: equal schedules have equal fingerprints, so
    /// the duplicate check compares whole extents only when these match
    /// (reading every member's extents is costly; docs/performance.md).
    pub(super) fingerprint: u64,
    /// Each group's first start (`Time::MIN` when it failed), packed for
    /// `replace_similar`'s count of groups two schedules start alike
    /// (cheaper to read than the extents).
    pub(super) starts: Vec<Time>,
    /// `(finish, tie)` as integers ordered as `cmp_member` orders them,
    /// when nothing but the finish and `tie` tells the member's score
    /// apart (no failures, milestones or exposure: every PSPLIB schedule);
    /// cheaper to compare than scores in `worst_of`'s scans.
    pub(super) rank: Option<(Time, i64)>,
}

impl Member {
    pub(super) fn new(
        list: Vec<GroupIx>,
        score: Score,
        extent: Vec<Option<(Time, Time)>>,
        tie: f64,
    ) -> Member {
        let rank = rank(&score, tie);
        Member {
            list,
            score,
            fingerprint: fingerprint(&extent),
            starts: extent
                .iter()
                .map(|e| e.map_or(Time::MIN, |e| e.0))
                .collect(),
            extent,
            tie,
            rank,
        }
    }
}

/// `Member::rank` for `score` and `tie`. Scores whose other fields are
/// zero compare by their finish alone (`Score::finish_only`, which a
/// field added to `Score` must join, or members differing only in it
/// would compare equal), and `f64::total_cmp` compares these integers
/// (its own definition).
pub(super) fn rank(score: &Score, tie: f64) -> Option<(Time, i64)> {
    let plain = score.finish_only();
    let bits = tie.to_bits() as i64;
    plain.then_some((score.finish, bits ^ (((bits >> 63) as u64) >> 1) as i64))
}

/// FNV-1a over the extents' days: fast, deterministic, and good enough to
/// tell schedules apart (a collision only costs one full comparison).
pub(super) fn fingerprint(extent: &[Option<(Time, Time)>]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for e in extent {
        let (s, f) = e.unwrap_or((Time::MIN, Time::MIN));
        for x in [s, f] {
            h ^= x as u32 as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Orders members by score, then by `tie`.
pub(super) fn cmp_member(a: &Member, b: &Member) -> Ordering {
    if let (Some(x), Some(y)) = (a.rank, b.rank) {
        return x.cmp(&y);
    }
    cmp(&a.score, &b.score).then(a.tie.total_cmp(&b.tie))
}

pub(super) fn cmp(a: &Score, b: &Score) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// Whether a schedule scored `a` beats the best so far, `b`: better by
/// the objective and no worse tier by tier (`Score::cmp_tier_by_tier`,
/// always `Equal` for PSPLIB and objectives other than `tiers_first`).
pub(super) fn beats(a: &Score, b: &Score) -> bool {
    cmp(a, b) == Ordering::Less && a.cmp_tier_by_tier(b) != Ordering::Greater
}

/// Whether the plans' search may move from a schedule scored `b` to one
/// scored `a`: no worse by the objective, nor tier by tier.
pub(super) fn no_worse(a: &Score, b: &Score) -> bool {
    cmp(a, b) != Ordering::Greater && a.cmp_tier_by_tier(b) != Ordering::Greater
}

/// Whether `m` may enter `pop`: better than its worst member `pop[worst]`
/// and a copy of no member's schedule.
pub(super) fn admits(pop: &[Member], worst: usize, m: &Member) -> bool {
    let duplicate = |p: &Member| p.fingerprint == m.fingerprint && p.extent == m.extent;
    cmp_member(m, &pop[worst]) == Ordering::Less && !pop.iter().any(duplicate)
}

/// The worst member (by score, then `tie`; the last of equals).
pub(super) fn worst_of(pop: &[Member]) -> usize {
    (0..pop.len())
        .max_by(|&i, &j| cmp_member(&pop[i], &pop[j]))
        .unwrap_or(0)
}

/// The best member (by score, then `tie`; the first of equals).
pub(super) fn best_member(pop: &[Member]) -> usize {
    (0..pop.len())
        .min_by(|&i, &j| cmp_member(&pop[i], &pop[j]))
        .unwrap_or(0)
}

/// The member with the best score (the first of equals).
pub(super) fn best_of(pop: &[Member]) -> usize {
    (0..pop.len())
        .min_by(|&i, &j| cmp(&pop[i].score, &pop[j].score))
        .unwrap_or(0)
}

/// Members compared in each tournament of the bi-population GA after
/// `done` of `budget` schedules: two for the first half of the budget,
/// three up to three quarters, four after. The pressure rises as the search
/// narrows: larger tournaments from the start, or smaller populations,
/// lose more to early convergence than they gain (docs/performance.md),
/// but late in the search mating the better of many near-equal schedules
/// pays.
pub(super) fn tournament_size(done: u64, budget: u64) -> usize {
    let budget = budget.max(1);
    if done * 4 >= budget * 3 {
        4
    } else if done * 2 >= budget {
        3
    } else {
        2
    }
}

/// Tournament: the best of `k` members drawn at random (with
/// repetition); of equals, the first drawn.
pub(super) fn tournament(pop: &[Member], k: usize, rng: &mut ChaCha8Rng) -> usize {
    let mut best = rng.gen_range(0..pop.len());
    for _ in 1..k {
        let j = rng.gen_range(0..pop.len());
        if cmp_member(&pop[j], &pop[best]) == Ordering::Less {
            best = j;
        }
    }
    best
}

/// Σ over groups of load × (finish + 1), in the schedule's own time: of
/// two schedules with the same makespan, the one that has done more of
/// its work earlier is the likelier parent of a shorter one. Used to rank
/// equal makespans in the bi-population GA (docs/performance.md).
pub(super) fn weighted_finish(load: &[f64], ext: &[Option<(Time, Time)>]) -> f64 {
    ext.iter()
        .zip(load)
        .filter_map(|(e, l)| e.map(|e| l * (e.1 + 1) as f64))
        .sum()
}

/// Σ over a group's activities of duration × (share of each pool it
/// takes + one unit's share of its eligible units).
pub(super) fn group_load(p: &Problem) -> Vec<f64> {
    p.groups
        .iter()
        .map(|g| {
            g.activities
                .iter()
                .map(|a| {
                    let a = &p.activities[a.ix()];
                    let pools: f64 = a
                        .pool_demand
                        .iter()
                        .map(|&(q, d)| d as f64 / p.pools[q.ix()].capacity.max(1) as f64)
                        .sum();
                    let unit = if a.units.is_empty() {
                        0.0
                    } else {
                        1.0 / a.units.len() as f64
                    };
                    a.duration.max(0) as f64 * (pools + unit)
                })
                .sum()
        })
        .collect()
}
