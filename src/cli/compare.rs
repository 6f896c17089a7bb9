//! `compare PLAN [--scenario FILE]... [--budget-scale FROM=FACTOR]...`:
//! schedules the plan and each scenario with the same search, and writes
//! the side-by-side table (comparison.md, comparison.csv, also printed),
//! one burndown chart overlaying the scenarios, and each scenario's
//! timeline under `timelines/`. Nothing is written unless all of it rendered.

use std::path::{Path, PathBuf};

use super::{output, CliError, CompareArgs};
use crate::artifact::Artifact;
use crate::network::lower::LowerOptions;
use crate::pipeline::schedule_plan;
use crate::plan::{self, Plan};
use crate::replan;
use crate::replan::compare::{self, Row};
use crate::schedule;
use crate::timeline::{Links, Timeline};

pub fn run(args: &CompareArgs, quiet: bool) -> Result<(), CliError> {
    let text = plan::read_file_text(&args.plan)?;
    let (base, plan_files) = load(&text, &args.plan, quiet)?;
    let baseline = match &args.baseline {
        Some(path) => {
            let b = super::diff::read_timeline(path)?;
            super::replan::check_same_programme(&base, &b, path)?;
            Some(b)
        }
        None => None,
    };
    let (first_name, first_is) = match &args.baseline {
        Some(path) => (
            "re-plan as published",
            format!(
                "the re-plan against {} as `replan` publishes it with the same options",
                crate::report::escape::md(&path.display().to_string())
            ),
        ),
        None => (
            "plan as published",
            "the plan as `schedule` publishes it with the same options".to_string(),
        ),
    };
    let mut scenarios: Vec<(String, Plan)> = vec![(first_name.into(), base.clone())];
    let mut notes = Vec::new();
    for file in &args.scenario {
        scenarios.push(scenario(&text, &args.plan, file, quiet)?);
    }
    for s in &args.budget_scale {
        let (from, factor) = compare::parse_budget_scale(s)?;
        let (p, said) = compare::scale_budget(&base, from, factor)?;
        notes.extend(said);
        scenarios.push((compare::budget_scale_name(from, factor), p));
    }
    for (_, p) in scenarios.iter_mut() {
        as_of(p, args)?;
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| super::schedule::default_out(&args.plan, "-compare"));
    let mut inputs: Vec<&Path> = plan_files.iter().map(PathBuf::as_path).collect();
    inputs.extend(args.scenario.iter().map(PathBuf::as_path));
    inputs.extend(args.as_of.progress.as_deref());
    inputs.extend(args.baseline.as_deref());
    let out = output::OutDir::open(&out, &inputs)?;
    if !quiet {
        for n in &notes {
            super::print_err(n);
        }
    }
    let names = compare::unique_names(scenarios.iter().map(|(n, _)| n.clone()).collect());
    let search = super::schedule::search_options(&args.search, &base)?;
    let mut done: Vec<(String, Timeline, Links)> = Vec::new();
    for (name, (_, p)) in names.into_iter().zip(&scenarios) {
        if !quiet {
            super::print_err(&format!("scheduling: {name}"));
        }
        let solve = |pr: &schedule::Problem| schedule::solve(pr, &search);
        let scheduled = match &baseline {
            Some(b) => replan::replan(p, b, solve).map(|r| r.scheduled),
            None => schedule_plan(p, &LowerOptions::default(), solve),
        };
        let scheduled = scheduled.map_err(|e| CliError::from(e).within(&name))?;
        done.push((name, scheduled.timeline, scheduled.links));
    }
    let rows: Vec<Row> = done
        .iter()
        .map(|(name, timeline, _)| Row { name, timeline })
        .collect();
    let mut md = compare::table_markdown(&base, &rows, &first_is);
    for n in &notes {
        md.push_str(&format!("\nNote: {}\n", crate::report::escape::md(n)));
    }
    out.add(&Artifact::new("comparison.md", md.clone().into_bytes()))?;
    out.add(&Artifact::new(
        "comparison.csv",
        compare::table_csv(&base, &rows),
    ))?;
    for (name, t, _) in &done {
        let path = format!("timelines/{}.json", compare::slug(name));
        out.add(&Artifact::new(path, crate::timeline::build::to_json(t)))?;
    }
    for a in crate::chart::render_scenarios(&base, &done)
        .map_err(|e| CliError::Internal(e.to_string()))?
    {
        out.add(&a)?;
    }
    let shown = out.dir().display().to_string();
    out.commit()?;
    super::print_out(&md)?;
    if !quiet {
        super::print_err(&format!("Written to {shown}"));
    }
    Ok(())
}

/// Applies `--status-date` and `--progress` to one scenario's plan (the
/// progress is checked against each, as a scenario may change tasks).
fn as_of(plan: &mut Plan, args: &CompareArgs) -> Result<(), CliError> {
    if let Some(d) = args.as_of.status_date {
        plan.status_date = Some(d);
    }
    if let Some(file) = &args.as_of.progress {
        let (progress, _) = crate::load::progress(file, plan, plan.status_date)?;
        plan.progress = progress;
    }
    Ok(())
}

/// The plan and the files it was read from.
fn load(text: &str, path: &Path, quiet: bool) -> Result<(Plan, Vec<PathBuf>), CliError> {
    let loaded = crate::load::plan_str(text, path)?;
    if !quiet {
        for w in &loaded.warnings {
            super::print_err(&w.to_string());
        }
    }
    Ok((loaded.plan, loaded.files))
}

/// A scenario file applied to the plan: its name and the patched plan.
/// Errors point into the scenario file.
fn scenario(
    plan_text: &str,
    plan_path: &Path,
    file: &Path,
    quiet: bool,
) -> Result<(String, Plan), CliError> {
    let text = plan::read_file_text(file)?;
    let at = |line: usize, col: usize, message: String| {
        plan::Diagnostics::one(file.to_path_buf(), line, col, message)
    };
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        let msg = e.to_string();
        let msg = msg
            .rsplit_once(" at line ")
            .map_or(msg.as_str(), |(m, _)| m);
        return Err(at(e.line().max(1), e.column().max(1), msg.into()).into());
    }
    let (name, patched) = compare::patch_plan_text(plan_text, &text).map_err(|e| {
        let (line, col) = plan::key_line_col(&text, &e.path);
        at(line, col, e.message)
    })?;
    // The plan's own errors are located in the patched text, which the
    // user never sees: each is reported against the scenario file.
    let loaded = crate::load::plan_str(&patched, plan_path).map_err(|d| {
        let each = d.0.into_iter().map(|x| plan::Diagnostic {
            file: file.to_path_buf(),
            line: 1,
            col: 1,
            severity: x.severity,
            message: format!(
                "with this scenario applied, the plan is invalid: {}",
                x.message
            ),
        });
        plan::Diagnostics(each.collect())
    })?;
    let shown = file.display();
    if !quiet && !loaded.warnings.is_empty() {
        super::print_err(&format!(
            "{shown}: {} warning(s) in the patched plan",
            loaded.warnings.len()
        ));
    }
    let name = name.unwrap_or_else(|| {
        file.file_stem()
            .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
    });
    Ok((name, loaded.plan))
}
