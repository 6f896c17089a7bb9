//! Integration tests: replan, diff and compare, run as a user would.

use assert_cmd::Command;
use predicates::prelude::*;
use removal_timeline::plan::Phase;
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
            objective: "tiers_first".into(),
            tiers: vec![],
        },
        tasks: vec![TaskRow {
            id: "hq/remove/1".into(),
            site: "hq".into(),
            phase: Phase::Remove,
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
            late_category: None,
            owner: None,
        }],
        targets: Vec::new(),
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

/// plans/example.json scheduled by the library (quickly), as a baseline.
fn example_baseline(dir: &Path) -> (removal_timeline::plan::Plan, Timeline, PathBuf) {
    example_baseline_of(dir, 20)
}

/// `plans/example.json` scheduled with `schedules` passes, written as
/// `baseline.json` in `dir`.
fn example_baseline_of(
    dir: &Path,
    schedules: u64,
) -> (removal_timeline::plan::Plan, Timeline, PathBuf) {
    use removal_timeline::network::lower::LowerOptions;
    use removal_timeline::schedule::{solve, SearchOptions};
    let plan = removal_timeline::load::plan_file(Path::new("plans/example.json"))
        .unwrap()
        .plan;
    let opts = SearchOptions {
        schedules,
        ..SearchOptions::default()
    };
    let t = removal_timeline::pipeline::schedule_plan(&plan, &LowerOptions::default(), |p| {
        solve(p, &opts)
    })
    .unwrap()
    .timeline;
    let path = write_json(dir, "baseline.json", &t);
    (plan, t, path)
}

/// Gives `plan` the progress `csv` (written to `dir`) as of `status`.
fn report_progress(
    dir: &Path,
    plan: &mut removal_timeline::plan::Plan,
    status: chrono::NaiveDate,
    csv: &str,
) {
    let progress = dir.join("progress.csv");
    std::fs::write(&progress, csv).unwrap();
    plan.status_date = Some(status);
    plan.progress = removal_timeline::load::progress_file(&progress, plan).unwrap();
}

/// Progress as the baseline planned it, up to `status`: CSV rows.
fn progress_csv(t: &Timeline, status: chrono::NaiveDate) -> String {
    let mut csv = String::from("task,started,finished,crew,remaining_days,cost\n");
    for row in &t.tasks {
        let (Some(s), Some(f)) = (row.start, row.finish) else {
            continue;
        };
        if s > status {
            continue;
        }
        let finished = if f <= status {
            f.to_string()
        } else {
            String::new()
        };
        let crew = row.crew.clone().unwrap_or_default();
        csv.push_str(&format!("{},{s},{finished},{crew},,\n", row.id));
    }
    csv
}

#[test]
fn replan_keeps_the_baseline_when_progress_matches_it() {
    let dir = tempfile::tempdir().unwrap();
    // The baseline is published with the default effort: a re-plan keeps
    // it only when a fresh solve meets no more deadlines (issue 19), and a
    // schedule of 20 passes is one a fresh solve can beat.
    let effort = removal_timeline::cli::schedule::auto_effort(
        &removal_timeline::load::plan_file(Path::new("plans/example.json"))
            .unwrap()
            .plan,
    );
    let (plan, base, base_path) = example_baseline_of(dir.path(), effort);
    let status = day("2026-03-13");
    let progress = dir.path().join("progress.csv");
    std::fs::write(&progress, progress_csv(&base, status)).unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "replan",
            "plans/example.json",
            "--effort",
            "20",
            "--status-date",
            "2026-03-13",
        ])
        .arg("--baseline")
        .arg(&base_path)
        .arg("--progress")
        .arg(&progress)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("kept their start and crew"));
    for f in [
        "timeline.json",
        "timeline.csv",
        "diff.md",
        "diff.json",
        "report.md",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let new: Timeline =
        serde_json::from_slice(&std::fs::read(out.join("timeline.json")).unwrap()).unwrap();
    let mut plan = plan;
    plan.status_date = Some(status);
    plan.progress = removal_timeline::load::progress_file(&progress, &plan).unwrap();
    assert_eq!(removal_timeline::verify::verify(&plan, &new), vec![]);
    let d: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("diff.json")).unwrap()).unwrap();
    assert_eq!(d["tasks_moved"], 0, "{d}");
    assert_eq!(new.status_date, Some(status));
}

