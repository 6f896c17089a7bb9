//! The one integration-test binary; each stage has its own module.

#[path = "suite/bundle.rs"]
mod bundle;
#[path = "suite/chart.rs"]
mod chart;
#[path = "suite/common.rs"]
mod common;
#[path = "suite/docs.rs"]
mod docs;
#[path = "suite/layers.rs"]
mod layers;
#[path = "suite/mutate.rs"]
mod mutate;
#[path = "suite/office.rs"]
mod office;
#[path = "suite/page.rs"]
mod page;
#[path = "suite/plan.rs"]
mod plan;
#[path = "suite/proptest_seed.rs"]
mod proptest_seed;
#[path = "suite/psplib.rs"]
mod psplib;
/// The quality benchmark's bound, tested on a plan small enough to work
/// out by hand, and its greedy and bound on the shipped plans as
/// docs/schedule-quality.md quotes them (`suite/schedule.rs`).
#[allow(dead_code)]
#[path = "../benches/quality/bound.rs"]
mod quality_bound;
#[allow(dead_code)]
#[path = "../benches/quality/greedy.rs"]
mod quality_greedy;
#[path = "suite/replan.rs"]
mod replan;
#[path = "suite/report.rs"]
mod report;
#[path = "suite/risk.rs"]
mod risk;
#[path = "suite/robust.rs"]
mod robust;
#[path = "suite/schedule.rs"]
mod schedule;
#[path = "suite/status.rs"]
mod status;
#[path = "suite/targets.rs"]
mod targets;
#[path = "suite/truth.rs"]
mod truth;
