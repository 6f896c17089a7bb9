//! The colours of everything published: the charts (`chart::style` turns
//! them into plotters colours) and the interactive page (`page::palette`
//! writes them as CSS variables) take every colour from here, so a phase,
//! a late site, a deadline or a baseline looks the same on the page as in
//! the PNG and SVG charts, and changing a colour is one edit.
//!
//! Colours are the Okabe–Ito palette, which stays distinguishable under the
//! common forms of colour blindness; each meaning also has its own form, so
//! none rests on colour alone (see `chart::style`). A test simulates
//! protanopia, deuteranopia and tritanopia on these colours and checks that
//! every pair of meanings stays apart.

use crate::plan::Phase;

/// An sRGB colour.
pub type Rgb = [u8; 3];

pub const WHITE: Rgb = [0xFF, 0xFF, 0xFF];
pub const ORANGE: Rgb = [0xE6, 0x9F, 0x00];
pub const SKY: Rgb = [0x56, 0xB4, 0xE9];
pub const GREEN: Rgb = [0x00, 0x9E, 0x73];
pub const YELLOW: Rgb = [0xF0, 0xE4, 0x42];
pub const BLUE: Rgb = [0x00, 0x72, 0xB2];
pub const VERMILLION: Rgb = [0xD5, 0x5E, 0x00];
pub const PURPLE: Rgb = [0xCC, 0x79, 0xA7];

/// Text and lines that carry information.
pub const INK: Rgb = [0x22, 0x22, 0x22];
/// Secondary text.
pub const MUTED: Rgb = [0x66, 0x66, 0x66];
/// Month grid lines.
pub const GRID: Rgb = [0xE4, 0xE4, 0xE4];
/// Financial-year boundaries: stronger than the month grid.
pub const GRID_STRONG: Rgb = [0x99, 0x99, 0x99];
/// Alternate row shading.
pub const STRIPE: Rgb = [0xF6, 0xF6, 0xF6];
/// A late site's row background.
pub const LATE_BG: Rgb = [0xFB, 0xE3, 0xD6];
/// What marks lateness in words ("+12 d late"), and shortfalls.
pub const LATE: Rgb = VERMILLION;
/// Deadline lines and labels: dashed, on every chart.
pub const DEADLINE: Rgb = INK;
/// Disposal bars: a dark neutral, apart from every hue in use.
pub const DARK_GREY: Rgb = [0x55, 0x55, 0x55];
/// Baseline bars, drawn faintly behind the current plan.
pub const BASELINE: Rgb = [0xBB, 0xBB, 0xBB];
/// The words marking a site at risk: ink, so the mark rests on its words
/// and never on colour.
pub const AT_RISK: Rgb = INK;

/// The burndown's risk band (between the 1-in-10 and 9-in-10 samples).
pub const RISK_BAND: Rgb = [0xC8, 0xC8, 0xC8];

/// Tiers (in plan order) and scenarios; the most urgent tier gets the
/// strongest colour. Repeats after eight.
pub const SERIES: [Rgb; 8] = [
    VERMILLION, BLUE, ORANGE, GREEN, PURPLE, SKY, YELLOW, DARK_GREY,
];

/// The ends of the utilisation heatmap's single-hue scale: near white for
/// 0, dark blue for 1 (readable without colour vision, and in print).
pub const HEAT_LOW: Rgb = [0xF4, 0xF8, 0xFC];
pub const HEAT_HIGH: Rgb = [0x08, 0x30, 0x6B];

/// The printed report's and the spreadsheets' own colours: the text, the
/// headline's panel, table rules and headings, the late row and the
/// at-risk mark. The headline's bar is `BLUE`; a spreadsheet marks a site
/// at risk with `LATE_BG`, as the charts shade a late row.
pub const PAPER_INK: Rgb = [0x1B, 0x1B, 0x1B];
pub const PAPER_MUTED: Rgb = [0x55, 0x55, 0x55];
pub const HEADLINE_BG: Rgb = [0xEE, 0xF5, 0xFB];
pub const HEADING_RULE: Rgb = [0xCC, 0xCC, 0xCC];
pub const TABLE_RULE: Rgb = [0xD0, 0xD0, 0xD0];
pub const TABLE_HEAD: Rgb = [0xF0, 0xF0, 0xF0];
pub const LATE_ROW: Rgb = [0xFD, 0xEC, 0xEA];
pub const FIGURE_RULE: Rgb = [0xE0, 0xE0, 0xE0];
pub const SHEET_HEAD: Rgb = [0xE8, 0xEE, 0xF4];

