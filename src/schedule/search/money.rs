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
/// `tail` says; groups with no class last, in `base`'s order. `None`
/// without a budget.
pub(super) fn keys(
    p: &Problem,
    class: &[u32],
    deadline: &[Time],
    cost: &[f64],
    base: &[Key],
    tail: Tail,
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
    for c in 0..=classes {
        let mut own: Vec<usize> = order.iter().copied().filter(|&g| class[g] == c).collect();
        if c == classes {
            for g in own {
                keys[g] = Key(at, 0.0);
                at += 1.0;
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
        let mut is_kept = vec![false; n];
        for &g in &kept {
            is_kept[g] = true;
            spent.push((deadline[g], cost[g]));
            keys[g] = Key(at, 0.0);
            at += 1.0;
        }
        let mut rest: Vec<usize> = own.into_iter().filter(|&g| !is_kept[g]).collect();
        match tail {
            Tail::Base => rest.sort_by(|&a, &b| cmp_key(base[a], base[b]).then(a.cmp(&b))),
            Tail::Cheapest => rest.sort_by(|&a, &b| cost[a].total_cmp(&cost[b]).then(a.cmp(&b))),
        }
        for g in rest {
            keys[g] = Key(at, 0.0);
            at += 1.0;
        }
    }
    Some(keys)
}

fn cmp_key(a: Key, b: Key) -> std::cmp::Ordering {
    a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1))
}
