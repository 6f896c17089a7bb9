//! The command line: argument definitions, and the only place that reads and
//! writes files. Each subcommand lives in its own file and returns a
//! `CliError` that `main` prints once and maps to an exit code.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub mod compare;
pub mod diff;
pub mod generate;
pub mod manifest;
pub mod output;
pub mod psplib;
pub mod replan;
pub mod risk;
pub mod schedule;
pub mod status;
pub mod validate;
pub mod verify;

/// Plan, schedule, publish and re-plan the removal of banned equipment
/// (such as surveillance cameras) from many sites.
#[derive(Debug, Parser)]
#[command(name = "removal-timeline", version, about, long_about = None)]
#[command(
    after_help = "Start with:  removal-timeline schedule plans/example.json\n\
Exit codes: 0 success; 1 the input is at fault (the reason is on stderr); 2 a usage error; \
3 an internal error (a bug; please report it)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors (no progress, no summary).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a plan and summarise it; list every problem found.
    #[command(after_help = "Example:  removal-timeline validate plans/example.json")]
    Validate(ValidateArgs),
    /// Print the JSON Schema of the plan format.
    #[command(after_help = "Example:  removal-timeline schema > plan.schema.json")]
    Schema,
    /// Schedule a plan and publish the timeline, charts and reports.
    #[command(
        after_help = "Example:  removal-timeline schedule plans/example.json --out output/example"
    )]
    Schedule(ScheduleArgs),
    /// Check a timeline against every rule of the plan.
    #[command(
        after_help = "Example:  removal-timeline verify plans/example.json output/example/timeline.json"
    )]
    Verify(VerifyArgs),
    /// Re-plan from progress, keeping what happened and what need not move.
    #[command(
        after_help = "Example:  removal-timeline replan plans/example.json --baseline output/example/timeline.json --progress plans/example-progress.csv --status-date 2026-02-27"
    )]
    Replan(ReplanArgs),
    /// Show what moved between two timelines, most important first.
    #[command(
        after_help = "Example:  removal-timeline diff output/example/timeline.json output/example-replan/timeline.json --plan plans/example.json"
    )]
    Diff(DiffArgs),
    /// Schedule a plan and what-if scenarios side by side.
    #[command(
        after_help = "Example:  removal-timeline compare plans/example.json --budget-scale 2027-04-01=0.5"
    )]
    Compare(CompareArgs),
    /// How sure the timeline is: dates and deadlines as probabilities.
    #[command(
        after_help = "Example:  removal-timeline risk plans/rip-and-replace.json --samples 2000"
    )]
    Risk(RiskArgs),
    /// The periodic status report, per owner and overall, as of the plan's
    /// status_date, against the committed timeline.
    #[command(
        after_help = "Example:  removal-timeline status plans/example.json output/example-replan/timeline.json --committed output/example/timeline.json --progress plans/example-progress.csv --status-date 2026-02-27"
    )]
    Status(StatusArgs),
    /// Run the scheduling core on PSPLIB benchmark instances.
    #[command(
        after_help = "Example:  removal-timeline psplib tests/data/psplib/j30 --reference tests/data/psplib/j30/optimum.csv"
    )]
    Psplib(PsplibArgs),
    /// Print a realistic synthetic plan, for tests and benchmarks.
    #[command(after_help = "Example:  removal-timeline generate --sites 1000 --seed 7 > big.json")]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The plan file (JSON).
    pub plan: PathBuf,
}

