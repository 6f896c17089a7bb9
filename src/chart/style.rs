//! Colours, fonts and sizes shared by every chart.
//!
//! The colours are `crate::palette`'s (the page uses the same ones), turned
//! into plotters colours here. Each meaning also has its own form, so none
//! rests on colour alone: phases are bars (in work order, named in the
//! legend), a late site is a tinted row with `+N d late` in words, a
//! deadline is a dashed dark line with its label, the status date a solid
//! one. Deadlines are drawn alike on every chart. Text is drawn from Noto
//! Sans embedded in the binary, so a PNG is the same bytes on every machine
//! (no fontconfig).

use plotters::style::{register_font, FontStyle, RGBColor};
use std::sync::Once;

use crate::palette::{self, Rgb};
use crate::plan::Phase;

/// The family name the embedded fonts are registered under. SVG viewers
/// resolve it to their own sans-serif face.
pub const FAMILY: &str = "sans-serif";

/// A palette colour as plotters draws it.
const fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

// The palette's colours, by the palette's names (what each means is
// written there).
pub const WHITE: RGBColor = rgb(palette::WHITE);
pub const GREEN: RGBColor = rgb(palette::GREEN);
pub const BLUE: RGBColor = rgb(palette::BLUE);
pub const VERMILLION: RGBColor = rgb(palette::VERMILLION);
pub const INK: RGBColor = rgb(palette::INK);
pub const MUTED: RGBColor = rgb(palette::MUTED);
pub const GRID: RGBColor = rgb(palette::GRID);
pub const GRID_STRONG: RGBColor = rgb(palette::GRID_STRONG);
pub const STRIPE: RGBColor = rgb(palette::STRIPE);
pub const LATE_BG: RGBColor = rgb(palette::LATE_BG);
pub const LATE: RGBColor = rgb(palette::LATE);
pub const DEADLINE: RGBColor = rgb(palette::DEADLINE);
pub const BASELINE: RGBColor = rgb(palette::BASELINE);
pub const AT_RISK: RGBColor = rgb(palette::AT_RISK);
pub const RISK_BAND: RGBColor = rgb(palette::RISK_BAND);

/// The colour of a phase's bars.
pub fn phase_colour(phase: Phase) -> RGBColor {
    rgb(palette::phase_colour(phase))
}

/// Colours for tiers (in plan order) and scenarios. Repeats after eight.
pub fn series_colour(i: usize) -> RGBColor {
    rgb(palette::SERIES[i % palette::SERIES.len()])
}

/// The utilisation heatmap's sequential single-hue scale, 0 to 1.
pub fn heat_colour(share: f64) -> RGBColor {
    let (lo, hi) = (palette::HEAT_LOW, palette::HEAT_HIGH);
    let t = share.clamp(0.0, 1.0);
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    RGBColor(mix(lo[0], hi[0]), mix(lo[1], hi[1]), mix(lo[2], hi[2]))
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
