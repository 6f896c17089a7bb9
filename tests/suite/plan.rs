//! Integration tests: plan files (loading, validation messages, CSV sites,
//! progress files, `validate`, `schema` and `generate`).

use assert_cmd::Command;
use removal_timeline::plan::{self, Phase};
use removal_timeline::units::{Hundredths, Money, Price};
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
            // Scenario files (JSON merge patches for `compare`) live here
            // too; a plan is the one with a `start`.
            let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            if v.get("start").is_none() {
                continue;
            }
            let loaded = removal_timeline::load::plan_file(&p)
                .unwrap_or_else(|d| panic!("{}:\n{d}", p.display()));
            assert!(!loaded.plan.sites.is_empty());
            n += 1;
        }
    }
    assert!(n >= 2, "plans/ holds {n} plans");
}

#[test]
fn tutorial_site_alpha_matches_the_spec_worked_example() {
    let loaded = removal_timeline::load::plan_file(&root().join("plans/tutorial.json")).unwrap();
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
        .stdout(predicates::str::contains("sites: 2, devices: 67"))
        .stdout(predicates::str::contains(
            "objective: tiers_first (the default): most sensitive first",
        ));
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

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Every invalid fixture fails with exactly the message in its `.err` file.
#[test]
fn invalid_fixtures() {
    let dir = Path::new("tests/fixtures/invalid");
    let mut checked = 0;
    let mut failures = Vec::new();
    for e in std::fs::read_dir(root().join(dir)).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        let expected = std::fs::read_to_string(root().join(dir).join(format!("{stem}.err")))
            .unwrap_or_else(|_| panic!("{stem}.json has no {stem}.err"));
        let got = match removal_timeline::load::plan_file(&dir.join(&name)) {
            Ok(_) => "(loaded without error)".to_string(),
            Err(d) => format!("{d}\n"),
        };
        if got != expected {
            failures.push(format!("{stem}:\n  expected: {expected}  got:      {got}"));
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} invalid fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_invalid_plan_exits_1_with_located_errors_on_stderr() {
    let expected =
        std::fs::read_to_string(root().join("tests/fixtures/invalid/unknown-region.err")).unwrap();
    bin()
        .args(["validate", "tests/fixtures/invalid/unknown-region.json"])
        .current_dir(root())
        .assert()
        .code(1)
        .stdout("")
        .stderr(expected);
}

#[test]
fn defaults_fill_what_a_plan_leaves_out() {
    let p = removal_timeline::load::plan_file(&fixture("valid/minimal.json"))
        .unwrap()
        .plan;
    assert_eq!(p.currency, "GBP");
    assert_eq!(p.calendar, plan::Calendar::default());
    assert_eq!(
        p.calendar.workdays,
        [true, true, true, true, true, false, false]
    );
    assert_eq!(p.workflow, plan::Workflow::default());
    assert_eq!(p.workflow.hours_per_day, Hundredths(750));
    assert_eq!((p.workflow.survey_days, p.workflow.commission_days), (1, 1));
    assert_eq!((p.workflow.disposal_days, p.workflow.package_size), (5, 50));
    let t = &p.device_types[0];
    assert!(t.replace);
    assert_eq!((t.unit_cost, t.disposal_cost), (Price::ZERO, Price::ZERO));
    assert_eq!(
        (t.install_hours, t.remove_hours, t.lead_time_days),
        (Hundredths(0), Hundredths(0), 0)
    );
    let c = &p.crews[0];
    assert!(!c.cleared && c.day_rate == Money::ZERO && c.available_from.is_none());
    assert!(p.budget.is_none() && p.deadline.is_none() && p.status_date.is_none());
    let s = &p.sites[0];
    assert!(!s.cleared_only && s.not_before.is_none() && s.blackouts.is_empty());
    assert!(p.dependencies.is_empty() && p.progress.is_empty());
}

#[test]
fn csv_sites_are_added_after_json_sites() {
    let p = removal_timeline::load::plan_file(&root().join("plans/csv-sites.json"))
        .unwrap()
        .plan;
    let ids: Vec<&str> = p.sites.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids[0], "leeds-hub");
    assert_eq!(ids[1], "york-office");
    assert_eq!(ids.len(), 7);
    let york = &p.sites[1];
    assert_eq!(york.name.as_deref(), Some("Regional office, York"));
    assert!(york.cleared_only);
    let hull = &p.sites[2];
    assert!(!hull.cleared_only);
    // An empty cell is 0 and zero counts are left out.
    assert_eq!(hull.devices.len(), 2);
    let birmingham = &p.sites[4];
    assert!(birmingham.cleared_only, "TRUE in any case");
    assert_eq!(birmingham.deadline.unwrap().to_string(), "2026-09-30");
    assert_eq!(p.sites[3].not_before.unwrap().to_string(), "2026-05-01");
}

#[test]
fn csv_with_bom_blank_lines_spaces_and_any_column_order() {
    let dir = tempfile::tempdir().unwrap();
    let plan_text = std::fs::read_to_string(fixture("valid/minimal.json"))
        .unwrap()
        .replace(
            "\"sites\": [",
            "\"sites_csv\": \"more.csv\",\n  \"sites\": [",
        );
    std::fs::write(dir.path().join("p.json"), plan_text).unwrap();
    std::fs::write(
        dir.path().join("more.csv"),
        "\u{feff}cam , tier,id,region\r\n\r\n 4 ,T1, t2 ,r\r\n\n,T1,t3,r\n",
    )
    .unwrap();
    let p = removal_timeline::load::plan_file(&dir.path().join("p.json"))
        .unwrap()
        .plan;
    let got: Vec<(&str, u64)> = p
        .sites
        .iter()
        .map(|s| (s.id.as_str(), s.device_count()))
        .collect();
    assert_eq!(got, [("s", 3), ("t2", 4), ("t3", 0)]);
}

#[test]
fn a_plan_with_progress_loads_with_its_warnings() {
    let l = removal_timeline::load::plan_file(&fixture("valid/replan.json")).unwrap();
    assert_eq!(l.plan.progress.len(), 4);
    let inprog = &l.plan.progress[2];
    assert!(inprog.finished.is_none());
    assert_eq!(inprog.remaining_days, Some(2));
    assert_eq!(inprog.task.package, Some(1));
    assert_eq!(l.plan.progress[0].cost, Some(Money(95000)));
    let w: Vec<String> = l.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w[0].ends_with("warning: tiers[1].id: tier \"T9\" has no sites"));
    assert!(w[1].contains("crew \"idle\" can never work"));
    assert!(w[2].contains(
        "progress[3] (\"b/survey\").crew: crew \"c1\" is not of the site's region \"north\""
    ));
}

