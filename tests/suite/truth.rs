//! Issue 20: what a manager reads first tells the truth about deadlines
//! and about work with no date, on every surface that leads (stdout,
//! the reports' headlines and key figures, the spreadsheet's Summary and
//! the public report).

use assert_cmd::Command;
use calamine::{Data, Reader};
use predicates::prelude::PredicateBooleanExt;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// plans/tutorial.json with one budget period of `amount`.
fn tutorial_with_budget(dir: &Path, amount: u64) -> PathBuf {
    let text = std::fs::read_to_string(root().join("plans/tutorial.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    plan["budget"] = serde_json::json!({
        "periods": [ { "from": "2026-01-01", "to": "2027-03-31", "amount": amount } ]
    });
    let path = dir.join("poor.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    path
}

/// Schedules `plan` into `dir/out` (verifying the result); its stdout.
fn schedule(plan: &Path, out: &Path) -> String {
    let a = bin()
        .args(["schedule", plan.to_str().unwrap(), "--effort", "5"])
        .args(["--out", out.to_str().unwrap()])
        .assert()
        .success();
    bin()
        .args(["verify", plan.to_str().unwrap()])
        .arg(out.join("timeline.json"))
        .assert()
        .success();
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap()
}

/// The Summary sheet as (item, value) text pairs.
fn xlsx_summary(out: &Path) -> Vec<(String, String)> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("timeline.xlsx")).unwrap();
    let range = wb.worksheet_range("Summary").unwrap();
    range
        .rows()
        .map(|r| {
            let cell = |c: &Data| match c {
                Data::String(s) => s.clone(),
                other => other.to_string(),
            };
            (cell(&r[0]), r.get(1).map(cell).unwrap_or_default())
        })
        .collect()
}

#[test]
fn too_little_money_for_any_site_says_removal_is_not_complete_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let plan = tutorial_with_budget(dir.path(), 5_000);
    let out = dir.path().join("out");
    let stdout = schedule(&plan, &out);
    let missed = "Programme deadline 30 June 2026: missed, 2 sites (67 devices) have no date \
                  within the budget";
    let not_complete =
        "Removal complete: not complete — 2 sites (67 devices) have no date within the budget";
    let late = "2 of 2 sites miss their deadline, none of them with a date at all";
    for line in [missed, not_complete, late] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(stdout.starts_with(missed), "{stdout}");
    assert!(
        stdout.contains(
            "  Tier T1 (Sensitive), 63 devices: 1 of 1 site misses its deadline: it has no date \
             at all; not clear: 63 devices have no date; target 30 April 2026\n"
        ),
        "{stdout}"
    );
    // Never "0 of 2 late" or "exposure 0" as if all were well.
    assert!(!stdout.contains("0 of 2"), "{stdout}");

    let md = read(&out, "report.md");
    assert!(md.contains(&format!("**{missed}. ")), "{md}");
    assert!(md.contains(&format!("- {not_complete}\n")), "{md}");
    assert!(md.contains("- 2 of 2 sites miss their deadline"), "{md}");
    let public = read(&out, "public/report.md");
    assert!(public.contains(&format!("**{missed}. ")), "{public}");
    assert!(public.contains(&format!("- {not_complete}\n")), "{public}");

    let summary = xlsx_summary(&out);
    let value = |item: &str| {
        summary
            .iter()
            .find(|(k, _)| k == item)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {item} in {summary:?}"))
    };
    assert_eq!(value("Programme deadline"), missed);
    assert_eq!(value("Removal"), not_complete);
    assert_eq!(value("Sites missing their deadline"), late);
    assert_eq!(
        value("Sites missing their deadline (with no date included)"),
        "2"
    );
}

#[test]
fn the_example_says_its_programme_deadline_is_missed_by_118_days() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let stdout = schedule(&root().join("plans/example.json"), &out);
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("Programme deadline 31 March 2027: missed by "),
        "{stdout}"
    );
    let md = read(&out, "report.md");
    let html = read(&out, "report.html");
    let public = read(&out, "public/report.md");
    for doc in [&md, &public] {
        assert!(
            doc.contains("**Programme deadline 31 March 2027: missed by "),
            "{doc}"
        );
        assert!(doc.contains("## Key dates by tier"), "{doc}");
        assert!(
            doc.contains("days before its target of 31 October 2026"),
            "{doc}"
        );
    }
    assert!(html.contains("Programme deadline 31 March 2027: missed by "));
    // The office report leads with the deadline, before any chart.
    let lead = html.find("Programme deadline 31 March 2027").unwrap();
    assert!(lead < html.find("<img").unwrap());
}

