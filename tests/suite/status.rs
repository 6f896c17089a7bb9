//! The status report (`status`), run on the shipped stories as a programme
//! office would, every figure recomputed here from the timelines.

use super::common::thousands;
use assert_cmd::Command;
use chrono::NaiveDate;
use removal_timeline::network::lower::LowerOptions;
use removal_timeline::plan::Plan;
use removal_timeline::schedule::{solve, SearchOptions};
use removal_timeline::timeline::{Status, TaskRow, Timeline};
use removal_timeline::verify::verify;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn load(path: &str) -> Plan {
    removal_timeline::load::plan_file(Path::new(path))
        .unwrap()
        .plan
}

/// Schedules a plan as `schedule` does and writes its timeline.
fn scheduled(plan: &Plan, dir: &Path, name: &str) -> (Timeline, PathBuf) {
    // The default effort, as `schedule` publishes it: the committed
    // timeline the progress story of plans/ was written against.
    let opts = SearchOptions {
        schedules: removal_timeline::cli::schedule::auto_effort(plan),
        ..SearchOptions::default()
    };
    let t = removal_timeline::pipeline::schedule_plan(plan, &LowerOptions::default(), |p| {
        solve(p, &opts)
    })
    .unwrap()
    .timeline;
    assert!(verify(plan, &t).is_empty());
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(&t).unwrap()).unwrap();
    (t, p)
}

/// `replan` with a progress file as of a status date, as the user runs it.
fn replanned(plan: &str, baseline: &Path, progress: &str, status: &str, out: &Path) -> Timeline {
    bin()
        .args(["replan", plan, "--effort", "5", "--status-date", status])
        .args(["--progress", progress, "--baseline"])
        .arg(baseline)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(out.join("timeline.json")).unwrap()).unwrap()
}

/// status.csv as rows of column → cell.
fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn cents(v: Option<f64>) -> i64 {
    (v.unwrap_or(0.0) * 100.0).round() as i64
}

fn amount(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn pct1(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    let t = part * 1000 / whole;
    format!("{}.{}", t / 10, t % 10)
}

/// The figures of one group of sites, computed from the timelines alone.
fn expected(
    sites: &[&str],
    tl: &Timeline,
    committed: Option<&Timeline>,
    as_of: NaiveDate,
) -> HashMap<&'static str, String> {
    let tasks_of = |t: &'_ Timeline, s: &str| -> Vec<TaskRow> {
        t.tasks.iter().filter(|r| r.site == s).cloned().collect()
    };
    let done = |r: &TaskRow| r.finish.is_some_and(|f| f <= as_of);
    let started = |r: &TaskRow| r.start.is_some_and(|f| f <= as_of);
    let (mut completed, mut in_progress, mut devices, mut removed) = (0u64, 0u64, 0u64, 0u64);
    let (mut replaceable, mut replaced, mut disposed) = (0u64, 0u64, 0u64);
    let (mut spent, mut forecast, mut c_to_date, mut c_cost) = (0i64, 0i64, 0i64, 0i64);
    let (mut behind, mut worst) = (0u64, 0i64);
    for &s in sites {
        let ts = tasks_of(tl, s);
        let row = tl.sites.iter().find(|r| r.id == s).unwrap();
        devices += row.devices;
        if ts.iter().all(done) {
            completed += 1;
        } else if ts.iter().any(started) {
            in_progress += 1;
        }
        let sum = |phase: &str, only_done: bool| -> u64 {
            ts.iter()
                .filter(|r| r.phase.as_str() == phase && (!only_done || done(r)))
                .map(|r| r.devices)
                .sum()
        };
        let site_removed = sum("remove", true);
        removed += site_removed;
        replaceable += sum("install", false);
        let commission: Vec<&TaskRow> = ts
            .iter()
            .filter(|r| r.phase.as_str() == "commission")
            .collect();
        replaced += if commission.is_empty() {
            sum("install", true)
        } else if commission.iter().all(|r| done(r)) {
            sum("install", false)
        } else {
            0
        };
        let dispose: Vec<&TaskRow> = ts
            .iter()
            .filter(|r| r.phase.as_str() == "dispose")
            .collect();
        disposed += if dispose.is_empty() {
            site_removed
        } else if dispose.iter().all(|r| done(r)) {
            row.devices
        } else {
            0
        };
        let cost = |r: &TaskRow| {
            if r.status == Status::Unscheduled {
                0
            } else {
                cents(r.cost)
            }
        };
        spent += ts.iter().filter(|r| started(r)).map(cost).sum::<i64>();
        forecast += ts.iter().map(cost).sum::<i64>();
        let held_to = match committed {
            Some(c) => {
                let cts = tasks_of(c, s);
                c_to_date += cts.iter().filter(|r| started(r)).map(cost).sum::<i64>();
                c_cost += cts.iter().map(cost).sum::<i64>();
                c.sites.iter().find(|r| r.id == s).unwrap().removal_complete
            }
            None => row.deadline,
        };
        match (row.removal_complete, held_to) {
            (Some(f), Some(h)) if f > h => {
                behind += 1;
                worst = worst.max((f - h).num_days());
            }
            (None, Some(_)) if row.devices > 0 => {
                behind += 1;
                worst = i64::MAX;
            }
            _ => {}
        }
    }
    let n = sites.len() as u64;
    let mut out = HashMap::new();
    let mut put = |k: &'static str, v: String| {
        out.insert(k, v);
    };
    put("sites", n.to_string());
    put("completed", completed.to_string());
    put("in_progress", in_progress.to_string());
    put("not_started", (n - completed - in_progress).to_string());
    put("devices", devices.to_string());
    put("removed", removed.to_string());
    put("removed_pct", pct1(removed, devices));
    put("replaceable", replaceable.to_string());
    put("replaced", replaced.to_string());
    put("replaced_pct", pct1(replaced, replaceable));
    put("disposed", disposed.to_string());
    put("disposed_pct", pct1(disposed, devices));
    put("spent_to_date", amount(spent));
    put("forecast_cost", amount(forecast));
    put(
        "committed_to_date",
        committed.map(|_| amount(c_to_date)).unwrap_or_default(),
    );
    put(
        "committed_cost",
        committed.map(|_| amount(c_cost)).unwrap_or_default(),
    );
    put("sites_behind", behind.to_string());
    put("worst_slip_days", worst.to_string());
    out
}

