//! Integration tests: schedule and verify. Every schedule made here goes
//! through the pipeline, which refuses any timeline `verify` rejects.

use assert_cmd::Command;
use proptest::prelude::*;
use removal_timeline::cli::schedule::schedule;
use removal_timeline::load::plan_str;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::plan::Plan;
use removal_timeline::schedule::SearchOptions;
use removal_timeline::timeline::{build::to_json, Status, Timeline};
use removal_timeline::verify::verify;
use serde_json::{json, Value};
use std::path::Path;

/// One site `s1` in region `r` with two cameras not replaced: survey (1
/// day), remove/1 (2 days), dispose (5 calendar days); one crew at 100 a day.
fn base() -> Value {
    json!({
        "name": "test programme",
        "start": "2026-01-05",
        "tiers": [{"id": "T1", "weight": 2}],
        "device_types": [
            {"id": "cam", "replace": false, "remove_hours": 7.5},
            {"id": "dome", "unit_cost": 50, "install_hours": 7.5, "remove_hours": 7.5, "lead_time_days": 3}
        ],
        "regions": [{"id": "r"}],
        "crews": [{"id": "c1", "region": "r", "day_rate": 100}],
        "sites": [{"id": "s1", "region": "r", "tier": "T1", "devices": {"cam": 2}}]
    })
}

/// RFC 7386 merge patch, enough for tests.
fn patch(mut v: Value, p: Value) -> Value {
    merge(&mut v, p);
    v
}

fn merge(v: &mut Value, p: Value) {
    match (v, p) {
        (Value::Object(o), Value::Object(p)) => {
            for (k, pv) in p {
                if pv.is_null() {
                    o.remove(&k);
                } else {
                    merge(o.entry(k).or_insert(Value::Null), pv);
                }
            }
        }
        (v, p) => *v = p,
    }
}

fn load(v: &Value) -> Plan {
    match plan_str(&v.to_string(), Path::new("test.json")) {
        Ok(l) => l.plan,
        Err(d) => panic!("test plan is invalid:\n{d}"),
    }
}

fn options(seed: u64) -> SearchOptions {
    SearchOptions {
        schedules: 50,
        seed,
        time_limit: None,
        progress: None,
    }
}

/// Schedules a plan; the pipeline has already verified the result.
fn run(v: &Value) -> Timeline {
    let plan = load(v);
    let done = schedule(&plan, &LowerOptions::default(), &options(1)).expect("schedules");
    assert_eq!(verify(&plan, &done.timeline), vec![]);
    done.timeline
}

/// (id, start, finish) of every task, dates as text ("-" when unscheduled).
fn dates(tl: &Timeline) -> Vec<(String, String, String)> {
    let s = |d: Option<chrono::NaiveDate>| d.map_or("-".into(), |d| d.to_string());
    tl.tasks
        .iter()
        .map(|t| (t.id.clone(), s(t.start), s(t.finish)))
        .collect()
}

fn row(id: &str, start: &str, finish: &str) -> (String, String, String) {
    (id.into(), start.into(), finish.into())
}

#[test]
fn simple_site_runs_back_to_back() {
    let tl = run(&base());
    assert_eq!(
        dates(&tl),
        vec![
            row("s1/survey", "2026-01-05", "2026-01-05"),
            row("s1/remove/1", "2026-01-06", "2026-01-07"),
            row("s1/dispose", "2026-01-08", "2026-01-12"),
        ]
    );
    assert_eq!(tl.tasks[1].cost, Some(200.0));
    assert_eq!(tl.summary.exposure, 2.0 * 2.0 * 3.0);
    assert_eq!(tl.summary.total_cost, 300.0);
}

#[test]
fn holidays_are_not_worked() {
    let tl = run(&patch(
        base(),
        json!({"calendar": {"holidays": ["2026-01-06"]}}),
    ));
    assert_eq!(tl.tasks[1].start.unwrap().to_string(), "2026-01-07");
    assert_eq!(tl.tasks[1].finish.unwrap().to_string(), "2026-01-08");
}