/// The interactive page's own chrome: rules, panels, controls and what
/// is chosen or pointed at (`page::palette` declares each as a CSS
/// variable; `page.css` uses only those).
pub const PAGE_LINE: Rgb = [0xD8, 0xDD, 0xE3];
pub const PANEL: Rgb = [0xF6, 0xF8, 0xFA];
pub const ACCENT: Rgb = [0x0B, 0x5C, 0xAD];
pub const CONTROL_LINE: Rgb = [0xB9, 0xC0, 0xC8];
pub const STRONG_LINE: Rgb = [0x8A, 0x93, 0x9D];
pub const SELECTED_BG: Rgb = [0xE7, 0xF0, 0xFA];
pub const HOVER_BG: Rgb = [0xF3, 0xF7, 0xFB];
/// A site's span behind its task bars.
pub const SPAN: Rgb = [0x9A, 0xA4, 0xAF];
/// A budget period's money committed by every site (the site chosen is
/// drawn over it in its install colour).
pub const COMMITTED_ALL: Rgb = [0x9E, 0xC5, 0xE8];

/// The colour of a phase's bars.
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

/// The shortest CSS spelling: `#rgb` where each channel's two digits are
/// the same (`#555`), else `#rrggbb`.
pub fn css_hex(c: Rgb) -> String {
    if c.iter().all(|v| v >> 4 == v & 0xF) {
        format!("#{:x}{:x}{:x}", c[0] & 0xF, c[1] & 0xF, c[2] & 0xF)
    } else {
        hex(c)
    }
}

/// An sRGB channel on the linear scale.
fn linear(v: u8) -> f64 {
    let v = v as f64 / 255.0;
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance.
fn luminance(c: Rgb) -> f64 {
    0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_spells_a_colour_shortest() {
        assert_eq!(css_hex([0x55, 0x55, 0x55]), "#555");
        assert_eq!(css_hex([0xCC, 0xCC, 0xCC]), "#ccc");
        assert_eq!(css_hex([0xD0, 0xD0, 0xD0]), "#d0d0d0");
        assert_eq!(css_hex([0x1B, 0x1B, 0x1B]), "#1b1b1b");
    }

    /// Machado, Oliveira & Fernandes (2009) matrices at full severity, on
    /// linear RGB.
    const CVD: [(&str, [[f64; 3]; 3]); 4] = [
        (
            "normal",
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        ),
        (
            "protanopia",
            [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
        ),
        (
            "deuteranopia",
            [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
        ),
        (
            "tritanopia",
            [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        ),
    ];

    /// CIE L*a*b* (D65) of a linear RGB colour.
    fn lab(rgb: [f64; 3]) -> [f64; 3] {
        let [r, g, b] = rgb;
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    fn seen(c: Rgb, m: &[[f64; 3]; 3]) -> [f64; 3] {
        let v = [linear(c[0]), linear(c[1]), linear(c[2])];
        let out = m.map(|row| (row[0] * v[0] + row[1] * v[1] + row[2] * v[2]).clamp(0.0, 1.0));
        lab(out)
    }

    #[test]
    fn phases_late_and_deadlines_stay_apart_under_colour_blindness() {
        let mut colours: Vec<(String, Rgb)> = Phase::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), phase_colour(*p)))
            .collect();
        colours.push(("late".into(), LATE));
        colours.push(("deadline".into(), DEADLINE));
        for (vision, m) in &CVD {
            for (i, (a, ca)) in colours.iter().enumerate() {
                for (b, cb) in &colours[i + 1..] {
                    let (la, lb) = (seen(*ca, m), seen(*cb, m));
                    let d = ((la[0] - lb[0]).powi(2)
                        + (la[1] - lb[1]).powi(2)
                        + (la[2] - lb[2]).powi(2))
                    .sqrt();
                    // ΔE*76 of 15 is plainly different side by side.
                    assert!(d >= 15.0, "{a} and {b} under {vision}: ΔE {d:.1}");
                }
            }
        }
    }
}