/// Checks every row of status.csv against the timelines; returns the rows.
fn check_rows(
    plan: &Plan,
    dir: &Path,
    tl: &Timeline,
    committed: Option<&Timeline>,
    as_of: NaiveDate,
) -> Vec<HashMap<String, String>> {
    let rows = csv_rows(&dir.join("status.csv"));
    let mut groups: Vec<(String, Vec<&str>)> = plan
        .owners
        .iter()
        .map(|o| {
            let sites = tl
                .sites
                .iter()
                .filter(|s| s.owner.as_deref() == Some(o.id.as_str()))
                .map(|s| s.id.as_str())
                .collect();
            (o.id.clone(), sites)
        })
        .collect();
    groups.push((
        "all".into(),
        tl.sites.iter().map(|s| s.id.as_str()).collect(),
    ));
    assert_eq!(rows.len(), groups.len());
    for (row, (owner, sites)) in rows.iter().zip(&groups) {
        assert_eq!(&row["owner"], owner);
        for (k, v) in expected(sites, tl, committed, as_of) {
            assert_eq!(row[k], v, "{owner}: {k}");
        }
    }
    let budget: f64 = plan
        .budget
        .iter()
        .flat_map(|b| &b.periods)
        .map(|p| p.amount.to_f64())
        .sum();
    let all = rows.last().unwrap();
    if plan.budget.is_some() {
        assert_eq!(all["budget"], amount((budget * 100.0).round() as i64));
    }
    let missed = tl
        .targets
        .iter()
        .filter(|t| t.by <= as_of && !t.met)
        .count();
    assert_eq!(all["targets_missed"], missed.to_string());
    rows
}