#[test]
fn workdays_other_than_monday_to_friday() {
    let v = patch(
        base(),
        json!({"start": "2026-01-09", "calendar": {"workdays": ["sun", "mon", "tue", "wed", "thu"]}}),
    );
    assert_eq!(
        dates(&run(&v)),
        vec![
            row("s1/survey", "2026-01-11", "2026-01-11"),
            row("s1/remove/1", "2026-01-12", "2026-01-13"),
            row("s1/dispose", "2026-01-14", "2026-01-18"),
        ]
    );
}

#[test]
fn blackout_across_a_task_moves_it_and_elapsed_work_starts_on_a_working_day() {
    let mut v = base();
    v["sites"][0]["blackouts"] = json!([{"from": "2026-01-07", "to": "2026-01-07"}]);
    assert_eq!(
        dates(&run(&v)),
        vec![
            row("s1/survey", "2026-01-05", "2026-01-05"),
            // Tue 6 + Wed 7 would span the blackout: Thu 8 – Fri 9.
            row("s1/remove/1", "2026-01-08", "2026-01-09"),
            // Saturday is no programme working day: Monday 12.
            row("s1/dispose", "2026-01-12", "2026-01-16"),
        ]
    );
}

#[test]
fn not_before_delays_the_site() {
    let mut v = base();
    v["sites"][0]["not_before"] = json!("2026-01-14");
    let tl = run(&v);
    assert_eq!(tl.tasks[0].start.unwrap().to_string(), "2026-01-14");
}

#[test]
fn crew_window_is_respected_and_a_too_short_one_is_reported() {
    let v = patch(
        base(),
        json!({"crews": [{"id": "c1", "region": "r", "day_rate": 100, "available_from": "2026-02-02"}]}),
    );
    assert_eq!(run(&v).tasks[0].start.unwrap().to_string(), "2026-02-02");
    let v = patch(
        base(),
        json!({"crews": [{"id": "c1", "region": "r", "day_rate": 100, "available_to": "2026-01-06"}]}),
    );
    let tl = run(&v);
    assert_eq!(tl.tasks[1].status, Status::Unscheduled);
    assert!(
        tl.tasks[1]
            .reason
            .as_deref()
            .unwrap()
            .contains("crew in region r"),
        "{:?}",
        tl.tasks[1].reason
    );
    assert_eq!(tl.summary.sites_unscheduled, 1);
    assert_eq!(tl.summary.devices_unscheduled, 2);
    assert_eq!(tl.sites[0].late_days, None);
}

#[test]
fn dependency_lag_between_sites() {
    let mut v = base();
    v["sites"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "s2", "region": "r", "tier": "T1", "devices": {"cam": 1}}));
    v["dependencies"] = json!([{"from": "s1/dispose", "to": "s2/survey", "lag_days": 3}]);
    let tl = run(&v);
    // s1/dispose finishes Mon 12 Jan; +1 +3 = Fri 16.
    let s2 = tl.tasks.iter().find(|t| t.id == "s2/survey").unwrap();
    assert_eq!(s2.start.unwrap().to_string(), "2026-01-16");
}

#[test]
fn zero_device_sites_have_no_tasks_and_are_not_unscheduled() {
    let mut v = base();
    v["sites"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "empty", "region": "r", "tier": "T1", "devices": {}}));
    let tl = run(&v);
    assert_eq!(tl.tasks.len(), 3);
    let site = &tl.sites[1];
    assert_eq!((site.removal_complete, site.late_days), (None, Some(0)));
    assert_eq!(tl.summary.sites_unscheduled, 0);
}

#[test]
fn deadlines_are_reported_late() {
    let v = patch(base(), json!({"deadline": "2026-01-06"}));
    let tl = run(&v);
    assert_eq!(tl.sites[0].late_days, Some(1));
    assert_eq!(tl.summary.sites_late, 1);
}

#[test]
fn budget_running_out_leaves_the_site_unscheduled_without_stranding_money() {
    let v = patch(
        base(),
        json!({"budget": {"periods": [{"from": "2026-01-01", "to": "2026-01-31", "amount": 250}]}}),
    );
    let tl = run(&v);
    // Survey (100) fits but removal (200) then does not: nothing is spent.
    assert_eq!(tl.tasks[1].status, Status::Unscheduled);
    assert!(
        tl.tasks[1]
            .reason
            .as_deref()
            .unwrap()
            .starts_with("budget: "),
        "{:?}",
        tl.tasks[1].reason
    );
    assert_eq!(tl.summary.stranded_cost, 0.0);
    assert_eq!(tl.summary.total_cost, 0.0);
    assert!(tl.tasks.iter().all(|t| t.status == Status::Unscheduled));
}

