//! Integration tests: report — the published documents, the public bundle,
//! escaping of hostile names, and why late sites are late.
//!
//! Plans are built in code; schedules are placed by hand (each test says
//! where every task runs) and turned into timelines by the real
//! `timeline::build`, so the constructed cases are exact.

use chrono::NaiveDate;
use removal_timeline::artifact::{Artifact, Context};
use removal_timeline::network::{self, lower};
use removal_timeline::plan::*;
use removal_timeline::report;
use removal_timeline::schedule::{Failure, Placement, Score, Solution, UnitIx};
use removal_timeline::timeline::{self, LateCategory, Timeline};
use removal_timeline::units::{Hundredths, Money, Price};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn device(
    id: &str,
    name: &str,
    replace: bool,
    remove_h: i64,
    lead: u32,
    unit_cost: i64,
) -> DeviceType {
    DeviceType {
        id: id.into(),
        name: Some(name.into()),
        replace,
        unit_cost: Price::cents(unit_cost * 100),
        install_hours: Hundredths(600),
        remove_hours: Hundredths(remove_h),
        lead_time_days: lead,
        disposal_cost: Price::ZERO,
        lead_time_range_days: None,
    }
}

fn crew(id: &str, region: u32, cleared: bool, rate: i64) -> Crew {
    Crew {
        id: id.into(),
        region: RegionIx(region),
        cleared,
        day_rate: Money(rate * 100),
        available_from: None,
        available_to: None,
    }
}

/// A site: `cams` cameras (removed only) and `nvrs` recorders (replaced).
fn site(id: &str, region: u32, tier: u32, cams: u64, nvrs: u64) -> Site {
    let mut devices = Vec::new();
    if cams > 0 {
        devices.push((DeviceTypeIx(0), cams));
    }
    if nvrs > 0 {
        devices.push((DeviceTypeIx(1), nvrs));
    }
    Site {
        id: id.into(),
        name: None,
        region: RegionIx(region),
        tier: TierIx(tier),
        devices,
        cleared_only: false,
        not_before: None,
        deadline: None,
        blackouts: Vec::new(),
        owner: None,
    }
}

/// Two tiers, two regions (London with one cleared crew, North with one
/// crew), cameras at 1.5 h to remove and recorders with a 45-day lead time.
fn base_plan(sites: Vec<Site>) -> Plan {
    Plan {
        name: "Camera removal".into(),
        start: d("2026-01-05"),
        deadline: None,
        currency: "GBP".into(),
        financial_year_start: Default::default(),
        calendar: Calendar::default(),
        workflow: Workflow::default(),
        tiers: vec![
            Tier {
                id: "T1".into(),
                name: Some("Tier 1".into()),
                weight: 10.0,
                deadline: Some(d("2026-06-30")),
            },
            Tier {
                id: "T2".into(),
                name: Some("Tier 2".into()),
                weight: 1.0,
                deadline: Some(d("2026-12-31")),
            },
        ],
        device_types: vec![
            device("cam", "camera", false, 150, 0, 0),
            device("nvr", "recorder", true, 100, 45, 3000),
        ],
        regions: vec![
            Region {
                id: "london".into(),
                name: Some("London".into()),
            },
            Region {
                id: "north".into(),
                name: Some("the North".into()),
            },
        ],
        crews: vec![crew("lon-a", 0, true, 0), crew("north-a", 1, false, 0)],
        budget: None,
        sites,
        dependencies: Vec::new(),
        status_date: None,
        progress: Vec::new(),
        objective: Default::default(),
        owners: Vec::new(),
        targets: Vec::new(),
    }
}

/// Where each listed task runs: (task ID, start, finish, crew). Unlisted
/// tasks are blocked by their first unlisted predecessor, or fail with
/// `fail` when none is.
fn schedule(plan: &Plan, placed: &[(&str, &str, &str, Option<&str>)], fail: Failure) -> Timeline {
    let net = network::build(plan).expect("no cycle");
    let low = lower::lower(plan, &net, &lower::LowerOptions::default());
    let preds = net.predecessors();
    let mut acts: Vec<Option<Result<Placement, Failure>>> = vec![None; net.tasks.len()];
    for (id, s, f, c) in placed {
        let t = net
            .tasks
            .iter()
            .position(|t| t.id == *id)
            .unwrap_or_else(|| panic!("no task {id}"));
        let crew = c.map(|c| plan.crews.iter().position(|x| x.id == c).expect("crew"));
        let (s, f) = (d(s), d(f));
        let days = net.tasks[t].duration;
        let cost = lower::table_cost(plan, &net.tasks[t], crew.map(CrewIx::from), days);
        let p = Placement {
            start: low.time(s),
            finish: low.time(f),
            unit: crew.map(UnitIx::from),
            cost,
        };
        acts[low.task_act[t].ix()] = Some(Ok(p));
    }
    for (t, task_preds) in preds.iter().enumerate() {
        let a = low.task_act[t].ix();
        if acts[a].is_none() {
            let blocked = task_preds
                .iter()
                .find(|e| !matches!(acts[low.task_act[e.from.ix()].ix()], Some(Ok(_))));
            acts[a] = Some(Err(match blocked {
                Some(e) => Failure::BlockedBy(low.task_act[e.from.ix()]),
                None => fail,
            }));
        }
    }
    let sol = Solution {
        activities: acts.into_iter().map(|a| a.unwrap()).collect(),
        score: Score::default(),
        schedules: 1,
    };
    timeline::build::build(plan, &net, &low, &sol)
}

/// The reasons the timeline stage gave, one per site (plan order).
fn reasons(_plan: &Plan, tl: &Timeline) -> Vec<Option<String>> {
    tl.sites.iter().map(|s| s.late_reason.clone()).collect()
}

fn reason_of(plan: &Plan, tl: &Timeline, site: &str) -> String {
    let i = plan.sites.iter().position(|s| s.id == site).unwrap();
    reasons(plan, tl)[i]
        .clone()
        .unwrap_or_else(|| panic!("{site} has no reason"))
}

// ---- why late -------------------------------------------------------------

