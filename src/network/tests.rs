//! Unit tests of the expansion, on the plan format's worked example.

use super::*;
use crate::plan::*;
use crate::units::{Hundredths, Money, Price};
use chrono::NaiveDate;

pub(crate) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dtype(
    id: &str,
    replace: bool,
    unit: i64,
    inst: i64,
    rem: i64,
    lead: u32,
    disp: i64,
) -> DeviceType {
    DeviceType {
        id: id.into(),
        name: None,
        replace,
        unit_cost: Price::cents(unit * 100),
        install_hours: Hundredths(inst),
        remove_hours: Hundredths(rem),
        lead_time_days: lead,
        disposal_cost: Price::cents(disp * 100),
        lead_time_range_days: None,
    }
}

pub(crate) fn site(id: &str, devices: Vec<(DeviceTypeIx, u64)>) -> Site {
    Site {
        id: id.into(),
        name: None,
        region: RegionIx(0),
        tier: TierIx(0),
        devices,
        cleared_only: false,
        not_before: None,
        deadline: None,
        blackouts: vec![],
        owner: None,
    }
}

/// The plan format's worked example: site alpha with 60 dome, 1 nvr and 2
/// thermal; one crew at 1000 a day; workflow defaults.
pub(crate) fn worked_example() -> Plan {
    Plan {
        name: "worked example".into(),
        start: d("2026-01-05"),
        deadline: None,
        currency: "GBP".into(),
        financial_year_start: Default::default(),
        calendar: Calendar::default(),
        workflow: Workflow::default(),
        tiers: vec![Tier {
            id: "T1".into(),
            name: None,
            weight: 1.0,
            deadline: None,
        }],
        device_types: vec![
            dtype("dome", true, 700, 250, 50, 30, 15),
            dtype("nvr", true, 3000, 600, 100, 45, 120),
            dtype("thermal", false, 0, 0, 125, 0, 40),
        ],
        regions: vec![Region {
            id: "north".into(),
            name: None,
        }],
        crews: vec![Crew {
            id: "crew-a".into(),
            region: RegionIx(0),
            cleared: false,
            day_rate: Money(100_000),
            available_from: None,
            available_to: None,
        }],
        budget: None,
        sites: vec![site(
            "alpha",
            vec![
                (DeviceTypeIx(0), 60),
                (DeviceTypeIx(1), 1),
                (DeviceTypeIx(2), 2),
            ],
        )],
        dependencies: vec![],
        status_date: None,
        progress: vec![],
        objective: Default::default(),
        owners: Vec::new(),
        targets: Vec::new(),
    }
}

#[test]
fn worked_example_expands_as_the_spec_table() {
    let plan = worked_example();
    let net = build(&plan).unwrap();
    let rows: Vec<_> = net
        .tasks
        .iter()
        .map(|t| (t.id.as_str(), t.kind, t.duration, t.devices, t.cost.0 / 100))
        .collect();
    use TaskKind::*;
    assert_eq!(
        rows,
        vec![
            ("alpha/survey", Crew, 1, 63, 0),
            ("alpha/procure", Elapsed, 45, 61, 45_000),
            ("alpha/install/1", Crew, 17, 50, 0),
            ("alpha/install/2", Crew, 5, 11, 0),
            ("alpha/commission", Crew, 1, 61, 0),
            ("alpha/remove/1", Crew, 4, 50, 0),
            ("alpha/remove/2", Crew, 2, 13, 0),
            ("alpha/dispose", Elapsed, 5, 63, 1_100),
        ]
    );
    assert_eq!(net.site_ranges, vec![0..8]);
}

#[test]
fn workflow_edges_chain_phases_and_leave_packages_independent() {
    let net = build(&worked_example()).unwrap();
    let pairs: Vec<_> = net.edges.iter().map(|e| (e.from.0, e.to.0)).collect();
    assert_eq!(
        pairs,
        vec![
            (0, 1),
            (1, 2),
            (1, 3),
            (2, 4),
            (3, 4),
            (4, 5),
            (4, 6),
            (5, 7),
            (6, 7)
        ]
    );
}

