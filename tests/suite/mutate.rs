//! Mutations of valid inputs, for the property tests that check no input
//! makes the program panic, hang or give an unlocated error: changes to a
//! JSON document at the value level (used on plans in `robust.rs`, and
//! here on progress files and timelines) and changes to a CSV file cell
//! by cell (here on `sites_csv` and progress files). The properties run
//! each damaged file through the library path of the command that reads
//! it (load, `replan`, `status`, `diff`) and check that it is refused with
//! errors located inside the file, or else that the command's result is
//! one `verify` accepts.

use proptest::prelude::*;
use removal_timeline::artifact::Context;
use removal_timeline::network;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::pipeline::schedule_plan;
use removal_timeline::plan::{Diagnostics, Plan};
use removal_timeline::replan::{self, diff};
use removal_timeline::schedule::{self, SearchOptions};
use removal_timeline::status::{self, render};
use removal_timeline::timeline::{Links, Timeline};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---- JSON documents ----------------------------------------------------

/// A change to one value of a JSON document (a plan, a progress file, a
/// timeline).
#[derive(Debug, Clone)]
pub enum Mutation {
    Delete,
    Replace(Value),
    /// Put the value of another node here (swaps IDs, references, types).
    CopyFrom(usize),
    /// Duplicate an array entry (or, for an object, its parent's entry).
    Duplicate,
}

pub fn extreme() -> impl Strategy<Value = Value> {
    let fixed = vec![
        json!(null),
        json!(true),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
        json!(0),
        json!(-1),
        json!(0.001),
        json!(1e308),
        json!(-1e308),
        json!(1_000_000_000_000u64),
        json!(u64::MAX),
        json!(9_007_199_254_740_993u64),
        json!("2199-12-31"),
        json!("1900-01-01"),
        json!("0000-01-01"),
        json!("9999-12-31"),
        json!("2026-02-29"),
        json!("=1+1"),
        json!("-A1"),
    ];
    prop_oneof![
        prop::sample::select(fixed),
        (0u32..100_000).prop_map(|n| json!(n)),
    ]
}

pub fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    (
        any::<usize>(),
        prop_oneof![
            Just(Mutation::Delete),
            extreme().prop_map(Mutation::Replace),
            any::<usize>().prop_map(Mutation::CopyFrom),
            Just(Mutation::Duplicate),
        ],
    )
}

