//! risk.json and risk.csv.

use super::Risk;
use crate::report::escape::csv_text;

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