#[test]
fn progress_files_in_csv_and_json() {
    let p = removal_timeline::load::plan_file(&fixture("valid/replan.json"))
        .unwrap()
        .plan;
    let csv = removal_timeline::load::progress_file(&fixture("progress/ok.csv"), &p).unwrap();
    assert_eq!(csv, p.progress[..3]);
    let json = removal_timeline::load::progress_file(&fixture("progress/ok.json"), &p).unwrap();
    assert_eq!(json.len(), 2);
    assert_eq!(json[1].remaining_days, None);
}

#[test]
fn progress_file_errors_are_located_like_plan_errors() {
    let p = removal_timeline::load::plan_file(&fixture("valid/replan.json"))
        .unwrap()
        .plan;
    let e = removal_timeline::load::progress_file(
        Path::new("tests/fixtures/progress/bad-date.csv"),
        &p,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "tests/fixtures/progress/bad-date.csv:3:13: error: task \"a/install/1\", started: \"2026-02-31\" is not a real day"
    );
    let e = removal_timeline::load::progress_file(
        Path::new("tests/fixtures/progress/unknown-crew.json"),
        &p,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "tests/fixtures/progress/unknown-crew.json:3:59: error: [1] (\"a/remove/1\").crew: unknown crew \"c9\"; did you mean \"c1\"?"
    );
}