#[test]
fn budget_moves_work_to_a_later_period() {
    let v = patch(
        base(),
        json!({"budget": {"periods": [
            {"from": "2026-01-01", "to": "2026-01-31", "amount": 250},
            {"from": "2026-02-01", "to": "2026-12-31", "amount": 250}
        ]}}),
    );
    let tl = run(&v);
    assert_eq!(tl.summary.unscheduled, 0);
    assert_eq!(tl.tasks[0].start.unwrap().to_string(), "2026-01-05");
    assert_eq!(tl.tasks[1].start.unwrap().to_string(), "2026-02-02");
}

#[test]
fn carry_over_lets_unspent_money_pay_later() {
    let periods = json!([
        {"from": "2026-01-01", "to": "2026-01-31", "amount": 150},
        {"from": "2026-02-01", "to": "2026-12-31", "amount": 150}
    ]);
    let without = run(&patch(
        base(),
        json!({"budget": {"periods": periods.clone()}}),
    ));
    assert_eq!(without.summary.sites_unscheduled, 1);
    let with = run(&patch(
        base(),
        json!({"budget": {"carry_over": true, "periods": periods}}),
    ));
    assert_eq!(with.summary.unscheduled, 0);
    assert_eq!(with.tasks[1].start.unwrap().to_string(), "2026-02-02");
}

#[test]
fn cleared_sites_get_cleared_crews() {
    let mut v = patch(
        base(),
        json!({"crews": [
            {"id": "plain", "region": "r", "day_rate": 50},
            {"id": "cleared", "region": "r", "cleared": true, "day_rate": 100}
        ]}),
    );
    v["sites"][0]["cleared_only"] = json!(true);
    let tl = run(&v);
    assert_eq!(tl.tasks[0].crew.as_deref(), Some("cleared"));
    assert_eq!(tl.tasks[1].crew.as_deref(), Some("cleared"));
}

#[test]
fn replacement_work_is_ordered_and_costed() {
    let mut v = base();
    v["sites"][0]["devices"] = json!({"dome": 2, "cam": 1});
    let tl = run(&v);
    let ids: Vec<_> = tl.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "s1/survey",
            "s1/procure",
            "s1/install/1",
            "s1/commission",
            "s1/remove/1",
            "s1/dispose"
        ]
    );
    assert_eq!(tl.tasks[1].cost, Some(100.0));
    assert_eq!(tl.tasks[1].crew, None);
}

/// A random small plan that the plan format accepts.
fn arb_plan() -> impl Strategy<Value = Value> {
    let site = (
        0u32..3,
        0u32..4,
        0u32..120,
        any::<bool>(),
        0u32..40,
        0u32..3,
    );
    (
        prop::collection::vec(site, 1..5),
        1usize..4,
        any::<bool>(),
        prop::option::of((50u32..3000, any::<bool>())),
        prop::sample::select(vec![
            vec!["mon", "tue", "wed", "thu", "fri"],
            vec!["sun", "mon", "tue", "wed", "thu"],
            vec!["mon", "wed", "fri", "sat"],
        ]),
        prop::collection::vec((0usize..4, 0usize..4, 0u32..5), 0..3),
    )
        .prop_map(|(sites, crews, cleared, budget, workdays, deps)| {
            random_plan(sites, crews, cleared, budget, workdays, deps)
        })
}

