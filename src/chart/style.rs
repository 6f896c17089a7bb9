//! Colours, fonts and sizes shared by every chart.
//!
//! Colours are the Okabe–Ito palette, which stays distinguishable under the
//! common forms of colour blindness. Text is drawn from Noto Sans embedded in
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
/// Baseline bars, drawn faintly behind the current plan.
pub const BASELINE: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// The colour of a phase's bars.
pub fn phase_colour(phase: Phase) -> RGBColor {
    match phase {
        Phase::Survey => SKY,
        Phase::Procure => YELLOW,
        Phase::Install => BLUE,
        Phase::Commission => GREEN,
        Phase::Remove => ORANGE,
        Phase::Dispose => PURPLE,
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

/// Text size in pixels for each role.
pub const TITLE_PX: f64 = 26.0;
pub const SUBTITLE_PX: f64 = 17.0;
pub const LABEL_PX: f64 = 14.0;
pub const SMALL_PX: f64 = 12.5;

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
