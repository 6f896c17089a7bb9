//! The makespan search (PSPLIB): the bi-population genetic algorithm
//! after Debels and Vanhoucke, with adaptive choice of crossover, crowding
//! and critical-chain neighbours. Its tuning history is in
//! docs/performance.md.

use super::super::parallel::Parallel;
use super::super::problem::*;
use super::super::rules::{topo_by_key, RULES};
use super::super::sgs::Engine;
use super::crossover::{
    key_crossover, key_crossover_mut, mutate, two_points, KEY_MUTATION, PEAK_SHARE, TIME_MUTATION,
};
use super::member::*;
use super::options::Phase;
use super::order::*;
use super::Search;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;

impl Search<'_> {
    /// The makespan search: the rules' lists seed the bi-population GA.
    pub(super) fn makespan(&mut self) {
        let seeds = self.rules_lists();
        self.phase = Phase::Improve;
        self.bipop(seeds);
    }

    /// The priority rules' lists.
    pub(super) fn rules_lists(&self) -> Vec<Vec<GroupIx>> {
        let f = &self.facts;
        RULES
            .iter()
            .map(|rule| {
                topo_by_key(&self.fwd.group_succs, &self.fwd.group_preds, |g| {
                    rule.key(f, g)
                })
            })
            .collect()
    }

    /// A member from the forward schedule in `self.st`, made from `list`:
    /// its list and extents are those the next (backward) pass needs.
    pub(super) fn left_member(&self, list: &[GroupIx], score: Score) -> Member {
        let ext = group_extent(&self.fwd, &self.st);
        let tie = weighted_finish(&self.load, &ext);
        self.turn(&self.bwd, list, score, tie, ext)
    }

    /// The score and group extents of the backward schedule in `self.bst`.
    pub(super) fn backward_result(&self) -> (Score, Vec<Option<(Time, Time)>>) {
        let ext = group_extent(&self.bwd, &self.bst);
        (ext_score(&ext), ext)
    }

    /// Offers the schedule just made from `list` (its `score` and group
    /// extents `ext`) to `pop`, whose members are turned for `next` and
    /// whose worst member is `pop[*worst]` (kept up to date here), by
    /// crowding (`replace_similar`). A schedule no better than the worst member
    /// is dropped before it is turned (mirrored and ordered by time, most
    /// of a member's cost), and the worst member is looked for only when
    /// one was replaced.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn offer(
        &self,
        pop: &mut [Member],
        worst: &mut usize,
        next: &Engine,
        list: &[GroupIx],
        score: Score,
        ext: Vec<Option<(Time, Time)>>,
        rng: &mut ChaCha8Rng,
    ) -> bool {
        let tie = weighted_finish(&self.load, &ext);
        let w = &pop[*worst];
        let took = cmp(&score, &w.score).then(tie.total_cmp(&w.tie)) == Ordering::Less
            && replace_similar(pop, *worst, self.turn(next, list, score, tie, ext), rng);
        if took {
            *worst = worst_of(pop);
        }
        took
    }

    /// Mirrors a schedule's extents and orders its groups by start in the
    /// mirrored time; ties go to the group later in `list`. `tie` is the
    /// schedule's `weighted_finish`.
    pub(super) fn turn(
        &self,
        next: &Engine,
        list: &[GroupIx],
        score: Score,
        tie: f64,
        ext: Vec<Option<(Time, Time)>>,
    ) -> Member {
        let m = self.m;
        let mut extent = ext;
        for e in &mut extent {
            *e = e.map(|(s, f)| (m - f, m - s));
        }
        let sc = &mut *self.scratch.borrow_mut();
        let list = order_by(next, list, Times::OneSchedule, sc, |g| {
            extent[g].map_or(i64::MAX, |e| e.0 as i64)
        });
        Member::new(list, score, extent, tie)
    }

    pub(super) fn backward(&mut self, list: &[GroupIx]) -> Member {
        self.backward_pass(list);
        let (score, ext) = self.backward_result();
        let tie = weighted_finish(&self.load, &ext);
        self.turn(&self.fwd, list, score, tie, ext)
    }

    pub(super) fn backward_pass(&mut self, list: &[GroupIx]) {
        self.bwd.decode(&mut self.bst, list);
        self.count += 1;
    }

    pub(super) fn forward_member(&mut self, list: &[GroupIx]) -> Member {
        let score = self.forward(list);
        self.left_member(list, score)
    }

    /// The bi-population genetic algorithm (after Debels and Vanhoucke):
    /// one population of left-justified schedules (forward passes), one of
    /// right-justified ones (backward passes), evolved by `evolve`.
    pub(super) fn bipop(&mut self, seeds: Vec<Vec<GroupIx>>) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        let size = bipop_size(self.opts.schedules, self.fwd.p.groups.len());
        let mut left: Vec<Member> = Vec::new();
        let mut right: Vec<Member> = Vec::new();
        let mut seeds = seeds.into_iter();
        while left.len() < size && self.left() > 0 {
            let list = seeds.next().unwrap_or_else(|| self.random_list(&mut rng));
            let l = self.forward_member(&list);
            if self.left() > 0 {
                let r = self.backward(&l.list);
                right.push(r);
            }
            left.push(l);
        }
        let n = self.fwd.p.groups.len();
        if n < 2 || right.is_empty() {
            return;
        }
        self.evolve(left, right, rng);
    }

    /// The last schedule (see `bipop`): left-justifies the best backward
    /// schedule, or the best parallel one, when it beats every forward
    /// schedule so far.
    pub(super) fn finish(
        &mut self,
        right: &[Member],
        par_best: Option<(Score, Vec<GroupIx>)>,
        rng: &mut ChaCha8Rng,
    ) {
        if self.left() > 0 {
            // Only forward schedules are solutions (they alone apply every
            // rule of a plan), so the last schedule left-justifies the best
            // backward one when it beats every forward one so far.
            let r = &right[best_of(right)];
            let mut cand = (&r.score, &r.list);
            if let Some((sc, l)) = &par_best {
                if cmp(sc, cand.0) == Ordering::Less {
                    cand = (sc, l);
                }
            }
            let better = self
                .best
                .as_ref()
                .is_none_or(|(b, _)| cmp(cand.0, b) == Ordering::Less);
            let list = if better {
                cand.1.clone()
            } else {
                let k = tournament_size(self.count, self.opts.schedules);
                self.child(right, &self.fwd, k, rng)
            };
            self.forward(&list);
        }
    }

    /// The bi-population GA's generations. Children of two left parents
    /// are scheduled backward and join the right population, and the
    /// other way round, so every child is a justification step for one
    /// pass. Each child's operator is chosen by a `Selector`, which learns
    /// in the run which operators' children enter the populations: what
    /// pays differs between instances (docs/performance.md).
    pub(super) fn evolve(
        &mut self,
        mut left: Vec<Member>,
        mut right: Vec<Member>,
        mut rng: ChaCha8Rng,
    ) {
        let (mut worst_left, mut worst_right) = (worst_of(&left), worst_of(&right));
        let mut best_left = left[best_of(&left)].score.clone();
        let mut best_right = right[best_of(&right)].score.clone();
        let par = (Parallel::new(&self.fwd), Parallel::new(&self.bwd));
        let mut sel = Selector::new(par.0.is_some() && par.1.is_some());
        // The best parallel schedule, as a forward list (see `finish`).
        let mut par_best: Option<(Score, Vec<GroupIx>)> = None;
        let mut fwd = true;
        // One schedule is kept back for the end (see `finish`).
        while self.left() > 1 {
            let (pop, eng) = if fwd {
                (&right, &self.fwd)
            } else {
                (&left, &self.bwd)
            };
            let k = tournament_size(self.count, self.opts.schedules);
            // Late in the run some children are neighbours of the best
            // member of the population they join (`neighbour`); the
            // selector does not see them.
            let near = self.neighbour(if fwd { &left } else { &right }, eng, &mut rng);
            let is_near = near.is_some();
            let op = if is_near { KEY } else { sel.pick(&mut rng) };
            let child = match near {
                Some(list) => list,
                None => self.child_op(pop, eng, op, k, &mut rng),
            };
            let (score, ext) = if op == PAR {
                let pp = if fwd { &par.0 } else { &par.1 };
                let ext = pp
                    .as_ref()
                    .expect("parallel pass applies")
                    .pass(eng, &child);
                self.count += 1;
                let sc = ext_score(&ext);
                if par_best
                    .as_ref()
                    .is_none_or(|(b, _)| cmp(&sc, b) == Ordering::Less)
                {
                    par_best = Some((sc.clone(), self.forward_list(&ext, fwd, &child)));
                }
                (sc, ext)
            } else if fwd {
                let sc = self.forward(&child);
                (sc, group_extent(&self.fwd, &self.st))
            } else {
                self.backward_pass(&child);
                self.backward_result()
            };
            let (target, worst, best, next) = if fwd {
                (&mut left, &mut worst_left, &mut best_left, &self.bwd)
            } else {
                (&mut right, &mut worst_right, &mut best_right, &self.fwd)
            };
            // A child better than the best member is taken (it beats the
            // worst and duplicates none), so the best is tracked, not
            // searched for.
            let improved = cmp(&score, best) == Ordering::Less;
            if improved {
                *best = score.clone();
            }
            let floor = score.unscheduled_weight == 0.0 && self.at_floor(&score);
            let took = self.offer(target, worst, next, &child, score, ext, &mut rng);
            if !is_near {
                sel.reward(op, took, improved);
            }
            if floor && (op == PAR || !fwd) {
                // A parallel or backward schedule as short as any can be:
                // the forward pass of its order is no longer (it
                // left-justifies it), and ends the search.
                let list = match (&par_best, fwd) {
                    (Some((_, l)), true) => l.clone(),
                    _ => right[best_of(&right)].list.clone(),
                };
                self.forward(&list);
            }
            fwd = !fwd;
        }
        self.finish(&right, par_best, &mut rng);
    }

    /// A forward list from a parallel schedule's extents: groups by start
    /// in forward time.
    pub(super) fn forward_list(
        &self,
        ext: &[Option<(Time, Time)>],
        fwd: bool,
        list: &[GroupIx],
    ) -> Vec<GroupIx> {
        let m = self.m;
        let sc = &mut *self.scratch.borrow_mut();
        order_by(&self.fwd, list, Times::Mixed, sc, |g| {
            ext[g].map_or(i64::MAX, |e| if fwd { e.0 } else { m - e.1 } as i64)
        })
    }

    /// A child for `eng` made by operator `op` (see `Selector`) from two
    /// parents, each the best of `k` random members, with swap mutation.
    pub(super) fn child_op(
        &self,
        pop: &[Member],
        eng: &Engine,
        op: usize,
        k: usize,
        rng: &mut ChaCha8Rng,
    ) -> Vec<GroupIx> {
        let a = tournament(pop, k, rng);
        let b = tournament(pop, k, rng);
        let peak = match op {
            PEAK => true,
            KEY | KEYMUT => false,
            _ => rng.gen_bool(PEAK_SHARE),
        };
        let sc = &mut *self.scratch.borrow_mut();
        let mut child = if peak {
            self.peak_cross(eng, &pop[a], &pop[b], rng, &mut sc.peak)
        } else {
            None
        }
        .unwrap_or_else(|| {
            let (q1, q2) = two_points(pop[a].list.len(), rng);
            if op == KEYMUT {
                key_crossover_mut(eng, &pop[a], &pop[b], q1..q2, TIME_MUTATION, rng, sc)
            } else {
                key_crossover(eng, &pop[a], &pop[b], q1..q2, sc)
            }
        });
        mutate(eng, &mut child, KEY_MUTATION, rng);
        child
    }

    /// In the last quarter of the budget, with chance `NEIGHBOUR_SHARE`, a
    /// neighbour of the best member of `pop`, a population of schedules
    /// made by `eng` (their extents are kept mirrored, for the other
    /// engine), instead of a crossover child: its groups in order of
    /// start in the time it was made in (which rebuilds its schedule),
    /// with one group of a critical chain that waited for a pool moved
    /// ahead of the group whose finish freed it (but after its own
    /// predecessors). `None` otherwise, or when the chain has no such
    /// move. Few such moves shorten a schedule; their measured worth is
    /// in docs/performance.md.
    pub(super) fn neighbour(
        &self,
        pop: &[Member],
        eng: &Engine,
        rng: &mut ChaCha8Rng,
    ) -> Option<Vec<GroupIx>> {
        if self.count * 4 < self.opts.schedules.max(1) * 3 || !rng.gen_bool(NEIGHBOUR_SHARE) {
            return None;
        }
        let mem = &pop[best_member(pop)];
        let m = self.m;
        let own: Vec<_> = mem
            .extent
            .iter()
            .map(|e| e.map(|(s, f)| (m - f, m - s)))
            .collect();
        let links = critical_links(eng, &own, &self.pools, rng);
        if links.is_empty() {
            return None;
        }
        let sc = &mut *self.scratch.borrow_mut();
        let mut list = order_by(eng, &mem.list, Times::Mixed, sc, |g| {
            own[g].map_or(i64::MAX, |e| e.0 as i64)
        });
        let pos = positions(&list);
        let moves: Vec<(usize, usize)> = links
            .iter()
            .filter_map(|&(g, b)| {
                let after_preds = eng.group_preds.of(g).iter().map(|&q| pos[q as usize] + 1);
                let to = after_preds.fold(pos[b], usize::max);
                (to < pos[g]).then_some((pos[g], to))
            })
            .collect();
        if moves.is_empty() {
            return None;
        }
        let (from, to) = moves[rng.gen_range(0..moves.len())];
        let g = list.remove(from);
        list.insert(to, g);
        Some(list)
    }
}

