//! Integration tests: robustness, second round (issue 22). Inputs are never
//! overwritten, every read is bounded and never blocks, Markdown and the
//! terminal get no injected markup or escape sequences, and a bundle is
//! whole: `manifest.json` written last, `--out` locked, a mixed bundle
//! refused, a killed run's leftovers and an older bundle's extra files
//! removed by the next run — checked by killing runs at random moments.

use assert_cmd::Command;
use rand::{Rng, SeedableRng};
use removal_timeline::cli::manifest::{sha256_file, Manifest, MANIFEST};
use removal_timeline::cli::output::{ENV_STOP_AFTER_RENAMES, LOCK};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::cargo_bin("removal-timeline").unwrap();
    c.timeout(Duration::from_secs(60));
    c
}

fn exe() -> PathBuf {
    assert_cmd::cargo::cargo_bin("removal-timeline")
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

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn pretty(v: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(v).unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir`, relative, `/`-separated, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn temporaries(dir: &Path) -> Vec<String> {
    files(dir)
        .into_iter()
        .filter(|f| {
            f.rsplit('/')
                .next()
                .unwrap()
                .starts_with(".removal-timeline-")
        })
        .collect()
}

/// The folder holds exactly its manifest's files (plus the manifest and
/// the lock), each matching its SHA-256.
fn assert_whole(out: &Path) -> Manifest {
    let m = Manifest::read(&out.join(MANIFEST)).expect("a manifest");
    assert_eq!(m.format, "removal-timeline-manifest/1");
    assert_eq!(m.mismatches(out), Vec::<String>::new());
    let mut want: Vec<String> = m.files.keys().cloned().collect();
    want.extend([LOCK.to_string(), MANIFEST.to_string()]);
    want.sort();
    assert_eq!(files(out), want, "exactly the bundle's files");
    m
}

#[test]
fn issue22_an_input_in_the_out_folder_is_never_overwritten() {
    // The sites spreadsheet is called timeline.csv and --out is the plan's
    // own folder: refused, nothing written, the spreadsheet intact.
    let dir = tempfile::tempdir().unwrap();
    let mut v = minimal();
    v["sites"] = json!([]);
    v["sites_csv"] = json!("timeline.csv");
    write(dir.path(), "plan.json", &pretty(&v));
    let csv = b"id,region,tier,cam\ns,r,T1,3\n";
    write(dir.path(), "timeline.csv", csv);
    let o = bin()
        .args(["schedule", "plan.json", "--out", ".", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("is an input file"), "{}", stderr(&o));
    assert_eq!(std::fs::read(dir.path().join("timeline.csv")).unwrap(), csv);
    assert_eq!(files(dir.path()), [LOCK, "plan.json", "timeline.csv"]);

    // A progress file named like an output of replan, and a scenario named
    // like an output of compare, in the --out folder: refused too.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.json", &pretty(&minimal()));
    bin()
        .args(["schedule", "plan.json", "--out", "base", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
    let progress = br#"{"progress": []}"#;
    write(dir.path(), "out/diff.json", progress);
    let o = bin()
        .args(["replan", "plan.json", "--baseline", "base/timeline.json"])
        .args(["--progress", "out/diff.json", "--out", "out", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.path().join("out/diff.json")).unwrap(),
        progress
    );
    let scenario = br#"{"name": "more"}"#;
    write(dir.path(), "cmp/comparison.md", scenario);
    let o = bin()
        .args(["compare", "plan.json", "--scenario", "cmp/comparison.md"])
        .args(["--out", "cmp", "-q", "--effort", "1"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.path().join("cmp/comparison.md")).unwrap(),
        scenario
    );
    assert_eq!(files(&dir.path().join("cmp")), [LOCK, "comparison.md"]);
}

#[cfg(unix)]
#[test]
fn issue22_reads_are_bounded_and_never_block() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.json", &pretty(&minimal()));
    bin()
        .args(["schedule", "plan.json", "--out", "out", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let cases: Vec<Vec<&str>> = vec![
        vec!["validate", "/dev/zero"],
        vec!["validate", "fifo"],
        vec!["verify", "plan.json", "fifo"],
        vec!["verify", "plan.json", "/dev/zero"],
        vec!["diff", "out/timeline.json", "fifo"],
        vec!["compare", "plan.json", "--scenario", "fifo", "--out", "c"],
        vec!["compare", "fifo"],
        vec!["replan", "plan.json", "--baseline", "out/timeline.json"],
        vec!["psplib", "fifo"],
        vec!["psplib", "/dev/zero"],
        vec!["psplib", "plan.json", "--reference", "fifo"],
    ];
    for args in cases {
        let mut args = args.clone();
        if args[0] == "replan" {
            args.extend(["--progress", "fifo", "--out", "r"]);
        }
        let t0 = Instant::now();
        let o = bin()
            .args(&args)
            .current_dir(dir.path())
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not a regular file"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(t0.elapsed() < Duration::from_secs(15), "{args:?} blocked");
    }
    // A scenario is held to the file size limit as a plan is.
    write(
        dir.path(),
        "big.json",
        format!("{{\"name\": \"{}\"}}", "x".repeat(1000)).as_bytes(),
    );
    let o = bin()
        .args([
            "compare",
            "plan.json",
            "--scenario",
            "big.json",
            "--out",
            "c",
        ])
        .env("REMOVAL_TIMELINE_MAX_FILE_BYTES", "600")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("big.json:1:1: error: the file is 1012 bytes, more than the limit of 600"),
        "{}",
        stderr(&o)
    );
}

/// Hostile text in every field that reaches Markdown or the terminal.
const HOSTILE: &str = "<script>alert(1)</script>\n| x | y |\u{0}\u{1b}]0;pwned\u{7}\u{1b}[2J<img src=x onerror=alert(1)>";

#[test]
fn issue22_markdown_and_terminal_get_no_markup_or_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = minimal();
    v["name"] = json!(HOSTILE);
    v["currency"] = json!("<img src=x onerror=alert(2)>");
    v["sites"][0]["name"] = json!(HOSTILE);
    v["sites"].as_array_mut().unwrap().push(
        json!({ "id": "t", "name": HOSTILE, "region": "r", "tier": "T1", "devices": { "cam": 2 } }),
    );
    write(dir.path(), "plan.json", &pretty(&v));
    write(dir.path(), "s.json", &pretty(&json!({ "name": HOSTILE })));
    let run = |args: &[&str]| {
        let o = bin().args(args).current_dir(dir.path()).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        o
    };
    let mut printed = vec![run(&["schedule", "plan.json", "--out", "a"])];
    // The second timeline moves the second site, so the diff names it.
    v["sites"][1]["devices"]["cam"] = json!(40);
    write(dir.path(), "plan.json", &pretty(&v));
    printed.push(run(&[
        "replan",
        "plan.json",
        "--baseline",
        "a/timeline.json",
        "--out",
        "b",
    ]));
    printed.push(run(&["diff", "a/timeline.json", "b/timeline.json"]));
    printed.push(run(&[
        "compare",
        "plan.json",
        "--scenario",
        "s.json",
        "--out",
        "c",
        "--effort",
        "1",
    ]));
    for o in &printed {
        for stream in [&o.stdout, &o.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "control characters printed: {text:?}"
            );
        }
    }
    let base = dir.path();
    let mds: Vec<PathBuf> = ["a", "b", "c"]
        .iter()
        .flat_map(|d| {
            files(&base.join(d))
                .into_iter()
                .filter(|f| f.ends_with(".md"))
                .map(move |f| base.join(d).join(f))
        })
        .collect();
    assert!(mds.len() >= 5, "{mds:?}");
    for md in mds {
        let text = std::fs::read_to_string(&md).unwrap();
        for bad in ["<script", "<img", "| x | y |"] {
            assert!(!text.contains(bad), "{}: {bad} in {text}", md.display());
        }
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{}: control characters",
            md.display()
        );
        // Every table row has as many cells as its header.
        let mut cells = None;
        for line in text.lines() {
            if !line.starts_with('|') {
                cells = None;
                continue;
            }
            let n = line.replace("\\|", "").matches('|').count();
            assert_eq!(*cells.get_or_insert(n), n, "{}: {line}", md.display());
        }
    }
}

#[test]
fn issue22_the_manifest_lists_every_file_and_a_mixed_bundle_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.json", &pretty(&minimal()));
    bin()
        .args(["schedule", "plan.json", "--out", "out", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
    let out = dir.path().join("out");
    let m = assert_whole(&out);
    assert_eq!(
        m.command,
        [
            "removal-timeline",
            "schedule",
            "plan.json",
            "--out",
            "out",
            "-q"
        ]
    );
    assert!(m.files.contains_key("public/report.md"), "{:?}", m.files);
    for (rel, sha) in &m.files {
        assert_eq!(&sha256_file(&out.join(rel)).unwrap(), sha);
    }
    // A replan into its own folder, then a schedule into that folder: the
    // replan's diff.md and diff.json are not part of the new bundle.
    bin()
        .args([
            "replan",
            "plan.json",
            "--baseline",
            "out/timeline.json",
            "--out",
            "r",
            "-q",
        ])
        .current_dir(dir.path())
        .assert()
        .success();
    assert!(assert_whole(&dir.path().join("r"))
        .files
        .contains_key("diff.md"));
    bin()
        .args(["schedule", "plan.json", "--out", "r", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert!(!assert_whole(&dir.path().join("r"))
        .files
        .contains_key("diff.md"));
    assert!(!dir.path().join("r/diff.md").exists());

    // A chart from another run: verify, diff and replan refuse the bundle.
    std::fs::write(out.join("gantt.png"), b"another run's chart").unwrap();
    for args in [
        vec!["verify", "plan.json", "out/timeline.json"],
        vec!["diff", "out/timeline.json", "r/timeline.json"],
        vec!["diff", "r/timeline.json", "out/timeline.json"],
        vec![
            "replan",
            "plan.json",
            "--baseline",
            "out/timeline.json",
            "--out",
            "x",
        ],
    ] {
        let o = bin().args(&args).current_dir(dir.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = stderr(&o);
        assert!(
            e.contains("is mixed") && e.contains("gantt.png (changed)"),
            "{e}"
        );
        assert!(
            e.contains("removal-timeline schedule plan.json --out out -q"),
            "{e}"
        );
    }
    assert!(
        !dir.path().join("x").exists(),
        "the refused replan wrote nothing"
    );
}

#[test]
fn issue22_a_run_stopped_between_renames_is_refused_then_repaired() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.json", &pretty(&minimal()));
    let schedule = |seed: &str, env: Option<&str>| {
        let mut c = bin();
        c.args([
            "schedule",
            "plan.json",
            "--out",
            "out",
            "-q",
            "--seed",
            seed,
        ])
        .current_dir(dir.path());
        if let Some(n) = env {
            c.env(ENV_STOP_AFTER_RENAMES, n);
        }
        c.output().unwrap()
    };
    assert!(schedule("1", None).status.success());
    // The plan changes; the next run dies after five renames.
    let mut v = minimal();
    v["sites"][0]["devices"]["cam"] = json!(30);
    write(dir.path(), "plan.json", &pretty(&v));
    let o = schedule("2", Some("5"));
    assert_eq!(o.status.code(), Some(137));
    let out = dir.path().join("out");
    assert!(
        !temporaries(&out).is_empty(),
        "the killed run left its files"
    );
    let m = Manifest::read(&out.join(MANIFEST)).unwrap();
    assert!(!m.mismatches(&out).is_empty());
    let o = bin()
        .args(["verify", "plan.json", "out/timeline.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is mixed"), "{}", stderr(&o));
    // The next run removes the leftovers and writes the bundle whole.
    assert!(schedule("2", None).status.success());
    assert_eq!(temporaries(&out), Vec::<String>::new());
    assert_whole(&out);
    bin()
        .args(["verify", "plan.json", "out/timeline.json", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
}

#[cfg(unix)]
#[test]
fn issue22_a_second_run_into_a_locked_folder_fails_at_once() {
    use fs4::fs_std::FileExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "plan.json", &pretty(&minimal()));
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let lock = std::fs::File::create(dir.path().join("out").join(LOCK)).unwrap();
    assert!(lock.try_lock_exclusive().unwrap());
    let o = bin()
        .args(["schedule", "plan.json", "--out", "out", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("another removal-timeline run is writing to out"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&dir.path().join("out")), [LOCK]);
    FileExt::unlock(&lock).unwrap();
    bin()
        .args(["schedule", "plan.json", "--out", "out", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
}

/// kill -9 at seeded random moments while a 3,000-site plan is scheduled
/// into a folder holding a previous bundle. After each kill the folder is
/// either a whole bundle (its manifest matches every file, and `verify`
/// accepts the timeline with the plan the manifest names) or is refused
/// as mixed; then the next run (a small plan, so the test stays fast)
/// leaves no temporary file and a whole bundle, the big bundle's extra
/// files removed.
#[cfg(unix)]
#[test]
fn issue22_kill_9_at_random_moments_never_leaves_a_bundle_that_passes_for_whole() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let big = bin()
        .args(["generate", "--sites", "3000", "--seed", "22"])
        .output()
        .unwrap();
    assert!(big.status.success());
    write(p, "big.json", &big.stdout);
    write(p, "small.json", &pretty(&minimal()));
    let schedule = |plan: &str| {
        let mut c = std::process::Command::new(exe());
        c.args(["schedule", plan, "--out", "out", "-q", "--effort", "1"])
            .current_dir(p)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        c
    };
    let verify = |out: &Path| {
        let m = Manifest::read(&out.join(MANIFEST)).unwrap();
        let plan = m.command[2].clone();
        std::process::Command::new(exe())
            .args(["verify", &plan, "out/timeline.json", "-q"])
            .current_dir(p)
            .output()
            .unwrap()
    };
    let out = p.join("out");
    let t0 = Instant::now();
    assert!(schedule("big.json").status().unwrap().success());
    let run = t0.elapsed();
    assert_whole(&out);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(22);
    let (mut whole, mut mixed) = (0, 0);
    for _ in 0..20 {
        let mut child = schedule("big.json").spawn().unwrap();
        std::thread::sleep(run.mul_f64(rng.gen_range(0.0..1.1)));
        let _ = child.kill();
        child.wait().unwrap();
        let m = Manifest::read(&out.join(MANIFEST)).expect("a manifest is always there");
        let v = verify(&out);
        if m.mismatches(&out).is_empty() {
            whole += 1;
            assert!(v.status.success(), "{}", stderr(&v));
        } else {
            mixed += 1;
            assert_eq!(v.status.code(), Some(1));
            assert!(stderr(&v).contains("is mixed"), "{}", stderr(&v));
        }
        assert!(schedule("small.json").status().unwrap().success());
        assert_eq!(temporaries(&out), Vec::<String>::new());
        assert_whole(&out);
        assert!(verify(&out).status.success());
    }
    eprintln!("kill -9: {whole} whole, {mixed} refused as mixed");
}

#[test]
fn issue22_generate_refuses_a_huge_site_count() {
    for n in ["2000000", "18446744073709551615"] {
        let o = bin().args(["generate", "--sites", n]).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{n}");
        assert!(
            stderr(&o).contains("give a number from 1 to 300000"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn issue22_the_documented_limits_are_the_ones_in_force() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = |name: &str| std::fs::read_to_string(root.join("docs").join(name)).unwrap();
    let max_tasks = removal_timeline::plan::Limits::default().max_tasks;
    let row = format!(
        "| tasks the plan expands into | {} | `REMOVAL_TIMELINE_MAX_TASKS` |",
        removal_timeline::words::int(max_tasks)
    );
    assert!(doc("plan-format.md").contains(&row), "{row}");
    assert!(doc("plan-format.md").contains(&format!(
        "{} tasks come to about",
        removal_timeline::words::int(max_tasks)
    )));
    let sites = removal_timeline::generate::MAX_SITES as u64;
    let line = format!(
        "`generate --sites N` (1 to {})",
        removal_timeline::words::int(sites)
    );
    assert!(doc("cli.md").contains(&line), "{line}");
    // A generated plan of the most sites is within the task limit.
    assert!(sites * 8 <= max_tasks);
}

#[cfg(unix)]
#[test]
fn issue22_a_full_stderr_is_not_a_panic() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut v = minimal();
    // A warning (a site with no devices) and then an error.
    v["sites"][0]["devices"] = json!({});
    write(dir.path(), "plan.json", &pretty(&v));
    for args in [
        vec!["validate", "missing.json"],
        vec!["validate", "plan.json"],
    ] {
        let status = std::process::Command::new(exe())
            .args(&args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(full())
            .status()
            .unwrap();
        assert!(matches!(status.code(), Some(0 | 1)), "{args:?}: {status:?}");
    }
}

#[cfg(unix)]
#[test]
fn issue22_a_sites_csv_linking_out_of_the_folder_is_refused_without_quoting_it() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.txt",
        b"root:x:0:0:secret-line:/root:/bin/bash\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let mut v = minimal();
    v["sites"] = json!([]);
    v["sites_csv"] = json!("sites.csv");
    write(dir.path(), "plan.json", &pretty(&v));
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("sites.csv"),
    )
    .unwrap();
    let o = bin()
        .args(["validate", "plan.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("is a link to a file outside the plan's folder"),
        "{e}"
    );
    assert!(!e.contains("secret"), "{e}");
}
