//! Schedule quality benchmark: the default search (`--effort 0`) against
//! the whole-site greedy baseline (`greedy.rs`), on every plan in
//! `plans/`, on generated programmes (`generate --sites N --seed S`, which
//! come with a budget) and on the same plans and programmes with the money
//! cut to 40 % of what their work costs. Reports what the plan's objective
//! (`tiers_first`) weighs, in its order: devices left unscheduled, late
//! (and sites left unscheduled, tier by tier), late sites tier by tier
//! (days late in brackets), the public targets missed (key 1b; devices
//! short in brackets), exposure; and the seconds
//! taken (search, timeline and verify; no charts); then the sites on time
//! tier by tier, and on the greedy's row the most that the money and the
//! network allow (`bound.rs`): with the more sensitive tiers' sites on time
//! as many as the greedy's, and with one more than the greedy's in each
//! more sensitive tier where the greedy misses any (what beating it there
//! would take).
//!
//! `cargo bench --bench quality` (sizes 200 and 1000, seed 1), or
//! `cargo bench --bench quality -- 200 1000 2000 --seeds 1,2,3`; add
//! `--limit SECS` for a row with `--time-limit` too, `--tight` for the
//! 40 % rows only. Prints a Markdown table; docs/schedule-quality.md holds
//! a run of it.

mod bound;
mod greedy;

use std::path::Path;
use std::time::{Duration, Instant};

use removal_timeline::cli::schedule::auto_effort;
use removal_timeline::generate::generate;
use removal_timeline::load::{plan_file, plan_str};
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::pipeline::schedule_plan;
use removal_timeline::plan::Plan;
use removal_timeline::schedule::{solve, SearchOptions};
use removal_timeline::timeline::{rank, Timeline};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let seeds: Vec<u64> = value("--seeds")
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![1]);
    let limit: Option<f64> = value("--limit").and_then(|s| s.parse().ok());
    let tight_only = args.iter().any(|a| a == "--tight");
    let mut sizes: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || !args[i - 1].starts_with("--"))
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![200, 1000];
    }
    println!("| plan | sites | run | unscheduled devices | unscheduled sites by tier | late sites by tier (days) | targets missed (devices short) | exposure | by tiers_first | seconds | on time by tier | money allows on time at most | the same, beating the greedy above |");
    println!("|---|---:|---|---:|---|---|---|---:|---|---:|---|---|---|");
    for (name, plan) in plans(&sizes, &seeds) {
        if tight_only && !name.starts_with("the same") {
            continue;
        }
        let t = Instant::now();
        let base = greedy::timeline(&plan);
        let secs = t.elapsed().as_secs_f64();
        let floor: Vec<u64> = on_time(&base).iter().map(|t| t.1).collect();
        // One more on time in every tier where the greedy has a miss.
        let beat: Vec<u64> = base
            .summary
            .tiers
            .iter()
            .zip(&floor)
            .map(|(t, &n)| n + u64::from(n < t.sites))
            .collect();
        let names: Vec<&str> = base.summary.tiers.iter().map(|t| t.tier.as_str()).collect();
        let cells = |most: Vec<u64>| -> String {
            let cells: Vec<String> = names
                .iter()
                .zip(most)
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            cells.join(", ")
        };
        let most = bound::facts(&plan)
            .map(|f| [bound::bound(&f, &floor), bound::bound(&f, &beat)].map(cells));
        row(&name, &plan, "greedy", &base, None, secs, most.as_ref());
        for (label, lim) in [("default", None), ("time limit", limit)] {
            if label == "time limit" && lim.is_none() {
                continue;
            }
            let opts = SearchOptions {
                schedules: auto_effort(&plan),
                seed: 1,
                time_limit: lim.map(Duration::from_secs_f64),
                ..SearchOptions::default()
            };
            let t = Instant::now();
            match schedule_plan(&plan, &LowerOptions::default(), |p| solve(p, &opts)) {
                Ok(done) => {
                    let secs = t.elapsed().as_secs_f64();
                    row(&name, &plan, label, &done.timeline, Some(&base), secs, None);
                }
                Err(e) => println!("| {name} | failed: {e} |"),
            }
        }
    }
}

/// The plans of `plans/` (with a budget: and their 40 % cuts), then
/// generated ones and their 40 % cuts.
fn plans(sizes: &[usize], seeds: &[u64]) -> Vec<(String, Plan)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("plans")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
    {
        match plan_file(f) {
            Ok(l) => {
                let tight = l
                    .plan
                    .budget
                    .is_some()
                    .then(|| greedy::money_share(&l.plan, 0.4));
                out.push((f.display().to_string(), l.plan));
                if let Some(tight) = tight {
                    out.push(("the same, 40 % of the money".to_string(), tight));
                }
            }
            Err(e) => eprintln!("skipping {}: {e}", f.display()),
        }
    }
    for &n in sizes {
        for &seed in seeds {
            let text =
                serde_json::to_string(&generate(n, seed)).expect("a generated plan serialises");
            let plan = plan_str(&text, Path::new("generated.json"))
                .expect("generated plans are valid")
                .plan;
            let tight = greedy::money_share(&plan, 0.4);
            out.push((format!("generate --sites {n} --seed {seed}"), plan));
            out.push(("the same, 40 % of the money".to_string(), tight));
        }
    }
    out
}

/// Per tier: its ID and its sites on time (neither late nor unscheduled).
fn on_time(tl: &Timeline) -> Vec<(&str, u64)> {
    let tiers = tl.summary.tiers.iter();
    tiers
        .map(|t| {
            (
                t.tier.as_str(),
                t.sites - t.sites_late - t.sites_unscheduled,
            )
        })
        .collect()
}

fn row(
    name: &str,
    plan: &Plan,
    run: &str,
    tl: &Timeline,
    base: Option<&Timeline>,
    secs: f64,
    most: Option<&[String; 2]>,
) {
    let s = &tl.summary;
    let on_time: Vec<String> = on_time(tl)
        .iter()
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    let tiers: Vec<String> = s
        .tiers
        .iter()
        .map(|t| format!("{} {} ({})", t.tier, t.sites_late, t.late_days))
        .collect();
    let unscheduled: Vec<String> = s
        .tiers
        .iter()
        .map(|t| format!("{} {}", t.tier, t.sites_unscheduled))
        .collect();
    let missed: Vec<&_> = tl.targets.iter().filter(|t| !t.met).collect();
    let targets = if tl.targets.is_empty() {
        String::new()
    } else {
        let short: u64 = missed.iter().map(|t| t.required - t.removed).sum();
        format!("{} of {} ({short})", missed.len(), tl.targets.len())
    };
    let verdict = match base.map(|b| rank::compare(plan, tl, b)) {
        None => "",
        Some(std::cmp::Ordering::Less) => "better",
        Some(std::cmp::Ordering::Equal) => "equal",
        Some(std::cmp::Ordering::Greater) => "WORSE",
    };
    println!(
        "| {name} | {} | {run} | {} | {} | {} | {targets} | {:.0} | {verdict} | {secs:.2} | {} | {} | {} |",
        s.sites,
        s.devices_unscheduled,
        unscheduled.join(", "),
        tiers.join(", "),
        s.exposure,
        on_time.join(", "),
        most.map_or("", |m| m[0].as_str()),
        most.map_or("", |m| m[1].as_str()),
    );
}
