//! `schedule PLAN`: load, schedule, verify, publish. Nothing is written
//! unless every artifact rendered and the timeline passed `verify`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{output, CliError, ScheduleArgs, SearchArgs};
use crate::artifact::Context;
use crate::bundle;
use crate::network::lower::LowerOptions;
use crate::pipeline::{schedule_plan, schedule_plan_staged, Scheduled};
use crate::plan::Plan;
use crate::report::standing;
use crate::schedule::{self, SearchOptions};
use crate::timeline::Timeline;
use crate::words;

pub fn run(args: &ScheduleArgs, quiet: bool) -> Result<(), CliError> {
    let mut stages = Stages::new(quiet, args.timings);
    stages.enter("loading the plan");
    let loaded = crate::load::plan_file(&args.plan)?;
    if !quiet {
        for w in &loaded.warnings {
            stages.println(&w.to_string());
        }
    }
    let plan = loaded.plan;
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.plan, ""));
    let inputs: Vec<&Path> = loaded.files.iter().map(PathBuf::as_path).collect();
    let out = output::OutDir::open(&out_dir, &inputs)?;
    let mut search = search_options(&args.search, &plan)?;
    stages.show_search(&mut search);
    let done = schedule_plan_staged(
        &plan,
        &LowerOptions::default(),
        |p| schedule::solve(p, &search),
        |s| stages.enter(s.as_str()),
    )
    .map_err(CliError::from)?;
    let risk = match args.risk {
        Some(n) => {
            stages.enter("sampling the ranges");
            let lower = LowerOptions::default();
            Some(super::risk::assess(
                &plan,
                &done,
                &lower,
                n,
                args.search.seed,
                true,
            )?)
        }
        None => None,
    };
    stages.enter("drawing the charts and writing the reports and files");
    let ctx = Context {
        plan: &plan,
        timeline: &done.timeline,
        links: &done.links,
        baseline: None,
        risk: risk.as_ref(),
        committed: None,
    };
    // Each file is written as soon as it is made.
    bundle::publish_into(&ctx, &out).map_err(CliError::from)?;
    if let Some(r) = &risk {
        for a in super::risk::artifacts(r) {
            out.add(&a)?;
        }
    }
    stages.enter("putting the files in place");
    out.commit()?;
    stages.finish();
    if !quiet {
        super::print_out(&summary_text(&plan, &done.timeline, &out_dir))?;
    }
    Ok(())
}

/// What the user sees while a long run works, and what `--timings`
/// reports: on a terminal (and without `--quiet`), one line on stderr with
/// the stage, and during the search the schedules tried and the best so
/// far; nothing at all when stderr is not a terminal. With `--timings`,
/// each stage's wall time on stderr at the end. Neither changes the result.
struct Stages {
    bar: Option<indicatif::ProgressBar>,
    timings: bool,
    done: Vec<(&'static str, Duration)>,
    current: Option<(&'static str, Instant)>,
    started: Instant,
}

impl Stages {
    fn new(quiet: bool, timings: bool) -> Stages {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Stages {
            bar,
            timings,
            done: Vec::new(),
            current: None,
            started: Instant::now(),
        }
    }

    /// Ends the current stage and starts `name`.
    fn enter(&mut self, name: &'static str) {
        self.close();
        self.current = Some((name, Instant::now()));
        if let Some(bar) = &self.bar {
            bar.set_message(name);
        }
    }

    fn close(&mut self) {
        if let Some((name, t0)) = self.current.take() {
            self.done.push((name, t0.elapsed()));
        }
    }

    /// A line on stderr that the progress line does not garble.
    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| super::print_err(line)),
            None => super::print_err(line),
        }
    }

    /// Shows the search's schedules tried and the best score so far.
    fn show_search(&self, search: &mut SearchOptions) {
        let Some(bar) = self.bar.clone() else { return };
        search.progress = Some(schedule::ProgressFn(std::sync::Arc::new(
            move |p: &schedule::Progress| {
                let phase = match p.phase {
                    schedule::Phase::Rules => "trying priority rules",
                    schedule::Phase::Improve => "improving",
                };
                bar.set_message(format!(
                    "searching ({phase}): {} of {} schedules; best so far: {} sites late, exposure {}",
                    words::signed(p.schedules as i64),
                    words::signed(p.of as i64),
                    words::signed(p.best.late_milestones as i64),
                    words::signed(p.best.exposure.round() as i64),
                ));
            },
        )));
    }

    fn finish(mut self) {
        self.close();
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.timings {
            for (name, d) in &self.done {
                super::print_err(&format!("{:>8.3} s  {name}", d.as_secs_f64()));
            }
            super::print_err(&format!(
                "{:>8.3} s  in all",
                self.started.elapsed().as_secs_f64()
            ));
        }
    }
}

