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

#[test]
fn the_page_declares_the_palette_and_its_css_sets_no_colour_of_its_own() {
    let page = html(&bare("p"));
    for (k, p) in crate::plan::Phase::ALL.iter().enumerate() {
        let c = crate::palette::hex(crate::palette::phase_colour(*p));
        assert!(page.contains(&format!("--p{k}: {c};")), "{p:?}");
    }
    // Only the generated rule declares variables, so none is overridden.
    let css = include_str!("page.css");
    assert!(!css.contains("--p0:") && !css.contains("--late:") && !css.contains("--deadline:"));
    // Site IDs written on phase bars (the crew view) are readable: WCAG
    // AA's 4.5:1 for small text.
    for p in crate::plan::Phase::ALL {
        let c = crate::palette::phase_colour(p);
        assert!(
            crate::palette::contrast(c, crate::palette::ink_on(c)) >= 4.5,
            "{p:?}"
        );
    }
}
