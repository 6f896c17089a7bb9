//! Budget: cumulative committed spend against cumulative money available,
//! period by period, with the estimated cost of unscheduled work shown as
//! the shortfall. A task's whole cost is committed on its start day, as the
//! plan format says.

use chrono::NaiveDate;
use std::collections::BTreeMap;

use super::axis::TimeScale;
use super::canvas::{Anchor, Drawn, Figure, Font, Pen};
use super::notes::{self, Note};
use super::plot::{self, TimePlot, Titles, VLine, YScale, AXIS_BELOW, LANE_H, MARGIN};
use super::style::*;
use super::text;
use crate::artifact::Context;
use crate::plan::{FyStart, Phase, Plan, Site};
use crate::timeline::{Status, TaskRow};

/// Height of the plot itself; the canvas adds what the text above needs.
const PLOT_H: f64 = 760.0;
const X0: f64 = 170.0;
const X1: f64 = WIDTH as f64 - 40.0;

/// One budget period and what the schedule commits in it.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodUse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub amount: f64,
    pub committed: f64,
}

/// The budget chart's data.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetModel {
    /// Cumulative committed spend after each day with commitments.
    pub spend: Vec<(NaiveDate, f64)>,
    pub periods: Vec<PeriodUse>,
    pub carry_over: bool,
    pub has_budget: bool,
    /// Estimated cost of the unscheduled tasks.
    pub unfunded: f64,
    /// Committed money outside every period (possible only for actual
    /// costs of work done, which a budget rule cannot refuse).
    pub outside: f64,
}

pub fn model(ctx: &Context) -> BudgetModel {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let mut by_day: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for t in &tl.tasks {
        if let (Some(d), Some(c), true) = (t.start, t.cost, t.status != Status::Unscheduled) {
            *by_day.entry(d).or_default() += c;
        }
    }
    let mut total = 0.0;
    let spend = by_day
        .iter()
        .map(|(&d, &c)| {
            total += c;
            (d, total)
        })
        .collect();
    let periods: Vec<PeriodUse> = plan
        .budget
        .iter()
        .flat_map(|b| b.periods.iter())
        .map(|p| PeriodUse {
            from: p.from,
            to: p.to,
            amount: p.amount.to_f64(),
            committed: by_day.range(p.from..=p.to).fold(0.0, |a, (_, c)| a + c),
        })
        .collect();
    let inside: f64 = periods.iter().map(|p| p.committed).sum();
    let unfunded = tl
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.status == Status::Unscheduled)
        .map(|(i, t)| estimate(plan, ctx.task_site(i), t))
        .sum();
    BudgetModel {
        spend,
        carry_over: plan.budget.as_ref().is_some_and(|b| b.carry_over),
        has_budget: plan.budget.is_some(),
        outside: if plan.budget.is_some() {
            total - inside
        } else {
            0.0
        },
        periods,
        unfunded,
    }
}

/// What an unscheduled task would cost, from the plan: its materials or
/// disposal charges, or its duration at the mean day rate of the crews that
/// could do it. An estimate: the crew that would do it is not known.
pub fn estimate(plan: &Plan, site: &Site, t: &TaskRow) -> f64 {
    match t.phase {
        Phase::Procure => plan.procurement_cost(site).to_f64(),
        Phase::Dispose => plan.disposal_cost(site).to_f64(),
        _ => {
            let rates: Vec<f64> = plan
                .crews
                .iter()
                .filter(|c| c.may_work_at(site))
                .map(|c| c.day_rate.to_f64())
                .collect();
            let mean = rates.iter().sum::<f64>() / rates.len().max(1) as f64;
            mean * t.duration as f64
        }
    }
}

impl BudgetModel {
    /// Cumulative money that could have been committed by each day: each
    /// period's amount arrives on its first day. Without carry-over, what a
    /// period leaves unspent lapses the day after it ends, so the line then
    /// drops back to what was actually committed.
    pub fn available(&self) -> Vec<(NaiveDate, f64)> {
        let mut out = Vec::new();
        let mut total = 0.0;
        for p in &self.periods {
            out.push((p.from, total + p.amount));
            if self.carry_over {
                total += p.amount;
            } else {
                total += p.committed.min(p.amount);
                if let Some(after) = p.to.succ_opt() {
                    out.push((after, total));
                }
            }
        }
        // A lapse and the next period's start on the same day: keep the start.
        out.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                *earlier = *later;
            }
            same
        });
        out
    }

    fn committed(&self) -> f64 {
        self.spend.last().map_or(0.0, |s| s.1)
    }
}

