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
        phases: vec![],
        tiers: vec![],
        regions: vec![],
        crews: vec![],
        groupings: vec!["tier"],
        deadlines: vec![],
        sites: Sites::default(),
        tasks: Tasks::default(),
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
