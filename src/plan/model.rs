//! The validated plan: what every later stage takes.
//!
//! Built only by `plan::load` from the raw serde types, after every rule of
//! the plan format has been checked. References between parts of the plan are
//! typed indices into the plan's own lists, so a stage can never hold a
//! dangling or mistyped ID.

use chrono::NaiveDate;
use std::collections::BTreeSet;

use crate::units::{Hundredths, Money, Price};

macro_rules! index_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            /// The position in the plan's list.
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }
        impl From<usize> for $name {
            fn from(i: usize) -> Self {
                $name(i as u32)
            }
        }
    };
}

index_type!(
    /// Index into `Plan::tiers`.
    TierIx
);
index_type!(
    /// Index into `Plan::device_types`.
    DeviceTypeIx
);
index_type!(
    /// Index into `Plan::regions`.
    RegionIx
);
index_type!(
    /// Index into `Plan::crews`.
    CrewIx
);
index_type!(
    /// Index into `Plan::sites`.
    SiteIx
);
index_type!(
    /// Index into `Plan::owners`.
    OwnerIx
);

/// A validated plan (plan format version 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    pub start: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub currency: String,
    pub financial_year_start: FyStart,
    pub calendar: Calendar,
    pub workflow: Workflow,
    pub tiers: Vec<Tier>,
    pub device_types: Vec<DeviceType>,
    pub regions: Vec<Region>,
    pub crews: Vec<Crew>,
    /// `None`: money is unlimited.
    pub budget: Option<Budget>,
    /// Sites of `sites`, then the rows of `sites_csv`, in that order.
    pub sites: Vec<Site>,
    pub dependencies: Vec<Dependency>,
    pub status_date: Option<NaiveDate>,
    pub progress: Vec<Progress>,
    /// Which schedule is best.
    pub objective: Objective,
    /// Bodies responsible for sites; empty when the plan names none.
    pub owners: Vec<Owner>,
    /// Interim public commitments, in plan order.
    pub targets: Vec<Target>,
}

/// The plan's `objective`: how two schedules of it compare (plan format,
/// "Which schedule to publish").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// Most sensitive first: tier by tier, late sites then days late;
    /// then exposure.
    #[default]
    TiersFirst,
    /// Sites late, all tiers together; days late; exposure.
    FewestLate,
    /// Exposure; sites late; days late.
    LeastExposure,
}

impl Objective {
    pub const ALL: [Objective; 3] = [
        Objective::TiersFirst,
        Objective::FewestLate,
        Objective::LeastExposure,
    ];

    /// Its name in the plan format.
    pub fn as_str(self) -> &'static str {
        match self {
            Objective::TiersFirst => "tiers_first",
            Objective::FewestLate => "fewest_late",
            Objective::LeastExposure => "least_exposure",
        }
    }

    /// The objective in one plain sentence, for people.
    pub fn sentence(self) -> &'static str {
        match self {
            Objective::TiersFirst => {
                "most sensitive first — no deadline of a more sensitive tier is given up \
                 to meet any number of deadlines of a less sensitive one"
            }
            Objective::FewestLate => {
                "fewest sites late, whatever their tier, then fewest days late"
            }
            Objective::LeastExposure => {
                "least exposure (devices left in place, weighted by tier, for the days \
                 they stay), before deadlines"
            }
        }
    }
}

/// A body responsible for sites (department, agency, funding recipient).
#[derive(Debug, Clone, PartialEq)]
pub struct Owner {
    pub id: String,
    pub name: Option<String>,
}

/// A public commitment: by the end of `by`, at least `share` of the devices
/// of the matching sites have been removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub id: String,
    pub name: Option<String>,
    pub by: NaiveDate,
    /// 0 < share ≤ 1.
    pub share: f64,
    pub tier: Option<TierIx>,
    pub owner: Option<OwnerIx>,
}

impl Target {
    /// Whether the site counts toward the target.
    pub fn matches(&self, site: &Site) -> bool {
        self.tier.is_none_or(|t| t == site.tier) && self.owner.is_none_or(|o| site.owner == Some(o))
    }

