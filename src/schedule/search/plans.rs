//! The plans' search: whole sites, in the order the plan's objective asks
//! for, then improved by moving whole sites in the list.
//!
//! A group is a site (or sites tied in a cycle): its work is worth money
//! only when all of it is done, so the search decides whole sites, never
//! single tasks. It starts from lists that take the most sensitive sites
//! first (`tiers_first`; deadlines first for `fewest_late`, weight per day
//! of work for `least_exposure`), smaller ones first among equals, so that
//! early money and crew time go where a miss would count most, and from
//! the classic priority rules. Then, while schedules last, it moves one
//! site at a time: a late site of the most sensitive class that has late
//! sites is pulled ahead in the list, or a site that is not late is pushed
//! behind one that is (it gives up money and crews it can spare). A move
//! is kept when the schedule is no worse by the objective (equal ones too,
//! so the search drifts across plateaus). Each move is one pass.
//!
//! With a time limit the search runs by the clock: it keeps moving sites
//! until the limit, whatever the effort.

use super::super::problem::*;
use super::super::rules::{topo_by_key, Key, RULES};
use super::super::sgs::{Csr, State};
use super::member::{beats, cmp, no_worse};
use super::money;
use super::options::Phase;
use super::Search;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Per group, what the plans' search orders by and reads back.
struct Sites {
    /// The most sensitive class among its milestones (`classes` when it
    /// has none).
    class: Vec<u32>,
    /// Its earliest milestone deadline (`Time::MAX` when none).
    deadline: Vec<Time>,
    /// Working days of its work (a site's size).
    work: Vec<f64>,
    /// Its money (activity costs; crews' day rates come on top).
    cost: Vec<f64>,
    /// Its milestones' weight (tier weight x devices: within a class,
    /// its devices to scale).
    weight: Vec<f64>,
    /// Milestone weight per day of its work.
    density: Vec<f64>,
    /// The group of each milestone.
    milestone_group: Vec<usize>,
}

impl Sites {
    fn new(p: &Problem) -> Sites {
        let g = p.groups.len();
        let classes = p.objective.classes as u32;
        let mut s = Sites {
            class: vec![classes; g],
            deadline: vec![Time::MAX; g],
            work: vec![0.0; g],
            cost: vec![0.0; g],
            weight: vec![0.0; g],
            density: vec![0.0; g],
            milestone_group: Vec::with_capacity(p.objective.milestones.len()),
        };
        for (gi, grp) in p.groups.iter().enumerate() {
            for a in &grp.activities {
                let a = &p.activities[a.ix()];
                if a.kind == DurationKind::Working {
                    s.work[gi] += a.duration.max(0) as f64;
                }
                s.cost[gi] += a.cost.0 as f64;
            }
        }
        for m in &p.objective.milestones {
            let gi = m
                .activities
                .first()
                .map_or(0, |a| p.activities[a.ix()].group.ix());
            s.milestone_group.push(gi);
            s.class[gi] = s.class[gi].min(m.class);
            if let Some(d) = m.deadline {
                s.deadline[gi] = s.deadline[gi].min(d);
            }
            s.weight[gi] += m.weight;
        }
        for gi in 0..g {
            s.density[gi] = s.weight[gi] / s.work[gi].max(1.0);
        }
        s
    }

    /// The sort key of group `g` for an objective, sizes compared by
    /// `size` (smaller first).
    fn key(&self, kind: ObjectiveKind, size: &[f64], g: usize) -> Key {
        let deadline = if self.deadline[g] == Time::MAX {
            1e7
        } else {
            self.deadline[g] as f64
        };
        match kind {
            ObjectiveKind::TiersFirst => Key(self.class[g] as f64 * 1e8 + deadline, size[g]),
            ObjectiveKind::FewestLate => Key(deadline, size[g]),
            ObjectiveKind::LeastExposure => Key(-self.density[g], deadline),
        }
    }
}

/// A schedule's standing, site by site: which groups are late or
/// unscheduled.
struct Standing {
    /// Per group: 0 on time (or no deadline), 1 late, 2 unscheduled.
    state: Vec<u8>,
    /// The groups with removal work that a missed target counts on and
    /// that does not finish by the target's day (key 1b).
    short: Vec<usize>,
}

