//! The search over group lists: priority rules, forward–backward
//! improvement (justification), then a seeded genetic algorithm on lists
//! whose offspring are justified too. Every schedule counted is one serial
//! pass, forward or backward, as the literature counts them.

use super::bound::finish_floor;
use super::mirror::mirror;
use super::parallel::Parallel;
use super::problem::*;
use super::rules::{topo_by_key, GroupFacts, Key, RULES};
use super::sgs::{Engine, State};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::time::Instant;

/// What the search reports to a progress callback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub phase: Phase,
    /// Schedules generated so far.
    pub schedules: u64,
    /// Of `SearchOptions::schedules`.
    pub of: u64,
    pub best: Score,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Trying the priority rules.
    Rules,
    /// Improving with the genetic algorithm.
    Improve,
}

/// A progress callback (called at most every few milliseconds' worth of
/// schedules, and on every improvement).
#[derive(Clone)]
pub struct ProgressFn(pub std::sync::Arc<dyn Fn(&Progress) + Send + Sync>);

impl std::fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressFn")
    }
}

/// One member of the population: a group list, its schedule's score, and
/// each group's first start and last finish (`None`: the group failed).
#[derive(Debug, Clone)]
struct Member {
    list: Vec<GroupIx>,
    score: Score,
    extent: Vec<Option<(Time, Time)>>,
    /// Breaks ties between equal scores (smaller is better): the
    /// bi-population GA's work-weighted finish (`weighted_finish`); 0 in
    /// the plans' GA.
    tie: f64,
    /// A hash of `extent`: equal schedules have equal fingerprints, so
    /// the duplicate check compares whole extents only when these match
    /// (reading every member's extents was a tenth of a J120 search).
    fingerprint: u64,
    /// Each group's first start (`Time::MIN` when it failed), packed for
    /// `replace_similar`'s count of groups two schedules start alike
    /// (reading the extents instead took 6 % of a J120 search).
    starts: Vec<Time>,
    /// `(finish, tie)` as integers ordered as `cmp_member` orders them,
    /// when nothing but the finish and `tie` tells the member's score
    /// apart (no failures, milestones or exposure: every PSPLIB schedule);
    /// comparing these was a fifth of the cost of `worst_of`'s scans.
    rank: Option<(Time, i64)>,
}

impl Member {
    fn new(
        list: Vec<GroupIx>,
        score: Score,
        extent: Vec<Option<(Time, Time)>>,
        tie: f64,
    ) -> Member {
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
            rank: rank(&score, tie),
        }
    }
}

/// `Member::rank` for `score` and `tie`. Scores whose other fields are
/// zero compare by their finish alone, and `f64::total_cmp` compares
/// these integers (its own definition). A field added to `Score` must be
/// added to the condition here, or members differing only in it would
/// compare equal.
fn rank(score: &Score, tie: f64) -> Option<(Time, i64)> {
    let plain = score.unscheduled_weight == 0.0
        && score.late_milestones == 0
        && score.late_days == 0
        && score.exposure == 0.0;
    let bits = tie.to_bits() as i64;
    plain.then_some((score.finish, bits ^ (((bits >> 63) as u64) >> 1) as i64))
}

/// FNV-1a over the extents' days: fast, deterministic, and good enough to
/// tell schedules apart (a collision only costs one full comparison).
fn fingerprint(extent: &[Option<(Time, Time)>]) -> u64 {
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
fn cmp_member(a: &Member, b: &Member) -> Ordering {
    if let (Some(x), Some(y)) = (a.rank, b.rank) {
        return x.cmp(&y);
    }
    cmp(&a.score, &b.score).then(a.tie.total_cmp(&b.tie))
}

fn cmp(a: &Score, b: &Score) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// The search's running state: engines, budget of schedules, best so far.
struct Search<'p> {
    fwd: Engine<'p>,
    bwd: Engine<'p>,
    /// The day the backward problem mirrors around.
    m: Time,
    facts: GroupFacts,
    /// Work per group, weighted by the share of capacity it takes (for
    /// finding busy stretches of a schedule).
    load: Vec<f64>,
    st: State,
    bst: State,
    opts: SearchOptions,
    started: Option<Instant>,
    count: u64,
    best: Option<(Score, State)>,
    phase: Phase,
    /// No schedule can finish sooner than this (`bound`); `None` when the
    /// problem's rules put it beyond the bounds known.
    floor: Option<Time>,
    /// The best schedule reached `floor`: it is optimal, so the search
    /// stops.
    proven: bool,
    /// Working memory of the ordering steps, kept from child to child.
    scratch: RefCell<Scratch>,
    /// Per group, the pools its activities draw on, as bits (pool index
    /// mod 64), for tracing which group's finish freed a pool
    /// (`critical_links`).
    pools: Vec<u64>,
}

/// Finds a good schedule for `problem` with at most `options.schedules`
/// passes (at least one), deterministic for a seed when no time limit cuts
/// the search short.
pub fn solve(problem: &Problem, options: &SearchOptions) -> Solution {
    let (mp, m) = mirror(problem);
    let fwd = Engine::new(problem);
    let bwd = Engine::new(&mp);
    let facts = GroupFacts::new(&fwd);
    let load = group_load(problem);
    let mut s = Search {
        load,
        fwd,
        bwd,
        m,
        facts,
        st: State::default(),
        bst: State::default(),
        opts: options.clone(),
        started: options.time_limit.map(|_| Instant::now()),
        count: 0,
        best: None,
        phase: Phase::Rules,
        floor: finish_floor(problem),
        proven: false,
        scratch: RefCell::default(),
        pools: pool_bits(problem),
    };
    s.run();
    let (_, st) = s.best.take().expect("at least one schedule");
    s.fwd.solution(&st, s.count)
}