#[test]
fn the_rip_and_replace_status_report_adds_up_against_the_committed_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let plan = load("plans/rip-and-replace.json");
    let (committed, committed_path) = scheduled(&plan, dir.path(), "committed.json");
    let out = dir.path().join("replan");
    let progress = "plans/rip-and-replace-progress.csv";
    let after = "plans/rip-and-replace-after-cut.json";
    let tl = replanned(after, &committed_path, progress, "2022-11-30", &out);
    let status = dir.path().join("status");
    bin()
        .args(["status", after])
        .arg(out.join("timeline.json"))
        .arg("--committed")
        .arg(&committed_path)
        .args([
            "--progress",
            progress,
            "--status-date",
            "2022-11-30",
            "--out",
        ])
        .arg(&status)
        .assert()
        .success()
        .stdout(predicates::str::contains("status as of 2022-11-30"));
    // diff against the committed timeline: rolled up by owner and tier.
    let out_diff = bin()
        .arg("diff")
        .arg(&committed_path)
        .arg(out.join("timeline.json"))
        .args(["--plan", after, "--committed"])
        .arg(&committed_path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out_diff).unwrap();
    assert!(text.contains("## Against the committed timeline"), "{text}");
    assert!(
        text.contains("| owner | sites | later than committed |"),
        "{text}"
    );
    let later = tl
        .sites
        .iter()
        .filter(|s| s.owner.as_deref() == Some("cbp"))
        .filter(|s| {
            let c = committed.sites.iter().find(|c| c.id == s.id).unwrap();
            matches!((s.removal_complete, c.removal_complete), (Some(a), Some(b)) if a > b)
        })
        .count();
    assert!(text.contains(&format!("| cbp | 6 | {later} |")), "{text}");
    let after_plan = load(after);
    let rows = check_rows(
        &after_plan,
        &status,
        &tl,
        Some(&committed),
        day("2022-11-30"),
    );
    // Four recipients, then everyone.
    let owners: Vec<&str> = rows.iter().map(|r| r["owner"].as_str()).collect();
    assert_eq!(owners, ["gsa", "cbp", "nara", "fbi", "all"]);
    check_documents(&after_plan, &status, &rows);
    // Work is under way but nothing is removed yet, and the cut pushes
    // sites past their committed dates: amber, not yet red.
    let all = rows.last().unwrap();
    assert_eq!(all["rag"], "amber");
    assert!(
        all["reason"].contains("after their committed dates"),
        "{}",
        all["reason"]
    );
    // A target the forecast misses is named in the one-line reason, with
    // its shortfall, even when late sites already make the status amber.
    let missed: Vec<_> = tl.targets.iter().filter(|t| !t.met).collect();
    assert!(!missed.is_empty());
    for t in missed {
        let want = format!(
            "target {} due {} is at risk: {} of {} devices forecast removed",
            t.id,
            t.by.format("%-d %B %Y"),
            thousands(t.removed),
            thousands(t.required)
        );
        assert!(all["reason"].contains(&want), "{want}\n{}", all["reason"]);
    }
    let md = std::fs::read_to_string(status.join("status.md")).unwrap();
    let html = std::fs::read_to_string(status.join("status.html")).unwrap();
    for text in [&md, &html] {
        assert!(text.contains("Against the committed timeline"));
        assert!(text.contains("U.S. Customs and Border Protection"));
        assert!(text.contains("Green: every site"));
    }
    // Challenges are grouped by the timeline's own late_category (issue 20),
    // one row per category with its count of late or undated sites.
    let mut by_category = std::collections::BTreeMap::<&str, usize>::new();
    for s in tl.sites.iter().filter(|s| s.devices > 0) {
        let late = s.late_days.is_none_or(|d| d > 0);
        assert_eq!(late, s.late_category.is_some(), "{}", s.id);
        if let Some(c) = s.late_category {
            *by_category.entry(c.as_str()).or_default() += 1;
        }
    }
    assert!(!by_category.is_empty());
    for (cat, n) in &by_category {
        assert!(md.contains(&format!("| {cat} | {n} |")), "{cat} {n}\n{md}");
    }
    assert!(!md.contains("| other |"), "{md}");
    // The workbook's Status sheet holds the same rows as status.csv.
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(status.join("status.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Status").unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells.len(), rows.len() + 1);
    for (row, csv_row) in cells[1..].iter().zip(&rows) {
        for (c, head) in cells[0].iter().enumerate() {
            let want = &csv_row[head];
            match want.parse::<f64>() {
                Ok(n) => assert_eq!(row[c].parse::<f64>().unwrap(), n, "{head}"),
                Err(_) => assert_eq!(&row[c], want, "{head}"),
            }
        }
    }
}

#[test]
fn the_audit_story_reports_by_department_against_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let plan = load("plans/audit.json");
    let (_, base) = scheduled(&plan, dir.path(), "base.json");
    let out = dir.path().join("replan");
    let progress = "plans/audit-progress.csv";
    let tl = replanned("plans/audit.json", &base, progress, "2023-06-30", &out);
    let status = dir.path().join("status");
    bin()
        .args(["status", "plans/audit.json"])
        .arg(out.join("timeline.json"))
        .args([
            "--progress",
            progress,
            "--status-date",
            "2023-06-30",
            "--out",
        ])
        .arg(&status)
        .assert()
        .success();
    let rows = check_rows(&plan, &status, &tl, None, day("2023-06-30"));
    check_documents(&plan, &status, &rows);
    let owners: Vec<&str> = rows.iter().map(|r| r["owner"].as_str()).collect();
    assert_eq!(
        owners,
        ["defence", "finance", "services", "infrastructure", "all"]
    );
    let all = rows.last().unwrap();
    assert!(all["completed"].parse::<u64>().unwrap() > 0, "{all:?}");
    let md = std::fs::read_to_string(status.join("status.md")).unwrap();
    assert!(md.contains("against the sites' deadlines"), "{md}");
}