#[test]
fn all_errors_are_reported_at_once_in_file_order() {
    let text = std::fs::read_to_string(fixture("valid/minimal.json"))
        .unwrap()
        .replace("\"region\": \"r\" }]", "\"region\": \"q\" }]")
        .replace("\"cam\": 3", "\"cam\": -3, \"cma\": 1")
        .replace("2026-01-05", "2026-13-05");
    let e = removal_timeline::load::plan_str(&text, Path::new("p.json")).unwrap_err();
    let lines: Vec<String> = e.0.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        lines,
        [
            "p.json:3:12: error: start: \"2026-13-05\" is not a real day",
            "p.json:7:36: error: crews[0] (\"c\").region: unknown region \"q\"; did you mean \"r\"?",
            "p.json:8:75: error: sites[0] (\"s\").devices.cam: -3 is negative; a count must be a whole number ≥ 0",
            "p.json:8:79: error: sites[0] (\"s\").devices.cma: unknown device type \"cma\"; did you mean \"cam\"?",
        ]
    );
}

#[test]
fn generated_plans_of_several_sizes_are_valid_and_deterministic() {
    use removal_timeline::generate::generate;
    for (n, seed) in [(1, 1), (2, 9), (7, 3), (60, 1), (450, 42)] {
        let text = serde_json::to_string_pretty(&generate(n, seed)).unwrap();
        let loaded = removal_timeline::load::plan_str(&text, Path::new("generated.json"))
            .unwrap_or_else(|d| panic!("{n} sites, seed {seed}:\n{d}"));
        assert_eq!(loaded.plan.sites.len(), n);
        assert!(loaded.plan.budget.is_some());
        let again = serde_json::to_string_pretty(&generate(n, seed)).unwrap();
        assert_eq!(text, again, "same size and seed, same plan");
    }
    let a = serde_json::to_string(&generate(100, 1)).unwrap();
    let b = serde_json::to_string(&generate(100, 2)).unwrap();
    assert_ne!(a, b, "seeds matter");
    let p = removal_timeline::load::plan_str(&a, Path::new("g.json"))
        .unwrap()
        .plan;
    assert!(p.sites.iter().any(|s| !s.blackouts.is_empty()));
    assert!(p.sites.iter().any(|s| s.cleared_only));
    assert!(!p.dependencies.is_empty());
    assert_eq!(p.regions.len(), 5);
}

