use super::*;
use crate::timeline::{SiteRow, Summary, TaskRow, Timeline};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A site row: id, tier, removal complete, deadline.
fn site(id: &str, tier: &str, rc: Option<&str>, deadline: &str) -> SiteRow {
    let rc = rc.map(d);
    let deadline = d(deadline);
    SiteRow {
        id: id.into(),
        tier: tier.into(),
        region: "r".into(),
        devices: 10,
        removal_complete: rc,
        deadline: Some(deadline),
        late_days: rc.map(|r| (r - deadline).num_days().max(0)),
        late_reason: None,
        late_category: None,
        owner: None,
    }
}

/// A removal task for a site: start (None = unscheduled), cost.
fn task(site: &str, start: Option<&str>, cost: f64) -> TaskRow {
    TaskRow {
        id: format!("{site}/remove/1"),
        site: site.into(),
        phase: "remove".into(),
        package: Some(1),
        devices: 10,
        start: start.map(d),
        finish: start.map(d),
        duration: 1,
        crew: start.map(|_| "c1".into()),
        cost: start.map(|_| cost),
        status: if start.is_some() {
            Status::Planned
        } else {
            Status::Unscheduled
        },
        reason: if start.is_some() {
            None
        } else {
            Some("budget: no period can fund 10.00 GBP".into())
        },
    }
}

fn timeline(sites: Vec<SiteRow>, tasks: Vec<TaskRow>) -> Timeline {
    let rc = sites.iter().filter_map(|s| s.removal_complete).max();
    Timeline {
        format: crate::timeline::FORMAT.into(),
        plan: "p".into(),
        start: d("2026-01-05"),
        status_date: None,
        summary: Summary {
            finish: rc,
            removal_complete: rc,
            total_cost: tasks.iter().filter_map(|t| t.cost).sum(),
            exposure: 0.0,
            sites: sites.len() as u64,
            sites_late: sites.iter().filter(|s| is_late(s.late_days)).count() as u64,
            tasks: tasks.len() as u64,
            unscheduled: tasks.iter().filter(|t| t.start.is_none()).count() as u64,
            sites_unscheduled: sites
                .iter()
                .filter(|s| s.removal_complete.is_none())
                .count() as u64,
            devices_unscheduled: 0,
            stranded_cost: 0.0,
            objective: "tiers_first".into(),
            tiers: vec![],
        },
        tasks,
        sites,
        targets: Vec::new(),
    }
}

/// Four sites in two tiers; between the two timelines `a` slips a little,
/// `b` (tier T2) becomes late, `c` loses its date and `d2` is unchanged.
fn pair() -> (Timeline, Timeline) {
    let old = timeline(
        vec![
            site("b", "T2", Some("2026-03-02"), "2026-03-31"),
            site("a", "T1", Some("2026-02-02"), "2026-06-30"),
            site("c", "T1", Some("2026-02-10"), "2026-06-30"),
            site("d2", "T2", Some("2026-02-11"), "2026-06-30"),
        ],
        vec![
            task("b", Some("2026-03-02"), 100.0),
            task("a", Some("2026-02-02"), 200.0),
            task("c", Some("2026-02-10"), 300.0),
            task("d2", Some("2026-02-11"), 5.0),
        ],
    );
    let new = timeline(
        vec![
            site("b", "T2", Some("2026-05-04"), "2026-03-31"),
            site("a", "T1", Some("2026-02-09"), "2026-06-30"),
            site("c", "T1", None, "2026-06-30"),
            site("d2", "T2", Some("2026-02-11"), "2026-06-30"),
        ],
        vec![
            task("b", Some("2026-05-04"), 100.0),
            task("a", Some("2026-02-09"), 200.0),
            task("c", None, 0.0),
            task("d2", Some("2026-02-11"), 5.0),
        ],
    );
    (old, new)
}