/// A schedule's score from its group extents (makespan and failures).
pub(super) fn ext_score(ext: &[Option<(Time, Time)>]) -> Score {
    let failed = ext.iter().filter(|e| e.is_none()).count();
    let finish = ext.iter().flatten().map(|e| e.1 + 1).max().unwrap_or(0);
    Score {
        unscheduled_weight: failed as f64,
        finish,
        ..Score::default()
    }
}

/// The operators a `Selector` chooses among: peak crossover, crossover on
/// start times, the same with the start-time mutation, and either
/// crossover decoded by the parallel pass instead of the serial one.
pub(super) const PEAK: usize = 0;

pub(super) const KEY: usize = 1;

pub(super) const KEYMUT: usize = 2;

pub(super) const PAR: usize = 3;

pub(super) const OPS: usize = 4;

/// Adaptive pursuit (Thierens, 2005): each operator's reward (1 when its
/// child enters a population, `NEW_BEST_BONUS` more when it beats that
/// population's best) is averaged with weight `REWARD_RATE`; each child,
/// the operator with the best average moves its probability towards
/// 1 − (k − 1) × `FLOOR`, the others towards `FLOOR`, at `PURSUIT_RATE`.
/// Which operator pays is instance-dependent (the parallel pass helps on
/// the most constrained instances and hurts on the others): the
/// selector keeps each where it pays, which no fixed mix did.
#[derive(Debug, Clone)]
pub(super) struct Selector {
    pub(super) probs: [f64; OPS],
    pub(super) reward: [f64; OPS],
    pub(super) on: [bool; OPS],
}

