//! Crossovers and mutation on group lists: peak crossover, two-point
//! crossover on positions and on start times, and neighbour swaps.

use super::super::problem::*;
use super::super::sgs::Engine;
use super::member::{tournament, Member};
use super::order::*;
use super::Search;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

impl Search<'_> {
    /// Peak crossover (after Valls, Ballestín and Quintanilla): the child
    /// keeps the mother's busiest stretch of time as she scheduled it, and
    /// takes the father's order before and after it. `None` when that
    /// would break a precedence between groups.
    pub(super) fn peak_cross(
        &self,
        eng: &Engine,
        mother: &Member,
        father: &Member,
        rng: &mut ChaCha8Rng,
        sc: &mut PeakScratch,
    ) -> Option<Vec<GroupIx>> {
        let end = mother.extent.iter().flatten().map(|e| e.1 + 1).max()?;
        let begin = mother.extent.iter().flatten().map(|e| e.0).min()?;
        let len = (end - begin).max(1) as usize;
        // Load per day: each group's work weight spread over its span.
        let diff = refill(&mut sc.diff, len + 1, 0.0);
        for (g, e) in mother.extent.iter().enumerate() {
            if let Some((s, f)) = *e {
                if f >= s {
                    let rate = self.load[g] / (f - s + 1) as f64;
                    diff[(s - begin) as usize] += rate;
                    diff[(f - begin + 1) as usize] -= rate;
                }
            }
        }
        // The running sums stay in registers (read back from `cum`, each
        // step waited for the store before it); the same sums, in the
        // same order, so the same rounding.
        let cum = refill(&mut sc.cum, len + 1, 0.0);
        let (mut level, mut sum) = (0.0, 0.0);
        for (c, d) in cum[1..].iter_mut().zip(&diff[..len]) {
            level += d;
            sum += level;
            *c = sum;
        }
        let l = rng.gen_range(len.div_ceil(4)..=len.div_ceil(2).max(len.div_ceil(4)));
        let t1 = (0..=len - l)
            .max_by(|&a, &b| {
                (cum[a + l] - cum[a])
                    .total_cmp(&(cum[b + l] - cum[b]))
                    .then(b.cmp(&a))
            })
            .unwrap_or(0) as Time
            + begin;
        let t2 = t1 + l as Time;
        // The part a group is in, counted without a branch (t1 <= t2): a
        // branch per group mispredicted.
        let part = refill_from(
            &mut sc.part,
            mother
                .extent
                .iter()
                .map(|e| e.map_or(2, |(s, _)| u8::from(s >= t1) + u8::from(s >= t2))),
        );
        // Each part in its parent's order. Every group is written and the
        // end moves on only past those kept: no branch to mispredict on
        // which part a group is in.
        let n = mother.list.len();
        let mut child = vec![GroupIx(0); n + 1];
        let mut k = 0;
        for (parent, want) in [(father, 0), (mother, 1), (father, 2)] {
            for &g in &parent.list {
                child[k] = g;
                k += usize::from(part[g.ix()] == want);
            }
        }
        child.truncate(n);
        // Parts follow the mother's start times; when every predecessor
        // starts no later than its successor (see `Engine::starts_ordered`),
        // they cannot put a successor first.
        if eng.starts_ordered {
            return Some(child);
        }
        let pos = positions(&child);
        let ok = (0..child.len()).all(|g| {
            eng.group_preds
                .of(g)
                .iter()
                .all(|&q| pos[q as usize] < pos[g])
        });
        ok.then_some(child)
    }

    /// A child list for `eng` from two parents, each the best of `k`
    /// random members: peak crossover, else (or when that fails) a
    /// two-point crossover on start times, then swap mutation.
    pub(super) fn child(
        &self,
        pop: &[Member],
        eng: &Engine,
        k: usize,
        rng: &mut ChaCha8Rng,
    ) -> Vec<GroupIx> {
        let a = tournament(pop, k, rng);
        let b = tournament(pop, k, rng);
        let sc = &mut *self.scratch.borrow_mut();
        let mut child = if rng.gen_bool(PEAK_SHARE) {
            self.peak_cross(eng, &pop[a], &pop[b], rng, &mut sc.peak)
        } else {
            None
        }
        .unwrap_or_else(|| {
            let (q1, q2) = two_points(pop[a].list.len(), rng);
            key_crossover(eng, &pop[a], &pop[b], q1..q2, sc)
        });
        mutate(eng, &mut child, KEY_MUTATION, rng);
        child
    }
}

