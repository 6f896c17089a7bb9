//! What a programme office reports (issue 23), through the commands as a
//! manager runs them on the rip-and-replace story: the compliance table and
//! the owners in the report and the public bundle (which names owners,
//! never a site), the targets on the burndown, and `replan --committed`
//! (the variance in diff.md and the report, the committed bars' subtitle).

use super::common::thousands;
use assert_cmd::Command;
use chrono::NaiveDate;
use removal_timeline::plan::Plan;
use removal_timeline::timeline::{TargetRow, Timeline};
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn timeline(p: &Path) -> Timeline {
    serde_json::from_str(&read(p)).unwrap()
}

fn short_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// The spreadsheet's Summary sheet has one "Public targets" row naming each
/// missed target with what the timeline removes by its day, and no met one.
fn check_xlsx_targets(tl: &Timeline, xlsx: &Path) {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(xlsx).unwrap();
    let range = wb.worksheet_range("Summary").unwrap();
    let rows: Vec<String> = range
        .rows()
        .filter(|r| matches!(&r[0], Data::String(l) if l == "Public targets"))
        .filter_map(|r| match r.get(1) {
            Some(Data::String(v)) => Some(v.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let missed = tl.targets.iter().filter(|t| !t.met).count();
    assert!(
        rows[0].starts_with(&format!(
            "{missed} of {} public targets missed",
            tl.targets.len()
        )) || (missed == 1 && rows[0].starts_with("Public target missed")),
        "{}",
        rows[0]
    );
    for t in &tl.targets {
        let named = missed_phrase(t);
        assert_eq!(rows[0].contains(&named), !t.met, "{}: {}", t.id, rows[0]);
    }
}

/// How a headline or summary names a missed target: its ID and what the
/// timeline removes by its day.
fn missed_phrase(t: &TargetRow) -> String {
    format!(
        "({}): {} of the {} devices it requires removed by",
        t.id,
        thousands(t.removed),
        thousands(t.required)
    )
}

/// The compliance table and the owners table of a report, each row
/// recomputed from the timeline.
fn check_commitments(plan: &Plan, tl: &Timeline, md: &str, what: &str) {
    assert!(md.contains("## Public targets"), "{what}");
    for row in &tl.targets {
        let result = if row.met {
            "met".to_string()
        } else {
            let short = row.required - row.removed;
            format!("missed by {} device", thousands(short)) + if short == 1 { "" } else { "s" }
        };
        let cells = format!(
            "| {} | {} | {} | {result}",
            short_date(row.by),
            thousands(row.required),
            thousands(row.removed)
        );
        let line = md
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("({})", row.id)))
            .unwrap_or_else(|| panic!("{what}: no row for target {}", row.id));
        assert!(line.contains(&cells), "{what}: {line} lacks {cells}");
        // A missed target is named in the headline, the first thing read,
        // with what the timeline removes by its day.
        let headline = md.lines().find(|l| l.starts_with("**")).unwrap();
        let named = missed_phrase(row);
        assert_eq!(headline.contains(&named), !row.met, "{what}: {headline}");
    }
    if tl.targets.iter().all(|t| t.met) {
        let headline = md.lines().find(|l| l.starts_with("**")).unwrap();
        assert!(
            headline.contains("public targets met") || headline.contains("public target is met"),
            "{what}: {headline}"
        );
    }
    assert!(md.contains("## By owner"), "{what}");
    for o in &plan.owners {
        let sites: Vec<_> = tl
            .sites
            .iter()
            .filter(|s| s.owner.as_deref() == Some(o.id.as_str()))
            .collect();
        let devices: u64 = sites.iter().map(|s| s.devices).sum();
        let late = sites
            .iter()
            .filter(|s| s.late_days.is_some_and(|d| d > 0))
            .count();
        let name = o.name.as_deref().unwrap_or(&o.id);
        let cells = format!("| {} | {} | {} |", sites.len(), thousands(devices), late);
        assert!(
            md.lines().any(|l| l.contains(name) && l.contains(&cells)),
            "{what}: owner {name} {cells}"
        );
    }
}

#[test]
fn issue23_targets_owners_and_the_committed_timeline_in_every_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let (committed_dir, out) = (dir.path().join("rr"), dir.path().join("replan"));
    bin()
        .current_dir(root)
        .args(["schedule", "plans/rip-and-replace.json", "-q", "--out"])
        .arg(&committed_dir)
        .assert()
        .success();
    let committed_path = committed_dir.join("timeline.json");
    bin()
        .current_dir(root)
        .args(["replan", "plans/rip-and-replace-after-cut.json", "-q"])
        .args(["--progress", "plans/rip-and-replace-progress.csv"])
        .args(["--status-date", "2022-11-30", "--baseline"])
        .arg(&committed_path)
        .arg("--committed")
        .arg(&committed_path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let plan =
        removal_timeline::load::plan_file(&root.join("plans/rip-and-replace-after-cut.json"))
            .unwrap()
            .plan;
    let (tl, committed) = (
        timeline(&out.join("timeline.json")),
        timeline(&committed_path),
    );
    assert!(plan.owners.len() >= 3 && tl.targets.len() >= 3);
    assert!(tl.targets.iter().any(|t| !t.met), "the cut misses a target");

    // The compliance and owners tables, in the office's and the public
    // report alike.
    check_commitments(&plan, &tl, &read(&out.join("report.md")), "report.md");
    let public_md = read(&out.join("public/report.md"));
    check_commitments(&plan, &tl, &public_md, "public/report.md");
    check_xlsx_targets(&tl, &out.join("timeline.xlsx"));

    // The public bundle names the owners (public bodies) but no site.
    for f in [
        "report.md",
        "report.html",
        "milestones.csv",
        "burndown.svg",
        "gantt.svg",
    ] {
        let text = read(&out.join("public").join(f));
        for s in &plan.sites {
            assert!(!text.contains(&s.id), "public/{f} names site {}", s.id);
            if let Some(n) = &s.name {
                assert!(!text.contains(n.as_str()), "public/{f} names site {n}");
            }
        }
    }
    for o in &plan.owners {
        assert!(public_md.contains(o.name.as_deref().unwrap_or(&o.id)));
    }

    // Each target a marker on the burndown, met or missed by its devices.
    let svg = read(&out.join("burndown.svg"));
    for row in &tl.targets {
        let label = if row.met {
            format!("{}: met", row.id)
        } else {
            format!(
                "{}: missed by {} devices",
                row.id,
                thousands(row.required - row.removed)
            )
        };
        assert!(svg.contains(&label), "burndown lacks {label}");
    }

    // replan --committed: the variance by owner in diff.md, its count of
    // later sites in the report, and the Gantt's grey bars named.
    let later = |owner: Option<&str>| {
        tl.sites
            .iter()
            .filter(|s| owner.is_none() || s.owner.as_deref() == owner)
            .filter(|s| {
                let c = committed.sites.iter().find(|c| c.id == s.id).unwrap();
                matches!((s.removal_complete, c.removal_complete), (Some(a), Some(b)) if a > b)
            })
            .count()
    };
    let sites_of = |owner: &str| {
        tl.sites
            .iter()
            .filter(|s| s.owner.as_deref() == Some(owner))
            .count()
    };
    let diff = read(&out.join("diff.md"));
    assert!(diff.contains("## Against the committed timeline"));
    for o in &plan.owners {
        let n = sites_of(&o.id);
        let row = format!("| {} | {n} | {} |", o.id, later(Some(&o.id)));
        assert!(diff.contains(&row), "diff.md lacks {row}");
    }
    let report = read(&out.join("report.md"));
    let line = format!(
        "Against the committed timeline: {} sites later",
        later(None)
    );
    assert!(report.contains(&line), "report.md lacks {line}");
    // ... and the report's own section: by owner (plan order, by name) and
    // by tier, then every site that moved with its start, removal and cost
    // against the committed timeline.
    let section = report
        .split("## Against the committed timeline")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("report.md has a committed-timeline section");
    let mut at = 0;
    for o in &plan.owners {
        let n = sites_of(&o.id);
        let name = format!("{} ({})", o.name.as_deref().unwrap_or(&o.id), o.id);
        let cells = format!("| {n} | {} |", later(Some(&o.id)));
        let pos = section
            .lines()
            .position(|l| l.contains(&name) && l.contains(&cells))
            .unwrap_or_else(|| panic!("report.md's section lacks {name} {cells}"));
        assert!(pos > at, "owners in plan order");
        at = pos;
    }
    for s in &tl.sites {
        let c = committed.sites.iter().find(|c| c.id == s.id).unwrap();
        let (Some(a), Some(b)) = (s.removal_complete, c.removal_complete) else {
            continue;
        };
        if a != b {
            let days = (a - b).num_days();
            let row = section
                .lines()
                .find(|l| {
                    l.contains(&format!(" {} |", s.id)) || l.contains(&format!("**{}** |", s.id))
                })
                .unwrap_or_else(|| panic!("report.md's section lacks {}", s.id));
            let want = format!(
                "| {} | {} | {} |",
                short_date(b),
                short_date(a),
                if days > 0 {
                    thousands(days as u64)
                } else {
                    format!("-{}", thousands(days.unsigned_abs()))
                }
            );
            assert!(row.contains(&want), "{row} lacks {want}");
        }
    }
    let html = read(&out.join("report.html"));
    assert!(html.contains("Against the committed timeline</h2>"));
    let gantt: String = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("gantt") && n.ends_with(".svg")
        })
        .map(|p| read(&p))
        .collect();
    assert!(gantt.contains("grey: the committed timeline"));
}
