//! `replan PLAN --baseline TIMELINE [--progress FILE] [--status-date DATE]`:
//! re-plan from progress, keeping the baseline where nothing forces a move;
//! writes what `schedule` writes plus `diff.md` and `diff.json`. Nothing is
//! written unless the new timeline passed `verify` and everything rendered.

use std::path::{Path, PathBuf};

use super::diff::read_timeline;
use super::{output, CliError, ReplanArgs};
use crate::artifact::{Artifact, Context};
use crate::bundle;
use crate::plan::Plan;
use crate::replan::{self, diff, markdown, Replanned};
use crate::schedule;
use crate::timeline::Timeline;

pub fn run(args: &ReplanArgs, quiet: bool) -> Result<(), CliError> {
    let (plan, plan_files) = plan_as_of(
        &args.plan,
        args.as_of.progress.as_deref(),
        args.as_of.status_date,
        quiet,
    )?;
    let baseline = read_timeline(&args.baseline)?;
    check_same_programme(&plan, &baseline, &args.baseline)?;
    let (baseline_plan, baseline_files) = match &args.baseline_plan {
        Some(p) => {
            let (plan, files) = super::schedule::load_plan_files(p, true)?;
            (Some(plan), files)
        }
        None => (None, Vec::new()),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| super::schedule::default_out(&args.plan, "-replan"));
    let mut inputs: Vec<&Path> = plan_files.iter().map(PathBuf::as_path).collect();
    inputs.push(&args.baseline);
    inputs.extend(baseline_files.iter().map(PathBuf::as_path));
    inputs.extend(args.as_of.progress.as_deref());
    inputs.extend(args.committed.as_deref());
    let out = output::OutDir::open(&out, &inputs)?;
    if baseline.plan != plan.name && !quiet {
        super::print_err(&format!(
            "warning: the baseline is a timeline of \"{}\", the plan is \"{}\"",
            baseline.plan, plan.name
        ));
    }
    let committed = match &args.committed {
        Some(p) => Some(read_timeline(p)?),
        None => None,
    };
    let search = super::schedule::search_options(&args.search, &plan)?;
    let r = replan::replan(&plan, &baseline, |p| schedule::solve(p, &search))
        .map_err(CliError::from)?;
    let timeline = &r.scheduled.timeline;
    let d = diff::diff(
        &baseline,
        timeline,
        diff::Plans {
            old: baseline_plan.as_ref(),
            new: Some(&plan),
            new_network: Some(&r.scheduled.network),
        },
    );
    let ctx = Context {
        plan: &plan,
        timeline,
        links: &r.scheduled.links,
        baseline: Some(&baseline),
        risk: None,
        committed: committed.as_ref(),
    };
    bundle::publish_into(&ctx, &out).map_err(CliError::from)?;
    let title = super::diff::title(&baseline, timeline);
    out.add(&Artifact::new("diff.json", diff::to_json(&d)))?;
    let mut diff_md = markdown::diff_markdown(&d, &title);
    if let Some(c) = &committed {
        diff_md.push('\n');
        diff_md.push_str(&crate::report::committed::markdown(
            timeline,
            c,
            &plan.currency,
        ));
    }
    out.add(&Artifact::new("diff.md", diff_md.into_bytes()))?;
    let shown = out.dir().to_path_buf();
    out.commit()?;
    if !quiet {
        super::print_out(&summary(&plan, &r, &d, &shown))?;
    }
    Ok(())
}

/// A baseline of another programme (no site in common, or another name
/// and another start) would publish a re-plan against nonsense: refused
/// before anything is written. A renamed plan with the same start or some
/// sites in common is only warned about.
pub(super) fn check_same_programme(
    plan: &Plan,
    baseline: &Timeline,
    path: &Path,
) -> Result<(), CliError> {
    let ids: std::collections::HashSet<&str> = plan.sites.iter().map(|s| s.id.as_str()).collect();
    let common = baseline
        .sites
        .iter()
        .filter(|s| ids.contains(s.id.as_str()))
        .count();
    let why = if common == 0 && !baseline.sites.is_empty() && !plan.sites.is_empty() {
        format!("none of its {} sites is in the plan", baseline.sites.len())
    } else if baseline.plan != plan.name && baseline.start != plan.start {
        format!(
            "it is a timeline of \"{}\" from {}, the plan is \"{}\" from {}",
            baseline.plan, baseline.start, plan.name, plan.start
        )
    } else {
        return Ok(());
    };
    Err(CliError::Input(format!(
        "{}: error: the baseline is not a timeline of this programme: {why}; give the \
         timeline.json that `schedule` (or the last `replan`) wrote for this plan",
        path.display()
    )))
}

