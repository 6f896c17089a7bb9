//! Integration tests: robustness (issue 9). Hostile and broken input through
//! the binary, each a located error and exit 1, never a panic or a hang;
//! limits; atomic writes that never lose the previous timeline; spreadsheet
//! neutralising; a closed stdout; and a property test that mutates valid
//! plans. Cases found by the fuzz targets (`fuzz/`) are kept here too.

use assert_cmd::Command;
use proptest::prelude::*;
use removal_timeline::load::plan_str;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::pipeline::schedule_plan;
use removal_timeline::plan;
use removal_timeline::schedule::{self, SearchOptions};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::mutate::{apply, mutation, Mutation};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, with a generous guard against hangs (not a speed test).
fn bin() -> Command {
    let mut c = Command::cargo_bin("removal-timeline").unwrap();
    c.timeout(Duration::from_secs(60));
    c
}

/// The smallest valid plan: one site with three cameras.
fn minimal() -> Value {
    json!({
        "name": "Minimal",
        "start": "2026-01-05",
        "tiers": [{ "id": "T1", "weight": 1 }],
        "device_types": [{ "id": "cam", "unit_cost": 100, "remove_hours": 1 }],
        "regions": [{ "id": "r" }],
        "crews": [{ "id": "c", "region": "r", "day_rate": 500 }],
        "sites": [{ "id": "s", "region": "r", "tier": "T1", "devices": { "cam": 3 } }]
    })
}

/// `minimal()` with `f` applied.
fn with(f: impl FnOnce(&mut Value)) -> Value {
    let mut v = minimal();
    f(&mut v);
    v
}

fn pretty(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).unwrap()
}