fn random_plan(
    sites: Vec<(u32, u32, u32, bool, u32, u32)>,
    crews: usize,
    cleared: bool,
    budget: Option<(u32, bool)>,
    workdays: Vec<&str>,
    deps: Vec<(usize, usize, u32)>,
) -> Value {
    let crews: Vec<Value> = (0..crews)
        .map(|i| {
            json!({"id": format!("c{i}"), "region": "r", "cleared": cleared || i == 0,
                   "day_rate": 100 + 50 * i, "available_from": if i == 2 { "2026-03-02" } else { "2026-01-01" }})
        })
        .collect();
    let site_rows: Vec<Value> = sites
        .iter()
        .enumerate()
        .map(|(i, &(cams, domes, not_before, cleared_only, blackout, tier))| {
            let mut s = json!({"id": format!("s{i}"), "region": "r", "tier": format!("T{}", tier % 2),
                "devices": {"cam": cams, "dome": domes * 20}, "cleared_only": cleared_only});
            if not_before > 60 {
                s["not_before"] = json!(format!("2026-03-{:02}", not_before % 28 + 1));
            }
            if blackout > 20 {
                s["blackouts"] = json!([{"from": format!("2026-01-{:02}", blackout - 10),
                                          "to": format!("2026-02-{:02}", blackout - 20)}]);
            }
            s
        })
        .collect();
    // Dependencies only from an earlier site to a later one: never a cycle.
    let n = site_rows.len();
    let deps: Vec<Value> = deps
        .into_iter()
        .filter(|(a, b, _)| a < b && *b < n)
        .filter(|(a, b, _)| sites[*a].0 + sites[*a].1 > 0 && sites[*b].0 + sites[*b].1 > 0)
        .map(|(a, b, lag)| json!({"from": format!("s{a}/remove"), "to": format!("s{b}/survey"), "lag_days": lag}))
        .collect();
    let mut plan = json!({
        "name": "random", "start": "2026-01-05", "deadline": "2026-06-30",
        "calendar": {"workdays": workdays, "holidays": ["2026-04-03"]},
        "tiers": [{"id": "T0", "weight": 3}, {"id": "T1", "weight": 1, "deadline": "2026-04-30"}],
        "device_types": [
            {"id": "cam", "replace": false, "remove_hours": 1.25, "disposal_cost": 5},
            {"id": "dome", "unit_cost": 300, "install_hours": 2.5, "remove_hours": 0.5, "lead_time_days": 20}
        ],
        "regions": [{"id": "r"}],
        "crews": crews,
        "sites": site_rows,
        "dependencies": deps
    });
    if let Some((amount, carry)) = budget {
        plan["budget"] = json!({"carry_over": carry, "periods": [
            {"from": "2026-01-01", "to": "2026-03-31", "amount": amount * 10},
            {"from": "2026-04-01", "to": "2027-03-31", "amount": amount * 10}
        ]});
    }
    plan
}

proptest! {
    #![proptest_config(crate::proptest_seed::config(24))]

    #[test]
    fn random_plans_schedule_validly_and_deterministically(v in arb_plan(), seed in 0u64..1000) {
        let plan = load(&v);
        let opts = options(seed);
        let a = schedule(&plan, &LowerOptions::default(), &opts).expect("valid schedule");
        let b = schedule(&plan, &LowerOptions::default(), &opts).expect("valid schedule");
        prop_assert_eq!(to_json(&a.timeline), to_json(&b.timeline));
        prop_assert!(verify(&plan, &a.timeline).is_empty());
    }
}

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

