//! A dated x axis over a numeric y axis, for the burndown, budget and
//! scenario charts: grid, tick labels, financial years and labelled marker
//! lines, laid out so no label overlaps another or leaves the figure.

use chrono::NaiveDate;
use plotters::prelude::{DrawingBackend, RGBColor};

use super::axis::{place_labels, LabelWant, TimeScale};
use super::canvas::{Anchor, Drawn, Font, Pen};
use super::notes::Note;
use super::style::*;
use super::text;

/// A linear y axis from 0 to `max`, drawn from `bottom` up to `top` pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YScale {
    pub max: f64,
    pub bottom: f64,
    pub top: f64,
}

impl YScale {
    /// An axis whose top is a round number at or above `max`.
    pub fn to_fit(max: f64, bottom: f64, top: f64) -> YScale {
        let step = nice_step(max);
        let max = (max / step).ceil().max(1.0) * step;
        YScale { max, bottom, top }
    }

    pub fn y(&self, v: f64) -> f64 {
        self.bottom - (v / self.max).clamp(0.0, 1.0) * (self.bottom - self.top)
    }

    /// Round tick values from 0 to `max`.
    pub fn ticks(&self) -> Vec<f64> {
        let step = nice_step(self.max);
        let n = (self.max / step).round() as usize;
        (0..=n).map(|i| i as f64 * step).collect()
    }
}

/// A 1, 2 or 5 × 10^k step giving four to ten ticks up to `max`.
pub fn nice_step(max: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| max / s <= 8.0)
        .unwrap_or(10.0 * mag);
    step.max(1.0)
}

/// A labelled vertical line.
#[derive(Debug, Clone, PartialEq)]
pub struct VLine {
    pub day: NaiveDate,
    pub label: String,
    pub colour: RGBColor,
    pub dashed: bool,
}

/// The frame of a time plot.
pub struct TimePlot {
    pub x: TimeScale,
    pub y: YScale,
    pub lines: Vec<VLine>,
    /// y tick label format.
    pub fmt: fn(f64) -> String,
    /// Top of the marker label lanes.
    pub lanes_top: f64,
}

/// Height of one lane of marker labels.
pub const LANE_H: f64 = 44.0;
/// Room under a time plot for month and financial-year labels.
pub const AXIS_BELOW: f64 = 100.0;

impl TimePlot {
    /// Marker labels in lanes so none overlap; `(line, left, lane)`.
    pub fn placed(&self) -> Vec<(&VLine, f64, usize)> {
        let wants: Vec<LabelWant> = self
            .lines
            .iter()
            .map(|l| LabelWant {
                x: self.x.x_end(l.day),
                width: text::width(&l.label, SMALL_PX, false),
            })
            .collect();
        let placed = place_labels(&wants, self.x.x0, self.x.x1, 8.0);
        self.lines
            .iter()
            .zip(placed)
            .map(|(l, p)| (l, p.left, p.lane))
            .collect()
    }

    /// Lanes needed above the plot for the marker labels.
    pub fn lanes(lines: &[VLine], x: &TimeScale) -> usize {
        let probe = TimePlot {
            x: *x,
            y: YScale::to_fit(1.0, 1.0, 0.0),
            lines: lines.to_vec(),
            fmt: |v| v.to_string(),
            lanes_top: 0.0,
        };
        probe.placed().iter().map(|p| p.2 + 1).max().unwrap_or(0)
    }

    /// Grid and axes, drawn before the data.
    pub fn draw_grid<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        let (x0, x1) = (self.x.x0, self.x.x1);
        let small = Font::new(SMALL_PX, MUTED);
        for v in self.y.ticks() {
            let y = self.y.y(v);
            pen.line(&[(x0, y), (x1, y)], GRID, 1)?;
            pen.text(
                &(self.fmt)(v),
                x0 - 10.0,
                y,
                Font::new(SMALL_PX, INK),
                Anchor::Right,
            )?;
        }
        for t in self.x.ticks(SMALL_PX) {
            let (c, w) = if t.fy_boundary {
                (GRID_STRONG, 2)
            } else {
                (GRID, 1)
            };
            pen.line(&[(t.x, self.y.top), (t.x, self.y.bottom + 4.0)], c, w)?;
            if let Some(l) = &t.label {
                pen.text(l, t.x + 4.0, self.y.bottom + 24.0, small, Anchor::Left)?;
            }
        }
        for (label, x) in self.x.fy_labels(SMALL_PX) {
            pen.text(&label, x, self.y.bottom + 68.0, small.bold(), Anchor::Left)?;
        }
        pen.line(
            &[(x0, self.y.top), (x0, self.y.bottom), (x1, self.y.bottom)],
            INK,
            1,
        )
    }

    /// Marker lines and their labels, drawn over the data.
    pub fn draw_lines<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        let placed = self.placed();
        let lane_y = |lane: usize| self.lanes_top + lane as f64 * LANE_H + LANE_H / 2.0;
        for (l, _, lane) in &placed {
            let (x, y) = (self.x.x_end(l.day), lane_y(*lane));
            if l.dashed {
                pen.dashed_vline(x, y + 16.0, self.y.bottom, l.colour, 3)?;
            } else {
                pen.line(&[(x, y + 16.0), (x, self.y.bottom)], l.colour, 3)?;
            }
        }
        // Labels over the lines, on white: a line that cannot avoid a
        // label below it (near the right edge) passes behind it.
        for (l, left, lane) in placed {
            let y = lane_y(lane);
            let w = text::width(&l.label, SMALL_PX, false);
            pen.rect(left - 3.0, y - 16.0, left + w + 3.0, y + 16.0, WHITE)?;
            pen.text(
                &l.label,
                left,
                y,
                Font::new(SMALL_PX, l.colour),
                Anchor::Left,
            )?;
        }
        Ok(())
    }
}

