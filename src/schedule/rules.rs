//! Priority rules: turn per-group keys into a group list that respects the
//! group precedences (Kahn's algorithm taking the smallest key first), and
//! the keys themselves from a critical-path pass (latest finish, latest
//! start), from milestone weights, and from work content.

use super::problem::GroupIx;
use super::sgs::{Csr, Engine};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A sort key: compared lexicographically, floats by total order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Key(pub f64, pub f64);

#[derive(PartialEq)]
struct Entry(Key, u32);
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    /// Reversed, so that the max-heap pops the smallest key.
    fn cmp(&self, o: &Self) -> Ordering {
        o.0 .0
            .total_cmp(&self.0 .0)
            .then(o.0 .1.total_cmp(&self.0 .1))
            .then(o.1.cmp(&self.1))
    }
}

/// The group list that takes, among the groups whose predecessors are all
/// listed, the one with the smallest key (ties: lower index). Panics on a
/// cycle of groups, which the lowering must never produce.
pub(crate) fn topo_by_key(
    succs: &Csr<u32>,
    preds: &Csr<u32>,
    key: impl Fn(usize) -> Key,
) -> Vec<GroupIx> {
    let n = succs.nodes();
    let mut missing: Vec<u32> = (0..n).map(|g| preds.of(g).len() as u32).collect();
    let mut heap: BinaryHeap<Entry> = (0..n)
        .filter(|&g| missing[g] == 0)
        .map(|g| Entry(key(g), g as u32))
        .collect();
    let mut out = Vec::with_capacity(n);
    while let Some(Entry(_, g)) = heap.pop() {
        out.push(GroupIx(g));
        for &s in succs.of(g as usize) {
            missing[s as usize] -= 1;
            if missing[s as usize] == 0 {
                heap.push(Entry(key(s as usize), s));
            }
        }
    }
    assert_eq!(
        out.len(),
        n,
        "scheduling problem: the groups' precedences form a cycle"
    );
    out
}

/// Per-group figures the rules are made of.
#[derive(Debug, Clone)]
pub(crate) struct GroupFacts {
    /// Earliest latest-finish over the group's activities (critical path,
    /// tightened by milestone deadlines), in days.
    pub lf: Vec<f64>,
    /// Earliest latest-start over the group's activities.
    pub ls: Vec<f64>,
    /// Milestone weight this group and its successors carry, per day of
    /// the group's own work (Smith's ratio rule for weighted completion).
    pub density: Vec<f64>,
    /// Work of the group and of its direct successor groups.
    pub rank_weight: Vec<f64>,
}

impl GroupFacts {
    pub(crate) fn new(eng: &Engine) -> GroupFacts {
        let p = eng.p;
        let n = p.activities.len();
        let g = p.groups.len();
        let dur = |i: usize| p.activities[i].duration.max(0) as i64;
        // Activities in a precedence-feasible order: groups topologically,
        // each group's activities as listed.
        let gorder = topo_by_key(&eng.group_succs, &eng.group_preds, |_| Key(0.0, 0.0));
        let order: Vec<usize> = gorder
            .iter()
            .flat_map(|&gi| p.groups[gi.ix()].activities.iter().map(|a| a.ix()))
            .collect();
        let mut es = vec![0i64; n];
        for &i in &order {
            let mut t = p.activities[i].release as i64;
            for &(q, lag) in eng.preds.of(i) {
                let q = q as usize;
                let start = match p.activities[q].fixed {
                    Some(f) => f.finish as i64 + 1,
                    None => es[q] + dur(q),
                };
                t = t.max(start + lag as i64);
            }
            es[i] = match p.activities[i].fixed {
                Some(f) => f.start as i64,
                None => t,
            };
        }
        let end = (0..n).map(|i| es[i] + dur(i)).max().unwrap_or(0);
        let mut lf = vec![end; n];
        for m in &p.objective.milestones {
            if let Some(d) = m.deadline {
                for a in &m.activities {
                    lf[a.ix()] = lf[a.ix()].min(d as i64 + 1);
                }
            }
        }
        for &i in order.iter().rev() {
            for &(s, lag) in eng.succs.of(i) {
                let s = s as usize;
                lf[i] = lf[i].min(lf[s] - dur(s) - lag as i64);
            }
        }
        let mut facts = GroupFacts {
            lf: vec![f64::INFINITY; g],
            ls: vec![f64::INFINITY; g],
            density: vec![0.0; g],
            rank_weight: vec![0.0; g],
        };
        let mut work = vec![0.0f64; g];
        for (gi, grp) in p.groups.iter().enumerate() {
            for a in &grp.activities {
                let i = a.ix();
                facts.lf[gi] = facts.lf[gi].min(lf[i] as f64);
                facts.ls[gi] = facts.ls[gi].min((lf[i] - dur(i)) as f64);
                work[gi] += dur(i) as f64;
            }
        }
        let mut weight = vec![0.0f64; g];
        for m in &p.objective.milestones {
            let mut gs: Vec<usize> = m
                .activities
                .iter()
                .map(|a| p.activities[a.ix()].group.ix())
                .collect();
            gs.sort_unstable();
            gs.dedup();
            for gi in gs {
                weight[gi] += m.weight;
            }
        }
        // A group inherits the largest weight waiting on it downstream.
        for &gi in gorder.iter().rev() {
            let gi = gi.ix();
            for &s in eng.group_succs.of(gi) {
                weight[gi] = weight[gi].max(weight[s as usize]);
            }
            facts.density[gi] = weight[gi] / work[gi].max(1.0);
            facts.rank_weight[gi] = work[gi]
                + eng
                    .group_succs
                    .of(gi)
                    .iter()
                    .map(|&s| work[s as usize])
                    .sum::<f64>();
        }
        facts
    }
}

/// The priority rules the search starts from, best first for the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Latest finish first (deadlines tighten it), heavier work first on ties.
    Lft,
    /// Latest start first.
    Lst,
    /// Heaviest milestone weight per day of work first.
    Weight,
    /// Greatest rank positional weight first.
    Grpw,
}

pub(crate) const RULES: [Rule; 4] = [Rule::Lft, Rule::Lst, Rule::Weight, Rule::Grpw];

impl Rule {
    pub(crate) fn key(self, f: &GroupFacts, g: usize) -> Key {
        match self {
            Rule::Lft => Key(f.lf[g], -f.density[g]),
            Rule::Lst => Key(f.ls[g], f.lf[g]),
            Rule::Weight => Key(-f.density[g], f.lf[g]),
            Rule::Grpw => Key(-f.rank_weight[g], f.lf[g]),
        }
    }
}
