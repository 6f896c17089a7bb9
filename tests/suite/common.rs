//! Set-ups the test modules share: a plan of `plans/`, scheduled through
//! the product's own pipeline, its publishing context, and a small risk run.

use std::path::Path;

use removal_timeline::artifact::Context;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::pipeline::{schedule_plan, Scheduled};
use removal_timeline::plan::Plan;
use removal_timeline::risk::{self, Risk};
use removal_timeline::schedule::{solve, SearchOptions};

/// `plans/NAME`, loaded.
pub fn plan_file(name: &str) -> Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("plans")
        .join(name);
    removal_timeline::load::plan_file(&path)
        .unwrap_or_else(|d| panic!("{name} loads: {d}"))
        .plan
}

/// A plan through the real pipeline (default search; verified there).
pub fn schedule(plan: &Plan) -> Scheduled {
    schedule_plan(plan, &LowerOptions::default(), |p| {
        solve(p, &SearchOptions::default())
    })
    .expect("schedules")
}

/// `plans/NAME`, loaded and scheduled.
pub fn scheduled_file(name: &str) -> (Plan, Scheduled) {
    let plan = plan_file(name);
    let done = schedule(&plan);
    (plan, done)
}

/// What `schedule` publishes from a run, without risk or baseline.
pub fn context<'a>(plan: &'a Plan, done: &'a Scheduled) -> Context<'a> {
    Context {
        plan,
        timeline: &done.timeline,
        links: &done.links,
        baseline: None,
        risk: None,
        committed: None,
    }
}

/// A small risk run against a scheduled plan: 300 samples, seed 3.
pub fn small_risk(plan: &Plan, done: &Scheduled) -> Risk {
    risk::assess(
        &risk::Inputs {
            plan,
            network: &done.network,
            lower: &LowerOptions::default(),
            solution: &done.solution,
            timeline: &done.timeline,
        },
        &risk::RiskOptions {
            samples: 300,
            seed: 3,
            threads: 0,
        },
        &|_, _| {},
    )
}

/// `1,234`, as the reports write counts: written here apart from the
/// product's formatter, so that tests check it rather than reuse it.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
