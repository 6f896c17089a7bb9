//! Burndown: devices still in place over time, stacked by tier (the most
//! urgent tier at the bottom), against the tier deadlines; and the scenario
//! overlay `compare` draws, one line of total devices per scenario.

use chrono::NaiveDate;
use plotters::prelude::{DrawingBackend, RGBColor};

use super::axis::TimeScale;
use super::canvas::{Anchor, Drawn, Figure, Font, Pen};
use super::model::Burndown;
use super::notes::Note;
use super::plot::{self, TimePlot, Titles, VLine, YScale, AXIS_BELOW, LANE_H, MARGIN};
use super::style::*;
use super::text;
use crate::plan::FyStart;

/// Height of the plot itself; the canvas adds what the text above needs.
const PLOT_H: f64 = 760.0;
const X0: f64 = 170.0;
const X1: f64 = WIDTH as f64 - 40.0;

/// A stacked burndown or a set of lines, ready to draw.
pub struct BurndownFigure {
    pub title: String,
    pub subtitle: String,
    /// Series (stacked when `stacked`), each with its legend label.
    pub series: Vec<(String, RGBColor)>,
    pub burndown: Burndown,
    pub stacked: bool,
    /// For unstacked lines: each series' own points (day, devices).
    pub lines: Vec<Vec<(NaiveDate, u64)>>,
    pub vlines: Vec<VLine>,
    /// Public targets, each a marker the line passes (met) or misses.
    pub targets: Vec<TargetMark>,
    pub lo: NaiveDate,
    pub hi: NaiveDate,
    pub fy: FyStart,
    /// Stops in work and the first missed deadline, in words.
    pub notes: Vec<Note>,
    /// With risk: devices in place week by week in 1 and 9 samples of 10
    /// (a band around the stack's top); empty without.
    pub band: Vec<crate::odds::BurnPoint>,
}

/// The risk band's fill and edges.
const BAND_FILL: RGBColor = RISK_BAND;
const BAND_EDGE: RGBColor = INK;

impl BurndownFigure {
    fn legend(&self) -> Vec<(RGBColor, String)> {
        let fill = |c: RGBColor| if self.stacked { tint(c, 0.35) } else { c };
        let mut out: Vec<(RGBColor, String)> = self
            .series
            .iter()
            .map(|(l, c)| (fill(*c), l.clone()))
            .collect();
        if !self.band.is_empty() {
            out.push((BAND_FILL, "P10–P90 band (risk), edges in black".into()));
        }
        out
    }

    fn titles(&self) -> Titles {
        Titles::new(WIDTH as f64, &self.title, &self.subtitle)
    }

    fn layout(&self) -> TimePlot {
        let x = TimeScale::covering(self.lo, self.hi, X0, X1, self.fy);
        let legend_h = plot::legend_h(&self.legend(), MARGIN, X1);
        let lanes_top = self.titles().height() + legend_h + 8.0;
        let lanes = TimePlot::lanes(&self.vlines, &x) as f64;
        // Room for the axis title above the plot.
        let top = lanes_top + lanes * LANE_H + LABEL_LINE + 8.0;
        let max = if self.stacked {
            self.burndown
                .points
                .first()
                .map(|p| p.1.iter().sum::<u64>())
                .unwrap_or(0)
        } else {
            self.lines.iter().flatten().map(|p| p.1).max().unwrap_or(0)
        };
        TimePlot {
            x,
            y: YScale::to_fit(max.max(1) as f64, top + PLOT_H, top),
            lines: self.vlines.clone(),
            fmt: |v| crate::words::signed(v as i64),
            lanes_top,
        }
    }

    /// The stacked layers as polygons: for each series, its top edge over
    /// the days (a step line), closed along the layer below.
    fn draw_stacks<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, p: &TimePlot) -> Drawn<DB> {
        let pts = &self.burndown.points;
        let n = self.burndown.tiers.len();
        let end = p.x.x1;
        let mut lower: Vec<(f64, f64)> = vec![(p.x.x_end(pts[0].0), p.y.bottom), (end, p.y.bottom)];
        for s in 0..n {
            let mut upper: Vec<(f64, f64)> = Vec::with_capacity(pts.len() * 2 + 1);
            let mut prev: Option<f64> = None;
            for (day, counts) in pts {
                let v: u64 = counts[..=s].iter().sum();
                let x = p.x.x_end(*day);
                let y = p.y.y(v as f64);
                if let Some(py) = prev {
                    upper.push((x, py));
                }
                upper.push((x, y));
                prev = Some(y);
            }
            upper.push((end, prev.unwrap_or(p.y.bottom)));
            let mut poly = upper.clone();
            poly.extend(lower.iter().rev());
            let colour = self.series.get(s).map(|x| x.1).unwrap_or(GRID_STRONG);
            pen.polygon(&poly, tint(colour, 0.35))?;
            pen.line(&upper, colour, 2)?;
            lower = upper;
        }
        Ok(())
    }

    /// One edge of the risk band as a step line in pixels.
    fn band_edge(
        &self,
        p: &TimePlot,
        v: impl Fn(&crate::odds::BurnPoint) -> u64,
    ) -> Vec<(f64, f64)> {
        let mut pts = Vec::with_capacity(self.band.len() * 2);
        let mut prev: Option<f64> = None;
        for b in &self.band {
            let (x, y) = (p.x.x_end(b.date), p.y.y(v(b) as f64));
            if let Some(py) = prev {
                pts.push((x, py));
            }
            pts.push((x, y));
            prev = Some(y);
        }
        pts
    }

    fn draw_lines<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, p: &TimePlot) -> Drawn<DB> {
        for (i, line) in self.lines.iter().enumerate() {
            let mut pts = Vec::new();
            let mut prev: Option<f64> = None;
            for (day, v) in line {
                let x = p.x.x_end(*day);
                let y = p.y.y(*v as f64);
                if let Some(py) = prev {
                    pts.push((x, py));
                }
                pts.push((x, y));
                prev = Some(y);
            }
            if let Some(py) = prev {
                pts.push((p.x.x1, py));
            }
            let colour = self.series.get(i).map(|x| x.1).unwrap_or(INK);
            pen.line(&pts, colour, 3)?;
        }
        Ok(())
    }
}

