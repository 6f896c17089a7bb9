//! Drawing: one `Figure` draws itself on any plotters backend in pixel
//! coordinates, and `render` turns it into PNG and SVG bytes in memory.
//! Nothing here knows what a chart means.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ColorType, ImageEncoder};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{ensure_fonts, FAMILY, WHITE};
use super::ChartError;
use crate::artifact::Artifact;

/// The result of one drawing call on backend `DB`.
pub type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart ready to draw: its size and how to draw it.
pub trait Figure {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB>;
}

/// Renders `fig` as `<stem>.png` and `<stem>.svg`.
pub fn render(fig: &impl Figure, stem: &str) -> Result<Vec<Artifact>, ChartError> {
    ensure_fonts();
    let (w, h) = fig.size();
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        fig.draw(&Pen {
            area: &root,
            raster: true,
        })
        .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    let mut png = Vec::new();
    // Fast compression: a 10,000-site programme draws hundreds of pages and
    // the default level costs several times more for ~10% smaller files.
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Sub)
        .write_image(&rgb, w, h, ColorType::Rgb8)
        .map_err(|e| ChartError::Encode(e.to_string()))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        fig.draw(&Pen {
            area: &root,
            raster: false,
        })
        .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(vec![
        Artifact::new(format!("{stem}.png"), png),
        Artifact::new(format!("{stem}.svg"), svg.into_bytes()),
    ])
}

fn draw_err<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// How text hangs from its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Left edge, vertically centred.
    Left,
    Right,
    Centre,
    /// Left edge, top of the text at the point.
    TopLeft,
}

/// Text to draw.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    pub px: f64,
    pub bold: bool,
    pub colour: RGBColor,
}

impl Font {
    pub fn new(px: f64, colour: RGBColor) -> Font {
        Font {
            px,
            bold: false,
            colour,
        }
    }
    pub fn bold(self) -> Font {
        Font { bold: true, ..self }
    }
}

/// Pixel-coordinate drawing primitives on a backend.
pub struct Pen<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    /// Draw text as pixels from the embedded font (bitmaps), rather than
    /// as text elements (SVG).
    pub raster: bool,
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    pub fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, c: RGBColor) -> Drawn<DB> {
        // At least one pixel wide, so a one-day task on a ten-year axis shows.
        let x1 = x1.max(x0 + 1.0);
        // Filled rectangles cover [x0, x1) × [y0, y1) in both backends.
        self.area.draw(&Rectangle::new(
            [(px(x0), px(y0)), (px(x1), px(y1))],
            c.filled(),
        ))
    }

    pub fn outline(&self, x0: f64, y0: f64, x1: f64, y1: f64, c: RGBColor) -> Drawn<DB> {
        self.area.draw(&Rectangle::new(
            [(px(x0), px(y0)), (px(x1) - 1, px(y1) - 1)],
            c.stroke_width(1),
        ))
    }

    pub fn line(&self, pts: &[(f64, f64)], c: RGBColor, width: u32) -> Drawn<DB> {
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area
            .draw(&PathElement::new(pts, c.stroke_width(width)))
    }

    /// A vertical dashed line (deadlines).
    pub fn dashed_vline(&self, x: f64, y0: f64, y1: f64, c: RGBColor, width: u32) -> Drawn<DB> {
        let mut y = y0;
        while y < y1 {
            let end = (y + 6.0).min(y1);
            self.line(&[(x, y), (x, end)], c, width)?;
            y += 10.0;
        }
        Ok(())
    }

    pub fn polygon(&self, pts: &[(f64, f64)], c: RGBColor) -> Drawn<DB> {
        let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.area.draw(&Polygon::new(pts, c.filled()))
    }

    /// A diamond centred on (x, y): the removal-complete marker.
    pub fn diamond(&self, x: f64, y: f64, r: f64, c: RGBColor) -> Drawn<DB> {
        self.polygon(&[(x, y - r), (x + r, y), (x, y + r), (x - r, y)], c)
    }

    pub fn text(&self, s: &str, x: f64, y: f64, font: Font, anchor: Anchor) -> Drawn<DB> {
        if s.is_empty() {
            return Ok(());
        }
        if self.raster {
            return self.raster_text(s, x, y, font, anchor);
        }
        let (h, v) = match anchor {
            Anchor::Left => (HPos::Left, VPos::Center),
            Anchor::Right => (HPos::Right, VPos::Center),
            Anchor::Centre => (HPos::Center, VPos::Center),
            Anchor::TopLeft => (HPos::Left, VPos::Top),
        };
        let style = if font.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        // plotters writes font-size as size / 1.24.
        let size = super::font::css_em(font.px, font.bold) * 1.24;
        let ts = TextStyle::from((FAMILY, size, style).into_font())
            .color(&font.colour)
            .pos(Pos::new(h, v));
        self.area
            .draw(&Text::new(s.to_string(), (px(x), px(y)), ts))
    }

    fn raster_text(&self, s: &str, x: f64, y: f64, font: Font, anchor: Anchor) -> Drawn<DB> {
        let w = super::font::width(s, font.px, font.bold);
        let (ascent, cap) = super::font::metrics(font.px, font.bold);
        let left = match anchor {
            Anchor::Left | Anchor::TopLeft => x,
            Anchor::Right => x - w,
            Anchor::Centre => x - w / 2.0,
        };
        let baseline = match anchor {
            Anchor::TopLeft => y + ascent,
            // Centre the capitals on y.
            _ => y + cap / 2.0,
        };
        let mut result = Ok(());
        super::font::raster(s, font.px, font.bold, left, baseline, |px, py, c| {
            if result.is_ok() {
                result = self.area.draw_pixel((px, py), &font.colour.mix(c as f64));
            }
        });
        result
    }
}
