//! Integration tests: chart. Every chart decodes, has its expected size,
//! is not blank, escapes names, names nothing in the public bundle, and is
//! the same bytes every time and on every machine.

use removal_timeline::artifact::{Artifact, Context};
use removal_timeline::bundle;
use removal_timeline::chart::{self, sample};
use removal_timeline::pipeline::Scheduled;
use removal_timeline::plan::Plan;
use removal_timeline::timeline::{Links, Timeline};

use crate::common::{context, schedule, scheduled_file, small_risk};

/// A context's links before `published` puts in the timeline's own
/// (`sample::links`, read off its rows: a sample timeline has no network).
static NO_LINKS: Links = Links {
    tasks: Vec::new(),
    site_tasks: Vec::new(),
    crews: Vec::new(),
};

fn fixture(n: usize) -> (Plan, Timeline) {
    let plan = sample::plan(n, true);
    let tl = sample::timeline(&plan);
    (plan, tl)
}

fn ctx<'a>(plan: &'a Plan, tl: &'a Timeline) -> Context<'a> {
    Context {
        plan,
        timeline: tl,
        links: &NO_LINKS,
        baseline: None,
        risk: None,
        committed: None,
    }
}

/// The bundle as the product publishes it (`bundle::publish`), with the
/// timeline's links, keeping the charts (PNG and SVG) whose path `keep`
/// accepts.
fn published(c: &Context, keep: impl Fn(&str) -> bool) -> Vec<Artifact> {
    let links = sample::links(c.plan, c.timeline);
    let c = Context {
        links: &links,
        ..*c
    };
    let all = bundle::publish(&c).expect("publishes");
    let chart = |p: &str| p.ends_with(".png") || p.ends_with(".svg");
    all.into_iter()
        .filter(|a| chart(&a.path) && keep(&a.path))
        .collect()
}

/// The programme office's charts of the published bundle.
fn office_charts(c: &Context) -> Vec<Artifact> {
    published(c, |p| !p.starts_with("public/"))
}

/// The public folder's charts of the published bundle.
fn public_charts(c: &Context) -> Vec<Artifact> {
    published(c, |p| p.starts_with("public/"))
}

fn names(arts: &[Artifact]) -> Vec<&str> {
    arts.iter().map(|a| a.path.as_str()).collect()
}

fn decode(a: &Artifact) -> image::RgbImage {
    image::load_from_memory_with_format(&a.bytes, image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{} does not decode: {e}", a.path))
        .to_rgb8()
}

/// Distinct colours in an image, counted up to 64: a blank or one-colour
/// image has 1 or 2.
fn colours(img: &image::RgbImage) -> usize {
    let mut seen: Vec<[u8; 3]> = Vec::new();
    for p in img.pixels() {
        if !seen.contains(&p.0) {
            seen.push(p.0);
            if seen.len() == 64 {
                break;
            }
        }
    }
    seen.len()
}

fn svg_text(a: &Artifact) -> String {
    let s = String::from_utf8(a.bytes.clone()).expect("SVG is UTF-8");
    let mut reader = quick_xml::Reader::from_str(&s);
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(t)) => {
                text.push_str(&t.decode().expect("text decodes"))
            }
            Ok(quick_xml::events::Event::End(_)) => text.push('\n'),
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let name = String::from_utf8_lossy(&r).to_string();
                text.push_str(match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "?",
                });
            }
            Ok(_) => {}
            Err(e) => panic!("{} is not well-formed XML: {e}", a.path),
        }
    }
    text
}

fn check_images(arts: &[Artifact]) {
    for a in arts {
        if a.path.ends_with(".png") {
            let img = decode(a);
            // As wide as every chart; as tall as its content needs.
            assert!(
                img.width() == 1800 && img.height() >= 300,
                "{}: {}x{}",
                a.path,
                img.width(),
                img.height()
            );
            assert!(colours(&img) > 20, "{} looks blank", a.path);
        } else {
            assert!(a.path.ends_with(".svg"), "{}", a.path);
            assert!(!svg_text(a).trim().is_empty(), "{} has no text", a.path);
        }
    }
}

#[test]
fn a_small_programme_draws_every_chart_once_as_png_and_svg() {
    let (plan, tl) = fixture(5);
    let arts = office_charts(&ctx(&plan, &tl));
    let mut n = names(&arts);
    n.sort();
    assert_eq!(
        n,
        [
            "budget.png",
            "budget.svg",
            "burndown.png",
            "burndown.svg",
            "crews.png",
            "crews.svg",
            "gantt.png",
            "gantt.svg"
        ]
    );
    check_images(&arts);
    let gantt = decode(arts.iter().find(|a| a.path == "gantt.png").unwrap());
    assert_eq!(gantt.width(), 1800);
}

