//! What-if scenarios side by side: a plan changed by a scenario patch or a
//! budget scale, scheduled like the base plan, and the headline figures of
//! each in one table (Markdown and CSV).

use chrono::NaiveDate;
use std::fmt::Write;

use super::markdown::{days, money, thousands};
use super::patch::{self, PatchError};
use crate::plan::Plan;
use crate::report::escape::md;
use crate::timeline::Timeline;
use crate::units::Money;

/// `FROM=FACTOR` of `--budget-scale`.
pub fn parse_budget_scale(s: &str) -> Result<(NaiveDate, f64), String> {
    let usage = || format!("--budget-scale {s}: give FROM=FACTOR, e.g. 2027-04-01=0.395");
    let (from, factor) = s.split_once('=').ok_or_else(usage)?;
    let from: NaiveDate = from.trim().parse().map_err(|_| usage())?;
    let factor: f64 = factor.trim().parse().map_err(|_| usage())?;
    if !factor.is_finite() || !(0.0..=1000.0).contains(&factor) {
        return Err(format!(
            "--budget-scale {s}: the factor must be a number from 0 to 1000"
        ));
    }
    Ok((from, factor))
}

/// The plan with every budget period starting on or after `from` multiplied
/// by `factor` (rounded to the cent).
pub fn scale_budget(plan: &Plan, from: NaiveDate, factor: f64) -> Result<Plan, String> {
    let mut p = plan.clone();
    let Some(b) = p.budget.as_mut() else {
        return Err(format!(
            "--budget-scale {from}={factor}: the plan has no budget (money is unlimited), so there is nothing to scale"
        ));
    };
    let mut touched = 0;
    for per in b.periods.iter_mut().filter(|per| per.from >= from) {
        per.amount = Money::from_f64(per.amount.to_f64() * factor)
            .ok_or_else(|| format!("--budget-scale {from}={factor}: an amount grows too large"))?;
        touched += 1;
    }
    if touched == 0 {
        return Err(format!(
            "--budget-scale {from}={factor}: no budget period starts on or after {from}"
        ));
    }
    Ok(p)
}

/// The default name of a budget scale: `budget ×0.395 from 2027-04-01`.
pub fn budget_scale_name(from: NaiveDate, factor: f64) -> String {
    format!("budget ×{factor} from {from}")
}

/// A scenario file applied to the plan's text: the patched plan text and
/// the scenario's `name`, if it gives one.
pub fn patch_plan_text(
    plan_text: &str,
    scenario_text: &str,
) -> Result<(Option<String>, String), PatchError> {
    let mut plan: serde_json::Value = serde_json::from_str(plan_text).map_err(|e| PatchError {
        path: vec![],
        message: format!("the plan is not valid JSON: {e}"),
    })?;
    let patch: serde_json::Value = serde_json::from_str(scenario_text).map_err(|e| PatchError {
        path: vec![],
        message: e.to_string(),
    })?;
    if !patch.is_object() {
        return Err(PatchError {
            path: vec![],
            message: "a scenario must be a JSON object (a merge patch on the plan)".into(),
        });
    }
    patch::apply(&mut plan, &patch)?;
    let name = patch
        .get("name")
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let text = serde_json::to_string_pretty(&plan).expect("a JSON value serializes");
    Ok((name, text))
}

/// One row per scenario, headline figures only.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    pub name: &'a str,
    pub timeline: &'a Timeline,
}

/// The side-by-side table in Markdown, the first scenario being the base
/// the others are measured against.
pub fn table_markdown(plan: &Plan, rows: &[Row]) -> String {
    let mut out = format!("# Scenarios: {}\n\n", md(&plan.name));
    if let Some(d) = plan.deadline {
        let _ = writeln!(out, "Programme deadline: {d}\n");
    }
    out.push_str(
        "| scenario | removal complete | vs first | finish | exposure | sites late | devices unscheduled | cost |\n\
         |---|---|---|---|---:|---:|---:|---:|\n",
    );
    let base = rows
        .first()
        .and_then(|r| r.timeline.summary.removal_complete);
    for r in rows {
        let s = &r.timeline.summary;
        let vs = match (base, s.removal_complete) {
            (Some(a), Some(b)) => days(Some((b - a).num_days())),
            _ => "—".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {vs} | {} | {} | {} | {} | {} {} |",
            md(r.name),
            date(s.removal_complete),
            date(s.finish),
            thousands(s.exposure.round().max(0.0) as u64),
            s.sites_late,
            s.devices_unscheduled,
            money(s.total_cost),
            md(&plan.currency)
        );
    }
    out.push_str(
        "\nExposure: tier weight × devices × days each device stays in place. \
         A site whose removal cannot be scheduled counts under devices unscheduled instead.\n",
    );
    out
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "none".into(), |d| d.to_string())
}