pub struct BudgetFigure {
    pub title: String,
    pub subtitle: String,
    pub currency: String,
    pub m: BudgetModel,
    pub lo: NaiveDate,
    pub hi: NaiveDate,
    pub fy: FyStart,
    /// Stops in work and the first missed deadline, in words.
    pub notes: Vec<Note>,
}

pub fn figure(ctx: &Context) -> BudgetFigure {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let m = model(ctx);
    let name = text::clean(&plan.name);
    let cur = &text::clean(&plan.currency);
    let title = if m.has_budget {
        format!("{name}: committed spend against the budget")
    } else {
        format!("{name}: committed spend (the plan sets no budget limit)")
    };
    let mut words = vec![format!(
        "Committed {}",
        crate::words::money_label(m.committed(), cur)
    )];
    if m.has_budget {
        let total: f64 = m.periods.iter().map(|p| p.amount).sum();
        words.push(format!(
            "of {} over {} periods",
            crate::words::money_label(total, cur),
            m.periods.len()
        ));
        words.push(if m.carry_over {
            "unspent money carries over".into()
        } else {
            "unspent money lapses at each period's end".into()
        });
    }
    if m.outside > 0.005 {
        words.push(format!(
            "{} committed outside every period",
            crate::words::money_label(m.outside, cur)
        ));
    }
    if m.unfunded > 0.0 {
        words.push(format!(
            "unscheduled work needs about {} more",
            crate::words::money_label(m.unfunded, cur)
        ));
    }
    let mut lo = plan.start;
    let mut hi = tl.summary.finish.unwrap_or(plan.start);
    for p in &m.periods {
        lo = lo.min(p.from);
        hi = hi.max(p.to);
    }
    for s in &m.spend {
        lo = lo.min(s.0);
        hi = hi.max(s.0);
    }
    BudgetFigure {
        title,
        subtitle: words.join(" · "),
        currency: plan.currency.clone(),
        m,
        lo,
        hi,
        fy: plan.financial_year_start,
        notes: notes::all(ctx),
    }
}

/// A short name for a budget period: `FY 2026/27` for a whole financial
/// year, `Q3 FY22/23` for one of its quarters, else `Oct 22 – Dec 22`.
pub fn period_name(from: NaiveDate, to: NaiveDate, fy: FyStart) -> String {
    use chrono::Months;
    let y = fy.year_of(from);
    let start = fy.first_day(y);
    let next = to.succ_opt().unwrap_or(to);
    if from == start && next == fy.first_day(y + 1) {
        return fy.label(y);
    }
    for q in 0..4u32 {
        let qs = start + Months::new(3 * q);
        if from == qs && next == qs + Months::new(3) {
            return format!("Q{} {}", q + 1, fy.short_label(y));
        }
    }
    let m = |d: NaiveDate| {
        use chrono::Datelike;
        format!(
            "{} {:02}",
            text::month_abbr(d.month()),
            d.year().rem_euclid(100)
        )
    };
    format!("{} – {}", m(from), m(to))
}

fn step_points(p: &TimePlot, series: &[(NaiveDate, f64)], start_x: f64) -> Vec<(f64, f64)> {
    let mut pts = vec![(start_x, p.y.bottom)];
    let mut prev = p.y.bottom;
    for &(d, v) in series {
        let x = p.x.x(d);
        pts.push((x, prev));
        prev = p.y.y(v);
        pts.push((x, prev));
    }
    pts.push((p.x.x1, prev));
    pts
}

impl BudgetFigure {
    fn legend(&self) -> Vec<(plotters::prelude::RGBColor, String)> {
        let mut l = vec![(BLUE, "Committed spend (cumulative)".to_string())];
        if self.m.has_budget {
            let what = if self.m.carry_over {
                "Money available (cumulative)"
            } else {
                "Money available (cumulative; unspent money lapses)"
            };
            l.push((GREEN, what.to_string()));
        }
        if self.m.unfunded > 0.0 {
            l.push((LATE, "Shortfall: unscheduled work (estimated)".to_string()));
        }
        l
    }

    fn titles(&self) -> Titles {
        Titles::new(WIDTH as f64, &self.title, &self.subtitle)
    }

