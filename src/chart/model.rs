//! What the charts are drawn from, read out of the timeline and the plan:
//! sites grouped by tier then region, their phases as date ranges, deadlines
//! and how many devices remain when. Plain data, unit-tested without drawing.

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

use super::text;
use crate::plan::{Phase, Plan};
use crate::timeline::{Status, Timeline};

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One bar of a site's row: the union of one phase's tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub phase: Phase,
    pub span: Span,
}

/// One site's row.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteLine {
    pub id: String,
    /// `ID · name`, cleaned; shortened only when drawn.
    pub label: String,
    pub devices: u64,
    pub bars: Vec<Bar>,
    /// The baseline's work for this site, merged, when re-planning.
    pub baseline: Vec<Span>,
    pub baseline_removal: Option<NaiveDate>,
    pub removal: Option<NaiveDate>,
    /// The site's deadline when it is its own (not its tier's).
    pub own_deadline: Option<NaiveDate>,
    pub late_days: i64,
    /// Its removal is unscheduled.
    pub unscheduled: bool,
    /// With risk: the removal complete in four samples out of five.
    pub p80: Option<NaiveDate>,
    /// With risk: on time in the plan, but less than 80 % likely to stay
    /// so; the chance it does.
    pub at_risk: Option<f64>,
}

/// Sites of one tier in one region (of one owner and one tier, when the
/// plan has owners), in plan order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Position of the tier in the plan (unknown tiers sort last).
    pub tier_ix: usize,
    pub tier: String,
    pub region: String,
    /// The owner's name (else ID) when the plan groups by owner; sites
    /// without an owner are grouped under "No owner".
    pub owner: Option<String>,
    pub sites: Vec<SiteLine>,
}

impl Group {
    /// `T1 · London`, or `Department of Defence · T1` by owner.
    pub fn label(&self) -> String {
        match &self.owner {
            Some(o) => format!("{o} · {}", self.tier),
            None => format!("{} · {}", self.tier, self.region),
        }
    }

    /// What a heavier rule between groups separates: the owner, else the
    /// tier.
    pub fn head(&self) -> (Option<&str>, usize) {
        match &self.owner {
            Some(o) => (Some(o.as_str()), usize::MAX),
            None => (None, self.tier_ix),
        }
    }
}

/// A dated vertical line with its label (deadlines, status date).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub day: NaiveDate,
    pub label: String,
    /// Tier position for colour; `None` for programme-wide lines.
    pub tier_ix: Option<usize>,
}

