//! removal-timeline: plan, schedule, publish and re-plan the removal of
//! banned equipment from many sites.
//!
//! The pipeline, one module per stage:
//! plan file → `plan` (validated `Plan`) → `network` (task graph) →
//! `schedule` (the general core) → `timeline` (published data) →
//! `chart` and `report` (bytes) → `cli` (the only place that touches files).
//! `load` loads a plan whole: `plan` validates it and `network` adds the
//! checks only the task network can make, so `plan` imports nothing above
//! it. `artifact` is the publishing side's shared vocabulary, below both the
//! renderers and `bundle`, which runs them; `pipeline` runs a whole plan
//! through network, search, timeline and `verify`, above all of them.

pub mod artifact;
pub mod bundle;
pub mod chart;
pub mod cli;
pub mod generate;
pub mod load;
pub mod network;
pub mod page;
pub mod pipeline;
pub mod plan;
pub mod psplib;
pub mod read;
pub mod replan;
pub mod report;
pub mod risk;
pub mod schedule;
pub mod status;
pub mod timeline;
pub mod units;
pub mod verify;
pub mod words;
