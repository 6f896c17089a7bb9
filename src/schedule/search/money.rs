//! Money-aware starting lists for the plans' search: which sites of a
//! class can be on time is decided by the money of the budget periods up
//! to their deadlines, so each class's sites are chosen the way Moore and
//! Hodgson choose jobs: taken by deadline, and whenever the sites taken
//! cost more than the money by the latest deadline among them (after the
//! more sensitive classes' share), the most expensive is dropped. The
//! sites kept go first, in deadline order and cheapest first; the dropped
//! ones follow them (they are still done, later, with later money).
//! Crews and calendars are not looked at here: the pass that schedules
//! the list does that, and the search keeps the list only when its
//! schedule is better.

use super::super::problem::*;
use super::super::rules::Key;
use super::super::sgs::Csr;

/// Per group, its least cost in cents: its activities' costs plus, for
/// crew work, the cheapest eligible crew's day rate for its working days.
pub(super) fn least_costs(p: &Problem) -> Vec<f64> {
    let mut cost = vec![0.0; p.groups.len()];
    for a in &p.activities {
        let mut c = a.cost.0 as f64;
        let rate = a
            .units
            .iter()
            .map(|u| p.units[u.ix()].day_rate.0 as f64)
            .fold(f64::INFINITY, f64::min);
        if rate.is_finite() && a.kind == DurationKind::Working {
            c += rate * a.duration.max(0) as f64;
        }
        cost[a.group.ix()] += c;
    }
    cost
}

/// Per group, `cost` plus the cost of every group of a less sensitive
/// class that it waits for, directly or not (those go ahead of it only
/// for its sake); `topo` lists the groups in an order that respects
/// `preds`.
pub(super) fn with_waits(
    class: &[u32],
    cost: &[f64],
    preds: &Csr<u32>,
    topo: &[GroupIx],
) -> Vec<f64> {
    let mut out = cost.to_vec();
    // Ancestors are few (a dependency per fifty sites in generated
    // plans): collect each group's once, through its predecessors'.
    let mut ancestors: Vec<Vec<u32>> = vec![Vec::new(); cost.len()];
    for g in topo.iter().map(|g| g.ix()) {
        let mut mine: Vec<u32> = Vec::new();
        for &q in preds.of(g) {
            mine.push(q);
            mine.extend_from_slice(&ancestors[q as usize]);
        }
        mine.sort_unstable();
        mine.dedup();
        out[g] += mine
            .iter()
            .filter(|&&q| class[q as usize] > class[g])
            .map(|&q| cost[q as usize])
            .sum::<f64>();
        ancestors[g] = mine;
    }
    out
}

/// How the dropped sites of a class follow its kept ones.
#[derive(Debug, Clone, Copy)]
pub(super) enum Tail {
    /// In the order of `base` (the greedy's key).
    Base,
    /// Cheapest first, so that as many as money allows are done at all.
    Cheapest,
}

/// Sort keys (smaller first) for the money-aware list: per class from the
/// most sensitive, the sites Moore and Hodgson keep on time by the money
/// of the periods up to their deadlines, then the rest of the class as
/// `tail` says; groups with no class last, in `base`'s order. With a
/// `quota` per class, a class keeps at most that many (its cheapest) and
/// the others it would have kept follow the next class's kept sites, so
/// that their money goes to the next class first. `None` without a
/// budget.
pub(super) fn keys(
    p: &Problem,
    class: &[u32],
    deadline: &[Time],
    cost: &[f64],
    base: &[Key],
    tail: Tail,
    quota: Option<&[usize]>,
) -> Option<Vec<Key>> {
    let rule = p.budget.as_ref()?;
    let money = |d: Time| rule.money_by(d);
    let classes = p.objective.classes as u32;
    let n = class.len();
    // The money the kept sites of the classes done so far commit, by
    // deadline.
    let mut spent: Vec<(Time, f64)> = Vec::new();
    let mut keys = vec![Key(0.0, 0.0); n];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp_key(base[a], base[b]).then(a.cmp(&b)));
    let mut at = 0.0;
    let mut next = |g: usize, keys: &mut Vec<Key>| {
        keys[g] = Key(at, 0.0);
        at += 1.0;
    };
    // Kept by the class before but over its quota: after this class's
    // kept sites.
    let mut deferred: Vec<usize> = Vec::new();
    for c in 0..=classes {
        let mut own: Vec<usize> = order.iter().copied().filter(|&g| class[g] == c).collect();
        if c == classes {
            for g in deferred.drain(..).chain(own) {
                next(g, &mut keys);
            }
            break;
        }
        let by_deadline = |a: &usize, b: &usize| {
            deadline[*a]
                .cmp(&deadline[*b])
                .then(cost[*a].total_cmp(&cost[*b]))
                .then(a.cmp(b))
        };
        own.sort_by(by_deadline);
        let mut kept: Vec<usize> = Vec::new();
        let mut total = 0.0;
        for &g in &own {
            if deadline[g] == Time::MAX {
                continue;
            }
            kept.push(g);
            total += cost[g];
            let before: f64 = spent
                .iter()
                .filter(|s| s.0 <= deadline[g])
                .map(|s| s.1)
                .sum();
            if before + total > money(deadline[g]) {
                let k = (0..kept.len())
                    .max_by(|&x, &y| cost[kept[x]].total_cmp(&cost[kept[y]]))
                    .expect("one kept");
                total -= cost[kept[k]];
                kept.remove(k);
            }
        }
        let mut over: Vec<usize> = Vec::new();
        if let Some(&q) = quota.and_then(|q| q.get(c as usize)) {
            if kept.len() > q {
                let mut dear = kept.clone();
                dear.sort_by(|&a, &b| cost[b].total_cmp(&cost[a]).then(b.cmp(&a)));
                dear.truncate(kept.len() - q);
                kept.retain(|g| !dear.contains(g));
                over = dear;
            }
        }
        let mut is_kept = vec![false; n];
        for &g in kept.iter().chain(&over) {
            is_kept[g] = true;
        }
        for &g in &kept {
            spent.push((deadline[g], cost[g]));
            next(g, &mut keys);
        }
        for g in std::mem::replace(&mut deferred, over) {
            next(g, &mut keys);
        }
        let mut rest: Vec<usize> = own.into_iter().filter(|&g| !is_kept[g]).collect();
        match tail {
            Tail::Base => rest.sort_by(|&a, &b| cmp_key(base[a], base[b]).then(a.cmp(&b))),
            Tail::Cheapest => rest.sort_by(|&a, &b| cost[a].total_cmp(&cost[b]).then(a.cmp(&b))),
        }
        for g in rest {
            next(g, &mut keys);
        }
    }
    Some(keys)
}

fn cmp_key(a: Key, b: Key) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
}
