//! Integration tests: the interactive timeline page (`timeline.html`),
//! opened in a real browser (headless Chromium) from `file://`.
//!
//! The page reads its view from the URL fragment (`#filter=late&list=1`)
//! and `list=1` writes the IDs it shows into a text box, so a DOM dump
//! after the script has run tells what a user would see. Chromium's
//! network log tells whether the page asked for anything over the network.
//!
//! CI installs Debian's `chromium` (`.ci/run`); where no Chromium can be
//! found these tests say so on stderr and pass without checking.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::cargo_bin("removal-timeline").unwrap()
}

/// The browser: `$CHROMIUM`, else the first of the usual names on PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

macro_rules! browser_or_skip {
    () => {
        match chromium() {
            Some(b) => b,
            None => {
                eprintln!("SKIPPED: no chromium found (apt-get install chromium); the page was not checked in a browser");
                return;
            }
        }
    };
}

/// What the browser left: the DOM after the page's script ran, and the
/// URLs the page (not the browser itself) asked the network for.
struct Visit {
    dom: String,
    page_requests: Vec<String>,
}

/// Opens `file` (with `fragment`) in headless Chromium and dumps its DOM.
fn visit(browser: &Path, file: &Path, fragment: &str) -> Visit {
    let tmp = tempfile::tempdir().unwrap();
    let netlog = tmp.path().join("netlog.json");
    let url = format!("file://{}{}", file.display(), fragment);
    let mut child = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1400,2400",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            tmp.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(&url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let began = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if began.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("chromium did not finish with {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = reader.join().unwrap();
    assert!(dom.contains("</html>"), "no DOM dumped for {url}");
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&netlog).unwrap())
        .expect("chromium's net log is JSON");
    Visit {
        dom,
        page_requests: page_requests(&log),
    }
}

/// Network requests made on behalf of a `file://` page: the browser's own
/// background traffic (update checks and the like) is keyed to no page, a
/// page's requests to its top frame's site, which here is `file://`.
fn page_requests(log: &Value) -> Vec<String> {
    let mut out: Vec<String> = log["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let p = &e["params"];
            let key = p["network_isolation_key"].as_str()?;
            let url = p["url"].as_str()?;
            key.contains("file://").then(|| url.to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Schedules `plan` with the real CLI into a fresh folder and verifies it.
fn schedule(plan: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    bin()
        .args(["-q", "schedule"])
        .arg(plan)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    bin()
        .arg("verify")
        .arg(plan)
        .arg(out.path().join("timeline.json"))
        .assert()
        .success();
    out
}

fn example() -> &'static Path {
    Path::new("plans/example.json")
}

/// The example scheduled once for all the tests that only read it (in
/// the test build's own temporary folder, remade on each run).
fn example_out() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-example");
        let _ = std::fs::remove_dir_all(&dir);
        let made = schedule(example());
        std::fs::rename(made.path(), &dir)
            .or_else(|_| copy_dir(made.path(), &dir))
            .unwrap();
        dir
    })
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()))?;
        } else {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

fn timeline(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("timeline.json")).unwrap()).unwrap()
}

