//! The one configuration every property test runs with: a pinned seed, so
//! `cargo test` (and CI) tries the same cases on every run and can only go
//! red because the code changed, never because a new random seed was drawn.
//!
//! Fuzzing with fresh seeds is a separate, deliberate act
//! (`benches/proptest-fuzz.sh`, docs/robustness.md): it sets
//! `PROPTEST_RNG_SEED` to a new number and `PROPTEST_CASES` to many cases,
//! and both override what is pinned here. A failure found that way is
//! saved by proptest to the test's `.proptest-regressions` file (commit
//! it), and those saved cases run first on every run, pinned seed or not.
//!
//! The library's unit tests have the same function (`src/lib.rs`,
//! `proptest_seed`; in-source tests take nothing from `tests/`), and
//! `the_unit_tests_pin_the_same_seed` checks that it pins this seed.

use proptest::test_runner::{Config, RngSeed};

/// The seed of every property test unless `PROPTEST_RNG_SEED` is set.
pub const PINNED_SEED: u64 = 20_261_207;

/// `cases` cases from the pinned seed, unless `PROPTEST_CASES` or
/// `PROPTEST_RNG_SEED` say otherwise (proptest reads the rest of its
/// `PROPTEST_*` variables as usual).
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

/// The library's copy pins the same seed (read from its source).
#[test]
fn the_unit_tests_pin_the_same_seed() {
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    let pinned: Vec<&str> = lib
        .lines()
        .filter(|l| l.contains("const PINNED_SEED: u64 ="))
        .collect();
    assert_eq!(pinned.len(), 1, "{pinned:?}");
    let value = pinned[0]
        .split('=')
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches(';');
    assert_eq!(value.replace('_', "").parse::<u64>().unwrap(), PINNED_SEED);
}
