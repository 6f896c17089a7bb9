//! How sure the timeline is, as the publishers read it: the figures `risk`
//! computes (risk.json's content), their files and their words. Apart from
//! the sampler (`risk`), so that the reports, charts and pages that show
//! them import only what they show.

pub mod text;

use chrono::NaiveDate;
use serde::Serialize;

/// The value of `format` in risk.json.
pub const FORMAT: &str = "removal-timeline-risk/1";

/// A site on time in the plan is "at risk" when less likely than this to
/// stay so.
pub const AT_RISK_BELOW: f64 = 0.8;

/// risk.json (timeline-format.md, "risk.json").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    pub format: String,
    pub samples: u64,
    pub seed: u64,
    pub programme: ProgrammeRisk,
    /// Every site, in plan order.
    pub sites: Vec<SiteRisk>,
    /// Every tier, in plan order.
    pub tiers: Vec<TierRisk>,
    /// One per plan target, in plan order.
    pub targets: Vec<TargetRisk>,
    /// Largest effect first.
    pub drivers: Vec<DriverRisk>,
    /// Devices still in place, week by week.
    pub burndown: Vec<BurnPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeRisk {
    /// The last site's removal complete, published and at each percentile
    /// (null: not complete before the horizon in that share of samples).
    pub published: Option<NaiveDate>,
    pub p50: Option<NaiveDate>,
    pub p80: Option<NaiveDate>,
    pub p95: Option<NaiveDate>,
    /// The plan's programme deadline, and the share of samples in which
    /// every site's removal is complete by it (null without a deadline).
    pub deadline: Option<NaiveDate>,
    pub deadline_probability: Option<f64>,
    pub deadline_se: Option<f64>,
    /// The share of samples in which every site meets its own deadline.
    pub all_on_time_probability: f64,
    pub all_on_time_se: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteRisk {
    pub id: String,
    pub p50: Option<NaiveDate>,
    pub p80: Option<NaiveDate>,
    pub p95: Option<NaiveDate>,
    /// Share of samples meeting the site's deadline; null without one (or
    /// without devices).
    pub on_time_probability: Option<f64>,
    /// Its standard error, √(p(1−p)/N).
    pub on_time_se: Option<f64>,
    pub deadline: Option<NaiveDate>,
    /// The published removal complete.
    pub published: Option<NaiveDate>,
    /// On time in the published timeline, but less than 80 % likely to
    /// stay so.
    pub at_risk: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierRisk {
    pub tier: String,
    /// The tier's last removal complete at P80.
    pub p80: Option<NaiveDate>,
    /// Share of samples in which every site of the tier meets its
    /// deadline; null when none of them has one.
    pub on_time_probability: Option<f64>,
    pub on_time_se: Option<f64>,
}

/// A public target (plan-format.md, `targets`): how likely it is met, and
/// the day its required devices are all removed at each percentile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRisk {
    pub id: String,
    /// The target's day.
    pub by: NaiveDate,
    /// Devices it requires removed by then (as in the timeline's row).
    pub required: u64,
    /// Share of samples in which `required` devices are removed by the
    /// end of `by`.
    pub probability: f64,
    /// Its standard error, √(p(1−p)/N).
    pub probability_se: f64,
    /// The day the required devices are all removed: in the published
    /// timeline and at each percentile of the samples (null: never before
    /// the horizon, or the target requires none).
    pub published: Option<NaiveDate>,
    pub p50: Option<NaiveDate>,
    pub p80: Option<NaiveDate>,
    pub p95: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverRisk {
    /// In words: "lead time of PTZ camera", "crews' effort in North".
    pub what: String,
    /// `lead_time:TYPE` or `effort:REGION`.
    pub key: String,
    /// The range's ends (days of lead time, or effort factors).
    pub low: f64,
    pub high: f64,
    /// Programme P80 with the driver at its high end minus at its low end,
    /// in calendar days.
    pub p80_days: i64,
    /// Programme P80 at each end against the P80 of the same samples
    /// with the driver drawn (negative: earlier).
    pub low_days: i64,
    pub high_days: i64,
    /// Mean over sites of their P80 at the high end minus at the low end.
    pub sites_p80_days: f64,
    /// Samples per end.
    pub samples: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnPoint {
    pub date: NaiveDate,
    pub p10: u64,
    pub p50: u64,
    pub p90: u64,
}
