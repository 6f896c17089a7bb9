//! Turning "this field of this entry is wrong" into a located diagnostic,
//! whether the entry came from the plan's JSON or from a CSV row.

use std::path::Path;

use super::diag::{Diagnostic, Severity};
use super::locate::{named_path_string, path_string, Located, Seg};

/// Where one entry (a site, a progress record, or the whole plan) was read.
#[derive(Clone, Copy)]
pub enum At<'a> {
    /// A JSON value: the file, its scan, and the path of the entry.
    Json {
        file: &'a Path,
        loc: &'a Located<'a>,
        prefix: &'a [Seg<'a>],
    },
    /// A CSV row: the file, the row's line, the header, the character
    /// column where each of the row's cells starts, and what the row is
    /// called (`site "bravo"`, `task "bravo/survey"`) when it has an ID.
    Csv {
        file: &'a Path,
        line: usize,
        header: &'a [String],
        cols: &'a [usize],
        name: Option<(&'static str, &'a str)>,
    },
}

impl<'a> At<'a> {
    /// What a CSV row is called: the cell of column `column` (`id`,
    /// `task`), as `noun "value"`.
    pub fn csv_name(
        noun: &'static str,
        column: &str,
        header: &[String],
        cells: &'a [String],
    ) -> Option<(&'static str, &'a str)> {
        let i = header.iter().position(|h| h == column)?;
        Some((noun, cells.get(i)?.as_str()))
    }

    /// A diagnostic at `field` of this entry (its value, or with `on_key`
    /// the key naming it), the message prefixed with the field's path.
    pub fn diag(&self, field: &[Seg], on_key: bool, severity: Severity, msg: &str) -> Diagnostic {
        match *self {
            At::Json { file, loc, prefix } => {
                let mut path = prefix.to_vec();
                path.extend_from_slice(field);
                let pos = if on_key {
                    loc.key_pos(&path)
                } else {
                    loc.value_pos(&path)
                };
                let (line, col) = loc.line_col(pos);
                // Entries are named by their ID as well as their index.
                let label = named_path_string(&path, |p| loc.name_at(p));
                let message = if label.is_empty() {
                    msg.to_string()
                } else {
                    format!("{label}: {msg}")
                };
                Diagnostic {
                    file: file.to_path_buf(),
                    line,
                    col,
                    severity,
                    message,
                }
            }
            At::Csv {
                file,
                line,
                header,
                cols,
                name,
            } => {
                let column = match field.last() {
                    Some(Seg::K(k)) => *k,
                    _ => "",
                };
                let col = header
                    .iter()
                    .position(|h| h == column)
                    .and_then(|i| cols.get(i).copied())
                    .unwrap_or(1);
                let label = path_string(field);
                // A message about the ID itself quotes it already.
                let about_id = matches!(field, [Seg::K("id" | "task")]);
                let named = name
                    .filter(|(_, id)| !id.is_empty() && !about_id)
                    .map(|(noun, id)| format!("{noun} {id:?}"));
                let message = match (named, label.is_empty()) {
                    (None, true) => msg.to_string(),
                    (None, false) => format!("{label}: {msg}"),
                    (Some(n), true) => format!("{n}: {msg}"),
                    (Some(n), false) => format!("{n}, {label}: {msg}"),
                };
                Diagnostic {
                    file: file.to_path_buf(),
                    line,
                    col,
                    severity,
                    message,
                }
            }
        }
    }
}