#[test]
fn thirty_six_sites_fit_one_gantt_page() {
    let (plan, tl) = fixture(36);
    let arts = office_charts(&ctx(&plan, &tl));
    assert!(!names(&arts).iter().any(|n| n.starts_with("gantt-")));
    let svg = svg_text(arts.iter().find(|a| a.path == "gantt.svg").unwrap());
    for s in &tl.sites {
        assert!(svg.contains(&s.id), "{} missing from the Gantt", s.id);
    }
}

#[test]
fn a_long_programme_pages_the_gantt_and_makes_gantt_png_an_overview() {
    // 1,000 sites make 34 pages (see the model's tests); 120 make 4, which
    // tests the same and keeps the debug test fast.
    let (plan, tl) = fixture(120);
    let arts = office_charts(&ctx(&plan, &tl));
    let n = names(&arts);
    for p in 1..=4 {
        assert!(
            n.contains(&format!("gantt-{p:02}.png").as_str()),
            "page {p}"
        );
        assert!(
            n.contains(&format!("gantt-{p:02}.svg").as_str()),
            "page {p}"
        );
    }
    assert!(!n.contains(&"gantt-05.png"));
    let overview = svg_text(arts.iter().find(|a| a.path == "gantt.svg").unwrap());
    assert!(overview.contains("overview"));
    assert!(!overview.contains("site-0001"), "the overview aggregates");
    let page2 = svg_text(arts.iter().find(|a| a.path == "gantt-02.svg").unwrap());
    assert!(page2.contains("page 2 of 4, sites 31–60 of 120"), "{page2}");
    check_images(&arts);
}

#[test]
fn hostile_names_are_escaped_in_svg() {
    let (plan, tl) = fixture(5);
    let arts = office_charts(&ctx(&plan, &tl));
    let gantt = arts.iter().find(|a| a.path == "gantt.svg").unwrap();
    let raw = String::from_utf8(gantt.bytes.clone()).unwrap();
    assert!(
        !raw.contains("<script"),
        "markup from a plan reached the SVG"
    );
    assert!(raw.contains("&lt;script&gt;"));
    assert!(svg_text(gantt).contains("<script>alert("));
}

#[test]
fn control_characters_in_names_do_not_break_the_svg() {
    let (mut plan, tl) = fixture(5);
    plan.name = "Programme\u{0}\u{7} with\tcontrol\ncharacters".into();
    plan.sites[0].name = Some("bad\u{1b}[31m name".into());
    let arts = office_charts(&ctx(&plan, &tl));
    for a in arts.iter().filter(|a| a.path.ends_with(".svg")) {
        let text = svg_text(a);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{}",
            a.path
        );
    }
}

#[test]
fn drawing_twice_gives_identical_bytes() {
    let (plan, tl) = fixture(50);
    let a = office_charts(&ctx(&plan, &tl));
    let b = office_charts(&ctx(&plan, &tl));
    assert_eq!(a, b);
}

