//! Synthetic plans and timelines of any size, for the chart tests and the
//! drawing benchmark. Deterministic arithmetic, no scheduler: the timelines
//! look like real ones (crews working through their region's sites, lead
//! times, late and unscheduled sites) but are not checked against the plan
//! format's rules, so they must never be published.

use chrono::{Days, NaiveDate};

use crate::artifact::Context;
use crate::plan::{
    Budget, BudgetPeriod, Calendar, Crew, DeviceType, Phase, Plan, Region, RegionIx, Site, SiteIx,
    TaskKey, Tier, TierIx, Workflow,
};
use crate::timeline::build::{row_summary, site_exposure};
use crate::timeline::links::task_crews;
use crate::timeline::{
    LinkedTask, Links, Pred, SiteRow, Status, Summary, TaskRow, Timeline, FORMAT,
};
use crate::units::{Hundredths, Money, Price};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid sample date")
}

/// A plan of `sites` sites in three tiers, `~sites/8` regions (1 to 12), two
/// crews per region and a yearly budget. `hostile` names one site with
/// markup and an ampersand, to test escaping.
pub fn plan(sites: usize, hostile: bool) -> Plan {
    let start = day(2026, 1, 5);
    let regions = (sites / 8).clamp(1, 12);
    let tier = |id: &str, name: &str, weight: f64, months: u32| Tier {
        id: id.into(),
        name: Some(name.into()),
        weight,
        deadline: start.checked_add_months(chrono::Months::new(months)),
    };
    Plan {
        name: "Sample removal programme".into(),
        start,
        deadline: Some(day(2027, 3, 31)),
        currency: "GBP".into(),
        financial_year_start: Default::default(),
        calendar: Calendar::default(),
        workflow: Workflow::default(),
        tiers: vec![
            tier("T1", "Critical national infrastructure", 10.0, 4),
            tier("T2", "Sensitive", 3.0, 8),
            tier("T3", "Other", 1.0, 15),
        ],
        device_types: vec![DeviceType {
            id: "cam".into(),
            name: Some("Camera".into()),
            replace: true,
            unit_cost: Price::cents(70_000),
            install_hours: Hundredths(250),
            remove_hours: Hundredths(50),
            lead_time_days: 30,
            disposal_cost: Price::cents(1_500),
            lead_time_range_days: None,
        }],
        regions: (0..regions)
            .map(|r| Region {
                id: format!("region-{:02}", r + 1),
                name: Some(REGION_NAMES[r % REGION_NAMES.len()].into()),
            })
            .collect(),
        crews: (0..regions * 2)
            .map(|c| Crew {
                id: format!(
                    "crew-{:02}{}",
                    c / 2 + 1,
                    if c % 2 == 0 { 'a' } else { 'b' }
                ),
                region: RegionIx((c / 2) as u32),
                cleared: c % 2 == 0,
                day_rate: Money(60_000),
                available_from: None,
                available_to: None,
            })
            .collect(),
        budget: Some(Budget {
            carry_over: true,
            periods: (0..4)
                .map(|y| BudgetPeriod {
                    from: day(2025 + y, 4, 1),
                    to: day(2026 + y, 3, 31),
                    amount: Money(sites as i64 * 4_000_000),
                })
                .collect(),
        }),
        sites: (0..sites).map(|i| site(i, regions, hostile)).collect(),
        dependencies: vec![],
        status_date: None,
        progress: vec![],
        objective: Default::default(),
        owners: Vec::new(),
        targets: Vec::new(),
    }
}

const REGION_NAMES: [&str; 12] = [
    "London",
    "South East",
    "South West",
    "East of England",
    "West Midlands",
    "East Midlands",
    "Yorkshire and the Humber",
    "North West",
    "North East",
    "Wales",
    "Scotland",
    "Northern Ireland",
];

fn site(i: usize, regions: usize, hostile: bool) -> Site {
    let tier = match i % 10 {
        0 | 1 => 0,
        2..=5 => 1,
        _ => 2,
    };
    let name = if hostile && i == 1 {
        "<script>alert('x')</script> Smith & Sons \"Depot\"".to_string()
    } else if i % 7 == 3 {
        format!("Department for Regional Infrastructure Annex Building {i}, Long Street")
    } else {
        format!("Site {i} office")
    };
    Site {
        id: format!("site-{:04}", i + 1),
        name: Some(name),
        region: RegionIx((i % regions) as u32),
        tier: TierIx(tier),
        devices: vec![(crate::plan::DeviceTypeIx(0), 10 + (i as u64 * 37) % 140)],
        cleared_only: false,
        not_before: None,
        deadline: (i % 23 == 5).then(|| day(2026, 12, 31)),
        blackouts: vec![],
        owner: None,
    }
}

