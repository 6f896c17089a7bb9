//! Ordering helpers: group lists by time with precedence repair, group
//! extents of a schedule, and the reusable working memory they share.

use super::super::problem::*;
use super::super::sgs::{Engine, State};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub(super) fn positions(list: &[GroupIx]) -> Vec<usize> {
    let mut pos = Vec::new();
    positions_into(list, &mut pos);
    pos
}

/// Each group's position in `list`, into `pos`.
pub(super) fn positions_into(list: &[GroupIx], pos: &mut Vec<usize>) {
    refill(pos, list.len(), 0);
    for (k, g) in list.iter().enumerate() {
        pos[g.ix()] = k;
    }
}

/// `v` as `len` copies of `x`, in the memory it already has.
pub(super) fn refill<T: Copy>(v: &mut Vec<T>, len: usize, x: T) -> &mut [T] {
    v.clear();
    v.resize(len, x);
    v
}

/// `v` holding `items`, in the memory it already has.
pub(super) fn refill_from<T>(v: &mut Vec<T>, items: impl IntoIterator<Item = T>) -> &mut [T] {
    v.clear();
    v.extend(items);
    v
}

/// Working memory of the ordering steps, which run once or twice per
/// child: kept from child to child rather than allocated anew
/// (docs/performance.md).
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) keys: Vec<i64>,
    pub(super) pos: Vec<usize>,
    pub(super) sort: SortScratch,
    pub(super) repair: RepairScratch,
    pub(super) peak: PeakScratch,
}

#[derive(Default)]
pub(super) struct SortScratch {
    pub(super) bucket: Vec<u32>,
    pub(super) start: Vec<u32>,
}

#[derive(Default)]
pub(super) struct RepairScratch {
    /// Per group: taken into the repaired list.
    pub(super) taken: Vec<bool>,
    /// Per group: its position in the sorted list while it waits for a
    /// predecessor, else `NOT_WAITING`.
    pub(super) waiting: Vec<u32>,
    /// Waiting groups whose predecessors are all taken, by position.
    pub(super) freed: BinaryHeap<Reverse<(u32, GroupIx)>>,
}

#[derive(Default)]
pub(super) struct PeakScratch {
    pub(super) diff: Vec<f64>,
    pub(super) cum: Vec<f64>,
    pub(super) part: Vec<u8>,
}

/// Where the times given to `order_by` come from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Times {
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
/// repair pass is then skipped.
pub(super) fn order_by(
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
pub(super) fn sort_by_time(list: &[GroupIx], keys: &[i64], sc: &mut SortScratch) -> Vec<GroupIx> {
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
/// precedences, so keeping a count of missing predecessors for every
/// group would cost more than the repair itself.
pub(super) fn in_precedence_order(
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
pub(super) const NOT_WAITING: u32 = u32::MAX;

/// Per group, the first start and last finish of its activities (`None`
/// when the group failed).
pub(super) fn group_extent(eng: &Engine, st: &State) -> Vec<Option<(Time, Time)>> {
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
