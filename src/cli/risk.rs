//! `risk PLAN`: schedules the plan as `schedule` does (its default search),
//! then samples the plan's ranges against that published schedule and
//! writes a bundle: risk.json, risk.csv, the tornado (tornado.png, .svg)
//! and the risk report (risk.md, risk.html), then manifest.json.

use super::schedule::{default_out, load_plan_files, schedule, search_options};
use super::{output, CliError, RiskArgs, SearchArgs};
use crate::artifact::{Artifact, Context};
use crate::chart::{Chart, Drawn};
use crate::network::lower::LowerOptions;
use crate::pipeline::Scheduled;
use crate::plan::Plan;
use crate::risk::{self, export, Inputs, Risk, RiskOptions};

pub fn run(args: &RiskArgs, quiet: bool) -> Result<(), CliError> {
    let (plan, plan_files) = load_plan_files(&args.plan, quiet)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.plan, "-risk"));
    let inputs: Vec<&std::path::Path> = plan_files.iter().map(|p| p.as_path()).collect();
    let out_dir = output::OutDir::open(&out, &inputs)?;
    let search = search_options(
        &SearchArgs {
            seed: 1,
            effort: 0,
            time_limit: None,
        },
        &plan,
    )?;
    let lower = LowerOptions::default();
    let done = schedule(&plan, &lower, &search)?;
    let r = assess(&plan, &done, &lower, args.samples, args.seed, quiet)?;
    for a in bundle(&plan, &done, &r)? {
        out_dir.add(&a)?;
    }
    out_dir.commit()?;
    if !quiet {
        super::print_out(&format!(
            "{}Written to {}\n",
            crate::odds::text::summary_text(&plan, &r),
            out.display()
        ))?;
    }
    Ok(())
}

/// risk.json and risk.csv.
pub fn artifacts(r: &Risk) -> Vec<Artifact> {
    vec![
        Artifact::new("risk.json", export::to_json(r)),
        Artifact::new("risk.csv", export::to_csv(r)),
    ]
}

/// Everything `risk` writes before the manifest: the figures, the
/// tornado, and the report that prints them for a manager.
pub fn bundle(plan: &Plan, done: &Scheduled, r: &Risk) -> Result<Vec<Artifact>, CliError> {
    let ctx = Context {
        plan,
        timeline: &done.timeline,
        links: &done.links,
        baseline: None,
        risk: Some(r),
        committed: None,
    };
    let charts =
        crate::chart::render_tornado(&ctx).map_err(|e| CliError::Internal(e.to_string()))?;
    let drawn: Vec<Drawn> = Drawn::of(Chart::Tornado, &charts).into_iter().collect();
    let mut out = artifacts(r);
    out.extend(crate::report::risk::documents(&ctx, r, &drawn));
    out.extend(charts);
    Ok(out)
}

/// Runs the samples against a scheduled plan, with a progress bar on a
/// terminal (unless quiet).
pub fn assess(
    plan: &Plan,
    done: &Scheduled,
    lower: &LowerOptions,
    samples: u64,
    seed: u64,
    quiet: bool,
) -> Result<Risk, CliError> {
    if samples == 0 {
        return Err(CliError::Input(
            "--samples must be at least 1 (the default is 20000)".into(),
        ));
    }
    let bar = progress_bar(quiet);
    let show = |n: u64, of: u64| {
        if let Some(b) = &bar {
            b.set_length(of);
            b.set_position(n);
        }
    };
    let r = risk::assess(
        &Inputs {
            plan,
            network: &done.network,
            lower,
            solution: &done.solution,
            timeline: &done.timeline,
        },
        &RiskOptions {
            samples,
            seed,
            threads: 0,
        },
        &show,
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(r)
}

fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "sampling the ranges: {pos} of {len} replays ({elapsed}, about {eta} left)",
        ) {
            bar.set_style(style);
        }
        bar
    })
}
