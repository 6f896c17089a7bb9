//! The report's risk section, when `schedule --risk N` ran: how likely the
//! programme deadline and each tier's deadlines are, in words; the sites
//! at risk (on time in the plan, less than 80 % likely to stay so), after
//! the late ones; and the drivers that move the dates most.

use super::doc::{Block, ChartRef, Document, Section, Table};
use crate::artifact::{Artifact, Context};
use crate::chart::{Chart, Drawn};
use crate::odds::{text, Risk, AT_RISK_BELOW};
use crate::plan::Plan;
use crate::words;

/// The headline's risk sentences (programme deadline, then each tier's
/// deadlines, then each public target).
pub fn headline(plan: &Plan, r: &Risk) -> String {
    lines(plan, r, false).join(" ")
}

/// The programme deadline, each tier's deadlines and each target in words
/// (dates as the rest of the report writes them); with `p80`, the day
/// removal is complete everywhere in four samples out of five too.
fn lines(plan: &Plan, r: &Risk, p80: bool) -> Vec<String> {
    let mut out = text::headline(plan, r, &words::long_date);
    if !p80 && r.programme.p80.is_some() {
        out.pop();
    }
    out
}

/// One row per public target: by, required, chance (± its standard
/// error), the published day its devices are removed and the P80.
fn targets_table(r: &Risk) -> Option<Table> {
    if r.targets.is_empty() {
        return None;
    }
    let mut t = Table::new(
        &[
            "Target",
            "By",
            "Devices required",
            "Chance met",
            "Published",
            "P80",
        ],
        &[false, false, true, true, false, false],
    );
    let d =
        |x: Option<chrono::NaiveDate>| x.map_or("not before the horizon".into(), words::long_date);
    for x in &r.targets {
        t.push(
            vec![
                x.id.clone(),
                words::long_date(x.by),
                words::int(x.required),
                format!(
                    "{} ± {}",
                    crate::words::probability(x.probability),
                    points(x.probability_se)
                ),
                d(x.published),
                d(x.p80),
            ],
            x.published.is_some_and(|p| p <= x.by) && x.probability < AT_RISK_BELOW,
        );
    }
    Some(t)
}

/// A standard error in percentage points, one decimal.
fn points(se: f64) -> String {
    format!("{}", (se * 1000.0).round() / 10.0)
}

pub fn section(ctx: &Context, r: &Risk, charts: &[Drawn]) -> Section {
    let plan = ctx.plan;
    let worst_se = r
        .sites
        .iter()
        .filter_map(|s| s.on_time_se)
        .fold(r.programme.all_on_time_se, f64::max);
    let mut blocks = vec![
        Block::Para(format!(
            "From {} samples of the plan's ranges (lead times, crew effort), each replaying the published order of work and crews. Each probability below is within about {} points (its standard error).",
            words::int(r.samples),
            (worst_se * 1000.0).round() / 10.0
        )),
        Block::List(lines(plan, r, true)),
    ];
    if let Some(t) = targets_table(r) {
        blocks.push(Block::Para(
            "Public targets: the chance each is met, and the day its required devices are removed, as published and in four samples out of five (P80).".into(),
        ));
        blocks.push(Block::Table(t));
    }
    let mut at_risk = Table::new(
        &["Site", "Deadline", "Published", "P80", "Chance on time"],
        &[false, false, false, false, true],
    );
    // The risk run's sites are the plan's, in plan order.
    for (s, site) in r.sites.iter().zip(&plan.sites).filter(|(s, _)| s.at_risk) {
        let d = |x: Option<chrono::NaiveDate>| x.map(words::long_date).unwrap_or_default();
        at_risk.push(
            vec![
                words::site_label(site),
                d(s.deadline),
                d(s.published),
                d(s.p80),
                s.on_time_probability
                    .map(crate::words::probability)
                    .unwrap_or_default(),
            ],
            true,
        );
    }
    blocks.push(Block::Para(format!(
        "Sites at risk: on time in the plan, but less than {} likely to stay so: {}.",
        crate::words::probability(AT_RISK_BELOW),
        words::int(at_risk.rows.len() as u64)
    )));
    if !at_risk.rows.is_empty() {
        blocks.push(Block::Table(at_risk));
    }
    let mut drivers = Table::new(
        &["What varies", "Range", "Moves the P80 by (days)"],
        &[false, false, true],
    );
    for d in r.drivers.iter().filter(|d| d.p80_days != 0).take(10) {
        drivers.push(
            vec![
                d.what.clone(),
                format!("{} to {}", d.low, d.high),
                d.p80_days.to_string(),
            ],
            false,
        );
    }
    if !drivers.rows.is_empty() {
        blocks.push(Block::Para(
            "What moves the programme's P80 date most: each driver alone, from the low end of its range to the high end.".into(),
        ));
        if let Some(d) = charts.iter().find(|d| d.chart == Chart::Tornado) {
            blocks.push(Block::Charts(vec![ChartRef {
                path: d.png.path.clone(),
                caption: d.chart.caption(),
                summary: crate::chart::describe(ctx, d.chart),
                png: d.png.bytes.clone(),
            }]));
        }
        blocks.push(Block::Table(drivers));
    }
    Section {
        title: "How sure the timeline is".into(),
        blocks,
    }
}

/// The `risk` command's own report (`risk.md`, `risk.html`): the risk
/// headline, then the risk section with its tornado (`charts` holds
/// `tornado.png` when there are drivers).
pub fn document(ctx: &Context, r: &Risk, charts: &[Drawn]) -> Document {
    Document {
        title: format!("{}: how sure the timeline is", ctx.plan.name),
        subtitle: super::model::subtitle(ctx.timeline),
        headline: short_headline(ctx.plan, r),
        sections: vec![section(ctx, r, charts)],
    }
}

/// The programme deadline's chance and the P80 day removal is complete
/// everywhere (the section below gives every tier and target).
fn short_headline(plan: &Plan, r: &Risk) -> String {
    let all = lines(plan, r, true);
    let mut out: Vec<&str> = Vec::new();
    if r.programme.deadline_probability.is_some() {
        out.extend(all.first().map(String::as_str));
    }
    if r.programme.p80.is_some() {
        out.extend(all.last().map(String::as_str));
    }
    out.dedup();
    out.join(" ")
}

/// `risk.md` and `risk.html` (self-contained, the tornado inlined).
pub fn documents(ctx: &Context, r: &Risk, charts: &[Drawn]) -> Vec<Artifact> {
    let doc = document(ctx, r, charts);
    vec![
        Artifact::new("risk.html", super::html::render(&doc).into_bytes()),
        Artifact::new("risk.md", super::markdown::render(&doc).into_bytes()),
    ]
}
