//! Turning "this field of this entry is wrong" into a located diagnostic,
//! whether the entry came from the plan's JSON or from a CSV row.

use std::path::Path;

use super::diag::{Diagnostic, Severity};
use super::locate::{path_string, Located, Seg};

/// Where one entry (a site, a progress record, or the whole plan) was read.
#[derive(Clone, Copy)]
pub enum At<'a> {
    /// A JSON value: the file, its scan, and the path of the entry.
    Json {
        file: &'a Path,
        loc: &'a Located<'a>,
        prefix: &'a [Seg<'a>],
    },
    /// A CSV row: the file, the row's line, the header, and the character
    /// column where each of the row's cells starts.
    Csv {
        file: &'a Path,
        line: usize,
        header: &'a [String],
        cols: &'a [usize],
    },
}

impl<'a> At<'a> {
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
                let label = path_string(&path);
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
        }
    }
}
