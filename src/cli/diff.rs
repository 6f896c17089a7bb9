//! `diff OLD NEW`: what moved between two timelines, as Markdown on stdout
//! (or the JSON that `replan` writes as `diff.json`, with `--json`). With
//! `--new-plan` (or `--plan`), sites are named, tiers ranked by weight,
//! costs grouped by the plan's budget periods and what holds each moved
//! site told; with `--old-plan` too, it starts with what changed in the
//! plan.

use std::path::Path;

use super::{CliError, DiffArgs};
use crate::replan::{diff, markdown};
use crate::timeline::Timeline;

pub fn run(args: &DiffArgs, _quiet: bool) -> Result<(), CliError> {
    let old = read_timeline(&args.old)?;
    let new = read_timeline(&args.new)?;
    let plan = match &args.plan {
        Some(p) => Some(super::schedule::load_plan(p, true)?),
        None => None,
    };
    let old_plan = match &args.old_plan {
        Some(p) => Some(super::schedule::load_plan(p, true)?),
        None => None,
    };
    let plans = diff::Plans {
        old: old_plan.as_ref(),
        new: plan.as_ref(),
        new_network: None,
    };
    let d = diff::diff(&old, &new, plans);
    if args.json {
        super::print_out(&String::from_utf8_lossy(&diff::to_json(&d)))?;
    } else {
        let mut text = markdown::diff_markdown(&d, &title(&old, &new));
        if let Some(path) = &args.committed {
            let committed = read_timeline(path)?;
            let currency = plan.as_ref().map_or("", |p| p.currency.as_str());
            text.push('\n');
            text.push_str(&crate::report::committed::markdown(
                &new, &committed, currency,
            ));
        }
        super::print_out(&text)?;
    }
    Ok(())
}

/// `name` or `old name → new name`.
pub fn title(old: &Timeline, new: &Timeline) -> String {
    if old.plan == new.plan {
        new.plan.clone()
    } else {
        format!("{} → {}", old.plan, new.plan)
    }
}

/// Reads a timeline; errors are located `file:line:col` (the size limit
/// and messages are `verify`'s).
pub fn read_timeline(path: &Path) -> Result<Timeline, CliError> {
    super::verify::load_timeline(path)
}