/// A timeline for `plan`: each region's sites in plan order, tier by tier,
/// shared round-robin between its crews. Every 40th site from the 13th has
/// its removal unscheduled (budget), as a real schedule may.
pub fn timeline(plan: &Plan) -> Timeline {
    let mut free: Vec<NaiveDate> = vec![plan.start; plan.crews.len()];
    let mut tasks = Vec::new();
    let mut sites = Vec::new();
    let mut order: Vec<usize> = (0..plan.sites.len()).collect();
    order.sort_by_key(|&i| (plan.sites[i].tier, i));
    let mut per_site: Vec<Vec<TaskRow>> = vec![Vec::new(); plan.sites.len()];
    for i in order {
        per_site[i] = site_tasks(plan, i, &mut free);
    }
    for (i, rows) in per_site.into_iter().enumerate() {
        let s = &plan.sites[i];
        let removal = rows
            .iter()
            .filter(|t| t.phase == Phase::Remove)
            .map(|t| t.finish)
            .try_fold(None, |acc: Option<NaiveDate>, f| {
                f.map(|f| acc.max(Some(f)))
            })
            .flatten();
        let deadline = plan.site_deadline(crate::plan::SiteIx(i as u32));
        let late_days = removal.map(|r| match deadline {
            Some(d) if r > d => (r - d).num_days(),
            _ => 0,
        });
        sites.push(SiteRow {
            id: s.id.clone(),
            tier: plan.tiers[s.tier.ix()].id.clone(),
            region: plan.regions[s.region.ix()].id.clone(),
            devices: s.device_count(),
            removal_complete: removal,
            deadline,
            late_days,
            late_reason: None,
            late_category: None,
            owner: plan
                .owner_id(crate::plan::SiteIx(i as u32))
                .map(str::to_string),
        });
        tasks.extend(rows);
    }
    finish(plan, tasks, sites)
}

fn site_tasks(plan: &Plan, i: usize, free: &mut [NaiveDate]) -> Vec<TaskRow> {
    let s = &plan.sites[i];
    let n = s.device_count();
    let crews: Vec<usize> = (0..plan.crews.len())
        .filter(|&c| plan.crews[c].region == s.region)
        .collect();
    let c = *crews
        .iter()
        .min_by_key(|&&c| (free[c], c))
        .expect("a crew per region");
    let crew = plan.crews[c].id.clone();
    let unscheduled = i % 40 == 12;
    let mut rows = Vec::new();
    let mut push = |phase: Phase,
                    package: Option<u32>,
                    devices: u64,
                    from: NaiveDate,
                    days: u64,
                    crewed: bool| {
        let finish = from + Days::new(days - 1);
        let cost = if crewed {
            days as f64 * 600.0
        } else {
            devices as f64 * 700.0
        };
        let dropped = unscheduled && matches!(phase, Phase::Remove | Phase::Dispose);
        rows.push(TaskRow {
            id: match package {
                Some(k) => format!("{}/{}/{k}", s.id, phase.as_str()),
                None => format!("{}/{}", s.id, phase.as_str()),
            },
            site: s.id.clone(),
            phase,
            package,
            devices,
            start: (!dropped).then_some(from),
            finish: (!dropped).then_some(finish),
            duration: days as u32,
            crew: (crewed && !dropped).then(|| crew.clone()),
            cost: (!dropped).then_some(cost),
            status: if dropped {
                Status::Unscheduled
            } else {
                Status::Planned
            },
            reason: dropped.then(|| "budget: no period can fund 9000.00 GBP".into()),
        });
        finish + Days::new(1)
    };
    let mut t = push(Phase::Survey, None, n, free[c], 1, true);
    t = push(Phase::Procure, None, n, t, 30, false);
    t = t.max(free[c]);
    let packages: Vec<u64> = (0..n.div_ceil(50)).map(|k| (n - k * 50).min(50)).collect();
    for (k, &p) in packages.iter().enumerate() {
        t = push(
            Phase::Install,
            Some(k as u32 + 1),
            p,
            t,
            (p * 250).div_ceil(750),
            true,
        );
    }
    t = push(Phase::Commission, None, n, t, 1, true);
    for (k, &p) in packages.iter().enumerate() {
        t = push(
            Phase::Remove,
            Some(k as u32 + 1),
            p,
            t,
            (p * 50).div_ceil(750).max(1),
            true,
        );
    }
    free[c] = t;
    push(Phase::Dispose, None, n, t, 5, false);
    rows
}