impl Search<'_> {
    fn run(&mut self) {
        if self.fwd.p.objective.milestones.is_empty() {
            let seeds = self.rules_lists();
            self.phase = Phase::Improve;
            self.bipop(seeds);
            return;
        }
        let mut pop = self.rules();
        self.phase = Phase::Improve;
        if self.left() > 0 && !pop.is_empty() {
            self.genetic(&mut pop);
        }
    }

    /// Schedules left to spend (0 when the time limit has passed, or the
    /// best schedule is proven optimal).
    fn left(&self) -> u64 {
        if self.proven {
            return 0;
        }
        if let (Some(t0), Some(limit)) = (self.started, self.opts.time_limit) {
            // The first pass always runs, so there is a schedule to return.
            if self.count > 0 && t0.elapsed() >= limit {
                return 0;
            }
        }
        self.opts.schedules.max(1).saturating_sub(self.count)
    }

    /// A forward pass over `list`; returns its score and keeps the best.
    fn forward(&mut self, list: &[GroupIx]) -> Score {
        self.fwd.decode(&mut self.st, list);
        self.count += 1;
        let sc = self.fwd.score(&self.st);
        if self
            .best
            .as_ref()
            .is_none_or(|(b, _)| cmp(&sc, b) == Ordering::Less)
        {
            self.proven =
                self.at_floor(&sc) && self.st.result.iter().all(|r| matches!(r, Some(Ok(_))));
            self.best = Some((sc, self.st.clone()));
            self.report(true);
        } else if self.count.is_multiple_of(256) {
            self.report(false);
        }
        sc
    }

    /// Whether `sc`, a schedule's score with every group placed, finishes
    /// as soon as any could.
    fn at_floor(&self, sc: &Score) -> bool {
        self.floor.is_some_and(|f| sc.finish <= f)
    }

    fn report(&self, _improved: bool) {
        if let (Some(cb), Some((best, _))) = (&self.opts.progress, &self.best) {
            (cb.0)(&Progress {
                phase: self.phase,
                schedules: self.count,
                of: self.opts.schedules,
                best: *best,
            });
        }
    }

    /// The priority rules, each followed by justification while schedules
    /// last; they seed the population.
    fn rules(&mut self) -> Vec<Member> {
        let mut pop = Vec::new();
        for rule in RULES {
            if self.left() == 0 {
                break;
            }
            let f = &self.facts;
            let list = topo_by_key(&self.fwd.group_succs, &self.fwd.group_preds, |g| {
                rule.key(f, g)
            });
            let mem = self.evaluate(list);
            pop.push(self.justify(mem));
        }
        pop
    }

    /// A forward pass over `list`, kept as a member.
    fn evaluate(&mut self, list: Vec<GroupIx>) -> Member {
        let score = self.forward(&list);
        let extent = group_extent(&self.fwd, &self.st);
        Member::new(list, score, extent, 0.0)
    }

    /// Forward–backward improvement: a backward pass taking groups by
    /// latest finish, then a forward pass taking them by earliest start of
    /// the backward schedule; repeated while it helps. Returns the better.
    fn justify(&mut self, mut mem: Member) -> Member {
        let m = self.m;
        while self.left() >= 2 {
            // In mirrored time a group starts at m − its forward finish;
            // ties go to the later group of the list, which keeps
            // precedence order.
            let ext = &mem.extent;
            let sc = self.scratch.get_mut();
            let blist = order_by(&self.bwd, &mem.list, Times::OneSchedule, sc, |g| {
                ext[g].map_or(i64::MAX, |e| (m - e.1) as i64)
            });
            self.bwd.decode(&mut self.bst, &blist);
            self.count += 1;
            let bext = group_extent(&self.bwd, &self.bst);
            let sc = self.scratch.get_mut();
            let flist = order_by(&self.fwd, &blist, Times::OneSchedule, sc, |g| {
                bext[g].map_or(i64::MAX, |e| (m - e.1) as i64)
            });
            let next = self.evaluate(flist);
            match cmp(&next.score, &mem.score) {
                Ordering::Less => mem = next,
                Ordering::Equal => return next,
                Ordering::Greater => return mem,
            }
        }
        mem
    }

    /// Hartmann's activity-list GA with two-point crossover, swap mutation
    /// and justification of every child; a child replaces the worst member
    /// when it is better and not already present.
    fn genetic(&mut self, pop: &mut Vec<Member>) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        let size = pop_size(self.opts.schedules, self.fwd.p.groups.len());
        // Fill the population with randomised LFT lists.
        while pop.len() < size && self.left() > 0 {
            let list = self.random_list(&mut rng);
            let mem = self.evaluate(list);
            pop.push(self.justify(mem));
        }
        let n = self.fwd.p.groups.len();
        if n < 2 {
            return;
        }
        let mut seen = vec![false; n];
        while self.left() > 0 {
            let child = self.child(pop, &self.fwd, false, 2, &mut rng, &mut seen);
            let mem = self.evaluate(child);
            let mem = self.justify(mem);
            insert(pop, mem);
        }
    }

    /// Peak crossover (after Valls, Ballestín and Quintanilla): the child
    /// keeps the mother's busiest stretch of time as she scheduled it, and
    /// takes the father's order before and after it. `None` when that
    /// would break a precedence between groups.
    fn peak_cross(
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
        // which part a group is in (it was most of this function's time).
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

    /// The priority rules' lists.
    fn rules_lists(&self) -> Vec<Vec<GroupIx>> {
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
    fn left_member(&self, list: &[GroupIx], score: Score) -> Member {
        let ext = group_extent(&self.fwd, &self.st);
        let tie = weighted_finish(&self.load, &ext);
        self.turn(&self.bwd, list, score, tie, ext)
    }

    /// The score and group extents of the backward schedule in `self.bst`.
    fn backward_result(&self) -> (Score, Vec<Option<(Time, Time)>>) {
        let ext = group_extent(&self.bwd, &self.bst);
        (ext_score(&ext), ext)
    }

    /// Offers the schedule just made from `list` (its `score` and group
    /// extents `ext`) to `pop`, whose members are turned for `next` and
    /// whose worst member is `pop[*worst]` (kept up to date here), by
    /// crowding (`replace_similar`). A schedule no better than the worst member
    /// is dropped before it is turned (mirrored and ordered by time, most
    /// of a member's cost; on J120 about half the children are dropped),
    /// and the worst member is looked for only when one was replaced.
    #[allow(clippy::too_many_arguments)]
    fn offer(
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
    fn turn(
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

    fn backward(&mut self, list: &[GroupIx]) -> Member {
        self.backward_pass(list);
        let (score, ext) = self.backward_result();
        let tie = weighted_finish(&self.load, &ext);
        self.turn(&self.fwd, list, score, tie, ext)
    }

    fn backward_pass(&mut self, list: &[GroupIx]) {
        self.bwd.decode(&mut self.bst, list);
        self.count += 1;
    }

    fn forward_member(&mut self, list: &[GroupIx]) -> Member {
        let score = self.forward(list);
        self.left_member(list, score)
    }

    /// The bi-population genetic algorithm (after Debels and Vanhoucke):
    /// one population of left-justified schedules (forward passes), one of
    /// right-justified ones (backward passes), evolved by `evolve`.
    fn bipop(&mut self, seeds: Vec<Vec<GroupIx>>) {
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
    fn finish(
        &mut self,
        right: &[Member],
        par_best: Option<(Score, Vec<GroupIx>)>,
        rng: &mut ChaCha8Rng,
        seen: &mut [bool],
    ) {
        if self.left() > 0 {
            // Only forward schedules are solutions (they alone apply every
            // rule of a plan), so the last schedule left-justifies the best
            // backward one when it beats every forward one so far.
            let r = &right[best_of(right)];
            let mut cand = (r.score, &r.list);
            if let Some((sc, l)) = &par_best {
                if cmp(sc, &cand.0) == Ordering::Less {
                    cand = (*sc, l);
                }
            }
            let better = self
                .best
                .as_ref()
                .is_none_or(|(b, _)| cmp(&cand.0, b) == Ordering::Less);
            let list = if better {
                cand.1.clone()
            } else {
                let k = tournament_size(self.count, self.opts.schedules);
                self.child(right, &self.fwd, true, k, rng, seen)
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
    fn evolve(&mut self, mut left: Vec<Member>, mut right: Vec<Member>, mut rng: ChaCha8Rng) {
        let mut seen = vec![false; self.fwd.p.groups.len()];
        let (mut worst_left, mut worst_right) = (worst_of(&left), worst_of(&right));
        let mut best_left = left[best_of(&left)].score;
        let mut best_right = right[best_of(&right)].score;
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
                    par_best = Some((sc, self.forward_list(&ext, fwd, &child)));
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
                *best = score;
            }
            let took = self.offer(target, worst, next, &child, score, ext, &mut rng);
            if !is_near {
                sel.reward(op, took, improved);
            }
            if score.unscheduled_weight == 0.0 && self.at_floor(&score) && (op == PAR || !fwd) {
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
        self.finish(&right, par_best, &mut rng, &mut seen);
    }

    /// A forward list from a parallel schedule's extents: groups by start
    /// in forward time.
    fn forward_list(
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
    fn child_op(
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

    /// A child list for `eng` from two parents, each the best of `k`
    /// random members: peak crossover, else (or when that fails) a
    /// two-point crossover, on start times when `keys` (the bi-population
    /// GA, whose members' lists are in order of start), on list positions
    /// otherwise.
    fn child(
        &self,
        pop: &[Member],
        eng: &Engine,
        keys: bool,
        k: usize,
        rng: &mut ChaCha8Rng,
        seen: &mut [bool],
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
            if keys {
                let (q1, q2) = two_points(pop[a].list.len(), rng);
                key_crossover(eng, &pop[a], &pop[b], q1..q2, sc)
            } else {
                crossover(&pop[a].list, &pop[b].list, rng, seen)
            }
        });
        let pm = if keys { KEY_MUTATION } else { MUTATION };
        mutate(eng, &mut child, pm, rng);
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
    /// move. On the J120 sample this was better on 14 of 16 seeds, by
    /// about 0.06 points (docs/performance.md, helper "ns").
    fn neighbour(
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

    fn random_list(&self, rng: &mut ChaCha8Rng) -> Vec<GroupIx> {
        let f = &self.facts;
        let noise: Vec<f64> = (0..f.lf.len()).map(|_| rng.gen_range(0.0..1.0)).collect();
        let spread =
            f.lf.iter()
                .copied()
                .filter(|x| x.is_finite())
                .fold(1.0, f64::max);
        topo_by_key(&self.fwd.group_succs, &self.fwd.group_preds, |g| {
            Key(f.lf[g] + noise[g] * spread * NOISE, 0.0)
        })
    }
}

/// A schedule's score from its group extents (makespan and failures).
fn ext_score(ext: &[Option<(Time, Time)>]) -> Score {
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
const PEAK: usize = 0;
const KEY: usize = 1;
const KEYMUT: usize = 2;
const PAR: usize = 3;
const OPS: usize = 4;

/// Adaptive pursuit (Thierens, 2005): each operator's reward (1 when its
/// child enters a population, `NEW_BEST_BONUS` more when it beats that
/// population's best) is averaged with weight `REWARD_RATE`; each child,
/// the operator with the best average moves its probability towards
/// 1 − (k − 1) × `FLOOR`, the others towards `FLOOR`, at `PURSUIT_RATE`.
/// Which operator pays is instance-dependent (the parallel pass helps on
/// the most constrained instances and hurts on the others): the
/// selector keeps each where it pays, which no fixed mix did.
#[derive(Debug, Clone)]
struct Selector {
    probs: [f64; OPS],
    reward: [f64; OPS],
    on: [bool; OPS],
}

/// Smallest probability of an operator (it keeps being tried).
const FLOOR: f64 = 0.05;
const REWARD_RATE: f64 = 0.1;
const PURSUIT_RATE: f64 = 0.05;
const NEW_BEST_BONUS: f64 = 5.0;
/// Chance that a group of a child of `KEYMUT` starts later within its
/// slack (see `key_crossover_mut`).
const TIME_MUTATION: f64 = 0.02;

impl Selector {
    /// Equal chances; the parallel pass only when `parallel` (it applies).
    fn new(parallel: bool) -> Selector {
        let mut on = [true; OPS];
        on[PAR] = parallel;
        let k = on.iter().filter(|&&o| o).count() as f64;
        Selector {
            probs: on.map(|o| if o { 1.0 / k } else { 0.0 }),
            reward: [0.5; OPS],
            on,
        }
    }

    fn pick(&self, rng: &mut ChaCha8Rng) -> usize {
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

    fn reward(&mut self, op: usize, took: bool, new_best: bool) {
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

/// Replaces the worst member when `m` is better (by score, then `tie`)
/// and not a duplicate.
fn insert(pop: &mut [Member], m: Member) {
    let worst = worst_of(pop);
    if admits(pop, worst, &m) {
        pop[worst] = m;
    }
}

/// Whether `m` may enter `pop`: better than its worst member `pop[worst]`
/// and a copy of no member's schedule.
fn admits(pop: &[Member], worst: usize, m: &Member) -> bool {
    let duplicate = |p: &Member| p.fingerprint == m.fingerprint && p.extent == m.extent;
    cmp_member(m, &pop[worst]) == Ordering::Less && !pop.iter().any(duplicate)
}

/// Members drawn (with repetition) when a child enters a population of
/// the bi-population GA; it replaces the drawn member, worse than it,
/// that starts the most groups on the same day as it does.
const CROWDING: usize = 16;

/// `insert` for the bi-population GA, with crowding: when `m` is
/// better than the worst member `pop[worst]` and no duplicate, it
/// replaces the one most like it of `CROWDING` random members worse than
/// it (by groups starting on the same day), else the worst. A child mostly
/// displaces its own kind, so the population keeps more distinct
/// schedules than when the worst always goes: on PSPLIB J120 about 0.1
/// points better at 5,000 schedules (docs/performance.md, eighth round).
fn replace_similar(pop: &mut [Member], worst: usize, m: Member, rng: &mut ChaCha8Rng) -> bool {
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
fn alike(a: &[Time], b: &[Time]) -> usize {
    a.iter().zip(b).map(|(x, y)| usize::from(x == y)).sum()
}

/// Swaps neighbours that are not linked by a precedence in `eng`, each
/// with a small probability.
fn mutate(eng: &Engine, list: &mut [GroupIx], pm: f64, rng: &mut ChaCha8Rng) {
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
/// These constants were tuned on PSPLIB J30 and a J120 subset
/// (docs/performance.md): larger, more varied populations helped most.
const PEAK_SHARE: f64 = 0.5;
/// Chance that a child in the last quarter of the budget is a neighbour
/// of the best member (`Search::neighbour`).
const NEIGHBOUR_SHARE: f64 = 0.1;
/// Chance that each neighbouring pair of a child's list is swapped, in
/// the plans' genetic algorithm.
const MUTATION: f64 = 0.05;
/// The same in the bi-population algorithm. Its crossover on start times
/// varies children enough: on PSPLIB J120 at 5,000 schedules 0.02 was
/// 0.04 points better than 0.05 on average over four sets of seeds
/// (docs/performance.md, eighth round), 0.08 worse.
const KEY_MUTATION: f64 = 0.02;
/// How far random initial lists stray from the LFT order, as a share of
/// the longest latest finish (1.5: nearly any precedence-feasible order).
const NOISE: f64 = 1.5;

/// Population of the plans' genetic algorithm.
fn pop_size(schedules: u64, groups: usize) -> usize {
    let by_effort = (schedules / 50).clamp(4, 100) as usize;
    by_effort.min(groups.max(4))
}

/// The budget at which `bipop_size`'s cap was tuned (the PSPLIB
/// target's); up to it the cap is fixed, beyond it the cap grows as the
/// budget's `BIPOP_GROWTH` power (0.6 did as well; docs/performance.md).
const BIPOP_BUDGET: f64 = 5000.0;
const BIPOP_GROWTH: f64 = 0.75;

/// `bipop_size`'s cap at 5,000 schedules is this / √groups. It was 1100
/// until crowding (`replace_similar`) kept populations varied; since then
/// a fifth fewer members, so more generations, did better (J120 0.06–0.08
/// points, docs/performance.md, eighth round).
const BIPOP_CAP: f64 = 880.0;

/// Size of each population of the bi-population algorithm: a twentieth of
/// the budget, but at most `BIPOP_CAP` / √groups at 5,000 schedules (160
/// members for 30 jobs, 80 for 120), a cap that grows as the budget's
/// ¾ power beyond 5,000. On PSPLIB (docs/performance.md) larger
/// populations helped at every budget up to a point that falls as
/// projects grow (a larger project needs more generations from the same
/// number of schedules) and rises with the budget: with a fixed cap J120
/// gained only 0.5 points from 5,000 to 50,000 schedules, with a growing
/// one 1.3.
fn bipop_size(schedules: u64, groups: usize) -> usize {
    let beyond = (schedules as f64 / BIPOP_BUDGET)
        .max(1.0)
        .powf(BIPOP_GROWTH);
    let by_size = (BIPOP_CAP * beyond / (groups.max(1) as f64).sqrt()) as u64;
    (schedules / 20).min(by_size).max(4) as usize
}

/// The worst member (by score, then `tie`; the last of equals).
fn worst_of(pop: &[Member]) -> usize {
    (0..pop.len())
        .max_by(|&i, &j| cmp_member(&pop[i], &pop[j]))
        .unwrap_or(0)
}

/// The best member (by score, then `tie`; the first of equals).
fn best_member(pop: &[Member]) -> usize {
    (0..pop.len())
        .min_by(|&i, &j| cmp_member(&pop[i], &pop[j]))
        .unwrap_or(0)
}

/// A critical chain of the schedule with group extents `ext` (in `eng`'s
/// time), traced back from a group ending on its last day: through a
/// predecessor finishing the day before the group's start, else through a
/// group sharing a pool that finishes that day (its finish freed the pool
/// the group waited for); random among equals. Returns the chain's pool
/// links (waiting group, freeing group), latest first.
fn critical_links(
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
fn pick_random(rng: &mut ChaCha8Rng, items: impl Iterator<Item = usize>) -> Option<usize> {
    let mut out = None;
    for (i, x) in items.enumerate() {
        if i == 0 || rng.gen_range(0..=i) == 0 {
            out = Some(x);
        }
    }
    out
}

/// Per group, the pools its activities draw on, as bits (index mod 64).
fn pool_bits(p: &Problem) -> Vec<u64> {
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

/// The member with the best score (the first of equals).
fn best_of(pop: &[Member]) -> usize {
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
/// pays (about 0.14 points on PSPLIB J120 at 5,000 schedules).
fn tournament_size(done: u64, budget: u64) -> usize {
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
fn tournament(pop: &[Member], k: usize, rng: &mut ChaCha8Rng) -> usize {
    let mut best = rng.gen_range(0..pop.len());
    for _ in 1..k {
        let j = rng.gen_range(0..pop.len());
        if cmp_member(&pop[j], &pop[best]) == Ordering::Less {
            best = j;
        }
    }
    best
}

/// Two random cut points `q1 <= q2` in `0..=n`.
fn two_points(n: usize, rng: &mut ChaCha8Rng) -> (usize, usize) {
    let q1 = rng.gen_range(0..=n);
    let q2 = rng.gen_range(0..=n);
    (q1.min(q2), q1.max(q2))
}

/// Two-point crossover: the mother's head, then the father's order for the
/// middle, then the mother's order for the rest. Keeps precedence order
/// when both parents do.
fn crossover(
    mother: &[GroupIx],
    father: &[GroupIx],
    rng: &mut ChaCha8Rng,
    seen: &mut [bool],
) -> Vec<GroupIx> {
    let n = mother.len();
    let (q1, q2) = two_points(n, rng);
    seen.iter_mut().for_each(|s| *s = false);
    let mut child = Vec::with_capacity(n);
    for &g in &mother[..q1] {
        seen[g.ix()] = true;
        child.push(g);
    }
    for &g in father {
        if child.len() >= q2 {
            break;
        }
        if !seen[g.ix()] {
            seen[g.ix()] = true;
            child.push(g);
        }
    }
    for &g in mother {
        if !seen[g.ix()] {
            seen[g.ix()] = true;
            child.push(g);
        }
    }
    child
}

/// Two-point crossover on start times (in the spirit of Debels and
/// Vanhoucke's crossover on standardised random keys): the groups at
/// positions `window` of the mother's list take their start in the
/// father's schedule, all others keep the mother's, and the child lists
/// the groups by those times. Unlike the crossover on positions, the
/// father's groups are not packed into one block: each lands where the
/// father had it in time, among the mother's. On PSPLIB J120 this was
/// worth about 0.4 points (docs/performance.md).
fn key_crossover(
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
fn key_crossover_mut(
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
    // drawn (geometric), not a coin per group, which cost a tenth of
    // such a child.
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

/// Σ over groups of load × (finish + 1), in the schedule's own time: of
/// two schedules with the same makespan, the one that has done more of
/// its work earlier is the likelier parent of a shorter one. Used to rank
/// equal makespans in the bi-population GA (about 0.15 points on J120).
fn weighted_finish(load: &[f64], ext: &[Option<(Time, Time)>]) -> f64 {
    ext.iter()
        .zip(load)
        .filter_map(|(e, l)| e.map(|e| l * (e.1 + 1) as f64))
        .sum()
}

/// Σ over a group's activities of duration × (share of each pool it
/// takes + one unit's share of its eligible units).
fn group_load(p: &Problem) -> Vec<f64> {
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

fn positions(list: &[GroupIx]) -> Vec<usize> {
    let mut pos = Vec::new();
    positions_into(list, &mut pos);
    pos
}

/// Each group's position in `list`, into `pos`.
fn positions_into(list: &[GroupIx], pos: &mut Vec<usize>) {
    refill(pos, list.len(), 0);
    for (k, g) in list.iter().enumerate() {
        pos[g.ix()] = k;
    }
}

/// `v` as `len` copies of `x`, in the memory it already has.
fn refill<T: Copy>(v: &mut Vec<T>, len: usize, x: T) -> &mut [T] {
    v.clear();
    v.resize(len, x);
    v
}

/// `v` holding `items`, in the memory it already has.
fn refill_from<T>(v: &mut Vec<T>, items: impl IntoIterator<Item = T>) -> &mut [T] {
    v.clear();
    v.extend(items);
    v
}

/// Working memory of the ordering steps, which run once or twice per
/// child. Allocating it anew each time put malloc and free at about 5 %
/// of a J120 search's time profile; reusing it took about 2 % off the
/// time (docs/performance.md).
#[derive(Default)]
struct Scratch {
    keys: Vec<i64>,
    pos: Vec<usize>,
    sort: SortScratch,
    repair: RepairScratch,
    peak: PeakScratch,
}

#[derive(Default)]
struct SortScratch {
    bucket: Vec<u32>,
    start: Vec<u32>,
}

#[derive(Default)]
struct RepairScratch {
    /// Per group: taken into the repaired list.
    taken: Vec<bool>,
    /// Per group: its position in the sorted list while it waits for a
    /// predecessor, else `NOT_WAITING`.
    waiting: Vec<u32>,
    /// Waiting groups whose predecessors are all taken, by position.
    freed: BinaryHeap<Reverse<(u32, GroupIx)>>,
}

#[derive(Default)]
struct PeakScratch {
    diff: Vec<f64>,
    cum: Vec<f64>,
    part: Vec<u8>,
}

/// Where the times given to `order_by` come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Times {
    /// One schedule of the engine the list was decoded by (`list` keeps
    /// its precedences).
    OneSchedule,
    /// Several schedules (a crossover's mixed times).
    Mixed,
}

/// The groups by `time` (`i64::MAX`, for failed groups, last), ties to
/// the group later in `list`; when that breaks a precedence between groups
/// (common for the mixed times of `key_crossover`), the
/// precedence-respecting order closest to it (`in_precedence_order`).
///
/// For one schedule's times, when every group is one activity and no lag
/// is negative (`Engine::starts_ordered`) and every group was placed, the
/// order needs no repair: a successor finishes no earlier than its
/// predecessor, and when both finish on the same day (zero-duration work)
/// the tie puts the later group of `list`, the successor, first. The
/// repair pass is then skipped (it was about a tenth of a J120 search).
fn order_by(
    eng: &Engine,
    list: &[GroupIx],
    times: Times,
    sc: &mut Scratch,
    time: impl Fn(usize) -> i64,
) -> Vec<GroupIx> {
    let keys = refill_from(&mut sc.keys, (0..list.len()).map(&time));
    let out = sort_by_time(list, keys, &mut sc.sort);
    let placed = || keys.iter().all(|&t| t != i64::MAX);
    if times == Times::OneSchedule && eng.starts_ordered && placed() {
        debug_assert_eq!(
            in_precedence_order(eng, out.clone(), &mut RepairScratch::default()),
            out
        );
        return out;
    }
    in_precedence_order(eng, out, &mut sc.repair)
}

/// `list` by `keys` (`i64::MAX` last), ties to the group later in `list`.
/// A counting sort when times span a short range, as they do in one
/// schedule.
fn sort_by_time(list: &[GroupIx], keys: &[i64], sc: &mut SortScratch) -> Vec<GroupIx> {
    let n = list.len();
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for &t in keys.iter().filter(|&&t| t != i64::MAX) {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    if lo > hi {
        (lo, hi) = (0, 0); // nothing placed
    }
    if hi - lo > 8 * n as i64 + 64 {
        let pos = positions(list);
        let mut out = list.to_vec();
        out.sort_unstable_by_key(|g| (keys[g.ix()], n - pos[g.ix()]));
        return out;
    }
    // A bucket per time and one more, last, for failed groups.
    let failed = hi - lo + 1;
    let buckets = keys
        .iter()
        .map(|&t| t.saturating_sub(lo).min(failed) as u32);
    let bucket = refill_from(&mut sc.bucket, buckets);
    let start = refill(&mut sc.start, failed as usize + 2, 0);
    for &b in bucket.iter() {
        start[b as usize + 1] += 1;
    }
    // A running sum in a register (a step reading the one before it
    // back from memory waits for its store).
    let mut sum = 0;
    for s in start.iter_mut() {
        sum += *s;
        *s = sum;
    }
    // Filling buckets from the end of `list` puts later groups first.
    let mut out = vec![GroupIx(0); n];
    for &g in list.iter().rev() {
        let b = bucket[g.ix()] as usize;
        out[start[b] as usize] = g;
        start[b] += 1;
    }
    out
}

/// Repeatedly the first group of `sorted` whose predecessors are all
/// taken: `sorted` itself when it keeps every precedence, otherwise the
/// same list as `topo_by_key` with keys in the order of `sorted`, but in
/// about linear time, since a group passed over while it waits for a
/// predecessor is the only kind that needs a heap (crossovers on start
/// times leave a few groups out of order in most children).
///
/// The list is rewritten in place: a group is written at the count of
/// groups taken so far, never past the scan, so no group is overwritten
/// before it is read. A group is taken when its predecessors are (one
/// look at each predecessor's flag), and only while some group waits are
/// a taken group's successors looked at: most of a list keeps its
/// precedences, and the counts of missing predecessors this used to keep
/// for every group cost more than the repair itself.
fn in_precedence_order(
    eng: &Engine,
    mut sorted: Vec<GroupIx>,
    sc: &mut RepairScratch,
) -> Vec<GroupIx> {
    let n = sorted.len();
    let RepairScratch {
        taken,
        waiting,
        freed,
    } = sc;
    refill(taken, n, false);
    refill(waiting, n, NOT_WAITING);
    freed.clear();
    // Each four read whole (`&`, not `&&`): no exit depends on which
    // predecessor is missing.
    let preds_taken = |taken: &[bool], g: usize| {
        let all = |q: &[u32; 4]| q.iter().fold(true, |all, &q| all & taken[q as usize]);
        eng.group_preds4.of(g).iter().all(all)
    };
    let mut waits = 0;
    let mut out = 0;
    let mut scan = 0;
    while out < n {
        // Waiting groups now free were passed over before the scan's
        // next group, so they go first, earliest in `sorted` first.
        // (`pop` is a call; the heap is nearly always empty.)
        let next_freed = if freed.is_empty() { None } else { freed.pop() };
        let g = match next_freed {
            Some(Reverse((_, g))) => g,
            None => {
                let g = *sorted
                    .get(scan)
                    .expect("scheduling problem: the groups' precedences form a cycle");
                scan += 1;
                if !preds_taken(taken, g.ix()) {
                    waiting[g.ix()] = (scan - 1) as u32;
                    waits += 1;
                    continue;
                }
                g
            }
        };
        sorted[out] = g;
        out += 1;
        taken[g.ix()] = true;
        if waits > 0 {
            for &s in eng.group_succs.of(g.ix()) {
                let s = s as usize;
                let r = waiting[s];
                if r != NOT_WAITING && preds_taken(taken, s) {
                    waiting[s] = NOT_WAITING;
                    waits -= 1;
                    freed.push(Reverse((r, GroupIx::from(s))));
                }
            }
        }
    }
    sorted
}

/// `RepairScratch::waiting` of a group not waiting.
const NOT_WAITING: u32 = u32::MAX;

/// Per group, the first start and last finish of its activities (`None`
/// when the group failed).
fn group_extent(eng: &Engine, st: &State) -> Vec<Option<(Time, Time)>> {
    if eng.starts_ordered {
        // One activity a group: its extent is its placement.
        return (0..eng.p.groups.len())
            .map(|g| match eng.sole(g).and_then(|a| st.result[a.ix()]) {
                Some(Ok(pl)) => Some((pl.start, pl.finish)),
                _ => None,
            })
            .collect();
    }
    eng.p
        .groups
        .iter()
        .map(|g| {
            let mut ext: Option<(Time, Time)> = None;
            for a in &g.activities {
                match st.result[a.ix()] {
                    Some(Ok(pl)) => {
                        let (s, f) = ext.unwrap_or((pl.start, pl.finish));
                        ext = Some((s.min(pl.start), f.max(pl.finish)));
                    }
                    _ => return None,
                }
            }
            ext
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs 0 (source) and 5 (sink), 1 → 3, the rest free.
    fn engine_problem() -> Problem {
        let text = "\
jobs (incl. supersource/sink ):  6
RESOURCES
  - renewable                 :  1   R
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          4           2   3   4   5
   2        1          1           4
   3        1          1           6
   4        1          1           6
   5        1          1           6
   6        1          0
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     2       1
  3      1     2       1
  4      1     2       1
  5      1     2       1
  6      1     0       0
RESOURCEAVAILABILITIES:
  R 1
    2
";
        crate::psplib::parse(text).unwrap().to_problem()
    }

    /// A member whose list is its groups in order of start.
    fn member(starts: &[Time], tie: f64) -> Member {
        let mut list: Vec<GroupIx> = (0..starts.len()).map(GroupIx::from).collect();
        list.sort_by_key(|g| starts[g.ix()]);
        let extent = starts.iter().map(|&s| Some((s, s + 1))).collect();
        Member::new(list, Score::default(), extent, tie)
    }

    fn ixs(list: &[GroupIx]) -> Vec<usize> {
        list.iter().map(|g| g.ix()).collect()
    }

    #[test]
    fn critical_links_follow_the_chain_to_the_groups_that_freed_a_pool() {
        // Groups 1 and 2 on days 0-1 fill the pool; 3 follows its
        // predecessor 1 at once; 4 waits for the pool, which 1 and 2 free.
        let p = engine_problem();
        let eng = Engine::new(&p);
        let ext = [(0, -1), (0, 1), (0, 1), (2, 3), (2, 3), (4, 3)].map(Some);
        let pools = pool_bits(&p);
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..40 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let links = critical_links(&eng, &ext, &pools, &mut rng);
            assert!(links.len() <= 1, "{links:?}");
            seen.extend(links);
        }
        // 3's chain runs through precedences only: no link.
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), vec![(4, 1), (4, 2)]);
    }

    #[test]
    fn key_crossover_places_the_fathers_window_at_his_times() {
        let p = engine_problem();
        let eng = Engine::new(&p);
        let mother = member(&[0, 1, 3, 5, 7, 9], 0.0);
        let father = member(&[0, 6, 2, 8, 4, 10], 0.0);
        assert_eq!(ixs(&mother.list), vec![0, 1, 2, 3, 4, 5]);
        // Positions 2..4 (groups 2 and 3) take the father's starts 2 and 8:
        // keys 0, 1, 2, 8, 7, 9.
        let child = key_crossover(&eng, &mother, &father, 2..4, &mut Scratch::default());
        assert_eq!(ixs(&child), vec![0, 1, 2, 4, 3, 5]);
        // An empty window or the same parent gives the mother's list.
        assert_eq!(
            key_crossover(&eng, &mother, &father, 3..3, &mut Scratch::default()),
            mother.list
        );
        assert_eq!(
            key_crossover(&eng, &mother, &mother, 0..6, &mut Scratch::default()),
            mother.list
        );
    }

    #[test]
    fn key_crossover_keeps_precedence_order() {
        let p = engine_problem();
        let eng = Engine::new(&p);
        // Group 1 precedes group 3; the father's time for 1 (window 1..2)
        // would put it after the mother's 3.
        let mother = member(&[0, 1, 2, 3, 5, 9], 0.0);
        let father = member(&[0, 6, 2, 8, 4, 10], 0.0);
        let child = key_crossover(&eng, &mother, &father, 1..2, &mut Scratch::default());
        let pos = positions(&child);
        assert!(pos[1] < pos[3], "{:?}", ixs(&child));
        let mut sorted = ixs(&child);
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2, 3, 4, 5]);
        // Otherwise as close to the keys (0, 6, 2, 3, 5, 9) as it can.
        assert_eq!(ixs(&child), vec![0, 2, 4, 1, 3, 5]);
    }

    /// Zero-duration jobs in chains (2 → 3, 4 → 5 → 6) and a busy pool:
    /// successors can start, and finish, on the day their predecessor does.
    fn zero_duration_problem() -> Problem {
        let text = "\
jobs (incl. supersource/sink ):  8
RESOURCES
  - renewable                 :  1   R
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          3           2   4   7
   2        1          1           3
   3        1          1           8
   4        1          1           5
   5        1          1           6
   6        1          1           8
   7        1          1           8
   8        1          0
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     0       0
  3      1     2       2
  4      1     0       0
  5      1     0       1
  6      1     1       1
  7      1     3       1
  8      1     0       0
RESOURCEAVAILABILITIES:
  R 1
    2
";
        crate::psplib::parse(text).unwrap().to_problem()
    }

    /// Decodes `list` with `from`, orders its groups for `to` by start in
    /// mirrored time as `turn` does, checks that this is the repaired
    /// order, and returns it.
    fn turned_without_repair(
        from: &Engine,
        to: &Engine,
        m: Time,
        list: &[GroupIx],
        st: &mut State,
    ) -> Vec<GroupIx> {
        from.decode(st, list);
        let ext = group_extent(from, st);
        let key = |g: usize| ext[g].map_or(i64::MAX, |e| (m - e.1) as i64);
        let sc = &mut Scratch::default();
        let turned = order_by(to, list, Times::OneSchedule, sc, key);
        let keys: Vec<i64> = (0..list.len()).map(key).collect();
        let sorted = sort_by_time(list, &keys, &mut sc.sort);
        let repaired = in_precedence_order(to, sorted, &mut sc.repair);
        assert_eq!(turned, repaired, "list {:?}", ixs(list));
        turned
    }

    /// `order_by` skips the repair for one schedule's times when groups
    /// are single activities (`Engine::starts_ordered`): check that the
    /// order it returns is the repaired one, both ways, for many lists.
    #[test]
    fn one_schedules_order_needs_no_repair() {
        let p = zero_duration_problem();
        let (mp, m) = mirror(&p);
        let fwd = Engine::new(&p);
        let bwd = Engine::new(&mp);
        assert!(fwd.starts_ordered && bwd.starts_ordered);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (mut st, mut bst) = (State::default(), State::default());
        for _ in 0..300 {
            let noise: Vec<f64> = (0..8).map(|_| rng.gen_range(0.0..1.0)).collect();
            let list = topo_by_key(&fwd.group_succs, &fwd.group_preds, |g| Key(noise[g], 0.0));
            // Forward schedule → backward list, and back.
            let blist = turned_without_repair(&fwd, &bwd, m, &list, &mut st);
            turned_without_repair(&bwd, &fwd, m, &blist, &mut bst);
        }
    }

    #[test]
    fn precedence_repair_is_the_greedy_topological_order() {
        let p = engine_problem();
        let eng = Engine::new(&p);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let keys: Vec<i64> = (0..6).map(|_| rng.gen_range(0..5)).collect();
            let list: Vec<GroupIx> = (0..6).map(GroupIx::from).collect();
            let got = order_by(&eng, &list, Times::Mixed, &mut Scratch::default(), |g| {
                keys[g]
            });
            let want = topo_by_key(&eng.group_succs, &eng.group_preds, |g| {
                Key(keys[g] as f64, (6 - g) as f64)
            });
            assert_eq!(got, want, "keys {keys:?}");
        }
    }

    #[test]
    fn selector_pursues_the_operator_that_pays() {
        let mut sel = Selector::new(true);
        assert_eq!(sel.probs, [0.25; OPS]);
        for _ in 0..200 {
            sel.reward(KEYMUT, true, false);
            sel.reward(PEAK, false, false);
        }
        let top = 1.0 - 3.0 * FLOOR;
        assert!((sel.probs[KEYMUT] - top).abs() < 1e-3, "{:?}", sel.probs);
        for op in [PEAK, KEY, PAR] {
            assert!((sel.probs[op] - FLOOR).abs() < 1e-3, "{:?}", sel.probs);
        }
        assert!((sel.probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // A new best outweighs many children taken.
        for _ in 0..30 {
            sel.reward(PAR, true, true);
        }
        assert!(sel.probs[PAR] > sel.probs[KEYMUT], "{:?}", sel.probs);
        // Without the parallel pass it is never picked.
        let sel = Selector::new(false);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut seen = [0; OPS];
        for _ in 0..1000 {
            seen[sel.pick(&mut rng)] += 1;
        }
        assert_eq!(seen[PAR], 0);
        assert!(seen[..PAR].iter().all(|&k| k > 250), "{seen:?}");
    }

    #[test]
    fn time_mutation_keeps_precedence_order_and_every_group() {
        let p = engine_problem();
        let eng = Engine::new(&p);
        let mother = member(&[0, 1, 3, 5, 7, 9], 0.0);
        let father = member(&[0, 6, 2, 8, 4, 10], 0.0);
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut sc = Scratch::default();
        let mut moved = false;
        for _ in 0..200 {
            let child = key_crossover_mut(&eng, &mother, &father, 1..4, 0.5, &mut rng, &mut sc);
            let pos = positions(&child);
            assert!(pos[1] < pos[3], "{:?}", ixs(&child));
            let mut sorted = ixs(&child);
            sorted.sort_unstable();
            assert_eq!(sorted, vec![0, 1, 2, 3, 4, 5]);
            moved |= child != key_crossover(&eng, &mother, &father, 1..4, &mut sc);
        }
        assert!(moved);
        // With no mutation it is the crossover on start times.
        let child = key_crossover_mut(&eng, &mother, &father, 1..4, 0.0, &mut rng, &mut sc);
        assert_eq!(child, key_crossover(&eng, &mother, &father, 1..4, &mut sc));
    }

    #[test]
    fn populations_grow_with_budgets_beyond_the_tuned_one() {
        // Up to 5,000 schedules: a twentieth of the budget, capped by size.
        assert_eq!(bipop_size(1000, 120), 50);
        assert_eq!(bipop_size(5000, 120), 80);
        assert_eq!(bipop_size(5000, 30), 160);
        // Beyond: the cap grows as the budget's ¾ power.
        assert_eq!(bipop_size(10_000, 120), 135);
        assert_eq!(bipop_size(50_000, 120), 451);
    }

    #[test]
    fn tournaments_grow_with_the_budget_spent() {
        let sizes: Vec<usize> = [0, 499, 500, 749, 750, 1000]
            .iter()
            .map(|&done| tournament_size(done, 1000))
            .collect();
        assert_eq!(sizes, vec![2, 2, 3, 3, 4, 4]);
        assert_eq!(tournament_size(0, 0), 2);
        // Members ranked by `tie` alone: the best wins a tournament of `k`
        // unless all `k` draws miss it, 1 − (3/4)^k of the time.
        let pop: Vec<Member> = (0..4)
            .map(|i| member(&[0, 1, 2, 3, 4, 5], i as f64))
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for (k, share) in [(1, 0.25), (2, 0.4375), (3, 0.578), (4, 0.684)] {
            let wins = (0..4000)
                .filter(|_| tournament(&pop, k, &mut rng) == 0)
                .count();
            let got = wins as f64 / 4000.0;
            assert!((got - share).abs() < 0.03, "k {k}: {got} vs {share}");
        }
    }

    #[test]
    fn rank_orders_members_as_their_scores_and_ties_do() {
        let ties = [-2.5, -0.0, 0.0, 1e-300, 1.0, 3.0, f64::INFINITY];
        let mk = |finish, tie| {
            let score = Score {
                finish,
                ..Score::default()
            };
            Member::new(vec![], score, vec![], tie)
        };
        for f1 in [3, 4] {
            for f2 in [3, 4] {
                for &t1 in &ties {
                    for &t2 in &ties {
                        let (a, b) = (mk(f1, t1), mk(f2, t2));
                        assert!(a.rank.is_some());
                        let full = cmp(&a.score, &b.score).then(t1.total_cmp(&t2));
                        assert_eq!(cmp_member(&a, &b), full, "{f1} {t1} / {f2} {t2}");
                    }
                }
            }
        }
        // A failed group: no rank, the full comparison.
        let failed = Score {
            unscheduled_weight: 1.0,
            ..Score::default()
        };
        assert!(Member::new(vec![], failed, vec![], 0.0).rank.is_none());
    }

    #[test]
    fn equal_scores_are_ranked_by_the_tie_measure() {
        let mut pop = vec![
            member(&[0, 1, 2, 3, 4, 5], 5.0),
            member(&[0, 2, 1, 3, 4, 5], 3.0),
        ];
        // As good as the worst: not taken.
        insert(&mut pop, member(&[0, 3, 2, 1, 4, 5], 5.0));
        assert_eq!((pop[0].tie, pop[1].tie), (5.0, 3.0));
        // Better on the tie measure: replaces the worst.
        insert(&mut pop, member(&[0, 3, 2, 1, 4, 5], 1.0));
        assert_eq!((pop[0].tie, pop[1].tie), (1.0, 3.0));
        // A duplicate of a member's schedule is never taken.
        insert(&mut pop, member(&[0, 2, 1, 3, 4, 5], 0.0));
        assert_eq!((pop[0].tie, pop[1].tie), (1.0, 3.0));
        // Work done earlier weighs less.
        let load = [1.0, 2.0];
        assert!(
            weighted_finish(&load, &[Some((0, 1)), Some((0, 3))])
                > weighted_finish(&load, &[Some((0, 3)), Some((0, 1))])
        );
    }

    #[test]
    fn a_child_displaces_the_worse_member_most_like_it() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        // Ties 1 (best) to 4 (worst); the child (tie 2.5) is like the
        // member of tie 3 in five groups, like the worst in none.
        let pop0 = vec![
            member(&[0, 1, 2, 3, 4, 5], 1.0),
            member(&[0, 2, 1, 3, 4, 5], 2.0),
            member(&[0, 1, 2, 3, 4, 9], 3.0),
            member(&[5, 6, 7, 8, 9, 10], 4.0),
        ];
        let child = || member(&[0, 1, 2, 3, 4, 6], 2.5);
        for seed in 0..20 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut pop = pop0.clone();
            assert!(replace_similar(&mut pop, 3, child(), &mut rng));
            let ties: Vec<f64> = pop.iter().map(|m| m.tie).collect();
            // Better members stay; one of the two worse ones goes, and
            // the like one whenever it is drawn (16 draws of 4: nearly
            // always).
            assert_eq!(&ties[..2], &[1.0, 2.0]);
            assert!(ties == [1.0, 2.0, 2.5, 4.0] || ties == [1.0, 2.0, 3.0, 2.5]);
        }
        let mut pop = pop0.clone();
        assert!(replace_similar(&mut pop, 3, child(), &mut rng));
        assert_eq!(
            pop.iter().map(|m| m.tie).collect::<Vec<_>>(),
            [1.0, 2.0, 2.5, 4.0]
        );
        // Not better than the worst, or a duplicate: not taken.
        let mut pop = pop0.clone();
        assert!(!replace_similar(
            &mut pop,
            3,
            member(&[0, 1, 2, 3, 4, 6], 4.5),
            &mut rng
        ));
        assert!(!replace_similar(
            &mut pop,
            3,
            member(&[0, 1, 2, 3, 4, 9], 0.5),
            &mut rng
        ));
        assert_eq!(
            pop.iter().map(|m| m.tie).collect::<Vec<_>>(),
            [1.0, 2.0, 3.0, 4.0]
        );
        assert_eq!(alike(&pop[0].starts, &pop[2].starts), 5);
    }
}