impl Search<'_> {
    /// The plans' search (see the module's doc).
    pub(super) fn plan(&mut self) {
        let p = self.fwd.p;
        let sites = Sites::new(p);
        let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
        self.by_clock = self.opts.time_limit.is_some();
        let (mut cur, mut cur_sc) = self.plan_starts(&sites);
        if cur_sc.unscheduled_weight > 0.0 {
            // Money runs out: misses a start saved against the greedy are
            // not given back to a less sensitive tier (nor to devices left
            // with no date, key 1) by the moves.
            for (k, most) in self.cap.iter_mut().enumerate() {
                if let Some(c) = cur_sc.classes.get(k) {
                    *most = (*most).min(c.late + c.unscheduled);
                }
            }
        }
        self.phase = Phase::Improve;
        let n = cur.len();
        if n < 2 || self.left() == 0 {
            return;
        }
        // One more pass, so that `self.st` holds the start's schedule.
        self.forward(&cur);
        let mut standing = self.standing(&sites, &self.st);
        let mut pos = positions(&cur);
        let (mut idle, mut stall) = (0, 0);
        while self.left() > 0 && idle < IDLE_TRIES {
            if stall >= STALL {
                // A local optimum: kick it (a few moves taken unseen) and
                // climb again; the best schedule so far is kept apart.
                stall = 0;
                let mut next = cur.clone();
                for _ in 0..KICK {
                    let moved = self.site_move(&sites, &standing, &next, &pos, &cur_sc, &mut rng);
                    if let Some(m) = moved {
                        next = m;
                        pos = positions(&next);
                    }
                }
                cur_sc = self.forward(&next);
                cur = next;
                standing = self.standing(&sites, &self.st);
                pos = positions(&cur);
                continue;
            }
            let Some(next) = self.site_move(&sites, &standing, &cur, &pos, &cur_sc, &mut rng)
            else {
                idle += 1;
                continue;
            };
            idle = 0;
            let sc = self.forward(&next);
            stall += 1;
            if self.within_cap(&sc) && no_worse(&sc, &cur_sc) {
                if cmp(&sc, &cur_sc).is_lt() {
                    stall = 0;
                }
                standing = self.standing(&sites, &self.st);
                cur = next;
                cur_sc = sc;
                pos = positions(&cur);
            }
        }
    }

    /// The starting lists: whole sites in the objective's order, smaller
    /// sites first. The first, by devices, is the whole-site greedy of
    /// `benches/quality` under `tiers_first`; the others, by devices, by
    /// work and by money, give a site that others wait for the rank of
    /// the most urgent site waiting for it (else a tier-1 site that waits
    /// for a tier-4 one waits with it for the tier-4 sites' turn, when
    /// the money may be gone). Then the classic rules. Returns the best
    /// list and its score; a later list replaces an earlier one only
    /// when it `beats` it, so the search starts no worse than the first.
    fn plan_starts(&mut self, sites: &Sites) -> (Vec<GroupIx>, Score) {
        let kind = self.fwd.p.objective.kind;
        let (succs, preds) = (&self.fwd.group_succs, &self.fwd.group_preds);
        let greedy: Vec<Key> = (0..succs.nodes())
            .map(|g| sites.key(kind, &sites.weight, g))
            .collect();
        let mut lists = vec![topo_by_key(succs, preds, |g| greedy[g])];
        for size in [&sites.weight, &sites.work, &sites.cost] {
            let own: Vec<Key> = (0..succs.nodes())
                .map(|g| sites.key(kind, size, g))
                .collect();
            let keys = inherited(succs, preds, &lists[0], own);
            let list = topo_by_key(succs, preds, |g| keys[g]);
            // Without sites that wait for others the first is the greedy.
            if !lists.contains(&list) {
                lists.push(list);
            }
        }
        let f = &self.facts;
        for rule in RULES {
            lists.push(topo_by_key(
                &self.fwd.group_succs,
                &self.fwd.group_preds,
                |g| rule.key(f, g),
            ));
        }
        let first = lists[0].clone();
        let mut best: Option<(Vec<GroupIx>, Score)> = None;
        let mut k = 0;
        while k < lists.len() {
            if best.is_some() && self.left() == 0 {
                break;
            }
            let list = std::mem::take(&mut lists[k]);
            k += 1;
            let sc = self.forward(&list);
            if best.is_none() && sc.unscheduled_weight > 0.0 {
                // Money runs out before the work does: which sites of a
                // class are on time is a question of money by deadline.
                lists.extend(self.money_starts(sites, &greedy, &first, &sc));
            }
            if best.is_none() && kind == ObjectiveKind::TiersFirst {
                // No class but the least sensitive misses more sites
                // than the greedy does: the least sensitive takes what
                // is left.
                let n = sc.classes.len().saturating_sub(1);
                self.cap = sc.classes[..n]
                    .iter()
                    .map(|c| c.late + c.unscheduled)
                    .collect();
                self.cap_targets = (sc.targets_missed, sc.target_shortfall);
                self.best_under_cap = self.best.clone();
            }
            if best
                .as_ref()
                .is_none_or(|(_, b)| self.within_cap(&sc) && beats(&sc, b))
            {
                best = Some((list, sc));
            }
        }
        let (best, best_sc) = best.expect("at least one list");
        if best_sc.targets_missed == 0 || self.left() == 0 {
            return (best, best_sc);
        }
        // Meet the targets from the tier order, not from whichever list
        // came nearest to meeting them.
        let greedy = first.clone();
        let greedy_sc = self.forward(&greedy);
        let (list, sc) = self.target_starts(sites, (greedy, greedy_sc));
        if self.within_cap(&sc) && beats(&sc, &best_sc) {
            (list, sc)
        } else {
            (best, best_sc)
        }
    }

    /// Under `tiers_first` with a budget, the money-aware lists of
    /// `money::keys`: each class's sites that the money by their deadlines
    /// can pay for first, cheapest first, then the rest of the class in
    /// the greedy's order (`greedy`, its keys), or cheapest first.
    fn money_starts(
        &self,
        sites: &Sites,
        greedy: &[Key],
        first: &[GroupIx],
        first_sc: &Score,
    ) -> Vec<Vec<GroupIx>> {
        let p = self.fwd.p;
        if p.objective.kind != ObjectiveKind::TiersFirst {
            return Vec::new();
        }
        let (succs, preds) = (&self.fwd.group_succs, &self.fwd.group_preds);
        let cost = money::least_costs(p);
        let mut out: Vec<Vec<GroupIx>> = Vec::new();
        for tail in [money::Tail::Base, money::Tail::Cheapest] {
            let keys = money::keys(p, &sites.class, &sites.deadline, &cost, greedy, tail, None);
            if let Some(keys) = keys {
                let list = topo_by_key(succs, preds, |g| keys[g]);
                if !out.contains(&list) {
                    out.push(list);
                }
            }
        }
        // Each class but the last keeps one site more on time than the
        // greedy where the greedy misses any, its cheapest counting what
        // it waits for in less sensitive classes; the money of the rest
        // goes to the next class first.
        let waiting = money::with_waits(&sites.class, &cost, preds, first);
        let classes = first_sc.classes.len();
        let mut size = vec![0usize; classes];
        for &c in &sites.class {
            if let Some(n) = size.get_mut(c as usize) {
                *n += 1;
            }
        }
        let quota: Vec<usize> = (0..classes.saturating_sub(1))
            .map(|c| {
                let miss = (first_sc.classes[c].late + first_sc.classes[c].unscheduled) as usize;
                if miss == 0 {
                    usize::MAX
                } else {
                    size[c].saturating_sub(miss) + 1
                }
            })
            .collect();
        if quota.iter().any(|&q| q < usize::MAX) {
            let keys = money::keys(
                p,
                &sites.class,
                &sites.deadline,
                &waiting,
                greedy,
                money::Tail::Base,
                Some(&quota),
            );
            if let Some(keys) = keys {
                let keys = inherited(succs, preds, first, keys);
                let list = topo_by_key(succs, preds, |g| keys[g]);
                if !out.contains(&list) {
                    out.push(list);
                }
            }
        }
        out
    }

    /// When the best start misses a public target (key 1b), lists that
    /// bring forward just enough of the sites the target counts on that
    /// finish after its day, those that remove the most devices for their
    /// money first: to just before the first site in the list that
    /// finishes after the day (the sites before it keep their places), or
    /// failing that to the head of the list; while it is still missed,
    /// twice as many, and so on. The tier order of the rest is kept, so the
    /// moves then win back what deadlines they can.
    fn target_starts(
        &mut self,
        sites: &Sites,
        (mut list, mut sc): (Vec<GroupIx>, Score),
    ) -> (Vec<GroupIx>, Score) {
        let (mut scale, mut at_cut) = (1.0, true);
        // Two passes a round: the list's schedule to read, and the repair.
        while sc.targets_missed > 0 && self.left() >= 2 {
            self.forward(&list);
            let mut keys: Vec<Key> = vec![Key(0.0, 0.0); list.len()];
            for (k, g) in list.iter().enumerate() {
                keys[g.ix()] = Key(k as f64, 0.0);
            }
            let ahead = self.short_sites(sites, &list, scale);
            for (k, (g, cut)) in ahead.into_iter().enumerate() {
                let at = if at_cut { cut as f64 - 0.5 } else { -1.0 };
                keys[g] = Key(at, k as f64);
            }
            let (succs, preds) = (&self.fwd.group_succs, &self.fwd.group_preds);
            let keys = inherited(succs, preds, &list, keys);
            let next = topo_by_key(succs, preds, |g| keys[g]);
            let next_sc = self.forward(&next);
            if self.within_cap(&next_sc) && beats(&next_sc, &sc) {
                (list, sc) = (next, next_sc);
            } else if scale < TARGET_SCALE {
                scale *= 2.0;
            } else if at_cut {
                (scale, at_cut) = (1.0, false);
            } else {
                break;
            }
        }
        (list, sc)
    }

    /// For each target the schedule in `self.st` (of `list`) misses,
    /// earliest first: the sites it counts on that do not finish by its
    /// day, fewest pounds (else working days) per device first, enough of
    /// them to make up `scale` times its shortfall; each with the place in
    /// `list` of the first site that finishes after the day.
    fn short_sites(&self, sites: &Sites, list: &[GroupIx], scale: f64) -> Vec<(usize, usize)> {
        let p = self.fwd.p;
        let mut targets: Vec<&TargetGoal> = p.objective.targets.iter().collect();
        targets.sort_by_key(|t| t.by);
        let mut finish = vec![Time::MIN; p.groups.len()];
        for (a, r) in self.st.result.iter().enumerate() {
            let g = p.activities[a].group.ix();
            finish[g] = finish[g].max(match r {
                Some(Ok(pl)) => pl.finish,
                _ => Time::MAX,
            });
        }
        let mut chosen = vec![false; p.groups.len()];
        let mut out = Vec::new();
        for t in targets {
            let done =
                |a: ActIx| matches!(self.st.result[a.ix()], Some(Ok(pl)) if pl.finish <= t.by);
            let removed: u64 = t.packages.iter().filter(|p| done(p.0)).map(|p| p.1).sum();
            if removed >= t.required {
                continue;
            }
            let cut = list
                .iter()
                .position(|g| finish[g.ix()] > t.by)
                .unwrap_or(list.len());
            let mut devices = vec![0u64; p.groups.len()];
            for &(a, d) in t.packages.iter().filter(|p| !done(p.0)) {
                devices[p.activities[a.ix()].group.ix()] += d;
            }
            // A site at the cut would not move.
            let mut short: Vec<usize> = (0..devices.len())
                .filter(|&g| {
                    devices[g] > 0 && !chosen[g] && list.get(cut) != Some(&GroupIx(g as u32))
                })
                .collect();
            let per_device = |g: usize| {
                let d = devices[g] as f64;
                Key(sites.cost[g] / d, sites.work[g] / d)
            };
            short.sort_by(|&a, &b| {
                let (x, y) = (per_device(a), per_device(b));
                x.0.total_cmp(&y.0)
                    .then(x.1.total_cmp(&y.1))
                    .then(a.cmp(&b))
            });
            let mut want = ((t.required - removed) as f64 * scale).ceil() as u64;
            for g in short {
                if want == 0 {
                    break;
                }
                want = want.saturating_sub(devices[g]);
                chosen[g] = true;
                out.push((g, cut));
            }
        }
        out
    }

    /// Which groups the schedule `st` leaves late or unscheduled.
    fn standing(&self, sites: &Sites, st: &State) -> Standing {
        let p = self.fwd.p;
        let mut state = vec![0u8; p.groups.len()];
        for (m, &g) in p.objective.milestones.iter().zip(&sites.milestone_group) {
            let mut day = Time::MIN;
            for a in &m.activities {
                match st.result[a.ix()] {
                    Some(Ok(pl)) => day = day.max(pl.finish),
                    _ => {
                        day = Time::MAX;
                        break;
                    }
                }
            }
            let s = if day == Time::MAX {
                2
            } else if m.deadline.is_some_and(|d| day > d) {
                1
            } else {
                0
            };
            state[g] = state[g].max(s);
        }
        let mut short = Vec::new();
        let mut seen = vec![false; p.groups.len()];
        for t in &p.objective.targets {
            let done = |a: ActIx| matches!(st.result[a.ix()], Some(Ok(pl)) if pl.finish <= t.by);
            let removed: u64 = t.packages.iter().filter(|p| done(p.0)).map(|p| p.1).sum();
            if removed >= t.required {
                continue;
            }
            for &(a, _) in t.packages.iter().filter(|p| !done(p.0)) {
                let g = p.activities[a.ix()].group.ix();
                if !std::mem::replace(&mut seen[g], true) {
                    short.push(g);
                }
            }
        }
        Standing { state, short }
    }

    /// One move of a whole site in `cur` (see the module's doc); `None`
    /// when the move drawn cannot be made (precedences), or nothing is
    /// late or unscheduled and the objective has nothing else a move
    /// could gain.
    fn site_move(
        &self,
        sites: &Sites,
        st: &Standing,
        cur: &[GroupIx],
        pos: &[usize],
        sc: &Score,
        rng: &mut ChaCha8Rng,
    ) -> Option<Vec<GroupIx>> {
        // The sites to help. Under `tiers_first`, one class's losses:
        // the most sensitive class with sites late or unscheduled half
        // the time, the next a quarter, and so on (every class gets
        // moves, so a site no move can help does not stall the others);
        // within it its unscheduled sites half the time, when it has
        // any, else its late ones. Under the other objectives the
        // unscheduled sites half the time, else the late ones.
        let focus_class = match sc.kind {
            ObjectiveKind::TiersFirst => {
                let losing: Vec<usize> = (0..sc.classes.len())
                    .filter(|&c| sc.classes[c].late > 0 || sc.classes[c].unscheduled_weight > 0.0)
                    .collect();
                let mut k = 0;
                while k + 1 < losing.len() && rng.gen_bool(0.5) {
                    k += 1;
                }
                losing.get(k).copied()
            }
            _ => None,
        };
        let in_focus = |g: usize| focus_class.is_none_or(|c| sites.class[g] as usize == c);
        // A missed target comes before any late site (key 1b): half the
        // moves then help a site whose removal it counts on.
        if !st.short.is_empty() && rng.gen_bool(0.5) {
            let g = st.short[rng.gen_range(0..st.short.len())];
            return self.help(sites, st, cur, pos, g, rng);
        }
        let unscheduled: Vec<usize> = (0..cur.len())
            .filter(|&g| st.state[g] == 2 && in_focus(g))
            .collect();
        let wanted: Vec<usize> = if !unscheduled.is_empty() && rng.gen_bool(0.5) {
            unscheduled
        } else {
            let late: Vec<usize> = (0..cur.len())
                .filter(|&g| st.state[g] == 1 && in_focus(g))
                .collect();
            if late.is_empty() {
                unscheduled
            } else {
                late
            }
        };
        let g = if wanted.is_empty() {
            // Nothing late: pull a random site ahead, for exposure.
            if sc.exposure == 0.0 {
                return None;
            }
            rng.gen_range(0..cur.len())
        } else {
            wanted[rng.gen_range(0..wanted.len())]
        };
        self.help(sites, st, cur, pos, g, rng)
    }

    /// One move that helps group `g` in `cur`: pull it ahead, or push a
    /// site ahead of it that is on time behind it.
    fn help(
        &self,
        sites: &Sites,
        st: &Standing,
        cur: &[GroupIx],
        pos: &[usize],
        g: usize,
        rng: &mut ChaCha8Rng,
    ) -> Option<Vec<GroupIx>> {
        let eng = &self.fwd;
        let from = pos[g];
        let lo = eng
            .group_preds
            .of(g)
            .iter()
            .map(|&q| pos[q as usize] + 1)
            .max()
            .unwrap_or(0);
        let mut list = cur.to_vec();
        if rng.gen_bool(0.5) && lo < from {
            // Pull it ahead: to a random place, or just before a random
            // site ahead of it that is on time, nearer places likelier.
            let span = from - lo;
            let back = 1 + (span as f64 * rng.gen_range(0.0f64..1.0).powi(2)) as usize;
            let to = from - back.min(span);
            let moved = list.remove(from);
            list.insert(to, moved);
            return Some(list);
        }
        // Push a site ahead of it that is not late, and no more sensitive,
        // to just behind it (before its own successors).
        let ahead: Vec<usize> = (0..from)
            .map(|k| cur[k].ix())
            .filter(|&h| st.state[h] == 0 && sites.class[h] >= sites.class[g])
            .collect();
        if ahead.is_empty() {
            if lo < from {
                let moved = list.remove(from);
                list.insert(rng.gen_range(lo..from), moved);
                return Some(list);
            }
            return None;
        }
        let h = ahead[rng.gen_range(0..ahead.len())];
        let hi = eng
            .group_succs
            .of(h)
            .iter()
            .map(|&q| pos[q as usize])
            .min()
            .unwrap_or(cur.len());
        // After removing `h` (before `g`), `g` sits at `from - 1`.
        let to = (from + rng.gen_range(0..=2)).min(hi.saturating_sub(1));
        if to <= pos[h] {
            return None;
        }
        let moved = list.remove(pos[h]);
        list.insert(to.min(list.len()), moved);
        Some(list)
    }
}