#[test]
fn replan_with_progress_but_no_status_date_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, base, base_path) = example_baseline(dir.path());
    let progress = dir.path().join("progress.csv");
    std::fs::write(&progress, progress_csv(&base, day("2026-02-13"))).unwrap();
    bin()
        .args(["replan", "plans/example.json", "--effort", "5"])
        .arg("--baseline")
        .arg(&base_path)
        .arg("--progress")
        .arg(&progress)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("status date"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn replan_progress_csv_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, base_path) = example_baseline(dir.path());
    let progress = dir.path().join("progress.csv");
    std::fs::write(
        &progress,
        "task,started,finished,crew,remaining_days,cost\nno-such-site/survey,2026-01-05,2026-01-05,london-std-3,,\n",
    )
    .unwrap();
    bin()
        .args([
            "replan",
            "plans/example.json",
            "--effort",
            "5",
            "--status-date",
            "2026-02-13",
        ])
        .arg("--baseline")
        .arg(&base_path)
        .arg("--progress")
        .arg(&progress)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("progress.csv:2:"));
}

fn compare_cmd(dir: &Path) -> Command {
    let mut c = bin();
    c.args(["compare", "plans/example.json", "--effort", "5", "--out"])
        .arg(dir.join("out"));
    c
}

#[test]
fn compare_lists_each_scenario_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let more = dir.path().join("more-devices.json");
    std::fs::write(
        &more,
        r#"{"sites": {"t1-southwark-01": {"devices": {"cam-dome": 400}}}}"#,
    )
    .unwrap();
    let named = dir.path().join("x.json");
    std::fs::write(&named, r#"{"name": "One more crew", "crews": {"+london-extra": {"region": "london", "cleared": true, "day_rate": 950}}}"#).unwrap();
    compare_cmd(dir.path())
        .arg("--scenario")
        .arg(&more)
        .arg("--scenario")
        .arg(&named)
        .args(["--budget-scale", "2026-04-01=0.395"])
        .assert()
        .success()
        .stdout(predicate::str::contains("| more-devices |"))
        .stdout(predicate::str::contains("| One more crew |"))
        .stdout(predicate::str::contains(
            "| budget ×0.395 from 2026-04-01 |",
        ));
    let out = dir.path().join("out");
    let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(csv.starts_with("scenario,removal_complete,finish,exposure,sites_late,"));
    assert!(out.join("burndown-scenarios.png").exists());
    assert!(out.join("timelines/more-devices.json").exists());
}

#[test]
fn compare_points_at_an_unknown_id_in_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("typo.json");
    std::fs::write(
        &bad,
        "{\n  \"sites\": {\n    \"t1-southwrk-01\": {\"devices\": {\"cam-dome\": 1}}\n  }\n}",
    )
    .unwrap();
    compare_cmd(dir.path())
        .arg("--scenario")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("typo.json:3:5: error:"))
        .stderr(predicate::str::contains("did you mean `t1-southwark-01`?"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn compare_reports_scenario_syntax_and_plan_errors() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"deadline\": \n}").unwrap();
    compare_cmd(dir.path())
        .arg("--scenario")
        .arg(&broken)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.json:3:1: error:"));
    let invalid = dir.path().join("invalid.json");
    std::fs::write(
        &invalid,
        r#"{"sites": {"t1-southwark-01": {"tier": "T9"}}}"#,
    )
    .unwrap();
    compare_cmd(dir.path())
        .arg("--scenario")
        .arg(&invalid)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "invalid.json:1:1: error: with this scenario applied, the plan is invalid",
        ))
        .stderr(predicate::str::contains("T9"));
}

