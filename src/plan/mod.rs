//! Plan files: raw serde types, validation into the typed `Plan`, and the
//! located diagnostics that point at the offending value.
//!
//! Loading runs in stages, each stopping the load when it finds a problem:
//! size and UTF-8, JSON syntax (serde_json), duplicate keys (our scanner),
//! the shape of the file (serde into `raw` types), then one validation pass
//! that reports every remaining problem at once.

mod at;
mod check;
mod csvin;
mod diag;
mod graph;
mod locate;
mod model;
mod progress;
mod ranges;
pub mod raw;
mod targets;
mod values;

use std::path::{Path, PathBuf};

use at::At;
use check::{Checker, ProgressIn, SiteIn};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use graph::{Finding, GraphChecks, Place};
use locate::{Located, Seg};
pub use model::*;
use raw::{RawPlan, RawProgress, RawProgressObject};
pub use values::{FIRST_YEAR, LAST_YEAR, MAX_MONEY};

/// 1-based line and column (in characters) of the key at `keys` (object
/// keys from the root) in a JSON text already checked for syntax, or of
/// the deepest key found on the way: where an error about a JSON merge
/// patch (a `compare` scenario) points.
pub fn key_line_col(text: &str, keys: &[String]) -> (usize, usize) {
    let (located, _) = Located::scan(text);
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    located.line_col(located.deepest_key_pos(&keys))
}

/// Environment variables that raise (or lower) the loader's limits.
pub const ENV_MAX_FILE_BYTES: &str = "REMOVAL_TIMELINE_MAX_FILE_BYTES";
pub const ENV_MAX_SITE_DEVICES: &str = "REMOVAL_TIMELINE_MAX_SITE_DEVICES";
pub const ENV_MAX_TASKS: &str = "REMOVAL_TIMELINE_MAX_TASKS";
pub const ENV_MAX_CSV_ROWS: &str = "REMOVAL_TIMELINE_MAX_CSV_ROWS";
pub const ENV_MAX_ID_CHARS: &str = "REMOVAL_TIMELINE_MAX_ID_CHARS";
pub const ENV_MAX_NAME_CHARS: &str = "REMOVAL_TIMELINE_MAX_NAME_CHARS";

/// Limits that protect the machine: exceeding one is a clear error rather
/// than an out-of-memory kill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest plan, CSV or progress file read, in bytes.
    pub max_file_bytes: u64,
    /// Most devices at one site.
    pub max_site_devices: u64,
    /// Most tasks the plan may expand into.
    pub max_tasks: u64,
    /// Most data rows in a CSV file (sites or progress).
    pub max_csv_rows: u64,
    /// Longest ID, in characters.
    pub max_id_chars: u64,
    /// Longest name, in characters.
    pub max_name_chars: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            max_site_devices: 1_000_000,
            // The limit that bounds a run's memory: 100,000 sites (720,000
            // tasks) peak at 3.2 GiB, about in proportion to the tasks, so
            // a plan within it stays well under 16 GiB (plan-format.md#limits).
            max_tasks: 2_500_000,
            max_csv_rows: 1_000_000,
            max_id_chars: values::MAX_ID_CHARS as u64,
            max_name_chars: values::MAX_NAME_CHARS as u64,
        }
    }
}

impl Limits {
    /// The defaults, overridden by the `REMOVAL_TIMELINE_MAX_*` variables.
    fn from_env() -> Result<Limits, String> {
        let mut l = Limits::default();
        for (name, slot) in [
            (ENV_MAX_FILE_BYTES, &mut l.max_file_bytes),
            (ENV_MAX_SITE_DEVICES, &mut l.max_site_devices),
            (ENV_MAX_TASKS, &mut l.max_tasks),
            (ENV_MAX_CSV_ROWS, &mut l.max_csv_rows),
            (ENV_MAX_ID_CHARS, &mut l.max_id_chars),
            (ENV_MAX_NAME_CHARS, &mut l.max_name_chars),
        ] {
            if let Ok(v) = std::env::var(name) {
                *slot = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name}={v:?} is not a whole number"))?;
            }
        }
        Ok(l)
    }
}

