//! risk.json, risk.csv, and the risk in words for a programme manager.

use chrono::NaiveDate;

use super::Risk;
use crate::plan::Plan;
use crate::report::escape::csv_text;
use crate::words;

/// risk.json: pretty, with a final newline.
pub fn to_json(r: &Risk) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(r).expect("risk serialises");
    b.push(b'\n');
    b
}

/// risk.csv: one row per site, in plan order (RFC 4180, LF line ends;
/// IDs guarded against spreadsheet formulas as in timeline.csv).
pub fn to_csv(r: &Risk) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(COLUMNS)
        .expect("writing to memory cannot fail");
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    let f = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for s in &r.sites {
        w.write_record([
            csv_text(&s.id),
            d(s.deadline),
            d(s.published),
            d(s.p50),
            d(s.p80),
            d(s.p95),
            f(s.on_time_probability),
            f(s.on_time_se),
            s.at_risk.to_string(),
        ])
        .expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// risk.csv's columns, in order.
pub const COLUMNS: [&str; 9] = [
    "id",
    "deadline",
    "published",
    "p50",
    "p80",
    "p95",
    "on_time_probability",
    "on_time_se",
    "at_risk",
];

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
