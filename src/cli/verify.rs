//! `verify PLAN TIMELINE`: every violation of the plan's rules, one a line;
//! exit 1 when there is any.

use std::path::Path;

use super::{CliError, VerifyArgs};
use crate::plan::Diagnostics;
use crate::timeline::Timeline;
use crate::verify::{parse_timeline, verify};

/// Largest timeline read (a timeline is a few hundred bytes a task).
const MAX_TIMELINE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub fn run(args: &VerifyArgs, quiet: bool) -> Result<(), CliError> {
    let plan = super::schedule::load_plan(&args.plan, quiet)?;
    let timeline = load_timeline(&args.timeline)?;
    let violations = verify(&plan, &timeline);
    if violations.is_empty() {
        if !quiet {
            super::print_out(&format!(
                "{}: valid: {} tasks on {} sites keep every rule of the plan\n",
                args.timeline.display(),
                timeline.tasks.len(),
                timeline.sites.len()
            ))?;
        }
        return Ok(());
    }
    let mut text = format!(
        "{}: {} violation(s) of the plan's rules:",
        args.timeline.display(),
        violations.len()
    );
    for v in &violations {
        text.push_str(&format!("\n  {v}"));
    }
    Err(CliError::Input(text))
}

/// Reads and parses a timeline; errors name the file (and line:col). A
/// timeline of a mixed bundle (see `manifest`) is refused.
pub fn load_timeline(path: &Path) -> Result<Timeline, CliError> {
    let shown = path.display().to_string();
    let bytes = crate::read::bytes(path, MAX_TIMELINE_BYTES).map_err(|e| {
        Diagnostics::one(path.into(), 1, 1, format!("cannot read the timeline: {e}"))
    })?;
    super::manifest::check_bundle(path)?;
    Ok(parse_timeline(&shown, &bytes)?)
}
