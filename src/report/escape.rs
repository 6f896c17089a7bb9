//! Escaping for every format the reports write. Names come from plans made
//! by many hands, so nothing from a plan reaches HTML, Markdown, CSV or a
//! calendar without passing through here (XML and XLSX are escaped by their
//! writers; see `mspdi` and `xlsx`).

/// Text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a Markdown table cell or paragraph: markup characters are
/// backslash-escaped, HTML is entity-escaped (wikis render inline HTML), and
/// line breaks become spaces so a cell never breaks its row.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || invisible(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An ID for Markdown: as code (`` `S1` ``) when it holds only characters
/// that are safe inside a code span in a table, else escaped text (a code
/// span cannot escape a backtick or a pipe).
pub fn md_code(s: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/' | ' ');
    if !s.is_empty() && s.chars().all(safe) {
        format!("`{s}`")
    } else {
        md(s)
    }
}

/// Text for a terminal: control characters (escape sequences, NUL,
/// carriage returns, C1 controls) and the invisible characters that
/// reorder or hide text are dropped; line ends and tabs are kept. Every
/// line the program prints goes through here, so a plan name cannot move
/// the cursor, retitle the window or hide what follows.
pub fn terminal(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || invisible(c)))
        .collect()
}

/// Bidirectional overrides and isolates, and line and paragraph
/// separators: they reorder or break what a reader sees.
fn invisible(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Whether a spreadsheet would read this text as a formula (or a DDE
/// payload) when it is typed in or imported from CSV.
pub fn looks_like_formula(s: &str) -> bool {
    matches!(
        s.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n')
    )
}

/// A CSV text cell that Excel and LibreOffice will not evaluate: text that
/// would start a formula gets a leading apostrophe (the OWASP advice). Only
/// names from plans go through this; numbers and dates are written as they are.
pub fn csv_text(s: &str) -> String {
    if looks_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// iCalendar TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and
/// newlines escaped; other control characters dropped.
pub fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_neutralises_markup() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html("a\nb"), "a b");
    }

    #[test]
    fn markdown_cells_cannot_break_rows_or_inject() {
        assert_eq!(md("a|b\nc"), "a\\|b c");
        assert_eq!(md("[x](javascript:1)"), "\\[x\\](javascript:1)");
        assert_eq!(md("<img src=x>"), "&lt;img src=x&gt;");
    }

    #[test]
    fn ids_are_code_only_when_safe() {
        assert_eq!(md_code("S-01.a"), "`S-01.a`");
        assert_eq!(md_code("a`|b"), "a\\`\\|b");
        assert_eq!(md_code(""), "");
    }

    #[test]
    fn terminal_text_loses_control_characters() {
        assert_eq!(
            terminal("a\u{1b}]0;owned\u{7}b\u{0}c\r\nd\te\u{9b}2J\u{202e}f"),
            "a]0;ownedbc\nd\te2Jf"
        );
    }

    #[test]
    fn markdown_loses_control_and_reordering_characters() {
        assert_eq!(md("a\u{0}b\u{202e}c\u{2028}d"), "a b c d");
    }

    #[test]
    fn csv_formulas_become_text() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text("-1+2"), "'-1+2");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("\tx"), "'\tx");
        assert_eq!(csv_text("Tier 1"), "Tier 1");
    }

    #[test]
    fn ics_text_escapes_separators() {
        assert_eq!(ics_text("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }
}
