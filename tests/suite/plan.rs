//! Integration tests: plan files (loading, validation messages, CSV sites,
//! progress files, `validate`, `schema` and `generate`).

use assert_cmd::Command;
use removal_timeline::plan::{self, Phase};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

#[test]
fn every_plan_in_plans_loads() {
    let mut n = 0;
    for e in std::fs::read_dir(root().join("plans")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let loaded = plan::load_file(&p).unwrap_or_else(|d| panic!("{}:\n{d}", p.display()));
            assert!(!loaded.plan.sites.is_empty());
            n += 1;
        }
    }
    assert!(n >= 2, "plans/ holds {n} plans");
}

#[test]
fn tutorial_site_alpha_matches_the_spec_worked_example() {
    let loaded = plan::load_file(&root().join("plans/tutorial.json")).unwrap();
    let p = &loaded.plan;
    let alpha = p.sites.iter().position(|s| s.id == "alpha").unwrap();
    let ids: Vec<&str> = p.sites[alpha]
        .devices
        .iter()
        .map(|(t, _)| p.device_types[t.ix()].id.as_str())
        .collect();
    assert_eq!(ids, ["dome", "nvr", "thermal"]);
    let s = plan::SiteIx::from(alpha);
    assert_eq!(p.phase_task_count(s, Phase::Install), 2);
    assert_eq!(p.phase_task_count(s, Phase::Remove), 2);
    assert_eq!(p.site_task_keys(s).len(), 8);
}

#[test]
fn validate_prints_a_summary() {
    bin()
        .args(["validate", "plans/tutorial.json"])
        .current_dir(root())
        .assert()
        .success()
        .stdout(predicates::str::contains("sites: 2, devices: 67"));
}

#[test]
fn schema_prints_json() {
    let out = bin()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(v["properties"]["sites"].is_object());
}

#[test]
fn usage_errors_exit_2() {
    bin().args(["validate"]).assert().code(2);
    bin().args(["generate", "--sites", "x"]).assert().code(2);
}

#[test]
fn a_missing_file_is_the_input_at_fault() {
    bin()
        .args(["validate", "no/such/plan.json"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "no/such/plan.json:1:1: error: cannot read the file",
        ));
}

#[allow(dead_code)]
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