#[test]
fn a_baseline_of_another_programme_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tutorial");
    schedule(&root().join("plans/tutorial.json"), &out);
    let lone = dir.path().join("tutorial-timeline.json");
    std::fs::copy(out.join("timeline.json"), &lone).unwrap();
    let replan_out = dir.path().join("replan");
    bin()
        .args([
            "replan",
            "plans/example.json",
            "--effort",
            "5",
            "--baseline",
        ])
        .arg(&lone)
        .arg("--out")
        .arg(&replan_out)
        .current_dir(root())
        .assert()
        .code(1)
        .stderr(format!(
            "{}: error: the baseline is not a timeline of this programme: none of its 2 sites \
             is in the plan; give the timeline.json that `schedule` (or the last `replan`) \
             wrote for this plan\n",
            lone.display()
        ));
    assert!(!replan_out.exists());
}

#[test]
fn help_names_every_exit_code() {
    let help = bin().arg("--help").assert().success();
    let text = String::from_utf8(help.get_output().stdout.clone()).unwrap();
    // clap wraps the line to the terminal's width.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("2 a usage error; 3 an internal error (a bug; please report it)"),
        "{text}"
    );
    // clap exits with its own code on a usage error: the one the CLI names.
    bin()
        .arg("--no-such-option")
        .assert()
        .code(removal_timeline::cli::EXIT_USAGE);
}

