//! `timeline.csv`: the task rows of the timeline, one header row, the JSON's
//! columns in the JSON's order; empty cells for nulls, LF line ends.

use super::{TaskRow, Timeline};

/// The columns, in order.
pub const COLUMNS: [&str; 12] = [
    "id", "site", "phase", "package", "devices", "start", "finish", "duration", "crew", "cost",
    "status", "reason",
];

/// The CSV bytes of a timeline's tasks.
pub fn to_csv(timeline: &Timeline) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(COLUMNS)
        .expect("writing to memory cannot fail");
    for t in &timeline.tasks {
        w.write_record(record(t))
            .expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

fn record(t: &TaskRow) -> [String; 12] {
    let opt = |o: Option<String>| o.unwrap_or_default();
    [
        t.id.clone(),
        t.site.clone(),
        t.phase.clone(),
        opt(t.package.map(|p| p.to_string())),
        t.devices.to_string(),
        opt(t.start.map(|d| d.to_string())),
        opt(t.finish.map(|d| d.to_string())),
        t.duration.to_string(),
        opt(t.crew.clone()),
        // Numbers exactly as the JSON writes them (10800.0).
        opt(t.cost.map(json_number)),
        t.status.as_str().into(),
        opt(t.reason.clone()),
    ]
}

fn json_number(v: f64) -> String {
    serde_json::to_string(&v).expect("a finite cost serialises")
}
