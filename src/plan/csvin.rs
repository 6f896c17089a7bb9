//! CSV inputs: the plan's `sites_csv` and progress files. Both are read into
//! the same raw types the JSON gives, with each cell's line and column kept
//! so that every later error points into the CSV file.

use std::collections::BTreeMap;
use std::path::Path;

use super::diag::{Diagnostic, Severity};
use super::raw::{RawProgress, RawSite};
use super::values;

/// One data row: its line, its cells (trimmed) and where each cell starts.
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
    pub cols: Vec<usize>,
}

/// A CSV file: the header, its cells' columns, and the rows.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

fn error(file: &Path, line: usize, col: usize, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_path_buf(),
        line,
        col,
        severity: Severity::Error,
        message,
    }
}

/// Where each cell of one CSV line starts (1-based character columns),
/// skipping the spaces that trimming removes; quote-aware.
fn cell_cols(line: &str) -> Vec<usize> {
    let mut cols = Vec::new();
    let mut quoted = false;
    let mut start = true;
    for (i, ch) in line.chars().enumerate() {
        if start && ch != ' ' && ch != '\t' {
            cols.push(i + 1);
            start = false;
        }
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if start {
                    cols.push(i + 1);
                }
                start = true;
            }
            _ => {}
        }
    }
    if start {
        cols.push(line.chars().count() + 1);
    }
    cols
}

/// Most row errors collected from one file: enough to see the pattern.
const MAX_ROW_ERRORS: usize = 1_000;

/// Reads a CSV text: BOM and blank lines ignored, cells trimmed, ragged
/// rows refused, at most `max_rows` data rows. `known` says which columns
/// are allowed (with a hint for the unknown ones); `required` must all be
/// present.
pub fn table(
    text: &str,
    file: &Path,
    known: &dyn Fn(&str) -> Result<(), String>,
    required: &[&str],
    max_rows: u64,
) -> Result<Table, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let line_of = |n: usize| lines.get(n.saturating_sub(1)).copied().unwrap_or("");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let mut errs = Vec::new();
    let Some(first) = records.next() else {
        return Err(vec![error(
            file,
            1,
            1,
            "the file is empty: it needs a header row".into(),
        )]);
    };
    let first = first.map_err(|e| vec![csv_error(file, &e)])?;
    let hline = first.position().map_or(1, |p| p.line() as usize);
    let hcols = cell_cols(line_of(hline).trim_end_matches('\r'));
    let header: Vec<String> = first.iter().map(str::to_string).collect();
    for (i, h) in header.iter().enumerate() {
        let col = hcols.get(i).copied().unwrap_or(1);
        if let Err(m) = known(h) {
            errs.push(error(file, hline, col, m));
        } else if header[..i].contains(h) {
            errs.push(error(
                file,
                hline,
                col,
                format!("column {h:?} appears twice"),
            ));
        }
    }
    for r in required {
        if !header.iter().any(|h| h == r) {
            errs.push(error(
                file,
                hline,
                1,
                format!("the header has no {r:?} column"),
            ));
        }
    }
    let mut rows = Vec::new();
    for (n, rec) in records.enumerate() {
        if n as u64 >= max_rows {
            let line = rec
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map_or(1, |p| p.line() as usize);
            errs.push(error(
                file,
                line,
                1,
                format!(
                    "the file has more than {max_rows} rows, the limit (raise it with {})",
                    super::ENV_MAX_CSV_ROWS
                ),
            ));
            break;
        }
        if errs.len() >= MAX_ROW_ERRORS {
            break;
        }
        match rec {
            Err(e) => errs.push(csv_error(file, &e)),
            Ok(rec) => {
                let line = rec.position().map_or(1, |p| p.line() as usize);
                if rec.len() != header.len() {
                    errs.push(error(
                        file,
                        line,
                        1,
                        format!(
                            "the row has {} cells but the header has {}",
                            rec.len(),
                            header.len()
                        ),
                    ));
                    continue;
                }
                rows.push(Row {
                    line,
                    cells: rec.iter().map(str::to_string).collect(),
                    cols: cell_cols(line_of(line).trim_end_matches('\r')),
                });
            }
        }
    }
    if errs.is_empty() {
        Ok(Table { header, rows })
    } else {
        Err(errs)
    }
}

fn csv_error(file: &Path, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(1, |p| p.line() as usize);
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} cells but the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".into(),
        _ => format!("cannot read the row: {e}"),
    };
    error(file, line, 1, msg)
}

impl Row {
    fn cell<'a>(&'a self, header: &[String], name: &str) -> Option<&'a str> {
        let i = header.iter().position(|h| h == name)?;
        Some(self.cells[i].as_str()).filter(|c| !c.is_empty())
    }

    fn col(&self, header: &[String], name: &str) -> usize {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.cols.get(i).copied())
            .unwrap_or(1)
    }
}

