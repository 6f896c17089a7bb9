//! `timeline.csv`: the task rows of the timeline, one header row, the JSON's
//! columns in the JSON's order; empty cells for nulls, LF line ends.
//!
//! The file is opened by spreadsheets, and IDs may start with `-` (`-A1` is
//! a valid site ID that Excel would read as a formula). Every text cell
//! (`id`, `site`, `crew`, `reason`) that would start a formula gets a
//! leading apostrophe. IDs never contain `'` and reasons never start with
//! one, so a reader recovers the JSON's value by dropping that one
//! character; numbers and dates are written as they are.

use super::escape::csv_text;
use crate::timeline::{TaskRow, Timeline};

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
        csv_text(&t.id),
        csv_text(&t.site),
        t.phase.as_str().to_string(),
        opt(t.package.map(|p| p.to_string())),
        t.devices.to_string(),
        opt(t.start.map(|d| d.to_string())),
        opt(t.finish.map(|d| d.to_string())),
        t.duration.to_string(),
        opt(t.crew.as_deref().map(csv_text)),
        // Numbers exactly as the JSON writes them (10800.0).
        opt(t.cost.map(json_number)),
        t.status.as_str().into(),
        opt(t.reason.as_deref().map(csv_text)),
    ]
}

fn json_number(v: f64) -> String {
    serde_json::to_string(&v).expect("a finite cost serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_the_json_columns_and_empty_nulls() {
        let tl = crate::timeline::build::tests::worked_example_past_horizon();
        let text = String::from_utf8(to_csv(&tl)).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(
            lines[0],
            "id,site,phase,package,devices,start,finish,duration,crew,cost,status,reason"
        );
        assert_eq!(
            lines[3],
            "alpha/install/1,alpha,install,1,50,2026-02-20,2026-03-16,17,crew-a,17000.0,planned,"
        );
        assert!(lines[8].starts_with("alpha/dispose,alpha,dispose,,63,,,5,,,unscheduled,"));
        assert!(!text.contains('\r'));
        assert_eq!(lines.len(), 9);
    }
}