/// The audit story of plans/README.md: its files load, and the comparison
/// of crews after the audit runs from the progress at the audit date.
#[test]
fn the_audit_story_compares_crews_from_the_audit_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = bin();
    c.args([
        "compare",
        "plans/audit.json",
        "--effort",
        "5",
        "--progress",
        "plans/audit-progress.csv",
        "--status-date",
        "2023-06-30",
    ]);
    for s in [
        "audit-found",
        "audit-found-plus-1-crew",
        "audit-found-plus-2-crews",
        "audit-found-plus-3-crews",
    ] {
        c.arg("--scenario").arg(format!("plans/{s}.json"));
    }
    let out = c.arg("--out").arg(dir.path()).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for name in [
        "| plan as published |",
        "| audit: ten times the devices |",
        "| audit + 3 cleared crews |",
    ] {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
    // Every scenario keeps what was reported done at the audit date.
    let t: Timeline = serde_json::from_slice(
        &std::fs::read(dir.path().join("timelines/audit-3-cleared-crews.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(t.status_date, Some(day("2023-06-30")));
    assert!(t.tasks.iter().any(|x| x.status == Status::Done));
}

/// The rip-and-replace story: the plan after the cut re-planned from the
/// progress file validates and keeps work before the cut.
#[test]
fn the_rip_and_replace_story_replans_after_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    use removal_timeline::network::lower::LowerOptions;
    use removal_timeline::schedule::{solve, SearchOptions};
    let plan = removal_timeline::load::plan_file(Path::new("plans/rip-and-replace.json"))
        .unwrap()
        .plan;
    let opts = SearchOptions {
        schedules: 5,
        ..SearchOptions::default()
    };
    let base = removal_timeline::pipeline::schedule_plan(&plan, &LowerOptions::default(), |p| {
        solve(p, &opts)
    })
    .unwrap()
    .timeline;
    let base_path = write_json(dir.path(), "baseline.json", &base);
    let out = dir.path().join("out");
    bin()
        .args([
            "replan",
            "plans/rip-and-replace-after-cut.json",
            "--effort",
            "5",
            "--status-date",
            "2022-11-30",
        ])
        .args([
            "--progress",
            "plans/rip-and-replace-progress.csv",
            "--baseline-plan",
            "plans/rip-and-replace.json",
            "--baseline",
        ])
        .arg(&base_path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let new: Timeline =
        serde_json::from_slice(&std::fs::read(out.join("timeline.json")).unwrap()).unwrap();
    // Everything the progress file reports finished is done, as reported.
    let csv = std::fs::read_to_string("plans/rip-and-replace-progress.csv").unwrap();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let row = new.tasks.iter().find(|t| t.id == f[0]).unwrap();
        assert_eq!(row.start, Some(day(f[1])), "{line}");
        if !f[2].is_empty() {
            assert_eq!(
                (row.status, row.finish),
                (Status::Done, Some(day(f[2]))),
                "{line}"
            );
        }
    }
    let md = std::fs::read_to_string(out.join("diff.md")).unwrap();
    assert!(md.contains("## Cost committed per budget period"), "{md}");
    assert!(
        md.contains("| 2023-01-01..2023-03-31 | 118,500.00 |"),
        "{md}"
    );
    // Issue 20, item 4: the diff starts with the cut itself and the
    // progress reported, then says why every moved site moved.
    let changed = md
        .find("## What changed in the plan")
        .expect("plan changes");
    assert!(changed < md.find("## Summary").unwrap(), "{md}");
    assert!(
        md.contains("- **Progress reported** as of 2022-11-30: 18 tasks done and 3 under way (before: 0 and 0)."),
        "{md}"
    );
    assert!(
        md.contains("- **Budget**: 4,074,000.00 in all, was 4,800,000.00 (-726,000.00). Periods changed (4):"),
        "{md}"
    );
    for q in ["1 Jan 2023 – 31 Mar 2023", "1 Oct 2023 – 31 Dec 2023"] {
        let row = format!("| {q} | 300,000.00 | 118,500.00 | -181,500.00 |");
        assert!(md.contains(&row), "{row} missing:\n{md}");
    }
    let d: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("diff.json")).unwrap()).unwrap();
    let moved: Vec<&serde_json::Value> = d["sites"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            ["moved", "newly_late", "newly_on_time"].contains(&s["change"].as_str().unwrap())
        })
        .collect();
    assert!(moved.len() > 5, "{d}");
    let mut money = 0;
    for s in moved {
        let why = s["why"].as_str().unwrap_or("");
        assert!(why.contains("now: ") || why.starts_with("Now: "), "{s}");
        if s["late_days"] == 0 && s["days_moved"].as_i64().unwrap() > 30 {
            money += usize::from(why.to_lowercase().contains("waits for money"));
        }
    }
    // Sites that slipped and stayed on time say the cut held them.
    assert!(money > 0, "{d}");
}

