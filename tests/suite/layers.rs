//! The layer rule, read from the code: `chart/` and `report/` never import
//! `network` or `schedule`; nothing under `plan/`, `schedule/`, `network/`
//! or `timeline/` imports a module above it; no source file is over 1,000
//! lines. The rule itself is written in `src/lib.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each lower stage may import (besides itself), lowest first.
const BELOW: &[(&str, &[&str])] = &[
    ("plan", &["units", "read"]),
    ("schedule", &["units"]),
    ("network", &["units", "plan", "schedule"]),
    (
        "timeline",
        &["units", "plan", "schedule", "network", "words"],
    ),
];

/// What the renderers never import.
const NOT_FOR_RENDERERS: &[&str] = &["network", "schedule"];
const RENDERERS: &[&str] = &["chart", "report"];

const MAX_LINES: usize = 1_000;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src reads") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to: `src/plan/check.rs` → `plan`,
/// `src/verify.rs` → `verify`.
fn module_of(rel: &Path) -> String {
    let first = rel.components().nth(1).expect("under src");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The crate modules a Rust file names (`crate::NAME`), comments left out.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_stage_imports_only_what_is_below_it() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    all.sort();
    let root = src().parent().unwrap().to_path_buf();
    let mut broken = Vec::new();
    for path in all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let rel = path.strip_prefix(&root).unwrap();
        let module = module_of(rel);
        let text = std::fs::read_to_string(path).unwrap();
        let file = rel.to_string_lossy().replace('\\', "/");
        for name in imports(&text) {
            if name == module {
                continue;
            }
            let allowed = match BELOW.iter().find(|(m, _)| *m == module) {
                Some((_, below)) => below.contains(&name.as_str()),
                None if RENDERERS.contains(&module.as_str()) => {
                    !NOT_FOR_RENDERERS.contains(&name.as_str())
                }
                None => true,
            };
            if allowed {
                continue;
            }
            broken.push(format!("{file} imports crate::{name}"));
        }
    }
    assert!(
        broken.is_empty(),
        "layer rule broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_source_file_is_over_a_thousand_lines() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let long: Vec<String> = all
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).ok()?.lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} lines", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// The reader of imports sees what the code names, and not what a comment
/// mentions.
#[test]
fn imports_are_read_from_code_not_comments() {
    let text = "use crate::plan::Plan;\n// crate::chart in a comment\nlet x = crate::units::Money(1); // crate::report\n";
    let got: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(got, ["plan", "units"]);
}
