//! The page's colours: the charts' palette (`src/chart/style.rs`, the
//! Okabe–Ito colours checked there under simulated colour blindness),
//! mirrored here because the page is plain CSS and that module is the
//! charts' own. A test reads `style.rs` and fails when the two disagree,
//! so a phase, a late site, a deadline or a baseline looks the same on the
//! page as in the PNG charts. `page.css` uses only the variables written
//! here and sets none of them.

use crate::plan::Phase;

/// An sRGB colour.
pub type Rgb = [u8; 3];

// The chart palette's values, by the names `chart::style` gives them.
pub const WHITE: Rgb = [0xFF, 0xFF, 0xFF];
pub const SKY: Rgb = [0x56, 0xB4, 0xE9];
pub const GREEN: Rgb = [0x00, 0x9E, 0x73];
pub const YELLOW: Rgb = [0xF0, 0xE4, 0x42];
pub const BLUE: Rgb = [0x00, 0x72, 0xB2];
pub const VERMILLION: Rgb = [0xD5, 0x5E, 0x00];
pub const PURPLE: Rgb = [0xCC, 0x79, 0xA7];
pub const INK: Rgb = [0x22, 0x22, 0x22];
pub const MUTED: Rgb = [0x66, 0x66, 0x66];
pub const GRID: Rgb = [0xE4, 0xE4, 0xE4];
pub const GRID_STRONG: Rgb = [0x99, 0x99, 0x99];
pub const LATE_BG: Rgb = [0xFB, 0xE3, 0xD6];
pub const LATE: Rgb = VERMILLION;
pub const DEADLINE: Rgb = INK;
pub const DARK_GREY: Rgb = [0x55, 0x55, 0x55];
pub const BASELINE: Rgb = [0xBB, 0xBB, 0xBB];

/// The colour of a phase's bars (as `chart::style::phase_colour`).
pub fn phase_colour(phase: Phase) -> Rgb {
    match phase {
        Phase::Survey => SKY,
        Phase::Procure => YELLOW,
        Phase::Install => BLUE,
        Phase::Commission => GREEN,
        Phase::Remove => PURPLE,
        Phase::Dispose => DARK_GREY,
    }
}

/// `#rrggbb`.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// WCAG relative luminance.
fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text on a filled bar or badge: ink or white, whichever contrasts more.
pub fn ink_on(c: Rgb) -> Rgb {
    if contrast(c, INK) >= contrast(c, WHITE) {
        INK
    } else {
        WHITE
    }
}

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
        ("--ink", INK),
        ("--muted", MUTED),
        ("--grid", GRID),
        ("--grid-strong", GRID_STRONG),
        ("--late", LATE),
        ("--late-bg", LATE_BG),
        ("--deadline", DEADLINE),
        ("--status", INK),
        ("--baseline", BASELINE),
        ("--met", GREEN),
        ("--missed", VERMILLION),
    ] {
        out.push((name.to_string(), c));
    }
    out
}

/// The `:root` rule that declares them.
pub fn css() -> String {
    let mut out = String::from(":root {");
    for (name, c) in variables() {
        out.push_str(&format!(" {name}: {};", hex(c)));
    }
    out.push_str(" }\n");
    out
}