/// The same table as CSV (RFC 4180, LF line ends), numbers as in the JSON.
pub fn table_csv(rows: &[Row]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header = [
        "scenario",
        "removal_complete",
        "finish",
        "exposure",
        "sites_late",
        "sites_unscheduled",
        "devices_unscheduled",
        "total_cost",
    ];
    w.write_record(header).expect("writing to memory");
    for r in rows {
        let s = &r.timeline.summary;
        let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        w.write_record([
            // A scenario's name is free text: never a live formula.
            crate::report::escape::csv_text(r.name),
            opt(s.removal_complete),
            opt(s.finish),
            s.exposure.to_string(),
            s.sites_late.to_string(),
            s.sites_unscheduled.to_string(),
            s.devices_unscheduled.to_string(),
            s.total_cost.to_string(),
        ])
        .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// A file name for a scenario: lower-case letters, digits and dashes.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "scenario".into()
    } else {
        s
    }
}

/// Names made unique by appending ` (2)`, ` (3)`, … in order.
pub fn unique_names(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names {
        let mut candidate = n.clone();
        let mut k = 2;
        while out.contains(&candidate) {
            candidate = format!("{n} ({k})");
            k += 1;
        }
        out.push(candidate);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replan::testplan::{d, plan};

    #[test]
    fn budget_scale_multiplies_periods_from_the_day_on() {
        let p = plan(1, 3, Some(40_000), false);
        let s = scale_budget(&p, d("2026-04-05"), 0.395).unwrap();
        let amounts: Vec<i64> = s
            .budget
            .unwrap()
            .periods
            .iter()
            .map(|x| x.amount.0)
            .collect();
        assert_eq!(amounts[0], 4_000_000);
        assert_eq!(amounts[1], 1_580_000);
        assert!(amounts[1..].iter().all(|&a| a == 1_580_000));
    }

    #[test]
    fn budget_scale_errors_are_clear() {
        let p = plan(1, 3, None, false);
        assert!(scale_budget(&p, d("2026-04-05"), 0.5)
            .unwrap_err()
            .contains("no budget"));
        let p = plan(1, 3, Some(1), false);
        assert!(scale_budget(&p, d("2099-04-05"), 0.5)
            .unwrap_err()
            .contains("no budget period starts"));
        assert!(parse_budget_scale("2027-04-01").is_err());
        assert!(parse_budget_scale("2027-04-01=-1").is_err());
        assert!(parse_budget_scale("2027-04-01=x").is_err());
        assert_eq!(
            parse_budget_scale("2027-04-01=0.395").unwrap(),
            (d("2027-04-01"), 0.395)
        );
    }

    #[test]
    fn names_become_unique_slugs() {
        assert_eq!(
            slug("Budget ×0.5 from 2027-04-01"),
            "budget-0.5-from-2027-04-01"
        );
        assert_eq!(
            unique_names(vec!["a".into(), "a".into(), "b".into(), "a".into()]),
            vec!["a", "a (2)", "b", "a (3)"]
        );
    }

    #[test]
    fn a_scenario_patch_names_itself() {
        let (name, text) =
            patch_plan_text(r#"{"name": "P", "sites": []}"#, r#"{"name": "Cut"}"#).unwrap();
        assert_eq!(name.as_deref(), Some("Cut"));
        assert!(text.contains("\"Cut\""));
        assert!(patch_plan_text("{}", "[1]").is_err());
    }
}
