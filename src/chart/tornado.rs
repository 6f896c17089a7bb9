//! The tornado: which uncertain figures (a device type's lead time, a
//! region's crew effort) move the programme's P80 date most, each alone
//! from the low end of its range to the high end, largest first. Drawn
//! when `schedule --risk` or `risk` ran and some driver moves the date.

use plotters::prelude::DrawingBackend;

use super::canvas::{Anchor, Drawn, Figure, Font, Pen};
use super::plot::{self, Titles, MARGIN};
use super::style::*;
use super::text;
use crate::odds::{DriverRisk, Risk};

/// At most this many drivers are drawn (the report's table has the same).
pub const MAX_DRIVERS: usize = 10;

const LABEL_W: f64 = 600.0;
const X0: f64 = MARGIN + LABEL_W + 20.0;
const X1: f64 = WIDTH as f64 - 40.0;
const ROW_H: f64 = 72.0;
/// Room under the rows for the day axis and its title.
const AXIS_BELOW: f64 = 110.0;

/// The drivers that move the programme's P80, largest first.
pub fn drivers(r: &Risk) -> Vec<&DriverRisk> {
    r.drivers
        .iter()
        .filter(|d| d.low_days != 0 || d.high_days != 0)
        .take(MAX_DRIVERS)
        .collect()
}

/// One bar per driver, from the P80 shift at its low end to that at its
/// high end, around the P80 with every driver drawn (zero).
pub struct Tornado {
    pub title: String,
    pub subtitle: String,
    /// (label, days at the low end, days at the high end).
    pub rows: Vec<(String, i64, i64)>,
}

impl Tornado {
    pub fn new(plan_name: &str, r: &Risk) -> Tornado {
        let rows: Vec<(String, i64, i64)> = drivers(r)
            .into_iter()
            .map(|d| (text::clean(&d.what), d.low_days, d.high_days))
            .collect();
        let p80 = r
            .programme
            .p80
            .map_or("beyond the horizon".into(), text::date);
        let per_end = r.drivers.first().map_or(0, |d| d.samples);
        Tornado {
            title: format!(
                "{}: what moves the programme's P80 date",
                text::clean(plan_name)
            ),
            subtitle: format!(
                "Removal complete everywhere by {p80} in 4 samples of 5; each bar: one figure alone at the low end of its range (left) and the high end (right), {} samples per end",
                crate::words::signed(per_end as i64)
            ),
            rows,
        }
    }

    fn titles(&self) -> Titles {
        Titles::new(WIDTH as f64, &self.title, &self.subtitle)
    }

    fn legend(&self) -> Vec<(plotters::prelude::RGBColor, String)> {
        vec![
            (BLUE, "Low end of the range: earlier".to_string()),
            (VERMILLION, "High end: later".to_string()),
        ]
    }

    fn top(&self) -> f64 {
        let t = self.titles().height();
        t + plot::legend_h(&self.legend(), MARGIN, X1) + 20.0
    }

    /// Days either side of zero the axis covers: a round number.
    fn span(&self) -> f64 {
        let most = self
            .rows
            .iter()
            .map(|r| r.1.abs().max(r.2.abs()))
            .max()
            .unwrap_or(1)
            .max(1) as f64
            // Room beyond the longest bar for its figure.
            * 1.3;
        let step = plot::nice_step(most);
        (most / step).ceil() * step
    }

    fn x(&self, days: i64) -> f64 {
        let mid = (X0 + X1) / 2.0;
        mid + days as f64 / self.span() * (X1 - X0) / 2.0
    }
}

/// `+12 d`, `−5 d`, `0 d`.
fn days(d: i64) -> String {
    match d {
        0 => "0 d".into(),
        d if d > 0 => format!("+{} d", crate::words::signed(d)),
        d => format!("−{} d", crate::words::signed(-d)),
    }
}

impl Figure for Tornado {
    fn size(&self) -> (u32, u32) {
        let h = self.top() + self.rows.len().max(1) as f64 * ROW_H + AXIS_BELOW;
        (WIDTH, h.ceil() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        plot::draw_head(pen, &self.titles(), &self.legend(), X1)?;
        let top = self.top();
        let bottom = top + self.rows.len().max(1) as f64 * ROW_H;
        let small = Font::new(SMALL_PX, MUTED);
        let span = self.span() as i64;
        let step = plot::nice_step(span as f64) as i64;
        let mut t = -span;
        while t <= span {
            let x = self.x(t);
            let c = if t == 0 { INK } else { GRID };
            pen.line(
                &[(x, top), (x, bottom + 4.0)],
                c,
                if t == 0 { 2 } else { 1 },
            )?;
            pen.text(&days(t), x, bottom + 26.0, small, Anchor::Centre)?;
            t += step.max(1);
        }
        pen.text(
            "Days the programme's P80 date moves",
            (X0 + X1) / 2.0,
            bottom + 76.0,
            small,
            Anchor::Centre,
        )?;
        for (i, (label, lo, hi)) in self.rows.iter().enumerate() {
            let y = top + i as f64 * ROW_H;
            let mid = y + ROW_H / 2.0;
            if i % 2 == 1 {
                pen.rect(MARGIN, y, X1, y + ROW_H, STRIPE)?;
            }
            let label = text::fit(label, LABEL_W, LABEL_PX, false);
            pen.text(&label, MARGIN, mid, Font::new(LABEL_PX, INK), Anchor::Left)?;
            let zero = self.x(0);
            let (a, b) = (y + 0.18 * ROW_H, y + 0.82 * ROW_H);
            for (d, colour) in [(*lo, BLUE), (*hi, VERMILLION)] {
                if d == 0 {
                    continue;
                }
                let x = self.x(d);
                pen.rect(x.min(zero), a, x.max(zero), b, colour)?;
            }
            pen.line(&[(zero, y), (zero, y + ROW_H)], INK, 2)?;
            // The figures at the bars' ends, outside them.
            let f = Font::new(SMALL_PX, INK).bold();
            let (left, right) = (lo.min(hi), lo.max(hi));
            if *left < 0 {
                pen.text(&days(*left), self.x(*left) - 8.0, mid, f, Anchor::Right)?;
            }
            if *right > 0 {
                pen.text(&days(*right), self.x(*right) + 8.0, mid, f, Anchor::Left)?;
            }
        }
        if self.rows.is_empty() {
            pen.text(
                "No figure of the plan's ranges moves the programme's P80 date.",
                X0,
                top + ROW_H / 2.0,
                Font::new(LABEL_PX, MUTED),
                Anchor::Left,
            )?;
        }
        Ok(())
    }
}
