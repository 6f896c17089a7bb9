//! Integration tests: replan, diff and compare, run as a user would.

use assert_cmd::Command;
use predicates::prelude::*;
use removal_timeline::timeline::{SiteRow, Status, Summary, TaskRow, Timeline, FORMAT};
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// A one-site timeline whose removal completes on `rc` against a deadline.
fn one_site(rc: &str, deadline: &str) -> Timeline {
    let rc = day(rc);
    let deadline = day(deadline);
    Timeline {
        format: FORMAT.into(),
        plan: "Story".into(),
        start: day("2026-01-05"),
        status_date: None,
        summary: Summary {
            finish: Some(rc),
            removal_complete: Some(rc),
            total_cost: 100.0,
            exposure: 10.0,
            sites: 1,
            sites_late: u64::from(rc > deadline),
            tasks: 1,
            unscheduled: 0,
            sites_unscheduled: 0,
            devices_unscheduled: 0,
            stranded_cost: 0.0,
        },
        tasks: vec![TaskRow {
            id: "hq/remove/1".into(),
            site: "hq".into(),
            phase: "remove".into(),
            package: Some(1),
            devices: 4,
            start: Some(rc),
            finish: Some(rc),
            duration: 1,
            crew: Some("c1".into()),
            cost: Some(100.0),
            status: Status::Planned,
            reason: None,
        }],
        sites: vec![SiteRow {
            id: "hq".into(),
            tier: "T1".into(),
            region: "r".into(),
            devices: 4,
            removal_complete: Some(rc),
            deadline: Some(deadline),
            late_days: Some((rc - deadline).num_days().max(0)),
            late_reason: None,
        }],
    }
}

fn write_json(dir: &Path, name: &str, t: &Timeline) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(t).unwrap()).unwrap();
    p
}

#[test]
fn diff_prints_sites_newly_late_with_days_moved() {
    let dir = tempfile::tempdir().unwrap();
    let old = write_json(
        dir.path(),
        "old.json",
        &one_site("2026-03-02", "2026-03-31"),
    );
    let new = write_json(
        dir.path(),
        "new.json",
        &one_site("2026-04-06", "2026-03-31"),
    );
    bin()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .assert()
        .success()
        .stdout(predicate::str::contains("## Sites newly late (1)"))
        .stdout(predicate::str::contains(
            "| `hq` | T1 | 2026-03-02 | 2026-04-06 | +35 days |",
        ));
}

#[test]
fn diff_json_reports_the_move() {
    let dir = tempfile::tempdir().unwrap();
    let old = write_json(
        dir.path(),
        "old.json",
        &one_site("2026-03-02", "2026-03-31"),
    );
    let new = write_json(
        dir.path(),
        "new.json",
        &one_site("2026-03-09", "2026-03-31"),
    );
    let out = bin()
        .args(["diff", "--json"])
        .arg(&old)
        .arg(&new)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["sites"][0]["id"], "hq");
    assert_eq!(v["sites"][0]["change"], "moved");
    assert_eq!(v["sites"][0]["days_moved"], 7);
}

#[test]
fn diff_of_a_broken_timeline_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let old = write_json(
        dir.path(),
        "old.json",
        &one_site("2026-03-02", "2026-03-31"),
    );
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"format\": \"removal-timeline/1\",\n  \"plan\": 3\n}",
    )
    .unwrap();
    bin()
        .arg("diff")
        .arg(&old)
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.json:3:"));
}