/// A valid plan and the warnings found while checking it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub plan: Plan,
    pub warnings: Vec<Diagnostic>,
    /// The files the plan was read from: the plan file, then its
    /// `sites_csv` if it has one. Outputs must never replace them.
    pub files: Vec<PathBuf>,
}

fn at_start(file: &Path, message: String) -> Diagnostics {
    Diagnostics::one(file.to_path_buf(), 1, 1, message)
}

fn limits_or_error(file: &Path) -> Result<Limits, Diagnostics> {
    Limits::from_env().map_err(|m| at_start(file, m))
}

/// Reads a file (a plan, or a scenario patching one) as UTF-8 text within
/// the size limit of `REMOVAL_TIMELINE_MAX_FILE_BYTES`; errors are located.
pub fn read_file_text(path: &Path) -> Result<String, Diagnostics> {
    read_text(path, &limits_or_error(path)?)
}

/// Reads a file as UTF-8 text within the size limit; errors are located.
fn read_text(path: &Path, limits: &Limits) -> Result<String, Diagnostics> {
    let bytes = crate::read::bytes(path, limits.max_file_bytes).map_err(|e| {
        let raise = match e {
            crate::read::ReadError::TooBig { .. } => {
                format!(" (raise it with {ENV_MAX_FILE_BYTES})")
            }
            _ => String::new(),
        };
        at_start(path, format!("{e}{raise}"))
    })?;
    let mut text = utf8(bytes, path)?;
    // Windows editors often save UTF-8 with a byte-order mark; it is not
    // part of the text (and columns are counted after it, as editors do).
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// UTF-8 text, or an error at the first bad byte.
fn utf8(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostics> {
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or("");
        let line = good.matches('\n').count() + 1;
        let col = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostics::one(
            path.to_path_buf(),
            line,
            col,
            "the file is not valid UTF-8 text (save it as UTF-8)".into(),
        )
    })
}

/// Loads a plan file; `sites_csv` is read relative to it. `graph` makes
/// the checks that need the task network (`crate::load` passes the
/// network's own).
pub fn load_file(path: &Path, graph: &dyn GraphChecks) -> Result<Loaded, Diagnostics> {
    let limits = limits_or_error(path)?;
    let text = read_text(path, &limits)?;
    load_str_with(&text, path, &limits, graph)
}

/// Loads a plan from text; `path` names the file in messages and anchors `sites_csv`.
pub fn load_str(text: &str, path: &Path, graph: &dyn GraphChecks) -> Result<Loaded, Diagnostics> {
    let limits = limits_or_error(path)?;
    load_str_with(text, path, &limits, graph)
}

/// Loads a plan from text with explicit limits.
pub fn load_str_with(
    text: &str,
    path: &Path,
    limits: &Limits,
    graph: &dyn GraphChecks,
) -> Result<Loaded, Diagnostics> {
    if text.len() as u64 > limits.max_file_bytes {
        return Err(at_start(
            path,
            format!(
                "the plan is {} bytes, more than the limit of {} (raise it with {ENV_MAX_FILE_BYTES})",
                text.len(),
                limits.max_file_bytes
            ),
        ));
    }
    let loc = parse_checked(text, path)?;
    if !matches!(loc.root.kind, locate::Kind::Object(_)) {
        let (line, col) = loc.line_col(loc.root.pos);
        let what = match loc.root.kind {
            locate::Kind::Array(_) => "an array",
            _ => "a single value",
        };
        return Err(Diagnostics::one(
            path.to_path_buf(),
            line,
            col,
            format!("a plan is a JSON object ({{ ... }}), not {what}"),
        ));
    }
    let raw: RawPlan = serde_json::from_str(text).map_err(|e| serde_error(&e, &loc, path))?;
    let csv = read_sites_csv(&raw, &loc, path, limits)?;
    let top = At::Json {
        file: path,
        loc: &loc,
        prefix: &[],
    };
    let json_prefixes: Vec<[Seg; 2]> = (0..raw.sites.len())
        .map(|i| [Seg::K("sites"), Seg::I(i)])
        .collect();
    let mut sites: Vec<SiteIn> = raw
        .sites
        .iter()
        .zip(&json_prefixes)
        .map(|(s, p)| SiteIn {
            raw: s,
            at: At::Json {
                file: path,
                loc: &loc,
                prefix: p,
            },
        })
        .collect();
    let csv_path = csv.as_ref().map(|c| c.0.clone());
    if let (Some((_, table, rows)), Some(file)) = (&csv, &csv_path) {
        sites.extend(rows.iter().zip(&table.rows).map(|(s, row)| SiteIn {
            raw: s,
            at: At::Csv {
                file,
                line: row.line,
                header: &table.header,
                cols: &row.cols,
                name: At::csv_name("site", "id", &table.header, &row.cells),
            },
        }));
    }
    let progress_prefixes: Vec<[Seg; 2]> = (0..raw.progress.len())
        .map(|i| [Seg::K("progress"), Seg::I(i)])
        .collect();
    let progress: Vec<ProgressIn> = raw
        .progress
        .iter()
        .zip(&progress_prefixes)
        .map(|(p, prefix)| ProgressIn {
            raw: p,
            at: At::Json {
                file: path,
                loc: &loc,
                prefix,
            },
        })
        .collect();
    let mut c = Checker::new(limits);
    let plan = check::plan(&raw, top, &sites, &progress, limits, &mut c);
    if !c.has_errors() {
        if let Some(plan) = &plan {
            // Expanding a large plan into tasks is costly; do it only when
            // there is something to find.
            if !plan.progress.is_empty() || phase_cycle(plan) {
                match graph.check(plan, plan.status_date, &plan.progress) {
                    Err(cycle) => place_cycle(&cycle, top, &mut c),
                    Ok(found) => progress::place_findings(plan, &found, &progress, &mut c),
                }
            }
        }
    }
    let mut loaded = check::finish(c, plan)?;
    loaded.files.push(path.to_path_buf());
    loaded.files.extend(csv_path.clone());
    Ok(loaded)
}

