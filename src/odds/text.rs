//! The risk in words for a programme manager: the headline the terminal,
//! the report and the risk report share.

use chrono::NaiveDate;

use super::Risk;
use crate::plan::Plan;
use crate::words;

/// The headline: how likely the programme deadline, each tier's
/// deadlines and each public target are, in sentences, then the day
/// removal is complete everywhere in four samples out of five; dates
/// written by `date` (ISO on the terminal, in words in reports).
pub fn headline(plan: &Plan, r: &Risk, date: &dyn Fn(NaiveDate) -> String) -> Vec<String> {
    let mut lines = Vec::new();
    let p = &r.programme;
    if let (Some(d), Some(prob)) = (p.deadline, p.deadline_probability) {
        lines.push(format!(
            "Meeting the programme deadline of {} is {}.",
            date(d),
            words::likelihood(prob)
        ));
    }
    for (t, tr) in plan.tiers.iter().zip(&r.tiers) {
        if let Some(prob) = tr.on_time_probability {
            let name = match &t.name {
                Some(n) => format!("{} ({n})", t.id),
                None => t.id.clone(),
            };
            lines.push(format!(
                "Tier {name}: every site meeting its deadline is {}.",
                words::likelihood(prob)
            ));
        }
    }
    lines.extend(target_lines(plan, r, date));
    if let Some(p80) = p.p80 {
        lines.push(format!(
            "Removal complete everywhere by {} in 4 samples out of 5 (published: {}).",
            date(p80),
            p.published.map_or("none".into(), date)
        ));
    }
    lines
}

/// One sentence per public target: how likely it is met, and when its
/// devices are removed in four samples out of five.
pub fn target_lines(plan: &Plan, r: &Risk, date: &dyn Fn(NaiveDate) -> String) -> Vec<String> {
    plan.targets
        .iter()
        .zip(&r.targets)
        .map(|(t, tr)| {
            let whose = match (t.tier, t.owner) {
                (Some(ti), Some(o)) => format!(
                    " of tier {} at {}",
                    plan.tiers[ti.ix()].id,
                    owner_name(plan, o)
                ),
                (Some(ti), None) => format!(" of tier {}", plan.tiers[ti.ix()].id),
                (None, Some(o)) => format!(" of {}", owner_name(plan, o)),
                (None, None) => String::new(),
            };
            let when = match tr.p80 {
                Some(d) => format!("done by {} in 4 samples out of 5", date(d)),
                None => "not done before the horizon in 1 sample out of 5 or more".into(),
            };
            format!(
                "Target {} ({} of devices{whose} removed by {}): meeting it is {}; {when}.",
                t.id,
                words::pct_tenths(t.share),
                date(t.by),
                words::likelihood(tr.probability)
            )
        })
        .collect()
}

fn owner_name(plan: &Plan, o: crate::plan::OwnerIx) -> &str {
    let o = &plan.owners[o.ix()];
    o.name.as_deref().unwrap_or(&o.id)
}

/// A few lines for the terminal after `risk` runs.
pub fn summary_text(plan: &Plan, r: &Risk) -> String {
    let mut t = String::new();
    for l in headline(plan, r, &|d| d.to_string()) {
        t.push_str(&l);
        t.push('\n');
    }
    let at_risk = r.sites.iter().filter(|s| s.at_risk).count();
    t.push_str(&format!(
        "Sites on time in the plan but less than 80 % likely to stay so: {at_risk}\n"
    ));
    if let Some(d) = r.drivers.first().filter(|d| d.p80_days > 0) {
        t.push_str(&format!(
            "Biggest driver: {} (moves the P80 date by {} days from its low end to its high end)\n",
            d.what, d.p80_days
        ));
    }
    let worst_se = r
        .sites
        .iter()
        .filter_map(|s| s.on_time_se)
        .fold(r.programme.all_on_time_se, f64::max);
    t.push_str(&format!(
        "{} samples; standard error of each probability at most {} points\n",
        r.samples,
        (worst_se * 1000.0).round() / 10.0
    ));
    t
}