#[test]
fn absent_phases_are_skipped() {
    let mut plan = worked_example();
    plan.workflow.survey_days = 0;
    plan.workflow.commission_days = 0;
    plan.workflow.disposal_days = 0;
    let net = build(&plan).unwrap();
    let ids: Vec<_> = net.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "alpha/procure",
            "alpha/install/1",
            "alpha/install/2",
            "alpha/remove/1",
            "alpha/remove/2"
        ]
    );
    let pairs: Vec<_> = net.edges.iter().map(|e| (e.from.0, e.to.0)).collect();
    assert_eq!(pairs, vec![(0, 1), (0, 2), (1, 3), (1, 4), (2, 3), (2, 4)]);
}

#[test]
fn site_without_replacements_has_survey_remove_dispose() {
    let mut plan = worked_example();
    plan.sites.push(site("beta", vec![(DeviceTypeIx(2), 3)]));
    plan.sites.push(site("empty", vec![]));
    let net = build(&plan).unwrap();
    let ids: Vec<_> = net.tasks[8..].iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["beta/survey", "beta/remove/1", "beta/dispose"]);
    // ⌈3 × 1.25 ÷ 7.5⌉ = 1 day; 3 × 40 disposal.
    assert_eq!(net.tasks[9].duration, 1);
    assert_eq!(net.tasks[10].cost, Money(12_000));
    assert_eq!(net.site_ranges[2], 11..11);
}

#[test]
fn procurement_takes_at_least_one_day_and_zero_hours_one_day() {
    let mut plan = worked_example();
    plan.device_types[0].lead_time_days = 0;
    plan.device_types[0].install_hours = Hundredths(0);
    plan.sites[0].devices = vec![(DeviceTypeIx(0), 3)];
    let net = build(&plan).unwrap();
    assert_eq!(net.tasks[1].duration, 1);
    assert_eq!(net.tasks[2].duration, 1);
}

#[test]
fn dependencies_join_every_package_with_lag() {
    let mut plan = worked_example();
    plan.sites.push(site("beta", vec![(DeviceTypeIx(0), 120)]));
    plan.dependencies.push(Dependency {
        from: PhaseRef {
            site: SiteIx(0),
            phase: Phase::Remove,
        },
        to: PhaseRef {
            site: SiteIx(1),
            phase: Phase::Install,
        },
        lag_days: 3,
    });
    let net = build(&plan).unwrap();
    let dep: Vec<_> = net
        .edges
        .iter()
        .filter(|e| e.lag == 3)
        .map(|e| {
            (
                net.tasks[e.from.ix()].id.as_str(),
                net.tasks[e.to.ix()].id.as_str(),
            )
        })
        .collect();
    assert_eq!(dep.len(), 2 * 3);
    assert!(dep.contains(&("alpha/remove/2", "beta/install/3")));
}

#[test]
fn cycle_is_named_whole_in_order() {
    let mut plan = worked_example();
    plan.sites.push(site("beta", vec![(DeviceTypeIx(2), 3)]));
    let dep = |fs, fp, ts, tp| Dependency {
        from: PhaseRef {
            site: SiteIx(fs),
            phase: fp,
        },
        to: PhaseRef {
            site: SiteIx(ts),
            phase: tp,
        },
        lag_days: 0,
    };
    plan.dependencies
        .push(dep(0, Phase::Commission, 1, Phase::Survey));
    plan.dependencies
        .push(dep(1, Phase::Remove, 0, Phase::Procure));
    let err = build(&plan).unwrap_err();
    let names = err.ids(&plan);
    assert_eq!(
        names,
        [
            "alpha/procure",
            "alpha/install/1",
            "alpha/commission",
            "beta/survey",
            "beta/remove/1"
        ]
    );
}

#[test]
fn long_chain_of_dependencies_does_not_overflow_the_stack() {
    let mut plan = worked_example();
    plan.sites = (0..3000)
        .map(|i| site(&format!("s{i}"), vec![(DeviceTypeIx(2), 1)]))
        .collect();
    for i in 1..3000u32 {
        plan.dependencies.push(Dependency {
            from: PhaseRef {
                site: SiteIx(i - 1),
                phase: Phase::Dispose,
            },
            to: PhaseRef {
                site: SiteIx(i),
                phase: Phase::Survey,
            },
            lag_days: 0,
        });
    }
    assert!(build(&plan).is_ok());
    plan.dependencies.push(Dependency {
        from: PhaseRef {
            site: SiteIx(2999),
            phase: Phase::Dispose,
        },
        to: PhaseRef {
            site: SiteIx(0),
            phase: Phase::Survey,
        },
        lag_days: 0,
    });
    assert_eq!(build(&plan).unwrap_err().0.len(), 3000 * 3);
}
