//! Loading a plan whole: `plan/` reads and validates the file, and the
//! task network (`network::check`) adds the checks only it can make (a
//! cycle, progress past the horizon or ahead of the workflow). Every
//! command and test loads plans and progress files through here.

use std::path::Path;

use chrono::NaiveDate;

use crate::network::check::Checks;
use crate::plan::{self, Diagnostic, Diagnostics, Limits, Loaded, Plan, Progress};

/// Loads a plan file; `sites_csv` is read relative to it.
pub fn plan_file(path: &Path) -> Result<Loaded, Diagnostics> {
    plan::load_file(path, &Checks)
}

/// Loads a plan from text; `path` names the file in messages and anchors `sites_csv`.
pub fn plan_str(text: &str, path: &Path) -> Result<Loaded, Diagnostics> {
    plan::load_str(text, path, &Checks)
}

/// Loads a plan from text with explicit limits.
pub fn plan_str_with(text: &str, path: &Path, limits: &Limits) -> Result<Loaded, Diagnostics> {
    plan::load_str_with(text, path, limits, &Checks)
}

/// Progress from a file: JSON (the `progress` array, or an object with a
/// `progress` field) or CSV (`task,started,finished,crew,remaining_days,cost`),
/// checked against the plan as of its `status_date`.
pub fn progress_file(path: &Path, plan: &Plan) -> Result<Vec<Progress>, Diagnostics> {
    progress(path, plan, plan.status_date).map(|(p, _)| p)
}

/// As `progress_file`, as of a given status date, with the warnings.
pub fn progress(
    path: &Path,
    plan: &Plan,
    status_date: Option<NaiveDate>,
) -> Result<(Vec<Progress>, Vec<Diagnostic>), Diagnostics> {
    plan::load_progress(path, plan, status_date, &Checks)
}