/// Every node's path (object keys and array indices), root first.
fn paths(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(here.clone());
    match v {
        Value::Object(o) => {
            for (k, c) in o {
                here.push(Seg::K(k.clone()));
                paths(c, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                here.push(Seg::I(i));
                paths(c, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Seg {
    K(String),
    I(usize),
}

fn node<'v>(v: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |v, s| match s {
        Seg::K(k) => v.get_mut(k.as_str()),
        Seg::I(i) => v.get_mut(*i),
    })
}

fn get(v: &Value, path: &[Seg]) -> Option<Value> {
    let mut v = v.clone();
    node(&mut v, path).map(|n| n.clone())
}

pub fn apply(v: &mut Value, (at, m): &(usize, Mutation)) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    let path = &all[at % all.len()];
    let Some((last, parent_path)) = path.split_last() else {
        return; // the root: leave it
    };
    match m {
        Mutation::Delete => match (node(v, parent_path), last) {
            (Some(Value::Object(o)), Seg::K(k)) => {
                o.remove(k);
            }
            (Some(Value::Array(a)), Seg::I(i)) => {
                a.remove(*i);
            }
            _ => {}
        },
        Mutation::Replace(x) => {
            if let Some(n) = node(v, path) {
                *n = x.clone();
            }
        }
        Mutation::CopyFrom(j) => {
            if let Some(x) = get(v, &all[j % all.len()]) {
                if let Some(n) = node(v, path) {
                    *n = x;
                }
            }
        }
        Mutation::Duplicate => {
            if let (Some(Value::Array(a)), Seg::I(i)) = (node(v, parent_path), last) {
                let x = a[*i].clone();
                a.insert(*i, x);
            }
        }
    }
}

// ---- CSV files ---------------------------------------------------------

/// A change to a CSV file, read as rows of cells (the header is row 0).
#[derive(Debug, Clone)]
pub enum CsvMutation {
    /// Set cell (row, column) to a value.
    Set(usize, usize, String),
    /// Put another cell's value (row, column) in this one.
    Copy(usize, usize, usize, usize),
    DeleteRow(usize),
    DuplicateRow(usize),
    /// Remove a column from every row (the header too).
    DeleteColumn(usize),
    /// Add a cell at the end of one row (a ragged row).
    ExtraCell(usize),
    /// Cut the file short at a byte (applied to the written text).
    Truncate(usize),
}

fn odd_cell() -> impl Strategy<Value = String> {
    let fixed: Vec<String> = [
        "",
        " ",
        "-1",
        "0",
        "0.5",
        "1e308",
        "NaN",
        "inf",
        "-0",
        "18446744073709551616",
        "99999999999",
        "1899-12-31",
        "1900-01-01",
        "2199-12-31",
        "2200-01-01",
        "2026-02-30",
        "9999-12-31",
        "x/y",
        "a/install/0",
        "a/install/4294967296",
        "a/remove/1",
        "b/survey",
        "\"",
        "a,b",
        "\u{feff}task",
        "=1+1",
        " 2026-01-05 ",
        "\u{202e}x",
        "a\nb",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once("x".repeat(5000)))
    .collect();
    prop_oneof![
        prop::sample::select(fixed),
        (0u32..100_000).prop_map(|n| n.to_string()),
    ]
}

pub fn csv_mutation() -> impl Strategy<Value = CsvMutation> {
    let n = || any::<usize>();
    prop_oneof![
        (n(), n(), odd_cell()).prop_map(|(r, c, v)| CsvMutation::Set(r, c, v)),
        (n(), n(), n(), n()).prop_map(|(a, b, c, d)| CsvMutation::Copy(a, b, c, d)),
        n().prop_map(CsvMutation::DeleteRow),
        n().prop_map(CsvMutation::DuplicateRow),
        n().prop_map(CsvMutation::DeleteColumn),
        n().prop_map(CsvMutation::ExtraCell),
        n().prop_map(CsvMutation::Truncate),
    ]
}

/// The rows of a CSV text (as the fixtures are written: no quoted cells).
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// The text of rows, written by the csv crate (so a comma or quote in a
/// cell is quoted, as a spreadsheet would).
fn text(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

/// `base` (a CSV text) with the mutations applied, as bytes.
pub fn mutate_csv(base: &str, muts: &[CsvMutation]) -> Vec<u8> {
    let mut rs = rows(base);
    let mut cut = None;
    for m in muts {
        let nr = rs.len().max(1);
        match m {
            CsvMutation::Set(r, c, v) => {
                if let Some(row) = rs.get_mut(r % nr) {
                    let nc = row.len().max(1);
                    if let Some(cell) = row.get_mut(c % nc) {
                        *cell = v.clone();
                    }
                }
            }
            CsvMutation::Copy(r, c, fr, fc) => {
                let from = rs
                    .get(fr % nr)
                    .and_then(|row| row.get(fc % row.len().max(1)))
                    .cloned();
                if let (Some(v), Some(row)) = (from, rs.get_mut(r % nr)) {
                    let nc = row.len().max(1);
                    if let Some(cell) = row.get_mut(c % nc) {
                        *cell = v;
                    }
                }
            }
            CsvMutation::DeleteRow(r) => {
                if !rs.is_empty() {
                    rs.remove(r % nr);
                }
            }
            CsvMutation::DuplicateRow(r) => {
                if let Some(row) = rs.get(r % nr).cloned() {
                    rs.insert(r % nr, row);
                }
            }
            CsvMutation::DeleteColumn(c) => {
                for row in &mut rs {
                    if !row.is_empty() {
                        let i = c % row.len();
                        row.remove(i);
                    }
                }
            }
            CsvMutation::ExtraCell(r) => {
                if let Some(row) = rs.get_mut(r % nr) {
                    row.push("extra".into());
                }
            }
            CsvMutation::Truncate(at) => cut = Some(*at),
        }
    }
    let mut bytes = text(&rs);
    if let Some(at) = cut {
        bytes.truncate(at % (bytes.len() + 1));
    }
    bytes
}

// ---- the properties ----------------------------------------------------

/// Every error of a refused input is in `file`, at a line of it.
fn located(d: &Diagnostics, file: &Path, text: &[u8]) -> Result<(), TestCaseError> {
    let lines = text.split(|&b| b == b'\n').count().max(1);
    prop_assert!(!d.0.is_empty());
    for e in &d.0 {
        prop_assert_eq!(e.file.as_path(), file, "{}", e);
        prop_assert!(e.line >= 1 && e.line <= lines && e.col >= 1, "{}", e);
        prop_assert!(!e.message.is_empty(), "{}", e);
    }
    Ok(())
}

fn quick() -> SearchOptions {
    SearchOptions {
        schedules: 2,
        seed: 1,
        time_limit: None,
        progress: None,
    }
}

/// `plans/csv-sites.json` with its `sites_csv` mutated: loads with
/// located errors in the CSV (or the plan), or schedules to a timeline
/// that verifies (the pipeline runs `verify`).
fn check_sites_csv(muts: &[CsvMutation]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read(root().join("plans/csv-sites.json")).unwrap();
    std::fs::write(dir.path().join("csv-sites.json"), &plan).unwrap();
    let base = std::fs::read_to_string(root().join("plans/csv-sites.csv")).unwrap();
    let csv = mutate_csv(&base, muts);
    let csv_path = dir.path().join("csv-sites.csv");
    std::fs::write(&csv_path, &csv).unwrap();
    match removal_timeline::load::plan_file(&dir.path().join("csv-sites.json")) {
        Err(d) => located(&d, &csv_path, &csv)?,
        Ok(loaded) => {
            let r = schedule_plan(&loaded.plan, &LowerOptions::default(), |p| {
                schedule::solve(p, &quick())
            });
            prop_assert!(
                r.is_ok(),
                "{}\ncsv:\n{}",
                r.err().unwrap(),
                String::from_utf8_lossy(&csv)
            );
        }
    }
    Ok(())
}

/// The re-planning fixture without its own progress, and its published
/// timeline (the baseline of the progress and timeline properties).
fn replan_base() -> &'static (Plan, Timeline) {
    static BASE: std::sync::OnceLock<(Plan, Timeline)> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let text =
            std::fs::read_to_string(root().join("tests/fixtures/valid/replan.json")).unwrap();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v.as_object_mut().unwrap().remove("progress");
        let text = serde_json::to_string_pretty(&v).unwrap();
        let plan = removal_timeline::load::plan_str(&text, Path::new("replan.json"))
            .unwrap()
            .plan;
        let done = schedule_plan(&plan, &LowerOptions::default(), |p| {
            schedule::solve(p, &quick())
        })
        .unwrap();
        (plan, done.timeline)
    })
}