fn finish(plan: &Plan, tasks: Vec<TaskRow>, sites: Vec<SiteRow>) -> Timeline {
    let exposure = sites
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some(site_exposure(plan, SiteIx::from(i), s.removal_complete?)))
        .sum();
    Timeline {
        format: FORMAT.into(),
        plan: plan.name.clone(),
        start: plan.start,
        status_date: plan.status_date,
        summary: Summary {
            total_cost: tasks
                .iter()
                .filter(|t| t.status != Status::Unscheduled)
                .filter_map(|t| t.cost)
                .sum(),
            exposure,
            objective: "tiers_first".into(),
            ..row_summary(&tasks, &sites)
        },
        targets: crate::timeline::targets::rows(plan, &tasks),
        tasks,
        sites,
    }
}

/// `tl` re-planned as of `status`: work before it is done, work after it
/// slips by `slip` days (a later timeline to draw over a baseline).
pub fn replanned(plan: &Plan, tl: &Timeline, status: NaiveDate, slip: u64) -> Timeline {
    let mut tasks = tl.tasks.clone();
    for t in &mut tasks {
        match (t.start, t.finish) {
            (Some(s), Some(f)) if f <= status => {
                t.status = Status::Done;
                let _ = s;
            }
            (Some(s), Some(f)) if s <= status => {
                t.status = Status::InProgress;
                t.finish = Some(f + Days::new(slip));
            }
            (Some(s), Some(f)) => {
                t.start = Some(s + Days::new(slip));
                t.finish = Some(f + Days::new(slip));
            }
            _ => {}
        }
    }
    let links = links(plan, tl);
    let mut sites = tl.sites.clone();
    for (i, s) in sites.iter_mut().enumerate() {
        s.removal_complete = tasks[links.site_tasks[i].clone()]
            .iter()
            .filter(|t| t.phase == Phase::Remove)
            .try_fold(None, |acc: Option<NaiveDate>, t| {
                t.finish.map(|f| acc.max(Some(f)))
            })
            .flatten();
        s.late_days = s.removal_complete.map(|r| match s.deadline {
            Some(d) if r > d => (r - d).num_days(),
            _ => 0,
        });
    }
    let mut plan = plan.clone();
    plan.status_date = Some(status);
    finish(&plan, tasks, sites)
}

/// A sample plan with its timeline and links, published as one (for tests
/// that render what `bundle` renders).
pub struct Sample {
    pub plan: Plan,
    pub timeline: Timeline,
    pub links: Links,
}

impl Sample {
    /// `plan`'s sample timeline and its links.
    pub fn of(plan: Plan) -> Sample {
        let timeline = timeline(&plan);
        Sample::with(plan, timeline)
    }

    /// `plan` with `timeline` (a sample's, changed) and its links.
    pub fn with(plan: Plan, timeline: Timeline) -> Sample {
        let links = links(&plan, &timeline);
        Sample {
            plan,
            timeline,
            links,
        }
    }

    /// What a renderer is given: no baseline, risk or committed timeline.
    pub fn ctx(&self) -> Context<'_> {
        Context {
            plan: &self.plan,
            timeline: &self.timeline,
            links: &self.links,
            baseline: None,
            risk: None,
            committed: None,
        }
    }
}

/// The links of a timeline laid out as the timeline stage lays one out
/// (site rows in plan order, each site's task rows together in their
/// order), read off its rows, for sample and hand-made timelines that have
/// no network: each task follows the one before it at its site. Panics on
/// a row out of that order: such a timeline is a broken test.
pub fn links(plan: &Plan, tl: &Timeline) -> Links {
    let mut tasks = Vec::with_capacity(tl.tasks.len());
    let mut site_tasks = Vec::with_capacity(plan.sites.len());
    for (s, site) in plan.sites.iter().enumerate() {
        let first = tasks.len();
        while let Some(row) = tl.tasks.get(tasks.len()).filter(|r| r.site == site.id) {
            tasks.push(LinkedTask {
                key: TaskKey {
                    site: SiteIx::from(s),
                    phase: row.phase,
                    package: row.package,
                },
                elapsed: !row.phase.is_crew(),
                duration: row.duration,
                preds: (tasks.len() > first)
                    .then(|| Pred {
                        task: tasks.len() - 1,
                        lag: 0,
                    })
                    .into_iter()
                    .collect(),
            });
        }
        site_tasks.push(first..tasks.len());
    }
    assert_eq!(tasks.len(), tl.tasks.len(), "task rows out of site order");
    Links {
        tasks,
        site_tasks,
        crews: task_crews(plan, tl),
    }
}