/// Smallest probability of an operator (it keeps being tried).
pub(super) const FLOOR: f64 = 0.05;

pub(super) const REWARD_RATE: f64 = 0.1;

pub(super) const PURSUIT_RATE: f64 = 0.05;

pub(super) const NEW_BEST_BONUS: f64 = 5.0;

impl Selector {
    /// Equal chances; the parallel pass only when `parallel` (it applies).
    pub(super) fn new(parallel: bool) -> Selector {
        let mut on = [true; OPS];
        on[PAR] = parallel;
        let k = on.iter().filter(|&&o| o).count() as f64;
        Selector {
            probs: on.map(|o| if o { 1.0 / k } else { 0.0 }),
            reward: [0.5; OPS],
            on,
        }
    }

    pub(super) fn pick(&self, rng: &mut ChaCha8Rng) -> usize {
        let mut x = rng.gen_range(0.0..1.0);
        let mut op = OPS - 1;
        for (i, &p) in self.probs.iter().enumerate() {
            if self.on[i] && x < p {
                op = i;
                break;
            }
            x -= p;
        }
        // Rounding can leave `x` past the last operator in use.
        while !self.on[op] {
            op -= 1;
        }
        op
    }

    pub(super) fn reward(&mut self, op: usize, took: bool, new_best: bool) {
        let r = f64::from(u8::from(took)) + if new_best { NEW_BEST_BONUS } else { 0.0 };
        self.reward[op] += REWARD_RATE * (r - self.reward[op]);
        let k = self.on.iter().filter(|&&o| o).count() as f64;
        let top = 1.0 - (k - 1.0) * FLOOR;
        let best = (0..OPS)
            .filter(|&i| self.on[i])
            .max_by(|&i, &j| self.reward[i].total_cmp(&self.reward[j]))
            .unwrap_or(0);
        for i in (0..OPS).filter(|&i| self.on[i]) {
            let aim = if i == best { top } else { FLOOR };
            self.probs[i] += PURSUIT_RATE * (aim - self.probs[i]);
        }
    }
}

