//! Owners and public targets: the plan fields, the timeline's figures, the
//! scheduler's preference (key 1b) and `validate`'s warnings.

use assert_cmd::Command;
use removal_timeline::cli::schedule::schedule;
use removal_timeline::load::plan_str;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::plan::Plan;
use removal_timeline::schedule::SearchOptions;
use removal_timeline::timeline::Timeline;
use removal_timeline::verify::verify;
use serde_json::{json, Value};
use std::path::Path;

fn load(v: &Value) -> Plan {
    match plan_str(&v.to_string(), Path::new("test.json")) {
        Ok(l) => l.plan,
        Err(d) => panic!("test plan is invalid:\n{d}"),
    }
}

fn run(v: &Value) -> Timeline {
    let plan = load(v);
    let opts = SearchOptions {
        schedules: 50,
        ..SearchOptions::default()
    };
    let done = schedule(&plan, &LowerOptions::default(), &opts).expect("schedules");
    assert_eq!(verify(&plan, &done.timeline), vec![]);
    done.timeline
}

/// One crew; two sites of 10 working days' removal each (no survey,
/// replacement or disposal). `hi` (tier 1) is due in two weeks, `lo`
/// (tier 2) in four: one crew can keep both deadlines by doing `hi` first.
fn two_sites() -> Value {
    json!({
        "name": "targets",
        "start": "2026-01-05",
        "workflow": {"survey_days": 0, "commission_days": 0, "disposal_days": 0},
        "tiers": [
            {"id": "T1", "weight": 10, "deadline": "2026-01-16"},
            {"id": "T2", "weight": 1, "deadline": "2026-01-30"}
        ],
        "device_types": [{"id": "cam", "replace": false, "remove_hours": 7.5}],
        "regions": [{"id": "r"}],
        "crews": [{"id": "c1", "region": "r", "day_rate": 100}],
        "owners": [{"id": "home", "name": "Home Office"}, {"id": "mod"}],
        "sites": [
            {"id": "hi", "region": "r", "tier": "T1", "devices": {"cam": 10}, "owner": "home"},
            {"id": "lo", "region": "r", "tier": "T2", "devices": {"cam": 10}, "owner": "mod"}
        ]
    })
}

#[test]
fn without_a_target_the_higher_tier_goes_first() {
    let tl = run(&two_sites());
    let rc = |id: &str| {
        tl.sites
            .iter()
            .find(|s| s.id == id)
            .unwrap()
            .removal_complete
    };
    assert!(rc("hi") < rc("lo"));
    assert_eq!(tl.summary.sites_late, 0);
    assert!(tl.targets.is_empty());
    assert_eq!(tl.sites[0].owner.as_deref(), Some("home"));
}

/// A target no schedule can meet is reported missed, never forced: the
/// scheduler still keeps as many deadlines as it can.
#[test]
fn a_target_that_cannot_be_met_is_reported_missed() {
    let mut plan = two_sites();
    plan["targets"] = json!([{"id": "all-in-a-week", "by": "2026-01-09"}]);
    let tl = run(&plan);
    let t = &tl.targets[0];
    assert_eq!((t.devices, t.required, t.met), (20, 20, false));
    assert!(t.removed < 20);
}

#[test]
fn a_share_is_rounded_up_to_whole_devices_exactly() {
    let mut plan = two_sites();
    plan["sites"][0]["devices"]["cam"] = json!(80);
    plan["sites"][1]["devices"]["cam"] = json!(20);
    plan["targets"] = json!([
        {"id": "a", "by": "2026-12-31", "share": 0.65},
        {"id": "b", "by": "2026-12-31", "share": 0.651, "tier": "T1"}
    ]);
    let p = load(&plan);
    assert_eq!(p.targets[0].required(p.target_devices(&p.targets[0])), 65);
    assert_eq!(p.targets[1].required(p.target_devices(&p.targets[1])), 53);
}