impl Figure for BurndownFigure {
    fn size(&self) -> (u32, u32) {
        plot::time_chart_size(self.layout().y.bottom, &self.notes)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        plot::draw_head(pen, &self.titles(), &self.legend(), X1)?;
        let p = self.layout();
        p.draw_grid(pen)?;
        let (p10, p90) = (self.band_edge(&p, |b| b.p10), self.band_edge(&p, |b| b.p90));
        if !self.band.is_empty() {
            // The band behind the stacks shows where the count may be
            // higher; its edges over them, where it may be lower.
            let mut poly = p90.clone();
            poly.extend(p10.iter().rev());
            pen.polygon(&poly, BAND_FILL)?;
        }
        if self.stacked && !self.burndown.points.is_empty() {
            self.draw_stacks(pen, &p)?;
        } else {
            self.draw_lines(pen, &p)?;
        }
        if !self.band.is_empty() {
            pen.line(&p10, BAND_EDGE, 2)?;
            pen.line(&p90, BAND_EDGE, 2)?;
        }
        p.draw_lines(pen)?;
        plot::draw_notes(pen, &p, &self.notes)?;
        plot::draw_note_list(pen, &self.notes, p.y.bottom + AXIS_BELOW)?;
        draw_targets(pen, &p, &self.targets)?;
        pen.text(
            "Devices in place",
            MARGIN,
            p.y.top - LABEL_LINE / 2.0 - 4.0,
            Font::new(SMALL_PX, MUTED),
            Anchor::Left,
        )
    }
}

/// A target on the burndown: at its day, the number of devices in place
/// (all tiers together) at which it is exactly met. The line passes below
/// a met target's marker and above a missed one's.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetMark {
    pub day: NaiveDate,
    pub devices: u64,
    pub label: String,
    pub met: bool,
}

impl TargetMark {
    /// From a timeline's target row and the devices in place on its day:
    /// the total may be as much higher as the target has to spare.
    pub fn new(row: &crate::timeline::TargetRow, in_place: u64) -> TargetMark {
        let devices = (in_place + row.removed).saturating_sub(row.required);
        let result = if row.met {
            "met".to_string()
        } else {
            let short = row.required.saturating_sub(row.removed);
            let unit = if short == 1 { "device" } else { "devices" };
            format!("missed by {} {unit}", crate::words::signed(short as i64))
        };
        TargetMark {
            day: row.by,
            devices,
            label: format!("{}: {result}", text::clean(&row.id)),
            met: row.met,
        }
    }
}

fn draw_targets<DB: DrawingBackend>(
    pen: &Pen<'_, DB>,
    p: &TimePlot,
    marks: &[TargetMark],
) -> Drawn<DB> {
    for m in marks {
        let (x, y) = (p.x.x_end(m.day), p.y.y(m.devices as f64));
        let colour = if m.met { GREEN } else { VERMILLION };
        pen.diamond(x, y, 10.0, WHITE)?;
        pen.diamond(x, y, 7.0, colour)?;
        // The label sits above and beside its marker, on white so the
        // data under it never hides it; to the marker's left when it would
        // run past the plot's right edge.
        let w = text::width(&m.label, SMALL_PX, false);
        let left = if x + 12.0 + w <= X1 {
            x + 12.0
        } else {
            (x - 12.0 - w).max(MARGIN)
        };
        let ly = (y - 24.0).max(p.y.top + 16.0);
        pen.rect(left - 4.0, ly - 16.0, left + w + 4.0, ly + 16.0, WHITE)?;
        pen.text(
            &m.label,
            left,
            ly,
            Font::new(SMALL_PX, colour),
            Anchor::Left,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::TargetMark;
    use crate::timeline::TargetRow;

    fn row(required: u64, removed: u64) -> TargetRow {
        TargetRow {
            id: "t".into(),
            by: "2026-10-31".parse().unwrap(),
            devices: 100,
            required,
            removed,
            met: removed >= required,
        }
    }

    /// The line (devices in place) passes at or below a met target's
    /// marker and above a missed one's, by what it has to spare or lacks.
    #[test]
    fn a_marker_sits_where_the_target_is_exactly_met() {
        let met = TargetMark::new(&row(60, 70), 300);
        assert_eq!((met.devices, met.met), (310, true));
        assert_eq!(met.label, "t: met");
        let missed = TargetMark::new(&row(60, 45), 300);
        assert_eq!((missed.devices, missed.met), (285, false));
        assert_eq!(missed.label, "t: missed by 15 devices");
    }
}
