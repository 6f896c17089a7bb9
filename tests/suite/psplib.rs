//! Integration tests: psplib. Real PSPLIB instances through the same core
//! plans use; every schedule is checked for precedence and for capacity at
//! every time unit by the instance's own checker.

use assert_cmd::Command;
use removal_timeline::psplib::{self, Instance};
use removal_timeline::schedule::{solve, SearchOptions};
use std::path::PathBuf;

/// A few PSPLIB J30 instances (and the optima) are kept in `tests/data/` so
/// the tests need nothing outside the repository; the whole benchmark in
/// `../shared/psplib/` is for `benches/psplib.sh`.
fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/psplib")
        .join(rel)
}

fn load(name: &str) -> Instance {
    let text = std::fs::read_to_string(data(&format!("j30/{name}.sm"))).expect("instance readable");
    psplib::parse(&text).expect("instance parses")
}

fn optimum(name: &str) -> i32 {
    let text = std::fs::read_to_string(data("j30/optimum.csv")).unwrap();
    match psplib::parse_reference(&text).unwrap()[name] {
        psplib::Reference::Optimum(v) => v,
        r => panic!("{r:?}"),
    }
}

fn makespan(inst: &Instance, schedules: u64, seed: u64) -> (i32, Vec<i32>) {
    let sol = solve(
        &inst.to_problem(),
        &SearchOptions {
            schedules,
            seed,
            ..SearchOptions::default()
        },
    );
    let starts = inst.starts(&sol).expect("every job scheduled");
    inst.check(&starts)
        .unwrap_or_else(|e| panic!("invalid schedule: {e}"));
    assert_eq!(
        sol.score.finish,
        inst.makespan(&starts),
        "the score's finish is the makespan"
    );
    assert!(sol.schedules <= schedules.max(1));
    (inst.makespan(&starts), starts)
}

#[test]
fn every_schedule_of_several_instances_is_valid() {
    for name in ["j301_1", "j3013_4", "j3025_7", "j3037_2", "j3046_10"] {
        let inst = load(name);
        for schedules in [1, 7, 100] {
            let (m, _) = makespan(&inst, schedules, 3);
            assert!(m >= optimum(name), "{name}: {m} beats the optimum");
        }
    }
}

#[test]
fn search_reaches_the_optimum_on_easy_instances() {
    for name in ["j301_1", "j302_1"] {
        let inst = load(name);
        let (single, _) = makespan(&inst, 1, 1);
        let (best, _) = makespan(&inst, 1000, 1);
        assert!(
            single > optimum(name),
            "{name}: the single pass is not already optimal"
        );
        assert_eq!(best, optimum(name), "{name}");
    }
}

/// The search stops once its best schedule is as short as the critical
/// path or a pool's work allows: no schedule could be shorter. Where the
/// optimum is above those bounds it spends the whole budget.
#[test]
fn search_stops_early_only_at_a_proven_optimum() {
    let bounded = load("j3010_5");
    let (single, _) = makespan(&bounded, 1, 1);
    assert!(single > optimum("j3010_5"), "the search has work to do");
    let sol = solve(&bounded.to_problem(), &budget(5000));
    let (best, _) = makespan(&bounded, 5000, 1);
    assert_eq!(best, optimum("j3010_5"));
    assert!(sol.schedules < 1000, "stopped at {}", sol.schedules);

    let above = load("j3013_4");
    let sol = solve(&above.to_problem(), &budget(2000));
    assert_eq!(sol.schedules, 2000, "no proof, so the whole budget");
}

fn budget(schedules: u64) -> SearchOptions {
    SearchOptions {
        schedules,
        seed: 1,
        ..SearchOptions::default()
    }
}

#[test]
fn the_same_seed_gives_the_same_schedule() {
    let inst = load("j3011_1");
    assert_eq!(makespan(&inst, 300, 9), makespan(&inst, 300, 9));
}

#[test]
fn the_command_prints_one_line_per_instance_and_a_summary() {
    let out = tempfile::tempdir().unwrap();
    let assert = Command::cargo_bin("removal-timeline")
        .unwrap()
        .arg("psplib")
        .arg(data("j30/j301_1.sm"))
        .arg(data("j30/j301_5.sm"))
        .args(["--schedules", "200", "--reference"])
        .arg(data("j30/optimum.csv"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    let fields: Vec<&str> = lines[0].split(' ').collect();
    assert_eq!(fields[0], "j301_1");
    assert_eq!(fields[2], "reference=43");
    assert_eq!(fields[4], "schedules=200");
    let m: i32 = fields[1]
        .strip_prefix("makespan=")
        .unwrap()
        .parse()
        .unwrap();
    let dev = (m - 43) as f64 / 43.0 * 100.0;
    assert_eq!(fields[3], format!("dev_pct={dev:.2}"));
    let last = lines[2];
    assert!(last.starts_with("instances=2 avg_dev_pct="), "{last}");
    assert!(
        last.contains(" optimal=") && last.contains(" avg_ms="),
        "{last}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("j301_1.json")).unwrap())
            .unwrap();
    assert_eq!(json["makespan"], m);
    let starts: Vec<i32> = json["starts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap() as i32)
        .collect();
    assert_eq!(starts.len(), 32, "every job, dummies included");
    load("j301_1").check(&starts).unwrap();
    assert_eq!(starts[31], m, "the sink starts at the makespan");
    // Written as a bundle: the manifest names both files with their SHA-256.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["format"], "removal-timeline-manifest/1");
    let files = manifest["files"].as_object().unwrap();
    let names: Vec<&str> = files.keys().map(|k| k.as_str()).collect();
    assert_eq!(names, ["j301_1.json", "j301_5.json"]);
    for (name, sha) in files {
        let bytes = std::fs::read(out.path().join(name)).unwrap();
        assert_eq!(sha.as_str().unwrap(), sha256_hex(&bytes), "{name}");
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_broken_file_is_an_input_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.sm");
    let text = std::fs::read_to_string(data("j30/j301_1.sm"))
        .unwrap()
        .replace("  3      1     4 ", "  3      1     z ");
    std::fs::write(&path, text).unwrap();
    Command::cargo_bin("removal-timeline")
        .unwrap()
        .arg("psplib")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("bad.sm:57:").and(predicates::str::contains("`z`")));
}

use predicates::prelude::PredicateBooleanExt;