#[test]
fn status_refuses_a_timeline_of_another_plan_state() {
    let dir = tempfile::tempdir().unwrap();
    let plan = load("plans/audit.json");
    let (_, base) = scheduled(&plan, dir.path(), "base.json");
    // The plan as of a status date, with a timeline that knows nothing of it.
    bin()
        .args(["status", "plans/audit.json"])
        .arg(&base)
        .args([
            "--progress",
            "plans/audit-progress.csv",
            "--status-date",
            "2023-06-30",
        ])
        .arg("--out")
        .arg(dir.path().join("status"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("does not keep the plan's rules"));
    // Without any status date there is nothing to report as of.
    bin()
        .args(["status", "plans/audit.json"])
        .arg(&base)
        .arg("--out")
        .arg(dir.path().join("status"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no status_date"));
    assert!(!dir.path().join("status").exists());
}

/// A status.csv amount as status.md writes it: whole units, `81,960 USD`.
fn money_md(csv: &str, currency: &str) -> String {
    if csv.is_empty() {
        return "–".into();
    }
    let c: i64 = (csv.parse::<f64>().unwrap() * 100.0).round() as i64;
    let units = (c + 50) / 100;
    format!("{} {currency}", thousands(units as u64))
}

/// What status.md and status.html show in a column, from the csv row.
fn cell(header: &str, row: &HashMap<String, String>, currency: &str) -> Option<String> {
    let n = |k: &str| row[k].parse::<u64>().unwrap();
    let of = |part: &str, whole: &str| {
        let (p, w) = (n(part), n(whole));
        let pct = (p * 100).checked_div(w).unwrap_or(0);
        format!("{} of {} ({pct}%)", thousands(p), thousands(w))
    };
    Some(match header {
        "Status" => row["rag"].to_uppercase(),
        "Sites" => thousands(n("sites")),
        "Completed" => thousands(n("completed")),
        "In progress" => thousands(n("in_progress")),
        "Not started" => thousands(n("not_started")),
        "Removed" => of("removed", "devices"),
        "Replaced" => of("replaced", "replaceable"),
        "Disposed of" => of("disposed", "devices"),
        "Committed to date" => money_md(&row["spent_to_date"], currency),
        "Committed timeline to date" => money_md(&row["committed_to_date"], currency),
        "Forecast total" => money_md(&row["forecast_cost"], currency),
        "Committed timeline total" => money_md(&row["committed_cost"], currency),
        "Budget" => money_md(&row["budget"], currency),
        _ => return None,
    })
}

/// The rows of the Markdown table under `## title`: header, then cells.
fn md_table(md: &str, title: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let at = md
        .find(&format!("## {title}\n"))
        .unwrap_or_else(|| panic!("no {title}"));
    let lines: Vec<&str> = md[at..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let cells = |l: &str| -> Vec<String> {
        l.trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().trim_matches('*').to_string())
            .collect()
    };
    (
        cells(lines[0]),
        lines[2..].iter().map(|l| cells(l)).collect(),
    )
}

/// Every figure of status.md's progress and money tables, and of the same
/// rows in status.html, is status.csv's (itself checked against the
/// timelines by `check_rows`).
fn check_documents(plan: &Plan, dir: &Path, rows: &[HashMap<String, String>]) {
    let md = std::fs::read_to_string(dir.join("status.md")).unwrap();
    let html = std::fs::read_to_string(dir.join("status.html")).unwrap();
    let currency = plan.currency.as_str();
    let mut checked = 0;
    for title in ["Progress by owner", "Money"] {
        let (header, body) = md_table(&md, title);
        assert_eq!(body.len(), rows.len(), "{title}");
        for (cells, row) in body.iter().zip(rows) {
            let label = if row["owner"] == "all" {
                "All owners".to_string()
            } else {
                format!("({})", row["owner"])
            };
            assert!(
                cells[0].contains(&label),
                "{title}: {} for {label}",
                cells[0]
            );
            let tr = html
                .split("<tr")
                .find(|tr| {
                    tr.contains(&label.replace('&', "&amp;"))
                        && header.iter().skip(1).all(|h| {
                            cell(h, row, currency).is_none_or(|v| tr.contains(&format!(">{v}<")))
                        })
                })
                .map(|_| ());
            assert!(tr.is_some(), "status.html: {title} row {label}");
            for (h, got) in header.iter().zip(cells).skip(1) {
                if let Some(want) = cell(h, row, currency) {
                    assert_eq!(got, &want, "{title}: {label}: {h}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= rows.len() * 10, "only {checked} figures checked");
}