#[test]
fn replan_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, base, base_path) = example_baseline(dir.path());
    let progress = dir.path().join("progress.csv");
    std::fs::write(&progress, progress_csv(&base, day("2026-03-13"))).unwrap();
    let run = |name: &str| {
        let out = dir.path().join(name);
        bin()
            .args([
                "replan",
                "plans/example.json",
                "--effort",
                "10",
                "--seed",
                "7",
            ])
            .args(["--status-date", "2026-03-13", "--baseline"])
            .arg(&base_path)
            .arg("--progress")
            .arg(&progress)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        out
    };
    let (a, b) = (run("a"), run("b"));
    for f in ["timeline.json", "diff.json", "diff.md"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

/// Issue 19: a supplier delay. `plans/example.json` runs to plan for two
/// months; then a tier-1 site's cameras (its procurement, under way) are
/// reported 120 days late. Keeping the baseline's bookings must not cost a
/// deadline that a fresh schedule of the same plan and progress meets:
/// the re-plan is no worse than `schedule` on every key before exposure.
#[test]
fn a_supplier_delay_costs_no_deadline_a_fresh_schedule_meets() {
    use removal_timeline::network::lower::LowerOptions;
    use removal_timeline::pipeline::schedule_plan;
    use removal_timeline::schedule::{solve, SearchOptions};
    use removal_timeline::timeline::rank;
    let dir = tempfile::tempdir().unwrap();
    let (mut plan, base, _) = example_baseline(dir.path());
    let status = day("2026-03-05");
    // The first tier-1 site whose procurement has started by the status
    // date: its delivery moves 120 days later, so it is still under way
    // and the site's later work has not begun.
    let t1: Vec<&str> = base
        .sites
        .iter()
        .filter(|s| s.tier == "T1")
        .map(|s| s.id.as_str())
        .collect();
    let late = base
        .tasks
        .iter()
        .find(|t| {
            t.phase.as_str() == "procure"
                && t1.contains(&t.site.as_str())
                && t.start.is_some_and(|s| s <= status)
        })
        .expect("a tier-1 procurement started in the first two months");
    let remaining = (late.finish.unwrap() - status).num_days() + 120;
    assert!(remaining > 0);
    let site = format!("{}/", late.site);
    let mut csv = String::new();
    for line in progress_csv(&base, status).lines() {
        let later_work = line.starts_with(&site)
            && !line.starts_with(&format!("{site}survey,"))
            && !line.starts_with(&format!("{},", late.id));
        if later_work {
            continue;
        }
        if line.starts_with(&format!("{},", late.id)) {
            let crew = late.crew.clone().unwrap_or_default();
            let s = late.start.unwrap();
            csv.push_str(&format!("{},{s},,{crew},{remaining},\n", late.id));
        } else {
            csv.push_str(line);
            csv.push('\n');
        }
    }
    report_progress(dir.path(), &mut plan, status, &csv);
    let opts = SearchOptions {
        schedules: 200,
        ..SearchOptions::default()
    };
    let replanned = removal_timeline::replan::replan(&plan, &base, |p| solve(p, &opts)).unwrap();
    let fresh = schedule_plan(&plan, &LowerOptions::default(), |p| solve(p, &opts)).unwrap();
    let (r, f) = (&replanned.scheduled.timeline, &fresh.timeline);
    assert_eq!(removal_timeline::verify::verify(&plan, r), vec![]);
    assert_ne!(
        rank::compare_before_exposure(&plan, r, f),
        std::cmp::Ordering::Greater,
        "re-plan {:?} against fresh {:?}",
        r.summary.tiers,
        f.summary.tiers
    );
}

/// Issue 19: a 10-day overrun at one site moves only what it pushes. The
/// example runs to plan until 13 March 2026; then a tier-1 install under
/// way is reported with 10 more working days to go than planned. The
/// overrun's crew days cost the current budget period money it had
/// already promised, so that period's later work is released (the search
/// shares it out by priority); but the baseline work kept around it moves
/// only where the overrun or that release pushes it: every task the
/// kept re-plan moves waits, through the workflow, dependencies or its
/// crew's bookings, on the overrunning task or on work of the released
/// period. (Before, the whole programme from the status date on was
/// released: 196 of the 345 future tasks moved; now 55, which
/// docs/replanning.md quotes.)
#[test]
fn a_ten_day_overrun_moves_only_the_work_it_pushes() {
    use removal_timeline::schedule::{solve, SearchOptions};
    use std::collections::{BTreeSet, HashMap};
    let dir = tempfile::tempdir().unwrap();
    let (mut plan, base, _) = example_baseline_of(dir.path(), 20);
    let status = day("2026-03-13");
    let under_way = base
        .tasks
        .iter()
        .find(|t| {
            t.crew.is_some()
                && t.start.is_some_and(|s| s <= status)
                && t.finish
                    .is_some_and(|f| f > status + chrono::Duration::days(3))
        })
        .expect("a crew task under way on the status date");
    let finish = under_way.finish.unwrap();
    let planned_left = status
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= finish)
        .filter(|d| plan.calendar.is_working(*d))
        .count();
    let mut csv = String::new();
    for line in progress_csv(&base, status).lines() {
        if line.starts_with(&format!("{},", under_way.id)) {
            let (s, crew) = (under_way.start.unwrap(), under_way.crew.clone().unwrap());
            let left = planned_left + 10;
            csv.push_str(&format!("{},{s},,{crew},{left},\n", under_way.id));
        } else {
            csv.push_str(line);
            csv.push('\n');
        }
    }
    report_progress(dir.path(), &mut plan, status, &csv);
    let opts = SearchOptions {
        schedules: 20,
        ..SearchOptions::default()
    };
    let kept = removal_timeline::replan::keep(&plan, &base, |p| solve(p, &opts)).unwrap();
    let new = &kept.scheduled.timeline;
    assert_eq!(removal_timeline::verify::verify(&plan, new), vec![]);
    // What the overrun and the release of its budget period push: the
    // overrunning task and every planned task of that period after the
    // status date, then whatever waits on one of those.
    let period_end = plan
        .budget
        .as_ref()
        .unwrap()
        .periods
        .iter()
        .find(|p| p.from <= status && status <= p.to)
        .unwrap()
        .to;
    let net = removal_timeline::network::build(&plan).unwrap();
    let ix: HashMap<&str, usize> = base
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); base.tasks.len()];
    for e in &net.edges {
        let (a, b) = (&net.tasks[e.from.ix()].id, &net.tasks[e.to.ix()].id);
        next[ix[a.as_str()]].push(ix[b.as_str()]);
    }
    for (i, a) in base.tasks.iter().enumerate() {
        for (j, b) in base.tasks.iter().enumerate() {
            if a.crew.is_some() && a.crew == b.crew && a.start < b.start {
                next[i].push(j);
            }
        }
    }
    let mut pushed: BTreeSet<usize> = base
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            t.id == under_way.id || t.start.is_some_and(|s| s > status && s <= period_end)
        })
        .map(|(i, _)| i)
        .collect();
    let mut stack: Vec<usize> = pushed.iter().copied().collect();
    while let Some(i) = stack.pop() {
        for &j in &next[i] {
            if pushed.insert(j) {
                stack.push(j);
            }
        }
    }
    let future = base
        .tasks
        .iter()
        .filter(|t| t.start.is_some_and(|s| s > status))
        .count();
    let moved: Vec<&str> = new
        .tasks
        .iter()
        .filter(|n| {
            let o = &base.tasks[ix[n.id.as_str()]];
            o.start.is_some_and(|s| s > status) && (o.start != n.start || o.crew != n.crew)
        })
        .map(|n| n.id.as_str())
        .collect();
    let unpushed: Vec<&&str> = moved
        .iter()
        .filter(|id| !pushed.contains(&ix[**id]))
        .collect();
    assert!(
        unpushed.is_empty(),
        "moved though nothing pushed them: {unpushed:?}"
    );
    assert!(
        !moved.is_empty() && moved.len() * 4 < future,
        "{} of {future} moved",
        moved.len()
    );
    let doc = std::fs::read_to_string("docs/replanning.md").unwrap();
    let doc = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    let said = format!("moves {} of the {future} tasks still to start", moved.len());
    assert!(
        doc.contains(&said),
        "docs/replanning.md no longer says: {said}"
    );
}