#[test]
fn generate_prints_a_plan_that_validate_accepts() {
    let out = bin()
        .args(["generate", "--sites", "30", "--seed", "5"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("g.json");
    std::fs::write(&f, out).unwrap();
    bin().arg("validate").arg(&f).assert().success();
    bin().args(["generate", "--sites", "0"]).assert().code(1);
}

/// Hostile inputs: each is refused with a located error, never a panic.
#[test]
fn hostile_inputs_get_located_errors() {
    let base = std::fs::read_to_string(fixture("valid/minimal.json")).unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let long_id = base.replace(
        "\"id\": \"s\"",
        &format!("\"id\": \"{}\"", "s".repeat(100_000)),
    );
    let mut cases: Vec<(String, &str)> = vec![
        (String::new(), "p.json:1:1: error: the file ends too early"),
        (
            "[]".into(),
            "p.json:1:1: error: a plan is a JSON object ({ ... }), not an array",
        ),
        (deep, "p.json:1:129: error: nested deeper than 128 levels"),
        (
            base.replace("\"cam\": 3", "\"cam\": 1e400"),
            "p.json:8:75: error: sites[0] (\"s\").devices.cam: number out of range",
        ),
        (
            base.replace("\"cam\": 3", "\"cam\": 1000000000000"),
            "p.json:8:66: error: sites[0] (\"s\").devices: the site has 1000000000000 devices, \
             more than the limit of 1000000 (raise it with REMOVAL_TIMELINE_MAX_SITE_DEVICES)",
        ),
        (
            base.replace("\"cam\": 3", "\"cam\": 1e19"),
            "is more than the limit of",
        ),
        (
            base.replace("2026-01-05", "9999-12-31"),
            "p.json:3:12: error: start: \"9999-12-31\" is outside the supported years 1900–2199",
        ),
        (
            long_id,
            "p.json:8:21: error: sites[0].id: the ID is 100000 characters long, more than the limit of 200",
        ),
        (
            base.replace("\"weight\": 1", "\"weight\": 1e308"),
            "tiers[0] (\"T1\").weight: 1e308 is not a weight",
        ),
        (
            base.replace(
                "\"name\": \"Minimal\"",
                "\"name\": \"Minimal\", \"name\": \"Again\"",
            ),
            "p.json:2:22: error: name: duplicate key \"name\"",
        ),
    ];
    let many_types = base.replace(
        "\"cam\": 3",
        &(0..3000)
            .map(|i| format!("\"t{i}\": 9007199254740991"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let types: Vec<String> = (0..3000)
        .map(|i| format!("{{ \"id\": \"t{i}\" }}"))
        .collect();
    let many_types =
        many_types.replace("[{ \"id\": \"cam\" }]", &format!("[{}]", types.join(", ")));
    cases.push((many_types, "more than the limit of 1000000"));
    for (text, expected) in cases {
        let e = removal_timeline::load::plan_str(&text, Path::new("p.json")).expect_err(expected);
        let got = e.to_string();
        assert!(got.contains(expected), "expected {expected:?} in:\n{got}");
    }
}

#[test]
fn the_task_limit_refuses_plans_too_big_to_expand() {
    let base = std::fs::read_to_string(fixture("valid/minimal.json")).unwrap();
    let text = base.replace("\"cam\": 3", "\"cam\": 300000").replace(
        "\"start\"",
        "\"workflow\": { \"package_size\": 1 },\n  \"start\"",
    );
    let limits = plan::Limits {
        max_tasks: 500_000,
        ..plan::Limits::default()
    };
    let e = removal_timeline::load::plan_str_with(&text, Path::new("p.json"), &limits).unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.json:1:1: error: the plan expands to 600004 tasks, more than the limit of 500000 \
         (raise it with REMOVAL_TIMELINE_MAX_TASKS)"
    );
    let limits = plan::Limits {
        max_tasks: 600_004,
        ..limits
    };
    assert!(removal_timeline::load::plan_str_with(&text, Path::new("p.json"), &limits).is_ok());
}

mod mutations {
    //! Property: a valid plan mutated at random (fields deleted, types
    //! changed, IDs swapped, numbers made extreme, text truncated) loads or
    //! is refused with located errors; it never panics.
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn paths(v: &Value, at: &mut Vec<Vec<String>>, here: Vec<String>) {
        at.push(here.clone());
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    let mut p = here.clone();
                    p.push(k.clone());
                    paths(c, at, p);
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    let mut p = here.clone();
                    p.push(i.to_string());
                    paths(c, at, p);
                }
            }
            _ => {}
        }
    }

    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Object(m) => m.values().for_each(|c| strings(c, out)),
            Value::Array(a) => a.iter().for_each(|c| strings(c, out)),
            _ => {}
        }
    }

    fn get_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
        path.iter().try_fold(v, |v, k| match v {
            Value::Object(m) => m.get_mut(k),
            Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
            _ => None,
        })
    }

    fn mutate(v: &mut Value, kind: u8, pick: usize, other: usize) {
        let mut all = Vec::new();
        paths(v, &mut all, Vec::new());
        let mut words = Vec::new();
        strings(v, &mut words);
        let path = all[pick % all.len()].clone();
        if kind == 0 {
            if let Some((last, parent)) = path.split_last() {
                match get_mut(v, parent) {
                    Some(Value::Object(m)) => {
                        m.remove(last);
                    }
                    Some(Value::Array(a)) => {
                        a.remove(last.parse::<usize>().unwrap());
                    }
                    _ => {}
                }
            }
            return;
        }
        let Some(target) = get_mut(v, &path) else {
            return;
        };
        *target = match kind {
            1 => Value::Null,
            2 => Value::String("x/y".into()),
            3 => serde_json::json!(-1.5),
            4 => serde_json::json!(1e300),
            5 => serde_json::json!([]),
            6 => serde_json::json!({}),
            7 => Value::String(
                words
                    .get(other % words.len().max(1))
                    .cloned()
                    .unwrap_or_default(),
            ),
            8 => Value::Bool(true),
            9 => serde_json::json!(2.005),
            10 => Value::String("2026-02-30".into()),
            _ => serde_json::json!(4_000_000_000_000u64),
        };
    }

    fn assert_located(text: &str, r: Result<plan::Loaded, plan::Diagnostics>) {
        let lines = text.lines().count().max(1);
        if let Err(d) = r {
            assert!(!d.0.is_empty());
            for e in &d.0 {
                assert!(
                    e.line >= 1 && e.line <= lines + 1,
                    "{e} (text has {lines} lines)"
                );
                assert!(e.col >= 1, "{e}");
                assert!(
                    e.to_string().starts_with("p.json:") || e.file.ends_with(".csv"),
                    "{e}"
                );
                assert!(!e.message.is_empty());
            }
        }
    }

    fn bases() -> Vec<Value> {
        ["plans/tutorial.json", "tests/fixtures/valid/replan.json"]
            .iter()
            .map(|p| {
                serde_json::from_str(&std::fs::read_to_string(root().join(p)).unwrap()).unwrap()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(crate::proptest_seed::config(300))]

        #[test]
        fn mutated_plans_never_panic(
            base in 0usize..2,
            muts in proptest::collection::vec((0u8..12, any::<usize>(), any::<usize>()), 1..4),
        ) {
            let mut v = bases().swap_remove(base);
            for (kind, pick, other) in muts {
                mutate(&mut v, kind, pick, other);
            }
            let text = serde_json::to_string_pretty(&v).unwrap();
            assert_located(&text, removal_timeline::load::plan_str(&text, Path::new("p.json")));
        }

        #[test]
        fn damaged_text_never_panics(cut in any::<usize>(), byte in any::<u8>(), at in any::<usize>()) {
            let text = std::fs::read_to_string(root().join("plans/tutorial.json")).unwrap();
            let cut = cut % (text.len() + 1);
            let truncated = text.get(..cut).unwrap_or(&text[..0]);
            assert_located(truncated, removal_timeline::load::plan_str(truncated, Path::new("p.json")));
            let mut bytes = text.into_bytes();
            let at = at % bytes.len();
            bytes[at] = byte;
            if let Ok(s) = String::from_utf8(bytes) {
                assert_located(&s, removal_timeline::load::plan_str(&s, Path::new("p.json")));
            }
        }
    }
}

