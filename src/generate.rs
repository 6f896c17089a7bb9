//! Synthetic plans for tests and benchmarks, shaped like `plans/example.json`
//! at any scale: four tiers (the first cleared-only with an early deadline),
//! regions and crews in proportion to the sites, April–March budget years
//! sized from the work so that everything can be scheduled, UK bank
//! holidays, blackouts on some sites and a few cross-site dependencies.
//!
//! Pure and deterministic: the same `sites` and `seed` give the same plan.
//! Every plan it makes is valid (tested at several sizes).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

use crate::plan::raw::*;

/// England & Wales bank holidays, 2026–2028.
const HOLIDAYS: [&str; 24] = [
    "2026-01-01",
    "2026-04-03",
    "2026-04-06",
    "2026-05-04",
    "2026-05-25",
    "2026-08-31",
    "2026-12-25",
    "2026-12-28",
    "2027-01-01",
    "2027-03-26",
    "2027-03-29",
    "2027-05-03",
    "2027-05-31",
    "2027-08-30",
    "2027-12-27",
    "2027-12-28",
    "2028-01-03",
    "2028-04-14",
    "2028-04-17",
    "2028-05-01",
    "2028-05-29",
    "2028-08-28",
    "2028-12-25",
    "2028-12-26",
];

const PLACES: [&str; 24] = [
    "Leeds",
    "Manchester",
    "Bristol",
    "Cardiff",
    "Glasgow",
    "Edinburgh",
    "Belfast",
    "Newcastle",
    "Sheffield",
    "Norwich",
    "Plymouth",
    "Reading",
    "Croydon",
    "Swansea",
    "Aberdeen",
    "York",
    "Exeter",
    "Derby",
    "Hull",
    "Ipswich",
    "Preston",
    "Dundee",
    "Lincoln",
    "Carlisle",
];

const KINDS: [[&str; 3]; 4] = [
    [
        "Secure operations centre",
        "Defence establishment",
        "Departmental headquarters",
    ],
    [
        "Departmental office",
        "Regional headquarters",
        "Data centre",
    ],
    [
        "Agency office",
        "Courts and tribunals centre",
        "Regulator office",
    ],
    ["Jobcentre", "Visitor centre", "Records store"],
];

/// Equipment prices and work rates, as in `plans/example.json`:
/// (id, name, replace, unit cost, install h, remove h, lead days, disposal).
type TypeRow = (&'static str, &'static str, bool, f64, f64, f64, f64, f64);
const TYPES: [TypeRow; 5] = [
    (
        "cam-dome",
        "IP dome camera",
        true,
        420.0,
        2.5,
        0.75,
        28.0,
        12.0,
    ),
    ("cam-ptz", "PTZ camera", true, 1850.0, 4.5, 1.5, 42.0, 25.0),
    (
        "cam-thermal",
        "Thermal camera (not replaced)",
        false,
        0.0,
        0.0,
        1.5,
        0.0,
        60.0,
    ),
    (
        "intercom",
        "Video door intercom",
        true,
        650.0,
        3.0,
        1.0,
        35.0,
        15.0,
    ),
    (
        "nvr",
        "Network video recorder",
        true,
        3400.0,
        6.0,
        1.5,
        56.0,
        180.0,
    ),
];

const HOURS_PER_DAY: f64 = 7.0;
const CLEARED_RATE: f64 = 1150.0;
const STANDARD_RATE: f64 = 880.0;

/// Most sites `generate` makes: three times a national programme, and
/// within the default task limit (a generated site is about 7.5 tasks).
pub const MAX_SITES: usize = 300_000;