/// Members drawn (with repetition) when a child enters a population of
/// the bi-population GA; it replaces the drawn member, worse than it,
/// that starts the most groups on the same day as it does.
pub(super) const CROWDING: usize = 16;

/// `insert` for the bi-population GA, with crowding: when `m` is
/// better than the worst member `pop[worst]` and no duplicate, it
/// replaces the one most like it of `CROWDING` random members worse than
/// it (by groups starting on the same day), else the worst. A child mostly
/// displaces its own kind, so the population keeps more distinct
/// schedules than when the worst always goes (docs/performance.md, eighth
/// round).
pub(super) fn replace_similar(
    pop: &mut [Member],
    worst: usize,
    m: Member,
    rng: &mut ChaCha8Rng,
) -> bool {
    if !admits(pop, worst, &m) {
        return false;
    }
    let mut victim = (worst, None);
    for _ in 0..CROWDING {
        let i = rng.gen_range(0..pop.len());
        if cmp_member(&m, &pop[i]) != Ordering::Less {
            continue;
        }
        let alike = alike(&pop[i].starts, &m.starts);
        if victim.1.is_none_or(|most| alike > most) {
            victim = (i, Some(alike));
        }
    }
    pop[victim.0] = m;
    true
}

/// How many groups start on the same day in two schedules.
pub(super) fn alike(a: &[Time], b: &[Time]) -> usize {
    a.iter().zip(b).map(|(x, y)| usize::from(x == y)).sum()
}

