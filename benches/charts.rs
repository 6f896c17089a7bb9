//! Drawing benchmark: renders every chart for synthetic programmes of
//! 1,000 and 10,000 sites (or the sizes given) and prints the time taken.
//!
//! `cargo bench --bench charts` or `cargo bench --bench charts -- 10000 --write DIR`
//! (`--write` also saves the charts, to look at them).

use std::time::Instant;

use removal_timeline::artifact::{run_ordered, Artifact, Context};
use removal_timeline::chart::{self, sample, Charts};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let write = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1).cloned());
    let mut sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![1_000, 10_000];
    }
    for n in sizes {
        let plan = sample::plan(n, true);
        let tl = sample::timeline(&plan);
        let base = sample::timeline(&plan);
        let status = plan.start + chrono::Days::new(120);
        let now = sample::replanned(&plan, &base, status, 30);
        for (what, tl, baseline) in [("schedule", &tl, None), ("replan", &now, Some(&base))] {
            let links = sample::links(&plan, tl);
            let ctx = Context {
                plan: &plan,
                timeline: tl,
                links: &links,
                baseline,
                risk: None,
                committed: None,
            };
            let t = Instant::now();
            // Each chart and Gantt page a job, on the bundle's threads.
            let draw = |charts: Charts| -> Vec<Artifact> {
                let drawn = run_ordered(charts.len(), |i| charts.draw(i).expect("charts draw"));
                drawn.into_iter().flatten().collect()
            };
            let all = draw(Charts::office(&ctx));
            let public = draw(Charts::public(&ctx));
            let secs = t.elapsed().as_secs_f64();
            let bytes: usize = all.iter().chain(&public).map(|a| a.bytes.len()).sum();
            println!(
                "sites={n} {what}: {} files, {:.1} MB, {secs:.2} s",
                all.len() + public.len(),
                bytes as f64 / 1e6
            );
            if let Some(dir) = &write {
                let dir = std::path::Path::new(dir).join(format!("{n}-{what}"));
                for a in all.iter().chain(&public) {
                    let p = dir.join(&a.path);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(p, &a.bytes).unwrap();
                }
            }
        }
        let scenarios: Vec<_> = [
            ("as planned", tl.clone()),
            (
                "crews start 60 days late",
                sample::replanned(&plan, &tl, plan.start, 60),
            ),
            (
                "budget cut: 120 days late",
                sample::replanned(&plan, &tl, plan.start, 120),
            ),
        ]
        .into_iter()
        .map(|(name, t)| {
            let links = sample::links(&plan, &t);
            (name.to_string(), t, links)
        })
        .collect();
        let t = Instant::now();
        let arts = chart::render_scenarios(&plan, &scenarios).expect("scenario chart draws");
        println!("sites={n} compare: {:.2} s", t.elapsed().as_secs_f64());
        if let Some(dir) = &write {
            let dir = std::path::Path::new(dir).join(format!("{n}-compare"));
            std::fs::create_dir_all(&dir).unwrap();
            for a in &arts {
                std::fs::write(dir.join(&a.path), &a.bytes).unwrap();
            }
        }
    }
}