/// A synthetic plan of `sites` sites (at least 1).
pub fn generate(sites: usize, seed: u64) -> RawPlan {
    let n = sites.max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_regions = (n / 40).clamp(1, 60).max(5.min(n));
    let regions: Vec<RawRegion> = (0..n_regions)
        .map(|r| RawRegion {
            id: format!("region-{:02}", r + 1),
            name: Some(format!("Region {}", r + 1)),
        })
        .collect();
    let mut raw_sites: Vec<RawSite> = (0..n).map(|i| site(i, n_regions, &mut rng)).collect();
    add_constraints(&mut raw_sites, &mut rng);
    let crews = crews(&raw_sites, &regions);
    let cost = estimated_cost(&raw_sites);
    RawPlan {
        name: format!("Synthetic removal programme: {n} sites (seed {seed})"),
        start: "2026-01-05".into(),
        deadline: Some("2027-03-31".into()),
        currency: Some("GBP".into()),
        financial_year_start: None,
        calendar: Some(RawCalendar {
            workdays: None,
            holidays: HOLIDAYS.iter().map(|s| s.to_string()).collect(),
        }),
        workflow: Some(RawWorkflow {
            disposal_days: Some(10.0),
            hours_per_day: Some(HOURS_PER_DAY),
            package_size: Some(40.0),
            effort_range: Some(vec![0.9, 1.3]),
            ..RawWorkflow::default()
        }),
        tiers: tiers(),
        device_types: TYPES.iter().map(device_type).collect(),
        regions,
        crews,
        budget: Some(budget(cost)),
        dependencies: dependencies(&raw_sites, &mut rng),
        sites: raw_sites,
        ..RawPlan::default()
    }
}

fn tiers() -> Vec<RawTier> {
    let t = |id: &str, name: &str, weight, deadline: Option<&str>| RawTier {
        id: id.into(),
        name: Some(name.into()),
        weight,
        deadline: deadline.map(str::to_string),
    };
    vec![
        t("T1", "Most sensitive", 10.0, Some("2026-10-31")),
        t("T2", "Sensitive", 5.0, Some("2027-01-31")),
        t("T3", "Arm's-length bodies", 2.0, None),
        t("T4", "Low sensitivity", 1.0, None),
    ]
}

fn device_type(r: &TypeRow) -> RawDeviceType {
    let some = |v: f64| (v > 0.0).then_some(v);
    RawDeviceType {
        id: r.0.into(),
        name: Some(r.1.into()),
        replace: (!r.2).then_some(false),
        unit_cost: some(r.3),
        install_hours: some(r.4),
        remove_hours: some(r.5),
        lead_time_days: some(r.6),
        disposal_cost: some(r.7),
        // Suppliers deliver up to a week early, or up to three-quarters
        // late again (a shortage): the long tail risk is made of.
        lead_time_range_days: (r.6 > 0.0).then(|| vec![(r.6 - 7.0).max(0.0), (r.6 * 1.75).round()]),
    }
}

/// One site: tier by a fixed mix (10/25/35/30 %), region at random, and
/// device counts scaled by tier.
fn site(i: usize, n_regions: usize, rng: &mut ChaCha8Rng) -> RawSite {
    let roll: f64 = rng.gen();
    let tier = match roll {
        r if r < 0.10 => 0,
        r if r < 0.35 => 1,
        r if r < 0.70 => 2,
        _ => 3,
    };
    let region = rng.gen_range(0..n_regions);
    let scale = [1.6, 1.3, 1.0, 0.6][tier];
    let domes = ((rng.gen_range(8..=70) as f64) * scale).round().max(1.0);
    let mut devices = BTreeMap::new();
    devices.insert("cam-dome".to_string(), domes);
    if rng.gen_bool(0.6) {
        devices.insert("cam-ptz".into(), rng.gen_range(1..=6) as f64);
    }
    devices.insert("nvr".into(), (domes / 40.0).floor().max(1.0));
    if rng.gen_bool(0.5) {
        devices.insert("intercom".into(), rng.gen_range(1..=8) as f64);
    }
    if rng.gen_bool(0.2) {
        devices.insert("cam-thermal".into(), rng.gen_range(1..=3) as f64);
    }
    let place = PLACES[rng.gen_range(0..PLACES.len())];
    let kind = KINDS[tier][rng.gen_range(0..3)];
    RawSite {
        id: format!("site-{:06}", i + 1),
        name: Some(format!("{kind}, {place} {}", i + 1)),
        region: format!("region-{:02}", region + 1),
        tier: format!("T{}", tier + 1),
        devices,
        cleared_only: (tier == 0).then_some(true),
        ..RawSite::default()
    }
}

