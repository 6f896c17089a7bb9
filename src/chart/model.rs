//! What the charts are drawn from, read out of the timeline and the plan:
//! sites grouped by tier then region, their phases as date ranges, deadlines
//! and how many devices remain when. Plain data, unit-tested without drawing.

use chrono::NaiveDate;
use std::collections::BTreeMap;

use super::text;
use crate::artifact::Context;
use crate::plan::{OwnerIx, Phase, Plan};
use crate::timeline::{by_site_id, Links, Status, TaskRow, Timeline};

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
/// one re-plan to the next. The timeline drawn in grey (the committed one,
/// else the baseline) gives each site its earlier work; with risk, each
/// site has its P80 removal complete and whether it is at risk.
pub fn groups(ctx: &Context) -> Vec<Group> {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let by_owner = !plan.owners.is_empty();
    let owner_name = |o: Option<OwnerIx>| -> String {
        match o.map(|o| &plan.owners[o.ix()]) {
            Some(o) => text::clean(o.name.as_deref().unwrap_or(&o.id)),
            None => "No owner".into(),
        }
    };
    let base = ctx.committed.or(ctx.baseline).map(by_site_id);
    type Key = (usize, usize, usize, String, String);
    let mut out: BTreeMap<Key, Vec<SiteLine>> = BTreeMap::new();
    for (i, s) in tl.sites.iter().enumerate() {
        let site = &plan.sites[i];
        let (tier_ix, region_ix) = (site.tier.ix(), site.region.ix());
        let label = match &site.name {
            Some(n) => text::clean(&format!("{} · {}", s.id, n)),
            None => text::clean(&s.id),
        };
        let risk = ctx.site_risk(i);
        let line = SiteLine {
            id: s.id.clone(),
            label,
            devices: s.devices,
            bars: bars(ctx.site_tasks(i)),
            baseline: base
                .as_ref()
                .map(|b| work(b.site_tasks(&s.id).iter().copied()))
                .unwrap_or_default(),
            baseline_removal: base.as_ref().and_then(|b| b.site(&s.id)?.removal_complete),
            removal: s.removal_complete,
            own_deadline: site.deadline,
            late_days: s.late_days.unwrap_or(0),
            unscheduled: s.devices > 0 && s.removal_complete.is_none(),
            p80: risk.and_then(|r| r.p80),
            at_risk: risk.and_then(|r| r.at_risk.then(|| r.on_time_probability.unwrap_or(0.0))),
        };
        let region = &plan.regions[region_ix];
        let region_name = region.name.clone().unwrap_or_else(|| s.region.clone());
        let key = if by_owner {
            (
                site.owner.map_or(usize::MAX, |o| o.ix()),
                tier_ix,
                0,
                s.tier.clone(),
                owner_name(site.owner),
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

/// A site's scheduled tasks as one bar per phase and run of overlapping or
/// adjacent days (packages one after another make one bar).
pub fn bars(tasks: &[TaskRow]) -> Vec<Bar> {
    let mut by_phase: BTreeMap<Phase, Vec<Span>> = BTreeMap::new();
    for t in tasks {
        if let (Some(from), Some(to)) = (t.start, t.finish) {
            by_phase.entry(t.phase).or_default().push(Span { from, to });
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

/// The days `tasks` work, merged.
fn work<'a>(tasks: impl Iterator<Item = &'a TaskRow>) -> Vec<Span> {
    merge(
        tasks
            .filter_map(|t| {
                Some(Span {
                    from: t.start?,
                    to: t.finish?,
                })
            })
            .collect(),
    )
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

/// `tl`'s burndown; `links` are its links (a scenario's own, for
/// `compare`), which give each removal package its site.
pub fn burndown(plan: &Plan, tl: &Timeline, links: &Links) -> Burndown {
    let mut tiers: Vec<String> = plan.tiers.iter().map(|t| t.id.clone()).collect();
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
    for (s, site) in tl.sites.iter().enumerate() {
        let tier = ix(&site.tier);
        for t in &tl.tasks[links.site_tasks[s].clone()] {
            if t.phase != Phase::Remove || t.status == Status::Unscheduled {
                continue;
            }
            if let Some(day) = t.finish {
                drops.entry(day).or_insert_with(|| vec![0; tiers.len()])[tier] += t.devices;
            }
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
    use crate::chart::sample::{self, Sample};

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
        let s = Sample::of(sample::plan(50, false));
        let plan = &s.plan;
        let g = groups(&s.ctx());
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
        let s = Sample::of(sample::plan(50, false));
        let tl = &s.timeline;
        let lines: Vec<SiteLine> = groups(&s.ctx()).into_iter().flat_map(|g| g.sites).collect();
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
        let now = Sample::with(plan, now);
        let ctx = Context {
            baseline: Some(&base),
            ..now.ctx()
        };
        let lines: Vec<SiteLine> = groups(&ctx).into_iter().flat_map(|g| g.sites).collect();
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
        let s = Sample::of(sample::plan(50, false));
        let tl = &s.timeline;
        let b = burndown(&s.plan, tl, &s.links);
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