impl Drop for Stages {
    /// On an error the progress line is cleared before the message prints.
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// Loads a plan; errors (all of them, located) are the user's; warnings go
/// to stderr unless quiet.
pub fn load_plan(path: &Path, quiet: bool) -> Result<Plan, CliError> {
    load_plan_files(path, quiet).map(|(plan, _)| plan)
}

/// `load_plan`, with the files the plan was read from (the plan file and
/// its `sites_csv`), which no output may replace.
pub fn load_plan_files(path: &Path, quiet: bool) -> Result<(Plan, Vec<PathBuf>), CliError> {
    let loaded = crate::load::plan_file(path)?;
    if !quiet {
        for w in &loaded.warnings {
            super::print_err(&w.to_string());
        }
    }
    Ok((loaded.plan, loaded.files))
}

/// Schedules with the core's search; a schedule that fails `verify` is a
/// bug and is reported as such, never published.
pub fn schedule(
    plan: &Plan,
    lower: &LowerOptions,
    search: &SearchOptions,
) -> Result<Scheduled, CliError> {
    schedule_plan(plan, lower, |p| schedule::solve(p, search)).map_err(CliError::from)
}

/// `output/<plan file stem><suffix>/`.
pub fn default_out(plan: &Path, suffix: &str) -> PathBuf {
    let stem = plan
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    Path::new("output").join(format!("{stem}{suffix}"))
}

/// Schedules generated by `--effort 0`: 4,000,000 / tasks, at most 5,000,
/// so that the plans' search, whose every schedule costs about as much as
/// the plan has tasks, spends about the same second and a half on any plan
/// up to a few thousand sites (docs/schedule-quality.md). At least 10 (the
/// priority rules and a few moves) up to 100,000 tasks; beyond, the floor falls as
/// 1,000,000 / tasks, down to the single rule-based pass for a national
/// programme of 100,000 sites (750,000 tasks, where one pass takes the
/// better part of a minute; docs/performance.md). A count, not a time
/// limit, so that the result stays the same for a seed on any machine.
pub fn auto_effort(plan: &Plan) -> u64 {
    let tasks = plan.task_count().max(1) as f64;
    let floor = (AUTO_FLOOR_WORK / tasks).clamp(1.0, AUTO_MIN as f64) as u64;
    ((AUTO_WORK / tasks) as u64).clamp(floor, AUTO_MAX)
}

const AUTO_WORK: f64 = 4e6;
const AUTO_FLOOR_WORK: f64 = 1e6;
const AUTO_MIN: u64 = 10;
const AUTO_MAX: u64 = 5_000;

pub fn search_options(args: &SearchArgs, plan: &Plan) -> Result<SearchOptions, CliError> {
    let time_limit = match args.time_limit {
        None => None,
        // 0 is allowed: the first schedule is always made, then no more.
        Some(s) if (0.0..1e9).contains(&s) => Some(Duration::from_secs_f64(s)),
        Some(s) => {
            return Err(CliError::Input(format!(
                "--time-limit {s}: give a number of seconds, 0 or more"
            )))
        }
    };
    Ok(SearchOptions {
        schedules: if args.effort == 0 {
            auto_effort(plan)
        } else {
            args.effort
        },
        seed: args.seed,
        time_limit,
        progress: None,
    })
}

/// A few lines for a programme manager: the programme deadline first,
/// then each tier against its target, then money.
pub fn summary_text(plan: &Plan, tl: &Timeline, out: &Path) -> String {
    let mut t = standing_text(plan, tl);
    let s = &tl.summary;
    let cur = &plan.currency;
    t.push_str(&format!(
        "Cost: {} {cur}; exposure: {} weighted device-days{}\n",
        words::money_exact_f64(s.total_cost),
        words::signed(s.exposure.round() as i64),
        standing::exposure_note(s.devices_unscheduled)
    ));
    if s.unscheduled > 0 {
        t.push_str(&format!(
            "Why {} task(s) have no date: see the column reason in timeline.csv\n",
            s.unscheduled
        ));
        if s.stranded_cost > 0.0 {
            t.push_str(&format!(
                "Money committed to sites whose removal cannot be scheduled: {} {cur}\n",
                words::money_exact_f64(s.stranded_cost)
            ));
        }
    }
    t.push_str(&format!("Written to {}\n", out.display()));
    t
}

/// The deadline, removal and tier lines `schedule` and `replan` lead with.
pub fn standing_text(plan: &Plan, tl: &Timeline) -> String {
    let st = standing::compute(plan, tl);
    let mut t = String::new();
    if let Some(line) = st.deadline_line() {
        t.push_str(&format!("{line}\n"));
    }
    if let Some(line) = st.targets_line() {
        t.push_str(&format!("{line}\n"));
    }
    t.push_str(&format!(
        "{}; all work finished: {}\n",
        st.removal_line(),
        tl.summary
            .finish
            .map_or_else(|| "none".into(), words::long_date)
    ));
    t.push_str(&format!("{}\n", st.late_phrase()));
    for line in st.tier_lines() {
        t.push_str(&format!("  {line}\n"));
    }
    t
}
