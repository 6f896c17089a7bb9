//! What-if scenarios side by side: a plan changed by a scenario patch or a
//! budget scale, scheduled like the base plan, and the headline figures of
//! each in one table (Markdown and CSV).

use chrono::NaiveDate;
use std::fmt::Write;

use super::markdown::days;
use super::patch::{self, PatchError};
use super::verdict::{self, Verdict};
use crate::plan::{BudgetPeriod, Plan};
use crate::report::escape::md;
use crate::timeline::Timeline;
use crate::units::Money;
use crate::words;
use crate::words::money_exact_f64 as money;

/// Why a `--budget-scale FROM=FACTOR` cannot be applied (the user's
/// fault: exit 1). Each names the option as given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BudgetScaleError {
    #[error("--budget-scale {0}: give FROM=FACTOR, e.g. 2027-04-01=0.395")]
    Form(String),
    #[error("--budget-scale {0}: the factor must be a number from 0 to 1000")]
    Factor(String),
    #[error("--budget-scale {from}={factor}: the plan has no budget (money is unlimited), so there is nothing to scale")]
    NoBudget { from: NaiveDate, factor: f64 },
    #[error("--budget-scale {from}={factor}: an amount grows too large")]
    TooLarge { from: NaiveDate, factor: f64 },
    #[error("--budget-scale {from}={factor}: no budget period runs on or after {from}")]
    NoPeriod { from: NaiveDate, factor: f64 },
}

/// `FROM=FACTOR` of `--budget-scale`.
pub fn parse_budget_scale(s: &str) -> Result<(NaiveDate, f64), BudgetScaleError> {
    let usage = || BudgetScaleError::Form(s.into());
    let (from, factor) = s.split_once('=').ok_or_else(usage)?;
    let from: NaiveDate = from.trim().parse().map_err(|_| usage())?;
    let factor: f64 = factor.trim().parse().map_err(|_| usage())?;
    if !factor.is_finite() || !(0.0..=1000.0).contains(&factor) {
        return Err(BudgetScaleError::Factor(s.into()));
    }
    Ok((from, factor))
}

/// The plan with every budget period starting on or after `from` multiplied
/// by `factor` (rounded to the cent), and what was done in words. A period
/// that `from` falls inside is split at `from`: the part before keeps its
/// share of the money, pro rata by days, and the part from `from` on has
/// its share scaled (said in the notes, never done silently).
pub fn scale_budget(
    plan: &Plan,
    from: NaiveDate,
    factor: f64,
) -> Result<(Plan, Vec<String>), BudgetScaleError> {
    let mut p = plan.clone();
    let cur = plan.currency.clone();
    let Some(b) = p.budget.as_mut() else {
        return Err(BudgetScaleError::NoBudget { from, factor });
    };
    let too_large = || BudgetScaleError::TooLarge { from, factor };
    let scale = |m: Money| Money::from_f64(m.to_f64() * factor).ok_or_else(too_large);
    let mut periods = Vec::with_capacity(b.periods.len() + 1);
    let mut notes = Vec::new();
    for per in &b.periods {
        if per.from >= from {
            periods.push(BudgetPeriod {
                amount: scale(per.amount)?,
                ..per.clone()
            });
        } else if per.to >= from {
            let (before, after) = split_pro_rata(per, from);
            let scaled = scale(after)?;
            notes.push(format!(
                "--budget-scale {from}={factor}: the budget period {} – {} ({} {cur}) contains {from}, so it is split there: {} – {} keeps {}, its share by days, and {from} – {} has its share of {} scaled to {}",
                per.from,
                per.to,
                money(per.amount.to_f64()),
                per.from,
                from.pred_opt().unwrap_or(from),
                money(before.to_f64()),
                per.to,
                money(after.to_f64()),
                money(scaled.to_f64()),
            ));
            periods.push(BudgetPeriod {
                from: per.from,
                to: from.pred_opt().unwrap_or(from),
                amount: before,
            });
            periods.push(BudgetPeriod {
                from,
                to: per.to,
                amount: scaled,
            });
        } else {
            periods.push(per.clone());
        }
    }
    if b.periods.iter().all(|per| per.to < from) {
        return Err(BudgetScaleError::NoPeriod { from, factor });
    }
    b.periods = periods;
    Ok((p, notes))
}

