//! The `risk` command as a manager runs it (issue 24): a whole bundle
//! (the figures, the tornado, the risk report, the manifest), each public
//! target's chance in the figures and in words, the same bytes for a seed.

use assert_cmd::Command;
use removal_timeline::cli::manifest::{sha256_file, Manifest, MANIFEST};
use serde_json::Value;
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

fn run_risk(out: &Path, seed: &str) -> String {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/example.json");
    let o = bin()
        .args(["risk", plan.to_str().unwrap(), "--samples", "300"])
        .args(["--seed", seed, "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn issue24_risk_writes_a_whole_bundle_with_the_tornado_and_the_targets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("risk");
    let stdout = run_risk(&out, "5");
    let m = Manifest::read(&out.join(MANIFEST)).expect("a manifest");
    let mut listed: Vec<&str> = m.files.keys().map(String::as_str).collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            "risk.csv",
            "risk.html",
            "risk.json",
            "risk.md",
            "tornado.png",
            "tornado.svg"
        ]
    );
    for (rel, sha) in &m.files {
        assert_eq!(&sha256_file(&out.join(rel)).unwrap(), sha, "{rel}");
    }
    let png = std::fs::read(out.join("tornado.png")).unwrap();
    let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
    assert!(img.width() >= 1200, "a printable chart");

    // Every public target of the plan, with its chance and its dates.
    let r: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("risk.json")).unwrap()).unwrap();
    let targets = r["targets"].as_array().unwrap();
    let ids: Vec<&str> = targets.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["half-by-jul-2026", "seventy-by-oct-2026", "all-by-dec-2027"]
    );
    let md = std::fs::read_to_string(out.join("risk.md")).unwrap();
    for t in targets {
        let p = t["probability"].as_f64().unwrap();
        let se = t["probability_se"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert!((se - (p * (1.0 - p) / 300.0).sqrt()).abs() < 1e-4);
        assert!(t["p50"].as_str() <= t["p80"].as_str());
        assert!(t["p80"].as_str() <= t["p95"].as_str());
        let words = format!("Target {} (", t["id"].as_str().unwrap());
        assert!(stdout.contains(&words), "{words} not on the terminal");
        assert!(md.contains(&words), "{words} not in risk.md");
    }
    assert!(
        md.contains("From 300 samples"),
        "the report states its samples"
    );
    assert!(md.contains("![What moves the programme's P80 date"));
    let html = std::fs::read_to_string(out.join("risk.html")).unwrap();
    assert!(html.contains("data:image/png;base64,"), "self-contained");

    // The same seed gives the same bytes; another seed other figures.
    let again = dir.path().join("again");
    run_risk(&again, "5");
    for f in ["risk.json", "risk.csv", "risk.md", "tornado.png"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
    let other = dir.path().join("other");
    run_risk(&other, "6");
    assert_ne!(
        std::fs::read(out.join("risk.json")).unwrap(),
        std::fs::read(other.join("risk.json")).unwrap()
    );
}

/// plans/README.md walks a manager through the risk section of the
/// rip-and-replace story: its quoted output is what `risk` prints today
/// (default samples and seed), so its figures cannot drift.
#[test]
fn issue24_the_readme_quotes_what_risk_prints_for_rip_and_replace() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .current_dir(root)
        .args(["risk", "plans/rip-and-replace.json", "--out"])
        .arg(dir.path().join("rr-risk"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let printed: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with("Written to "))
        .collect();
    let readme = std::fs::read_to_string(root.join("plans/README.md")).unwrap();
    let start = readme
        .find("```\nMeeting the programme deadline")
        .expect("the README quotes the output");
    let quoted: Vec<&str> = readme[start + 4..]
        .lines()
        .take_while(|l| *l != "```")
        .collect();
    assert_eq!(quoted, printed, "plans/README.md's risk output is stale");
}
