//! Fuzz target: bytes that load as a valid plan are scheduled with a small
//! search and the timeline must pass `verify` (the pipeline checks it and
//! returns `Invalid` otherwise), then the published bundle must render.

#![no_main]

use libfuzzer_sys::fuzz_target;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::plan::{self, Limits};
use removal_timeline::schedule::{self, SearchOptions};
use removal_timeline::timeline::pipeline::{schedule_plan, PipelineError};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Small limits keep one execution short; big plans are the benchmarks' job.
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_site_devices: 10_000,
        max_tasks: 2_000,
        ..Limits::default()
    };
    let Ok(loaded) = removal_timeline::load::plan_str_with(text, Path::new("/nonexistent/plan.json"), &limits)
    else {
        return;
    };
    let search = SearchOptions {
        schedules: 3,
        seed: 1,
        time_limit: None,
        progress: None,
    };
    match schedule_plan(&loaded.plan, &LowerOptions::default(), |p| {
        schedule::solve(p, &search)
    }) {
        Ok(done) => {
            let ctx = removal_timeline::bundle::Context {
                plan: &loaded.plan,
                timeline: &done.timeline,
                baseline: None,
            };
            removal_timeline::bundle::publish(&ctx).expect("the bundle renders");
        }
        Err(PipelineError::Cycle(_)) => panic!("a cycle passed validation"),
        Err(e @ PipelineError::Invalid(_)) => panic!("verify failed: {e}"),
    }
});
