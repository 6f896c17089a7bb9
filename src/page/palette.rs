//! The page's colours as CSS variables, written from `crate::palette` (the
//! colours the charts draw with), so a phase, a late site, a deadline or a
//! baseline looks the same on the page as in the PNG charts. `page.css`
//! uses only the variables written here and sets none of them.

use crate::palette::{self, ink_on, phase_colour, Rgb};
use crate::plan::Phase;

/// The CSS variables, name and colour, in a fixed order: `--p0` … `--p5`
/// (phases in workflow order), each with `-ink` for text on it, then the
/// marks.
pub fn variables() -> Vec<(String, Rgb)> {
    let mut out = Vec::new();
    for (k, p) in Phase::ALL.iter().enumerate() {
        let c = phase_colour(*p);
        out.push((format!("--p{k}"), c));
        out.push((format!("--p{k}-ink"), ink_on(c)));
    }
    for (name, c) in [
        ("--ink", palette::INK),
        ("--muted", palette::MUTED),
        ("--grid", palette::GRID),
        ("--grid-strong", palette::GRID_STRONG),
        ("--late", palette::LATE),
        ("--late-bg", palette::LATE_BG),
        ("--deadline", palette::DEADLINE),
        ("--status", palette::INK),
        ("--baseline", palette::BASELINE),
        ("--met", palette::GREEN),
        ("--missed", palette::VERMILLION),
        ("--bg", palette::WHITE),
        ("--on-dark", palette::WHITE),
        ("--line", palette::PAGE_LINE),
        ("--panel", palette::PANEL),
        ("--accent", palette::ACCENT),
        ("--control-line", palette::CONTROL_LINE),
        ("--strong-line", palette::STRONG_LINE),
        ("--selected", palette::SELECTED_BG),
        ("--hover", palette::HOVER_BG),
        ("--span", palette::SPAN),
        ("--committed-all", palette::COMMITTED_ALL),
    ] {
        out.push((name.to_string(), c));
    }
    out
}

/// The `:root` rule that declares them.
pub fn css() -> String {
    let mut out = String::from(":root {");
    for (name, c) in variables() {
        out.push_str(&format!(" {name}: {};", palette::hex(c)));
    }
    out.push_str(" }\n");
    out
}