/// A period's money before `from` and from it on, pro rata by days.
fn split_pro_rata(per: &BudgetPeriod, from: NaiveDate) -> (Money, Money) {
    let total = (per.to - per.from).num_days() + 1;
    let before_days = (from - per.from).num_days();
    let before = Money((per.amount.0 as i128 * before_days as i128 / total as i128) as i64);
    (before, per.amount - before)
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

/// Each row against the first by the plan's objective; the first row's
/// own verdict is `None`.
pub fn verdicts(plan: &Plan, rows: &[Row]) -> Vec<Option<(Verdict, String)>> {
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    rows.iter()
        .enumerate()
        .map(|(i, r)| (i > 0).then(|| verdict::judge(plan, r.timeline, first.timeline)))
        .collect()
}

/// The side-by-side table in Markdown. The first row is the reference
/// (`first_is`, Markdown, says what it is: the plan as published, or the
/// re-plan);
/// each other row gets a verdict against it by the plan's objective.
/// Columns follow the objective: work with no date and deadlines missed
/// tier by tier first, then dates, then money.
pub fn table_markdown(plan: &Plan, rows: &[Row], first_is: &str) -> String {
    let mut out = format!("# Scenarios: {}\n\n", md(&plan.name));
    if let Some(d) = plan.deadline {
        let _ = writeln!(out, "Programme deadline: {d}\n");
    }
    let _ = writeln!(
        out,
        "The first row is {}. Each scenario is judged against it by the plan's objective \
         ({}): work with no date first, then deadlines missed tier by tier, then exposure.\n",
        first_is,
        plan.objective.as_str()
    );
    out.push_str(
        "| scenario | verdict | no date | miss their deadline, by tier | removal complete | vs first | finish | exposure | cost |\n\
         |---|---|---|---|---|---|---|---:|---:|\n",
    );
    let judged = verdicts(plan, rows);
    let base = rows.first().and_then(|r| complete(&r.timeline.summary));
    for (r, v) in rows.iter().zip(&judged) {
        let s = &r.timeline.summary;
        let vs = match (base, complete(s)) {
            (Some(a), Some(b)) => days(Some((b - a).num_days())),
            _ => "—".into(),
        };
        let verdict = v.as_ref().map_or("(first row)", |(v, _)| v.as_str());
        let _ = writeln!(
            out,
            "| {} | {verdict} | {} | {} | {} | {vs} | {} | {} | {} {} |",
            md(r.name),
            no_date(s.sites_unscheduled, s.devices_unscheduled),
            by_tier(r.timeline),
            removal(s),
            date(s.finish),
            words::int(s.exposure.round().max(0.0) as u64),
            money(s.total_cost),
            md(&plan.currency)
        );
    }
    let reasons: Vec<String> = rows
        .iter()
        .zip(&judged)
        .filter_map(|(r, v)| {
            let (v, why) = v.as_ref()?;
            (*v != Verdict::Same).then(|| format!("- {}: {} — {}", md(r.name), v.as_str(), md(why)))
        })
        .collect();
    if !reasons.is_empty() {
        out.push_str("\nWhat decides each verdict (the first figure, in the objective's order, that differs from the first row):\n\n");
        out.push_str(&reasons.join("\n"));
        out.push('\n');
    }
    out.push_str(
        "\nA site with no date counts as missing its deadline. \
         Exposure: tier weight × devices × days each device stays in place; \
         a site with no date is left out of it.\n",
    );
    out
}

/// Removal complete, only when every site has a date.
fn complete(s: &crate::timeline::Summary) -> Option<NaiveDate> {
    s.removal_complete.filter(|_| s.sites_unscheduled == 0)
}

/// "not complete (2 sites with no date)" rather than a date that leaves
/// out the work with none.
fn removal(s: &crate::timeline::Summary) -> String {
    match complete(s) {
        Some(d) => d.to_string(),
        None if s.sites_unscheduled > 0 => "not complete".into(),
        None => "none".into(),
    }
}

fn no_date(sites: u64, devices: u64) -> String {
    if sites == 0 {
        "none".into()
    } else {
        format!(
            "{} ({})",
            crate::words::count(sites, "site", "sites"),
            crate::words::count(devices, "device", "devices")
        )
    }
}

/// "T1 0 · T2 1 · T3 7 (2 no date)": per tier, sites missing their
/// deadline, those with no date included and said.
fn by_tier(tl: &Timeline) -> String {
    let parts: Vec<String> = tl
        .summary
        .tiers
        .iter()
        .map(|t| {
            let n = t.sites_late + t.sites_unscheduled;
            if t.sites_unscheduled > 0 {
                format!("{} {n} ({} no date)", md(&t.tier), t.sites_unscheduled)
            } else {
                format!("{} {n}", md(&t.tier))
            }
        })
        .collect();
    parts.join(" · ")
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "none".into(), |d| d.to_string())
}