/// The text of the element with `id` in a dumped DOM (entities decoded).
fn text_of(dom: &str, id: &str) -> String {
    let at = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let open = at + dom[at..].find('>').unwrap() + 1;
    let close = open + dom[open..].find("</").unwrap();
    unescape(&dom[open..close])
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The `aria-label` of every tree row drawn, top to bottom.
fn row_labels(dom: &str) -> Vec<String> {
    dom.split("role=\"treeitem\"")
        .skip(1)
        .filter_map(|row| {
            let at = row.find("aria-label=\"")? + "aria-label=\"".len();
            let end = at + row[at..].find('"')?;
            Some(unescape(&row[at..end]))
        })
        .collect()
}

fn site_ids(tl: &Value, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    tl["sites"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| keep(s))
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_network_log_catches_a_page_that_reaches_out() {
    // The check below could not fail if the log did not show page
    // requests; this page makes two and both must be seen.
    let browser = browser_or_skip!();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("canary.html");
    std::fs::write(
        &page,
        "<html><body><img src=\"http://192.0.2.1/canary.png\">\
         <script>fetch('https://canary.invalid/x').catch(() => {})</script></body></html>",
    )
    .unwrap();
    let v = visit(&browser, &page, "");
    assert_eq!(
        v.page_requests,
        ["http://192.0.2.1/canary.png", "https://canary.invalid/x"]
    );
}

#[test]
fn the_example_page_opens_offline_and_shows_every_site_by_tier() {
    let browser = browser_or_skip!();
    let out = example_out();
    let tl = timeline(out);
    let v = visit(&browser, &out.join("timeline.html"), "");
    assert!(
        v.page_requests.is_empty(),
        "page asked the network for {:?}",
        v.page_requests
    );
    let all = site_ids(&tl, |_| true);
    let late = site_ids(&tl, |s| s["late_days"].as_i64().is_some_and(|d| d > 0));
    assert_eq!(
        text_of(&v.dom, "count"),
        format!(
            "Showing {n} of {n} sites · {} late · 0 not scheduled",
            late.len(),
            n = all.len()
        )
    );
    // Rows: each tier's header, then its sites in plan order; the window
    // is tall enough for all 50 sites and 4 tiers to be drawn.
    let rows = row_labels(&v.dom);
    let mut want = Vec::new();
    for tier in ["T1", "T2", "T3", "T4"] {
        want.push(format!("({tier})"));
        for s in tl["sites"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["tier"] == tier)
        {
            want.push(s["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(rows.len(), want.len(), "{rows:#?}");
    for (row, w) in rows.iter().zip(&want) {
        assert!(row.contains(w.as_str()), "row {row:?} should be {w}");
    }
    // Each late site's row says so in words, with its days.
    for s in tl["sites"].as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|r| r.contains(&format!("({id})")) || r.starts_with(id))
            .unwrap();
        match s["late_days"].as_i64() {
            Some(d) if d > 0 => {
                assert!(row.contains(&format!("{d} days late")), "{row}");
                // and why, as the details on hover or focus say it.
                let why = s["late_reason"].as_str().expect("a late site has a reason");
                let cause = s["late_category"].as_str().expect("and a category");
                assert!(
                    row.contains(&format!("late, held back most by {cause} (")),
                    "{row}"
                );
                assert!(row.ends_with(&format!("). {why}")), "{row}");
            }
            _ => assert!(!row.contains("late"), "{row}"),
        }
    }
    // Every target is drawn, met or missed in words, and counted above.
    let targets = tl["targets"].as_array().unwrap();
    let missed: Vec<&str> = targets
        .iter()
        .filter(|t| t["met"] == false)
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    // The example's scheduler meets all three (key 1b); the words for a
    // missed one are the same rule.
    assert!(!targets.is_empty());
    let missed_words = if missed.is_empty() {
        String::new()
    } else {
        format!(", {} missed ({})", missed.len(), missed.join(", "))
    };
    assert!(text_of(&v.dom, "subtitle").ends_with(&format!(
        "{} targets: {} met{missed_words}",
        targets.len(),
        targets.len() - missed.len(),
    )));
    for t in targets {
        let (id, met) = (t["id"].as_str().unwrap(), t["met"] == true);
        let (word, sign) = if met {
            ("met", "✓")
        } else {
            ("missed", "✗")
        };
        let flag = format!("class=\"flag target {word}\" title=\"Target ");
        assert!(v.dom.contains(&flag), "no flag for {id}");
        assert!(
            v.dom.contains(&format!(">{sign} {id} {word}<")),
            "no flag for {id}"
        );
    }
}

#[test]
fn filtering_to_late_sites_shows_exactly_the_late_sites() {
    let browser = browser_or_skip!();
    let out = example_out();
    let tl = timeline(out);
    let late = site_ids(&tl, |s| s["late_days"].as_i64().is_some_and(|d| d > 0));
    assert!(!late.is_empty(), "the example has late sites");
    let v = visit(&browser, &out.join("timeline.html"), "#filter=late&list=1");
    assert!(v.page_requests.is_empty());
    let shown: Vec<String> = text_of(&v.dom, "list").lines().map(String::from).collect();
    assert_eq!(shown, late);
    assert!(text_of(&v.dom, "count").starts_with(&format!("Showing {} of 50 sites", late.len())));
    // Filters combine: late, tier T4 and what held the site back (the
    // category of T4's first late site).
    let t4 = |s: &Value| s["tier"] == "T4" && s["late_days"].as_i64().is_some_and(|d| d > 0);
    let first = tl["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| t4(s))
        .unwrap();
    let cause = first["late_category"].as_str().unwrap();
    let want = site_ids(&tl, |s| t4(s) && s["late_category"] == cause);
    assert!(!want.is_empty() && want.len() < late.len());
    let v = visit(
        &browser,
        &out.join("timeline.html"),
        &format!("#filter=late&tier=T4&cause={cause}&list=1"),
    );
    let shown: Vec<String> = text_of(&v.dom, "list").lines().map(String::from).collect();
    assert_eq!(shown, want);
    // The chart scrolls to the late sites' work: it opens on the first
    // late site's first bar, not an empty stretch of time. (Late sites'
    // work may span more than one screen: in the example one late site's
    // survey is a year before the rest of its work, which waits for
    // money.)
    let v = visit(&browser, &out.join("timeline.html"), "#filter=late");
    let (from, to) = (attr(&v.dom, "data-view-from"), attr(&v.dom, "data-view-to"));
    let tasks = tl["tasks"].as_array().unwrap();
    let first = tasks
        .iter()
        .filter(|t| late.iter().any(|id| t["site"] == id.as_str()))
        .filter_map(|t| t["start"].as_str())
        .min()
        .unwrap();
    assert!(
        from.as_str() <= first && first <= to.as_str(),
        "the first late bar ({first}) is not between {from} and {to}"
    );
}

/// The value of the first `name="…"` attribute in a dumped DOM.
fn attr(dom: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    let at = dom.find(&key).unwrap_or_else(|| panic!("no {name}")) + key.len();
    dom[at..at + dom[at..].find('"').unwrap()].to_string()
}

#[test]
fn choosing_a_budget_period_shows_the_sites_that_drew_on_it() {
    // The money view's periods link to `#period=K`: the Gantt then shows
    // the sites with a cost committed (on a task's start day) inside it.
    let browser = browser_or_skip!();
    let out = example_out();
    let tl = timeline(out);
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(example()).unwrap()).unwrap();
    let periods = plan["budget"]["periods"].as_array().unwrap();
    let drew = |p: &Value| {
        site_ids(&tl, |s| {
            tl["tasks"].as_array().unwrap().iter().any(|t| {
                t["site"] == s["id"]
                    && t["cost"].as_f64().is_some_and(|c| c > 0.0)
                    && t["start"].as_str().is_some_and(|d| {
                        d >= p["from"].as_str().unwrap() && d <= p["to"].as_str().unwrap()
                    })
            })
        })
    };
    // The first period some but not all sites drew on.
    let (k, want) = periods
        .iter()
        .map(drew)
        .enumerate()
        .find(|(_, w)| !w.is_empty() && w.len() < 50)
        .expect("a period some sites drew on");
    let v = visit(
        &browser,
        &out.join("timeline.html"),
        &format!("#period={k}&list=1"),
    );
    let shown: Vec<String> = text_of(&v.dom, "list").lines().map(String::from).collect();
    assert_eq!(shown, want);
}

#[test]
fn a_hostile_site_name_stays_text() {
    let browser = browser_or_skip!();
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(example()).unwrap()).unwrap();
    let hostile = "<img src=x onerror=alert(1)>";
    let closer = "</script><script>document.title='pwned'</script><!--";
    plan["sites"][0]["name"] = hostile.into();
    plan["sites"][1]["name"] = closer.into();
    plan["name"] = format!("Programme {closer}").into();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, serde_json::to_string(&plan).unwrap()).unwrap();
    let out = schedule(&path);
    let html = std::fs::read_to_string(out.path().join("timeline.html")).unwrap();
    assert!(
        !html.contains(hostile) && !html.contains(closer),
        "names are escaped in the file"
    );
    let v = visit(&browser, &out.path().join("timeline.html"), "");
    assert!(
        !v.dom.contains("<img src=x"),
        "no element was made from a name"
    );
    assert!(
        v.dom.contains(&format!(
            "<title>Programme {} – timeline</title>",
            html_escape(closer)
        )),
        "no script from a name ran (it would have changed the title)"
    );
    let rows = row_labels(&v.dom);
    assert!(
        rows.iter().any(|r| r.starts_with(&format!("{hostile} ("))),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| r.starts_with(&format!("{closer} ("))));
    assert_eq!(text_of(&v.dom, "title"), format!("Programme {closer}"));
}

#[test]
fn the_public_page_names_no_site_crew_or_region() {
    let browser = browser_or_skip!();
    let out = example_out();
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(example()).unwrap()).unwrap();
    let public = out.join("public/timeline.html");
    let v = visit(&browser, &public, "#list=1");
    assert!(v.page_requests.is_empty());
    let file = std::fs::read_to_string(&public).unwrap();
    let mut secrets: Vec<&str> = Vec::new();
    for s in plan["sites"].as_array().unwrap() {
        secrets.push(s["id"].as_str().unwrap());
        secrets.extend(s["name"].as_str());
    }
    for c in plan["crews"].as_array().unwrap() {
        secrets.push(c["id"].as_str().unwrap());
    }
    for r in plan["regions"].as_array().unwrap() {
        secrets.push(r["id"].as_str().unwrap());
        secrets.push(r["name"].as_str().unwrap());
    }
    for s in secrets {
        assert!(!file.contains(s), "public/timeline.html names {s}");
        assert!(!v.dom.contains(s), "the public page shows {s}");
    }
    // It shows the tiers, and counts tiers, not sites.
    assert_eq!(text_of(&v.dom, "list"), "T1\nT2\nT3\nT4");
    assert!(text_of(&v.dom, "count").starts_with("Showing 4 of 4 tiers · "));
}

#[test]
fn with_a_risk_run_the_at_risk_filter_shows_the_at_risk_sites() {
    let browser = browser_or_skip!();
    let out = tempfile::tempdir().unwrap();
    bin()
        .args([
            "-q",
            "schedule",
            "plans/example.json",
            "--risk",
            "200",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let risk: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("risk.json")).unwrap())
            .unwrap();
    let at_risk = site_ids(&risk, |s| s["at_risk"] == true);
    assert!(!at_risk.is_empty(), "the example has sites at risk");
    let v = visit(
        &browser,
        &out.path().join("timeline.html"),
        "#filter=risk&list=1",
    );
    let shown: Vec<String> = text_of(&v.dom, "list").lines().map(String::from).collect();
    assert_eq!(shown, at_risk);
}

#[test]
fn a_replan_groups_by_owner_and_draws_the_committed_timeline() {
    // rip-and-replace names owners; re-planned after the cut against a
    // committed timeline that is not the baseline (every date a week
    // later), the page draws the committed one in grey, as the PNG Gantt does.
    let browser = browser_or_skip!();
    let dir = tempfile::tempdir().unwrap();
    let base_dir = dir.path().join("base");
    bin()
        .args([
            "-q",
            "schedule",
            "plans/rip-and-replace.json",
            "--effort",
            "5",
            "--out",
        ])
        .arg(&base_dir)
        .assert()
        .success();
    let base = timeline(&base_dir);
    let mut committed = base.clone();
    let later = |v: &mut Value| {
        if let Some(d) = v.as_str() {
            let d: chrono::NaiveDate = d.parse().unwrap();
            *v = (d + chrono::Days::new(7)).to_string().into();
        }
    };
    for t in committed["tasks"].as_array_mut().unwrap() {
        later(&mut t["start"]);
        later(&mut t["finish"]);
    }
    for s in committed["sites"].as_array_mut().unwrap() {
        later(&mut s["removal_complete"]);
    }
    let committed_path = dir.path().join("committed.json");
    std::fs::write(&committed_path, committed.to_string()).unwrap();
    let out = dir.path().join("out");
    bin()
        .args([
            "-q",
            "replan",
            "plans/rip-and-replace-after-cut.json",
            "--effort",
            "5",
        ])
        .args(["--status-date", "2022-11-30"])
        .args([
            "--progress",
            "plans/rip-and-replace-progress.csv",
            "--baseline",
        ])
        .arg(base_dir.join("timeline.json"))
        .arg("--committed")
        .arg(&committed_path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let tl = timeline(&out);
    let v = visit(&browser, &out.join("timeline.html"), "#group=owner");
    assert!(v.page_requests.is_empty());
    assert!(text_of(&v.dom, "subtitle").contains("grey bars: the committed timeline"));
    assert!(v.dom.contains(">▼ Status date 30 Nov 2022<"));
    assert!(v.dom.contains("class=\"bar base\""));
    // Rows: each owner (in the plan's order) and under it its sites, each
    // saying the committed timeline's removal complete day.
    let plan: Value = serde_json::from_str(
        &std::fs::read_to_string("plans/rip-and-replace-after-cut.json").unwrap(),
    )
    .unwrap();
    let date = |v: &Value| {
        let d: chrono::NaiveDate = v.as_str().unwrap().parse().unwrap();
        d.format("%-d %b %Y").to_string()
    };
    let mut want = Vec::new();
    for o in plan["owners"].as_array().unwrap() {
        want.push(format!("{}: ", o["name"].as_str().unwrap()));
        for s in tl["sites"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["owner"] == o["id"])
        {
            let c = committed["sites"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == s["id"])
                .unwrap();
            want.push(format!("{} ", s["id"].as_str().unwrap()));
            want.push(format!(
                "committed timeline {}",
                date(&c["removal_complete"])
            ));
        }
    }
    let rows = row_labels(&v.dom);
    let mut got = rows.iter();
    let mut w = want.iter().peekable();
    while let Some(head) = w.next() {
        let row = got.next().unwrap_or_else(|| panic!("no row for {head}"));
        if head.ends_with(": ") {
            assert!(row.starts_with(head.as_str()), "{row:?} should be {head}");
        } else {
            let c = w.next().unwrap();
            assert!(
                row.contains(&format!("({})", head.trim())) && row.contains(c.as_str()),
                "{row:?}: {head}{c}"
            );
        }
    }
    // The owner filter combines with the others.
    let cbp = site_ids(&tl, |s| s["owner"] == "cbp");
    let v = visit(&browser, &out.join("timeline.html"), "#owner=cbp&list=1");
    let shown: Vec<String> = text_of(&v.dom, "list").lines().map(String::from).collect();
    assert_eq!(shown, cbp);
}

// ---- the documented speed and size -----------------------------------------

/// The Markdown table rows (`| … |`) of `text`.
fn table_rows(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with('|')).collect()
}

/// A recorded figure: the first number after `before` in `cell`, commas
/// dropped.
fn figure(cell: &str, before: &str) -> u64 {
    let at = cell
        .find(before)
        .unwrap_or_else(|| panic!("{before:?} in {cell:?}"))
        + before.len();
    let digits: String = cell[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("a number after {before:?} in {cell:?}"))
}

/// docs/timeline-page.md quotes benches/page.sh's recorded run
/// (benches/page.out) word for word, so its figures cannot drift from the
/// measurement; and the recorded 10,000-site row meets issue 25's targets.
#[test]
fn the_documented_speed_and_size_are_the_benchmarks_recorded_figures() {
    let doc = std::fs::read_to_string("docs/timeline-page.md").unwrap();
    let out = std::fs::read_to_string("benches/page.out").unwrap();
    let section = &doc[doc
        .find("## Speed and size")
        .expect("the doc's speed section")..];
    assert_eq!(
        table_rows(section),
        table_rows(&out),
        "re-run benches/page.sh --record and copy its table"
    );
    let first = out.lines().next().unwrap();
    assert!(
        doc.contains(&format!("`{first}`")),
        "the doc names the recorded run: {first}"
    );
    let row = table_rows(&out)
        .into_iter()
        .find(|r| r.starts_with("| 10,000 |"))
        .expect("a 10,000-site row");
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    assert!(figure(cells[3], "MB (") < 30_000_000, "{row}");
    assert!(figure(cells[5], "") < 2_000, "first screen median: {row}");
}

/// The page's size grows with the plan as recorded: two small generated
/// plans give its bytes per site, and at that rate a 10,000-site page is
/// within a fifth of the size the benchmark recorded (so a change that
/// bloats the page fails here, not only when the benchmark is re-run).
#[test]
fn the_page_grows_at_the_rate_the_benchmark_recorded() {
    use removal_timeline::artifact::Context;
    use removal_timeline::network::lower::LowerOptions;
    let size = |n: usize| {
        let raw = removal_timeline::generate::generate(n, 1);
        let json = serde_json::to_string(&raw).unwrap();
        let plan = removal_timeline::load::plan_str(&json, Path::new("generated.json"))
            .unwrap()
            .plan;
        let opts = removal_timeline::schedule::SearchOptions::default();
        let done =
            removal_timeline::pipeline::schedule_plan(&plan, &LowerOptions::default(), |p| {
                removal_timeline::schedule::solve(p, &opts)
            })
            .unwrap();
        let tl = done.timeline;
        assert_eq!(removal_timeline::verify::verify(&plan, &tl), vec![]);
        let ctx = Context {
            plan: &plan,
            timeline: &tl,
            links: &done.links,
            baseline: None,
            risk: None,
            committed: None,
        };
        let page = removal_timeline::bundle::publish(&ctx)
            .unwrap()
            .into_iter()
            .find(|a| a.path == "timeline.html")
            .expect("the bundle has timeline.html");
        page.bytes.len() as f64
    };
    let (small, large) = (size(100), size(300));
    let predicted = large + (large - small) / 200.0 * 9_700.0;
    let out = std::fs::read_to_string("benches/page.out").unwrap();
    let row = table_rows(&out)
        .into_iter()
        .find(|r| r.starts_with("| 10,000 |"))
        .unwrap();
    let recorded = figure(row.split('|').nth(3).unwrap(), "MB (") as f64;
    let ratio = predicted / recorded;
    eprintln!("page size at 10,000 sites: {predicted:.0} bytes predicted, {recorded:.0} recorded");
    assert!(
        (0.8..1.2).contains(&ratio),
        "a 10,000-site page would be {predicted:.0} bytes, the benchmark recorded {recorded:.0}"
    );
    assert!(predicted < 30e6);
}