#[test]
fn crew_contention_names_the_sites_holding_the_crews() {
    let mut a = site("whitehall-03", 0, 0, 60, 0);
    a.cleared_only = true;
    let mut b = site("annex-9", 0, 1, 10, 0);
    b.cleared_only = true;
    b.deadline = Some(d("2026-01-20"));
    let plan = base_plan(vec![a, b]);
    let tl = schedule(
        &plan,
        &[
            (
                "whitehall-03/survey",
                "2026-01-05",
                "2026-01-05",
                Some("lon-a"),
            ),
            (
                "whitehall-03/remove/1",
                "2026-01-06",
                "2026-01-19",
                Some("lon-a"),
            ),
            (
                "whitehall-03/remove/2",
                "2026-01-20",
                "2026-01-21",
                Some("lon-a"),
            ),
            ("whitehall-03/dispose", "2026-01-22", "2026-01-26", None),
            ("annex-9/survey", "2026-01-22", "2026-01-22", Some("lon-a")),
            (
                "annex-9/remove/1",
                "2026-01-23",
                "2026-01-26",
                Some("lon-a"),
            ),
            ("annex-9/dispose", "2026-01-27", "2026-01-31", None),
        ],
        Failure::Horizon,
    );
    assert_eq!(tl.sites[1].late_days, Some(6));
    let r = reasons(&plan, &tl);
    assert_eq!(r[0], None, "on time: no reason");
    assert_eq!(
        r[1].as_deref(),
        Some("Waited 17 days for cleared crews in London, busy at tier T1 site whitehall-03")
    );
    assert_eq!(tl.sites[1].late_category, Some(LateCategory::Crews));
}

#[test]
fn lead_time_is_named_with_its_device_type() {
    let mut a = site("hq-1", 1, 0, 10, 2);
    a.deadline = Some(d("2026-02-13"));
    let plan = base_plan(vec![a]);
    let tl = schedule(
        &plan,
        &[
            ("hq-1/survey", "2026-01-05", "2026-01-05", Some("north-a")),
            ("hq-1/procure", "2026-01-06", "2026-02-19", None),
            (
                "hq-1/install/1",
                "2026-02-20",
                "2026-02-23",
                Some("north-a"),
            ),
            (
                "hq-1/commission",
                "2026-02-24",
                "2026-02-24",
                Some("north-a"),
            ),
            ("hq-1/remove/1", "2026-02-25", "2026-02-27", Some("north-a")),
            ("hq-1/dispose", "2026-03-02", "2026-03-06", None),
        ],
        Failure::Horizon,
    );
    assert_eq!(tl.sites[0].late_days, Some(14));
    assert_eq!(
        reason_of(&plan, &tl, "hq-1"),
        "45-day lead time for replacement recorder"
    );
    assert_eq!(tl.sites[0].late_category, Some(LateCategory::Supply));
}

#[test]
fn exhausted_budget_period_says_how_much_was_left_and_needed() {
    let mut plan = base_plan(vec![site("a", 0, 0, 0, 2), site("b", 1, 1, 0, 2)]);
    plan.sites[1].deadline = Some(d("2026-04-30"));
    plan.budget = Some(Budget {
        carry_over: false,
        periods: vec![
            BudgetPeriod {
                from: d("2026-01-01"),
                to: d("2026-03-31"),
                amount: Money(1_000_000),
            },
            BudgetPeriod {
                from: d("2026-04-01"),
                to: d("2026-06-30"),
                amount: Money(10_000_000),
            },
        ],
    });
    let tl = schedule(
        &plan,
        &[
            ("a/survey", "2026-01-05", "2026-01-05", Some("lon-a")),
            ("a/procure", "2026-01-06", "2026-02-19", None),
            ("a/install/1", "2026-02-20", "2026-02-23", Some("lon-a")),
            ("a/commission", "2026-02-24", "2026-02-24", Some("lon-a")),
            ("a/remove/1", "2026-02-25", "2026-02-25", Some("lon-a")),
            ("a/dispose", "2026-02-26", "2026-03-02", None),
            ("b/survey", "2026-01-05", "2026-01-05", Some("north-a")),
            ("b/procure", "2026-04-01", "2026-05-15", None),
            ("b/install/1", "2026-05-18", "2026-05-19", Some("north-a")),
            ("b/commission", "2026-05-20", "2026-05-20", Some("north-a")),
            ("b/remove/1", "2026-05-21", "2026-05-21", Some("north-a")),
            ("b/dispose", "2026-05-22", "2026-05-26", None),
        ],
        Failure::Horizon,
    );
    assert_eq!(tl.sites[1].late_days, Some(21));
    assert_eq!(
        reason_of(&plan, &tl, "b"),
        "Waited 85 days for money: the £10k budgeted for 1 Jan 2026 – 31 Mar 2026 was committed \
         by 6 Jan 2026 (£4.0k left, £6.0k needed), none of it to sites less urgent than this \
         one, and money came next from 1 Apr 2026; then 45-day lead time for replacement recorder"
    );
    assert_eq!(tl.sites[1].late_category, Some(LateCategory::Funding));
    assert_eq!(tl.sites[0].late_category, None, "on time: no category");
}

#[test]
fn dependency_on_another_site_is_named() {
    let mut plan = base_plan(vec![site("a", 0, 0, 60, 0), site("b", 1, 1, 10, 0)]);
    plan.sites[1].deadline = Some(d("2026-01-21"));
    plan.dependencies.push(Dependency {
        from: PhaseRef {
            site: SiteIx(0),
            phase: Phase::Remove,
        },
        to: PhaseRef {
            site: SiteIx(1),
            phase: Phase::Survey,
        },
        lag_days: 0,
    });
    let tl = schedule(
        &plan,
        &[
            ("a/survey", "2026-01-05", "2026-01-05", Some("lon-a")),
            ("a/remove/1", "2026-01-06", "2026-01-19", Some("lon-a")),
            ("a/remove/2", "2026-01-20", "2026-01-21", Some("lon-a")),
            ("a/dispose", "2026-01-22", "2026-01-26", None),
            ("b/survey", "2026-01-22", "2026-01-22", Some("north-a")),
            ("b/remove/1", "2026-01-23", "2026-01-26", Some("north-a")),
            ("b/dispose", "2026-01-27", "2026-01-31", None),
        ],
        Failure::Horizon,
    );
    assert_eq!(tl.sites[1].late_days, Some(5));
    assert_eq!(
        reason_of(&plan, &tl, "b"),
        "Waited for removal at a (a dependency), done 21 Jan 2026"
    );
    assert_eq!(tl.sites[1].late_category, Some(LateCategory::Dependency));
}