/// Every late or undated site of a schedule has a category, every other
/// site none; the categories found, counted.
fn categories(tl: &serde_json::Value) -> std::collections::BTreeMap<String, usize> {
    let allowed = [
        "funding",
        "supply",
        "crews",
        "access",
        "dependency",
        "progress",
    ];
    let mut out = std::collections::BTreeMap::new();
    for s in tl["sites"].as_array().unwrap() {
        let late =
            s["devices"].as_u64().unwrap() > 0 && s["late_days"].as_i64().is_none_or(|d| d > 0);
        let cat = s.get("late_category").and_then(|c| c.as_str());
        assert_eq!(late, cat.is_some(), "{s}");
        assert_eq!(
            late,
            s.get("late_reason").is_some_and(|r| r.is_string()),
            "{s}"
        );
        if let Some(c) = cat {
            assert!(allowed.contains(&c), "{c}");
            *out.entry(c.to_string()).or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn the_examples_money_waits_say_where_the_money_went_and_when_more_came() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    schedule(&root().join("plans/example.json"), &out);
    let tl: serde_json::Value = serde_json::from_str(&read(&out, "timeline.json")).unwrap();
    let cats = categories(&tl);
    assert!(cats.get("funding").copied().unwrap_or(0) > 0, "{cats:?}");
    let funding: Vec<&str> = tl["sites"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["late_category"] == "funding")
        .map(|s| s["late_reason"].as_str().unwrap())
        .collect();
    for r in &funding {
        // Never the bare "had X left, Y needed" of a period: what the money
        // went to, by when, and when money came again.
        assert!(r.contains("for money: FY 20"), "{r}");
        assert!(r.contains("was committed by "), "{r}");
        assert!(
            r.contains(" of it to ") || r.contains("none of it to sites less urgent"),
            "{r}"
        );
        assert!(
            r.contains("money came next from 1 Apr 2027 (FY 2027/28)"),
            "{r}"
        );
    }
}

#[test]
fn with_too_little_money_the_undated_sites_say_funding_or_the_site_they_wait_for() {
    let dir = tempfile::tempdir().unwrap();
    let plan = tutorial_with_budget(dir.path(), 5_000);
    let out = dir.path().join("out");
    schedule(&plan, &out);
    let tl: serde_json::Value = serde_json::from_str(&read(&out, "timeline.json")).unwrap();
    categories(&tl);
    let site = |i: usize| &tl["sites"][i];
    // alpha's procurement cannot be funded; beta waits for alpha's work.
    assert_eq!(site(0)["late_category"], "funding");
    assert_eq!(
        site(0)["late_reason"],
        "No date for removal: procurement cannot be scheduled (budget: no period from \
         6 Jan 2026 on can fund 45,000 GBP)"
    );
    assert_eq!(site(1)["late_category"], "dependency");
    assert!(
        site(1)["late_reason"]
            .as_str()
            .unwrap()
            .starts_with("No date for removal: procurement at alpha (a dependency)"),
        "{}",
        site(1)
    );
}

/// `compare` into `out`; its stdout and stderr.
fn compare(args: &[&str], out: &Path) -> (String, String) {
    let a = bin()
        .arg("compare")
        .args(args)
        .args(["--effort", "5", "--out"])
        .arg(out)
        .current_dir(root())
        .assert()
        .success();
    let o = a.get_output();
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

/// plans/example.json with every budget period from `from` on scaled.
fn example_scaled(dir: &Path, from: &str, factor: f64) -> PathBuf {
    let text = std::fs::read_to_string(root().join("plans/example.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    for p in plan["budget"]["periods"].as_array_mut().unwrap() {
        if p["from"].as_str().unwrap() >= from {
            let a = p["amount"].as_f64().unwrap() * factor;
            p["amount"] = serde_json::json!((a * 100.0).round() / 100.0);
        }
    }
    let path = dir.join("scaled.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    path
}

#[test]
fn compare_leads_with_the_plan_as_published_and_judges_each_scenario_by_the_objective() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let (stdout, _) = compare(
        &["plans/example.json", "--budget-scale", "2027-04-01=0.5"],
        &out,
    );
    assert!(
        stdout.contains(
            "The first row is the plan as `schedule` publishes it with the same options."
        ),
        "{stdout}"
    );
    // The first row is exactly what `schedule` publishes.
    let published = dir.path().join("published");
    schedule(&root().join("plans/example.json"), &published);
    assert_eq!(
        std::fs::read(out.join("timelines/plan-as-published.json")).unwrap(),
        std::fs::read(published.join("timeline.json")).unwrap()
    );
    let first = stdout
        .lines()
        .find(|l| l.starts_with("| plan as published |"))
        .unwrap();
    assert!(
        first.starts_with("| plan as published | (first row) | none | T1 0 · T2 0 · "),
        "{first}"
    );
    // Half the money from April 2027 finishes sooner for the sites it can
    // fund, but leaves sites with no date: worse, and said first.
    let cut = stdout
        .lines()
        .find(|l| l.starts_with("| budget ×0.5 from 2027-04-01 |"))
        .unwrap();
    assert!(cut.contains("| worse | "), "{cut}");
    assert!(cut.contains("| not complete | — |"), "{cut}");
    let because = stdout
        .lines()
        .find(|l| l.starts_with("- budget ×0.5 from 2027-04-01: worse — "))
        .unwrap();
    assert!(because.ends_with("with no date, against none"), "{because}");
    let csv = read(&out, "comparison.csv");
    assert!(csv.starts_with("scenario,removal_complete,finish,exposure,sites_late,sites_unscheduled,devices_unscheduled,total_cost,verdict,late_by_tier\n"), "{csv}");
    assert!(
        csv.lines().nth(2).unwrap().contains(",worse,T1:0 T2:0 "),
        "{csv}"
    );
    // Every timeline compare writes keeps its plan's rules.
    let scaled = example_scaled(dir.path(), "2027-04-01", 0.5);
    bin()
        .arg("verify")
        .arg(&scaled)
        .arg(out.join("timelines/budget-0.5-from-2027-04-01.json"))
        .assert()
        .success();
}

#[test]
fn a_budget_scale_inside_a_period_splits_it_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let (stdout, stderr) = compare(
        &["plans/example.json", "--budget-scale", "2026-10-01=0.8"],
        &out,
    );
    let said = "--budget-scale 2026-10-01=0.8: the budget period 2026-04-01 – 2027-03-31 \
                (1,900,000.00 GBP) contains 2026-10-01, so it is split there: 2026-04-01 – \
                2026-09-30 keeps 952,602.73, its share by days, and 2026-10-01 – 2027-03-31 \
                has its share of 947,397.27 scaled to 757,917.82";
    assert!(stderr.contains(said), "{stderr}");
    assert!(stdout.contains(&format!("Note: {said}")), "{stdout}");
}

#[test]
fn compare_with_a_baseline_leads_with_the_replan_and_diff_gives_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    schedule(&root().join("plans/rip-and-replace.json"), &base);
    let baseline = base.join("timeline.json");
    let after = "plans/rip-and-replace-after-cut.json";
    let as_of = [
        "--progress",
        "plans/rip-and-replace-progress.csv",
        "--status-date",
        "2022-11-30",
    ];
    let replan_out = dir.path().join("replan");
    let r = bin()
        .args(["replan", after, "--effort", "5", "--baseline"])
        .arg(&baseline)
        .args(as_of)
        .arg("--out")
        .arg(&replan_out)
        .current_dir(root())
        .assert()
        .success();
    let summary = String::from_utf8(r.get_output().stdout.clone()).unwrap();
    assert!(
        summary.contains(
            "By the plan's objective (tiers_first), the re-plan is worse than the baseline: "
        ),
        "{summary}"
    );
    let cmp = dir.path().join("cmp");
    let mut args = vec![after, "--baseline", baseline.to_str().unwrap()];
    args.extend(as_of);
    let (stdout, _) = compare(&args, &cmp);
    assert!(
        stdout.contains("The first row is the re-plan against "),
        "{stdout}"
    );
    assert!(
        stdout.contains("| re-plan as published | (first row) |"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(cmp.join("timelines/re-plan-as-published.json")).unwrap(),
        std::fs::read(replan_out.join("timeline.json")).unwrap()
    );
    let diff_md = read(&replan_out, "diff.md");
    assert!(
        diff_md.contains("**By the plan's objective (tiers\\_first), the new timeline is worse: "),
        "{diff_md}"
    );
}

#[test]
fn validate_warns_when_money_alone_cannot_meet_a_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let plan = tutorial_with_budget(dir.path(), 5_000);
    let shown = plan.display().to_string();
    bin()
        .arg("validate")
        .arg(&plan)
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "Tutorial: two sites by hand: valid as a plan, but money alone cannot meet 2 \
             deadlines (see the warnings)\n",
        ))
        .stderr(format!(
            "{shown}: warning: money alone cannot meet the deadline 30 April 2026: the 1 site \
             (63 devices) due by then need at least GBP 75,000.00 of work before their removal, \
             but the budget periods opening by then hold GBP 5,000.00 (GBP 70,000.00 short)\n\
             {shown}: warning: money alone cannot meet the deadline 30 June 2026: the 2 sites \
             (67 devices) due by then need at least GBP 82,800.00 of work before their removal, \
             but the budget periods opening by then hold GBP 5,000.00 (GBP 77,800.00 short)\n"
        ));
    // The tutorial as shipped has the money: no such warning.
    bin()
        .args(["validate", "plans/tutorial.json"])
        .current_dir(root())
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "Tutorial: two sites by hand: valid\n",
        ))
        .stderr(predicates::str::contains("money alone").not());
}