    /// The devices that must be removed by `by`: ⌈share × devices⌉, computed
    /// so that a share such as 0.65 of 100 is exactly 65.
    pub fn required(&self, devices: u64) -> u64 {
        let exact = self.share * devices as f64;
        let rounded = exact.round();
        if (exact - rounded).abs() < 1e-9 {
            rounded as u64
        } else {
            exact.ceil() as u64
        }
    }
}

/// Programme working days.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// `workdays[0]` is Monday … `workdays[6]` Sunday.
    pub workdays: [bool; 7],
    pub holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// A programme working day: a workday that is not a holiday.
    pub fn is_working(&self, day: NaiveDate) -> bool {
        use chrono::Datelike;
        self.workdays[day.weekday().num_days_from_monday() as usize]
            && !self.holidays.contains(&day)
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            workdays: [true, true, true, true, true, false, false],
            holidays: BTreeSet::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workflow {
    pub survey_days: u32,
    pub commission_days: u32,
    /// Calendar days.
    pub disposal_days: u32,
    /// Productive crew hours in a working day, in hundredths (7.5 h = 750).
    pub hours_per_day: Hundredths,
    pub package_size: u32,
    /// How far a crew task's working days may really differ from the
    /// estimate, as factors `(low, high)` with 0 < low ≤ 1 ≤ high (`risk`).
    pub effort_range: Option<(f64, f64)>,
}

impl Default for Workflow {
    fn default() -> Self {
        Workflow {
            survey_days: 1,
            commission_days: 1,
            disposal_days: 5,
            hours_per_day: Hundredths(750),
            package_size: 50,
            effort_range: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub id: String,
    pub name: Option<String>,
    /// Risk of one device of this tier left in place for one day (> 0).
    pub weight: f64,
    pub deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceType {
    pub id: String,
    pub name: Option<String>,
    pub replace: bool,
    pub unit_cost: Price,
    pub install_hours: Hundredths,
    pub remove_hours: Hundredths,
    pub lead_time_days: u32,
    pub disposal_cost: Price,
    /// The calendar days the lead time may really take, `(low, high)` with
    /// low ≤ `lead_time_days` ≤ high (`risk`); none: always the estimate.
    pub lead_time_range_days: Option<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Crew {
    pub id: String,
    pub region: RegionIx,
    pub cleared: bool,
    pub day_rate: Money,
    pub available_from: Option<NaiveDate>,
    pub available_to: Option<NaiveDate>,
}

impl Crew {
    /// Crew eligibility, the one rule of it: a crew works only in its
    /// region, and only a cleared crew at a `cleared_only` site.
    pub fn may_work_at(&self, site: &Site) -> bool {
        self.region == site.region && (self.cleared || !site.cleared_only)
    }

    /// What a crew task costs with this crew: its day rate × working days.
    pub fn cost_of(&self, days: u32) -> Money {
        Money(self.day_rate.0.saturating_mul(i64::from(days)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub carry_over: bool,
    /// Sorted by `from`; never overlapping.
    pub periods: Vec<BudgetPeriod>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub amount: Money,
}

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub id: String,
    pub name: Option<String>,
    pub region: RegionIx,
    pub tier: TierIx,
    /// Device counts, ordered by device type ID as strings sort (the order in
    /// which devices are split into packages); zero counts are kept out.
    pub devices: Vec<(DeviceTypeIx, u64)>,
    pub cleared_only: bool,
    pub not_before: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    /// Sorted by `from`.
    pub blackouts: Vec<DateRange>,
    pub owner: Option<OwnerIx>,
}

impl Site {
    pub fn device_count(&self) -> u64 {
        self.devices.iter().map(|&(_, n)| n).sum()
    }
}

impl Plan {
    /// What a site's procurement task costs: count × unit cost of every
    /// device type that is replaced.
    pub fn procurement_cost(&self, site: &Site) -> Money {
        let types = &self.device_types;
        Price::total(
            site.devices
                .iter()
                .filter(|(t, _)| types[t.ix()].replace)
                .map(|&(t, n)| (types[t.ix()].unit_cost, n)),
        )
    }

    /// What a site's disposal task costs: count × disposal cost of every
    /// device.
    pub fn disposal_cost(&self, site: &Site) -> Money {
        let types = &self.device_types;
        Price::total(
            site.devices
                .iter()
                .map(|&(t, n)| (types[t.ix()].disposal_cost, n)),
        )
    }
}

/// The phases of a site's work, in workflow order. In a timeline each
/// reads as its `as_str` name (`"survey"`, …); reading any other name is a
/// located error, never a panic.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Survey,
    Procure,
    Install,
    Commission,
    Remove,
    Dispose,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Survey,
        Phase::Procure,
        Phase::Install,
        Phase::Commission,
        Phase::Remove,
        Phase::Dispose,
    ];

    /// The name used in task IDs and in the timeline.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Survey => "survey",
            Phase::Procure => "procure",
            Phase::Install => "install",
            Phase::Commission => "commission",
            Phase::Remove => "remove",
            Phase::Dispose => "dispose",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The phase's place in `ALL` (workflow order, the order declared).
    pub fn ix(self) -> usize {
        self as usize
    }

    /// The phase as a programme manager reads it in a sentence.
    pub fn words(self) -> &'static str {
        match self {
            Phase::Survey => "the survey",
            Phase::Procure => "procurement",
            Phase::Install => "installation",
            Phase::Commission => "commissioning",
            Phase::Remove => "removal",
            Phase::Dispose => "disposal",
        }
    }

    /// Crew phases occupy a crew on working days; the others are elapsed.
    pub fn is_crew(self) -> bool {
        !matches!(self, Phase::Procure | Phase::Dispose)
    }

    /// Install and removal work is split into packages.
    pub fn is_packaged(self) -> bool {
        matches!(self, Phase::Install | Phase::Remove)
    }
}

/// `SITE/PHASE` in a dependency: for a packaged phase, all of its packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PhaseRef {
    pub site: SiteIx,
    pub phase: Phase,
}

/// One generated task: `SITE/PHASE` or `SITE/PHASE/K` (K from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskKey {
    pub site: SiteIx,
    pub phase: Phase,
    pub package: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub from: PhaseRef,
    pub to: PhaseRef,
    pub lag_days: u32,
}

/// What has already happened to one task (re-planning).
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub task: TaskKey,
    pub started: NaiveDate,
    /// `Some`: done. `None`: in progress.
    pub finished: Option<NaiveDate>,
    pub crew: Option<CrewIx>,
    pub remaining_days: Option<u32>,
    pub cost: Option<Money>,
}

/// How long a plan may run: nothing finishes on or after the 20th
/// anniversary of its start.
pub const HORIZON_YEARS: u32 = 20;

/// The longest a task may run, `start` to `finish`: the horizon's 20 years
/// (of 366 days) and a day. Only reported progress can come near it.
pub const MAX_TASK_SPAN_DAYS: i64 = 366 * 20 + 1;

/// The horizon, the one rule for it: the first day on which nothing that
/// began on `start` may still be running.
pub fn horizon_date(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(chrono::Months::new(12 * HORIZON_YEARS))
        .unwrap_or(NaiveDate::MAX)
}

impl Plan {
    /// The devices of the sites a target counts, in total.
    pub fn target_devices(&self, target: &Target) -> u64 {
        self.sites
            .iter()
            .filter(|s| target.matches(s))
            .map(Site::device_count)
            .sum()
    }

    /// The site's owner ID, when it has one.
    pub fn owner_id(&self, site: SiteIx) -> Option<&str> {
        self.sites[site.ix()]
            .owner
            .map(|o| self.owners[o.ix()].id.as_str())
    }

    /// The site's effective deadline: its own, else its tier's, else the programme's.
    pub fn site_deadline(&self, site: SiteIx) -> Option<NaiveDate> {
        let s = &self.sites[site.ix()];
        s.deadline
            .or(self.tiers[s.tier.ix()].deadline)
            .or(self.deadline)
    }

    /// The task ID as written in plans and timelines.
    pub fn task_id(&self, key: TaskKey) -> String {
        let site = &self.sites[key.site.ix()].id;
        match key.package {
            Some(k) => format!("{site}/{}/{k}", key.phase.as_str()),
            None => format!("{site}/{}", key.phase.as_str()),
        }
    }
}

impl Plan {
    /// How many tasks phase `phase` has at `site`: 0 when the site does not
    /// have the phase, else 1, or the number of packages for install and
    /// removal. Follows the plan format's table of generated tasks.
    pub fn phase_task_count(&self, site: SiteIx, phase: Phase) -> u64 {
        let s = &self.sites[site.ix()];
        let all = s.device_count();
        let replaced: u64 = s
            .devices
            .iter()
            .filter(|(t, _)| self.device_types[t.ix()].replace)
            .map(|&(_, n)| n)
            .sum();
        let wf = &self.workflow;
        let size = u64::from(wf.package_size.max(1));
        let one_if = |c: bool| u64::from(c);
        match phase {
            Phase::Survey => one_if(wf.survey_days > 0 && all > 0),
            Phase::Procure => one_if(replaced > 0),
            Phase::Install => replaced.div_ceil(size),
            Phase::Commission => one_if(replaced > 0 && wf.commission_days > 0),
            Phase::Remove => all.div_ceil(size),
            Phase::Dispose => one_if(wf.disposal_days > 0 && all > 0),
        }
    }

    /// How many tasks the plan expands into (the network's task count,
    /// without building it).
    pub fn task_count(&self) -> u64 {
        (0..self.sites.len())
            .map(|s| {
                Phase::ALL
                    .iter()
                    .map(|&p| self.phase_task_count(SiteIx::from(s), p))
                    .sum::<u64>()
            })
            .sum()
    }

    /// Every task of a site, in workflow order.
    pub fn site_task_keys(&self, site: SiteIx) -> Vec<TaskKey> {
        let mut keys = Vec::new();
        for phase in Phase::ALL {
            let n = self.phase_task_count(site, phase);
            if phase.is_packaged() {
                keys.extend((1..=n).map(|k| TaskKey {
                    site,
                    phase,
                    package: Some(k as u32),
                }));
            } else if n > 0 {
                keys.push(TaskKey {
                    site,
                    phase,
                    package: None,
                });
            }
        }
        keys
    }
}

/// The first day of the financial year (`financial_year_start`, "MM-DD"):
/// UK government 1 April (the default), US federal 1 October, Australia
/// 1 July. Charts, reports and yearly figures group and label years by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FyStart {
    /// 1 to 12.
    pub month: u32,
    /// 1 to 28, 29, 30 or 31 as the month allows (never 29 February).
    pub day: u32,
}

