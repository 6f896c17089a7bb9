//! The status report as files: status.md and status.html (one `Document`,
//! so both carry the same content), status.csv (one row per owner, then
//! `all`) and status.xlsx (the same rows on a Status sheet). Every text from
//! a plan is escaped by the document renderers, quoted against formulas in
//! the CSV and written as a string cell in the workbook.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::figures::{Group, StatusReport, RULE};
use crate::artifact::Artifact;
use crate::report::doc::{Block, Document, Section, Table};
use crate::report::escape::{csv_text, looks_like_formula};
use crate::report::{html, markdown, ReportError};
use crate::units::Money;
use crate::words::{self, int, money, pct};

/// The columns of status.csv and of the workbook's Status sheet; the first
/// five are the contract (cli.md).
pub const COLUMNS: [&str; 24] = [
    "owner",
    "sites",
    "completed",
    "in_progress",
    "not_started",
    "name",
    "rag",
    "devices",
    "removed",
    "removed_pct",
    "replaceable",
    "replaced",
    "replaced_pct",
    "disposed",
    "disposed_pct",
    "spent_to_date",
    "committed_to_date",
    "forecast_cost",
    "committed_cost",
    "budget",
    "sites_behind",
    "worst_slip_days",
    "targets_missed",
    "reason",
];

/// status.md, status.html, status.csv and status.xlsx.
pub fn artifacts(r: &StatusReport) -> Result<Vec<Artifact>, ReportError> {
    let doc = document(r);
    Ok(vec![
        Artifact::new("status.md", markdown::render(&doc).into_bytes()),
        Artifact::new("status.html", html::render(&doc).into_bytes()),
        Artifact::new("status.csv", csv(r)?),
        Artifact::new(
            "status.xlsx",
            xlsx(r).map_err(|e| ReportError::Xlsx(e.to_string()))?,
        ),
    ])
}

/// A share as a number with one decimal, rounded down; empty when of none.
pub fn pct1(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    let tenths = (part as u128 * 1000 / whole as u128) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn amount(m: Money) -> String {
    m.to_string()
}

fn opt_amount(m: Option<Money>) -> String {
    m.map(amount).unwrap_or_default()
}

/// The cells of one row, in `COLUMNS` order (raw text, unescaped).
pub fn row_cells(g: &Group, targets_missed: u64) -> Vec<String> {
    vec![
        g.owner.clone(),
        g.sites.to_string(),
        g.completed.to_string(),
        g.in_progress.to_string(),
        g.not_started.to_string(),
        g.name.clone(),
        g.rag.as_str().into(),
        g.devices.to_string(),
        g.removed.to_string(),
        pct1(g.removed, g.devices),
        g.replaceable.to_string(),
        g.replaced.to_string(),
        pct1(g.replaced, g.replaceable),
        g.disposed.to_string(),
        pct1(g.disposed, g.devices),
        amount(g.spent),
        opt_amount(g.committed_to_date),
        amount(g.forecast),
        opt_amount(g.committed_cost),
        opt_amount(g.budget),
        g.behind.to_string(),
        g.worst_slip.to_string(),
        targets_missed.to_string(),
        g.reason.clone(),
    ]
}

/// Targets of the group (its owner's; every one for `all`) that are missed.
fn missed(r: &StatusReport, g: &Group) -> u64 {
    r.targets
        .iter()
        .filter(|t| g.owner == "all" || t.owner.as_deref() == Some(g.owner.as_str()))
        .filter(|t| t.due && !t.met)
        .count() as u64
}

fn csv(r: &StatusReport) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for g in &r.groups {
        let mut cells = row_cells(g, missed(r, g));
        for i in [0, 5, 23] {
            cells[i] = csv_text(&cells[i]);
        }
        w.write_record(&cells)?;
    }
    w.into_inner().map_err(|e| ReportError::Csv(e.to_string()))
}