/// A folder holding `plan.json` (and any other files given).
fn folder(plan: &[u8], others: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.json"), plan).unwrap();
    for (name, bytes) in others {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

/// What a rejected input must look like: exit 1, nothing on stdout, every
/// stderr line a located error in `file`, no panic text, short, and every
/// `expected` piece (the field and the value) present.
fn assert_rejected(out: &std::process::Output, file: &str, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ctx = || format!("stderr ({} bytes): {:.2000}", stderr.len(), stderr);
    assert_eq!(out.status.code(), Some(1), "{}", ctx());
    assert!(out.stdout.is_empty(), "{}", ctx());
    assert!(
        !stderr.contains("panicked") && !stderr.contains("internal error"),
        "{}",
        ctx()
    );
    assert!(stderr.len() < 64 * 1024, "{}", ctx());
    let mut errors = 0;
    for line in stderr.lines().filter(|l| !l.starts_with("… and ")) {
        let rest = line
            .strip_prefix(file)
            .and_then(|r| r.strip_prefix(':'))
            .unwrap_or_else(|| panic!("not located in {file}: {line}\n{}", ctx()));
        let mut parts = rest.splitn(3, ':');
        let line_no: usize = parts.next().unwrap().parse().expect("a line number");
        let col: usize = parts.next().unwrap().parse().expect("a column");
        assert!(line_no >= 1 && col >= 1, "{line}");
        let msg = parts.next().unwrap();
        if msg.starts_with(" error: ") {
            errors += 1;
        } else {
            assert!(msg.starts_with(" warning: "), "{line}");
        }
    }
    assert!(errors >= 1, "{}", ctx());
    for e in expected {
        assert!(stderr.contains(e), "missing {e:?}: {}", ctx());
    }
}

/// `validate plan.json` in `dir`.
fn validate(dir: &Path) -> std::process::Output {
    validate_with(dir, &[])
}

/// `validate plan.json` in `dir` with these environment variables set
/// (the loader's limits).
fn validate_with(dir: &Path, env: &[(&str, &str)]) -> std::process::Output {
    bin()
        .args(["validate", "plan.json"])
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A plan that must load: exit 0, with stderr shown if it does not.
fn assert_validates(dir: &Path) {
    assert_validates_with(dir, &[]);
}

fn assert_validates_with(dir: &Path, env: &[(&str, &str)]) {
    let out = validate_with(dir, env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A plan that must be rejected, with the pieces its message must hold.
fn rejects(plan: &[u8], expected: &[&str]) {
    let dir = folder(plan, &[]);
    assert_rejected(&validate(dir.path()), "plan.json", expected);
}

// ---- 9.1: hostile plan files ------------------------------------------

#[test]
fn truncated_json_at_every_tenth_byte() {
    let text = pretty(&minimal());
    let dir = tempfile::tempdir().unwrap();
    for cut in (1..text.len()).step_by(text.len() / 10) {
        std::fs::write(dir.path().join("plan.json"), &text[..cut]).unwrap();
        assert_rejected(&validate(dir.path()), "plan.json", &[]);
    }
    rejects(&text[..text.len() / 2], &["the file ends too early"]);
}

#[test]
fn empty_and_odd_top_levels() {
    rejects(b"", &["plan.json:1:1: error:", "ends too early"]);
    rejects(b"   \n", &["ends too early"]);
    rejects(b"null", &["a plan is a JSON object"]);
    rejects(b"[]", &["a plan is a JSON object ({ ... }), not an array"]);
    rejects(b"{}", &["missing field"]);
    rejects(b"{} {}", &["trailing characters"]);
}

#[test]
fn wrong_types_name_the_field_and_the_value() {
    let v = with(|v| v["tiers"][0]["weight"] = json!("ten"));
    rejects(&pretty(&v), &["tiers[0] (\"T1\").weight", "\"ten\""]);
    let v = with(|v| v["sites"][0]["devices"] = json!(["cam"]));
    rejects(
        &pretty(&v),
        &["sites[0] (\"s\").devices", "expected an object"],
    );
    let v = with(|v| v["start"] = json!(20260105));
    rejects(&pretty(&v), &["start", "20260105"]);
    let v = with(|v| v["crews"][0]["cleared"] = json!("yes"));
    rejects(&pretty(&v), &["crews[0] (\"c\").cleared", "\"yes\""]);
    let v = with(|v| v["sites"] = json!({}));
    rejects(&pretty(&v), &["sites", "expected an array"]);
}

#[test]
fn huge_numbers_are_refused_at_their_value() {
    let v = with(|v| v["device_types"][0]["unit_cost"] = json!(1e308));
    rejects(
        &pretty(&v),
        &["device_types[0] (\"cam\").unit_cost", "1e308"],
    );
    let v = with(|v| v["crews"][0]["day_rate"] = json!(1e308));
    rejects(&pretty(&v), &["crews[0] (\"c\").day_rate", "1e308"]);
    let v = with(|v| v["sites"][0]["devices"]["cam"] = json!(1_000_000_000_000u64));
    rejects(
        &pretty(&v),
        &["sites[0] (\"s\").devices", "1000000000000 devices"],
    );
    let v = with(|v| v["sites"][0]["devices"]["cam"] = json!(-1e308));
    rejects(&pretty(&v), &["sites[0] (\"s\").devices.cam", "-1e308"]);
    let v = with(|v| v["device_types"][0]["lead_time_days"] = json!(1e12));
    rejects(
        &pretty(&v),
        &["device_types[0] (\"cam\").lead_time_days", "1000000000000"],
    );
    let v = with(|v| v["workflow"] = json!({ "package_size": 1e15 }));
    rejects(&pretty(&v), &["workflow.package_size", "1e15"]);
    let v = with(|v| v["device_types"][0]["remove_hours"] = json!(1e300));
    rejects(
        &pretty(&v),
        &["device_types[0] (\"cam\").remove_hours", "1e300"],
    );
    let v = with(|v| {
        v["budget"] =
            json!({ "periods": [{ "from": "2026-01-01", "to": "2026-12-31", "amount": 1e308 }] })
    });
    rejects(&pretty(&v), &["budget.periods[0].amount", "1e308"]);
    // Beyond f64: serde_json's own error, located.
    let text = String::from_utf8(pretty(&minimal()))
        .unwrap()
        .replace("\"unit_cost\": 100", "\"unit_cost\": 1e400");
    rejects(text.as_bytes(), &["number out of range"]);
}

#[test]
fn dates_at_the_edges_of_the_calendar() {
    for (field, date) in [
        ("start", "0000-01-01"),
        ("start", "9999-12-31"),
        ("deadline", "9999-12-31"),
        ("status_date", "0000-01-01"),
        ("status_date", "9999-12-31"),
        ("start", "-0001-01-01"),
        ("start", "+10000-01-01"),
        ("deadline", "2026-13-01"),
    ] {
        let v = with(|v| v[field] = json!(date));
        rejects(&pretty(&v), &[field, date]);
    }
    let v = with(|v| v["sites"][0]["not_before"] = json!("9999-12-31"));
    rejects(&pretty(&v), &["sites[0] (\"s\").not_before", "9999-12-31"]);
    let v = with(|v| v["calendar"] = json!({ "holidays": ["0000-02-29"] }));
    rejects(&pretty(&v), &["calendar.holidays[0]", "0000-02-29"]);
}

#[test]
fn dates_at_the_edges_that_are_valid_still_schedule() {
    // The last supported year, and a status date at the edge of the range
    // with progress on the first day: loads, schedules and verifies.
    for v in [
        with(|v| v["start"] = json!("2199-12-01")),
        with(|v| v["start"] = json!("1900-01-01")),
        with(|v| {
            v["status_date"] = json!("2199-12-31");
            v["progress"] = json!([{ "task": "s/survey", "started": "2026-01-05", "finished": "2026-01-05", "crew": "c" }]);
        }),
        with(|v| {
            v["status_date"] = json!("2026-01-05");
            v["progress"] = json!([{ "task": "s/survey", "started": "2026-01-05", "crew": "c" }]);
        }),
    ] {
        schedules_and_verifies(&v);
    }
}

#[test]
fn empty_lists() {
    for (field, expected) in [
        ("tiers", "tiers: at least one tier"),
        ("sites", "sites"),
        ("regions", "regions"),
        ("device_types", "device_types"),
        ("crews", "crews"),
    ] {
        let v = with(|v| v[field] = json!([]));
        let dir = folder(&pretty(&v), &[]);
        let out = validate(dir.path());
        if out.status.success() {
            // An empty list the format allows must still schedule.
            schedules_and_verifies(&v);
        } else {
            assert_rejected(&out, "plan.json", &[expected]);
        }
    }
    let v = with(|v| v["sites"][0]["devices"] = json!({}));
    schedules_and_verifies(&v);
}

#[test]
fn deep_nesting_is_refused_without_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    rejects(deep.as_bytes(), &["plan.json:1:"]);
    let inside = format!(
        "{{\"name\": {}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    rejects(inside.as_bytes(), &["plan.json:1:"]);
    let objects = "{\"a\":".repeat(100_000);
    rejects(objects.as_bytes(), &["plan.json:1:"]);
}

#[test]
fn non_utf8_bytes_are_located() {
    let mut text = pretty(&minimal());
    let at = text.windows(7).position(|w| w == b"Minimal").unwrap();
    text.splice(at..at, [0xC3, 0x28]);
    let line = text[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let col = at - text[..at].iter().rposition(|&b| b == b'\n').unwrap();
    rejects(
        &text,
        &[&format!("plan.json:{line}:{col}:"), "not valid UTF-8"],
    );
    rejects(
        &[0xFF, 0xFE, b'{', 0, b'}', 0],
        &["plan.json:1:1:", "not valid UTF-8"],
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let mut text = "\u{feff}".as_bytes().to_vec();
    text.extend(pretty(&minimal()));
    let dir = folder(&text, &[]);
    assert_validates(dir.path());
    // Columns count from after the mark, as editors show them.
    let plain = folder(b"{\"name\": 1}", &[]);
    let expected = validate(plain.path());
    let mut bad = "\u{feff}".as_bytes().to_vec();
    bad.extend(b"{\"name\": 1}");
    let dir = folder(&bad, &[]);
    let got = validate(dir.path());
    assert_rejected(&got, "plan.json", &["plan.json:1:", "name", "integer `1`"]);
    assert_eq!(got.stderr, expected.stderr);
}

#[test]
fn megabyte_ids_and_names_are_refused_briefly() {
    let long = "x".repeat(1 << 20);
    let v = with(|v| v["sites"][0]["id"] = json!(long));
    rejects(
        &pretty(&v),
        &["sites[0].id", "1048576 characters", "limit of 200"],
    );
    let v = with(|v| v["sites"][0]["name"] = json!(long));
    rejects(
        &pretty(&v),
        &[
            "sites[0] (\"s\").name",
            "1048576 characters",
            "limit of 1000",
        ],
    );
    // A long reference that matches nothing: no slow suggestion, short message.
    let v = with(|v| {
        v["regions"][0]["id"] = json!(long.clone());
        v["crews"][0]["region"] = json!(format!("{long}y"));
        v["sites"][0]["region"] = json!(format!("{long}z"));
    });
    rejects(&pretty(&v), &["unknown region", "more characters)"]);
    // Two sites with the same long ID.
    let v = with(|v| {
        let s = json!({ "id": long, "region": "r", "tier": "T1", "devices": {} });
        v["sites"] = json!([s.clone(), s]);
    });
    rejects(
        &pretty(&v),
        &["sites[1].id: duplicate ID", "more characters)"],
    );
}

#[test]
fn the_id_and_name_limits_can_be_raised() {
    let v = with(|v| v["sites"][0]["id"] = json!("s".repeat(300)));
    let dir = folder(&pretty(&v), &[]);
    assert_rejected(&validate(dir.path()), "plan.json", &["limit of 200"]);
    assert_validates_with(dir.path(), &[(plan::ENV_MAX_ID_CHARS, "300")]);
    let v = with(|v| v["name"] = json!("n".repeat(1001)));
    let dir = folder(&pretty(&v), &[]);
    assert_rejected(
        &validate(dir.path()),
        "plan.json",
        &["name", "limit of 1000"],
    );
    assert_validates_with(dir.path(), &[(plan::ENV_MAX_NAME_CHARS, "2000")]);
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let text = pretty(&minimal());
    let dir = folder(&text, &[]);
    let out = validate_with(dir.path(), &[(plan::ENV_MAX_FILE_BYTES, "100")]);
    assert_rejected(
        &out,
        "plan.json",
        &[
            "plan.json:1:1:",
            "more than the limit of 100",
            plan::ENV_MAX_FILE_BYTES,
        ],
    );
    // A limit that is not a number is the user's error, located at the file.
    let out = validate_with(dir.path(), &[(plan::ENV_MAX_TASKS, "lots")]);
    assert_rejected(&out, "plan.json", &["REMOVAL_TIMELINE_MAX_TASKS=\"lots\""]);
}

#[test]
fn device_and_task_limits_are_clear_errors() {
    let v = with(|v| v["sites"][0]["devices"]["cam"] = json!(2_000_000));
    rejects(&pretty(&v), &["sites[0] (\"s\").devices", "2000000"]);
    let dir = folder(&pretty(&v), &[]);
    let out = validate_with(
        dir.path(),
        &[
            (plan::ENV_MAX_SITE_DEVICES, "3000000"),
            (plan::ENV_MAX_TASKS, "10"),
        ],
    );
    assert_rejected(&out, "plan.json", &["tasks", plan::ENV_MAX_TASKS]);
}

#[test]
fn duplicate_keys_are_located() {
    let text = br#"{"name": "a", "name": "b", "start": "2026-01-05"}"#;
    rejects(text, &["plan.json:1:15:", "duplicate key \"name\""]);
    let text = String::from_utf8(pretty(&minimal()))
        .unwrap()
        .replace("\"cam\": 3", "\"cam\": 3, \"cam\": 4");
    rejects(
        text.as_bytes(),
        &["sites[0] (\"s\").devices", "duplicate key \"cam\""],
    );
}

#[test]
fn a_plan_path_that_is_a_folder_or_missing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plan.json")).unwrap();
    assert_rejected(
        &validate(dir.path()),
        "plan.json",
        &["cannot read the file"],
    );
    let empty = tempfile::tempdir().unwrap();
    assert_rejected(
        &validate(empty.path()),
        "plan.json",
        &["cannot read the file"],
    );
}

// ---- 9.1: hostile sites CSV -----------------------------------------

/// `minimal()` with its sites in `sites.csv` (path `rel`), and that CSV.
fn csv_plan(rel: &str) -> Vec<u8> {
    pretty(&with(|v| {
        v["sites"] = json!([]);
        v["sites_csv"] = json!(rel);
    }))
}

fn rejects_csv(csv: &[u8], expected: &[&str]) {
    let dir = folder(&csv_plan("sites.csv"), &[("sites.csv", csv)]);
    assert_rejected(&validate(dir.path()), "sites.csv", expected);
}

#[test]
fn csv_ragged_rows_and_odd_quoting() {
    rejects_csv(
        b"id,region,tier,cam\ns1,r,T1,3\ns2,r,T1\n",
        &["sites.csv:3:1:", "the row has 3 cells but the header has 4"],
    );
    rejects_csv(
        b"id,region,tier,cam\ns1,r,T1,3,9\n",
        &["sites.csv:2:1:", "5 cells"],
    );
    // An unterminated quote swallows the rest of the file into one cell.
    rejects_csv(
        b"id,region,tier,cam\n\"s1,r,T1,3\ns2,r,T1,4\n",
        &["sites.csv:2:"],
    );
    // A quote inside a cell, a quoted newline in an ID.
    rejects_csv(
        b"id,region,tier,cam\ns\"1,r,T1,3\n",
        &["sites.csv:2:", "id"],
    );
    rejects_csv(
        b"id,region,tier,cam\n\"s\n1\",r,T1,3\n",
        &["sites.csv:2:", "id"],
    );
    rejects_csv(b"", &["sites.csv:1:1:", "the file is empty"]);
    rejects_csv(
        b"id,region,tier,cam\ns1,r,T1,\xff\n",
        &["sites.csv:2:", "UTF-8"],
    );
    rejects_csv(
        b"id,region,tier,cam\ns1,r,T1,1e12\n",
        &["sites.csv:2:", "devices", "1000000000000"],
    );
}

#[test]
fn csv_with_a_bom_and_quoted_cells_loads() {
    let csv = "\u{feff}id,\"region\",tier,cam\r\n\"s1\",r,T1,\"3\"\r\n\r\ns2, r ,T1,4\r\n";
    let dir = folder(&csv_plan("sites.csv"), &[("sites.csv", csv.as_bytes())]);
    bin()
        .args(["validate", "plan.json"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("sites: 2, devices: 7"));
}

#[test]
fn csv_rows_over_the_limit() {
    let mut csv = String::from("id,region,tier,cam\n");
    for i in 0..20 {
        csv.push_str(&format!("s{i},r,T1,1\n"));
    }
    let dir = folder(&csv_plan("sites.csv"), &[("sites.csv", csv.as_bytes())]);
    let out = validate_with(dir.path(), &[(plan::ENV_MAX_CSV_ROWS, "10")]);
    assert_rejected(
        &out,
        "sites.csv",
        &[
            "sites.csv:12:1:",
            "more than 10 rows",
            plan::ENV_MAX_CSV_ROWS,
        ],
    );
    assert_validates(dir.path());
}

#[test]
fn sites_csv_must_stay_in_the_plans_folder() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.csv");
    std::fs::write(&secret, "id,region,tier\ns,r,T1\n").unwrap();
    for rel in [
        "../secret.csv".to_string(),
        secret.display().to_string(),
        "sub/../../secret.csv".to_string(),
        String::new(),
    ] {
        let dir = folder(&csv_plan(&rel), &[]);
        assert_rejected(
            &validate(dir.path()),
            "plan.json",
            &["sites_csv", "must be a file in the plan's folder"],
        );
    }
    // A folder, and a missing file.
    let dir = folder(&csv_plan("sub"), &[("sub/x.csv", b"")]);
    assert_rejected(
        &validate(dir.path()),
        "plan.json",
        &["sites_csv", "\"sub\""],
    );
    let dir = folder(&csv_plan("missing.csv"), &[]);
    assert_rejected(
        &validate(dir.path()),
        "plan.json",
        &["sites_csv", "\"missing.csv\""],
    );
    // Below the plan's folder is fine.
    let dir = folder(
        &csv_plan("data/sites.csv"),
        &[("data/sites.csv", b"id,region,tier,cam\ns1,r,T1,2\n")],
    );
    assert_validates(dir.path());
}

#[test]
fn progress_csv_hostile_rows() {
    let dir = folder(&pretty(&minimal()), &[]);
    assert!(schedule_into(dir.path(), None).status.success());
    let cases: [(&[u8], &[&str]); 5] = [
        (b"task,started\ns/survey\n", &["progress.csv:2:1:", "cells"]),
        (
            b"task,started\n\"s/survey,2026-01-05\n",
            &["progress.csv:2:"],
        ),
        (
            b"task,started\ns/survey,0000-01-01\n",
            &["progress.csv:2:", "0000-01-01"],
        ),
        (
            b"task,started\ns/survey,2026-01-05,x\n",
            &["progress.csv:2:1:", "3 cells"],
        ),
        (b"", &["progress.csv:1:1:", "empty"]),
    ];
    for (csv, expected) in cases {
        std::fs::write(dir.path().join("progress.csv"), csv).unwrap();
        let out = bin()
            .args([
                "replan",
                "plan.json",
                "--baseline",
                "out/timeline.json",
                "--progress",
                "progress.csv",
                "--status-date",
                "2026-02-02",
                "--out",
                "re",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_rejected(&out, "progress.csv", expected);
    }
    assert!(
        !dir.path().join("re").exists(),
        "nothing written on failure"
    );
}

// ---- 9.1 and 9.4: what a valid but hostile plan publishes -------------

/// Loads, schedules with a small search and verifies (the pipeline refuses
/// any timeline `verify` rejects).
fn schedules_and_verifies(v: &Value) {
    let loaded = plan_str(&v.to_string(), Path::new("plan.json"))
        .unwrap_or_else(|d| panic!("should load:\n{d}"));
    let search = SearchOptions {
        schedules: 3,
        seed: 1,
        time_limit: None,
        progress: None,
    };
    if let Err(e) = schedule_plan(&loaded.plan, &LowerOptions::default(), |p| {
        schedule::solve(p, &search)
    }) {
        panic!("schedule failed: {e}");
    }
}

/// A plan whose every text is hostile: formula starts, markup, control
/// characters, an ID starting with `-` that a spreadsheet reads as `-A1`.
fn hostile_plan() -> Value {
    json!({
        "name": "=HYPERLINK(\"http://evil.invalid\",\"x\") <script>alert(1)</script> & \"q\"",
        "start": "2026-01-05",
        "currency": "<b>£</b>",
        "tiers": [{ "id": "-T1", "name": "+cmd|' /C calc'!A0", "weight": 1 }],
        "device_types": [{ "id": "cam", "name": "\u{0}\u{1b}[31m red \r\n", "unit_cost": 10, "remove_hours": 1 }],
        "regions": [{ "id": "-r", "name": "]]><x/>" }],
        "crews": [{ "id": "-A1", "region": "-r", "day_rate": 100 }],
        "sites": [{ "id": "-B2", "name": "\t=1+1", "region": "-r", "tier": "-T1", "devices": { "cam": 2 } }]
    })
}

#[test]
fn hostile_text_is_neutralised_in_timeline_csv() {
    let v = hostile_plan();
    let dir = folder(&pretty(&v), &[]);
    let run = schedule_into(dir.path(), None);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = dir.path().join("out");
    let csv = std::fs::read_to_string(out.join("timeline.csv")).unwrap();
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("timeline.json")).unwrap()).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let tasks = json["tasks"].as_array().unwrap();
    assert_eq!(rows.len(), tasks.len());
    for (row, task) in rows.iter().zip(tasks) {
        for cell in row.iter() {
            assert!(
                !matches!(
                    cell.chars().next(),
                    Some('=' | '+' | '-' | '@' | '\t' | '\r')
                ),
                "a cell a spreadsheet would evaluate: {cell:?}"
            );
        }
        // Dropping the one leading apostrophe gives the JSON's value back.
        let back = |s: &str| s.strip_prefix('\'').unwrap_or(s).to_string();
        assert_eq!(back(&row[0]), task["id"].as_str().unwrap());
        assert_eq!(back(&row[1]), task["site"].as_str().unwrap());
        assert_eq!(row[1].to_string(), "'-B2");
        if let Some(c) = task["crew"].as_str() {
            assert_eq!(back(&row[8]), c);
            assert_eq!(&row[8], "'-A1");
        }
    }
    // Nothing else in the bundle carries live markup from the plan.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>alert"), "report.html");
    assert!(!html.contains("<b>£</b>"), "report.html");
    for e in walk(&out) {
        let name = e.display().to_string();
        if name.ends_with(".svg") || name.ends_with(".xml") || name.ends_with(".html") {
            let text = std::fs::read_to_string(&e).unwrap();
            assert!(!text.contains("<script>alert"), "{name}");
            assert!(!text.contains("]]><x/>"), "{name}");
            assert!(!text.contains('\u{1b}'), "{name}: a raw escape character");
        }
        if name.ends_with(".svg") || name.ends_with(".xml") {
            // Well-formed XML: quick-xml reads it to the end.
            let text = std::fs::read_to_string(&e).unwrap();
            let mut r = quick_xml::Reader::from_str(&text);
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(err) => panic!("{name}: {err}"),
                }
            }
        }
        if name.ends_with(".csv") {
            let text = std::fs::read_to_string(&e).unwrap();
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            for r in rdr.records() {
                for cell in r.unwrap().iter() {
                    let formula =
                        matches!(cell.chars().next(), Some('=' | '+' | '@' | '\t' | '\r'))
                            || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                    assert!(!formula, "{name}: {cell:?}");
                }
            }
        }
    }
    bin()
        .args(["verify", "plan.json", "out/timeline.json", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

// ---- 9.3: atomic writes, inputs untouched -----------------------------

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn schedule_into(dir: &Path, extra_env: Option<(&str, &str)>) -> std::process::Output {
    let mut c = bin();
    c.args([
        "schedule",
        "plan.json",
        "--out",
        "out",
        "--effort",
        "2",
        "-q",
    ])
    .current_dir(dir);
    if let Some((k, v)) = extra_env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn a_failing_write_leaves_the_previous_bundle_intact() {
    let dir = folder(&pretty(&minimal()), &[]);
    assert!(schedule_into(dir.path(), None).status.success());
    let before = snapshot(&dir.path().join("out"));
    assert!(before.len() > 5);
    // The plan changes; the next run fails while writing its last file.
    let v = with(|v| v["sites"][0]["devices"]["cam"] = json!(30));
    std::fs::write(dir.path().join("plan.json"), pretty(&v)).unwrap();
    let last = before
        .last()
        .unwrap()
        .0
        .strip_prefix(dir.path().join("out"))
        .unwrap();
    let out = schedule_into(
        dir.path(),
        Some(("REMOVAL_TIMELINE_TEST_FAIL_WRITE", last.to_str().unwrap())),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    assert_eq!(
        snapshot(&dir.path().join("out")),
        before,
        "nothing changed, no temporary files"
    );
    // A folder where an output file goes is found before anything is renamed.
    std::fs::remove_file(dir.path().join("out/timeline.json")).unwrap();
    std::fs::create_dir(dir.path().join("out/timeline.json")).unwrap();
    let kept = snapshot(&dir.path().join("out"));
    let out = schedule_into(dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a folder"));
    assert_eq!(snapshot(&dir.path().join("out")), kept);
    // And once it is fixed the run succeeds and replaces the bundle.
    std::fs::remove_dir(dir.path().join("out/timeline.json")).unwrap();
    assert!(schedule_into(dir.path(), None).status.success());
    assert_ne!(snapshot(&dir.path().join("out")), before);
}

#[test]
fn out_keeps_unrelated_files_and_inputs_are_never_modified() {
    let dir = folder(
        &pretty(&minimal()),
        &[("out/notes.txt", b"mine"), ("out/charts/old.png", b"x")],
    );
    let plan_before = std::fs::read(dir.path().join("plan.json")).unwrap();
    assert!(schedule_into(dir.path(), None).status.success());
    assert_eq!(
        std::fs::read(dir.path().join("out/notes.txt")).unwrap(),
        b"mine"
    );
    assert_eq!(
        std::fs::read(dir.path().join("out/charts/old.png")).unwrap(),
        b"x"
    );
    assert_eq!(
        std::fs::read(dir.path().join("plan.json")).unwrap(),
        plan_before
    );
    // replan reads the plan, the baseline and progress and changes none.
    std::fs::copy(
        dir.path().join("out/timeline.json"),
        dir.path().join("base.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("progress.csv"),
        "task,started,finished,crew\ns/survey,2026-01-05,2026-01-05,c\n",
    )
    .unwrap();
    let inputs = ["plan.json", "base.json", "progress.csv"]
        .map(|f| std::fs::read(dir.path().join(f)).unwrap());
    bin()
        .args([
            "replan",
            "plan.json",
            "--baseline",
            "base.json",
            "--progress",
            "progress.csv",
            "--status-date",
            "2026-01-06",
            "--out",
            "re",
            "--effort",
            "2",
            "-q",
        ])
        .current_dir(dir.path())
        .assert()
        .success();
    for (f, b) in ["plan.json", "base.json", "progress.csv"]
        .iter()
        .zip(&inputs)
    {
        assert_eq!(
            &std::fs::read(dir.path().join(f)).unwrap(),
            b,
            "{f} changed"
        );
    }
    // An --out that would overwrite an input is refused, the input kept.
    std::fs::copy(
        dir.path().join("plan.json"),
        dir.path().join("timeline.json"),
    )
    .unwrap();
    let out = bin()
        .args([
            "schedule",
            "timeline.json",
            "--out",
            ".",
            "--effort",
            "2",
            "-q",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is an input file"));
    assert_eq!(
        std::fs::read(dir.path().join("timeline.json")).unwrap(),
        plan_before
    );
}

// ---- broken pipe -------------------------------------------------------

/// Runs the binary with stdout a pipe whose reader is already gone, so
/// that its first write fails with EPIPE (what `| head -1` does to a long
/// output, without the race).
fn with_stdout_closed(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    std::process::Command::new(env!("CARGO_BIN_EXE_removal-timeline"))
        .args(args)
        .current_dir(root())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    for args in [
        &["schema"][..],
        &["generate", "--sites", "300"],
        &["psplib", "tests/data/psplib/j30", "--schedules", "1"],
        &["validate", "plans/tutorial.json"],
    ] {
        let out = with_stdout_closed(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

// ---- property test: mutated valid plans ---------------------------------

fn check_mutated(base: &Value, muts: &[(usize, Mutation)]) -> Result<(), TestCaseError> {
    let mut v = base.clone();
    for m in muts {
        apply(&mut v, m);
    }
    let text = serde_json::to_string_pretty(&v).unwrap();
    let path = Path::new("mutated.json");
    match plan_str(&text, path) {
        Err(d) => {
            prop_assert!(!d.0.is_empty());
            for e in &d.0 {
                prop_assert_eq!(e.file.as_path(), path);
                prop_assert!(e.line >= 1 && e.col >= 1, "{}", e);
                prop_assert!(e.line <= text.lines().count().max(1), "{}", e);
                prop_assert!(!e.message.is_empty());
            }
        }
        Ok(loaded) => {
            let search = SearchOptions {
                schedules: 2,
                seed: 1,
                time_limit: None,
                progress: None,
            };
            let r = schedule_plan(&loaded.plan, &LowerOptions::default(), |p| {
                schedule::solve(p, &search)
            });
            prop_assert!(r.is_ok(), "{}\nplan:\n{}", r.err().unwrap(), text);
            check_risk(&loaded.plan, &r.unwrap(), &text)?;
        }
    }
    Ok(())
}

/// `risk` on a plan that scheduled: a few samples, then its whole bundle
/// (figures, tornado, report) renders.
fn check_risk(
    plan: &plan::Plan,
    done: &removal_timeline::pipeline::Scheduled,
    text: &str,
) -> Result<(), TestCaseError> {
    let r = removal_timeline::risk::assess(
        &removal_timeline::risk::Inputs {
            plan,
            network: &done.network,
            lower: &LowerOptions::default(),
            solution: &done.solution,
            timeline: &done.timeline,
        },
        &removal_timeline::risk::RiskOptions {
            samples: 20,
            seed: 1,
            threads: 1,
        },
        &|_, _| {},
    );
    let files = removal_timeline::cli::risk::bundle(plan, done, &r);
    prop_assert!(files.is_ok(), "{}\nplan:\n{}", files.err().unwrap(), text);
    Ok(())
}

fn plan_value(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("plans").join(name)).unwrap())
        .unwrap()
}

proptest! {
    #![proptest_config(crate::proptest_seed::config(96))]

    #[test]
    fn mutated_tutorial_plans_load_or_fail_located(muts in prop::collection::vec(mutation(), 1..4)) {
        check_mutated(&plan_value("tutorial.json"), &muts)?;
    }
}

proptest! {
    #![proptest_config(crate::proptest_seed::config(32))]

    #[test]
    fn mutated_example_plans_load_or_fail_located(muts in prop::collection::vec(mutation(), 1..4)) {
        check_mutated(&plan_value("example.json"), &muts)?;
    }
}

// ---- cases found by the fuzz targets ------------------------------------

/// A fuzz case: `fuzz/` found it; the fixture is the input as found.
fn fuzz_case(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/robust").join(name)).unwrap()
}

/// scheduler target: a status date 34 years after the start with a task in
/// progress made a timeline running past the 20-year horizon, which
/// `verify` refused (exit 3, an internal error). Now a located error.
#[test]
fn fuzz_progress_past_the_horizon_is_refused() {
    let plan = fuzz_case("fuzz-progress-past-horizon.json");
    rejects(
        &plan,
        &[
            "plan.json:23:87:",
            "progress[2] (\"a/install/1\").remaining_days",
            "\"a/install/1\" would finish on 2060-03-02",
            "2046-01-05",
        ],
    );
    // A finished task past the horizon too.
    let mut v: Value = serde_json::from_slice(&plan).unwrap();
    v["progress"][2]["finished"] = json!("2050-01-03");
    v["progress"][2]
        .as_object_mut()
        .unwrap()
        .remove("remaining_days");
    rejects(
        &pretty(&v),
        &["progress[2] (\"a/install/1\").finished", "2050-01-03"],
    );
    // Just inside the horizon it schedules and verifies.
    v["status_date"] = json!("2045-12-20");
    v["progress"][2]["finished"] = json!("2045-12-19");
    schedules_and_verifies(&v);
}

#[test]
fn a_hostile_scenario_name_is_neutralised_in_the_comparison() {
    let name = "=HYPERLINK(\"http://evil.invalid\")<script>x</script>|";
    let scenario = serde_json::to_vec(&json!({ "name": name })).unwrap();
    let dir = folder(&pretty(&minimal()), &[("s.json", &scenario)]);
    let out = bin()
        .args([
            "compare",
            "plan.json",
            "--scenario",
            "s.json",
            "--out",
            "cmp",
            "--effort",
            "2",
            "-q",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(dir.path().join("cmp/comparison.md")).unwrap();
    assert!(!md.contains("<script>"), "{md}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), md);
    let csv = std::fs::read_to_string(dir.path().join("cmp/comparison.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let names: Vec<String> = rdr.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(names.len(), 2, "{csv}");
    assert_eq!(names[1], format!("'{name}"));
}

/// A price with more than two decimals: a task's cost is Σ count × price
/// computed exactly and rounded to the cent once, not per unit (0.125 × 3
/// is 0.38, not 3 × 0.13 = 0.39; 0.0025 × 3 is 0.01, not 0).
#[test]
fn prices_with_more_than_two_decimals_are_rounded_once_per_task() {
    let v = with(|v| {
        v["device_types"][0]["unit_cost"] = json!(0.125);
        v["device_types"][0]["disposal_cost"] = json!(0.0025);
        v["device_types"][0]["replace"] = json!(true);
        v["device_types"][0]["install_hours"] = json!(1);
        v["workflow"] = json!({ "disposal_days": 1 });
    });
    let dir = folder(&pretty(&v), &[]);
    bin()
        .current_dir(dir.path())
        .args(["schedule", "plan.json", "--out", "out", "-q"])
        .assert()
        .success();
    bin()
        .current_dir(dir.path())
        .args(["verify", "plan.json", "out/timeline.json", "-q"])
        .assert()
        .success();
    let tl: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/timeline.json")).unwrap())
            .unwrap();
    let cost = |id: &str| {
        tl["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("no task {id}"))["cost"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(cost("s/procure"), 0.38);
    assert_eq!(cost("s/dispose"), 0.01);
}