#[test]
fn blackout_is_named_with_its_dates() {
    let mut c = site("c", 1, 0, 10, 0);
    c.blackouts.push(DateRange {
        from: d("2026-01-05"),
        to: d("2026-02-13"),
    });
    c.deadline = Some(d("2026-02-16"));
    let plan = base_plan(vec![c]);
    let tl = schedule(
        &plan,
        &[
            ("c/survey", "2026-02-16", "2026-02-16", Some("north-a")),
            ("c/remove/1", "2026-02-17", "2026-02-18", Some("north-a")),
            ("c/dispose", "2026-02-19", "2026-02-23", None),
        ],
        Failure::Horizon,
    );
    assert_eq!(
        reason_of(&plan, &tl, "c"),
        "Waited 42 days for the site's blackout 5 Jan 2026 – 13 Feb 2026"
    );
    assert_eq!(tl.sites[0].late_category, Some(LateCategory::Access));
}

#[test]
fn crew_window_and_not_before_are_named() {
    let mut plan = base_plan(vec![site("n", 1, 0, 10, 0), site("m", 0, 0, 10, 0)]);
    plan.crews[1].available_from = Some(d("2026-03-02"));
    plan.sites[0].deadline = Some(d("2026-03-02"));
    plan.sites[1].not_before = Some(d("2026-04-01"));
    plan.sites[1].deadline = Some(d("2026-04-01"));
    let tl = schedule(
        &plan,
        &[
            ("n/survey", "2026-03-02", "2026-03-02", Some("north-a")),
            ("n/remove/1", "2026-03-03", "2026-03-04", Some("north-a")),
            ("n/dispose", "2026-03-05", "2026-03-09", None),
            ("m/survey", "2026-04-01", "2026-04-01", Some("lon-a")),
            ("m/remove/1", "2026-04-02", "2026-04-03", Some("lon-a")),
            ("m/dispose", "2026-04-06", "2026-04-10", None),
        ],
        Failure::Horizon,
    );
    assert_eq!(
        reason_of(&plan, &tl, "n"),
        "Waited 56 days for a crew available from 2 Mar 2026"
    );
    assert_eq!(
        reason_of(&plan, &tl, "m"),
        "Not allowed to start before 1 Apr 2026"
    );
    // A crew not yet available is a crew matter; a not-before date is access.
    assert_eq!(tl.sites[0].late_category, Some(LateCategory::Crews));
    assert_eq!(tl.sites[1].late_category, Some(LateCategory::Access));
}

#[test]
fn unscheduled_site_gives_the_root_failure() {
    let mut plan = base_plan(vec![site("u", 0, 0, 4, 2)]);
    plan.budget = Some(Budget {
        carry_over: false,
        periods: vec![BudgetPeriod {
            from: d("2026-01-01"),
            to: d("2026-12-31"),
            amount: Money(100),
        }],
    });
    let tl = schedule(
        &plan,
        &[("u/survey", "2026-01-05", "2026-01-05", Some("lon-a"))],
        Failure::Budget {
            from: 1,
            cost: Money(600_000),
        },
    );
    assert_eq!(tl.sites[0].late_days, None);
    let r = reason_of(&plan, &tl, "u");
    assert!(
        r.starts_with("No date for removal: procurement cannot be scheduled ("),
        "{r}"
    );
    assert!(r.contains("can fund 6,000 GBP"), "{r}");
    assert_eq!(tl.sites[0].late_category, Some(LateCategory::Funding));
}

#[test]
fn sites_on_time_or_without_devices_have_no_reason() {
    let plan = base_plan(vec![site("ok", 1, 0, 10, 0), site("empty", 1, 0, 0, 0)]);
    let tl = schedule(
        &plan,
        &[
            ("ok/survey", "2026-01-05", "2026-01-05", Some("north-a")),
            ("ok/remove/1", "2026-01-06", "2026-01-07", Some("north-a")),
            ("ok/dispose", "2026-01-08", "2026-01-12", None),
        ],
        Failure::Horizon,
    );
    assert_eq!(reasons(&plan, &tl), vec![None, None]);
}

// ---- the documents ------------------------------------------------------------

/// Four sites: one on time, one late for money, one with no devices, one
/// that cannot be scheduled; a budget in two periods.
fn sample() -> (Plan, Timeline) {
    let mut plan = base_plan(vec![
        site("a", 0, 0, 0, 2),
        site("b", 1, 1, 0, 2),
        site("empty", 1, 1, 0, 0),
        site("u", 1, 1, 30, 0),
    ]);
    plan.name = "Camera removal programme".into();
    plan.sites[0].name = Some("Alpha House".into());
    plan.sites[1].deadline = Some(d("2026-04-30"));
    plan.crews[1].available_to = Some(d("2026-06-30"));
    plan.budget = Some(Budget {
        carry_over: false,
        periods: vec![
            BudgetPeriod {
                from: d("2026-01-01"),
                to: d("2026-03-31"),
                amount: Money(1_000_000),
            },
            BudgetPeriod {
                from: d("2026-04-01"),
                to: d("2026-06-30"),
                amount: Money(10_000_000),
            },
        ],
    });
    let tl = schedule(
        &plan,
        &[
            ("a/survey", "2026-01-05", "2026-01-05", Some("lon-a")),
            ("a/procure", "2026-01-06", "2026-02-19", None),
            ("a/install/1", "2026-02-20", "2026-02-23", Some("lon-a")),
            ("a/commission", "2026-02-24", "2026-02-24", Some("lon-a")),
            ("a/remove/1", "2026-02-25", "2026-02-25", Some("lon-a")),
            ("a/dispose", "2026-02-26", "2026-03-02", None),
            ("b/survey", "2026-01-05", "2026-01-05", Some("north-a")),
            ("b/procure", "2026-04-01", "2026-05-15", None),
            ("b/install/1", "2026-05-18", "2026-05-19", Some("north-a")),
            ("b/commission", "2026-05-20", "2026-05-20", Some("north-a")),
            ("b/remove/1", "2026-05-21", "2026-05-21", Some("north-a")),
            ("b/dispose", "2026-05-22", "2026-05-26", None),
        ],
        Failure::NoUnit,
    );
    (plan, tl)
}