#[test]
fn known_pair_reports_expected_movements_in_order() {
    let (old, new) = pair();
    let diff = diff(&old, &new, Plans::default());
    // Without a plan, T2 appears first in the later timeline, so it ranks first.
    let got: Vec<(&str, SiteMove, Option<i64>)> = diff
        .sites
        .iter()
        .map(|c| (c.id.as_str(), c.change, c.days_moved))
        .collect();
    assert_eq!(
        got,
        vec![
            ("b", SiteMove::NewlyLate, Some(63)),
            ("c", SiteMove::NewlyUnscheduled, None),
            ("a", SiteMove::Moved, Some(7)),
        ]
    );
    assert_eq!(diff.summary.sites_late.before, 0);
    assert_eq!(diff.summary.sites_late.after, 1);
    assert_eq!(diff.summary.removal_complete_days, Some(63));
    assert_eq!(diff.newly_unscheduled.len(), 1);
    assert_eq!(diff.newly_unscheduled[0].id, "c/remove/1");
    assert_eq!(diff.newly_unscheduled[0].start, Some(d("2026-02-10")));
    assert!(diff.newly_scheduled.is_empty());
    assert_eq!((diff.tasks_kept, diff.tasks_moved), (1, 2));
}

#[test]
fn reversed_pair_reports_the_opposite() {
    let (old, new) = pair();
    let back = diff(&new, &old, Plans::default());
    let kinds: Vec<SiteMove> = back.sites.iter().map(|c| c.change).collect();
    assert!(kinds.contains(&SiteMove::NewlyOnTime));
    assert!(kinds.contains(&SiteMove::NewlyScheduled));
    assert_eq!(back.newly_scheduled.len(), 1);
    assert_eq!(back.newly_scheduled[0].start, Some(d("2026-02-10")));
    assert!(back.newly_unscheduled.is_empty());
}

#[test]
fn identical_timelines_have_no_changes() {
    let (old, _) = pair();
    let same = diff(&old, &old, Plans::default());
    assert!(same.sites.is_empty());
    assert!(same.newly_unscheduled.is_empty());
    assert_eq!(same.tasks_moved, 0);
    let md = super::super::markdown::diff_markdown(&same, "p");
    assert!(md.contains("No other site's removal complete day moved."));
}

#[test]
fn costs_group_by_financial_year_without_a_plan() {
    let (old, mut new) = pair();
    // Move a's work into the next financial year.
    new.tasks[1].start = Some(d("2026-04-01"));
    let diff = diff(&old, &new, Plans::default());
    let labels: Vec<&str> = diff
        .cost_by_period
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(labels, vec!["FY2025-26", "FY2026-27"]);
    assert_eq!(diff.cost_by_period[0].before, 605.0);
    // Only d2 stays in FY2025-26: b slipped into May, c lost its date.
    assert_eq!(diff.cost_by_period[0].after, 5.0);
    assert_eq!(diff.cost_by_period[1].before, 0.0);
    assert_eq!(diff.cost_by_period[1].after, 300.0);
}

#[test]
fn sites_added_and_removed_are_listed_last_in_their_tier() {
    let (old, mut new) = pair();
    new.sites
        .push(site("z", "T1", Some("2026-02-03"), "2026-06-30"));
    new.sites.retain(|s| s.id != "d2");
    let diff = diff(&old, &new, Plans::default());
    let t1: Vec<(&str, SiteMove)> = diff
        .sites
        .iter()
        .filter(|c| c.tier == "T1")
        .map(|c| (c.id.as_str(), c.change))
        .collect();
    assert_eq!(
        t1,
        vec![
            ("c", SiteMove::NewlyUnscheduled),
            ("a", SiteMove::Moved),
            ("z", SiteMove::Added)
        ]
    );
    assert!(diff
        .sites
        .iter()
        .any(|c| c.id == "d2" && c.change == SiteMove::Removed));
}

#[test]
fn markdown_names_sites_and_moves() {
    let (old, new) = pair();
    let md = super::super::markdown::diff_markdown(&diff(&old, &new, Plans::default()), "p");
    assert!(md.contains("## Sites newly late (1)"), "{md}");
    assert!(
        md.contains("| `b` | T2 | 2026-03-02 | 2026-05-04 | +63 days | 2026-03-31 | 34 days |"),
        "{md}"
    );
    assert!(
        md.contains("## Sites that lost their removal date (1)"),
        "{md}"
    );
    assert!(md.contains("`c/remove/1`"), "{md}");
    assert!(md.contains("| Sites late | 0 | 1 | +1 |"), "{md}");
}

#[test]
fn json_round_trips_as_valid_json() {
    let (old, new) = pair();
    let bytes = to_json(&diff(&old, &new, Plans::default()));
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["sites"][0]["change"], "newly_late");
    assert_eq!(v["summary"]["sites_late"]["after"], 1);
}
