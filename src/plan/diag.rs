//! Located diagnostics: `FILE:LINE:COL: error: MESSAGE`.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in an input file, at the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

/// Longest message printed, in characters: a message quotes the offending
/// value, which in a hostile file can be megabytes long.
pub const MAX_MESSAGE_CHARS: usize = 1_000;
/// Most diagnostics printed; the rest are counted.
pub const MAX_SHOWN: usize = 500;

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            self.file.display(),
            self.line,
            self.col,
            shorten(&self.message)
        )
    }
}

/// A message cut to `MAX_MESSAGE_CHARS`, saying how much was cut.
fn shorten(message: &str) -> std::borrow::Cow<'_, str> {
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => message.into(),
        Some((cut, _)) => {
            let rest = message[cut..].chars().count();
            format!("{}… ({rest} more characters)", &message[..cut]).into()
        }
    }
}

/// Every error found (validation reports all at once), one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > MAX_SHOWN {
            write!(f, "\n… and {} more", self.0.len() - MAX_SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostics {
    /// A single error at a place.
    pub fn one(file: PathBuf, line: usize, col: usize, message: String) -> Diagnostics {
        Diagnostics(vec![Diagnostic {
            file,
            line,
            col,
            severity: Severity::Error,
            message,
        }])
    }
}