/// Swaps neighbours that are not linked by a precedence in `eng`, each
/// with a small probability.
pub(super) fn mutate(eng: &Engine, list: &mut [GroupIx], pm: f64, rng: &mut ChaCha8Rng) {
    for i in 0..list.len().saturating_sub(1) {
        if rng.gen_bool(pm) {
            let (x, y) = (list[i], list[i + 1]);
            if eng.group_succs.of(x.ix()).binary_search(&y.0).is_err() {
                list.swap(i, i + 1);
            }
        }
    }
}

/// The share of children made by peak crossover (the rest: two-point).
/// Tuned on PSPLIB (docs/performance.md, as the constants below).
pub(super) const PEAK_SHARE: f64 = 0.5;

/// Chance that each neighbouring pair of a child's list is swapped. Low,
/// because the crossover on start times varies children enough.
pub(super) const KEY_MUTATION: f64 = 0.02;

/// Chance that a group of a child of `KEYMUT` starts later within its
/// slack (see `key_crossover_mut`).
pub(super) const TIME_MUTATION: f64 = 0.02;

/// Two random cut points `q1 <= q2` in `0..=n`.
pub(super) fn two_points(n: usize, rng: &mut ChaCha8Rng) -> (usize, usize) {
    let q1 = rng.gen_range(0..=n);
    let q2 = rng.gen_range(0..=n);
    (q1.min(q2), q1.max(q2))
}

/// Two-point crossover on start times (in the spirit of Debels and
/// Vanhoucke's crossover on standardised random keys): the groups at
/// positions `window` of the mother's list take their start in the
/// father's schedule, all others keep the mother's, and the child lists
/// the groups by those times. Unlike the crossover on positions, the
/// father's groups are not packed into one block: each lands where the
/// father had it in time, among the mother's, which keeps more of the
/// father's timing than the order alone.
pub(super) fn key_crossover(
    eng: &Engine,
    mother: &Member,
    father: &Member,
    window: std::ops::Range<usize>,
    sc: &mut Scratch,
) -> Vec<GroupIx> {
    let mut pos = std::mem::take(&mut sc.pos);
    positions_into(&mother.list, &mut pos);
    let child = order_by(eng, &mother.list, Times::Mixed, sc, |g| {
        let from = if window.contains(&pos[g]) {
            father
        } else {
            mother
        };
        from.extent[g].map_or(i64::MAX, |e| e.0 as i64)
    });
    sc.pos = pos;
    child
}

/// `key_crossover` with a start-time mutation: each group, with chance
/// `pm`, starts later within its free slack in its parent's schedule (up
/// to its successors' earliest start there, or the schedule's end).
pub(super) fn key_crossover_mut(
    eng: &Engine,
    mother: &Member,
    father: &Member,
    window: std::ops::Range<usize>,
    pm: f64,
    rng: &mut ChaCha8Rng,
    sc: &mut Scratch,
) -> Vec<GroupIx> {
    let pos = positions(&mother.list);
    let n = mother.list.len();
    let end = |m: &Member| m.extent.iter().flatten().map(|e| e.1).max().unwrap_or(0);
    let ends = [end(mother), end(father)];
    // Groups to move, each with chance `pm`: the gaps between them are
    // drawn (geometric), not a coin per group, which costs one draw per
    // moved group rather than one per group.
    let gap = |rng: &mut ChaCha8Rng| -> usize {
        if pm <= 0.0 {
            return usize::MAX;
        }
        let u: f64 = rng.gen_range(0.0..1.0);
        ((1.0 - u).ln() / (1.0 - pm).ln()).min(usize::MAX as f64) as usize
    };
    let mut next = gap(rng);
    let keys: Vec<i64> = (0..n)
        .map(|g| {
            let w = usize::from(window.contains(&pos[g]));
            let from = [mother, father][w];
            let moved = g == next;
            if moved {
                next = next.saturating_add(1).saturating_add(gap(rng));
            }
            let Some((s, f)) = from.extent[g] else {
                return i64::MAX;
            };
            let mut key = s as i64;
            if moved {
                let slack = eng
                    .group_succs
                    .of(g)
                    .iter()
                    .filter_map(|&q| from.extent[q as usize].map(|e| e.0 - f - 1))
                    .min()
                    .unwrap_or(ends[w] - f)
                    .max(0);
                key += rng.gen_range(0..=slack as i64);
            }
            key
        })
        .collect();
    order_by(eng, &mother.list, Times::Mixed, sc, |g| keys[g])
}
