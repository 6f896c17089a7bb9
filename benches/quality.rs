//! Schedule quality benchmark: a single pass of the priority rule
//! (`--effort 1`) against the default search (`--effort 0`, automatic), on
//! every plan in `plans/` and on generated plans, reporting what a
//! programme manager cares about in the spec's order: devices left
//! unscheduled, deadlines missed (sites, days), exposure, plus stranded
//! money and the time taken (search, timeline and verify; no charts).
//!
//! `cargo bench --bench quality` (sizes 200 and 1000 generated sites), or
//! `cargo bench --bench quality -- 200 2000 --seed 3` for other sizes.
//! Prints a Markdown table; docs/schedule-quality.md holds a run of it.

use std::path::Path;
use std::time::Instant;

use removal_timeline::cli::schedule::auto_effort;
use removal_timeline::generate::generate;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::pipeline::schedule_plan;
use removal_timeline::plan::{load_file, load_str, Plan};
use removal_timeline::schedule::{solve, SearchOptions};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1u64);
    let mut sizes: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || args[i - 1] != "--seed")
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![200, 1000];
    }
    println!("| plan | sites | tasks | effort | schedules | unscheduled devices | sites late | days late | exposure | stranded | seconds |");
    println!("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, plan) in plans(&sizes, seed) {
        for effort in [1, 0] {
            row(&name, &plan, effort, seed);
        }
    }
}

/// The plans of `plans/`, then generated ones.
fn plans(sizes: &[usize], seed: u64) -> Vec<(String, Plan)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("plans")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
    {
        match load_file(f) {
            Ok(l) => out.push((f.display().to_string(), l.plan)),
            Err(e) => eprintln!("skipping {}: {e}", f.display()),
        }
    }
    for &n in sizes {
        let text = serde_json::to_string(&generate(n, seed)).expect("a generated plan serialises");
        let plan = load_str(&text, Path::new("generated.json"))
            .expect("generated plans are valid")
            .plan;
        out.push((format!("generate --sites {n} --seed {seed}"), plan));
    }
    out
}

fn row(name: &str, plan: &Plan, effort: u64, seed: u64) {
    let schedules = if effort == 0 {
        auto_effort(plan)
    } else {
        effort
    };
    let opts = SearchOptions {
        schedules,
        seed,
        ..SearchOptions::default()
    };
    let t = Instant::now();
    let done = match schedule_plan(plan, &LowerOptions::default(), |p| solve(p, &opts)) {
        Ok(d) => d,
        Err(e) => {
            println!("| {name} | failed: {e} |");
            return;
        }
    };
    let secs = t.elapsed().as_secs_f64();
    let tl = &done.timeline;
    let s = &tl.summary;
    let days_late: i64 = tl.sites.iter().filter_map(|r| r.late_days).sum();
    let label = if effort == 0 {
        "default"
    } else {
        "single pass"
    };
    println!(
        "| {name} | {} | {} | {label} | {} | {} | {} | {days_late} | {:.0} | {:.2} | {secs:.2} |",
        s.sites,
        s.tasks,
        done.solution.schedules,
        s.devices_unscheduled,
        s.sites_late,
        s.exposure,
        s.stranded_cost
    );
}
