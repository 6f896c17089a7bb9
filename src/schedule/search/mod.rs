//! The searches over group lists. Both share this module's running state
//! (`Search`: engines, schedules spent, the best so far) and its helpers;
//! which one runs is chosen in `solve` by what the problem asks for:
//! plans, which carry an objective of milestones, get the plans' search
//! (`plans`); PSPLIB instances, which have none, the makespan search
//! (`makespan`). Every schedule counted is one serial pass, forward or
//! backward, as the literature counts them.

mod crossover;
mod makespan;
mod member;
mod money;
mod options;
mod order;
mod plans;
#[cfg(test)]
mod tests;

pub use options::{Phase, Progress, ProgressFn, SearchOptions};

use super::bound::finish_floor;
use super::mirror::mirror;
use super::problem::*;
use super::rules::{topo_by_key, GroupFacts, Key};
use super::sgs::{Engine, State};
use member::{beats, group_load};
use order::Scratch;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::cell::RefCell;
use std::time::Instant;

/// Which search a problem gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No milestones (PSPLIB): the shortest schedule is the best.
    Makespan,
    /// Milestones with weights and deadlines (a plan): the plan's
    /// objective decides.
    Plan,
}

impl Kind {
    fn of(p: &Problem) -> Kind {
        if p.objective.milestones.is_empty() {
            Kind::Makespan
        } else {
            Kind::Plan
        }
    }
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
    /// With a time limit, the plans' search runs until it, whatever the
    /// number of schedules (its moves need no budget to plan by).
    by_clock: bool,
    /// The plans' search under `tiers_first`: per class of sensitivity
    /// but the least sensitive, the most misses (sites late or left
    /// unscheduled) a schedule may have to be kept: the greedy's
    /// (`plans`). Empty: no cap.
    cap: Vec<u64>,
    /// The greedy's targets missed and shortfall: a schedule that does
    /// better on the targets (key 1b, before any late site) is not capped.
    cap_targets: (u64, u64),
    /// The best schedule that keeps to `cap` whatever its targets: what
    /// is published when `best` broke the cap for a smaller shortfall of
    /// targets it still misses (a target met may buy a more sensitive
    /// tier's deadline, as key 1b says; a shortfall alone may not).
    best_under_cap: Option<(Score, State)>,
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
        pools: makespan::pool_bits(problem),
        by_clock: false,
        cap: Vec::new(),
        cap_targets: (0, 0),
        best_under_cap: None,
    };
    s.run();
    let (best, st) = s.best.take().expect("at least one schedule");
    // A target met may cost a capped class's misses (key 1b); a target
    // still missed, only by fewer devices, may not.
    let st = match s.best_under_cap.take() {
        Some((_, kept)) if !s.under_cap(&best) && best.targets_missed >= s.cap_targets.0 => kept,
        _ => st,
    };
    s.fwd.solution(&st, s.count)
}

/// One serial pass over the groups in `order` (made to respect the
/// groups' precedences: a group comes after its predecessors, otherwise
/// in `order`'s order), with no search: for baselines that choose their
/// own order, such as the whole-site greedy of `benches/`.
pub fn place_in_order(problem: &Problem, order: &[GroupIx]) -> Solution {
    let eng = Engine::new(problem);
    let mut rank = vec![f64::INFINITY; problem.groups.len()];
    for (k, g) in order.iter().enumerate() {
        rank[g.ix()] = rank[g.ix()].min(k as f64);
    }
    let list = topo_by_key(&eng.group_succs, &eng.group_preds, |g| Key(rank[g], 0.0));
    let mut st = State::default();
    eng.decode(&mut st, &list);
    eng.solution(&st, 1)
}

impl Search<'_> {
    fn run(&mut self) {
        match Kind::of(self.fwd.p) {
            Kind::Makespan => self.makespan(),
            Kind::Plan => self.plan(),
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
            if self.by_clock {
                return u64::MAX;
            }
        }
        self.opts.schedules.max(1).saturating_sub(self.count)
    }

    /// A forward pass over `list`; returns its score and keeps the best.
    fn forward(&mut self, list: &[GroupIx]) -> Score {
        self.fwd.decode(&mut self.st, list);
        self.count += 1;
        let sc = self.fwd.score(&self.st);
        let improved = self.best.is_none()
            || (self.within_cap(&sc) && beats(&sc, &self.best.as_ref().unwrap().0));
        if improved {
            self.proven =
                self.at_floor(&sc) && self.st.result.iter().all(|r| matches!(r, Some(Ok(_))));
            self.best = Some((sc.clone(), self.st.clone()));
            self.report(true);
        } else if self.count.is_multiple_of(256) {
            self.report(false);
        }
        if !self.cap.is_empty()
            && self.under_cap(&sc)
            && self
                .best_under_cap
                .as_ref()
                .is_none_or(|b| beats(&sc, &b.0))
        {
            self.best_under_cap = Some((sc.clone(), self.st.clone()));
        }
        sc
    }

    /// Whether `sc` misses no more sites in any capped class than `cap`,
    /// or does better on the public targets than the greedy.
    fn within_cap(&self, sc: &Score) -> bool {
        (sc.targets_missed, sc.target_shortfall) < self.cap_targets || self.under_cap(sc)
    }

    /// Whether `sc` misses no more sites in any capped class than `cap`,
    /// whatever its targets.
    fn under_cap(&self, sc: &Score) -> bool {
        self.cap.iter().enumerate().all(|(k, &most)| {
            sc.classes
                .get(k)
                .is_none_or(|c| c.late + c.unscheduled <= most)
        })
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
                of: if self.by_clock {
                    self.count.max(self.opts.schedules)
                } else {
                    self.opts.schedules
                },
                best: best.clone(),
            });
        }
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

/// How far random initial lists stray from the LFT order, as a share of
/// the longest latest finish (1.5: nearly any precedence-feasible order).
const NOISE: f64 = 1.5;