#[test]
fn progress_ahead_of_the_workflow_is_accepted_with_a_warning() {
    let p = removal_timeline::load::plan_file(&fixture("valid/replan.json"))
        .unwrap()
        .plan;
    let (progress, warnings) = removal_timeline::load::progress(
        Path::new("tests/fixtures/progress/ahead.csv"),
        &p,
        p.status_date,
    )
    .unwrap();
    assert_eq!(progress.len(), 2);
    let w: Vec<String> = warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        w,
        [
            "tests/fixtures/progress/ahead.csv:3:13: warning: task \"a/install/1\", started: \"a/install/1\" \
             started before \"a/procure\" was reported started; accepted as reported"
        ]
    );
}

/// A plan whose `sites_csv` holds `csv`; the load's error text.
fn csv_error(csv: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let plan_text = std::fs::read_to_string(fixture("valid/minimal.json"))
        .unwrap()
        .replace(
            "\"sites\": [",
            "\"sites_csv\": \"more.csv\",\n  \"sites\": [",
        );
    std::fs::write(dir.path().join("p.json"), plan_text).unwrap();
    std::fs::write(dir.path().join("more.csv"), csv).unwrap();
    let e = removal_timeline::load::plan_file(&dir.path().join("p.json"))
        .unwrap_err()
        .to_string();
    let prefix = format!("{}/", dir.path().display());
    e.replace(&prefix, "")
}