/// Syntax (serde_json) then duplicate keys (our scanner); the scan locates
/// every value for the checks that follow.
fn parse_checked<'t>(text: &'t str, path: &Path) -> Result<Located<'t>, Diagnostics> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let msg = clean_serde_message(&e);
        return Err(Diagnostics::one(
            path.to_path_buf(),
            e.line().max(1),
            e.column().max(1),
            msg,
        ));
    }
    if let Some(pos) = locate::too_deep(text) {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let (line, col) = locate::line_col_in(text, &starts, pos);
        return Err(Diagnostics::one(
            path.to_path_buf(),
            line,
            col,
            format!("nested deeper than {} levels", locate::MAX_DEPTH),
        ));
    }
    let (loc, dups) = Located::scan(text);
    if !dups.is_empty() {
        return Err(Diagnostics(
            dups.iter()
                .map(|d| {
                    let (line, col) = loc.line_col(d.pos);
                    let (jpath, _) = loc.path_at(d.pos);
                    Diagnostic {
                        file: path.to_path_buf(),
                        line,
                        col,
                        severity: Severity::Error,
                        message: format!("{jpath}: duplicate key {:?}", d.key),
                    }
                })
                .collect(),
        ));
    }
    Ok(loc)
}

/// serde_json's message without its " at line L column C" tail, in plain words.
fn clean_serde_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let msg = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => &full,
    };
    let mut msg = msg
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected an array")
        .replace("expected a map", "expected an object")
        .replace("expected a borrowed string", "expected a string");
    if let Some(i) = msg.find("expected struct Raw") {
        msg.truncate(i);
        msg.push_str("expected an object");
    }
    if msg.starts_with("unknown field") {
        msg = unknown_field(&msg);
    } else if let Some(f) = msg.strip_prefix("missing field `") {
        msg = format!("missing field \"{}\"", f.trim_end_matches('`'));
    } else if let Some(what) = msg.strip_prefix("EOF while parsing ") {
        msg = format!("the file ends too early, while reading {what}");
    }
    msg
}