/// Chance that a child in the last quarter of the budget is a neighbour
/// of the best member (`Search::neighbour`).
pub(super) const NEIGHBOUR_SHARE: f64 = 0.1;

/// The budget at which `bipop_size`'s cap was tuned (the PSPLIB
/// target's); up to it the cap is fixed, beyond it the cap grows as the
/// budget's `BIPOP_GROWTH` power (docs/performance.md, "Larger budgets").
pub(super) const BIPOP_BUDGET: f64 = 5000.0;

pub(super) const BIPOP_GROWTH: f64 = 0.75;

/// `bipop_size`'s cap at 5,000 schedules is this / √groups: with crowding
/// (`replace_similar`) keeping populations varied, smaller populations,
/// so more generations, pay (docs/performance.md, eighth round).
pub(super) const BIPOP_CAP: f64 = 880.0;

/// Size of each population of the bi-population algorithm: a twentieth of
/// the budget, but at most `BIPOP_CAP` / √groups at 5,000 schedules (160
/// members for 30 jobs, 80 for 120), a cap that grows as the budget's
/// ¾ power beyond 5,000. Larger populations help up to a point that falls
/// as projects grow (a larger project needs more generations from the same
/// number of schedules) and rises with the budget (docs/performance.md,
/// "Larger budgets").
pub(super) fn bipop_size(schedules: u64, groups: usize) -> usize {
    let beyond = (schedules as f64 / BIPOP_BUDGET)
        .max(1.0)
        .powf(BIPOP_GROWTH);
    let by_size = (BIPOP_CAP * beyond / (groups.max(1) as f64).sqrt()) as u64;
    (schedules / 20).min(by_size).max(4) as usize
}

