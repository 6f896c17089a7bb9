//! `status PLAN TIMELINE [--committed TIMELINE] [--out DIR]`: the periodic
//! status report as of the plan's `status_date`, written as status.md,
//! status.html, status.csv and status.xlsx.

use super::{CliError, StatusArgs};
use crate::artifact::Context;
use crate::status::{self, render};
use crate::timeline::Links;

pub fn run(args: &StatusArgs, quiet: bool) -> Result<(), CliError> {
    let (plan, plan_files) = super::replan::plan_as_of(
        &args.plan,
        args.as_of.progress.as_deref(),
        args.as_of.status_date,
        quiet,
    )?;
    let timeline = super::verify::load_timeline(&args.timeline)?;
    // Every figure is read off the timeline, so it must be this plan's:
    // then its rows are the network's, and its links are the network's.
    let network = crate::network::build(&plan)
        .map_err(|c| CliError::from(crate::pipeline::PipelineError::Cycle(c.ids(&plan))))?;
    let violations = crate::verify::verify_tasks(&plan, &network, &timeline);
    if let Some(first) = violations.first() {
        return Err(CliError::Input(format!(
            "{}: the timeline does not keep the plan's rules ({} violation(s); the first: {first}); \
a status report needs the timeline scheduled or re-planned from this plan (`verify` lists them all)",
            args.timeline.display(),
            violations.len()
        )));
    }
    let committed = match &args.committed {
        Some(p) => Some(super::verify::load_timeline(p)?),
        None => None,
    };
    let links = Links::new(&plan, &network, &timeline);
    let ctx = Context {
        plan: &plan,
        timeline: &timeline,
        links: &links,
        baseline: None,
        risk: None,
        committed: committed.as_ref(),
    };
    let report = status::compute(&ctx)
        .map_err(|e| CliError::Input(format!("{}: {e}", args.plan.display())))?;
    let files = render::artifacts(&report).map_err(|e| CliError::Internal(e.to_string()))?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| super::schedule::default_out(&args.plan, "-status"));
    let mut inputs: Vec<&std::path::Path> = plan_files.iter().map(|p| p.as_path()).collect();
    inputs.push(args.timeline.as_path());
    inputs.extend(args.as_of.progress.as_deref());
    if let Some(c) = &args.committed {
        inputs.push(c.as_path());
    }
    super::output::write_all(&out, &files, &inputs)?;
    if !quiet {
        let all = report.groups.last().expect("the all group");
        super::print_out(&format!(
            "{}: status as of {}: {} ({})\nwrote status.md, status.html, status.csv and status.xlsx to {}\n",
            report.plan,
            report.as_of,
            all.rag.as_str().to_uppercase(),
            all.reason,
            out.display()
        ))?;
    }
    Ok(())
}
