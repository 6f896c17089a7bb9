//! The checks only the task network can make: a cycle through the
//! dependencies and the workflow, and progress that would end past the
//! horizon or that ran ahead of the workflow. `network/` makes them
//! (`network::check`); the loader asks for them through `GraphChecks` and
//! points each finding at its place in the file, so `plan/` imports nothing
//! above it.

use chrono::NaiveDate;

use super::diag::Severity;
use super::model::{Plan, Progress, TaskKey};

/// One problem the network found, at a place the loader can locate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub place: Place,
    pub severity: Severity,
    pub message: String,
}

/// Where a finding belongs in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `dependencies[i]` of the plan.
    Dependency(usize),
    /// A field of the first progress record of a task.
    Progress { task: TaskKey, field: &'static str },
}

/// Checks a validated plan and its progress against its task network.
pub trait GraphChecks {
    /// `Err` with the cycle when the plan has one; otherwise the findings
    /// about `progress` as of `status` (none when either is missing).
    fn check(
        &self,
        plan: &Plan,
        status: Option<NaiveDate>,
        progress: &[Progress],
    ) -> Result<Vec<Finding>, Finding>;
}