/// The links of `replan_base`'s timeline.
fn base_links() -> &'static Links {
    static LINKS: std::sync::OnceLock<Links> = std::sync::OnceLock::new();
    LINKS.get_or_init(|| {
        let (plan, baseline) = replan_base();
        Links::new(plan, &network::build(plan).unwrap(), baseline)
    })
}

/// The fixture's progress as a CSV file.
const PROGRESS_CSV: &str = "task,started,finished,crew,remaining_days,cost
a/survey,2026-01-05,2026-01-05,c1,,950
a/procure,2026-01-06,2026-01-30,,,
a/install/1,2026-02-23,,c1,2,
b/survey,2026-01-07,2026-01-07,c1,,
";

/// A progress file (`name`, holding `bytes`) for the re-planning fixture:
/// refused with located errors in the file, or accepted, and then
/// `replan` from the baseline gives a timeline that verifies and `status`
/// renders.
fn check_progress(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let (plan, baseline) = replan_base();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    match removal_timeline::load::progress(&path, plan, plan.status_date) {
        Err(d) => located(&d, &path, bytes)?,
        Ok((progress, _warnings)) => {
            let mut plan = plan.clone();
            plan.progress = progress;
            let r = replan::replan(&plan, baseline, |p| schedule::solve(p, &quick()));
            prop_assert!(
                r.is_ok(),
                "{}\n{}",
                r.err().unwrap(),
                String::from_utf8_lossy(bytes)
            );
            let now = r.unwrap().scheduled;
            check_status(&plan, &now.timeline, &now.links, Some(baseline))?;
        }
    }
    Ok(())
}

/// `status` on a timeline of the plan (and perhaps a committed one): a
/// report that renders, or a clear refusal.
fn check_status(
    plan: &Plan,
    now: &Timeline,
    links: &Links,
    committed: Option<&Timeline>,
) -> Result<(), TestCaseError> {
    let ctx = Context {
        plan,
        timeline: now,
        links,
        baseline: None,
        risk: None,
        committed,
    };
    if let Ok(report) = status::compute(&ctx) {
        let files = render::artifacts(&report);
        prop_assert!(files.is_ok(), "{}", files.err().unwrap());
    }
    Ok(())
}

