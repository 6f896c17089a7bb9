//! The published timeline (timeline format version 1): what `schedule` and
//! `replan` write as `timeline.json`, and what `verify`, `diff`, charts and
//! reports read. Plain data; field order is the order written.

pub mod build;
pub mod by_id;
pub mod links;
pub mod rank;
pub mod targets;
pub mod why;

pub use by_id::{by_site_id, pair, pair_tasks, ById, IdIndex, Paired, Pairs};
pub use links::{LinkedTask, Links, Pred};

use crate::plan::Phase;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The value of `format`.
pub const FORMAT: &str = "removal-timeline/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Always `removal-timeline/1`.
    pub format: String,
    /// The programme's name.
    pub plan: String,
    /// The plan's `start`.
    pub start: NaiveDate,
    /// The day progress was reported as of, when re-planning.
    pub status_date: Option<NaiveDate>,
    pub summary: Summary,
    /// Every generated task, by site (plan order) then workflow order.
    pub tasks: Vec<TaskRow>,
    /// Every site, in plan order.
    pub sites: Vec<SiteRow>,
    /// One per plan target, in plan order; absent when the plan has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetRow>,
}

/// A public target and how the timeline meets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRow {
    pub id: String,
    /// The day by whose end the share must be removed.
    pub by: NaiveDate,
    /// Devices of the matching sites.
    pub devices: u64,
    /// ⌈share × devices⌉.
    pub required: u64,
    /// Devices whose removal package finishes by the end of `by`.
    pub removed: u64,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Latest finish over tasks.
    pub finish: Option<NaiveDate>,
    /// Latest removal complete day over sites.
    pub removal_complete: Option<NaiveDate>,
    /// Sum of the costs of every task that is not unscheduled.
    pub total_cost: f64,
    /// Σ tier weight × devices × days from start to removal complete (both counted).
    pub exposure: f64,
    pub sites: u64,
    /// Scheduled sites whose removal completes after their deadline.
    pub sites_late: u64,
    pub tasks: u64,
    /// Unscheduled tasks.
    pub unscheduled: u64,
    /// Sites whose removal is unscheduled.
    pub sites_unscheduled: u64,
    /// Devices of those sites.
    pub devices_unscheduled: u64,
    /// Money committed to sites whose removal is unscheduled (wasted while
    /// they stay so). Added by this project.
    #[serde(default)]
    pub stranded_cost: f64,
    /// The plan's `objective`, by which timelines of it compare.
    #[serde(default = "default_objective")]
    pub objective: String,
    /// One entry per tier, in the plan's order.
    #[serde(default)]
    pub tiers: Vec<TierSummary>,
}

fn default_objective() -> String {
    crate::plan::Objective::default().as_str().into()
}

/// One tier's sites and how they fare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierSummary {
    /// The tier's ID.
    pub tier: String,
    pub sites: u64,
    /// Its scheduled sites that are late.
    pub sites_late: u64,
    /// Their days late, summed.
    pub late_days: i64,
    /// Its sites whose removal is unscheduled.
    pub sites_unscheduled: u64,
    /// Their devices.
    pub devices_unscheduled: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    InProgress,
    Planned,
    Unscheduled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::InProgress => "in_progress",
            Status::Planned => "planned",
            Status::Unscheduled => "unscheduled",
        }
    }
}

/// What held a late site back most (`sites[].late_category`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateCategory {
    /// Money: a budget period ran out, or no period could fund the work.
    Funding,
    /// Procurement lead times.
    Supply,
    /// Crews busy elsewhere, or none available.
    Crews,
    /// Blackouts, crew windows at the site, `not_before`.
    Access,
    /// Another site's work it depends on.
    Dependency,
    /// Reported progress: work under way or not started by the status date.
    Progress,
}

impl LateCategory {
    /// Every category, in the order reports list them.
    pub const ALL: [LateCategory; 6] = [
        LateCategory::Funding,
        LateCategory::Supply,
        LateCategory::Crews,
        LateCategory::Access,
        LateCategory::Dependency,
        LateCategory::Progress,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LateCategory::Funding => "funding",
            LateCategory::Supply => "supply",
            LateCategory::Crews => "crews",
            LateCategory::Access => "access",
            LateCategory::Dependency => "dependency",
            LateCategory::Progress => "progress",
        }
    }

    /// How a report heads the category, for a programme manager.
    pub fn words(self) -> &'static str {
        match self {
            LateCategory::Funding => "funding (money ran out)",
            LateCategory::Supply => "supply (procurement lead times)",
            LateCategory::Crews => "crews (busy or not available)",
            LateCategory::Access => "access (blackouts, windows, not before)",
            LateCategory::Dependency => "dependency (another site's work)",
            LateCategory::Progress => "progress (reported work)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    /// `SITE/PHASE` or `SITE/PHASE/K`.
    pub id: String,
    pub site: String,
    /// `survey procure install commission remove dispose`, as named by
    /// `Phase::as_str`.
    pub phase: Phase,
    /// 1-based package number for install and removal packages.
    pub package: Option<u32>,
    /// Devices this task handles.
    pub devices: u64,
    pub start: Option<NaiveDate>,
    pub finish: Option<NaiveDate>,
    /// Working days for crew tasks, calendar days for elapsed ones.
    pub duration: u32,
    /// Null for elapsed tasks and unscheduled ones.
    pub crew: Option<String>,
    pub cost: Option<f64>,
    pub status: Status,
    /// Why an unscheduled task is unscheduled, in words.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRow {
    pub id: String,
    pub tier: String,
    pub region: String,
    /// All of the site's devices.
    pub devices: u64,
    /// Finish of its last removal package; null while any is unscheduled
    /// or when the site has no devices.
    pub removal_complete: Option<NaiveDate>,
    /// Site's deadline, else its tier's, else the programme's.
    pub deadline: Option<NaiveDate>,
    /// Calendar days late; null when its removal is unscheduled.
    pub late_days: Option<i64>,
    /// For a late or unscheduled site: what held it back, in words. Added
    /// by this project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_reason: Option<String>,
    /// For a late or unscheduled site: what held it back most, as one of
    /// the categories funders ask for. Added by this project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_category: Option<LateCategory>,
    /// The body responsible for the site (null when the plan names none).
    #[serde(default)]
    pub owner: Option<String>,
}