/// Groups of sites in tier order (as the plan lists tiers), then region
/// order (as the plan lists regions); when the plan has owners, in owner
/// order (as the plan lists them; sites without one last), then tier order.
/// Sites in plan order inside a group, so that a site keeps its row from
/// one re-plan to the next.
pub fn groups(plan: &Plan, tl: &Timeline, baseline: Option<&Timeline>) -> Vec<Group> {
    let tier_pos = positions(plan.tiers.iter().map(|t| t.id.as_str()));
    let region_pos = positions(plan.regions.iter().map(|r| r.id.as_str()));
    let by_owner = !plan.owners.is_empty();
    let owner_pos = positions(plan.owners.iter().map(|o| o.id.as_str()));
    let owner_name = |id: Option<&str>| -> String {
        let o = id.and_then(|id| plan.owners.iter().find(|o| o.id == id));
        match o {
            Some(o) => text::clean(o.name.as_deref().unwrap_or(&o.id)),
            None => "No owner".into(),
        }
    };
    let names: HashMap<&str, Option<&str>> = plan
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_deref()))
        .collect();
    let own_deadline: HashMap<&str, NaiveDate> = plan
        .sites
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.deadline?)))
        .collect();
    let mut tasks: HashMap<&str, Vec<&crate::timeline::TaskRow>> = HashMap::new();
    for t in &tl.tasks {
        tasks.entry(t.site.as_str()).or_default().push(t);
    }
    let base = baseline.map(work_by_site).unwrap_or_default();
    let base_removal: HashMap<&str, NaiveDate> = baseline
        .map(|b| {
            b.sites
                .iter()
                .filter_map(|s| Some((s.id.as_str(), s.removal_complete?)))
                .collect()
        })
        .unwrap_or_default();
    type Key = (usize, usize, usize, String, String);
    let mut out: BTreeMap<Key, Vec<SiteLine>> = BTreeMap::new();
    for s in &tl.sites {
        let tier_ix = *tier_pos.get(s.tier.as_str()).unwrap_or(&usize::MAX);
        let region_ix = *region_pos.get(s.region.as_str()).unwrap_or(&usize::MAX);
        let label = match names.get(s.id.as_str()).copied().flatten() {
            Some(n) => text::clean(&format!("{} · {}", s.id, n)),
            None => text::clean(&s.id),
        };
        let line = SiteLine {
            id: s.id.clone(),
            label,
            devices: s.devices,
            bars: bars(tasks.get(s.id.as_str()).map(Vec::as_slice).unwrap_or(&[])),
            baseline: base.get(s.id.as_str()).cloned().unwrap_or_default(),
            baseline_removal: base_removal.get(s.id.as_str()).copied(),
            removal: s.removal_complete,
            own_deadline: own_deadline.get(s.id.as_str()).copied(),
            late_days: s.late_days.unwrap_or(0),
            unscheduled: s.devices > 0 && s.removal_complete.is_none(),
            p80: None,
            at_risk: None,
        };
        let region_name = plan
            .regions
            .get(region_ix)
            .and_then(|r| r.name.clone())
            .unwrap_or_else(|| s.region.clone());
        let key = if by_owner {
            let o = s.owner.as_deref();
            let pos = o.and_then(|o| owner_pos.get(o).copied());
            (
                pos.unwrap_or(usize::MAX),
                tier_ix,
                0,
                s.tier.clone(),
                owner_name(o),
            )
        } else {
            (
                0,
                tier_ix,
                region_ix,
                s.tier.clone(),
                text::clean(&region_name),
            )
        };
        out.entry(key).or_default().push(line);
    }
    out.into_iter()
        .map(|((_, tier_ix, _, tier, name), sites)| Group {
            tier_ix,
            tier: text::clean(&tier),
            region: if by_owner {
                String::new()
            } else {
                name.clone()
            },
            owner: by_owner.then_some(name),
            sites,
        })
        .collect()
}

/// Adds what `schedule --risk` found to each site's line: its P80 removal
/// complete and whether it is at risk.
pub fn add_risk(groups: &mut [Group], risk: &crate::risk::Risk) {
    let by_id: HashMap<&str, &crate::risk::SiteRisk> =
        risk.sites.iter().map(|s| (s.id.as_str(), s)).collect();
    for line in groups.iter_mut().flat_map(|g| g.sites.iter_mut()) {
        if let Some(r) = by_id.get(line.id.as_str()) {
            line.p80 = r.p80;
            line.at_risk = r.at_risk.then(|| r.on_time_probability.unwrap_or(0.0));
        }
    }
}

fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

/// A site's scheduled tasks as one bar per phase and run of overlapping or
/// adjacent days (packages one after another make one bar).
pub fn bars(tasks: &[&crate::timeline::TaskRow]) -> Vec<Bar> {
    let mut by_phase: BTreeMap<Phase, Vec<Span>> = BTreeMap::new();
    for t in tasks {
        if let (Some(from), Some(to), Some(phase)) = (t.start, t.finish, Phase::parse(&t.phase)) {
            by_phase.entry(phase).or_default().push(Span { from, to });
        }
    }
    by_phase
        .into_iter()
        .flat_map(|(phase, spans)| {
            merge(spans)
                .into_iter()
                .map(move |span| Bar { phase, span })
        })
        .collect()
}

/// Merges overlapping or touching spans; sorted output.
pub fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.from <= last.to.succ_opt().unwrap_or(last.to) => {
                last.to = last.to.max(s.to)
            }
            _ => out.push(s),
        }
    }
    out
}

fn work_by_site(tl: &Timeline) -> HashMap<&str, Vec<Span>> {
    let mut spans: HashMap<&str, Vec<Span>> = HashMap::new();
    for t in &tl.tasks {
        if let (Some(from), Some(to)) = (t.start, t.finish) {
            spans
                .entry(t.site.as_str())
                .or_default()
                .push(Span { from, to });
        }
    }
    spans.into_iter().map(|(k, v)| (k, merge(v))).collect()
}