/// `unknown field `regoin`, expected one of `id`, …` → with a suggestion.
fn unknown_field(msg: &str) -> String {
    let names: Vec<String> = msg
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    let Some((given, known)) = names.split_first() else {
        return msg.to_string();
    };
    match values::suggest(given, known) {
        Some(s) => format!("unknown field {given:?}; did you mean {s:?}?"),
        None => format!(
            "unknown field {given:?}; expected one of {}",
            known
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A shape error (wrong type, unknown or missing field) at its value, with its path.
fn serde_error(e: &serde_json::Error, loc: &Located, path: &Path) -> Diagnostics {
    let msg = clean_serde_message(e);
    let pos = loc.offset_of(e.line(), e.column());
    let (jpath, at) = loc.path_at(pos.saturating_sub(1));
    let (line, col) = loc.line_col(at);
    let message = if jpath.is_empty() {
        msg
    } else {
        format!("{jpath}: {msg}")
    };
    Diagnostics::one(path.to_path_buf(), line, col, message)
}

type CsvSites = (PathBuf, csvin::Table, Vec<raw::RawSite>);

fn read_sites_csv(
    raw: &RawPlan,
    loc: &Located,
    path: &Path,
    limits: &Limits,
) -> Result<Option<CsvSites>, Diagnostics> {
    let Some(rel) = &raw.sites_csv else {
        return Ok(None);
    };
    let (line, col) = loc.line_col(loc.value_pos(&[Seg::K("sites_csv")]));
    // A plan from many hands must not make the tool read files elsewhere.
    let inside = Path::new(rel).components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if !inside || rel.is_empty() {
        return Err(Diagnostics::one(
            path.to_path_buf(),
            line,
            col,
            format!("sites_csv: {rel:?} must be a file in the plan's folder or below it (no \"..\", no absolute path)"),
        ));
    }
    let file = path.parent().unwrap_or(Path::new("")).join(rel);
    let at_value = |message: String| Diagnostics::one(path.to_path_buf(), line, col, message);
    if !file.is_file() {
        return Err(at_value(format!(
            "sites_csv: cannot read {:?} (looked for {})",
            rel,
            file.display()
        )));
    }
    if !inside_folder(&file, path) {
        // A link out of the folder would let a plan read (and its error
        // messages quote) any file the user can read.
        return Err(at_value(format!(
            "sites_csv: {rel:?} is a link to a file outside the plan's folder; \
             copy the file into the folder instead"
        )));
    }
    let text = read_text(&file, limits)?;
    let types: Vec<String> = raw.device_types.iter().map(|t| t.id.clone()).collect();
    let (table, rows) =
        csvin::sites(&text, &file, &types, limits.max_csv_rows).map_err(Diagnostics)?;
    Ok(Some((file, table, rows)))
}

/// Whether `file`, links resolved, lies in the folder of `plan`, links
/// resolved.
fn inside_folder(file: &Path, plan: &Path) -> bool {
    let folder = plan.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = std::fs::canonicalize(folder.unwrap_or(Path::new(".")));
    match (folder, std::fs::canonicalize(file)) {
        (Ok(folder), Ok(file)) => file.starts_with(folder),
        _ => false,
    }
}

/// Whether dependencies and the workflow make a cycle, found on phases
/// rather than tasks: every task of a phase precedes every task of the next
/// phase the site has, so phases reach each other exactly when their tasks
/// do. Only sites named in dependencies can be on a cycle.
fn phase_cycle(plan: &Plan) -> bool {
    use std::collections::HashMap;
    let mut next: HashMap<PhaseRef, Vec<PhaseRef>> = HashMap::new();
    let mut sites: Vec<SiteIx> = Vec::new();
    for d in &plan.dependencies {
        next.entry(d.from).or_default().push(d.to);
        next.entry(d.to).or_default();
        sites.extend([d.from.site, d.to.site]);
    }
    sites.sort();
    sites.dedup();
    for site in sites {
        let phases: Vec<PhaseRef> = Phase::ALL
            .into_iter()
            .filter(|&p| plan.phase_task_count(site, p) > 0)
            .map(|phase| PhaseRef { site, phase })
            .collect();
        for w in phases.windows(2) {
            next.entry(w[0]).or_default().push(w[1]);
            next.entry(w[1]).or_default();
        }
    }
    // Kahn's algorithm: a cycle is whatever never reaches in-degree zero.
    let mut indegree: HashMap<PhaseRef, usize> = next.keys().map(|&k| (k, 0)).collect();
    for targets in next.values() {
        for t in targets {
            *indegree.entry(*t).or_default() += 1;
        }
    }
    let mut ready: Vec<PhaseRef> = indegree
        .iter()
        .filter(|(_, &d)| d == 0)
        .map(|(&k, _)| k)
        .collect();
    let mut seen = 0;
    while let Some(n) = ready.pop() {
        seen += 1;
        for t in next.get(&n).into_iter().flatten() {
            if let Some(d) = indegree.get_mut(t) {
                *d -= 1;
                if *d == 0 {
                    ready.push(*t);
                }
            }
        }
    }
    seen < indegree.len()
}

/// The network's cycle, at its dependency.
fn place_cycle(cycle: &Finding, top: At, c: &mut Checker) {
    let dep = match cycle.place {
        Place::Dependency(d) => d,
        Place::Progress { .. } => 0,
    };
    c.push(
        &top,
        &[Seg::K("dependencies"), Seg::I(dep)],
        cycle.severity,
        &cycle.message,
    );
}

/// Progress from a file: JSON (the `progress` array, or an object with a
/// `progress` field) or CSV (`task,started,finished,crew,remaining_days,cost`),
/// checked against the plan as of `status_date`, with the warnings.
pub fn load_progress(
    path: &Path,
    plan: &Plan,
    status_date: Option<chrono::NaiveDate>,
    graph: &dyn GraphChecks,
) -> Result<(Vec<Progress>, Vec<Diagnostic>), Diagnostics> {
    let limits = limits_or_error(path)?;
    let text = read_text(path, &limits)?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let site_ok = vec![true; plan.sites.len()];
    let mut c = Checker::new(&limits);
    let progress = if is_csv {
        let (table, raws) =
            csvin::progress(&text, path, limits.max_csv_rows).map_err(Diagnostics)?;
        let entries: Vec<ProgressIn> = raws
            .iter()
            .zip(&table.rows)
            .map(|(raw, row)| ProgressIn {
                raw,
                at: At::Csv {
                    file: path,
                    line: row.line,
                    header: &table.header,
                    cols: &row.cols,
                    name: At::csv_name("task", "task", &table.header, &row.cells),
                },
            })
            .collect();
        let progress = progress::check(plan, status_date, &entries, &site_ok, &mut c);
        graph_findings(plan, status_date, &progress, &entries, graph, &mut c);
        progress
    } else {
        let loc = parse_checked(&text, path)?;
        let (raws, key): (Vec<RawProgress>, Option<&str>) = if text.trim_start().starts_with('[') {
            (
                serde_json::from_str(&text).map_err(|e| serde_error(&e, &loc, path))?,
                None,
            )
        } else {
            let o: RawProgressObject =
                serde_json::from_str(&text).map_err(|e| serde_error(&e, &loc, path))?;
            (o.progress, Some("progress"))
        };
        let prefixes: Vec<Vec<Seg>> = (0..raws.len())
            .map(|i| key.map(Seg::K).into_iter().chain([Seg::I(i)]).collect())
            .collect();
        let entries: Vec<ProgressIn> = raws
            .iter()
            .zip(&prefixes)
            .map(|(raw, prefix)| ProgressIn {
                raw,
                at: At::Json {
                    file: path,
                    loc: &loc,
                    prefix,
                },
            })
            .collect();
        let progress = progress::check(plan, status_date, &entries, &site_ok, &mut c);
        graph_findings(plan, status_date, &progress, &entries, graph, &mut c);
        progress
    };
    if status_date.is_none() && !progress.is_empty() {
        return Err(at_start(
            path,
            "progress needs a status date: give --status-date or status_date in the plan".into(),
        ));
    }
    let (errors, warnings): (Vec<_>, Vec<_>) = c
        .diags
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    if errors.is_empty() {
        Ok((progress, warnings))
    } else {
        Err(Diagnostics(errors))
    }
}

/// The network's findings about progress (past the horizon, ahead of the
/// workflow), once the records are valid.
fn graph_findings(
    plan: &Plan,
    status_date: Option<chrono::NaiveDate>,
    progress: &[Progress],
    entries: &[ProgressIn],
    graph: &dyn GraphChecks,
    c: &mut Checker,
) {
    if c.has_errors() {
        return;
    }
    if let Ok(found) = graph.check(plan, status_date, progress) {
        progress::place_findings(plan, &found, entries, c);
    }
}

/// The JSON Schema of the plan format, derived from the raw types.
pub fn raw_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawPlan)).unwrap_or_default()
}