/// The bundle as the product publishes it (`bundle::publish`), its
/// charts drawn for real.
fn render(plan: &Plan, tl: &Timeline) -> Vec<Artifact> {
    let links = timeline::Links::new(plan, &network::build(plan).expect("no cycle"), tl);
    let ctx = Context {
        plan,
        timeline: tl,
        links: &links,
        baseline: None,
        risk: None,
        committed: None,
    };
    removal_timeline::bundle::publish(&ctx).expect("publishes")
}

fn file<'a>(files: &'a [Artifact], path: &str) -> &'a str {
    let a = files
        .iter()
        .find(|a| a.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&a.bytes).expect("text")
}

/// Compares with `tests/golden/NAME`; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
    assert_eq!(
        actual, expected,
        "{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"
    );
}

#[test]
fn the_bundle_has_every_document() {
    let (plan, tl) = sample();
    let files = render(&plan, &tl);
    let paths: Vec<&str> = files.iter().map(|a| a.path.as_str()).collect();
    for p in [
        "report.html",
        "report.md",
        "public/report.html",
        "public/report.md",
        "public/milestones.csv",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

#[test]
fn report_md_matches_golden() {
    let (plan, tl) = sample();
    golden("report.md", file(&render(&plan, &tl), "report.md"));
}

#[test]
fn public_milestones_csv_matches_golden() {
    let (plan, tl) = sample();
    golden(
        "milestones.csv",
        file(&render(&plan, &tl), "public/milestones.csv"),
    );
}

#[test]
fn report_tells_the_headline_and_the_reasons() {
    let (plan, tl) = sample();
    let files = render(&plan, &tl);
    let md = file(&files, "report.md");
    assert!(md.contains("**Removal complete: not complete — 1 site (30 devices) has no date. The tier T1 site is clear by 25 February 2026; 2 of 2 tier T2 sites miss their deadline, 1 of them with no date at all.**"), "{md}");
    assert!(
        md.contains("- 2 of 3 sites miss their deadline, 1 of them with no date at all\n"),
        "{md}"
    );
    assert!(md.contains("- Tier T2 (Tier 2), 32 devices: 2 of 2 sites miss their deadline, 1 of them with no date at all; not clear: 30 devices have no date; target 31 December 2026\n"), "{md}");
    assert!(md.contains("Waited 85 days for money"), "{md}");
    assert!(md.contains("![Gantt chart: ") && md.contains("](gantt.png)"));
    let html = file(&files, "report.html");
    assert!(html.contains("Waited 85 days for money"));
    assert!(html.contains("<tr class=\"late\">"));
}

/// Every `src=` is an inline image and no tag or style refers to the
/// network or a file. (Text is escaped, so `<` only opens our own tags; a
/// site named "http://…" is text, not a reference.)
fn assert_self_contained(html: &str) {
    for tag in html
        .split('<')
        .skip(1)
        .map(|t| &t[..t.find('>').expect("tag closes")])
    {
        let lower = tag.to_ascii_lowercase();
        let name = lower.split_whitespace().next().unwrap_or("");
        assert!(
            !["script", "link", "iframe", "object", "embed", "base"].contains(&name),
            "<{tag}>"
        );
        assert!(!lower.contains("href="), "<{tag}>");
        if let Some(i) = lower.find("src=") {
            assert!(
                lower[i..].starts_with("src=\"data:image/png;base64,"),
                "external src in <{tag}>"
            );
            continue;
        }
        assert!(
            !lower.contains("http:") && !lower.contains("https:") && !lower.contains("//"),
            "<{tag}>"
        );
    }
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    assert!(!style.contains("url(") && !style.contains("@import") && !style.contains("//"));
}

#[test]
fn html_reports_are_self_contained() {
    let (plan, tl) = sample();
    let files = render(&plan, &tl);
    for p in ["report.html", "public/report.html"] {
        let html = file(&files, p);
        assert_self_contained(html);
        assert!(
            html.contains("src=\"data:image/png;base64,"),
            "{p} embeds its charts"
        );
    }
    assert!(file(&files, "public/report.md").contains("![Devices still in place over time: "));
}

/// Names a plan author could have typed, each hostile to some format.
fn hostile_plan() -> (Plan, Timeline) {
    let (mut plan, _) = sample();
    plan.name = "<script>alert(1)</script> & \"Ops\"".into();
    plan.sites[0].name = Some("=HYPERLINK(\"http://evil.example\",\"x\")".into());
    plan.sites[1].name = Some("Line one\nline two | pipe, comma; semi \\ back".into());
    plan.tiers[0].name = Some("=1+1 <b>bold</b>".into());
    plan.tiers[1].name = Some("@SUM(A1) 'q' \"dq\" & amp".into());
    plan.regions[0].name = Some("-2+3 <img src=x onerror=alert(1)>".into());
    plan.device_types[1].name = Some("rec<order>\r\n&co".into());
    let tl = sample().1;
    (plan, tl)
}

#[test]
fn hostile_names_stay_inert_in_html_and_markdown() {
    let (plan, tl) = hostile_plan();
    let files = render(&plan, &tl);
    for p in ["report.html", "public/report.html"] {
        let html = file(&files, p);
        assert!(!html.contains("<script>"), "{p}");
        assert!(!html.contains("<b>bold"), "{p}");
        assert!(!html.contains("<img src=x"), "{p}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ops&quot;"),
            "{p}"
        );
        assert_self_contained(html);
    }
    for p in ["report.md", "public/report.md"] {
        let md = file(&files, p);
        assert!(
            !md.contains("<script>") && !md.contains("<img") && !md.contains("<b>"),
            "{p}"
        );
        for line in md.lines().filter(|l| l.starts_with('|')) {
            assert!(line.ends_with('|'), "table row broken in {p}: {line}");
        }
    }
    assert!(file(&files, "report.md").contains("Line one line two \\| pipe"));
}

#[test]
fn hostile_tier_names_cannot_become_csv_formulas() {
    let (plan, tl) = hostile_plan();
    let files = render(&plan, &tl);
    let csv = file(&files, "public/milestones.csv");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let tiers: Vec<String> = r.records().map(|rec| rec.unwrap()[1].to_string()).collect();
    assert!(
        tiers.contains(&"'=1+1 <b>bold</b>".to_string()),
        "{tiers:?}"
    );
    assert!(
        tiers.contains(&"'@SUM(A1) 'q' \"dq\" & amp".to_string()),
        "{tiers:?}"
    );
    for t in &tiers {
        assert!(
            !matches!(t.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')),
            "{t}"
        );
    }
}

#[test]
fn public_bundle_names_no_site_crew_or_region() {
    let mut plan = base_plan(vec![
        site("zq-site-alpha", 0, 0, 7, 3),
        site("zq-site-bravo", 1, 1, 11, 0),
    ]);
    plan.sites[0].name = Some("Quokka Barracks".into());
    plan.sites[1].name = Some("Numbat Depot".into());
    plan.crews[0].id = "crew-xylophone".into();
    plan.crews[1].id = "crew-zither".into();
    plan.regions[0].name = Some("Wombat Region".into());
    plan.regions[1].id = "platypus-region".into();
    plan.regions[1].name = None;
    let tl = schedule(
        &plan,
        &[
            (
                "zq-site-alpha/survey",
                "2026-01-05",
                "2026-01-05",
                Some("crew-xylophone"),
            ),
            ("zq-site-alpha/procure", "2026-01-06", "2026-02-19", None),
            (
                "zq-site-alpha/install/1",
                "2026-02-20",
                "2026-02-24",
                Some("crew-xylophone"),
            ),
            (
                "zq-site-alpha/commission",
                "2026-02-25",
                "2026-02-25",
                Some("crew-xylophone"),
            ),
            (
                "zq-site-alpha/remove/1",
                "2026-02-26",
                "2026-03-02",
                Some("crew-xylophone"),
            ),
            ("zq-site-alpha/dispose", "2026-03-03", "2026-03-07", None),
        ],
        Failure::NoUnit,
    );
    let files = render(&plan, &tl);
    let forbidden = [
        "zq-site",
        "Quokka",
        "Numbat",
        "crew-xylophone",
        "crew-zither",
        "xylophone",
        "zither",
        "Wombat",
        "platypus",
        "london",
        "London",
        "North",
    ];
    let public: Vec<&Artifact> = files
        .iter()
        .filter(|a| a.path.starts_with("public/"))
        .collect();
    assert!(public.len() >= 3);
    for a in public {
        let text = String::from_utf8_lossy(&a.bytes);
        for f in forbidden {
            assert!(!text.contains(f), "{} names {f}", a.path);
        }
    }
    // The full report does name them: the test would catch a leak.
    let full = file(&files, "report.md");
    assert!(full.contains("Quokka Barracks") && full.contains("Wombat Region"));
}

// ---- the office formats -------------------------------------------------------

fn xlsx_of(files: &[Artifact]) -> calamine::Xlsx<std::io::Cursor<Vec<u8>>> {
    let a = files
        .iter()
        .find(|a| a.path == "timeline.xlsx")
        .expect("timeline.xlsx");
    calamine::Reader::new(std::io::Cursor::new(a.bytes.clone())).expect("opens")
}

/// An Excel serial date as a date (Excel's day 0 is 1899-12-30 here).
fn excel_day(v: &calamine::Data) -> NaiveDate {
    match v {
        calamine::Data::DateTime(x) => d("1899-12-30") + chrono::Duration::days(x.as_f64() as i64),
        other => panic!("not a date: {other:?}"),
    }
}

#[test]
fn xlsx_reads_back_with_real_dates_and_every_sheet() {
    use calamine::{Data, Reader};
    let (plan, tl) = sample();
    let files = render(&plan, &tl);
    let mut wb = xlsx_of(&files);
    assert_eq!(
        wb.sheet_names(),
        vec!["Summary", "Sites", "Tasks", "Budget"]
    );
    let sites = wb.worksheet_range("Sites").unwrap();
    assert_eq!(sites.get_value((0, 0)), Some(&Data::String("Site".into())));
    assert_eq!(sites.get_value((1, 0)), Some(&Data::String("a".into())));
    assert_eq!(
        sites.get_value((1, 1)),
        Some(&Data::String("Alpha House".into()))
    );
    // Names beside IDs.
    assert_eq!(sites.get_value((1, 2)), Some(&Data::String("T1".into())));
    assert_eq!(
        sites.get_value((1, 3)),
        Some(&Data::String("Tier 1".into()))
    );
    assert_eq!(
        sites.get_value((1, 5)),
        Some(&Data::String("London".into()))
    );
    assert_eq!(excel_day(sites.get_value((1, 7)).unwrap()), d("2026-02-25"));
    assert_eq!(sites.get_value((2, 9)), Some(&Data::Float(21.0)));
    let reason = sites.get_value((2, 10)).unwrap().to_string();
    assert!(reason.starts_with("Waited 85 days for money"), "{reason}");
    let tasks = wb.worksheet_range("Tasks").unwrap();
    assert_eq!(tasks.height(), tl.tasks.len() + 1);
    assert_eq!(
        tasks.get_value((1, 0)),
        Some(&Data::String("a/survey".into()))
    );
    assert_eq!(excel_day(tasks.get_value((2, 7)).unwrap()), d("2026-01-06"));
    assert_eq!(tasks.get_value((2, 12)), Some(&Data::Float(6000.0)));
    // Every task carries its site's tier, and says what its days count.
    for (r, t) in tl.tasks.iter().enumerate() {
        let r = r as u32 + 1;
        let tier = &tl.sites.iter().find(|s| s.id == t.site).unwrap().tier;
        assert_eq!(tasks.get_value((r, 3)), Some(&Data::String(tier.clone())));
        let unit = if matches!(t.phase.as_str(), "procure" | "dispose") {
            "calendar days"
        } else {
            "working days"
        };
        assert_eq!(tasks.get_value((r, 10)), Some(&Data::String(unit.into())));
        assert_eq!(
            tasks.get_value((r, 9)),
            Some(&Data::Float(t.duration as f64))
        );
    }
    assert_eq!(
        tasks.get_value((2, 13)),
        Some(&Data::String("FY 2025/26".into()))
    );
    let budget = wb.worksheet_range("Budget").unwrap();
    assert_eq!(budget.get_value((1, 2)), Some(&Data::Float(10000.0)));
    assert_eq!(budget.get_value((1, 3)), Some(&Data::Float(6000.0)));
    assert_eq!(budget.get_value((1, 4)), Some(&Data::Float(4000.0)));
}

#[test]
fn xlsx_keeps_formula_like_names_as_inert_text() {
    use calamine::{Data, Reader};
    let (mut plan, tl) = hostile_plan();
    plan.sites[2].name = Some("+cmd|' /C calc'!A0".into());
    plan.sites[3].name = Some("\tTabbed".into());
    let files = render(&plan, &tl);
    let mut wb = xlsx_of(&files);
    let sites = wb.worksheet_range("Sites").unwrap();
    let names: Vec<Option<&Data>> = (1..=4).map(|r| sites.get_value((r, 1))).collect();
    assert_eq!(
        names[0],
        Some(&Data::String(
            "=HYPERLINK(\"http://evil.example\",\"x\")".into()
        ))
    );
    assert_eq!(names[2], Some(&Data::String("+cmd|' /C calc'!A0".into())));
    assert_eq!(names[3], Some(&Data::String("\tTabbed".into())));
    for sheet in ["Summary", "Sites", "Tasks", "Budget"] {
        let formulas = wb.worksheet_formula(sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} has a formula"
        );
    }
    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(
        summary.get_value((1, 1)),
        Some(&Data::String(plan.name.clone()))
    );
}

#[test]
fn documents_are_deterministic() {
    let (plan, tl) = sample();
    assert_eq!(render(&plan, &tl), render(&plan, &tl));
}

/// Unfolds an iCalendar stream into its content lines.
fn ics_lines(bytes: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"));
    for raw in text.split("\r\n") {
        assert!(raw.len() <= 75, "line over 75 octets: {raw}");
        assert!(
            !raw.contains('\n') && !raw.contains('\r'),
            "bare line break"
        );
    }
    text.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// Reverses RFC 5545 TEXT escaping.
fn ics_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn ics_parses_back_with_events_for_removals_and_deadlines() {
    let (mut plan, tl) = hostile_plan();
    plan.sites[1].name = Some("Wing; East, \\ \"B\"\nfloor 2 ".repeat(4));
    let files = render(&plan, &tl);
    let ics = files.iter().find(|a| a.path == "timeline.ics").unwrap();
    let lines = ics_lines(&ics.bytes);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    let mut events = Vec::new();
    let mut cur: Vec<(String, String)> = Vec::new();
    for l in &lines {
        match l.as_str() {
            "BEGIN:VEVENT" => cur.clear(),
            "END:VEVENT" => events.push(std::mem::take(&mut cur)),
            _ => {
                // The property name ends at the first unescaped ':' or ';'.
                let i = l.find([':', ';']).unwrap();
                let v = &l[l.find(':').unwrap() + 1..];
                cur.push((l[..i].to_string(), v.to_string()));
            }
        }
    }
    let get = |ev: &Vec<(String, String)>, k: &str| {
        ev.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    };
    let uids: Vec<String> = events.iter().map(|e| get(e, "UID").unwrap()).collect();
    assert!(uids.contains(&"removal-a@removal-timeline.invalid".to_string()));
    assert!(uids.contains(&"removal-b@removal-timeline.invalid".to_string()));
    assert!(uids.contains(&"deadline-tier-T1@removal-timeline.invalid".to_string()));
    assert!(uids.contains(&"deadline-site-b@removal-timeline.invalid".to_string()));
    let unique: std::collections::BTreeSet<&String> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len(), "UIDs are unique");
    let b = events
        .iter()
        .find(|e| get(e, "UID").unwrap().starts_with("removal-b@"))
        .unwrap();
    assert_eq!(get(b, "DTSTART").unwrap(), "20260521");
    assert_eq!(get(b, "DTEND").unwrap(), "20260522");
    assert_eq!(get(b, "DTSTAMP").unwrap(), "20260105T000000Z");
    // A first schedule (no status date) is sequence 0.
    assert!(events
        .iter()
        .all(|e| get(e, "SEQUENCE").as_deref() == Some("0")));
    let summary = ics_unescape(&get(b, "SUMMARY").unwrap());
    assert!(
        summary.ends_with(&format!(
            "Removal complete: {} (b)",
            plan.sites[1].name.as_ref().unwrap()
        )),
        "{summary}"
    );
    // One event per dated crew task, spanning its days, naming site and crew.
    let crew_tasks: Vec<_> = tl
        .tasks
        .iter()
        .filter(|t| t.crew.is_some() && t.start.is_some())
        .collect();
    assert!(!crew_tasks.is_empty());
    for t in crew_tasks {
        let uid = format!("visit-{}@removal-timeline.invalid", t.id.replace('/', "-"));
        let ev = events
            .iter()
            .find(|e| get(e, "UID").as_deref() == Some(uid.as_str()))
            .unwrap_or_else(|| panic!("no visit for {}", t.id));
        let day = |s: String| NaiveDate::parse_from_str(&s, "%Y%m%d").unwrap();
        assert_eq!(day(get(ev, "DTSTART").unwrap()), t.start.unwrap());
        assert_eq!(
            day(get(ev, "DTEND").unwrap()),
            t.finish.unwrap().succ_opt().unwrap()
        );
        let summary = ics_unescape(&get(ev, "SUMMARY").unwrap());
        assert!(summary.contains(t.crew.as_deref().unwrap()), "{summary}");
        assert!(summary.contains(&format!("({})", t.site)), "{summary}");
        assert!(summary.starts_with(t.phase.as_str()), "{summary}");
    }
    // Late sites say so in the summary.
    for s in tl.sites.iter().filter(|s| s.late_days.unwrap_or(0) > 0) {
        let uid = format!("removal-{}@removal-timeline.invalid", s.id);
        let ev = events
            .iter()
            .find(|e| get(e, "UID").as_deref() == Some(uid.as_str()))
            .unwrap();
        assert!(get(ev, "SUMMARY").unwrap().starts_with("LATE by "));
    }
}

#[test]
fn ics_sequence_rises_with_the_status_date() {
    let (plan, mut tl) = sample();
    let seq = |tl: &Timeline| {
        let files = render(&plan, tl);
        let ics = files.iter().find(|a| a.path == "timeline.ics").unwrap();
        let lines = ics_lines(&ics.bytes);
        let seqs: std::collections::BTreeSet<String> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("SEQUENCE:").map(String::from))
            .collect();
        assert_eq!(seqs.len(), 1, "one sequence per publication");
        seqs.into_iter().next().unwrap().parse::<i64>().unwrap()
    };
    assert_eq!(seq(&tl), 0);
    tl.status_date = Some(d("2026-02-02"));
    let first = seq(&tl);
    tl.status_date = Some(d("2026-03-02"));
    let second = seq(&tl);
    assert!(0 < first && first < second, "{first} {second}");
}