#[test]
fn a_region_whose_crews_are_never_available_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("plans/tutorial.json")).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    for c in plan["crews"].as_array_mut().unwrap() {
        c["available_to"] = serde_json::json!("2025-12-31");
    }
    let path = dir.path().join("no-crew.json");
    std::fs::write(&path, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let out = dir.path().join("out");
    let schedule_args = ["--effort", "5", "--out", out.to_str().unwrap()];
    for (cmd, extra) in [("validate", &[][..]), ("schedule", &schedule_args[..])] {
        bin()
            .arg(cmd)
            .arg(&path)
            .args(extra)
            .assert()
            .code(1)
            .stderr(predicates::str::contains(
                "sites[0] (\"alpha\").region: no crew of region \"london\" is ever available (each one's \
                 available_to falls before the programme starts or before its available_from), \
                 so the site's devices can never be removed",
            ));
    }
}

#[test]
fn replan_names_baseline_work_due_by_the_status_date_with_no_progress() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    schedule(&root().join("plans/rip-and-replace.json"), &base);
    let out = dir.path().join("replan");
    let r = bin()
        .args([
            "replan",
            "plans/rip-and-replace-after-cut.json",
            "--effort",
            "5",
        ])
        .arg("--baseline")
        .arg(base.join("timeline.json"))
        .args(["--progress", "plans/rip-and-replace-progress.csv"])
        .args(["--status-date", "2022-11-30", "--out"])
        .arg(&out)
        .current_dir(root())
        .assert()
        .success();
    let stdout = String::from_utf8(r.get_output().stdout.clone()).unwrap();
    let tl: serde_json::Value = serde_json::from_str(&read(&out, "timeline.json")).unwrap();
    let old: serde_json::Value = serde_json::from_str(&read(&base, "timeline.json")).unwrap();
    // Counted from the two timelines: due by the status date in the
    // baseline, neither done nor under way now.
    let due: Vec<String> = tl["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "planned" || t["status"] == "unscheduled")
        .filter(|t| {
            old["tasks"].as_array().unwrap().iter().any(|o| {
                o["id"] == t["id"] && o["start"].as_str().is_some_and(|s| s <= "2022-11-30")
            })
        })
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!due.is_empty());
    let line = format!(
        "Warning: {} baseline task(s) were due to start by the status date with no progress \
         reported, so they are re-planned as not started: {}",
        due.len(),
        due.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
    );
    assert!(stdout.contains(&line), "{line}\n{stdout}");
    let md = read(&out, "diff.md");
    // One count of "kept" in the summary and in diff.md.
    let kept = md
        .lines()
        .find(|l| l.starts_with("Tasks scheduled in both: "))
        .unwrap()
        .trim_end_matches('.');
    assert!(stdout.starts_with(kept), "{kept}\n{stdout}");
    assert!(
        md.contains(&format!(
            "## Due by the status date, no progress reported ({})",
            due.len()
        )),
        "{md}"
    );
    for id in &due {
        assert!(md.contains(&format!("| `{id}` | ")), "{id}\n{md}");
    }
}