/// Moves drawn in a row that could not be made before the search stops
/// (nothing left that a move could help).
const IDLE_TRIES: u32 = 200;

/// Moves in a row with no gain before the search kicks its schedule out
/// of the local optimum, and the moves of a kick.
const STALL: u32 = 100;
const KICK: u32 = 8;

/// How many times its shortfall `target_starts` brings forward at most,
/// in each of its two places.
const TARGET_SCALE: f64 = 4.0;

/// `keys` with each group's key lowered to the smallest key of the
/// groups that wait for it, directly or not; `topo` lists the groups in
/// an order that respects their precedences.
fn inherited(succs: &Csr<u32>, preds: &Csr<u32>, topo: &[GroupIx], mut keys: Vec<Key>) -> Vec<Key> {
    debug_assert_eq!(topo.len(), preds.nodes());
    for g in topo.iter().rev().map(|g| g.ix()) {
        for &s in succs.of(g) {
            let k = keys[s as usize];
            if k.0
                .total_cmp(&keys[g].0)
                .then(k.1.total_cmp(&keys[g].1))
                .is_lt()
            {
                keys[g] = k;
            }
        }
    }
    keys
}

/// Each group's position in `list`.
fn positions(list: &[GroupIx]) -> Vec<usize> {
    let mut pos = vec![0; list.len()];
    for (k, g) in list.iter().enumerate() {
        pos[g.ix()] = k;
    }
    pos
}
