//! Crew utilisation: a heatmap of regions by month, each cell the share of
//! the region's available crew-days that the schedule uses.

use chrono::{Datelike, Months, NaiveDate};
use plotters::prelude::DrawingBackend;

use super::axis::{self, first_of_month};
use super::canvas::{Anchor, Drawn, Figure, Font, Pen};
use super::plot::Titles;
use super::style::*;
use super::text;
use crate::artifact::Context;
use crate::plan::{FyStart, Plan};
use crate::timeline::Status;

const LEFT: f64 = 20.0;
const LABEL_W: f64 = 400.0;
const X0: f64 = LEFT + LABEL_W + 10.0;
const X1: f64 = WIDTH as f64 - 40.0;

/// Crew-days in one region and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    /// Working days on which the region's crews are available.
    pub available: u32,
    /// Of those, days on which they work on a task.
    pub used: u32,
}

impl Cell {
    pub fn share(&self) -> Option<f64> {
        (self.available > 0).then(|| self.used.min(self.available) as f64 / self.available as f64)
    }
}

/// Regions (plan order) by months, plus an all-regions row last.
#[derive(Debug, Clone, PartialEq)]
pub struct Heat {
    /// Region label and its number of crews.
    pub rows: Vec<(String, usize)>,
    /// First day of each month shown.
    pub months: Vec<NaiveDate>,
    /// `cells[row][month]`.
    pub cells: Vec<Vec<Cell>>,
}

pub fn heat(ctx: &Context) -> Heat {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let first = first_of_month(tl.start);
    let last = tl.summary.finish.unwrap_or(tl.start).max(tl.start);
    let mut months = vec![first];
    while let Some(&m) = months.last() {
        let next = m + Months::new(1);
        if next > last {
            break;
        }
        months.push(next);
    }
    let month_ix = |d: NaiveDate| -> Option<usize> {
        let i = (d.year() - first.year()) * 12 + d.month() as i32 - first.month() as i32;
        (i >= 0 && (i as usize) < months.len()).then_some(i as usize)
    };
    let n = plan.regions.len();
    let mut cells = vec![vec![Cell::default(); months.len()]; n + 1];
    // Days are counted from the programme start, not the month's first day.
    let end = (months[months.len() - 1] + Months::new(1))
        .pred_opt()
        .unwrap_or(last);
    for c in &plan.crews {
        let from = c.available_from.map_or(tl.start, |f| f.max(tl.start));
        let to = c.available_to.map_or(end, |t| t.min(end));
        for d in working_days(plan, from, to) {
            if let Some(m) = month_ix(d) {
                cells[c.region.ix()][m].available += 1;
            }
        }
    }
    for (i, t) in tl.tasks.iter().enumerate() {
        let (Some(s), Some(f), Some(crew)) = (t.start, t.finish, ctx.task_crew(i)) else {
            continue;
        };
        if t.status == Status::Unscheduled {
            continue;
        }
        let r = crew.region.ix();
        for d in working_days(plan, s, f.min(end)) {
            if let Some(m) = month_ix(d) {
                cells[r][m].used += 1;
            }
        }
    }
    // The all-regions row: used days capped per region, as each region's
    // share is.
    let mut all = vec![Cell::default(); months.len()];
    for row in &cells[..n] {
        for (total, c) in all.iter_mut().zip(row) {
            total.available += c.available;
            total.used += c.used.min(c.available);
        }
    }
    cells[n] = all;
    let mut rows: Vec<(String, usize)> = plan
        .regions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let label = text::clean(r.name.as_deref().unwrap_or(&r.id));
            (
                label,
                plan.crews.iter().filter(|c| c.region.ix() == i).count(),
            )
        })
        .collect();
    rows.push(("All regions".into(), plan.crews.len()));
    Heat {
        rows,
        months,
        cells,
    }
}

fn working_days(
    plan: &Plan,
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = NaiveDate> + '_ {
    from.iter_days()
        .take_while(move |d| *d <= to)
        .filter(|d| plan.calendar.is_working(*d))
}

pub struct CrewsFigure {
    pub title: String,
    pub subtitle: String,
    pub heat: Heat,
    pub fy: FyStart,
}