/// Options shared by the commands that search for a schedule.
#[derive(Debug, Args, Clone)]
pub struct SearchArgs {
    /// Seed for the search: the same plan, options and seed give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How many schedules to try when improving the first one (0 = automatic).
    #[arg(long, default_value_t = 0)]
    pub effort: u64,
    /// Stop improving after this many seconds and publish the best found.
    #[arg(long, value_name = "SECS")]
    pub time_limit: Option<f64>,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The plan file (JSON).
    pub plan: PathBuf,
    /// Output folder (default: output/<plan file stem>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub search: SearchArgs,
    /// Print how long each stage took (load, search, verify, charts and
    /// reports, writing) on stderr at the end.
    #[arg(long)]
    pub timings: bool,
    /// Also sample the plan's ranges N times against the schedule (as the
    /// `risk` command does, seeded by --seed) and add risk.json and
    /// risk.csv to the bundle.
    #[arg(long, value_name = "N")]
    pub risk: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RiskArgs {
    /// The plan file (JSON); its ranges (lead_time_range_days,
    /// workflow.effort_range) say what may vary.
    pub plan: PathBuf,
    /// Samples to draw (each replays the published schedule once).
    #[arg(long, default_value_t = crate::risk::DEFAULT_SAMPLES)]
    pub samples: u64,
    /// Seed for the draws: the same plan, samples and seed give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder (default: output/<plan file stem>-risk/).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The plan file (JSON).
    pub plan: PathBuf,
    /// The timeline to check (timeline.json).
    pub timeline: PathBuf,
}

/// Progress reported as of a day: the same two options for `replan`,
/// `compare` (applied to the plan and every scenario) and `status`.
#[derive(Debug, Args)]
pub struct AsOfArgs {
    /// Progress to date: JSON (the `progress` array) or CSV
    /// (task,started,finished,crew,remaining_days,cost). Default: the plan's own.
    #[arg(long)]
    pub progress: Option<PathBuf>,
    /// The day progress is reported as of (default: the plan's status_date).
    #[arg(long, value_name = "DATE")]
    pub status_date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct ReplanArgs {
    /// The plan file (JSON), as it stands now.
    pub plan: PathBuf,
    /// The timeline published before (timeline.json).
    #[arg(long)]
    pub baseline: PathBuf,
    /// The plan the baseline was made from: diff.md then starts with what
    /// changed in the plan (budget periods, crews, device types, deadlines)
    /// and says how each moved site's waits changed.
    #[arg(long, value_name = "PLAN")]
    pub baseline_plan: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    /// Output folder (default: output/<plan file stem>-replan/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub search: SearchArgs,
    /// The timeline the programme committed to (never replaced by a
    /// re-plan): diff.md adds the variance against it, and the Gantt draws
    /// its bars in grey instead of the baseline's.
    #[arg(long, value_name = "TIMELINE")]
    pub committed: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier timeline.
    pub old: PathBuf,
    /// The later timeline.
    pub new: PathBuf,
    /// Print the differences as JSON (what `replan` writes as diff.json).
    #[arg(long)]
    pub json: bool,
    /// The plan NEW was made from (as it stands now): names sites, ranks
    /// tiers by weight, groups costs by its budget periods (else by
    /// April–March years) and says what holds each moved site now.
    #[arg(long = "new-plan", visible_alias = "plan", value_name = "PLAN")]
    pub plan: Option<PathBuf>,
    /// The plan OLD was made from: the diff then starts with what changed
    /// in the plan (budget periods, crews, device types, deadlines) and
    /// says how each moved site's waits changed.
    #[arg(long, value_name = "PLAN")]
    pub old_plan: Option<PathBuf>,
    /// The timeline the programme committed to: adds the variance of NEW
    /// against it (by site, owner and tier) to the Markdown.
    #[arg(long, value_name = "TIMELINE")]
    pub committed: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The plan, with the status_date the report is as of.
    pub plan: PathBuf,
    /// The current timeline (from `schedule` or `replan` of this plan).
    pub timeline: PathBuf,
    /// The timeline the programme committed to; without it, sites are held
    /// to their deadlines.
    #[arg(long, value_name = "TIMELINE")]
    pub committed: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    /// Where to write (default output/<plan file stem>-status/).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The plan file (JSON).
    pub plan: PathBuf,
    /// A scenario: a JSON merge patch on the plan (repeatable).
    #[arg(long, value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    /// A scenario scaling every budget period starting on or after FROM
    /// (repeatable), e.g. 2027-04-01=0.395.
    #[arg(long, value_name = "FROM=FACTOR")]
    pub budget_scale: Vec<String>,
    /// The timeline published before: the plan and each scenario are then
    /// re-planned against it, as `replan` does, and the first row is the
    /// re-plan as `replan` publishes it.
    #[arg(long, value_name = "TIMELINE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub as_of: AsOfArgs,
    /// Output folder (default: output/<plan file stem>-compare/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub search: SearchArgs,
}

#[derive(Debug, Args)]
pub struct PsplibArgs {
    /// `.sm` files, or folders of them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Schedules generated per instance, at most (1 = single-pass priority
    /// rule); fewer when the best is proven optimal, as `schedules=` shows.
    #[arg(long, default_value_t = 5000)]
    pub schedules: u64,
    /// `problem,optimum` or `problem,lb,ub,cp_lb` CSV of reference values.
    #[arg(long)]
    pub reference: Option<PathBuf>,
    /// Write each instance's starts to DIR/<stem>.json.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of sites.
    #[arg(long)]
    pub sites: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Why a command failed; `main` prints it once.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input or the user's data is at fault (exit 1). The text is
    /// complete, possibly several lines.
    #[error("{0}")]
    Input(String),
    /// A bug (exit 3): printed as one line.
    #[error("internal error: {0}")]
    Internal(String),
    /// Standard output was closed by its reader (`| head`): the command
    /// stops quietly, exit 0, as `cat` and `grep` do under a shell that
    /// does not kill them with SIGPIPE.
    #[error("")]
    OutputClosed,
}

/// The one mapping from the pipeline's errors to the CLI's: a cycle is
/// the plan's fault (exit 1), a schedule that breaks a rule is a bug
/// (exit 3).
impl From<crate::pipeline::PipelineError> for CliError {
    fn from(e: crate::pipeline::PipelineError) -> CliError {
        use crate::pipeline::PipelineError;
        match e {
            PipelineError::Cycle(_) => CliError::Input(e.to_string()),
            PipelineError::Invalid(_) => CliError::Internal(e.to_string()),
        }
    }
}

/// A file that could not be rendered is a bug; one that could not be
/// written is decided by its cause.
impl From<crate::bundle::PublishFailure> for CliError {
    fn from(f: crate::bundle::PublishFailure) -> CliError {
        match f {
            crate::bundle::PublishFailure::Render(e) => CliError::Internal(e.to_string()),
            crate::bundle::PublishFailure::Write(e) => CliError::from(e),
        }
    }
}

/// A file the program made wrongly (a renderer that failed, a path of its
/// own that leaves the folder) is a bug; one the machine would not take (a
/// full disk, a folder that cannot be created) is reported as the user's.
impl From<crate::artifact::WriteError> for CliError {
    fn from(e: crate::artifact::WriteError) -> CliError {
        if e.cause.is_bug() {
            CliError::Internal(e.message)
        } else {
            CliError::Input(e.message)
        }
    }
}

/// Located problems in an input file are the user's (exit 1).
impl From<crate::plan::Diagnostics> for CliError {
    fn from(d: crate::plan::Diagnostics) -> CliError {
        CliError::Input(d.to_string())
    }
}

impl From<crate::plan::Diagnostic> for CliError {
    fn from(d: crate::plan::Diagnostic) -> CliError {
        CliError::Input(d.to_string())
    }
}

/// A budget scale that cannot be applied is the user's (exit 1).
impl From<crate::replan::compare::BudgetScaleError> for CliError {
    fn from(e: crate::replan::compare::BudgetScaleError) -> CliError {
        CliError::Input(e.to_string())
    }
}

impl CliError {
    /// The same error, its message prefixed with what it concerns (a
    /// scenario's name).
    pub fn within(self, what: &str) -> CliError {
        match self {
            CliError::Input(m) => CliError::Input(format!("{what}: {m}")),
            CliError::Internal(m) => CliError::Internal(format!("{what}: {m}")),
            CliError::OutputClosed => CliError::OutputClosed,
        }
    }