/// Issue 20, item 4: `diff --old-plan --new-plan` starts with what changed
/// in the plan (devices per site, crews, lead times, budget) and says why
/// every site that moved did so, on time or not.
#[test]
fn diff_with_both_plans_starts_with_the_plan_change_and_explains_every_move() {
    let dir = tempfile::tempdir().unwrap();
    let old_plan = root().join("plans/tutorial.json");
    let text = std::fs::read_to_string(&old_plan).unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    plan["sites"][1]["devices"]["dome"] = serde_json::json!(40);
    plan["device_types"][0]["lead_time_days"] = serde_json::json!(50);
    plan["crews"][0]["day_rate"] = serde_json::json!(1100);
    plan["budget"]["periods"][0]["amount"] = serde_json::json!(50000);
    let new_plan = dir.path().join("grown.json");
    std::fs::write(&new_plan, plan.to_string()).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    schedule(&old_plan, &a);
    schedule(&new_plan, &b);
    let out = bin()
        .arg("diff")
        .arg(a.join("timeline.json"))
        .arg(b.join("timeline.json"))
        .arg("--old-plan")
        .arg(&old_plan)
        .arg("--new-plan")
        .arg(&new_plan)
        .assert()
        .success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let first = md.find("## What changed in the plan").expect(&md);
    assert!(first < md.find("## Summary").unwrap(), "{md}");
    for line in [
        "| 1 Jan 2026 – 31 Mar 2026 | 60,000.00 | 50,000.00 | -10,000.00 |",
        "| `beta` | T2 | devices 4 → 40 (dome 4 → 40) |",
        "  - crew crew-a: london, cleared, 1,000 GBP a day → london, cleared, 1,100 GBP a day",
        "  - device type dome: 700 GBP each, 30-day lead time, 2.5 h to install, 0.5 h to remove → \
         700 GBP each, 50-day lead time, 2.5 h to install, 0.5 h to remove",
    ] {
        assert!(md.contains(line), "{line} missing:\n{md}");
    }
    // alpha now waits 50 days for its domes, not 45 for its recorder.
    let alpha = md
        .lines()
        .find(|l| l.starts_with("| `alpha`"))
        .unwrap_or_else(|| panic!("alpha did not move:\n{md}"));
    assert!(alpha.contains("lead times 5 days longer"), "{alpha}");
    assert!(alpha.contains("now: "), "{alpha}");
    // `--plan` still names the later plan; without the earlier one, the
    // diff says what it cannot compare.
    bin()
        .arg("diff")
        .arg(a.join("timeline.json"))
        .arg(b.join("timeline.json"))
        .arg("--plan")
        .arg(&new_plan)
        .assert()
        .success()
        .stdout(predicates::str::contains("`replan --baseline-plan PLAN`"))
        .stdout(predicates::str::contains("devices 4 → 40"));
}