    fn layout(&self) -> TimePlot {
        let x = TimeScale::covering(self.lo, self.hi, X0, X1, self.fy);
        let lines: Vec<VLine> = self
            .m
            .periods
            .iter()
            .map(|p| VLine {
                day: p.from.pred_opt().unwrap_or(p.from),
                label: String::new(),
                colour: GRID_STRONG,
                dashed: false,
            })
            .collect();
        let legend_h = plot::legend_h(&self.legend(), MARGIN, X1);
        let lanes_top = self.titles().height() + legend_h + 8.0;
        // Two lanes of period labels, then the axis title.
        let top = lanes_top + 2.0 * LANE_H + LABEL_LINE + 8.0;
        let avail = self.m.available().iter().fold(0.0, |m: f64, a| m.max(a.1));
        let need = self.m.committed() + self.m.unfunded;
        TimePlot {
            x,
            y: YScale::to_fit(avail.max(need).max(1.0), top + PLOT_H, top),
            lines,
            fmt: crate::words::axis_number,
            lanes_top,
        }
    }

    /// Each period's band: its boundaries, and above the plot its name,
    /// amount and the share the schedule commits, in the longest wording
    /// that fits the band; a period whose shortest wording does not fit is
    /// labelled across its own band and the next, which then goes without.
    fn draw_periods<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, p: &TimePlot) -> Drawn<DB> {
        let labels = self.period_labels(p);
        for (i, u) in self.m.periods.iter().enumerate() {
            let (a, b) = (p.x.x(u.from), p.x.x_end(u.to));
            if i % 2 == 1 {
                pen.rect(a, p.y.top, b, p.y.bottom, tint(GREEN, 0.94))?;
            }
            pen.line(&[(a, p.lanes_top), (a, p.y.bottom)], GRID_STRONG, 1)?;
            pen.line(&[(b, p.lanes_top), (b, p.y.bottom)], GRID_STRONG, 1)?;
        }
        for (x, l1, l2) in labels {
            let y1 = p.lanes_top + LANE_H / 2.0;
            pen.text(&l1, x, y1, Font::new(SMALL_PX, INK), Anchor::Left)?;
            pen.text(
                &l2,
                x,
                y1 + LANE_H,
                Font::new(SMALL_PX, MUTED),
                Anchor::Left,
            )?;
        }
        Ok(())
    }

    /// The period labels as drawn: left x and two lines.
    pub fn period_labels(&self, p: &TimePlot) -> Vec<(f64, String, String)> {
        let periods = &self.m.periods;
        let bands: Vec<(f64, f64)> = periods
            .iter()
            .map(|u| (p.x.x(u.from), p.x.x_end(u.to)))
            .collect();
        let wordings: Vec<Vec<(String, String)>> =
            periods.iter().map(|u| self.wordings(u)).collect();
        let fits = |s: &str, w: f64| text::width(s, SMALL_PX, false) <= w;
        let choose = |i: usize, w: f64| {
            wordings[i]
                .iter()
                .find(|(a, b)| fits(a, w) && fits(b, w))
                .cloned()
        };
        let wide = |l: &(String, String)| {
            text::width(&l.0, SMALL_PX, false).max(text::width(&l.1, SMALL_PX, false))
        };
        let mut out = Vec::new();
        // Labels never start before the end of the one before.
        let mut cursor = f64::NEG_INFINITY;
        for i in 0..periods.len() {
            let (a, b) = bands[i];
            let left = (a + 5.0).max(cursor);
            if left > b - 20.0 {
                continue;
            }
            let pick = choose(i, b - left - 5.0).or_else(|| {
                // Too narrow for any wording: the shortest, running on into
                // the next band (whose label then starts after it, or is
                // left out).
                let last = wordings[i].last()?;
                let limit = bands.get(i + 1).map_or(b, |n| n.1) - 5.0;
                (left + wide(last) <= limit).then(|| last.clone())
            });
            let Some(label) = pick else {
                continue;
            };
            cursor = left + wide(&label) + 16.0;
            out.push((left, label.0, label.1));
        }
        out
    }

    /// A period's label, longest first: dates and amount over what is
    /// committed, down to `Q3 FY22/23` over the share used.
    fn wordings(&self, u: &PeriodUse) -> Vec<(String, String)> {
        let cur = &text::clean(&self.currency);
        let share = (u.amount > 0.0).then(|| crate::words::percent(100.0 * u.committed / u.amount));
        let long = format!("{} – {}", text::date(u.from), text::date(u.to));
        let short = period_name(u.from, u.to, self.fy);
        let amount = crate::words::money_label(u.amount, cur);
        let committed = crate::words::money_label(u.committed, cur);
        let full_use = match &share {
            Some(s) => format!("committed {committed} ({s})"),
            None => format!("committed {committed}"),
        };
        let short_use = match &share {
            Some(s) => format!("{s} used"),
            None => committed.clone(),
        };
        let tiny_use = share.clone().unwrap_or_else(|| committed.clone());
        vec![
            (format!("{long}: {amount}"), full_use.clone()),
            (format!("{short}: {amount}"), full_use),
            (format!("{short}: {amount}"), short_use.clone()),
            (short.clone(), short_use),
            (short, tiny_use),
        ]
    }

    fn draw_shortfall<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, p: &TimePlot) -> Drawn<DB> {
        if self.m.unfunded <= 0.0 {
            return Ok(());
        }
        let done = self.m.committed();
        // A bar standing on the spend line just after the last commitment,
        // as tall as the money the unscheduled work would need.
        let last = self.m.spend.last().map_or(p.x.x0, |s| p.x.x_end(s.0));
        let x = (last + 12.0).min(p.x.x1 - 28.0);
        let (y0, y1) = (p.y.y(done), p.y.y(done + self.m.unfunded));
        pen.rect(x, y1, x + 24.0, y0.max(y1 + 2.0), LATE)?;
        let label = format!(
            "Shortfall, estimated: {}",
            crate::words::money_label(self.m.unfunded, &text::clean(&self.currency))
        );
        // Above the bar, clear of the spend line; ending at the bar when
        // there is no room to its right.
        let w = text::width(&label, LABEL_PX, true);
        let font = Font::new(LABEL_PX, LATE).bold();
        let y = (y1 - 14.0).max(p.y.top + 10.0);
        if x + w <= p.x.x1 {
            pen.text(&label, x, y, font, Anchor::Left)
        } else {
            pen.text(&label, x + 24.0, y, font, Anchor::Right)
        }
    }
}