/// Notes over a time plot, numbered: a span note hatches its days, a note
/// at one day draws that day's line, and each carries a numbered badge at
/// the top of the plot; the words go in a numbered list under the axis
/// (`draw_note_list`), where no data or other label can cover them.
pub fn draw_notes<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    p: &TimePlot,
    notes: &[Note],
) -> Drawn<DB> {
    for n in notes {
        match n.to {
            Some(to) => hatch(pen, p.x.x(n.from), p.x.x_end(to), p.y.top, p.y.bottom)?,
            // The day's line, in case the chart has none there (the budget).
            None => pen.dashed_vline(p.x.x_end(n.from), p.y.top, p.y.bottom, DEADLINE, 3)?,
        }
    }
    for (i, (x, y)) in badge_places(p, notes).into_iter().enumerate() {
        badge(pen, i + 1, x, y)?;
    }
    Ok(())
}

/// Side of a note's numbered badge.
const BADGE: f64 = 40.0;

/// Top-left corner of each note's badge: just inside its span (or right
/// of its day's line, left of it at the plot's right edge), at the top of
/// the plot, moved down until it overlaps no badge placed before it.
pub fn badge_places(p: &TimePlot, notes: &[Note]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for n in notes {
        let x = match n.to {
            Some(_) => p.x.x(n.from) + 6.0,
            None => p.x.x_end(n.from) + 8.0,
        };
        let x = if x + BADGE > p.x.x1 {
            (p.x.x_end(n.from) - 8.0 - BADGE).max(p.x.x0)
        } else {
            x
        };
        let mut y = p.y.top + 8.0;
        while out
            .iter()
            .any(|&(bx, by)| (bx - x).abs() < BADGE + 4.0 && (by - y).abs() < BADGE + 4.0)
        {
            y += BADGE + 6.0;
        }
        out.push((x, y));
    }
    out
}

/// Note `n`'s badge: its number, white on ink, top-left at (`x`, `y`).
fn badge<DB: DrawingBackend>(pen: &Pen<'_, DB>, n: usize, x: f64, y: f64) -> Drawn<DB> {
    pen.rect(x - 2.0, y - 2.0, x + BADGE + 2.0, y + BADGE + 2.0, WHITE)?;
    pen.rect(x, y, x + BADGE, y + BADGE, INK)?;
    pen.text(
        &n.to_string(),
        x + BADGE / 2.0,
        y + BADGE / 2.0,
        Font::new(SMALL_PX, WHITE).bold(),
        Anchor::Centre,
    )
}

/// Left edge of a note's words in the list: after its badge.
const NOTE_TEXT_X: f64 = MARGIN + BADGE + 14.0;

/// Each note's words wrapped to the figure's width.
fn note_lines(notes: &[Note]) -> Vec<Vec<String>> {
    let room = WIDTH as f64 - MARGIN - NOTE_TEXT_X;
    notes
        .iter()
        .map(|n| text::wrap(&n.text, room, SMALL_PX, false, 3))
        .collect()
}

/// Height of the numbered list of notes under a time plot.
pub fn notes_h(notes: &[Note]) -> f64 {
    let lines: usize = note_lines(notes).iter().map(Vec::len).sum();
    lines as f64 * LABEL_LINE + notes.len() as f64 * 8.0
}

/// The notes' words, each after its numbered badge, from `top` down.
pub fn draw_note_list<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    notes: &[Note],
    top: f64,
) -> Drawn<DB> {
    let mut y = top;
    for (i, lines) in note_lines(notes).iter().enumerate() {
        badge(pen, i + 1, MARGIN, y + (LABEL_LINE - BADGE) / 2.0)?;
        for l in lines {
            pen.text(
                l,
                NOTE_TEXT_X,
                y + LABEL_LINE / 2.0,
                Font::new(SMALL_PX, INK),
                Anchor::Left,
            )?;
            y += LABEL_LINE;
        }
        y += 8.0;
    }
    Ok(())
}

/// Diagonal hatching over `[a, b] × [top, bottom]`: a stop in work.
fn hatch<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    a: f64,
    b: f64,
    top: f64,
    bottom: f64,
) -> Drawn<DB> {
    let colour = tint(INK, 0.8);
    let mut c = a + top;
    while c < b + bottom {
        let lo = a.max(c - bottom);
        let hi = b.min(c - top);
        if lo < hi {
            pen.line(&[(lo, c - lo), (hi, c - hi)], colour, 1)?;
        }
        c += 18.0;
    }
    Ok(())
}

