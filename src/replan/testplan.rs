//! Small generated plans for the re-planning tests: a few regions, tiers
//! and crews, sites of random size, and quarterly budget periods tight
//! enough that money shapes the schedule.

use chrono::{Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::plan::*;
use crate::units::{Hundredths, Money, Price};

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dtype(id: &str, replace: bool, unit: i64, inst: i64, rem: i64, lead: u32) -> DeviceType {
    DeviceType {
        id: id.into(),
        name: None,
        replace,
        unit_cost: Price::cents(unit * 100),
        install_hours: Hundredths(inst),
        remove_hours: Hundredths(rem),
        lead_time_days: lead,
        disposal_cost: Price::cents(1500),
        lead_time_range_days: None,
    }
}

/// A plan of `sites` sites; `quarterly` is each budget quarter's amount
/// (in whole currency units; 20 years of quarters), `None` for no budget.
/// No single task costs more than 13,800, so a quarter of 20,000 or more
/// can fund any of them.
pub fn plan(seed: u64, sites: usize, quarterly: Option<i64>, carry_over: bool) -> Plan {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = d("2026-01-05");
    let crews = (0..4)
        .map(|i| Crew {
            id: format!("crew-{i}"),
            region: RegionIx(i % 2),
            cleared: i < 2,
            day_rate: Money(80_000),
            available_from: None,
            available_to: None,
        })
        .collect();
    let sites = (0..sites)
        .map(|i| Site {
            id: format!("site-{i:02}"),
            name: Some(format!("Site {i}")),
            region: RegionIx(rng.gen_range(0..2)),
            tier: TierIx(rng.gen_range(0..2)),
            devices: vec![
                (DeviceTypeIx(0), rng.gen_range(5..70)),
                (DeviceTypeIx(1), rng.gen_range(0..2)),
            ],
            cleared_only: rng.gen_bool(0.2),
            not_before: None,
            deadline: None,
            blackouts: vec![],
            owner: None,
        })
        .collect();
    let budget = quarterly.map(|q| Budget {
        carry_over,
        periods: (0..80)
            .map(|k| BudgetPeriod {
                from: start.checked_add_months(Months::new(3 * k)).unwrap(),
                to: start
                    .checked_add_months(Months::new(3 * (k + 1)))
                    .unwrap()
                    .pred_opt()
                    .unwrap(),
                amount: Money(q * 100),
            })
            .collect(),
    });
    Plan {
        name: "generated".into(),
        start,
        deadline: Some(d("2026-12-31")),
        currency: "GBP".into(),
        financial_year_start: Default::default(),
        calendar: Calendar::default(),
        workflow: Workflow::default(),
        tiers: vec![
            Tier {
                id: "T1".into(),
                name: None,
                weight: 5.0,
                deadline: Some(d("2026-06-30")),
            },
            Tier {
                id: "T2".into(),
                name: None,
                weight: 1.0,
                deadline: None,
            },
        ],
        device_types: vec![
            dtype("cam", true, 150, 150, 40, 20),
            dtype("nvr", true, 2500, 600, 100, 40),
        ],
        regions: vec![
            Region {
                id: "north".into(),
                name: None,
            },
            Region {
                id: "south".into(),
                name: None,
            },
        ],
        crews,
        budget,
        sites,
        dependencies: vec![],
        status_date: None,
        progress: vec![],
        objective: Default::default(),
        owners: Vec::new(),
        targets: Vec::new(),
    }
}
