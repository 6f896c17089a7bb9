//! The plans' search: priority rules, forward–backward improvement
//! (justification), then Hartmann's activity-list genetic algorithm whose
//! children are justified too.

use super::super::rules::{topo_by_key, RULES};
use super::member::{cmp, insert, Member};
use super::options::Phase;
use super::order::{group_extent, order_by, Times};
use super::Search;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::cmp::Ordering;

impl Search<'_> {
    /// The plans' search: the rules, then the genetic algorithm.
    pub(super) fn plan(&mut self) {
        let mut pop = self.rules();
        self.phase = Phase::Improve;
        if self.left() > 0 && !pop.is_empty() {
            self.genetic(&mut pop);
        }
    }

    /// The priority rules, each followed by justification while schedules
    /// last; they seed the population.
    pub(super) fn rules(&mut self) -> Vec<Member> {
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

    /// Forward–backward improvement: a backward pass taking groups by
    /// latest finish, then a forward pass taking them by earliest start of
    /// the backward schedule; repeated while it helps. Returns the better.
    pub(super) fn justify(&mut self, mut mem: Member) -> Member {
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
    pub(super) fn genetic(&mut self, pop: &mut Vec<Member>) {
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
}

/// Population of the plans' genetic algorithm.
pub(super) fn pop_size(schedules: u64, groups: usize) -> usize {
    let by_effort = (schedules / 50).clamp(4, 100) as usize;
    by_effort.min(groups.max(4))
}