/// A figure's title and subtitle, wrapped to its width (a title cut
/// short would lose the chart's kind, which comes last).
pub struct Titles {
    pub title: Vec<String>,
    pub subtitle: Vec<String>,
}

/// Left margin of every figure's titles and legend.
pub const MARGIN: f64 = 20.0;

impl Titles {
    pub fn new(w: f64, title: &str, subtitle: &str) -> Titles {
        let room = w - 2.0 * MARGIN;
        Titles {
            title: text::wrap(title, room, TITLE_PX, true, 3),
            subtitle: if subtitle.is_empty() {
                vec![]
            } else {
                text::wrap(subtitle, room, SUBTITLE_PX, false, 3)
            },
        }
    }

    /// Height from the top of the figure to below the subtitle.
    pub fn height(&self) -> f64 {
        14.0 + self.title.len() as f64 * TITLE_LINE
            + self.subtitle.len() as f64 * SUBTITLE_LINE
            + 10.0
    }

    pub fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        let mut y = 14.0;
        for l in &self.title {
            pen.text(
                l,
                MARGIN,
                y,
                Font::new(TITLE_PX, INK).bold(),
                Anchor::TopLeft,
            )?;
            y += TITLE_LINE;
        }
        for l in &self.subtitle {
            pen.text(l, MARGIN, y, Font::new(SUBTITLE_PX, MUTED), Anchor::TopLeft)?;
            y += SUBTITLE_LINE;
        }
        Ok(())
    }
}

/// A chart's titles, and under them its legend from the left margin to
/// `right`.
pub fn draw_head<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    titles: &Titles,
    legend: &[(RGBColor, String)],
    right: f64,
) -> Drawn<DB> {
    titles.draw(pen)?;
    draw_legend(pen, legend, MARGIN, titles.height(), right)?;
    Ok(())
}

/// The size of a time chart whose plot ends at `bottom`: its date axis
/// and its notes go below.
pub fn time_chart_size(bottom: f64, notes: &[Note]) -> (u32, u32) {
    let bottom = bottom + AXIS_BELOW + notes_h(notes);
    (WIDTH, bottom.ceil() as u32)
}

/// Legend entries (swatch colour, label) from `x`, the first row's top at
/// `top`, wrapping onto further rows before `right`. Returns the bottom.
pub fn draw_legend<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    entries: &[(RGBColor, String)],
    x: f64,
    top: f64,
    right: f64,
) -> Result<f64, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>> {
    for (c, label, ex, row) in legend_layout(entries, x, right) {
        let cy = top + row as f64 * LABEL_LINE + LABEL_LINE / 2.0;
        pen.rect(ex, cy - 11.0, ex + 32.0, cy + 11.0, *c)?;
        pen.text(
            &label,
            ex + 42.0,
            cy,
            Font::new(LABEL_PX, INK),
            Anchor::Left,
        )?;
    }
    Ok(top + legend_h(entries, x, right))
}

/// Where each legend entry goes: (colour, label as drawn, x, row).
fn legend_layout(
    entries: &[(RGBColor, String)],
    x: f64,
    right: f64,
) -> Vec<(&RGBColor, String, f64, usize)> {
    let mut cx = x;
    let mut row = 0;
    let mut out = Vec::new();
    for (c, label) in entries {
        let label = text::fit(label, right - x - 50.0, LABEL_PX, false);
        let w = 42.0 + text::width(&label, LABEL_PX, false) + 30.0;
        if cx > x && cx + w > right {
            cx = x;
            row += 1;
        }
        out.push((c, label, cx, row));
        cx += w;
    }
    out
}

/// Height of a legend (same wrapping as `draw_legend`).
pub fn legend_h(entries: &[(RGBColor, String)], x: f64, right: f64) -> f64 {
    let rows = legend_layout(entries, x, right)
        .last()
        .map_or(0, |e| e.3 + 1);
    rows as f64 * LABEL_LINE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_give_a_handful_of_round_ticks() {
        for max in [7.0, 38.0, 999.0, 12_345.0, 2.5e6, 9.9e8] {
            let y = YScale::to_fit(max, 500.0, 100.0);
            let t = y.ticks();
            assert!(y.max >= max, "{max}");
            assert!((3..=10).contains(&t.len()), "{max}: {t:?}");
            assert_eq!(t[0], 0.0);
            assert_eq!(*t.last().unwrap(), y.max);
        }
        assert_eq!(nice_step(0.0), 1.0);
        // Counts are whole: never a step below one.
        assert_eq!(YScale::to_fit(1.0, 500.0, 100.0).ticks(), vec![0.0, 1.0]);
    }

    #[test]
    fn y_maps_zero_to_bottom_and_max_to_top() {
        let y = YScale::to_fit(100.0, 500.0, 100.0);
        assert_eq!(y.y(0.0), 500.0);
        assert_eq!(y.y(y.max), 100.0);
        assert_eq!(y.y(10.0 * y.max), 100.0);
    }
}
