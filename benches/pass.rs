//! One pass at scale (issue 19): how the cost of one forward schedule of
//! the plans' search grows with the number of sites, on
//! `generate --sites N --seed 1`. For each size it times the search with
//! one schedule (`--effort 1`: preparing the problem and the greedy start's
//! pass) and with 21, several runs each, and prints the medians, the cost
//! of one more schedule ((t21 − t1) / 20) and, between consecutive sizes,
//! the growth exponent of that cost (log of the ratio of costs over log of
//! the ratio of sites). No charts, no files: the scheduling core alone.
//!
//! `cargo bench --bench pass` (sizes 1000 2000 5000 10000 20000, 5 runs),
//! or `cargo bench --bench pass -- 2000 10000 --runs 9`.

use std::path::Path;
use std::time::Instant;

use removal_timeline::generate::generate;
use removal_timeline::load::plan_str;
use removal_timeline::network::{self, lower::lower, lower::LowerOptions};
use removal_timeline::schedule::{solve, Problem, SearchOptions};

/// Schedules of the longer search (the shorter makes one).
const MORE: u64 = 21;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut sizes: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || args[i - 1] != "--runs")
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![1_000, 2_000, 5_000, 10_000, 20_000];
    }
    println!("{runs} runs per size; medians in milliseconds");
    println!(
        "{:>7} {:>8} {:>11} {:>9} {:>10} {:>12} {:>9}",
        "sites", "tasks", "crew tasks", "crews", "1 sched", "per sched", "exponent"
    );
    let mut prints = Vec::new();
    let mut prev: Option<(usize, f64)> = None;
    for n in sizes {
        let text = serde_json::to_string(&generate(n, 1)).expect("a generated plan serialises");
        let plan = plan_str(&text, Path::new("generated.json"))
            .expect("generated plans are valid")
            .plan;
        let net = network::build(&plan).expect("generated plans have no cycles");
        let problem = lower(&plan, &net, &LowerOptions::default()).problem;
        let one = median(runs, || time(&problem, 1).0);
        let (_, print) = time(&problem, MORE);
        let more = median(runs, || time(&problem, MORE).0);
        let per = (more - one) / (MORE - 1) as f64;
        let crew_tasks = problem
            .activities
            .iter()
            .filter(|a| !a.units.is_empty())
            .count();
        let exponent = prev.map_or(String::new(), |(m, c)| {
            format!("{:.2}", (per / c).ln() / (n as f64 / m as f64).ln())
        });
        println!(
            "{n:>7} {:>8} {crew_tasks:>11} {:>9} {one:>10.1} {per:>12.2} {exponent:>9}",
            problem.activities.len(),
            problem.units.len()
        );
        prev = Some((n, per));
        prints.push(format!("{n}: {print:016x}"));
    }
    // The placements of the 21-schedule search, hashed: the same before
    // and after a change that must not move any task.
    println!("placements: {}", prints.join(", "));
}

/// Milliseconds `solve` takes for `schedules` schedules, and a hash of
/// the placements it gives (FNV-1a over start, finish and unit).
fn time(problem: &Problem, schedules: u64) -> (f64, u64) {
    let opts = SearchOptions {
        schedules,
        ..SearchOptions::default()
    };
    let t = Instant::now();
    let sol = solve(problem, &opts);
    let ms = t.elapsed().as_secs_f64() * 1e3;
    assert!(sol.schedules <= schedules, "the search kept to its effort");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for a in &sol.activities {
        let (s, f, u) = a.as_ref().map_or((-1, -1, u32::MAX), |pl| {
            (pl.start, pl.finish, pl.unit.map_or(u32::MAX, |u| u.0))
        });
        for x in [s as u64, f as u64, u as u64] {
            h = (h ^ x).wrapping_mul(0x100_0000_01b3);
        }
    }
    (ms, h)
}

fn median(runs: usize, mut f: impl FnMut() -> f64) -> f64 {
    let mut xs: Vec<f64> = (0..runs).map(|_| f()).collect();
    xs.sort_by(f64::total_cmp);
    xs[runs / 2]
}