const SITE_COLUMNS: [&str; 8] = [
    "id",
    "name",
    "region",
    "tier",
    "cleared_only",
    "not_before",
    "deadline",
    "owner",
];

/// The rows of a `sites_csv` as raw sites. `types` are the plan's device type IDs.
pub fn sites(
    text: &str,
    file: &Path,
    types: &[String],
    max_rows: u64,
) -> Result<(Table, Vec<RawSite>), Vec<Diagnostic>> {
    let mut allowed: Vec<String> = SITE_COLUMNS.iter().map(|s| s.to_string()).collect();
    allowed.extend(types.iter().cloned());
    let known = |h: &str| -> Result<(), String> {
        if allowed.iter().any(|a| a == h) {
            return Ok(());
        }
        let mut m = format!("unknown column {h:?}: columns are id, region, tier, name, cleared_only, not_before, deadline, owner and device type IDs");
        if let Some(s) = values::suggest(h, &allowed) {
            m = format!("unknown column {h:?}; did you mean {s:?}?");
        }
        Err(m)
    };
    let t = table(text, file, &known, &["id", "region", "tier"], max_rows)?;
    let mut errs = Vec::new();
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        match site_row(row, &t.header, types, file) {
            Ok(s) => out.push(s),
            Err(mut e) => errs.append(&mut e),
        }
    }
    if errs.is_empty() {
        Ok((t, out))
    } else {
        Err(errs)
    }
}

fn site_row(
    row: &Row,
    header: &[String],
    types: &[String],
    file: &Path,
) -> Result<RawSite, Vec<Diagnostic>> {
    let get = |n: &str| row.cell(header, n).map(str::to_string);
    let mut errs = Vec::new();
    let cleared_only = match row
        .cell(header, "cleared_only")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => None,
        Some("true" | "yes" | "1") => Some(true),
        Some("false" | "no" | "0") => Some(false),
        Some(other) => {
            errs.push(error(
                file,
                row.line,
                row.col(header, "cleared_only"),
                format!("cleared_only: {other:?} is not true/false/yes/no/1/0"),
            ));
            None
        }
    };
    let mut devices = BTreeMap::new();
    for t in types {
        let Some(cell) = row.cell(header, t) else {
            continue;
        };
        match cell.parse::<f64>() {
            Ok(n) => {
                devices.insert(t.clone(), n);
            }
            Err(_) => errs.push(error(
                file,
                row.line,
                row.col(header, t),
                format!("devices.{t}: {cell:?} is not a count"),
            )),
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(RawSite {
        id: get("id").unwrap_or_default(),
        name: get("name"),
        region: get("region").unwrap_or_default(),
        tier: get("tier").unwrap_or_default(),
        devices,
        cleared_only,
        not_before: get("not_before"),
        deadline: get("deadline"),
        blackouts: Vec::new(),
        owner: get("owner"),
    })
}

const PROGRESS_COLUMNS: [&str; 6] = [
    "task",
    "started",
    "finished",
    "crew",
    "remaining_days",
    "cost",
];

/// A progress CSV (`task,started,finished,crew,remaining_days,cost`) as raw records.
pub fn progress(
    text: &str,
    file: &Path,
    max_rows: u64,
) -> Result<(Table, Vec<RawProgress>), Vec<Diagnostic>> {
    let known = |h: &str| -> Result<(), String> {
        if PROGRESS_COLUMNS.contains(&h) {
            return Ok(());
        }
        let list: Vec<String> = PROGRESS_COLUMNS.iter().map(|s| s.to_string()).collect();
        Err(match values::suggest(h, &list) {
            Some(s) => format!("unknown column {h:?}; did you mean {s:?}?"),
            None => format!(
                "unknown column {h:?}: columns are {}",
                PROGRESS_COLUMNS.join(", ")
            ),
        })
    };
    let t = table(text, file, &known, &["task", "started"], max_rows)?;
    let mut errs = Vec::new();
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let get = |n: &str| row.cell(&t.header, n).map(str::to_string);
        let mut num = |n: &str| {
            let cell = row.cell(&t.header, n)?;
            cell.parse::<f64>()
                .map_err(|_| {
                    errs.push(error(
                        file,
                        row.line,
                        row.col(&t.header, n),
                        format!("{n}: {cell:?} is not a number"),
                    ))
                })
                .ok()
        };
        let remaining_days = num("remaining_days");
        let cost = num("cost");
        out.push(RawProgress {
            task: get("task").unwrap_or_default(),
            started: get("started").unwrap_or_default(),
            finished: get("finished"),
            crew: get("crew"),
            remaining_days,
            cost,
        });
    }
    if errs.is_empty() {
        Ok((t, out))
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_columns_skip_spaces_and_respect_quotes() {
        assert_eq!(cell_cols("a, b,\"c,d\",e"), vec![1, 4, 6, 12]);
        assert_eq!(cell_cols("a,,b"), vec![1, 3, 4]);
        assert_eq!(cell_cols("a,"), vec![1, 3]);
    }
}
