//! Colours, fonts and sizes shared by every chart.
//!
//! Colours are the Okabe–Ito palette, which stays distinguishable under the
//! common forms of colour blindness; each meaning also has its own form, so
//! none rests on colour alone: phases are bars (in work order, named in the
//! legend), a late site is a tinted row with `+N d late` in words, a
//! deadline is a dashed dark line with its label, the status date a solid
//! one. Deadlines are drawn alike on every chart. A test simulates
//! protanopia, deuteranopia and tritanopia on these colours and checks that
//! every pair stays apart. Text is drawn from Noto Sans embedded in
//! the binary, so a PNG is the same bytes on every machine (no fontconfig).

use plotters::style::{register_font, FontStyle, RGBColor};
use std::sync::Once;

use crate::plan::Phase;

/// The family name the embedded fonts are registered under. SVG viewers
/// resolve it to their own sans-serif face.
pub const FAMILY: &str = "sans-serif";

pub const WHITE: RGBColor = RGBColor(255, 255, 255);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

/// Text and lines that carry information.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Month grid lines.
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// Financial-year boundaries: stronger than the month grid.
pub const GRID_STRONG: RGBColor = RGBColor(0x99, 0x99, 0x99);
/// Alternate row shading.
pub const STRIPE: RGBColor = RGBColor(0xF6, 0xF6, 0xF6);
/// A late site's row background.
pub const LATE_BG: RGBColor = RGBColor(0xFB, 0xE3, 0xD6);
/// What marks lateness in words ("+12 d late"), and shortfalls.
pub const LATE: RGBColor = VERMILLION;
/// Deadline lines and labels: dashed, on every chart.
pub const DEADLINE: RGBColor = INK;
/// Disposal bars: a dark neutral, apart from every hue in use.
pub const DARK_GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Baseline bars, drawn faintly behind the current plan.
pub const BASELINE: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
/// The words marking a site at risk: ink, so the mark rests on its words
/// and never on colour.
pub const AT_RISK: RGBColor = INK;

/// The colour of a phase's bars.
pub fn phase_colour(phase: Phase) -> RGBColor {
    match phase {
        Phase::Survey => SKY,
        Phase::Procure => YELLOW,
        Phase::Install => BLUE,
        Phase::Commission => GREEN,
        Phase::Remove => PURPLE,
        Phase::Dispose => DARK_GREY,
    }
}

/// Colours for tiers (in plan order) and scenarios; the most urgent tier
/// gets the strongest colour. Repeats after eight.
pub fn series_colour(i: usize) -> RGBColor {
    const SERIES: [RGBColor; 8] = [
        VERMILLION,
        BLUE,
        ORANGE,
        GREEN,
        PURPLE,
        SKY,
        YELLOW,
        RGBColor(0x55, 0x55, 0x55),
    ];
    SERIES[i % SERIES.len()]
}

/// A sequential single-hue scale for the utilisation heatmap: 0 is near
/// white, 1 is dark blue (readable without colour vision, and in print).
pub fn heat_colour(share: f64) -> RGBColor {
    const LO: (f64, f64, f64) = (0xF4 as f64, 0xF8 as f64, 0xFC as f64);
    const HI: (f64, f64, f64) = (0x08 as f64, 0x30 as f64, 0x6B as f64);
    let t = share.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(LO.0, HI.0), mix(LO.1, HI.1), mix(LO.2, HI.2))
}

/// Lighten a colour towards white (`t` = 0 unchanged, 1 white).
pub fn tint(c: RGBColor, t: f64) -> RGBColor {
    let mix = |a: u8| (a as f64 + (255.0 - a as f64) * t).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Text size for each role, in the embedded font's pixel scale (ascent to
/// descent; the em, which an SVG's `font-size` gives, is 1000/1362 of it).
/// Printed across 180 mm of an A4 page, a chart `WIDTH` wide shows
/// `SMALL_PX` text at 7 pt: legible on paper only when every em is at least
/// `MIN_TEXT_RATIO` of the width.
pub const TITLE_PX: f64 = 50.0;
pub const SUBTITLE_PX: f64 = 38.0;
pub const LABEL_PX: f64 = 35.0;
pub const SMALL_PX: f64 = 34.0;
/// Every chart is this wide (pixels).
pub const WIDTH: u32 = 1800;
/// 7 pt over 180 mm (510 pt): the smallest text height a printed chart may
/// have, as a share of its width.
pub const MIN_TEXT_RATIO: f64 = 7.0 / (180.0 / 25.4 * 72.0);
/// Line heights for each role.
pub const TITLE_LINE: f64 = 60.0;
pub const SUBTITLE_LINE: f64 = 46.0;
pub const LABEL_LINE: f64 = 44.0;

static FONTS: Once = Once::new();

/// Registers the embedded Noto Sans (regular and bold) once per process.
pub fn ensure_fonts() {
    FONTS.call_once(|| {
        // The bytes are a font compiled into the binary: failing to parse
        // them is a build defect, caught by every chart test.
        let _ = register_font(FAMILY, FontStyle::Normal, ttf_noto_sans::REGULAR);
        let _ = register_font(FAMILY, FontStyle::Bold, ttf_noto_sans::BOLD);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn linear(c: u8) -> f64 {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

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

    fn seen(c: RGBColor, m: &[[f64; 3]; 3]) -> [f64; 3] {
        let v = [linear(c.0), linear(c.1), linear(c.2)];
        let out = m.map(|row| (row[0] * v[0] + row[1] * v[1] + row[2] * v[2]).clamp(0.0, 1.0));
        lab(out)
    }

    #[test]
    fn phases_late_and_deadlines_stay_apart_under_colour_blindness() {
        let mut colours: Vec<(String, RGBColor)> = Phase::ALL
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