/// Tier deadlines (tiers sharing a day share a line), and the programme
/// deadline when no tier has the same day, in date order.
pub fn deadlines(plan: &Plan) -> Vec<Marker> {
    let mut by_day: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, t) in plan.tiers.iter().enumerate() {
        if let Some(d) = t.deadline {
            by_day.entry(d).or_default().push(i);
        }
    }
    let mut out: Vec<Marker> = by_day
        .iter()
        .map(|(&day, tiers)| Marker {
            day,
            label: format!(
                "{} deadline {}",
                tiers
                    .iter()
                    .map(|&i| text::clean(&plan.tiers[i].id))
                    .collect::<Vec<_>>()
                    .join(", "),
                text::date(day)
            ),
            tier_ix: Some(tiers[0]),
        })
        .collect();
    if let Some(d) = plan.deadline.filter(|d| !by_day.contains_key(d)) {
        out.push(Marker {
            day: d,
            label: format!("Programme deadline {}", text::date(d)),
            tier_ix: None,
        });
        out.sort_by_key(|m| m.day);
    }
    out
}

/// The days a time chart must show: every task, removal, deadline and the
/// status date of the timeline (and baseline).
pub fn date_range(
    plan: &Plan,
    tl: &Timeline,
    baseline: Option<&Timeline>,
) -> (NaiveDate, NaiveDate) {
    let mut lo = tl.start;
    let mut hi = tl.start;
    let mut see = |d: NaiveDate| {
        lo = lo.min(d);
        hi = hi.max(d);
    };
    for t in tl
        .tasks
        .iter()
        .chain(baseline.iter().flat_map(|b| b.tasks.iter()))
    {
        t.start.into_iter().chain(t.finish).for_each(&mut see);
    }
    for m in deadlines(plan) {
        see(m.day);
    }
    tl.status_date.into_iter().for_each(&mut see);
    (lo, hi)
}

/// Devices still in place at the end of each day, per tier: a step series
/// starting at `start` with every device in place and dropping as removal
/// packages finish. `unscheduled` devices never leave.
#[derive(Debug, Clone, PartialEq)]
pub struct Burndown {
    /// Tier IDs in plan order (then unknown tiers).
    pub tiers: Vec<String>,
    /// (day, devices remaining per tier at the end of that day), in day
    /// order; the first point is the day before work starts.
    pub points: Vec<(NaiveDate, Vec<u64>)>,
}