#[test]
fn broken_csv_files_get_located_errors() {
    assert_eq!(
        csv_error(b"id,region,tier,cam\ns2,r,T1\n"),
        "more.csv:2:1: error: the row has 3 cells but the header has 4"
    );
    assert_eq!(
        csv_error(b"id,region,tier,cam\ns2,\"r,T1,1\n"),
        "more.csv:2:1: error: the row has 2 cells but the header has 4"
    );
    assert_eq!(
        csv_error(b"id,region,tier,cam\ns\"2,r,T1,1\n"),
        "more.csv:2:1: error: id: \"s\\\"2\" contains '\"'; IDs may use only A-Z a-z 0-9 - _ ."
    );
    assert_eq!(
        csv_error(b"id,region,tier,cam\ns2,r,T1,1\ns3,r\xe9,T1,1\n"),
        "more.csv:3:5: error: the file is not valid UTF-8 text (save it as UTF-8)"
    );
    assert_eq!(
        csv_error(b""),
        "more.csv:1:1: error: the file is empty: it needs a header row"
    );
    assert_eq!(
        csv_error(b"id,tier,cam\ns2,T1,1\n"),
        "more.csv:1:1: error: the header has no \"region\" column"
    );
    assert_eq!(
        csv_error(b"id,region,tier,cleared_only\ns2,r,T1,maybe\n"),
        "more.csv:2:9: error: cleared_only: \"maybe\" is not true/false/yes/no/1/0"
    );
}

#[test]
fn warnings_do_not_fail_the_plan() {
    let l =
        removal_timeline::load::plan_file(Path::new("tests/fixtures/valid/warnings.json")).unwrap();
    let w: Vec<String> = l.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        w,
        [
            "tests/fixtures/valid/warnings.json:1:63: warning: deadline: 2025-12-31 is before the \
             programme starts (2026-01-05): every site will be late",
            "tests/fixtures/valid/warnings.json:2:52: warning: tiers[0] (\"T1\").deadline: 2025-06-30 is \
             before the programme starts (2026-01-05)",
            "tests/fixtures/valid/warnings.json:4:26: warning: budget.periods: the budget has no \
             periods, so no money can ever be committed; leave `budget` out for unlimited money",
        ]
    );
    bin()
        .args(["validate", "tests/fixtures/valid/warnings.json"])
        .current_dir(root())
        .assert()
        .success()
        .stderr(predicates::str::contains("warning: budget.periods"));
}

#[test]
fn limits_can_be_changed_by_environment_variables() {
    let len = std::fs::metadata(root().join("plans/tutorial.json"))
        .unwrap()
        .len();
    bin()
        .args(["validate", "plans/tutorial.json"])
        .current_dir(root())
        .env("REMOVAL_TIMELINE_MAX_FILE_BYTES", "100")
        .assert()
        .code(1)
        .stderr(format!(
            "plans/tutorial.json:1:1: error: the file is {len} bytes, more than the limit of 100 \
             (raise it with REMOVAL_TIMELINE_MAX_FILE_BYTES)\n"
        ));
    bin()
        .args(["validate", "plans/tutorial.json"])
        .current_dir(root())
        .env("REMOVAL_TIMELINE_MAX_SITE_DEVICES", "62")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "sites[0] (\"alpha\").devices: the site has 63 devices, more than the limit of 62",
        ));
    bin()
        .args(["validate", "plans/tutorial.json"])
        .current_dir(root())
        .env("REMOVAL_TIMELINE_MAX_TASKS", "lots")
        .assert()
        .code(1)
        .stderr("plans/tutorial.json:1:1: error: REMOVAL_TIMELINE_MAX_TASKS=\"lots\" is not a whole number\n");
}