/// A baseline or committed timeline damaged at the value level: parsed
/// with a located error, or, when it parses, `replan` from it gives a
/// timeline that verifies, `status` with it as the committed timeline
/// renders or refuses, and `diff` against it is drawn.
fn check_timeline(muts: &[(usize, Mutation)]) -> Result<(), TestCaseError> {
    let (plan, baseline) = replan_base();
    let mut v = serde_json::to_value(baseline).unwrap();
    for m in muts {
        apply(&mut v, m);
    }
    let bytes = serde_json::to_vec_pretty(&v).unwrap();
    let mutated = match removal_timeline::verify::parse_timeline("t.json", &bytes) {
        Err(e) => {
            prop_assert!(e.line >= 1 && e.col >= 1, "{}", e);
            return Ok(());
        }
        Ok(t) => t,
    };
    let d = diff::diff(
        &mutated,
        baseline,
        diff::Plans {
            new: Some(plan),
            ..diff::Plans::default()
        },
    );
    let _ = replan::markdown::diff_markdown(&d, "t");
    let _ = diff::to_json(&d);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    check_status(plan, baseline, base_links(), Some(&mutated))?;
    if mutated.plan == plan.name {
        let r = replan::replan(plan, &mutated, |p| schedule::solve(p, &quick()));
        prop_assert!(r.is_ok(), "{}\n{}", r.err().unwrap(), text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(crate::proptest_seed::config(64))]

    #[test]
    fn mutated_sites_csv_is_located_or_schedules(muts in prop::collection::vec(csv_mutation(), 1..4)) {
        check_sites_csv(&muts)?;
    }

    #[test]
    fn mutated_progress_csv_is_located_or_replans(muts in prop::collection::vec(csv_mutation(), 1..4)) {
        check_progress("progress.csv", &mutate_csv(PROGRESS_CSV, &muts))?;
    }

    #[test]
    fn mutated_progress_json_is_located_or_replans(muts in prop::collection::vec(mutation(), 1..4)) {
        let rows = rows(PROGRESS_CSV);
        let mut v = json!({ "progress": rows[1..].iter().map(|r| {
            let mut o = serde_json::Map::new();
            for (k, x) in rows[0].iter().zip(r) {
                if !x.is_empty() {
                    let x = if k == "remaining_days" || k == "cost" { json!(x.parse::<f64>().unwrap()) } else { json!(x) };
                    o.insert(k.clone(), x);
                }
            }
            Value::Object(o)
        }).collect::<Vec<_>>() });
        for m in &muts {
            apply(&mut v, m);
        }
        check_progress("progress.json", &serde_json::to_vec_pretty(&v).unwrap())?;
    }

    #[test]
    fn mutated_timelines_are_located_or_replan(muts in prop::collection::vec(mutation(), 1..4)) {
        check_timeline(&muts)?;
    }
}

// ---- cases these properties found ---------------------------------------

/// The re-planning fixture's plan with `progress` (a CSV text) loaded;
/// errors as text, the file's folder stripped.
fn progress_errors(
    plan: &Plan,
    csv: &str,
) -> Result<Vec<removal_timeline::plan::Progress>, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("progress.csv");
    std::fs::write(&path, csv).unwrap();
    removal_timeline::load::progress(&path, plan, plan.status_date)
        .map(|(p, _)| p)
        .map_err(|d| {
            d.to_string()
                .replace(&format!("{}/", dir.path().display()), "")
        })
}

/// An unfinished task reported with a crew of another region goes on with
/// it (plan format, rule 7: it keeps its crew; accepted with a warning).
/// `verify` applied the region rule to its days after the status date,
/// so `replan` refused its own schedule (exit 3).
#[test]
fn an_unfinished_task_keeps_a_crew_of_another_region() {
    let (plan, baseline) = replan_base();
    let csv = "task,started,finished,crew,remaining_days,cost
a/survey,2026-01-05,2026-01-05,c1,,950
a/procure,2026-01-06,2026-01-30,,,
b/survey,2026-01-07,,c1,,
";
    let mut plan = plan.clone();
    plan.progress = progress_errors(&plan, csv).unwrap();
    let r = replan::replan(&plan, baseline, |p| schedule::solve(p, &quick())).unwrap();
    let row = r
        .scheduled
        .timeline
        .tasks
        .iter()
        .find(|t| t.id == "b/survey")
        .unwrap();
    assert_eq!(row.crew.as_deref(), Some("c1"));
    assert!(row.finish.unwrap() > plan.status_date.unwrap(), "{row:?}");
    assert!(removal_timeline::verify::verify(&plan, &r.scheduled.timeline).is_empty());
}