    /// The one mapping from errors to exit codes (docs/cli.md, "Exit
    /// codes"); `main` adds only `EXIT_BUG` for a panic, and clap exits
    /// with `EXIT_USAGE` itself.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Input(_) => EXIT_INPUT,
            CliError::Internal(_) => EXIT_BUG,
            CliError::OutputClosed => EXIT_OK,
        }
    }
}

/// Success, or standard output closed by its reader.
pub const EXIT_OK: i32 = 0;
/// The input or the user's data is at fault.
pub const EXIT_INPUT: i32 = 1;
/// A usage error: clap's own code for an unknown command or option.
pub const EXIT_USAGE: i32 = 2;
/// A bug: an internal error or a panic.
pub const EXIT_BUG: i32 = 3;

/// Writes text to standard output, control characters removed (a plan's
/// name cannot send escape sequences to the terminal). A reader that went
/// away is not an error (`CliError::OutputClosed`); any other failure is
/// the user's (a full disk behind a redirect).
pub fn print_out(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let text = crate::report::escape::terminal(text);
    let mut out = std::io::stdout().lock();
    stdout_result(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// Writes one line to standard error, control characters removed. A
/// failure (a closed or full stderr) is ignored: there is nowhere left to
/// report it, and `eprintln!` would panic.
pub fn print_err(line: &str) {
    use std::io::Write;
    let mut text = crate::report::escape::terminal(line);
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Maps a failed write to standard output to its `CliError`.
pub fn stdout_result(r: std::io::Result<()>) -> Result<(), CliError> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::OutputClosed),
        r => r.map_err(|e| CliError::Input(format!("cannot write to standard output: {e}"))),
    }
}

/// Runs one parsed command line.
pub fn run(cli: &Cli) -> Result<(), CliError> {
    let quiet = cli.quiet;
    match &cli.command {
        Command::Validate(a) => validate::run(a, quiet),
        Command::Schema => validate::schema(),
        Command::Schedule(a) => schedule::run(a, quiet),
        Command::Verify(a) => verify::run(a, quiet),
        Command::Replan(a) => replan::run(a, quiet),
        Command::Diff(a) => diff::run(a, quiet),
        Command::Status(a) => status::run(a, quiet),
        Command::Compare(a) => compare::run(a, quiet),
        Command::Risk(a) => risk::run(a, quiet),
        Command::Psplib(a) => psplib::run(a, quiet),
        Command::Generate(a) => generate::run(a, quiet),
    }
}
