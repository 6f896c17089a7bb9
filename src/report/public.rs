//! The publishable bundle under `public/`: what a government can release.
//! Only tiers, shares, device totals and dates: never a site ID or name, a
//! crew, a region or one site's device count, because a list of sensitive
//! sites and their weak points is itself sensitive.

use super::doc::{Block, ChartRef, Document, Section};
use super::escape;
use super::milestones;
use super::model;
use super::standing::{self, Standing};
use super::ReportError;
use crate::artifact::Context;
use crate::chart::Drawn;
use crate::words;

/// The public report as a document (no site, crew, region or cost).
pub fn document(ctx: &Context, charts: &[Drawn]) -> Document {
    let st = standing::compute(ctx.plan, ctx.timeline);
    let mut sections = vec![dates_section(&st, true)];
    sections.extend(super::commitments::targets_section(ctx.plan, ctx.timeline));
    sections.extend(super::commitments::owners_section(ctx.plan, ctx.timeline));
    sections.push(model::milestone_section(&st.milestones, false));
    let refs: Vec<ChartRef> = model::chart_refs(ctx, charts, true)
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    if !refs.is_empty() {
        sections.push(Section {
            title: "Charts".into(),
            blocks: vec![Block::Charts(refs)],
        });
    }
    sections.push(Section {
        title: "About these figures".into(),
        blocks: vec![Block::Para(
            "Figures are by priority tier (and by owner, and against public targets, where the plan gives them): shares of sites and of devices whose removal is \
             complete, device totals per tier, and dates. Individual sites are not listed, \
             because a list of sensitive sites and the equipment they hold is itself sensitive."
                .into(),
        )],
    });
    Document {
        title: ctx.plan.name.clone(),
        subtitle: public_subtitle(ctx),
        headline: st.headline(),
        sections,
    }
}

fn public_subtitle(ctx: &Context) -> String {
    match ctx.timeline.status_date {
        Some(sd) => format!("Progress and plan as of {}", words::long_date(sd)),
        None => format!("Plan from {}", words::long_date(ctx.timeline.start)),
    }
}

/// "Key dates by tier": per tier, the sites that miss their deadline and
/// when the tier is clear against its target; the same block leads the
/// office's report. Names no site.
/// `lead`: open with the programme deadline and removal complete (the
/// office's report has them in its key figures just before).
pub fn dates_section(st: &Standing, lead: bool) -> Section {
    let mut items = Vec::new();
    if lead {
        items.extend(st.deadline_line());
        items.extend(st.targets_line());
        items.push(st.removal_line());
    }
    items.extend(st.tier_lines());
    Section {
        title: "Key dates by tier".into(),
        blocks: vec![Block::List(items)],
    }
}

/// `milestones.csv`: one row per tier (and "All tiers") per quarter end.
pub fn milestones_csv(ctx: &Context) -> Result<Vec<u8>, ReportError> {
    let m = milestones::compute(ctx.plan, ctx.timeline);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "tier",
        "tier_name",
        "quarter_end",
        "sites",
        "sites_cleared",
        "sites_cleared_pct",
        "devices",
        "devices_cleared",
        "devices_cleared_pct",
    ])?;
    for t in &m.tiers {
        for (q, &qe) in m.quarters.iter().enumerate() {
            let (s, d) = t.cleared[q];
            w.write_record([
                escape::csv_text(if t.id.is_empty() { "all" } else { &t.id }),
                escape::csv_text(&t.label),
                qe.to_string(),
                t.sites.to_string(),
                s.to_string(),
                pct1(s, t.sites),
                t.devices.to_string(),
                d.to_string(),
                pct1(d, t.devices),
            ])?;
        }
    }
    w.into_inner().map_err(|e| ReportError::Csv(e.to_string()))
}

/// A percentage with one decimal, rounded down (100.0 only when all are done).
fn pct1(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    let tenths = (part as u128 * 1000 / whole as u128) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    #[test]
    fn shares_round_down() {
        assert_eq!(super::pct1(2, 3), "66.6");
        assert_eq!(super::pct1(999, 1000), "99.9");
        assert_eq!(super::pct1(5, 5), "100.0");
        assert_eq!(super::pct1(0, 0), "");
    }
}