/// A `started` over 20 years before the task's finish made a task longer
/// than a timeline may hold, which `verify` refused (exit 3): now an
/// error at the record's `started`.
#[test]
fn progress_spanning_over_twenty_years_is_refused_at_started() {
    let (plan, _) = replan_base();
    let csv = PROGRESS_CSV.replace("a/procure,2026-01-06", "a/procure,1900-01-01");
    assert_eq!(
        progress_errors(plan, &csv).unwrap_err(),
        "progress.csv:3:11: error: task \"a/procure\", started: \"a/procure\" would run \
         from 1900-01-01 to 2026-01-30, longer than the 20 years a task may span"
    );
    // Twenty years before the finish is still a record the timeline holds.
    let csv = PROGRESS_CSV.replace("a/procure,2026-01-06", "a/procure,2006-02-01");
    assert!(progress_errors(plan, &csv).is_ok());
}

/// An unfinished task whose crew stops being available before the task
/// is done (it keeps its crew, rule 7): `replan` and `schedule` failed
/// `verify` (exit 3). Now an error at the record's `crew`.
#[test]
fn an_unfinished_task_whose_crew_leaves_is_refused_at_crew() {
    let (plan, _) = replan_base();
    let mut plan = plan.clone();
    let c1 = plan.crews.iter_mut().find(|c| c.id == "c1").unwrap();
    c1.available_to = Some("2026-02-27".parse().unwrap());
    assert_eq!(
        progress_errors(&plan, PROGRESS_CSV).unwrap_err(),
        "progress.csv:4:25: error: task \"a/install/1\", crew: \"a/install/1\" is in progress on \
         the status date 2026-02-27 and goes on with crew \"c1\" until 2026-03-03, but the crew \
         is available only until 2026-02-27: name the crew that will finish it, or change the \
         crew's availability"
    );
}

// ---- the fuzzing script ------------------------------------------------

/// The tests of every `proptest!` block in `src/` and `tests/`.
fn property_tests() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    walk(&root().join("tests"), &mut files);
    // Written apart so that this file's own text holds no block opening.
    let opening = concat!("proptest", "! {");
    let mut names = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(opening) {
            // The block: up to the brace that closes it.
            let body = &rest[i + opening.len()..];
            let mut depth = 1;
            let end = body
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(body.len(), |(j, _)| j);
            for line in body[..end].lines() {
                if let Some(after) = line.trim_start().strip_prefix("fn ") {
                    let name: String = after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.push(name);
                }
            }
            rest = &body[end..];
        }
    }
    names.sort();
    names
}

/// `benches/proptest-fuzz.sh` runs every property test, so a new one is
/// fuzzed with fresh seeds too (the test suite runs them from one pinned
/// seed).
#[test]
fn the_fuzz_script_runs_every_property_test() {
    let script = std::fs::read_to_string(root().join("benches/proptest-fuzz.sh")).unwrap();
    let listed: Vec<&str> = script
        .lines()
        .filter(|l| l.starts_with("lib ") || l.starts_with("tests "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter_map(|path| path.rsplit("::").next())
        .collect();
    let found = property_tests();
    assert!(found.len() >= 13, "{found:?}");
    let missing: Vec<&String> = found
        .iter()
        .filter(|n| !listed.contains(&n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "not in benches/proptest-fuzz.sh: {missing:?}"
    );
    for name in &listed {
        assert!(
            found.iter().any(|f| f == name),
            "{name} is not a property test"
        );
    }
}

/// A baseline with two rows for one task (here the commission renamed
/// `a/survey`): both were kept as pins, the later one won, and `replan`
/// refused its own schedule (precedence; exit 3). Such a task is now left
/// to the search.
#[test]
fn a_baseline_with_a_task_twice_replans() {
    let (plan, baseline) = replan_base();
    let mut damaged = baseline.clone();
    let row = damaged
        .tasks
        .iter_mut()
        .find(|t| t.id == "a/commission")
        .unwrap();
    row.id = "a/survey".into();
    let r = replan::replan(plan, &damaged, |p| schedule::solve(p, &quick())).unwrap();
    assert!(removal_timeline::verify::verify(plan, &r.scheduled.timeline).is_empty());
}
