use super::crossover::*;
use super::makespan::*;
use super::member::*;
use super::order::*;
use super::*;
use crate::schedule::rules::{topo_by_key, Key};
use rand::SeedableRng;

/// Jobs 0 (source) and 5 (sink), 1 → 3, the rest free.
fn engine_problem() -> Problem {
    let succ = [vec![1, 2, 3, 4], vec![3], vec![5], vec![5], vec![5], vec![]];
    one_pool(&[0, 2, 2, 2, 2, 0], &[0, 1, 1, 1, 1, 0], &succ, 2)
}

/// Jobs with the given durations and demands on a single pool.
fn one_pool(durations: &[i32], demands: &[i32], succ: &[Vec<usize>], capacity: i32) -> Problem {
    let demands: Vec<Vec<i32>> = demands.iter().map(|&q| vec![q]).collect();
    Problem::single_mode(durations, &demands, succ, &[capacity])
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
    let succ = [
        vec![1, 3, 6],
        vec![2],
        vec![7],
        vec![4],
        vec![5],
        vec![7],
        vec![7],
        vec![],
    ];
    one_pool(
        &[0, 0, 2, 0, 0, 1, 3, 0],
        &[0, 0, 2, 0, 1, 1, 1, 0],
        &succ,
        2,
    )
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
    let pop = vec![
        member(&[0, 1, 2, 3, 4, 5], 5.0),
        member(&[0, 2, 1, 3, 4, 5], 3.0),
    ];
    // As good as the worst: not admitted.
    assert!(!admits(&pop, 0, &member(&[0, 3, 2, 1, 4, 5], 5.0)));
    // Better on the tie measure: admitted.
    assert!(admits(&pop, 0, &member(&[0, 3, 2, 1, 4, 5], 1.0)));
    // A duplicate of a member's schedule never is.
    assert!(!admits(&pop, 0, &member(&[0, 2, 1, 3, 4, 5], 0.0)));
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