use plotters::prelude::DrawingBackend;

impl Figure for BudgetFigure {
    fn size(&self) -> (u32, u32) {
        plot::time_chart_size(self.layout().y.bottom, &self.notes)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        plot::draw_head(pen, &self.titles(), &self.legend(), X1)?;
        let p = self.layout();
        self.draw_periods(pen, &p)?;
        p.draw_grid(pen)?;
        let start = p.x.x(self.lo);
        let pts = step_points(&p, &self.m.spend, start);
        let mut area = pts.clone();
        area.push((p.x.x1, p.y.bottom));
        pen.polygon(&area, tint(BLUE, 0.8))?;
        pen.line(&pts, BLUE, 3)?;
        // Money available is drawn over the spend so it is never hidden.
        if self.m.has_budget {
            let avail = step_points(&p, &self.m.available(), start);
            pen.line(&avail, GREEN, 3)?;
        }
        self.draw_shortfall(pen, &p)?;
        plot::draw_notes(pen, &p, &self.notes)?;
        plot::draw_note_list(pen, &self.notes, p.y.bottom + AXIS_BELOW)?;
        let unit = text::fit(&self.currency, X0 - MARGIN - 10.0, SMALL_PX, false);
        let f = Font::new(SMALL_PX, MUTED);
        pen.text(
            &unit,
            X0 - 10.0,
            p.y.top - LABEL_LINE / 2.0 - 4.0,
            f,
            Anchor::Right,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample::{self, Sample};

    /// Committed cost per site, for tests and reports that want to check sums.
    fn committed_by_site(s: &Sample) -> Vec<f64> {
        let ctx = s.ctx();
        (0..s.plan.sites.len())
            .map(|i| ctx.site_tasks(i).iter().filter_map(|t| t.cost).sum())
            .collect()
    }

    #[test]
    fn spend_is_cumulative_and_adds_up_to_the_total_cost() {
        let s = Sample::of(sample::plan(50, false));
        let tl = &s.timeline;
        let m = model(&s.ctx());
        assert!(m
            .spend
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        assert!((m.committed() - tl.summary.total_cost).abs() < 1e-6);
        let in_periods: f64 = m.periods.iter().map(|p| p.committed).sum();
        assert!((in_periods + m.outside - m.committed()).abs() < 1e-6);
        let by_site: f64 = committed_by_site(&s).iter().sum();
        assert!((by_site - tl.summary.total_cost).abs() < 1e-6);
    }

    #[test]
    fn available_money_accumulates_period_by_period() {
        let plan = sample::plan(50, false);
        let m = model(&Sample::of(plan.clone()).ctx());
        let a = m.available();
        assert_eq!(a.len(), 4);
        let each = plan.budget.as_ref().unwrap().periods[0].amount.to_f64();
        assert!((a[3].1 - 4.0 * each).abs() < 1e-6);
    }

    #[test]
    fn without_carry_over_unspent_money_lapses() {
        let mut plan = sample::plan(50, false);
        plan.budget.as_mut().unwrap().carry_over = false;
        let m = model(&Sample::of(plan.clone()).ctx());
        let a = m.available();
        let p = &m.periods;
        // Periods are back to back: each start replaces the previous lapse.
        assert_eq!(a.len(), 5, "{a:?}");
        assert_eq!(a[0], (p[0].from, p[0].amount));
        let kept = p[0].committed.min(p[0].amount);
        assert!((a[1].1 - (kept + p[1].amount)).abs() < 1e-6);
        assert_eq!(a[4].0, p[3].to.succ_opt().unwrap());
        let all_kept: f64 = p.iter().map(|p| p.committed.min(p.amount)).sum();
        assert!((a[4].1 - all_kept).abs() < 1e-6);
    }

    #[test]
    fn unscheduled_work_is_estimated_from_the_plan() {
        let s = Sample::of(sample::plan(50, false));
        let (plan, tl) = (&s.plan, &s.timeline);
        let m = model(&s.ctx());
        // Sample sites 13 and 53…: removal packages at the crew rate, and
        // disposal at 15 a device.
        let site = &plan.sites[12];
        let n = site.device_count() as f64;
        let remove_days: u32 = tl
            .tasks
            .iter()
            .filter(|t| t.site == site.id && t.phase == Phase::Remove)
            .map(|t| t.duration)
            .sum();
        let expect = remove_days as f64 * 600.0 + n * 15.0;
        assert!(
            (m.unfunded - expect).abs() < 1e-6,
            "{} vs {expect}",
            m.unfunded
        );
    }

    #[test]
    fn periods_are_named_by_the_financial_year() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let uk = FyStart::default();
        let us = FyStart { month: 10, day: 1 };
        assert_eq!(
            period_name(d("2026-04-01"), d("2027-03-31"), uk),
            "FY 2026/27"
        );
        assert_eq!(
            period_name(d("2022-10-01"), d("2022-12-31"), uk),
            "Q3 FY22/23"
        );
        assert_eq!(
            period_name(d("2022-10-01"), d("2022-12-31"), us),
            "Q1 FY22/23"
        );
        assert_eq!(
            period_name(d("2026-01-05"), d("2026-03-31"), uk),
            "Jan 26 – Mar 26"
        );
    }

    #[test]
    fn many_periods_are_labelled_without_cutting() {
        // Sixteen quarters: the long wording cannot fit; short names do,
        // on every period or every other, and none is cut.
        let mut plan = sample::plan(50, false);
        let b = plan.budget.as_mut().unwrap();
        let first = b.periods[0].clone();
        b.periods = (0..16)
            .map(|q| {
                let from = d0(2022, 4, 1) + chrono::Months::new(3 * q);
                let mut p = first.clone();
                p.from = from;
                p.to = (from + chrono::Months::new(3)).pred_opt().unwrap();
                p
            })
            .collect();
        let f = figure(&Sample::of(plan.clone()).ctx());
        let p = f.layout();
        let labels = f.period_labels(&p);
        assert!(labels.len() >= 8, "{labels:?}");
        for (x, l1, l2) in &labels {
            assert!(!l1.contains('…') && !l2.contains('…'), "{l1} / {l2}");
            assert!(l1.starts_with('Q'), "{l1}");
            assert!(*x >= p.x.x0);
        }
        for w in labels.windows(2) {
            let right = w[0].0
                + text::width(&w[0].1, SMALL_PX, false).max(text::width(&w[0].2, SMALL_PX, false));
            assert!(right < w[1].0, "{:?} runs into {:?}", w[0], w[1]);
        }
    }

    fn d0(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn without_a_budget_the_chart_says_so() {
        let mut plan = sample::plan(5, false);
        plan.budget = None;
        let f = figure(&Sample::of(plan.clone()).ctx());
        assert!(f.title.contains("no budget limit"));
        assert!(f.m.periods.is_empty());
    }
}