fn xlsx(r: &StatusReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let made = excel_date(r.as_of)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(clip(&r.plan))
            .set_creation_datetime(&made),
    );
    let head = Format::new()
        .set_bold()
        .set_background_color(crate::palette::hex(crate::palette::SHEET_HEAD).as_str());
    let quoted = Format::new().set_quote_prefix();
    let ws = wb.add_worksheet().set_name("Status")?;
    for (c, h) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, if c == 23 { 60.0 } else { 14.0 })?;
    }
    for (i, g) in r.groups.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, cell) in row_cells(g, missed(r, g)).into_iter().enumerate() {
            let col = c as u16;
            let numeric = !matches!(c, 0 | 5 | 6 | 23);
            match cell.parse::<f64>() {
                Ok(n) if numeric => {
                    ws.write_number(row, col, n)?;
                }
                _ if looks_like_formula(&cell) => {
                    ws.write_string_with_format(row, col, clip(&cell), &quoted)?;
                }
                _ => {
                    ws.write_string(row, col, clip(&cell))?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, r.groups.len() as u32, COLUMNS.len() as u16 - 1)?;
    wb.save_to_buffer()
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Excel's longest cell text.
fn clip(s: &str) -> String {
    let mut end = s.len().min(32_767);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// The report as a document: overall status, by owner, money, the
/// committed timeline, targets and challenges.
pub fn document(r: &StatusReport) -> Document {
    let all = r
        .groups
        .last()
        .expect("the report always has the all group");
    let against = if r.committed {
        "against the committed timeline"
    } else {
        "against the sites' deadlines (no committed timeline given)"
    };
    let mut sections = vec![
        Section {
            title: "How the status is rated".into(),
            blocks: vec![Block::Para(RULE.into())],
        },
        progress_section(r),
        money_section(r),
    ];
    if r.committed {
        sections.push(variance_section(r));
    }
    if !r.targets.is_empty() {
        sections.push(targets_section(r));
    }
    sections.push(challenges_section(r));
    Document {
        title: format!("{}: status report", r.plan),
        subtitle: format!("As of {}, {against}", words::long_date(r.as_of)),
        headline: format!(
            "Overall {}: {}. {} of {} sites completed, {} of {} devices removed ({}).",
            all.rag.as_str().to_uppercase(),
            all.reason,
            int(all.completed),
            int(all.sites),
            int(all.removed),
            int(all.devices),
            pct(all.removed, all.devices)
        ),
        sections,
    }
}

fn owner_label(g: &Group) -> String {
    if g.owner == "all" || g.name == g.owner {
        g.name.clone()
    } else {
        format!("{} ({})", g.name, g.owner)
    }
}

fn progress_section(r: &StatusReport) -> Section {
    let mut t = Table::new(
        &[
            "Owner",
            "Status",
            "Sites",
            "Completed",
            "In progress",
            "Not started",
            "Removed",
            "Replaced",
            "Disposed of",
        ],
        &[false, false, true, true, true, true, true, true, true],
    );
    let share = |n: u64, of: u64| format!("{} of {} ({})", int(n), int(of), pct(n, of));
    for g in &r.groups {
        t.push(
            vec![
                owner_label(g),
                g.rag.as_str().to_uppercase(),
                int(g.sites),
                int(g.completed),
                int(g.in_progress),
                int(g.not_started),
                share(g.removed, g.devices),
                share(g.replaced, g.replaceable),
                share(g.disposed, g.devices),
            ],
            g.rag != super::Rag::Green,
        );
    }
    let reasons = r
        .groups
        .iter()
        .map(|g| {
            format!(
                "{} — {}: {}",
                owner_label(g),
                g.rag.as_str().to_uppercase(),
                g.reason
            )
        })
        .collect();
    Section {
        title: "Progress by owner".into(),
        blocks: vec![
            Block::Para(
                "Completed: every task of the site finished by the status date. In progress: some task started. \
Replaced: replacements live (commissioned). Percentages are rounded down."
                    .into(),
            ),
            Block::Table(t),
            Block::List(reasons),
        ],
    }
}

fn money_section(r: &StatusReport) -> Section {
    let cur = &r.currency;
    let opt = |m: Option<Money>| m.map(|m| money(m, cur)).unwrap_or_else(|| "–".into());
    let mut t = Table::new(
        &[
            "Owner",
            "Committed to date",
            "Committed timeline to date",
            "Forecast total",
            "Committed timeline total",
            "Budget",
        ],
        &[false, true, true, true, true, true],
    );
    for g in &r.groups {
        t.push(
            vec![
                owner_label(g),
                money(g.spent, cur),
                opt(g.committed_to_date),
                money(g.forecast, cur),
                opt(g.committed_cost),
                opt(g.budget),
            ],
            false,
        );
    }
    Section {
        title: "Money".into(),
        blocks: vec![
            Block::Para(
                "Committed to date: the cost of every task started by the status date (a cost is committed when its task starts; done and in-progress tasks at their reported actuals). The budget is the plan's, over all its periods."
                    .into(),
            ),
            Block::Table(t),
        ],
    }
}

fn variance_section(r: &StatusReport) -> Section {
    let cur = &r.currency;
    let mut blocks = vec![Block::Para(
        "The committed timeline is the one the programme committed to (its application or published plan). It is never replaced by a re-plan; the baseline of the last re-plan is a different thing. Sites whose dates or cost moved against it, latest first:"
            .into(),
    )];
    if r.variance.is_empty() {
        blocks.push(Block::Para(
            "No site has moved against the committed timeline.".into(),
        ));
        return Section {
            title: "Against the committed timeline".into(),
            blocks,
        };
    }
    let t = crate::report::committed::site_table(
        &[
            "Site",
            "Owner",
            "Tier",
            "Start committed",
            "Start forecast",
            "Removal committed",
            "Removal forecast",
            "Days",
            "Cost committed",
            "Cost forecast",
        ],
        &r.variance,
        cur,
    );
    blocks.push(Block::Table(t));
    Section {
        title: "Against the committed timeline".into(),
        blocks,
    }
}

fn targets_section(r: &StatusReport) -> Section {
    let mut t = Table::new(
        &[
            "Target",
            "Owner",
            "By",
            "Required",
            "Removed by then",
            "Status",
        ],
        &[false, false, false, true, true, false],
    );
    t.nowrap = vec![false, false, true, false, false, false];
    for ts in &r.targets {
        let label = match &ts.name {
            Some(n) => format!("{n} ({})", ts.id),
            None => ts.id.clone(),
        };
        t.push(
            vec![
                label,
                ts.owner.clone().unwrap_or_else(|| "all".into()),
                words::date(ts.by),
                int(ts.required),
                int(ts.removed),
                ts.words(),
            ],
            !ts.met,
        );
    }
    Section {
        title: "Targets".into(),
        blocks: vec![
            Block::Para(
                "Removed by then: actual for a target whose date has passed, forecast for one still to come."
                    .into(),
            ),
            Block::Table(t),
        ],
    }
}

fn challenges_section(r: &StatusReport) -> Section {
    if r.challenges.is_empty() {
        return Section {
            title: "Challenges".into(),
            blocks: vec![Block::Para("No site is forecast late.".into())],
        };
    }
    let mut t = Table::new(
        &["Category", "Sites", "Devices", "Which", "For example"],
        &[false, true, true, false, false],
    );
    for c in &r.challenges {
        t.push(
            vec![
                c.category.clone(),
                int(c.sites.len() as u64),
                int(c.devices),
                c.sites.join(", "),
                c.example.clone(),
            ],
            false,
        );
    }
    Section {
        title: "Challenges".into(),
        blocks: vec![
            Block::Para(
                "Late sites, grouped by what held each back most: funding, supply (lead times), crews, access (blackouts, not-before dates), dependency (another site's work), progress (as reported)."
                    .into(),
            ),
            Block::Table(t),
        ],
    }
}