#[test]
fn cli_schedule_writes_and_verify_accepts_then_rejects_a_tampered_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.json");
    std::fs::write(&plan, base().to_string()).unwrap();
    let out = dir.path().join("out");
    let assert = bin()
        .args([
            "schedule",
            plan.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("Removal complete: 7 January 2026; all work finished:"),
        "{stdout}"
    );
    let tl = out.join("timeline.json");
    assert!(out.join("timeline.csv").exists());
    bin()
        .args(["verify", plan.to_str().unwrap(), tl.to_str().unwrap()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&tl)
        .unwrap()
        .replace("\"2026-01-06\"", "\"2026-01-05\"");
    // Outside its bundle the edited timeline is checked rule by rule;
    // inside, it no longer matches the bundle's manifest and is refused.
    let copy = dir.path().join("edited.json");
    std::fs::write(&copy, &text).unwrap();
    bin()
        .args(["verify", plan.to_str().unwrap(), copy.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("s1/remove/1"));
    std::fs::write(&tl, text).unwrap();
    bin()
        .args(["verify", plan.to_str().unwrap(), tl.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("timeline.json (changed)"));
}

#[test]
fn cli_schedule_is_byte_identical_for_a_seed_and_quiet_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.json");
    std::fs::write(&plan, base().to_string()).unwrap();
    let mut bytes = Vec::new();
    for name in ["a", "b"] {
        let out = dir.path().join(name);
        bin()
            .args(["schedule", plan.to_str().unwrap(), "--quiet", "--seed", "7"])
            .args(["--out", out.to_str().unwrap()])
            .assert()
            .success()
            .stdout("");
        bytes.push(std::fs::read(out.join("timeline.json")).unwrap());
    }
    assert_eq!(bytes[0], bytes[1]);
}

#[test]
fn cli_invalid_plan_or_timeline_is_a_located_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.json");
    std::fs::write(&plan, "{\"name\": 3}").unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "schedule",
            plan.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("p.json:1:"));
    assert!(!out.exists());
    std::fs::write(&plan, base().to_string()).unwrap();
    let tl = dir.path().join("t.json");
    std::fs::write(&tl, "{\n  \"format\": [").unwrap();
    bin()
        .args(["verify", plan.to_str().unwrap(), tl.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("t.json:2:"));
}

/// s1 with a replaced dome: survey, procure (3 days), install/1, commission,
/// remove/1, dispose; progress as of Wednesday 7 January 2026.
fn replanning() -> Value {
    let mut v = base();
    v["sites"][0]["devices"] = json!({"dome": 1, "cam": 1});
    v["status_date"] = json!("2026-01-07");
    v["progress"] = json!([
        {"task": "s1/survey", "started": "2026-01-05", "finished": "2026-01-05", "crew": "c1"},
        {"task": "s1/procure", "started": "2026-01-06", "cost": 80}
    ]);
    v
}

#[test]
fn replanning_keeps_actuals_and_plans_after_the_status_date() {
    let tl = run(&replanning());
    let t = &tl.tasks;
    assert_eq!((t[0].status, t[0].cost), (Status::Done, Some(100.0)));
    // Procure: 2 of 3 calendar days worked by the 7th, one more: the 8th.
    assert_eq!(t[1].status, Status::InProgress);
    assert_eq!(t[1].finish.unwrap().to_string(), "2026-01-08");
    assert_eq!((t[1].duration, t[1].cost), (3, Some(80.0)));
    assert_eq!(t[2].status, Status::Planned);
    assert_eq!(t[2].start.unwrap().to_string(), "2026-01-09");
    assert_eq!(tl.status_date.unwrap().to_string(), "2026-01-07");
}

#[test]
fn verify_rejects_moved_actuals_and_planned_work_before_the_status_date() {
    let v = replanning();
    let plan = load(&v);
    let tl = run(&v);
    let mut moved = tl.clone();
    moved.tasks[0].start = Some("2026-01-06".parse().unwrap());
    moved.tasks[0].finish = Some("2026-01-06".parse().unwrap());
    let found = verify(&plan, &moved);
    assert!(
        found
            .iter()
            .any(|x| x.subject == "s1/survey" && x.to_string().contains("re-planning")),
        "{found:?}"
    );
    let mut early = tl;
    // Planned work may not start on or before the status date.
    for t in early
        .tasks
        .iter_mut()
        .filter(|t| t.status == Status::Planned)
    {
        let days = chrono::Days::new(10);
        t.start = Some(t.start.unwrap() - days);
        t.finish = Some(t.finish.unwrap() - days);
    }
    let found = verify(&plan, &early);
    assert!(
        found
            .iter()
            .any(|x| x.to_string().contains("not after the status date")),
        "{found:?}"
    );
}

#[test]
fn actual_costs_that_break_the_budget_are_accepted_but_nothing_is_added_under_them() {
    let mut v = replanning();
    v["budget"] = json!({"periods": [
        {"from": "2026-01-01", "to": "2026-01-31", "amount": 50},
        {"from": "2026-02-01", "to": "2026-12-31", "amount": 1000}
    ]});
    let tl = run(&v);
    // January is already overspent by actuals (100 + 80 > 50): planned crew
    // work, which costs money, waits for February.
    for t in tl
        .tasks
        .iter()
        .filter(|t| t.status == Status::Planned && t.cost > Some(0.0))
    {
        assert!(
            t.start.unwrap().to_string().as_str() >= "2026-02-01",
            "{t:?}"
        );
    }
    assert_eq!(tl.summary.unscheduled, 0);
}

/// Issue 8: `--time-limit` bounds the search; 0 still publishes the first
/// schedule, verified; and a run whose stderr is not a terminal prints no
/// progress there (only what `--timings` asks for).
#[test]
fn cli_time_limit_zero_still_writes_a_verified_timeline_and_no_progress_is_piped() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("g.json");
    let text = bin()
        .args(["generate", "--sites", "80", "--seed", "5"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    std::fs::write(&plan, text).unwrap();
    let out = dir.path().join("out");
    let assert = bin()
        .args(["schedule", plan.to_str().unwrap(), "--effort", "100000"])
        .args(["--time-limit", "0", "--out", out.to_str().unwrap()])
        .assert()
        .success()
        .stderr("");
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("Removal complete:"), "{stdout}");
    let tl = out.join("timeline.json");
    bin()
        .args(["verify", plan.to_str().unwrap(), tl.to_str().unwrap()])
        .assert()
        .success();
    // --timings: one line per stage on stderr, and nothing else there.
    let assert = bin()
        .args(["schedule", plan.to_str().unwrap(), "--quiet", "--timings"])
        .args(["--time-limit", "0", "--out", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout("");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 7, "{stderr}");
    assert!(lines.iter().all(|l| l.contains(" s  ")), "{stderr}");
    assert!(stderr.contains("searching for a schedule") && stderr.contains("in all"));
    bin()
        .args(["schedule", plan.to_str().unwrap(), "--time-limit=-1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--time-limit"));
}

/// Issue 19: with `--time-limit` the plans' search runs by the clock, not
/// by the count of schedules, making the same moves as a counted run
/// first: a huge effort with a time limit publishes nothing worse by the
/// objective than a modest effort without one, and still stops.
#[test]
fn a_huge_effort_with_a_time_limit_is_never_worse_than_a_modest_one() {
    use removal_timeline::pipeline::schedule_plan;
    use removal_timeline::schedule::solve;
    use removal_timeline::timeline::rank;
    let raw = removal_timeline::generate::generate(40, 2);
    let plan = plan_str(&serde_json::to_string(&raw).unwrap(), Path::new("g.json"))
        .unwrap()
        .plan;
    let run = |opts: SearchOptions| {
        let tl = schedule_plan(&plan, &LowerOptions::default(), |p| solve(p, &opts))
            .unwrap()
            .timeline;
        assert_eq!(verify(&plan, &tl), vec![]);
        rank::score(&plan, &tl)
    };
    let modest = run(SearchOptions {
        schedules: 60,
        ..SearchOptions::default()
    });
    let started = std::time::Instant::now();
    let clock = run(SearchOptions {
        schedules: u64::MAX,
        time_limit: Some(std::time::Duration::from_secs(2)),
        ..SearchOptions::default()
    });
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert_ne!(
        clock.partial_cmp(&modest),
        Some(std::cmp::Ordering::Greater),
        "{clock:?}\nagainst {modest:?}"
    );
}

/// Issue 19: the default run's late sites per tier on the shipped plans
/// that have late sites do not depend on the seed (days late and exposure
/// may).
#[test]
fn late_sites_per_tier_do_not_depend_on_the_seed() {
    use removal_timeline::cli::schedule::auto_effort;
    use removal_timeline::pipeline::schedule_plan;
    use removal_timeline::schedule::solve;
    for file in ["plans/example.json", "plans/rip-and-replace-after-cut.json"] {
        let plan = removal_timeline::load::plan_file(std::path::Path::new(file))
            .unwrap()
            .plan;
        let late = |seed: u64| {
            let opts = SearchOptions {
                schedules: auto_effort(&plan),
                seed,
                ..SearchOptions::default()
            };
            let tl = schedule_plan(&plan, &LowerOptions::default(), |p| solve(p, &opts))
                .unwrap()
                .timeline;
            assert_eq!(tl.summary.objective, "tiers_first");
            tl.summary
                .tiers
                .iter()
                .map(|t| (t.tier.clone(), t.sites_late, t.sites_unscheduled))
                .collect::<Vec<_>>()
        };
        let first = late(1);
        assert!(first.iter().any(|t| t.1 > 0), "{file}: nothing late");
        for seed in 2..=5 {
            assert_eq!(late(seed), first, "{file}, seed {seed}");
        }
    }
}

/// The default run's rows for the shipped plans in
/// docs/schedule-quality.md (`cargo bench --bench quality`) are what the
/// default run gives: unscheduled devices and late sites tier by tier
/// with their days late, seed 1, every timeline verified.
#[test]
fn the_quality_doc_quotes_the_default_run_on_the_shipped_plans() {
    use removal_timeline::cli::schedule::auto_effort;
    use removal_timeline::pipeline::schedule_plan;
    use removal_timeline::schedule::solve;
    let doc = std::fs::read_to_string("docs/schedule-quality.md").unwrap();
    let rows: Vec<Vec<&str>> = doc
        .lines()
        .filter(|l| l.starts_with("| plans/"))
        .map(|l| l.split('|').map(str::trim).collect())
        .filter(|c: &Vec<&str>| c[3] == "default")
        .collect();
    assert!(rows.len() >= 4, "no rows for the shipped plans");
    for c in rows {
        let plan = removal_timeline::load::plan_file(Path::new(c[1]))
            .unwrap()
            .plan;
        let opts = SearchOptions {
            schedules: auto_effort(&plan),
            seed: 1,
            ..SearchOptions::default()
        };
        let tl = schedule_plan(&plan, &LowerOptions::default(), |p| solve(p, &opts))
            .unwrap()
            .timeline;
        assert_eq!(verify(&plan, &tl), vec![], "{}", c[1]);
        let late: Vec<String> = tl
            .summary
            .tiers
            .iter()
            .map(|t| format!("{} {} ({})", t.tier, t.sites_late, t.late_days))
            .collect();
        let missed = tl.targets.iter().filter(|t| !t.met).count();
        let short: u64 = tl
            .targets
            .iter()
            .map(|t| t.required.saturating_sub(t.removed))
            .sum();
        let targets = if tl.targets.is_empty() {
            String::new()
        } else {
            format!("{missed} of {} ({short})", tl.targets.len())
        };
        assert_eq!(
            (
                tl.summary.devices_unscheduled.to_string(),
                late.join(", "),
                targets
            ),
            (c[4].to_string(), c[6].to_string(), c[7].to_string()),
            "{}",
            c[1]
        );
    }
}

/// The bound of `benches/quality/bound.rs` on a plan worked out by hand.
/// Cameras not replaced, a day's removal each (7 h, 7-hour days), one crew
/// at £1,000 a day, no survey, disposal £100 a camera after the removal:
/// a site with n cameras is charged £1,000 × n by its deadline (disposal
/// may wait for later money). Tier A (deadline 31 March 2026): a1 with 2
/// cameras, a2 with 3 but not before Monday 30 March (its removal ends on
/// 1 April: never on time), a3 with 5. Tier B (same deadline): b1 1, b2 2
/// waiting for the removal of d1 (4 cameras, tier C, no deadline), b3 3.
/// £10,000 in all.
#[test]
fn the_quality_bound_counts_what_money_and_the_network_allow() {
    use crate::quality_bound::{bound, facts};
    let site = |id: &str, tier: &str, n: u32| json!({"id": id, "region": "r", "tier": tier, "devices": {"cam": n}});
    let mut a2 = site("a2", "A", 3);
    a2["not_before"] = json!("2026-03-30");
    let plan = json!({
        "name": "bound by hand",
        "start": "2026-01-05",
        "workflow": {"survey_days": 0, "hours_per_day": 7, "disposal_days": 5},
        "tiers": [
            {"id": "A", "weight": 10, "deadline": "2026-03-31"},
            {"id": "B", "weight": 5, "deadline": "2026-03-31"},
            {"id": "C", "weight": 1}
        ],
        "device_types": [{"id": "cam", "replace": false, "remove_hours": 7, "disposal_cost": 100}],
        "regions": [{"id": "r"}],
        "crews": [{"id": "c1", "region": "r", "day_rate": 1000}],
        "budget": {"periods": [{"from": "2026-01-01", "to": "2026-12-31", "amount": 10000}]},
        "sites": [
            site("a1", "A", 2), a2, site("a3", "A", 5),
            site("b1", "B", 1), site("b2", "B", 2), site("b3", "B", 3),
            site("d1", "C", 4)
        ],
        "dependencies": [{"from": "d1/remove", "to": "b2/remove"}]
    });
    let plan = plan_str(&plan.to_string(), Path::new("bound.json"))
        .unwrap()
        .plan;
    let f = facts(&plan).unwrap();
    let possible: Vec<bool> = f.sites.iter().map(|s| s.possible).collect();
    assert_eq!(possible, [true, false, true, true, true, true, true]);
    // Pounds: b2 is charged d1's removal too; against all the money d1
    // and b2 share it.
    let pounds = |c: f64| (c / 100.0).round() as i64;
    let charge: Vec<i64> = f.sites.iter().map(|s| pounds(s.charge)).collect();
    assert_eq!(charge, [2000, 3000, 5000, 1000, 6000, 3000, 2000]);
    let all: Vec<i64> = f.sites.iter().map(|s| pounds(s.charge_all)).collect();
    assert_eq!(all, [2000, 3000, 5000, 1000, 4000, 3000, 2000]);
    // A: a1 and a3 (a2 never on time). B with both on time: £3,000 left,
    // b1 alone; with one (a1), £8,000: b1 and b3 (b2 needs £6,000). C with
    // a1 and b1 on time: d1 fits the £7,000 left; with a1, a3, b1 and b3
    // (£11,000 by the deadline, sharing d1's removal) nothing is left.
    assert_eq!(bound(&f, &[2, 0, 0]), [2, 1, 1]);
    assert_eq!(bound(&f, &[1, 0, 0]), [2, 2, 1]);
    assert_eq!(bound(&f, &[1, 1, 0]), [2, 2, 1]);
    assert_eq!(bound(&f, &[2, 2, 0]), [2, 1, 0]);
    assert_eq!(bound(&f, &[0, 0, 0]), [2, 3, 1]);
}

/// docs/schedule-quality.md quotes, for each plan of `plans/` and its cut
/// to 40 % of the money, the greedy's sites on time tier by tier and the
/// two bounds on them (`benches/quality`): what they are.
#[test]
fn the_quality_doc_quotes_the_greedy_and_its_bounds_on_the_shipped_plans() {
    use crate::quality_bound::{bound, facts};
    use crate::quality_greedy::{money_share, timeline};
    let doc = std::fs::read_to_string("docs/schedule-quality.md").unwrap();
    let mut last: Option<Plan> = None;
    let mut checked = 0;
    for line in doc.lines().filter(|l| l.starts_with("| ")) {
        let c: Vec<&str> = line.split('|').map(str::trim).collect();
        if c.len() < 14 || c[3] != "greedy" {
            continue;
        }
        let plan = if c[1].starts_with("plans/") {
            let plan = removal_timeline::load::plan_file(Path::new(c[1]))
                .unwrap()
                .plan;
            last = Some(plan.clone());
            plan
        } else if c[1].starts_with("the same, 40 %") {
            match last.take() {
                Some(plan) => money_share(&plan, 0.4),
                None => continue,
            }
        } else {
            last = None;
            continue;
        };
        let tl = timeline(&plan);
        let tiers = &tl.summary.tiers;
        let on_time: Vec<u64> = tiers
            .iter()
            .map(|t| t.sites - t.sites_late - t.sites_unscheduled)
            .collect();
        let beat: Vec<u64> = tiers
            .iter()
            .zip(&on_time)
            .map(|(t, &n)| n + u64::from(n < t.sites))
            .collect();
        let cells = |n: &[u64]| -> String {
            let cells: Vec<String> = tiers
                .iter()
                .zip(n)
                .map(|(t, n)| format!("{} {n}", t.tier))
                .collect();
            cells.join(", ")
        };
        let (most, most_beat) = match facts(&plan) {
            Some(f) => (cells(&bound(&f, &on_time)), cells(&bound(&f, &beat))),
            None => (String::new(), String::new()),
        };
        assert_eq!(
            (cells(&on_time), most, most_beat),
            (c[11].to_string(), c[12].to_string(), c[13].to_string()),
            "{line}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} greedy rows of shipped plans");
}