pub fn burndown(plan: &Plan, tl: &Timeline) -> Burndown {
    let mut tiers: Vec<String> = plan.tiers.iter().map(|t| t.id.clone()).collect();
    let site_tier: HashMap<&str, &str> = tl
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.tier.as_str()))
        .collect();
    for s in &tl.sites {
        if !tiers.contains(&s.tier) {
            tiers.push(s.tier.clone());
        }
    }
    let ix = |tier: &str| tiers.iter().position(|t| t == tier).unwrap_or(0);
    let mut remaining = vec![0u64; tiers.len()];
    for s in &tl.sites {
        remaining[ix(&s.tier)] += s.devices;
    }
    let mut drops: BTreeMap<NaiveDate, Vec<u64>> = BTreeMap::new();
    for t in &tl.tasks {
        if t.phase != "remove" || t.status == Status::Unscheduled {
            continue;
        }
        if let (Some(day), Some(tier)) = (t.finish, site_tier.get(t.site.as_str())) {
            drops.entry(day).or_insert_with(|| vec![0; tiers.len()])[ix(tier)] += t.devices;
        }
    }
    let first = tl.start.pred_opt().unwrap_or(tl.start);
    let mut points = vec![(first, remaining.clone())];
    for (day, d) in drops {
        for (r, x) in remaining.iter_mut().zip(d) {
            *r = r.saturating_sub(x);
        }
        points.push((day, remaining.clone()));
    }
    Burndown { tiers, points }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn merge_joins_touching_and_overlapping_spans() {
        let s = |a: u32, b: u32| Span {
            from: d(2026, 1, a),
            to: d(2026, 1, b),
        };
        assert_eq!(
            merge(vec![s(5, 6), s(1, 2), s(3, 4), s(10, 12), s(11, 11)]),
            vec![s(1, 6), s(10, 12)]
        );
    }

    #[test]
    fn groups_follow_tier_then_region_order_with_sites_in_plan_order() {
        let plan = sample::plan(50, false);
        let tl = sample::timeline(&plan);
        let g = groups(&plan, &tl, None);
        let keys: Vec<(usize, String)> = g.iter().map(|g| (g.tier_ix, g.region.clone())).collect();
        let mut sorted = keys.clone();
        sorted.sort_by_key(|(t, r)| {
            (
                *t,
                plan.regions
                    .iter()
                    .position(|x| x.name.as_deref() == Some(r)),
            )
        });
        assert_eq!(keys, sorted);
        assert_eq!(g.iter().map(|g| g.sites.len()).sum::<usize>(), 50);
        for grp in &g {
            let ids: Vec<&str> = grp.sites.iter().map(|s| s.id.as_str()).collect();
            let mut in_order = ids.clone();
            in_order.sort();
            assert_eq!(ids, in_order, "plan order inside {}", grp.region);
        }
        assert!(g[0].sites[0].label.starts_with("site-0001 · "));
    }

    #[test]
    fn site_lines_carry_bars_lateness_and_unscheduled_removal() {
        let plan = sample::plan(50, false);
        let tl = sample::timeline(&plan);
        let lines: Vec<SiteLine> = groups(&plan, &tl, None)
            .into_iter()
            .flat_map(|g| g.sites)
            .collect();
        let s13 = lines.iter().find(|s| s.id == "site-0013").unwrap();
        assert!(s13.unscheduled);
        assert!(s13.bars.iter().all(|b| b.phase != Phase::Remove));
        let s1 = lines.iter().find(|s| s.id == "site-0001").unwrap();
        let phases: Vec<Phase> = s1.bars.iter().map(|b| b.phase).collect();
        assert_eq!(phases, Phase::ALL.to_vec());
        assert_eq!(s1.removal, tl.sites[0].removal_complete);
        let late = tl
            .sites
            .iter()
            .filter(|s| s.late_days.unwrap_or(0) > 0)
            .count();
        assert_eq!(lines.iter().filter(|s| s.late_days > 0).count(), late);
    }

    #[test]
    fn baseline_work_is_attached_by_site_id() {
        let plan = sample::plan(5, false);
        let base = sample::timeline(&plan);
        let now = sample::replanned(&plan, &base, d(2026, 3, 1), 20);
        let lines: Vec<SiteLine> = groups(&plan, &now, Some(&base))
            .into_iter()
            .flat_map(|g| g.sites)
            .collect();
        let s = lines.iter().find(|s| s.id == "site-0003").unwrap();
        assert!(!s.baseline.is_empty());
        assert_eq!(s.baseline_removal, base.sites[2].removal_complete);
        assert_ne!(s.removal, s.baseline_removal);
    }

    #[test]
    fn shared_deadline_days_share_one_line() {
        let mut plan = sample::plan(5, false);
        plan.tiers[1].deadline = plan.tiers[0].deadline;
        let m = deadlines(&plan);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].label.starts_with("T1, T2 deadline"));
        assert!(m.iter().any(|m| m.label.starts_with("Programme deadline")));
        assert!(m.windows(2).all(|w| w[0].day <= w[1].day));
    }

    #[test]
    fn burndown_starts_full_and_ends_at_the_unscheduled_devices() {
        let plan = sample::plan(50, false);
        let tl = sample::timeline(&plan);
        let b = burndown(&plan, &tl);
        let total: u64 = tl.sites.iter().map(|s| s.devices).sum();
        assert_eq!(b.points[0].1.iter().sum::<u64>(), total);
        let last: u64 = b.points.last().unwrap().1.iter().sum();
        assert_eq!(last, tl.summary.devices_unscheduled);
        assert!(b
            .points
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1.iter().zip(&w[1].1).all(|(a, b)| a >= b)));
    }
}