/// A critical chain of the schedule with group extents `ext` (in `eng`'s
/// time), traced back from a group ending on its last day: through a
/// predecessor finishing the day before the group's start, else through a
/// group sharing a pool that finishes that day (its finish freed the pool
/// the group waited for); random among equals. Returns the chain's pool
/// links (waiting group, freeing group), latest first.
pub(super) fn critical_links(
    eng: &Engine,
    ext: &[Option<(Time, Time)>],
    pools: &[u64],
    rng: &mut ChaCha8Rng,
) -> Vec<(usize, usize)> {
    let mut links = Vec::new();
    let Some(last) = ext.iter().flatten().map(|e| e.1).max() else {
        return links;
    };
    let ends_last = (0..ext.len()).filter(|&g| ext[g].is_some_and(|e| e.1 == last));
    let mut cur = pick_random(rng, ends_last);
    // A chain visits each group at most once; the bound guards the loop.
    for _ in 0..ext.len() {
        let Some(g) = cur else { break };
        let s = ext[g].map_or(Time::MIN, |e| e.0);
        let tight = |q: &usize| ext[*q].is_some_and(|e| e.1 + 1 >= s);
        let preds = eng.group_preds.of(g).iter().map(|&q| q as usize);
        if let Some(p) = pick_random(rng, preds.filter(tight)) {
            cur = Some(p);
            continue;
        }
        let freeing = (0..ext.len()).filter(|&b| {
            b != g && pools[b] & pools[g] != 0 && ext[b].is_some_and(|e| e.1 + 1 == s)
        });
        cur = pick_random(rng, freeing);
        if let Some(b) = cur {
            links.push((g, b));
        }
    }
    links
}

/// One item drawn uniformly (reservoir sampling); `None` when there are
/// none.
pub(super) fn pick_random(
    rng: &mut ChaCha8Rng,
    items: impl Iterator<Item = usize>,
) -> Option<usize> {
    let mut out = None;
    for (i, x) in items.enumerate() {
        if i == 0 || rng.gen_range(0..=i) == 0 {
            out = Some(x);
        }
    }
    out
}

/// Per group, the pools its activities draw on, as bits (index mod 64).
pub(super) fn pool_bits(p: &Problem) -> Vec<u64> {
    p.groups
        .iter()
        .map(|g| {
            g.activities
                .iter()
                .flat_map(|a| &p.activities[a.ix()].pool_demand)
                .filter(|&&(_, d)| d > 0)
                .fold(0, |bits, &(q, _)| bits | 1 << (q.ix() % 64))
        })
        .collect()
}
