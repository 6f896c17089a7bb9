//! `verify` accepts a valid timeline and names each planted fault.

use super::*;
use crate::network::build as build_network;
use crate::network::lower::{lower, LowerOptions};
use crate::network::tests::{d, worked_example};
use crate::plan::{Budget, BudgetPeriod, Crew, DateRange, RegionIx};
use crate::timeline::build::build;
use crate::timeline::build::tests::{placed_by_hand, solution};

fn timeline(plan: &Plan) -> Timeline {
    let net = build_network(plan).unwrap();
    let low = lower(plan, &net, &LowerOptions::default());
    build(plan, &net, &low, &solution(placed_by_hand()))
}

/// The rules broken, one label per violation.
fn broken(plan: &Plan, tl: &Timeline) -> Vec<(String, Rule)> {
    verify(plan, tl)
        .into_iter()
        .map(|v| (v.subject, v.rule))
        .collect()
}

fn has(plan: &Plan, tl: &Timeline, subject: &str, rule: Rule) {
    let b = broken(plan, tl);
    assert!(
        b.iter().any(|(s, r)| s == subject && *r == rule),
        "expected {subject}: {rule:?}, got {:#?}",
        verify(plan, tl)
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn hand_made_schedule_is_valid() {
    let plan = worked_example();
    assert_eq!(verify(&plan, &timeline(&plan)), vec![]);
}

#[test]
fn overlap_on_one_crew_is_caught() {
    let plan = worked_example();
    let mut tl = timeline(&plan);
    // install/2 moved onto install/1's days (same crew).
    tl.tasks[3].start = Some(d("2026-02-23"));
    tl.tasks[3].finish = Some(d("2026-02-27"));
    has(&plan, &tl, "alpha/install/2", Rule::Crew);
}

#[test]
fn wrong_region_and_uncleared_crews_are_caught() {
    let mut plan = worked_example();
    plan.regions.push(crate::plan::Region {
        id: "south".into(),
        name: None,
    });
    plan.crews.push(Crew {
        id: "crew-s".into(),
        region: RegionIx(1),
        cleared: true,
        day_rate: Money(100_000),
        available_from: None,
        available_to: None,
    });
    let mut tl = timeline(&plan);
    tl.tasks[0].crew = Some("crew-s".into());
    has(&plan, &tl, "alpha/survey", Rule::Crew);
    plan.sites[0].cleared_only = true;
    let tl = timeline(&plan);
    has(&plan, &tl, "alpha/survey", Rule::Crew);
}

#[test]
fn crew_window_is_checked() {
    let mut plan = worked_example();
    plan.crews[0].available_to = Some(d("2026-03-31"));
    has(&plan, &timeline(&plan), "alpha/remove/2", Rule::Crew);
}

#[test]
fn blackout_across_a_task_is_caught() {
    let mut plan = worked_example();
    plan.sites[0].blackouts = vec![DateRange {
        from: d("2026-03-02"),
        to: d("2026-03-03"),
    }];
    has(
        &plan,
        &timeline(&plan),
        "alpha/install/1",
        Rule::WorkingDays,
    );
}

#[test]
fn holidays_and_weekends_count_against_duration() {
    let mut plan = worked_example();
    plan.calendar.holidays.insert(d("2026-03-04"));
    // install/1 now spans only 16 working days.
    has(
        &plan,
        &timeline(&plan),
        "alpha/install/1",
        Rule::WorkingDays,
    );
    let mut plan = worked_example();
    let mut tl = timeline(&plan);
    tl.tasks[0].start = Some(d("2026-01-03"));
    tl.tasks[0].finish = Some(d("2026-01-03"));
    plan.start = d("2026-01-01");
    has(&plan, &tl, "alpha/survey", Rule::WorkingDays);
}

#[test]
fn elapsed_tasks_start_on_a_working_day_and_run_calendar_days() {
    let plan = worked_example();
    let mut tl = timeline(&plan);
    tl.tasks[7].finish = Some(d("2026-04-07"));
    has(&plan, &tl, "alpha/dispose", Rule::Elapsed);
    let mut plan = worked_example();
    plan.calendar.holidays.insert(d("2026-04-02"));
    has(&plan, &timeline(&plan), "alpha/dispose", Rule::Elapsed);
}

#[test]
fn precedence_and_lags_are_checked() {
    let plan = worked_example();
    let mut tl = timeline(&plan);
    // commission on install/2's last day.
    tl.tasks[4].start = Some(d("2026-03-23"));
    tl.tasks[4].finish = Some(d("2026-03-23"));
    has(&plan, &tl, "alpha/commission", Rule::Precedence);
}

#[test]
fn not_before_is_checked() {
    let mut plan = worked_example();
    plan.sites[0].not_before = Some(d("2026-01-06"));
    has(&plan, &timeline(&plan), "alpha/survey", Rule::Release);
}

#[test]
fn budget_without_and_with_carry_over() {
    let mut plan = worked_example();
    let period = |from, to, amount| BudgetPeriod {
        from: d(from),
        to: d(to),
        amount: Money(amount),
    };
    // Jan: 1,000 + 45,000 committed; Feb–Dec: 17,000 + 5,000 + ...
    plan.budget = Some(Budget {
        carry_over: false,
        periods: vec![
            period("2026-01-01", "2026-01-31", 4_000_000),
            period("2026-02-01", "2026-12-31", 10_000_000),
        ],
    });
    has(
        &plan,
        &timeline(&plan),
        "budget 2026-01-01–2026-01-31",
        Rule::Budget,
    );
    plan.budget.as_mut().unwrap().periods[0].amount = Money(4_600_000);
    assert_eq!(verify(&plan, &timeline(&plan)), vec![]);
    // With carry-over, January's unspent money pays for later work.
    let b = plan.budget.as_mut().unwrap();
    b.periods[0].amount = Money(7_000_000);
    b.periods[1].amount = Money(1_000_000);
    has(
        &plan,
        &timeline(&plan),
        "budget 2026-02-01–2026-12-31",
        Rule::Budget,
    );
    plan.budget.as_mut().unwrap().carry_over = true;
    assert_eq!(verify(&plan, &timeline(&plan)), vec![]);
    // Money committed outside every period.
    plan.budget.as_mut().unwrap().periods.truncate(1);
    has(&plan, &timeline(&plan), "alpha/install/1", Rule::Budget);
}

#[test]
fn wrong_summary_and_site_rows_are_caught() {
    let plan = worked_example();
    let mut tl = timeline(&plan);
    tl.summary.exposure += 1.0;
    tl.summary.total_cost = 1.0;
    tl.summary.sites_late = 3;
    tl.sites[0].late_days = Some(4);
    let b = broken(&plan, &tl);
    assert_eq!(b.iter().filter(|(_, r)| *r == Rule::Summary).count(), 3);
    has(&plan, &tl, "alpha", Rule::Sites);
}

#[test]
fn missing_or_changed_tasks_are_caught() {
    let plan = worked_example();
    let mut tl = timeline(&plan);
    tl.tasks.remove(3);
    has(&plan, &tl, "alpha/dispose", Rule::Tasks);
    let mut tl = timeline(&plan);
    tl.tasks[2].devices = 49;
    has(&plan, &tl, "alpha/install/1", Rule::Tasks);
    let mut tl = timeline(&plan);
    tl.tasks[2].cost = Some(16_000.0);
    has(&plan, &tl, "alpha/install/1", Rule::Tasks);
    let mut tl = timeline(&plan);
    tl.tasks[1].crew = Some("crew-a".into());
    has(&plan, &tl, "alpha/procure", Rule::Crew);
}

#[test]
fn unscheduled_rows_need_null_fields_a_reason_and_blocked_successors() {
    let plan = worked_example();
    let mut tl = timeline(&plan);
    tl.tasks[6].status = Status::Unscheduled;
    has(&plan, &tl, "alpha/remove/2", Rule::Tasks);
    // remove/2 unscheduled but dispose still scheduled after it.
    let t = &mut tl.tasks[6];
    (t.start, t.finish, t.crew, t.cost) = (None, None, None, None);
    t.reason = Some("budget: no period can fund it".into());
    has(&plan, &tl, "alpha/dispose", Rule::Precedence);
    let t = &mut tl.tasks[7];
    (t.start, t.finish, t.crew, t.cost) = (None, None, None, None);
    t.status = Status::Unscheduled;
    t.reason = Some("blocked by alpha/remove/1".into());
    has(&plan, &tl, "alpha/dispose", Rule::Precedence);
    tl.tasks[7].reason = Some("blocked by alpha/remove/2".into());
    let b = broken(&plan, &tl);
    assert!(!b.iter().any(|(_, r)| *r == Rule::Precedence), "{b:?}");
}

#[test]
fn horizon_is_enforced() {
    let plan = worked_example();
    let mut tl = timeline(&plan);
    tl.tasks[7].start = Some(d("2046-01-02"));
    tl.tasks[7].finish = Some(d("2046-01-06"));
    has(&plan, &tl, "alpha/dispose", Rule::Horizon);
}

#[test]
fn timeline_syntax_errors_are_located() {
    let err = parse_timeline("t.json", b"{\n  \"format\": 3\n}").unwrap_err();
    assert_eq!((err.line, err.severity), (2, crate::plan::Severity::Error));
    let shown = err.to_string();
    assert!(shown.starts_with("t.json:2:"), "{shown}");
    assert!(shown.contains(": error: not a valid timeline: "), "{shown}");
}

#[test]
fn an_unknown_phase_in_a_timeline_is_a_located_error() {
    let plan = worked_example();
    let text = serde_json::to_string_pretty(&timeline(&plan)).unwrap();
    assert!(
        text.contains("\"phase\": \"install\""),
        "phases are written by name"
    );
    let text = text.replacen("\"phase\": \"install\"", "\"phase\": \"instal\"", 1);
    let line = 1 + text[..text.find("\"instal\"").unwrap()]
        .matches('\n')
        .count();
    let err = parse_timeline("t.json", text.as_bytes()).unwrap_err();
    let shown = err.to_string();
    assert_eq!(err.line, line, "{shown}");
    assert!(shown.contains("unknown variant `instal`"), "{shown}");
    assert!(
        shown.contains("`install`"),
        "names the phases it knows: {shown}"
    );
}
