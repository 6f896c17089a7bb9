use super::data::*;
use super::*;

fn bare(plan: &str) -> PageData {
    PageData {
        format: FORMAT,
        public: false,
        plan: plan.into(),
        currency: "GBP".into(),
        start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        status: None,
        end: 0,
        baseline: false,
        grey: "",
        phases: vec![],
        tiers: vec![],
        regions: vec![],
        crews: vec![],
        owners: vec![],
        groupings: vec!["tier"],
        deadlines: vec![],
        targets: vec![],
        sites: Sites::default(),
        tasks: Tasks::default(),
        causes: vec![],
        cause_ids: vec![],
        periods: vec![],
        carry_over: false,
        unit: "site",
        risk: false,
    }
}

#[test]
fn script_json_cannot_close_the_script_element() {
    let plan = "</script><!-- <img src=x onerror=alert(1)> & \u{2028}";
    let mut data = bare(plan);
    data.sites.id.push("</SCRIPT>".into());
    let json = json_for_script(&data);
    assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
    assert!(!json.contains('\u{2028}'));
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(back["plan"], plan);
    assert_eq!(back["sites"]["id"][0], "</SCRIPT>");
}

#[test]
fn the_template_is_filled_once_and_the_title_escaped() {
    let page = html(&bare("{{JS}} <b>"));
    assert!(page.contains("<title>{{JS}} &lt;b&gt; – timeline</title>"));
    assert_eq!(page.matches("'use strict'").count(), 1);
    assert_eq!(page.matches("<script").count(), 2);
    assert!(!page.contains("{{CSS}}") && !page.contains("{{DATA}}"));
}

/// The chart palette's colours by name, read from `src/chart/style.rs`:
/// `pub const NAME: RGBColor = RGBColor(0x.., 0x.., 0x..);` or `= OTHER;`.
fn chart_colours() -> std::collections::HashMap<String, palette::Rgb> {
    let src = include_str!("../chart/style.rs");
    let mut out = std::collections::HashMap::new();
    for line in src.lines() {
        let Some(rest) = line.trim().strip_prefix("pub const ") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(": RGBColor = ") else {
            continue;
        };
        let value = value.trim_end_matches(';');
        let rgb = match value.strip_prefix("RGBColor(") {
            Some(args) => {
                let v: Vec<u8> = args
                    .trim_end_matches(')')
                    .split(',')
                    .map(|n| match n.trim().strip_prefix("0x") {
                        Some(h) => u8::from_str_radix(h, 16).unwrap(),
                        None => n.trim().parse().unwrap(),
                    })
                    .collect();
                [v[0], v[1], v[2]]
            }
            None => out[value],
        };
        out.insert(name.to_string(), rgb);
    }
    out
}

#[test]
fn the_page_palette_is_the_charts_palette() {
    let chart = chart_colours();
    for (name, mine) in [
        ("WHITE", palette::WHITE),
        ("SKY", palette::SKY),
        ("GREEN", palette::GREEN),
        ("YELLOW", palette::YELLOW),
        ("BLUE", palette::BLUE),
        ("VERMILLION", palette::VERMILLION),
        ("PURPLE", palette::PURPLE),
        ("INK", palette::INK),
        ("MUTED", palette::MUTED),
        ("GRID", palette::GRID),
        ("GRID_STRONG", palette::GRID_STRONG),
        ("LATE_BG", palette::LATE_BG),
        ("LATE", palette::LATE),
        ("DEADLINE", palette::DEADLINE),
        ("DARK_GREY", palette::DARK_GREY),
        ("BASELINE", palette::BASELINE),
    ] {
        assert_eq!(
            chart.get(name),
            Some(&mine),
            "{name} differs from chart::style"
        );
    }
    // phase_colour: `Phase::Survey => SKY,` and so on.
    let src = include_str!("../chart/style.rs");
    let body = &src[src.find("pub fn phase_colour").unwrap()..];
    let body = &body[..body.find("\n}").unwrap()];
    for p in crate::plan::Phase::ALL {
        let arm = format!("Phase::{:?} => ", p);
        let at = body
            .find(&arm)
            .unwrap_or_else(|| panic!("no {arm} in phase_colour"))
            + arm.len();
        let name = body[at..].split(',').next().unwrap().trim();
        assert_eq!(chart[name], palette::phase_colour(p), "{p:?}");
    }
}

#[test]
fn the_page_declares_the_palette_and_its_css_sets_no_colour_of_its_own() {
    let page = html(&bare("p"));
    for (k, p) in crate::plan::Phase::ALL.iter().enumerate() {
        let c = palette::hex(palette::phase_colour(*p));
        assert!(page.contains(&format!("--p{k}: {c};")), "{p:?}");
    }
    // Only the generated rule declares variables, so none is overridden.
    let css = include_str!("page.css");
    assert!(!css.contains("--p0:") && !css.contains("--late:") && !css.contains("--deadline:"));
    // Site IDs written on phase bars (the crew view) are readable: WCAG
    // AA's 4.5:1 for small text.
    for p in crate::plan::Phase::ALL {
        let c = palette::phase_colour(p);
        assert!(palette::contrast(c, palette::ink_on(c)) >= 4.5, "{p:?}");
    }
}