impl Default for FyStart {
    fn default() -> Self {
        FyStart { month: 4, day: 1 }
    }
}

impl FyStart {
    /// The calendar year in which the financial year holding `d` begins.
    pub fn year_of(self, d: NaiveDate) -> i32 {
        use chrono::Datelike;
        if (d.month(), d.day()) >= (self.month, self.day) {
            d.year()
        } else {
            d.year() - 1
        }
    }

    /// The first day of the financial year beginning in calendar year `y`.
    pub fn first_day(self, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(y, self.month, 28))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the financial year after the one holding `d`.
    pub fn next_start(self, d: NaiveDate) -> NaiveDate {
        self.first_day(self.year_of(d) + 1)
    }

    /// `FY 2026/27` for the year beginning in 2026 (`FY 2026` when years
    /// start on 1 January).
    pub fn label(self, y: i32) -> String {
        if (self.month, self.day) == (1, 1) {
            format!("FY {y}")
        } else {
            format!("FY {}/{:02}", y, (y + 1).rem_euclid(100))
        }
    }

    /// The short form for crowded axes: `FY26/27` (`FY26`).
    pub fn short_label(self, y: i32) -> String {
        if (self.month, self.day) == (1, 1) {
            format!("FY{:02}", y.rem_euclid(100))
        } else {
            format!("FY{:02}/{:02}", y.rem_euclid(100), (y + 1).rem_euclid(100))
        }
    }

    /// As the plan writes it: `04-01`.
    pub fn mm_dd(self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }
}
