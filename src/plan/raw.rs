//! The plan file as written: serde types that mirror the JSON one to one.
//!
//! They are deliberately lenient about values (counts and money are `f64`,
//! dates are strings) so that serde only refuses the *shape* of a file
//! (unknown fields, wrong JSON types); every rule about values is checked by
//! `validate`, which can then report all problems at once, each located.
//! The JSON Schema (`schema` command) is derived from these types, with the
//! value rules written into it as `with`/`extend` attributes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A removal programme (plan format version 1).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "removal-timeline plan (format version 1)")]
pub struct RawPlan {
    /// Programme name, shown on every chart and report.
    pub name: String,
    /// First day on which any task may start (YYYY-MM-DD).
    #[schemars(extend("format" = "date"))]
    pub start: String,
    /// Programme target: every site's removal complete by this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub deadline: Option<String>,
    /// First day of the financial year, "MM-DD" (default "04-01"; US
    /// federal "10-01", Australia "07-01").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))]
    pub financial_year_start: Option<String>,
    /// Label for money (default "GBP").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<RawCalendar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<RawWorkflow>,
    /// Priority tiers (at least one).
    pub tiers: Vec<RawTier>,
    /// Kinds of device (at least one).
    pub device_types: Vec<RawDeviceType>,
    /// Regions (at least one); a crew works only in its own region.
    pub regions: Vec<RawRegion>,
    /// Crews (at least one).
    pub crews: Vec<RawCrew>,
    /// Money available per period; absent means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<RawBudget>,
    /// Sites holding devices to remove.
    #[serde(default)]
    pub sites: Vec<RawSite>,
    /// Path, relative to the plan file, of a CSV file of more sites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites_csv: Option<String>,
    /// Extra precedence between tasks of different sites.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<RawDependency>,
    /// Re-planning: the day the progress is reported as of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub status_date: Option<String>,
    /// Re-planning: what has already happened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<RawProgress>,
    /// Which schedule is best: "tiers_first" (default), "fewest_late" or
    /// "least_exposure".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["tiers_first", "fewest_late", "least_exposure"]))]
    pub objective: Option<String>,
    /// Bodies responsible for sites (department, agency, funding recipient).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<RawOwner>,
    /// Interim public commitments: a share of devices removed by a day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<RawTarget>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOwner {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// By the end of day `by`, at least `share` of the devices of the matching
/// sites (of `tier` and/or `owner`; all sites when neither) are removed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The day by whose end the share must be removed (YYYY-MM-DD).
    #[schemars(extend("format" = "date"))]
    pub by: String,
    /// Share of the matching devices removed by then (0 < share ≤ 1; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0, "maximum" = 1))]
    pub share: Option<f64>,
    /// Only the sites of this tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Only the sites of this owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// Working weekdays: "mon" … "sun" (default Monday to Friday).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workdays: Option<Vec<String>>,
    /// Days on which no crew works anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<DateString>")]
    pub holidays: Vec<String>,
}

/// A date, "YYYY-MM-DD".
#[derive(JsonSchema)]
#[schemars(extend("format" = "date"))]
#[allow(dead_code)]
struct DateString(String);

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkflow {
    /// Working days of the site survey (default 1; 0 omits it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u32>")]
    pub survey_days: Option<f64>,
    /// Working days to commission the replacement (default 1; 0 omits it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u32>")]
    pub commission_days: Option<f64>,
    /// Calendar days of secure disposal (default 5; 0 omits it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u32>")]
    pub disposal_days: Option<f64>,
    /// Productive crew hours in a working day (default 7.5; > 0, two decimals at most).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_day: Option<f64>,
    /// Devices per install or removal package (default 50; ≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u32>")]
    pub package_size: Option<f64>,
    /// `[low, high]`, 0 < low ≤ 1 ≤ high: the factor by which a crew task's
    /// working days may really differ from the estimate (for `risk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<[f64; 2]>")]
    pub effort_range: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Risk of one device of this tier left in place for one day (> 0).
    pub weight: f64,
    /// Target day by which every site of the tier has its removal complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub deadline: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDeviceType {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `false`: removed without a replacement (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<bool>,
    /// Cost of one replacement unit (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<f64>,
    /// Crew hours to install one replacement unit (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_hours: Option<f64>,
    /// Crew hours to remove one old unit (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_hours: Option<f64>,
    /// Calendar days from order to delivery (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u32>")]
    pub lead_time_days: Option<f64>,
    /// Cost of securely disposing of one old unit (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposal_cost: Option<f64>,
    /// `[low, high]` with low ≤ lead_time_days ≤ high: the range the lead
    /// time may really take, in calendar days (for `risk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<[u32; 2]>")]
    pub lead_time_range_days: Option<Vec<f64>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCrew {
    pub id: String,
    /// The only region the crew works in.
    pub region: String,
    /// Security-cleared: may work at `cleared_only` sites (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared: Option<bool>,
    /// Cost of one working day (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_rate: Option<f64>,
    /// First day the crew is available (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub available_from: Option<String>,
    /// Last day the crew is available (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub available_to: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    /// Unspent money carries into later periods (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carry_over: Option<bool>,
    pub periods: Vec<RawPeriod>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    #[schemars(extend("format" = "date"))]
    pub from: String,
    #[schemars(extend("format" = "date"))]
    pub to: String,
    pub amount: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub region: String,
    pub tier: String,
    /// Device type ID → count.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, u64>")]
    pub devices: BTreeMap<String, f64>,
    /// Every crew task here needs a cleared crew (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared_only: Option<bool>,
    /// No task of the site starts before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub not_before: Option<String>,
    /// Overrides the tier's deadline for this site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub deadline: Option<String>,
    /// Inclusive ranges when crews may not work here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blackouts: Vec<RawRange>,
    /// ID from `owners`: the body responsible for the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    #[schemars(extend("format" = "date"))]
    pub from: String,
    #[schemars(extend("format" = "date"))]
    pub to: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDependency {
    /// "SITE/PHASE": every task of that phase must finish first.
    pub from: String,
    /// "SITE/PHASE" of another site.
    pub to: String,
    /// Calendar days to wait after `from` finishes (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u32>")]
    pub lag_days: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProgress {
    /// A generated task ID: "SITE/PHASE" or "SITE/PHASE/K".
    pub task: String,
    #[schemars(extend("format" = "date"))]
    pub started: String,
    /// Present: the task is done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub finished: Option<String>,
    /// The crew that did it (required for crew tasks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crew: Option<String>,
    /// Working or calendar days still to go after the status date (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<u32>")]
    pub remaining_days: Option<f64>,
    /// Actual cost, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
}

/// A progress file in JSON written as an object: `{"progress": [...]}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProgressObject {
    pub progress: Vec<RawProgress>,
}
