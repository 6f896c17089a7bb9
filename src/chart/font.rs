//! The embedded Noto Sans: measuring text and rasterising it for the PNGs.
//!
//! We lay glyphs out ourselves (advances, kerning, left side bearings, at
//! sub-pixel positions) because plotters' ab_glyph text drawing drops each
//! glyph's left side bearing and rounds every advance, which made digits
//! and capitals visibly uneven. The SVGs keep `<text>` elements, sized so
//! that the viewer's em matches ours.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use std::sync::OnceLock;

struct Faces {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        // Font files compiled into the binary; every chart test parses them.
        regular: FontRef::try_from_slice(ttf_noto_sans::REGULAR)
            .expect("embedded Noto Sans Regular"),
        bold: FontRef::try_from_slice(ttf_noto_sans::BOLD).expect("embedded Noto Sans Bold"),
    })
}

fn face(bold: bool) -> &'static FontRef<'static> {
    let f = faces();
    if bold {
        &f.bold
    } else {
        &f.regular
    }
}

/// Glyph positions of `text`: each glyph and its caret x from 0.
fn layout(text: &str, px: f64, bold: bool) -> (Vec<(ab_glyph::GlyphId, f32)>, f32) {
    let font = face(bold).as_scaled(PxScale::from(px as f32));
    let mut caret = 0f32;
    let mut prev = None;
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            caret += font.kern(p, id);
        }
        out.push((id, caret));
        caret += font.h_advance(id);
        prev = Some(id);
    }
    (out, caret)
}

/// Advance width of `text` in pixels.
pub fn width(text: &str, px: f64, bold: bool) -> f64 {
    layout(text, px, bold).1 as f64
}

/// Ascent (above the baseline) and cap height in pixels.
pub fn metrics(px: f64, bold: bool) -> (f64, f64) {
    let font = face(bold).as_scaled(PxScale::from(px as f32));
    // Noto Sans capitals are 714 units tall; units per em are 1000.
    let cap = 714.0 * font.scale_factor().vertical as f64;
    (font.ascent() as f64, cap)
}

/// The font size an SVG viewer must be given so that its em equals the em
/// of `px` here (ab_glyph scales by ascent − descent, CSS by the em).
pub fn css_em(px: f64, bold: bool) -> f64 {
    let font = face(bold).as_scaled(PxScale::from(px as f32));
    let units_per_em = face(bold).units_per_em().unwrap_or(1000.0) as f64;
    units_per_em * font.scale_factor().horizontal as f64
}

/// Glyph positions are rounded to this fraction of a pixel, so that a
/// glyph is rasterised once per size, weight and sub-pixel offset and then
/// copied: a 10,000-site Gantt draws about 40,000 labels, and rasterising
/// each glyph afresh was the largest cost of drawing it.
const SUBPIXEL: f32 = 4.0;

/// One rasterised glyph: its touched pixels, relative to the whole-pixel
/// part of its position, with their coverage.
type Coverage = std::rc::Rc<[(i32, i32, f32)]>;

/// Glyph, size (bits of the f32), bold, sub-pixel x and y steps.
type GlyphKey = (u16, u32, bool, u8, u8);

thread_local! {
    /// Per thread (pages are drawn on several), so no locking; the contents
    /// depend only on the key, so the pixels do not depend on the thread.
    static GLYPHS: std::cell::RefCell<std::collections::HashMap<GlyphKey, Coverage>> =
        std::cell::RefCell::default();
}

/// Splits a coordinate into whole pixels and a sub-pixel step.
fn snap(v: f32) -> (i32, u8) {
    let whole = v.floor();
    let step = ((v - whole) * SUBPIXEL).round();
    if step >= SUBPIXEL {
        (whole as i32 + 1, 0)
    } else {
        (whole as i32, step as u8)
    }
}

fn coverage(id: ab_glyph::GlyphId, px: f32, bold: bool, sx: u8, sy: u8) -> Coverage {
    let key = (id.0, px.to_bits(), bold, sx, sy);
    if let Some(c) = GLYPHS.with(|g| g.borrow().get(&key).cloned()) {
        return c;
    }
    let at = point(sx as f32 / SUBPIXEL, sy as f32 / SUBPIXEL);
    let glyph = id.with_scale_and_position(PxScale::from(px), at);
    let mut pixels = Vec::new();
    if let Some(outline) = face(bold).outline_glyph(glyph) {
        let b = outline.px_bounds();
        outline.draw(|gx, gy, c| {
            if c > 0.01 {
                pixels.push((
                    b.min.x as i32 + gx as i32,
                    b.min.y as i32 + gy as i32,
                    c.min(1.0),
                ));
            }
        });
    }
    let c: Coverage = pixels.into();
    GLYPHS.with(|g| g.borrow_mut().insert(key, c.clone()));
    c
}

/// Rasterises `text` with its baseline starting at (`x`, `baseline`),
/// calling `plot(x, y, coverage)` for every touched pixel.
pub fn raster(
    text: &str,
    px: f64,
    bold: bool,
    x: f64,
    baseline: f64,
    mut plot: impl FnMut(i32, i32, f32),
) {
    let (iy, sy) = snap(baseline as f32);
    for (id, caret) in layout(text, px, bold).0 {
        let (ix, sx) = snap(x as f32 + caret);
        for &(dx, dy, c) in coverage(id, px as f32, bold, sx, sy).iter() {
            plot(ix + dx, iy + dy, c);
        }
    }
}