/// The plan with the status date and progress the user gave (`replan`,
/// `status`), and the files the plan was read from.
pub fn plan_as_of(
    path: &Path,
    progress: Option<&Path>,
    status_date: Option<chrono::NaiveDate>,
    quiet: bool,
) -> Result<(Plan, Vec<PathBuf>), CliError> {
    let loaded = crate::load::plan_file(path)?;
    let files = loaded.files;
    let mut plan = loaded.plan;
    let mut warnings = loaded.warnings;
    if let Some(d) = status_date {
        plan.status_date = Some(d);
        if progress.is_none() {
            check_own_progress(&plan, path)?;
        }
    }
    if let Some(file) = progress {
        let (progress, w) = crate::load::progress(file, &plan, plan.status_date)?;
        plan.progress = progress;
        warnings.extend(w);
    }
    if !quiet {
        for w in &warnings {
            super::print_err(&w.to_string());
        }
    }
    Ok((plan, files))
}

/// The plan's own progress, checked against a status date given on the
/// command line (the loader checked it against the plan's own).
fn check_own_progress(plan: &Plan, path: &Path) -> Result<(), CliError> {
    let Some(status) = plan.status_date else {
        return Ok(());
    };
    for p in &plan.progress {
        let last = p.finished.unwrap_or(p.started);
        if last > status {
            return Err(CliError::Input(format!(
                "{}: error: progress of {} reports {last}, after the status date {status} given by --status-date",
                path.display(),
                plan.task_id(p.task)
            )));
        }
    }
    Ok(())
}

/// A few lines for the manager: what was kept, what moved, the headline.
fn summary(plan: &Plan, r: &Replanned, d: &diff::Diff, out: &Path) -> String {
    let s = &r.scheduled.timeline.summary;
    let newly_late = d
        .sites
        .iter()
        .filter(|c| c.change == diff::SiteMove::NewlyLate)
        .count();
    // One definition of "kept" everywhere (diff.md, diff.json, here): a
    // task scheduled in both timelines with the same start and crew.
    let mut t = format!(
        "Tasks scheduled in both: {} kept their start and crew, {} moved \
         (work reported done or under way is taken as reported).\n",
        d.tasks_kept, d.tasks_moved,
    );
    if let Some(j) = &d.verdict {
        let because = if j.because.is_empty() {
            String::new()
        } else {
            format!(": {}", j.because)
        };
        t.push_str(&format!(
            "By the plan's objective ({}), the re-plan is {} than the baseline{because}\n",
            j.objective,
            match j.verdict.as_str() {
                "same" => "no better and no worse",
                other => other,
            }
        ));
    }
    if !d.due_unreported.is_empty() {
        const SHOWN: usize = 5;
        let ids: Vec<&str> = d
            .due_unreported
            .iter()
            .take(SHOWN)
            .map(|t| t.id.as_str())
            .collect();
        let more = d.due_unreported.len().saturating_sub(SHOWN);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        t.push_str(&format!(
            "Warning: {} baseline task(s) were due to start by the status date with no progress \
             reported, so they are re-planned as not started: {}{more} (listed in diff.md)\n",
            d.due_unreported.len(),
            ids.join(", ")
        ));
    }
    t.push_str(&super::schedule::standing_text(plan, &r.scheduled.timeline));
    t.push_str(&format!(
        "Against the baseline: removal complete {}; {} site(s) newly late\nCost: {} {}\n",
        markdown::days(d.summary.removal_complete_days),
        newly_late,
        crate::words::money_exact_f64(s.total_cost),
        plan.currency
    ));
    if r.fresh {
        t.push_str(
            "Re-planned from scratch: keeping the baseline's dates would have cost a deadline \
             (or left work unscheduled) that a fresh plan meets.
",
        );
    }
    if !r.released_sites.is_empty() {
        t.push_str(&format!(
            "Re-placed all work of {} site(s) whose later work can no longer be scheduled, \
             rather than commit money to them: {}\n",
            r.released_sites.len(),
            r.released_sites.join(", ")
        ));
    }
    t.push_str(&format!(
        "Written to {} (what moved: diff.md)\n",
        out.display()
    ));
    t
}
