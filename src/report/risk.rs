//! The report's risk section, when `schedule --risk N` ran: how likely the
//! programme deadline and each tier's deadlines are, in words; the sites
//! at risk (on time in the plan, less than 80 % likely to stay so), after
//! the late ones; and the drivers that move the dates most.

use super::doc::{Block, ChartRef, Section, Table};
use crate::artifact::{Artifact, Context};
use crate::plan::Plan;
use crate::risk::{export, Risk, AT_RISK_BELOW};
use crate::words::{self, SiteNames};

/// `Name (id)`, or the ID alone.
fn label(names: &SiteNames, id: &str) -> String {
    match names.get(id) {
        Some(name) if name != id => format!("{name} ({id})"),
        _ => id.to_string(),
    }
}

/// The headline's risk sentences (programme deadline, then each tier's
/// deadlines, then each public target).
pub fn headline(plan: &Plan, r: &Risk) -> String {
    lines(plan, r, false).join(" ")
}

/// The programme deadline, each tier's deadlines and each target in words
/// (dates as the rest of the report writes them); with `p80`, the day
/// removal is complete everywhere in four samples out of five too.
fn lines(plan: &Plan, r: &Risk, p80: bool) -> Vec<String> {
    let p = &r.programme;
    let mut out = Vec::new();
    if let (Some(d), Some(prob)) = (p.deadline, p.deadline_probability) {
        out.push(format!(
            "Meeting the programme deadline of {} is {}.",
            words::long_date(d),
            export::likelihood(prob)
        ));
    }
    out.extend(
        export::headline(plan, r)
            .into_iter()
            .filter(|l| l.starts_with("Tier ")),
    );
    out.extend(target_lines(plan, r));
    if let (true, Some(d)) = (p80, p.p80) {
        out.push(format!(
            "Removal complete everywhere by {} in 4 samples out of 5 (published: {}).",
            words::long_date(d),
            p.published.map_or("none".into(), words::long_date)
        ));
    }
    out
}

/// One sentence per public target: how likely it is to be met.
pub fn target_lines(plan: &Plan, r: &Risk) -> Vec<String> {
    plan.targets
        .iter()
        .filter_map(|t| {
            let tr = r.targets.iter().find(|x| x.id == t.id)?;
            let whose = match (t.tier, t.owner) {
                (Some(ti), _) => format!(" of tier {}", plan.tiers[ti.ix()].id),
                (None, Some(o)) => {
                    let o = &plan.owners[o.ix()];
                    format!(" of {}", o.name.as_deref().unwrap_or(&o.id))
                }
                _ => String::new(),
            };
            Some(format!(
                "Target {} ({}% of devices{whose} removed by {}): meeting it is {}.",
                t.id,
                (t.share * 100.0).round(),
                words::long_date(t.by),
                export::likelihood(tr.probability)
            ))
        })
        .collect()
}

pub fn section(ctx: &Context, r: &Risk, charts: &[Artifact]) -> Section {
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
    let names = SiteNames::new(plan);
    let mut at_risk = Table::new(
        &["Site", "Deadline", "Published", "P80", "Chance on time"],
        &[false, false, false, false, true],
    );
    for s in r.sites.iter().filter(|s| s.at_risk) {
        let d = |x: Option<chrono::NaiveDate>| x.map(words::long_date).unwrap_or_default();
        at_risk.push(
            vec![
                label(&names, &s.id),
                d(s.deadline),
                d(s.published),
                d(s.p80),
                s.on_time_probability
                    .map(export::percent)
                    .unwrap_or_default(),
            ],
            true,
        );
    }
    blocks.push(Block::Para(format!(
        "Sites at risk: on time in the plan, but less than {} likely to stay so: {}.",
        export::percent(AT_RISK_BELOW),
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
        if let Some(a) = charts.iter().find(|a| a.path == "tornado.png") {
            blocks.push(Block::Charts(vec![ChartRef {
                path: a.path.clone(),
                caption: "What moves the programme's P80 date".into(),
                summary: crate::chart::describe(ctx, "tornado"),
                png: a.bytes.clone(),
            }]));
        }
        blocks.push(Block::Table(drivers));
    }
    Section {
        title: "How sure the timeline is".into(),
        blocks,
    }
}