pub fn figure(ctx: &Context) -> CrewsFigure {
    let plan = ctx.plan;
    let heat = heat(ctx);
    let total = heat.cells.last().map(|row| {
        let a: u32 = row.iter().map(|c| c.available).sum();
        let u: u32 = row.iter().map(|c| c.used).sum();
        (u, a)
    });
    let mut subtitle =
        "Share of available crew-days (working days on which a crew is available) spent on tasks"
            .to_string();
    if let Some((u, a)) = total.filter(|t| t.1 > 0) {
        subtitle = format!(
            "{} of {} available crew-days used ({}) · {subtitle}",
            crate::words::signed(u as i64),
            crate::words::signed(a as i64),
            crate::words::percent(100.0 * u as f64 / a as f64)
        );
    }
    CrewsFigure {
        title: format!(
            "{}: crew utilisation by region and month",
            text::clean(&plan.name)
        ),
        subtitle,
        heat,
        fy: plan.financial_year_start,
    }
}

impl CrewsFigure {
    fn row_h(&self) -> f64 {
        let rows = self.heat.rows.len() as f64;
        (620.0 / rows).clamp(52.0, 90.0)
    }

    fn col_w(&self) -> f64 {
        (X1 - X0) / self.heat.months.len().max(1) as f64
    }

    fn draw_cells<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        let (rh, cw) = (self.row_h(), self.col_w());
        let top = self.top();
        // "100%" where it fits, else the number alone (the key and subtitle
        // say it is a percentage); nothing in narrower cells.
        let pct = text::width("100%", SMALL_PX, false) + 8.0 <= cw;
        let pct_fits = pct || text::width("100", SMALL_PX, false) + 6.0 <= cw;
        let last = self.heat.rows.len() - 1;
        for (r, row) in self.heat.cells.iter().enumerate() {
            // The all-regions row stands apart from the regions.
            let y = top + r as f64 * rh + if r == last { 10.0 } else { 0.0 };
            for (m, cell) in row.iter().enumerate() {
                let x = X0 + m as f64 * cw;
                match cell.share() {
                    Some(s) => {
                        pen.rect(x + 1.0, y + 1.0, x + cw - 1.0, y + rh - 1.0, heat_colour(s))?;
                        if pct_fits {
                            let ink = if s > 0.55 { WHITE } else { INK };
                            let label = if pct {
                                crate::words::percent(100.0 * s)
                            } else {
                                format!("{:.0}", 100.0 * s)
                            };
                            pen.text(
                                &label,
                                x + cw / 2.0,
                                y + rh / 2.0,
                                Font::new(SMALL_PX, ink),
                                Anchor::Centre,
                            )?;
                        }
                    }
                    None => pen.rect(x + 1.0, y + 1.0, x + cw - 1.0, y + rh - 1.0, GRID)?,
                }
            }
            let (label, crews) = &self.heat.rows[r];
            let crews = format!("{crews} crew{}", if *crews == 1 { "" } else { "s" });
            let cw_txt = text::width(&crews, SMALL_PX, false);
            let f = if r == last {
                Font::new(LABEL_PX, INK).bold()
            } else {
                Font::new(LABEL_PX, INK)
            };
            pen.text(
                &text::fit(label, LABEL_W - cw_txt - 14.0, LABEL_PX, f.bold),
                LEFT,
                y + rh / 2.0,
                f,
                Anchor::Left,
            )?;
            pen.text(
                &crews,
                X0 - 8.0,
                y + rh / 2.0,
                Font::new(SMALL_PX, MUTED),
                Anchor::Right,
            )?;
        }
        Ok(())
    }

    fn draw_months<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, bottom: f64) -> Drawn<DB> {
        let cw = self.col_w();
        let top = self.top();
        let widest = text::width("Sep", SMALL_PX, false) + 6.0;
        let step = [1usize, 2, 3, 6, 12]
            .into_iter()
            .find(|&s| s as f64 * cw >= widest)
            .unwrap_or(12);
        let mut right_of_last = f64::NEG_INFINITY;
        for (m, d) in self.heat.months.iter().enumerate() {
            let x = X0 + m as f64 * cw;
            if d.month() == self.fy.month {
                pen.line(&[(x, top - 82.0), (x, bottom)], INK, 2)?;
                let fy = self.fy.label(d.year());
                let room = (12.0 * cw).min(X1 - x) - 8.0;
                if text::width(&fy, SMALL_PX, true) <= room {
                    let f = Font::new(SMALL_PX, MUTED).bold();
                    pen.text(&fy, x + 6.0, top - 64.0, f, Anchor::Left)?;
                }
            }
            if !(axis::fy_month(*d, self.fy) as usize).is_multiple_of(step) {
                continue;
            }
            let l = axis::month_label(*d, step as u32);
            let w = text::width(&l, SMALL_PX, false);
            if x + 2.0 >= right_of_last + 6.0 && x + 2.0 + w <= X1 {
                pen.text(
                    &l,
                    x + 2.0,
                    top - 22.0,
                    Font::new(SMALL_PX, MUTED),
                    Anchor::Left,
                )?;
                right_of_last = x + 2.0 + w;
            }
        }
        Ok(())
    }

    fn draw_key<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, y: f64) -> Drawn<DB> {
        let f = Font::new(SMALL_PX, INK);
        let mid = y + 15.0;
        pen.text("0%", LEFT, mid, f, Anchor::Left)?;
        let x0 = LEFT + text::width("0%", SMALL_PX, false) + 12.0;
        for i in 0..150 {
            let s = i as f64 / 149.0;
            pen.rect(
                x0 + i as f64 * 2.0,
                y,
                x0 + (i + 1) as f64 * 2.0,
                y + 30.0,
                heat_colour(s),
            )?;
        }
        let top_label = "100% of available crew-days used";
        pen.text(top_label, x0 + 312.0, mid, f, Anchor::Left)?;
        let x = x0 + 312.0 + text::width(top_label, SMALL_PX, false) + 40.0;
        pen.rect(x, y, x + 40.0, y + 30.0, GRID)?;
        pen.text("no crew available", x + 50.0, mid, f, Anchor::Left)
    }

    fn titles(&self) -> Titles {
        Titles::new(WIDTH as f64, &self.title, &self.subtitle)
    }

    /// Top of the first row: below the titles, FY and month labels.
    fn top(&self) -> f64 {
        self.titles().height() + 96.0
    }
}

