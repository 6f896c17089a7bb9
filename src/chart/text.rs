//! Text for charts: measuring it in the embedded font, shortening it with an
//! ellipsis to fit a width and making names from plans safe to draw. How
//! amounts, percentages, dates and month names read is `words`', the one
//! home of formats.

pub use crate::words::{date, month_abbr};

/// Width in pixels of `text` at `size` px in the embedded font.
pub fn width(text: &str, size: f64, bold: bool) -> f64 {
    super::font::width(text, size, bold)
}

/// Drops control characters (which would make an SVG invalid XML and draw
/// nothing useful) and folds runs of whitespace, so a hostile or sloppy name
/// from a plan is drawn as plain text.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// `text` if it fits in `max_px`, else its longest prefix that fits with an
/// ellipsis; empty when not even the ellipsis fits.
pub fn fit(text: &str, max_px: f64, size: f64, bold: bool) -> String {
    let text = clean(text);
    if width(&text, size, bold) <= max_px {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search the longest prefix whose "prefix…" fits.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if width(&candidate, size, bold) <= max_px {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        return if width("…", size, bold) <= max_px {
            "…".into()
        } else {
            String::new()
        };
    }
    let prefix: String = chars[..lo].iter().collect();
    prefix.trim_end().to_string() + "…"
}

/// `text` broken at spaces into lines no wider than `max_px`, at most
/// `max_lines` of them (the last shortened with an ellipsis when the text
/// runs on); a word wider than a line is shortened on its own line.
pub fn wrap(text: &str, max_px: f64, size: f64, bold: bool, max_lines: usize) -> Vec<String> {
    let text = clean(text);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if width(&candidate, size, bold) <= max_px || cur.is_empty() {
            cur = candidate;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines.max(1) {
        let keep = max_lines.max(1);
        let rest = lines[keep - 1..].join(" ");
        lines.truncate(keep - 1);
        lines.push(rest + "…");
    }
    lines
        .into_iter()
        .map(|l| fit(&l, max_px, size, bold))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn fit_keeps_short_text_and_shortens_long_text() {
        assert_eq!(fit("Whitehall", 500.0, 14.0, false), "Whitehall");
        let long = "Ministry of Defence Main Building, Horse Guards Avenue";
        let short = fit(long, 120.0, 14.0, false);
        assert!(short.ends_with('…'), "{short}");
        assert!(width(&short, 14.0, false) <= 120.0);
        assert!(short.len() < long.len());
    }

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_every_line_inside() {
        let t = "Synthetic removal programme: 1000 sites (seed 7): removal timeline by site";
        let lines = wrap(t, 600.0, 38.0, true, 3);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 38.0, true) <= 600.0));
        assert_eq!(lines.join(" "), t);
        let cut = wrap(t, 300.0, 38.0, true, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
        assert_eq!(wrap("short", 600.0, 38.0, true, 3), vec!["short"]);
    }

    #[test]
    fn fit_in_nothing_is_empty() {
        assert_eq!(fit("abc", 0.0, 14.0, false), "");
    }

    #[test]
    fn clean_removes_control_characters() {
        assert_eq!(clean("a\u{0}b\n\tc  d"), "a b c d");
        assert_eq!(clean("  x "), "x");
    }

    #[test]
    fn bold_is_wider_than_regular() {
        assert!(width("Removal complete", 14.0, true) > width("Removal complete", 14.0, false));
    }

    #[test]
    fn dates_read_well() {
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2027, 4, 30).unwrap()),
            "30 Apr 2027"
        );
    }
}