#[test]
fn sites_csv_stays_inside_the_plans_folder() {
    let base = std::fs::read_to_string(fixture("valid/minimal.json")).unwrap();
    for bad in ["../secret.csv", "/etc/passwd", "a/../../b.csv"] {
        let text = base.replace(
            "\"sites\": [",
            &format!("\"sites_csv\": \"{bad}\", \"sites\": ["),
        );
        let e = removal_timeline::load::plan_str(&text, Path::new("plans/p.json"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("must be a file in the plan's folder"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn cycles_are_found_only_where_they_are() {
    let base = std::fs::read_to_string(fixture("valid/minimal.json")).unwrap().replace(
        "\"sites\": [{ \"id\": \"s\", \"region\": \"r\", \"tier\": \"T1\", \"devices\": { \"cam\": 3 } }]",
        "\"sites\": [{ \"id\": \"a\", \"region\": \"r\", \"tier\": \"T1\", \"devices\": { \"cam\": 3 } },\n\
         { \"id\": \"b\", \"region\": \"r\", \"tier\": \"T1\", \"devices\": { \"cam\": 3 } },\n\
         { \"id\": \"c\", \"region\": \"r\", \"tier\": \"T1\", \"devices\": { \"cam\": 3 } }],\n\
         \"dependencies\": DEPS",
    );
    let with = |deps: &str| {
        removal_timeline::load::plan_str(&base.replace("DEPS", deps), Path::new("p.json"))
    };
    // Criss-crossing but acyclic: a's removal before b's survey, b's removal before a's disposal.
    let ok = with(
        r#"[{"from": "a/remove", "to": "b/survey"}, {"from": "b/remove", "to": "a/dispose"}]"#,
    );
    assert!(ok.is_ok(), "{}", ok.unwrap_err());
    let e = with(
        r#"[{"from": "a/commission", "to": "b/survey"}, {"from": "b/commission", "to": "c/procure"},
           {"from": "c/remove", "to": "a/install", "lag_days": 3}]"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.json:11:18: error: dependencies[0]: cycle: a/commission -> b/survey -> b/procure -> \
         b/install/1 -> b/commission -> c/procure -> c/install/1 -> c/commission -> c/remove/1 -> \
         a/install/1 -> a/commission"
    );
}

mod csv_mutations {
    //! Property: a damaged `sites_csv` (a byte changed, the file cut short)
    //! never makes the loader panic, and every error is located.
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(crate::proptest_seed::config(100))]

        #[test]
        fn damaged_csv_never_panics(cut in any::<usize>(), byte in any::<u8>(), at in any::<usize>()) {
            let dir = tempfile::tempdir().unwrap();
            let plan_text = std::fs::read_to_string(root().join("plans/csv-sites.json")).unwrap();
            std::fs::write(dir.path().join("csv-sites.json"), plan_text).unwrap();
            let mut csv = std::fs::read(root().join("plans/csv-sites.csv")).unwrap();
            let at = at % csv.len();
            csv[at] = byte;
            csv.truncate(cut % (csv.len() + 1));
            std::fs::write(dir.path().join("csv-sites.csv"), &csv).unwrap();
            if let Err(d) = removal_timeline::load::plan_file(&dir.path().join("csv-sites.json")) {
                for e in &d.0 {
                    prop_assert!(e.line >= 1 && e.col >= 1, "{}", e);
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }
}