impl Figure for CrewsFigure {
    fn size(&self) -> (u32, u32) {
        let h = self.top() + self.heat.rows.len() as f64 * self.row_h() + 110.0;
        (WIDTH, h.ceil() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        self.titles().draw(pen)?;
        let bottom = self.top() + self.heat.rows.len() as f64 * self.row_h() + 10.0;
        self.draw_cells(pen)?;
        self.draw_months(pen, bottom)?;
        self.draw_key(pen, bottom + 40.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample::{self, Sample};

    #[test]
    fn every_crew_day_worked_is_counted_once_in_its_region() {
        let s = Sample::of(sample::plan(50, false));
        let (plan, tl) = (&s.plan, &s.timeline);
        let h = heat(&s.ctx());
        assert_eq!(h.rows.len(), plan.regions.len() + 1);
        assert_eq!(h.rows.last().unwrap().1, plan.crews.len());
        let used: u32 = h.cells[..plan.regions.len()]
            .iter()
            .flatten()
            .map(|c| c.used)
            .sum();
        let expect: usize = tl
            .tasks
            .iter()
            .filter(|t| t.crew.is_some())
            .map(|t| working_days(plan, t.start.unwrap(), t.finish.unwrap()).count())
            .sum();
        assert_eq!(used as usize, expect);
        for row in &h.cells {
            for c in row {
                assert!(c.share().is_none_or(|s| (0.0..=1.0).contains(&s)));
            }
        }
    }

    #[test]
    fn available_days_follow_the_calendar_and_crew_windows() {
        let mut plan = sample::plan(5, false);
        let tl = sample::timeline(&plan);
        // One region, two crews; January 2026 from Monday 5th: 20 working days each.
        let heat_of = |plan: &Plan| heat(&Sample::with(plan.clone(), tl.clone()).ctx());
        assert_eq!(heat_of(&plan).cells[0][0].available, 40);
        plan.crews[1].available_from = NaiveDate::from_ymd_opt(2026, 1, 26);
        assert_eq!(heat_of(&plan).cells[0][0].available, 20 + 5);
    }
}