/// Issue 20, item 5: a message about a site, crew or progress entry names
/// its ID beside its index, in the JSON and in a CSV.
#[test]
fn validation_messages_name_the_site_crew_or_task() {
    let dir = tempfile::tempdir().unwrap();
    let plan = serde_json::json!({
        "name": "x", "start": "2026-01-05",
        "tiers": [ { "id": "T1", "weight": 1 } ],
        "device_types": [ { "id": "cam", "unit_cost": 1, "install_hours": 1,
                            "remove_hours": 1, "lead_time_days": 1 } ],
        "regions": [ { "id": "south" }, { "id": "north" } ],
        "crews": [ { "id": "c1", "region": "sooth", "cleared": false, "day_rate": 1 },
                   { "id": "c2", "region": "north", "cleared": false, "day_rate": 1 } ],
        "sites": [ { "id": "alpha", "region": "north", "tier": "T1", "devices": { "cam": 1 } },
                   { "id": "bravo", "region": "north", "tier": "T1", "cleared_only": true,
                     "devices": { "cam": 1 } } ],
        "status_date": "2026-02-01",
        "progress": [ { "task": "bravo/survey", "started": "2026-01-10",
                        "finished": "2026-01-09", "crew": "c2" } ]
    });
    let path = dir.path().join("p.json");
    std::fs::write(&path, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let out = bin().arg("validate").arg(&path).assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    for m in [
        "error: crews[0] (\"c1\").region: unknown region \"sooth\"; did you mean \"south\"?",
        "error: sites[1] (\"bravo\").cleared_only: the site needs a cleared crew, but region \
         \"north\" has none",
        "error: progress[0] (\"bravo/survey\").finished: 2026-01-09 is before started 2026-01-10",
    ] {
        assert!(err.contains(m), "{m} missing:\n{err}");
    }
    // A CSV row is called by its ID too.
    let csv = dir.path().join("progress.csv");
    std::fs::write(
        &csv,
        "task,started,finished,crew\nalpha/survey,2026-01-12,2026-01-11,c2\n",
    )
    .unwrap();
    let mut fixed = plan.clone();
    fixed["crews"][0]["region"] = serde_json::json!("south");
    fixed["sites"][1]["cleared_only"] = serde_json::json!(false);
    fixed["progress"] = serde_json::json!([]);
    std::fs::write(&path, fixed.to_string()).unwrap();
    bin()
        .arg("replan")
        .arg(&path)
        .args(["--baseline", "none.json", "--progress"])
        .arg(&csv)
        .args(["--status-date", "2026-02-01"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "error: task \"alpha/survey\", finished: 2026-01-11 is before started 2026-01-12",
        ));
}

/// The examples of `--help` and of every subcommand's `--help`, each as
/// one shell command: the text after `Start with:` or `Example:` up to a
/// blank line or the next label (clap may wrap a long one).
fn help_examples() -> Vec<String> {
    let help = |args: &[&str]| {
        let out = bin().args(args).arg("--help").assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).to_string()
    };
    let top = help(&[]);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command's line, not the wrapped rest of a description.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 10, "{top}");
    let mut texts = vec![top];
    texts.extend(commands.iter().map(|c| help(&[c.as_str()])));
    // `Exit codes: …`: a capitalised label of a few words, not the wrapped
    // rest of a command.
    let label = |l: &str| {
        l.starts_with(|c: char| c.is_ascii_uppercase())
            && l.split_once(": ")
                .is_some_and(|(head, _)| head.split_whitespace().count() <= 3)
    };
    let mut examples = Vec::new();
    for text in &texts {
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let Some(rest) = l
                .strip_prefix("Example:")
                .or_else(|| l.strip_prefix("Start with:"))
            else {
                continue;
            };
            let mut cmd = rest.trim().to_string();
            for more in lines[i + 1..]
                .iter()
                .take_while(|m| !m.trim().is_empty() && !label(m))
            {
                cmd.push(' ');
                cmd.push_str(more.trim());
            }
            examples.push(cmd);
        }
    }
    examples
}

/// Issue 20, item 7: every example in `--help` runs as written from a
/// fresh clone (here a copy of what a clone holds that they read: plans/
/// and the PSPLIB instances), in the order `--help` lists them.
#[test]
fn every_help_example_runs_as_written_from_a_fresh_clone() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    };
    copy(&root().join("plans"), &dir.path().join("plans"));
    copy(
        &root().join("tests/data/psplib/j30"),
        &dir.path().join("tests/data/psplib/j30"),
    );
    let exe = assert_cmd::cargo::cargo_bin("removal-timeline");
    let examples = help_examples();
    assert!(examples.len() >= 12, "{examples:?}");
    let mut failed = Vec::new();
    for ex in &examples {
        let rest = ex
            .strip_prefix("removal-timeline ")
            .unwrap_or_else(|| panic!("an example that does not call the program: {ex}"));
        let line = format!("'{}' {rest}", exe.display());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&line)
            .current_dir(dir.path())
            .output()
            .unwrap();
        if !out.status.success() {
            failed.push(format!(
                "{ex}\n  exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