#[test]
fn validate_warns_of_a_target_money_or_crews_alone_rule_out() {
    let mut plan = two_sites();
    plan["budget"] =
        json!({"periods": [{"from": "2026-01-05", "to": "2026-12-31", "amount": 500}]});
    plan["targets"] = json!([
        {"id": "broke", "by": "2026-06-30", "share": 0.5},
        {"id": "too-soon", "by": "2026-01-06", "tier": "T1"}
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.json");
    std::fs::write(&file, plan.to_string()).unwrap();
    let run = Command::cargo_bin("removal-timeline")
        .unwrap()
        .arg("validate")
        .arg(&file)
        .assert()
        .success();
    let err = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    // 10 devices need 10 crew days at 100 a day: 1,000 against 500.
    assert!(
        err.contains("targets[0] (\"broke\"): cannot be met on money alone: removing 10 devices needs at least GBP 1,000.00 committed by 30 June 2026, but the budget periods that begin by then hold GBP 500.00 (GBP 500.00 short)"),
        "{err}"
    );
    // Two working days by 6 January, ten needed.
    assert!(
        err.contains("targets[1] (\"too-soon\"): cannot be met on crews alone: removing 10 devices needs at least 10 crew working days by 6 January 2026, but the crews of those sites' regions have 2"),
        "{err}"
    );
    assert!(
        !err.contains("(\"broke\"): cannot be met on crews"),
        "{err}"
    );
    // The summary counts the targets out of reach with the deadlines.
    let first = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(
        first.lines().next().unwrap().ends_with(
            "valid as a plan, but money alone cannot meet 2 deadlines, and money or crews \
             alone cannot meet 2 public targets (see the warnings)"
        ),
        "{first}"
    );
}

#[test]
fn owners_come_from_the_csv_column_owner() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = two_sites();
    plan["sites_csv"] = json!("more.csv");
    std::fs::write(
        dir.path().join("more.csv"),
        "id,region,tier,owner,cam\nx1,r,T2,mod,3\nx2,r,T2,,4\nx3,r,T2,hom,1\n",
    )
    .unwrap();
    let file = dir.path().join("plan.json");
    std::fs::write(&file, plan.to_string()).unwrap();
    let err = removal_timeline::load::plan_file(&file)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("more.csv:4:")
            && err.contains("unknown owner \"hom\"; did you mean \"home\"?"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("more.csv"),
        "id,region,tier,owner,cam\nx1,r,T2,mod,3\nx2,r,T2,,4\n",
    )
    .unwrap();
    let p = removal_timeline::load::plan_file(&file).unwrap().plan;
    assert_eq!(p.owner_id(removal_timeline::plan::SiteIx(2)), Some("mod"));
    assert_eq!(p.owner_id(removal_timeline::plan::SiteIx(3)), None);
}
/// Key 1b: a target the programme can meet is met, even when that makes a
/// higher tier's site late.
#[test]
fn the_scheduler_meets_a_target_it_can_meet_even_at_the_cost_of_lower_tier_deadlines() {
    let mut plan = two_sites();
    plan["targets"] = json!([
        {"id": "mod-first", "by": "2026-01-16", "owner": "mod"}
    ]);
    let tl = run(&plan);
    let t = &tl.targets[0];
    assert_eq!(
        (t.devices, t.required, t.removed, t.met),
        (10, 10, 10, true)
    );
    let late = |id: &str| tl.sites.iter().find(|s| s.id == id).unwrap().late_days;
    assert_eq!(late("lo"), Some(0));
    assert_eq!(late("hi"), Some(14), "hi waits for lo: two weeks late");
}

/// Key 1b against a less sensitive tier (issue 23): a tier-3 site due
/// first and a tier-2 site due later can both be on time, the tier-3 one
/// first; a target on the tier-2 site's owner by the tier-3 deadline can be
/// met only by making the tier-3 site late, and it is met.
#[test]
fn a_target_is_met_at_the_cost_of_a_lower_tier_deadline() {
    let mut plan = two_sites();
    plan["tiers"] = json!([
        {"id": "T2", "weight": 10, "deadline": "2026-01-30"},
        {"id": "T3", "weight": 1, "deadline": "2026-01-16"}
    ]);
    plan["sites"][0]["tier"] = json!("T3");
    plan["sites"][1]["tier"] = json!("T2");
    let late = |tl: &Timeline, id: &str| tl.sites.iter().find(|s| s.id == id).unwrap().late_days;
    let free = run(&plan);
    assert_eq!((late(&free, "hi"), late(&free, "lo")), (Some(0), Some(0)));
    plan["targets"] = json!([{"id": "mod-first", "by": "2026-01-16", "owner": "mod"}]);
    let tl = run(&plan);
    let t = &tl.targets[0];
    assert_eq!((t.required, t.removed, t.met), (10, 10, true));
    assert_eq!(late(&tl, "lo"), Some(0), "the tier-2 site is removed first");
    assert_eq!(late(&tl, "hi"), Some(14), "the tier-3 site waits two weeks");
}