/// Blackouts on about 5 % of sites, later starts on about 3 %.
fn add_constraints(sites: &mut [RawSite], rng: &mut ChaCha8Rng) {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 2, 2).unwrap_or_default();
    for s in sites.iter_mut() {
        if rng.gen_bool(0.05) {
            let from = start + chrono::Days::new(rng.gen_range(0..300));
            let to = from + chrono::Days::new(rng.gen_range(10..30));
            s.blackouts.push(RawRange {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        if rng.gen_bool(0.03) {
            let nb = start + chrono::Days::new(rng.gen_range(30..240));
            s.not_before = Some(nb.to_string());
        }
    }
}

/// About one crew per four sites in each region, a third of them cleared
/// (at least one cleared crew per region, for its tier-1 sites).
fn crews(sites: &[RawSite], regions: &[RawRegion]) -> Vec<RawCrew> {
    let mut per_region: BTreeMap<&str, usize> = BTreeMap::new();
    for s in sites {
        *per_region.entry(s.region.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for r in regions {
        let n_sites = per_region.get(r.id.as_str()).copied().unwrap_or(0);
        if n_sites == 0 {
            continue;
        }
        let n = n_sites.div_ceil(4).max(1);
        let cleared = n.div_ceil(3);
        for k in 0..n {
            let is_cleared = k < cleared;
            out.push(RawCrew {
                id: format!("{}-crew-{:03}", r.id, k + 1),
                region: r.id.clone(),
                cleared: is_cleared.then_some(true),
                day_rate: Some(if is_cleared {
                    CLEARED_RATE
                } else {
                    STANDARD_RATE
                }),
                ..RawCrew::default()
            });
        }
    }
    out
}

/// Equipment, disposal and crew days at the cleared rate: an upper
/// estimate of what the programme costs.
fn estimated_cost(sites: &[RawSite]) -> f64 {
    let mut total = 0.0;
    for s in sites {
        let mut hours = 0.0;
        for (id, &count) in &s.devices {
            if let Some(t) = TYPES.iter().find(|t| t.0 == id) {
                total += count * (t.3 + t.7);
                hours += count * (t.4 + t.5);
            }
        }
        // Rounding up per package and survey/commission days: a few more.
        let days = (hours / HOURS_PER_DAY).ceil() + 4.0;
        total += days * CLEARED_RATE;
    }
    total
}

/// April–March years: the first quarter, then two full years. 25 % more
/// than the work needs in all, but the first full year holds only 60 %,
/// so money shapes the schedule without stranding anything.
fn budget(cost: f64) -> RawBudget {
    let round = |v: f64| (v / 1000.0).ceil() * 1000.0;
    let period = |from: &str, to: &str, share: f64| RawPeriod {
        from: from.into(),
        to: to.into(),
        amount: round(cost * share),
    };
    RawBudget {
        carry_over: None,
        periods: vec![
            period("2026-01-05", "2026-03-31", 0.15),
            period("2026-04-01", "2027-03-31", 0.60),
            period("2027-04-01", "2028-03-31", 0.50),
        ],
    }
}

/// About one dependency per 50 sites, always from a site to a later one
/// (so no cycle can form): a monitoring hub commissioned before another
/// site's survey, or one site's removal before another's install.
fn dependencies(sites: &[RawSite], rng: &mut ChaCha8Rng) -> Vec<RawDependency> {
    let n = sites.len();
    let mut out = Vec::new();
    if n < 2 {
        return out;
    }
    for _ in 0..(n / 50).max(1) {
        let a = rng.gen_range(0..n - 1);
        let b = rng.gen_range(a + 1..n);
        // Every generated site has domes, so every phase exists.
        let (from, to) = if rng.gen_bool(0.5) {
            ("commission", "survey")
        } else {
            ("remove", "install")
        };
        out.push(RawDependency {
            from: format!("{}/{from}", sites[a].id),
            to: format!("{}/{to}", sites[b].id),
            lag_days: rng.gen_bool(0.3).then(|| rng.gen_range(1..10) as f64),
        });
    }
    out
}
