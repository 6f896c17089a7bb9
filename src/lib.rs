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
//!
//! The layer rule (checked by `tests/suite/layers.rs`, which reads the
//! imports):
//! - each lower stage imports only what is below it: `plan` only `units`
//!   and `read`; `schedule` only `units`; `network` only `plan`,
//!   `schedule` and `units`; `timeline` only those and `words`. A lower
//!   stage that needs something of a higher one asks through a trait it
//!   owns (`plan::GraphChecks`), never by importing it;
//! - `chart` and `report` never import `network`, `schedule`, `status` or
//!   `risk` (the status report is built on the report's document model,
//!   and the risk figures they show are `odds`, apart from the sampler):
//!   what they need of the task network comes with the timeline (`timeline::Links`,
//!   in the publishing `artifact::Context`), and the rules of the plan
//!   format (a task's cost, which crews may work at a site, the horizon)
//!   are functions of `plan`;
//! - the publishing side (`chart`, `page`, `report`, `status`) finds a
//!   timeline's rows in its plan and in each other by index, through the
//!   typed indices built once where the timeline is made (`Links`, read
//!   through `artifact::Context`): site row `s` is plan site `s`, task row
//!   `t` is link `t`. It neither builds a map keyed by a string ID nor
//!   searches a list for an ID; another timeline (a baseline or committed
//!   one, perhaps of a plan with other sites) is joined by ID only through
//!   `timeline::by_site_id`, and the diff joins its two timelines once,
//!   through `timeline::pair`. Maps keyed by a string ID live only in the
//!   few boundary files docs/architecture.md lists;
//! - phases travel as the plan's `Phase` from the network to every writer:
//!   only `plan` (and `generate`, which writes plans as text) spells a
//!   phase's name;
//! - every colour is written once, in `palette` (below the charts and the
//!   page, which both take theirs from it);
//! - no source file is over 1,000 lines.
//!
//! In-source tests follow one convention (checked by the same test): a
//! module's unit tests are its child module `tests` (`proptests` for
//! property tests) under `#[cfg(test)]`, inline at the end of a file module
//! (`foo.rs`), or a file of its own beside the others of a folder module
//! (`foo/tests.rs`, declared in `foo/mod.rs`); never placed with `#[path]`.
//! Tests of what the program publishes take it from `bundle::publish`, the
//! one path the CLI writes through, and pick the files they check.

pub mod artifact;
pub mod bundle;
pub mod chart;
pub mod cli;
pub mod generate;
pub mod load;
pub mod network;
pub mod odds;
pub mod page;
pub mod palette;
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

/// The one configuration of the unit tests' property tests: `cases` cases
/// from a pinned seed, unless `PROPTEST_CASES` or `PROPTEST_RNG_SEED` say
/// otherwise. The same as the integration tests'
/// (`tests/suite/proptest_seed.rs`, which says why; a test there checks
/// that the two pin the same seed).
#[cfg(test)]
pub(crate) mod proptest_seed {
    use proptest::test_runner::{Config, RngSeed};

    pub const PINNED_SEED: u64 = 20_261_207;

    pub fn config(cases: u32) -> Config {
        let mut config = Config::default();
        if std::env::var_os("PROPTEST_CASES").is_none() {
            config.cases = cases;
        }
        if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
            config.rng_seed = RngSeed::Fixed(PINNED_SEED);
        }
        config
    }
}