fn digest(arts: &[Artifact]) -> u64 {
    // FNV-1a over every path and byte.
    let mut h: u64 = 0xcbf29ce484222325;
    for a in arts {
        for b in a.path.bytes().chain(a.bytes.iter().copied()) {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    h
}

/// Run by `pngs_do_not_depend_on_system_fonts` in a bare environment.
#[test]
#[ignore = "helper, run by pngs_do_not_depend_on_system_fonts"]
fn print_chart_digest() {
    let (plan, tl) = fixture(5);
    let arts = office_charts(&ctx(&plan, &tl));
    println!("DIGEST={}", digest(&arts));
}

#[test]
fn pngs_do_not_depend_on_system_fonts() {
    let (plan, tl) = fixture(5);
    let here = digest(&office_charts(&ctx(&plan, &tl)));
    // The same charts drawn by a process that can find no font or
    // fontconfig setup at all.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "chart::print_chart_digest",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env("FONTCONFIG_FILE", "/nonexistent/fonts.conf")
        .env("FONTCONFIG_PATH", "/nonexistent")
        .env("XDG_DATA_DIRS", "/nonexistent")
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let there = stdout
        .lines()
        .find_map(|l| l.split("DIGEST=").nth(1))
        .unwrap_or_else(|| {
            panic!(
                "helper failed: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert_eq!(there, here.to_string());
}

#[test]
fn public_charts_name_no_site_or_crew() {
    let (plan, tl) = fixture(50);
    let arts = public_charts(&ctx(&plan, &tl));
    let mut n = names(&arts);
    n.sort();
    assert_eq!(
        n,
        [
            "public/burndown.png",
            "public/burndown.svg",
            "public/gantt.png",
            "public/gantt.svg"
        ]
    );
    check_images(&arts);
    for a in arts.iter().filter(|a| a.path.ends_with(".svg")) {
        let raw = String::from_utf8(a.bytes.clone()).unwrap();
        let text = svg_text(a);
        for s in &plan.sites {
            assert!(
                !raw.contains(&s.id) && !text.contains(&s.id),
                "{} names {}",
                a.path,
                s.id
            );
            let name = s.name.as_deref().unwrap();
            assert!(!text.contains(name), "{} names {name}", a.path);
        }
        for c in &plan.crews {
            assert!(!text.contains(&c.id), "{} names crew {}", a.path, c.id);
        }
        for r in &plan.regions {
            assert!(
                !text.contains(r.name.as_deref().unwrap()),
                "{} names region {}",
                a.path,
                r.id
            );
        }
        assert!(!text.contains(" sites ·"), "{}: no site counts", a.path);
    }
}

#[test]
fn a_baseline_is_drawn_behind_the_gantt_bars() {
    let (plan, base) = fixture(5);
    let status = plan.start + chrono::Days::new(40);
    let now = sample::replanned(&plan, &base, status, 25);
    let without = office_charts(&ctx(&plan, &now));
    let with = office_charts(&Context {
        baseline: Some(&base),
        ..ctx(&plan, &now)
    });
    let grey = |arts: &[Artifact]| {
        let img = decode(arts.iter().find(|a| a.path == "gantt.png").unwrap());
        img.pixels().filter(|p| p.0 == [0xBB, 0xBB, 0xBB]).count()
    };
    assert!(
        grey(&with) > 500 + grey(&without),
        "{} vs {}",
        grey(&with),
        grey(&without)
    );
    let svg = svg_text(with.iter().find(|a| a.path == "gantt.svg").unwrap());
    assert!(svg.contains("Baseline"));
    assert!(svg.contains(&format!("Status {}", chart::text::date(status))));
}

/// A scenario of `compare`: its name, timeline and links.
fn scenario(plan: &Plan, name: &str, tl: Timeline) -> (String, Timeline, Links) {
    let links = sample::links(plan, &tl);
    (name.into(), tl, links)
}

#[test]
fn scenarios_overlay_one_line_each() {
    let plan = sample::plan(50, false);
    let a = sample::timeline(&plan);
    let b = sample::replanned(&plan, &a, plan.start, 60);
    let a_unscheduled = a.summary.devices_unscheduled as i64;
    let arts = chart::render_scenarios(
        &plan,
        &[
            scenario(&plan, "as planned", a),
            scenario(&plan, "<late> & slow", b),
        ],
    )
    .unwrap();
    assert_eq!(
        names(&arts),
        ["burndown-scenarios.png", "burndown-scenarios.svg"]
    );
    check_images(&arts);
    let text = svg_text(&arts[1]);
    // The sample leaves some removals unscheduled: no scenario is complete.
    let never = format!(
        "{} devices never removed)",
        removal_timeline::words::signed(a_unscheduled)
    );
    assert!(text.contains(&format!("as planned ({never}")), "{text}");
    assert!(text.contains(&format!("<late> & slow ({never}")), "{text}");
    let mut done = sample::timeline(&plan);
    for t in &mut done.tasks {
        if t.status == removal_timeline::timeline::Status::Unscheduled {
            t.status = removal_timeline::timeline::Status::Planned;
        }
    }
    done.summary.devices_unscheduled = 0;
    let arts =
        chart::render_scenarios(&plan, &[scenario(&plan, "all done", done.clone())]).unwrap();
    let rc = chart::text::date(done.summary.removal_complete.unwrap());
    assert!(svg_text(&arts[1]).contains(&format!("all done (complete {rc})")));
}

#[test]
fn an_empty_timeline_still_draws() {
    let (mut plan, mut tl) = fixture(5);
    plan.budget = None;
    tl.tasks.clear();
    for s in &mut tl.sites {
        s.removal_complete = None;
    }
    tl.summary.finish = None;
    let arts = office_charts(&ctx(&plan, &tl));
    assert_eq!(arts.len(), 8);
    check_images(&arts);
    let arts = chart::render_scenarios(&plan, &[]).unwrap();
    assert_eq!(arts.len(), 2);
}

#[test]
fn an_overview_of_too_many_groups_for_a_page_is_by_tier() {
    let mut plan = sample::plan(130, false);
    // 20 regions × 3 tiers = 60 groups, more than one overview page holds.
    plan.regions = (0..20)
        .map(|r| removal_timeline::plan::Region {
            id: format!("r{r}"),
            name: None,
        })
        .collect();
    plan.crews.truncate(0);
    for r in 0..20u32 {
        let mut c = sample::plan(8, false).crews[0].clone();
        c.id = format!("crew-r{r}");
        c.region = removal_timeline::plan::RegionIx(r);
        plan.crews.push(c);
    }
    for (i, s) in plan.sites.iter_mut().enumerate() {
        // Spread each tier over every region.
        s.region = removal_timeline::plan::RegionIx(((i + i / 10) % 20) as u32);
    }
    let tl = sample::timeline(&plan);
    let arts = office_charts(&ctx(&plan, &tl));
    let overview = svg_text(arts.iter().find(|a| a.path == "gantt.svg").unwrap());
    assert!(
        overview.contains("overview by tier (60 tier and region groups"),
        "{overview}"
    );
    assert!(overview.contains("T1 · Critical national infrastructure"));
    assert!(!overview.contains("T1 · r0"));
    let img = decode(arts.iter().find(|a| a.path == "gantt.png").unwrap());
    assert!(img.height() < 1200, "three tier bands: {}", img.height());
}

#[test]
fn the_example_plan_charts_every_site_and_its_public_charts_none() {
    let (plan, done) = scheduled_file("example.json");
    let (c, tl) = (context(&plan, &done), &done.timeline);
    let arts = office_charts(&c);
    // 50 sites: two pages of sites and the overview, then three charts.
    assert_eq!(arts.len(), 12, "{:?}", names(&arts));
    check_images(&arts);
    let gantt: String = arts
        .iter()
        .filter(|a| a.path.starts_with("gantt-") && a.path.ends_with(".svg"))
        .map(svg_text)
        .collect();
    for s in &tl.sites {
        assert!(gantt.contains(&s.id), "{} missing", s.id);
        if s.late_days.unwrap_or(0) > 0 {
            let mark = format!(
                "+{} d late",
                removal_timeline::words::signed(s.late_days.unwrap())
            );
            assert!(gantt.contains(&mark), "{} not marked {mark}", s.id);
        }
    }
    let public = public_charts(&c);
    check_images(&public);
    for a in public.iter().filter(|a| a.path.ends_with(".svg")) {
        let text = svg_text(a);
        for s in &plan.sites {
            assert!(!text.contains(&s.id), "{} names {}", a.path, s.id);
        }
        for cr in &plan.crews {
            assert!(!text.contains(&cr.id), "{} names {}", a.path, cr.id);
        }
    }
}

// ---- print: every text legible across an A4 page ----------------------------

/// Every `<text>` font size of an SVG, and its width.
fn svg_font_sizes(a: &Artifact) -> (f64, Vec<f64>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(a.bytes.as_slice());
    let mut buf = Vec::new();
    let (mut width, mut sizes) = (None, Vec::new());
    let attr = |e: &quick_xml::events::BytesStart, k: &str| -> Option<f64> {
        e.attributes()
            .flatten()
            .find(|x| x.key.as_ref() == k.as_bytes())
            .map(|x| {
                String::from_utf8_lossy(&x.value)
                    .parse::<f64>()
                    .expect("a number")
            })
    };
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed SVG") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"svg" => width = attr(&e, "width"),
                b"text" => sizes.push(attr(&e, "font-size").expect("text has a font-size")),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    (width.expect("svg has a width"), sizes)
}

/// Printed across 180 mm of A4, no text of any SVG the bundle writes is
/// under 7 pt: its em is at least `MIN_TEXT_RATIO` of the chart's width.
fn check_print_size(plan: &Plan, done: &Scheduled) {
    let arts = bundle::publish(&context(plan, done)).expect("publishes");
    let svgs: Vec<&Artifact> = arts.iter().filter(|a| a.path.ends_with(".svg")).collect();
    assert!(svgs.len() >= 6, "{:?}", names(&arts));
    for a in svgs {
        let (w, sizes) = svg_font_sizes(a);
        assert!(!sizes.is_empty(), "{} has no text", a.path);
        for f in sizes {
            assert!(
                f / w >= chart::MIN_TEXT_RATIO,
                "{}: text of {f:.1} px on {w} px prints at {:.1} pt",
                a.path,
                f / w * 180.0 / 25.4 * 72.0
            );
        }
    }
}

#[test]
fn every_svg_prints_legibly_for_the_example_the_tutorial_and_a_generated_plan() {
    let (plan, done) = scheduled_file("example.json");
    check_print_size(&plan, &done);
    let (plan, done) = scheduled_file("tutorial.json");
    check_print_size(&plan, &done);
    let raw = removal_timeline::generate::generate(80, 3);
    let json = serde_json::to_string(&raw).unwrap();
    let plan = removal_timeline::load::plan_str(&json, std::path::Path::new("generated.json"))
        .expect("a generated plan loads")
        .plan;
    let done = schedule(&plan);
    check_print_size(&plan, &done);
}

// ---- the point of the chart, in words on it --------------------------------

/// The example's money for FY 2026/27 runs out in the autumn and no work
/// happens until the next year's arrives: the burndown and budget charts say
/// so, and name the first deadline missed.
#[test]
fn the_example_charts_say_where_work_stops_and_why() {
    let (plan, done) = scheduled_file("example.json");
    let notes = chart::notes::all(&context(&plan, &done));
    let tl = done.timeline;
    let stop = notes
        .iter()
        .find(|n| n.text.starts_with("FY 2026/27 budget fully committed"))
        .unwrap_or_else(|| panic!("{notes:?}"));
    assert!(
        stop.text.ends_with("no work until 1 Apr 2027"),
        "{}",
        stop.text
    );
    let resume = stop.to.unwrap().succ_opt().unwrap();
    // No crew works in the stop, and work resumes on its last day + 1.
    for t in tl.tasks.iter().filter(|t| t.crew.is_some()) {
        if let (Some(s), Some(f)) = (t.start, t.finish) {
            assert!(
                f < stop.from || s > stop.to.unwrap(),
                "{} runs in the stop",
                t.id
            );
        }
    }
    assert!(tl
        .tasks
        .iter()
        .any(|t| t.crew.is_some() && t.start == Some(resume)));
    let missed = notes
        .iter()
        .find(|n| n.text.starts_with("First deadline missed:"))
        .expect("the example misses a deadline");
    let first = tl
        .sites
        .iter()
        .filter(|s| s.late_days.unwrap_or(0) > 0)
        .filter_map(|s| s.deadline)
        .min()
        .unwrap();
    assert_eq!(missed.from, first);
    let arts = office_charts(&ctx(&plan, &tl));
    for stem in ["burndown.svg", "budget.svg"] {
        let words = svg_text(arts.iter().find(|a| a.path == stem).unwrap()).replace('\n', " ");
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("budget fully committed"), "{stem}");
        assert!(words.contains("1 Apr 2027"), "{stem}");
        assert!(words.contains("First deadline missed"), "{stem}");
    }
}

/// A stop not caused by money is told with its cause too: in the tutorial
/// the crew waits for Alpha House's 45-day delivery after the survey.
#[test]
fn a_wait_for_deliveries_is_written_on_the_charts() {
    let (plan, done) = scheduled_file("tutorial.json");
    let notes = chart::notes::all(&context(&plan, &done));
    let tl = done.timeline;
    let wait = notes
        .iter()
        .find(|n| {
            n.text
                .starts_with("Waiting for equipment: 45-day delivery for Alpha House")
        })
        .unwrap_or_else(|| panic!("{notes:?}"));
    let resume = wait.to.unwrap().succ_opt().unwrap();
    let procure = tl
        .tasks
        .iter()
        .find(|t| t.site == "alpha" && t.phase.as_str() == "procure")
        .unwrap();
    let arrives = procure.finish.unwrap();
    assert!(arrives < resume && procure.start.unwrap() <= wait.from);
    assert!(wait
        .text
        .contains(&format!("arrives {}", chart::text::date(arrives))));
    assert!(wait
        .text
        .ends_with(&format!("no work until {}", chart::text::date(resume))));
    assert!(tl
        .tasks
        .iter()
        .any(|t| t.site == "alpha" && t.crew.is_some() && t.start == Some(resume)));
    let arts = office_charts(&ctx(&plan, &tl));
    for stem in ["burndown.svg", "budget.svg"] {
        let words = svg_text(arts.iter().find(|a| a.path == stem).unwrap());
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("45-day delivery for Alpha House"), "{stem}");
    }
}

// ---- how sure: risk on the charts (issue 24) -------------------------------

/// With risk, the burndown has its P10–P90 band, the Gantt a whisker per
/// site and the at-risk sites marked, and a tornado names the drivers; every
/// SVG of that bundle still prints legibly.
#[test]
fn risk_draws_a_band_whiskers_at_risk_marks_and_a_tornado() {
    let (plan, done) = scheduled_file("example.json");
    let risk = small_risk(&plan, &done);
    let tl = &done.timeline;
    let c = Context {
        risk: Some(&risk),
        ..context(&plan, &done)
    };
    let arts = office_charts(&c);
    check_images(&arts);
    let svg = |p: &str| {
        let t = svg_text(
            arts.iter()
                .find(|a| a.path == p)
                .unwrap_or_else(|| panic!("{p}")),
        );
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(svg("burndown.svg").contains("P10–P90 band"));
    let pages: String = arts
        .iter()
        .filter(|a| a.path.starts_with("gantt-") && a.path.ends_with(".svg"))
        .map(svg_text)
        .collect();
    assert!(pages.contains("(P80)"), "the whisker's legend");
    let at_risk: Vec<_> = risk.sites.iter().filter(|s| s.at_risk).collect();
    assert!(!at_risk.is_empty(), "the example has sites at risk");
    for s in &at_risk {
        let p = (s.on_time_probability.unwrap() * 100.0).floor();
        assert!(pages.contains(&format!("at risk {p:.0}%")), "{}", s.id);
    }
    let tornado = svg("tornado.svg");
    let top = chart_top_driver(&risk);
    assert!(tornado.contains(&top), "{top} not in the tornado");
    // Without risk, none of it.
    let plain = office_charts(&ctx(&plan, tl));
    assert!(!plain.iter().any(|a| a.path.starts_with("tornado")));
    assert!(!svg_text(plain.iter().find(|a| a.path == "burndown.svg").unwrap()).contains("P10"));
    // Legible in print, the tornado included.
    let all = bundle::publish(&c).expect("publishes");
    assert!(all.iter().any(|a| a.path == "tornado.svg"));
    for a in all.iter().filter(|a| a.path.ends_with(".svg")) {
        let (w, sizes) = svg_font_sizes(a);
        for f in sizes {
            assert!(f / w >= chart::MIN_TEXT_RATIO, "{}: {f} px on {w}", a.path);
        }
    }
}

/// The largest driver with an effect, as the tornado labels it.
fn chart_top_driver(r: &removal_timeline::risk::Risk) -> String {
    let d = r
        .drivers
        .iter()
        .find(|d| d.low_days != 0 || d.high_days != 0)
        .expect("the example's ranges move its P80");
    d.what.clone()
}

/// A plan with owners groups its Gantt by owner, then tier.
#[test]
fn a_plan_with_owners_groups_the_gantt_by_owner() {
    let (plan, done) = scheduled_file("audit.json");
    let groups = chart::model::groups(&context(&plan, &done));
    let tl = done.timeline;
    let owners: Vec<&str> = groups.iter().filter_map(|g| g.owner.as_deref()).collect();
    assert_eq!(owners.len(), groups.len(), "every group has its owner");
    // In the plan's order of owners, each owner's groups together.
    let order: Vec<usize> = groups
        .iter()
        .map(|g| {
            plan.owners
                .iter()
                .position(|o| o.name.as_deref() == g.owner.as_deref())
                .unwrap_or(usize::MAX)
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    for g in &groups {
        for s in &g.sites {
            let site = tl.sites.iter().find(|x| x.id == s.id).unwrap();
            let owner = plan
                .owners
                .iter()
                .find(|o| Some(&o.id) == site.owner.as_ref());
            assert_eq!(owner.and_then(|o| o.name.as_deref()), g.owner.as_deref());
            assert_eq!(site.tier, g.tier);
        }
    }
    let arts = office_charts(&ctx(&plan, &tl));
    let gantt: String = arts
        .iter()
        .filter(|a| a.path.starts_with("gantt") && a.path.ends_with(".svg"))
        .map(svg_text)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(gantt.contains("Department of"), "{gantt}");
}