/// Every `<Task>` and `<Calendar>` of an MSPDI file as (child, text) lists.
fn mspdi_elements(bytes: &[u8], element: &str) -> Vec<Vec<(String, String)>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let (mut depth_in, mut depth) = (None::<usize>, 0usize);
    let (mut cur, mut out) = (Vec::new(), Vec::new());
    let mut name = String::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                let n = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if n == element && depth_in.is_none() {
                    depth_in = Some(depth);
                    cur.clear();
                }
                name = n;
            }
            Event::Text(t) if depth_in.is_some() => {
                cur.push((name.clone(), t.decode().unwrap().to_string()));
            }
            Event::End(_) => {
                if depth_in == Some(depth) {
                    out.push(std::mem::take(&mut cur));
                    depth_in = None;
                }
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[test]
fn project_xml_finishes_on_the_timelines_days_with_readable_names_and_blackouts() {
    let (mut plan, tl) = sample();
    plan.sites[1].blackouts = vec![DateRange {
        from: d("2026-03-02"),
        to: d("2026-03-13"),
    }];
    let files = render(&plan, &tl);
    let xml = files.iter().find(|a| a.path == "project.xml").unwrap();
    let tasks = mspdi_elements(&xml.bytes, "Task");
    let get =
        |t: &Vec<(String, String)>, k: &str| t.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let mut seen = 0;
    for row in tl.tasks.iter().filter(|t| t.start.is_some()) {
        let site = plan.sites.iter().find(|s| s.id == row.site).unwrap();
        let label = match &site.name {
            Some(n) => format!("{n} ({})", site.id),
            None => site.id.clone(),
        };
        let t = tasks
            .iter()
            .find(|t| {
                get(t, "Name")
                    .is_some_and(|n| n.starts_with(&format!("{label}: {}", row.phase.as_str())))
                    && get(t, "Start")
                        .is_some_and(|s| s.starts_with(&row.start.unwrap().to_string()))
            })
            .unwrap_or_else(|| panic!("no task for {}", row.id));
        let finish = get(t, "Finish").unwrap();
        assert!(
            finish.starts_with(&row.finish.unwrap().to_string()),
            "{}: finish {finish}, timeline {:?}",
            row.id,
            row.finish
        );
        // The blacked-out site's tasks use its own calendar.
        let cal = get(t, "CalendarUID");
        assert_eq!(cal.is_some(), site.id == "b", "{}", row.id);
        seen += 1;
    }
    assert!(seen > 0);
    let cals = mspdi_elements(&xml.bytes, "Calendar");
    assert_eq!(cals.len(), 2, "the programme's and site b's");
    let b = &cals[1];
    assert_eq!(get(b, "BaseCalendarUID").as_deref(), Some("1"));
    assert!(b.contains(&("FromDate".into(), "2026-03-02T00:00:00".into())));
    assert!(b.contains(&("ToDate".into(), "2026-03-13T23:59:00".into())));
}

#[test]
fn project_xml_parses_back_with_tasks_links_resources_and_assignments() {
    use quick_xml::events::Event;
    let (plan, tl) = hostile_plan();
    let files = render(&plan, &tl);
    let xml = files.iter().find(|a| a.path == "project.xml").unwrap();
    let mut reader = quick_xml::Reader::from_reader(xml.bytes.as_slice());
    let (mut path, mut buf) = (Vec::<String>::new(), Vec::new());
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => {
                path.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                text.clear();
            }
            Event::End(_) => {
                if !text.trim().is_empty() {
                    texts.push((path.join("/"), std::mem::take(&mut text)));
                }
                text.clear();
                path.pop();
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap().to_string();
                let c = match name.as_str() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => r.resolve_char_ref().unwrap().expect("character reference"),
                };
                text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let all = |p: &str| -> Vec<&str> {
        texts
            .iter()
            .filter(|(k, _)| k == p)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(
        all("Project/Name"),
        vec![plan.name.as_str()],
        "hostile name round-trips as text"
    );
    let names = all("Project/Tasks/Task/Name");
    assert!(
        names.contains(&"=HYPERLINK(\"http://evil.example\",\"x\") (a): procure")
            && names.contains(&"=HYPERLINK(\"http://evil.example\",\"x\") (a)")
    );
    // 1 project summary + 4 site summaries + every task.
    assert_eq!(names.len(), 1 + 4 + tl.tasks.len());
    let links = all("Project/Tasks/Task/PredecessorLink/PredecessorUID");
    let net = network::build(&plan).unwrap();
    assert_eq!(links.len(), net.edges.len());
    assert_eq!(
        all("Project/Resources/Resource/Name"),
        vec!["lon-a", "north-a"]
    );
    let crew_tasks = tl.tasks.iter().filter(|t| t.crew.is_some()).count();
    assert_eq!(
        all("Project/Assignments/Assignment/TaskUID").len(),
        crew_tasks
    );
    assert!(all("Project/Tasks/Task/Start")
        .iter()
        .any(|s| s.starts_with("2026-01-06T")));
    assert!(!String::from_utf8_lossy(&xml.bytes).contains("<script>"));
}

#[test]
fn a_long_gantt_stays_beside_the_report() {
    use removal_timeline::chart::sample;
    let published = |sites: usize| {
        let plan = sample::plan(sites, true);
        render(&plan, &sample::timeline(&plan))
    };
    let pages = |files: &[Artifact]| {
        let page = |p: &str| p.starts_with("gantt-") && p.ends_with(".png");
        files.iter().filter(|a| page(&a.path)).count()
    };
    let files = published(250);
    let n = pages(&files);
    assert!(n > report::model::MAX_GANTT_PAGES, "{n} pages");
    let md = file(&files, "report.md");
    let beside = format!(
        "runs to {n} pages; they are beside this report as gantt-01.png to gantt-{n:02}.png"
    );
    assert!(md.contains(&beside), "{md}");
    assert!(!md.contains("](gantt-03.png)"));
    assert!(md.contains("![Gantt chart: ") && md.contains("](gantt.png)"));
    let few = published(120);
    assert_eq!(pages(&few), report::model::MAX_GANTT_PAGES);
    let few = file(&few, "report.md");
    assert!(few.contains("![Gantt chart, page 3: ") && few.contains("](gantt-03.png)"));
}

// ---- risk and owners in the documents (issues 23, 24) ----------------------

/// With risk, the report says how likely the programme deadline, each
/// tier's deadlines and each target are, shows the tornado in its risk
/// section with its summary as alternative text, and the workbook marks
/// every site at risk; read back from the files.
#[test]
fn risk_reaches_the_headline_the_tornado_and_the_workbook() {
    use calamine::{Data, Reader};
    let (plan, done) = crate::common::scheduled_file("example.json");
    let risk = crate::common::small_risk(&plan, &done);
    let ctx = Context {
        risk: Some(&risk),
        ..crate::common::context(&plan, &done)
    };
    let files = removal_timeline::bundle::publish(&ctx).expect("publishes");
    let md = String::from_utf8(
        files
            .iter()
            .find(|a| a.path == "report.md")
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    let headline = md.lines().find(|l| l.starts_with("**")).expect("headline");
    assert!(
        headline.contains("Meeting the programme deadline of"),
        "{headline}"
    );
    for t in &plan.tiers {
        assert!(headline.contains(&format!("Tier {}", t.id)), "{headline}");
    }
    // Each target the risk run gives a probability for.
    for t in &risk.targets {
        assert!(
            headline.contains(&format!("Target {} (", t.id)),
            "{headline}"
        );
    }
    let risk_at = md
        .find("## How sure the timeline is")
        .expect("risk section");
    let tornado = md
        .find("](tornado.png)")
        .expect("the tornado in the report");
    assert!(tornado > risk_at, "the tornado is in the risk section");
    assert!(md[..risk_at].matches("tornado.png").count() == 0);
    let html = String::from_utf8(
        files
            .iter()
            .find(|a| a.path == "report.html")
            .unwrap()
            .bytes
            .clone(),
    )
    .unwrap();
    assert!(
        html.contains("alt=\"What moves the programme&#x27;s P80 date")
            || html.contains("alt=\"What moves the programme's P80 date")
            || html.contains("alt=\"What moves the programme&#39;s P80 date"),
        "tornado alt text"
    );

    let mut wb = xlsx_of(&files);
    let sites = wb.worksheet_range("Sites").unwrap();
    let head: Vec<String> = (0..sites.width() as u32)
        .map(|c| {
            sites
                .get_value((0, c))
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}: {head:?}")) as u32
    };
    let (chance, p80, mark) = (
        col("Chance on time"),
        col("P80 removal complete"),
        col("At risk"),
    );
    let mut marked = 0;
    for r in 1..sites.height() as u32 {
        let id = sites.get_value((r, 0)).unwrap().to_string();
        let sr = risk.sites.iter().find(|s| s.id == id).unwrap();
        assert_eq!(
            sites.get_value((r, mark)) == Some(&Data::String("at risk".into())),
            sr.at_risk,
            "{id}"
        );
        marked += usize::from(sr.at_risk);
        if let Some(p) = sr.on_time_probability {
            assert_eq!(sites.get_value((r, chance)), Some(&Data::Float(p)), "{id}");
        }
        if let Some(d) = sr.p80 {
            assert_eq!(excel_day(sites.get_value((r, p80)).unwrap()), d, "{id}");
        }
    }
    assert_eq!(marked, risk.sites.iter().filter(|s| s.at_risk).count());
    assert!(marked > 0, "the example has sites at risk");
}

/// A plan with owners: the workbook's Sites sheet is grouped by owner, in
/// the plan's order of owners, with the owner's ID and name.
#[test]
fn the_workbook_groups_sites_by_owner() {
    use calamine::Reader;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/audit.json");
    let plan = removal_timeline::load::plan_file(&path)
        .expect("loads")
        .plan;
    let done =
        removal_timeline::pipeline::schedule_plan(&plan, &lower::LowerOptions::default(), |p| {
            removal_timeline::schedule::solve(
                p,
                &removal_timeline::schedule::SearchOptions::default(),
            )
        })
        .expect("schedules");
    let files = render(&plan, &done.timeline);
    let mut wb = xlsx_of(&files);
    let sites = wb.worksheet_range("Sites").unwrap();
    assert_eq!(sites.get_value((0, 11)).unwrap().to_string(), "Owner");
    assert_eq!(sites.get_value((0, 12)).unwrap().to_string(), "Owner name");
    let mut order = Vec::new();
    for r in 1..sites.height() as u32 {
        let id = sites.get_value((r, 0)).unwrap().to_string();
        let owner = sites.get_value((r, 11)).unwrap().to_string();
        let s = done.timeline.sites.iter().find(|s| s.id == id).unwrap();
        assert_eq!(Some(owner.clone()), s.owner, "{id}");
        let o = plan.owners.iter().position(|o| o.id == owner).unwrap();
        assert_eq!(
            sites.get_value((r, 12)).unwrap().to_string(),
            plan.owners[o].name.clone().unwrap_or_default()
        );
        order.push(o);
    }
    assert_eq!(order.len(), done.timeline.sites.len());
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
}