/// The same table as CSV (RFC 4180, LF line ends), numbers as in the JSON;
/// `verdict` against the first row (empty on it) and `late_by_tier`
/// (`T1:0 T2:1`, sites missing their deadline, no date included) follow.
pub fn table_csv(plan: &Plan, rows: &[Row]) -> Vec<u8> {
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
        "verdict",
        "late_by_tier",
    ];
    w.write_record(header).expect("writing to memory");
    for (r, v) in rows.iter().zip(verdicts(plan, rows)) {
        let s = &r.timeline.summary;
        let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let tiers: Vec<String> = s
            .tiers
            .iter()
            .map(|t| format!("{}:{}", t.tier, t.sites_late + t.sites_unscheduled))
            .collect();
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
            v.map(|(v, _)| v.as_str().to_string()).unwrap_or_default(),
            crate::report::escape::csv_text(&tiers.join(" ")),
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
        let (s, notes) = scale_budget(&p, d("2026-04-05"), 0.395).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
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
    fn budget_scale_inside_a_period_splits_it_pro_rata_and_says_so() {
        let p = plan(1, 3, Some(9_000), false);
        let first = p.budget.as_ref().unwrap().periods[0].clone();
        // 90 days from 5 Jan to 4 Apr 2026; 30 of them before the cut.
        assert_eq!((first.from, first.to), (d("2026-01-05"), d("2026-04-04")));
        let (s, notes) = scale_budget(&p, d("2026-02-04"), 0.5).unwrap();
        let periods = &s.budget.unwrap().periods;
        assert_eq!(periods.len(), 81);
        assert_eq!(
            (periods[0].from, periods[0].to),
            (d("2026-01-05"), d("2026-02-03"))
        );
        assert_eq!(periods[0].amount, Money(300_000));
        assert_eq!(
            (periods[1].from, periods[1].to),
            (d("2026-02-04"), d("2026-04-04"))
        );
        assert_eq!(periods[1].amount, Money(300_000));
        assert_eq!(periods[2].amount, Money(450_000));
        assert_eq!(
            notes,
            [
                "--budget-scale 2026-02-04=0.5: the budget period 2026-01-05 – 2026-04-04 \
              (9,000.00 GBP) contains 2026-02-04, so it is split there: 2026-01-05 – 2026-02-03 \
              keeps 3,000.00, its share by days, and 2026-02-04 – 2026-04-04 has its share of \
              6,000.00 scaled to 3,000.00"
            ]
        );
    }

    #[test]
    fn budget_scale_errors_are_clear() {
        let p = plan(1, 3, None, false);
        let e = scale_budget(&p, d("2026-04-05"), 0.5).unwrap_err();
        assert!(matches!(e, BudgetScaleError::NoBudget { .. }), "{e}");
        assert!(e.to_string().contains("no budget"), "{e}");
        let p = plan(1, 3, Some(1), false);
        let e = scale_budget(&p, d("2099-04-05"), 0.5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--budget-scale 2099-04-05=0.5: no budget period runs on or after 2099-04-05"
        );
        let form = BudgetScaleError::Form("2027-04-01".into());
        assert_eq!(parse_budget_scale("2027-04-01"), Err(form));
        let factor = BudgetScaleError::Factor("2027-04-01=-1".into());
        assert_eq!(parse_budget_scale("2027-04-01=-1"), Err(factor));
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
