//! The search over group lists: priority rules, forward–backward
//! improvement (justification), then a seeded genetic algorithm on lists
//! whose offspring are justified too. Every schedule counted is one serial
//! pass, forward or backward, as the literature counts them.

use super::mirror::mirror;
use super::problem::*;
use super::rules::{topo_by_key, GroupFacts, Key, RULES};
use super::sgs::{Engine, State};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;
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

/// One member of the population: a group list and its schedule's score.
#[derive(Debug, Clone)]
struct Member {
    list: Vec<GroupIx>,
    score: Score,
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
    st: State,
    bst: State,
    opts: SearchOptions,
    started: Option<Instant>,
    count: u64,
    best: Option<(Score, State)>,
    phase: Phase,
}

/// Finds a good schedule for `problem` with at most `options.schedules`
/// passes (at least one), deterministic for a seed when no time limit cuts
/// the search short.
pub fn solve(problem: &Problem, options: &SearchOptions) -> Solution {
    let (mp, m) = mirror(problem);
    let fwd = Engine::new(problem);
    let bwd = Engine::new(&mp);
    let facts = GroupFacts::new(&fwd);
    let mut s = Search {
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
    };
    s.run();
    let (_, st) = s.best.take().expect("at least one schedule");
    s.fwd.solution(&st, s.count)
}

impl Search<'_> {
    fn run(&mut self) {
        let mut pop = self.rules();
        self.phase = Phase::Improve;
        if self.left() > 0 && !pop.is_empty() {
            self.genetic(&mut pop);
        }
    }

    /// Schedules left to spend (0 when the time limit has passed).
    fn left(&self) -> u64 {
        if let (Some(t0), Some(limit)) = (self.started, self.opts.time_limit) {
            if t0.elapsed() >= limit {
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
            self.best = Some((sc, self.st.clone()));
            self.report(true);
        } else if self.count.is_multiple_of(256) {
            self.report(false);
        }
        sc
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
            let score = self.forward(&list);
            let mut mem = Member { list, score };
            self.justify(&mut mem);
            pop.push(mem);
        }
        pop
    }

    /// Forward–backward improvement: a backward pass taking groups by
    /// latest finish, then a forward pass taking them by earliest start of
    /// the backward schedule. Keeps the result when it is no worse.
    fn justify(&mut self, mem: &mut Member) {
        if self.left() < 2 {
            return;
        }
        // The forward schedule of `mem` is in self.st only right after its
        // pass; decode again only if it is not.
        let fin = group_extent(&self.fwd, &self.st, true);
        let pos = positions(&mem.list);
        let m = self.m;
        // In mirrored time a group's start is m − its forward finish.
        let blist = topo_by_key(&self.bwd.group_succs, &self.bwd.group_preds, |g| {
            Key(
                fin[g].map_or(f64::INFINITY, |f| (m - f) as f64),
                pos[g] as f64,
            )
        });
        self.bwd.decode(&mut self.bst, &blist);
        self.count += 1;
        let bfin = group_extent(&self.bwd, &self.bst, true);
        let bpos = positions(&blist);
        let flist = topo_by_key(&self.fwd.group_succs, &self.fwd.group_preds, |g| {
            Key(
                bfin[g].map_or(f64::INFINITY, |f| (m - f) as f64),
                -(bpos[g] as f64),
            )
        });
        let score = self.forward(&flist);
        if cmp(&score, &mem.score) != Ordering::Greater {
            *mem = Member { list: flist, score };
        }
    }

    /// Hartmann's activity-list GA with two-point crossover, swap mutation
    /// and justification of every child; a child replaces the worst member
    /// when it is better and not already present.
    fn genetic(&mut self, pop: &mut Vec<Member>) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        let size = pop_size(self.opts.schedules, self.fwd.p.groups.len());
        // Fill the population with randomised LFT lists.
        while pop.len() < size && self.left() > 0 {
            let f = &self.facts;
            let noise: Vec<f64> = (0..f.lf.len()).map(|_| rng.gen_range(0.0..1.0)).collect();
            let spread =
                f.lf.iter()
                    .copied()
                    .filter(|x| x.is_finite())
                    .fold(1.0, f64::max);
            let list = topo_by_key(&self.fwd.group_succs, &self.fwd.group_preds, |g| {
                Key(f.lf[g] + noise[g] * spread * 0.5, 0.0)
            });
            let score = self.forward(&list);
            let mut mem = Member { list, score };
            self.justify(&mut mem);
            pop.push(mem);
        }
        let n = self.fwd.p.groups.len();
        if n < 2 {
            return;
        }
        let mut seen = vec![false; n];
        while self.left() > 0 {
            let a = tournament(pop, &mut rng);
            let b = tournament(pop, &mut rng);
            let mut child = crossover(&pop[a].list, &pop[b].list, &mut rng, &mut seen);
            self.mutate(&mut child, &mut rng);
            let score = self.forward(&child);
            let mut mem = Member { list: child, score };
            self.justify(&mut mem);
            let worst = (0..pop.len())
                .max_by(|&i, &j| cmp(&pop[i].score, &pop[j].score))
                .unwrap_or(0);
            if cmp(&mem.score, &pop[worst].score) == Ordering::Less
                && !pop.iter().any(|p| p.list == mem.list)
            {
                pop[worst] = mem;
            }
        }
    }

    /// Swaps neighbours that are not linked by a precedence, each with a
    /// small probability.
    fn mutate(&self, list: &mut [GroupIx], rng: &mut ChaCha8Rng) {
        let pm = 0.05;
        for i in 0..list.len().saturating_sub(1) {
            if rng.gen_bool(pm) {
                let (x, y) = (list[i], list[i + 1]);
                if self.fwd.group_succs.of(x.ix()).binary_search(&y.0).is_err() {
                    list.swap(i, i + 1);
                }
            }
        }
    }
}

fn pop_size(schedules: u64, groups: usize) -> usize {
    let by_effort = (schedules / 100).clamp(4, 40) as usize;
    by_effort.min(groups.max(4))
}

/// Binary tournament: the better of two random members.
fn tournament(pop: &[Member], rng: &mut ChaCha8Rng) -> usize {
    let i = rng.gen_range(0..pop.len());
    let j = rng.gen_range(0..pop.len());
    if cmp(&pop[j].score, &pop[i].score) == Ordering::Less {
        j
    } else {
        i
    }
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
    let mut q1 = rng.gen_range(0..=n);
    let mut q2 = rng.gen_range(0..=n);
    if q1 > q2 {
        std::mem::swap(&mut q1, &mut q2);
    }
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

fn positions(list: &[GroupIx]) -> Vec<usize> {
    let mut pos = vec![0; list.len()];
    for (k, g) in list.iter().enumerate() {
        pos[g.ix()] = k;
    }
    pos
}

/// Per group, the latest finish of its placed activities (`None` when the
/// group failed).
fn group_extent(eng: &Engine, st: &State, _finish: bool) -> Vec<Option<Time>> {
    eng.p
        .groups
        .iter()
        .map(|g| {
            let mut last: Option<Time> = None;
            for a in &g.activities {
                match st.result[a.ix()] {
                    Some(Ok(pl)) => last = Some(last.map_or(pl.finish, |l| l.max(pl.finish))),
                    _ => return None,
                }
            }
            last
        })
        .collect()
}
