//! Budget: cumulative committed spend against cumulative money available,
//! period by period, with the estimated cost of unscheduled work shown as
//! the shortfall. A task's whole cost is committed on its start day, as the
//! plan format says.

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

use super::axis::TimeScale;
use super::canvas::{Anchor, Drawn, Figure, Font, Pen};
use super::plot::{self, TimePlot, VLine, YScale, LANE_H};
use super::style::*;
use super::text;
use crate::plan::{Phase, Plan, Site};
use crate::timeline::{Status, TaskRow, Timeline};

pub const WIDTH: u32 = 1800;
pub const HEIGHT: u32 = 1000;
const X0: f64 = 120.0;
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

pub fn model(plan: &Plan, tl: &Timeline) -> BudgetModel {
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
    // Sites by ID, once: many unscheduled tasks would otherwise each search
    // every site.
    let sites: HashMap<&str, &Site> = plan.sites.iter().map(|s| (s.id.as_str(), s)).collect();
    let unfunded = tl
        .tasks
        .iter()
        .filter(|t| t.status == Status::Unscheduled)
        .map(|t| {
            sites
                .get(t.site.as_str())
                .map_or(0.0, |s| estimate(plan, s, t))
        })
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
    let per_device = |f: &dyn Fn(&crate::plan::DeviceType) -> f64| -> f64 {
        site.devices
            .iter()
            .map(|&(ty, n)| f(&plan.device_types[ty.ix()]) * n as f64)
            .sum()
    };
    match Phase::parse(&t.phase) {
        Some(Phase::Procure) => per_device(&|d| if d.replace { d.unit_cost.to_f64() } else { 0.0 }),
        Some(Phase::Dispose) => per_device(&|d| d.disposal_cost.to_f64()),
        Some(_) => {
            let rates: Vec<f64> = plan
                .crews
                .iter()
                .filter(|c| c.region == site.region && (c.cleared || !site.cleared_only))
                .map(|c| c.day_rate.to_f64())
                .collect();
            let mean = rates.iter().sum::<f64>() / rates.len().max(1) as f64;
            mean * t.duration as f64
        }
        None => 0.0,
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
}

pub fn figure(plan: &Plan, tl: &Timeline) -> BudgetFigure {
    let m = model(plan, tl);
    let name = text::clean(&plan.name);
    let cur = &plan.currency;
    let title = if m.has_budget {
        format!("{name}: committed spend against the budget")
    } else {
        format!("{name}: committed spend (the plan sets no budget limit)")
    };
    let mut words = vec![format!("Committed {}", text::money(m.committed(), cur))];
    if m.has_budget {
        let total: f64 = m.periods.iter().map(|p| p.amount).sum();
        words.push(format!(
            "of {} over {} periods",
            text::money(total, cur),
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
            text::money(m.outside, cur)
        ));
    }
    if m.unfunded > 0.0 {
        words.push(format!(
            "unscheduled work needs about {} more",
            text::money(m.unfunded, cur)
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
    }
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
            l.push((
                VERMILLION,
                "Shortfall: unscheduled work (estimated)".to_string(),
            ));
        }
        l
    }

    fn layout(&self) -> TimePlot {
        let x = TimeScale::covering(self.lo, self.hi, X0, X1);
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
        let lanes_top = 92.0 + plot::legend_rows(&self.legend(), 20.0, X1) as f64 * 22.0 + 6.0;
        let top = lanes_top + 2.0 * LANE_H + 14.0;
        let avail = self.m.available().iter().fold(0.0, |m: f64, a| m.max(a.1));
        let need = self.m.committed() + self.m.unfunded;
        TimePlot {
            x,
            y: YScale::to_fit(avail.max(need).max(1.0), HEIGHT as f64 - 70.0, top),
            lines,
            fmt: text::axis_number,
            lanes_top,
        }
    }

    /// Each period's band: its boundaries, and above the plot its amount and
    /// how much of it the schedule commits, shortened to the band's width.
    fn draw_periods<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, p: &TimePlot) -> Drawn<DB> {
        for (i, u) in self.m.periods.iter().enumerate() {
            let (a, b) = (p.x.x(u.from), p.x.x_end(u.to));
            if i % 2 == 1 {
                pen.rect(a, p.y.top, b, p.y.bottom, tint(GREEN, 0.94))?;
            }
            pen.line(&[(a, p.lanes_top), (a, p.y.bottom)], GRID_STRONG, 1)?;
            pen.line(&[(b, p.lanes_top), (b, p.y.bottom)], GRID_STRONG, 1)?;
            let share = if u.amount > 0.0 {
                format!(" ({:.0}%)", 100.0 * u.committed / u.amount)
            } else {
                String::new()
            };
            let l1 = format!(
                "{} to {}: {}",
                text::date(u.from),
                text::date(u.to),
                text::money(u.amount, &self.currency)
            );
            let l2 = format!(
                "committed {}{share}",
                text::money(u.committed, &self.currency)
            );
            let w = b - a - 8.0;
            let f = Font::new(SMALL_PX, INK);
            pen.text(
                &text::fit(&l1, w, SMALL_PX, false),
                a + 4.0,
                p.lanes_top + 9.0,
                f,
                Anchor::Left,
            )?;
            pen.text(
                &text::fit(&l2, w, SMALL_PX, false),
                a + 4.0,
                p.lanes_top + 27.0,
                Font::new(SMALL_PX, MUTED),
                Anchor::Left,
            )?;
        }
        Ok(())
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
        pen.rect(x, y1, x + 24.0, y0.max(y1 + 2.0), VERMILLION)?;
        let label = format!(
            "Shortfall, estimated: {}",
            text::money(self.m.unfunded, &self.currency)
        );
        // Above the bar, clear of the spend line; ending at the bar when
        // there is no room to its right.
        let w = text::width(&label, LABEL_PX, true);
        let font = Font::new(LABEL_PX, VERMILLION).bold();
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
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        plot::draw_titles(pen, WIDTH as f64, &self.title, &self.subtitle)?;
        plot::draw_legend(pen, &self.legend(), 20.0, 96.0, X1)?;
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
        let unit = text::fit(&self.currency, X0 - 28.0, SMALL_PX, false);
        let f = Font::new(SMALL_PX, MUTED);
        pen.text(&unit, X0 - 8.0, p.y.top - 16.0, f, Anchor::Right)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample;
    use std::collections::HashMap;

    /// Committed cost per site, for tests and reports that want to check sums.
    fn committed_by_site(tl: &Timeline) -> HashMap<&str, f64> {
        let mut out: HashMap<&str, f64> = HashMap::new();
        for t in &tl.tasks {
            if let Some(c) = t.cost {
                *out.entry(t.site.as_str()).or_default() += c;
            }
        }
        out
    }

    #[test]
    fn spend_is_cumulative_and_adds_up_to_the_total_cost() {
        let plan = sample::plan(50, false);
        let tl = sample::timeline(&plan);
        let m = model(&plan, &tl);
        assert!(m
            .spend
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        assert!((m.committed() - tl.summary.total_cost).abs() < 1e-6);
        let in_periods: f64 = m.periods.iter().map(|p| p.committed).sum();
        assert!((in_periods + m.outside - m.committed()).abs() < 1e-6);
        let by_site: f64 = committed_by_site(&tl).values().sum();
        assert!((by_site - tl.summary.total_cost).abs() < 1e-6);
    }

    #[test]
    fn available_money_accumulates_period_by_period() {
        let plan = sample::plan(50, false);
        let m = model(&plan, &sample::timeline(&plan));
        let a = m.available();
        assert_eq!(a.len(), 4);
        let each = plan.budget.as_ref().unwrap().periods[0].amount.to_f64();
        assert!((a[3].1 - 4.0 * each).abs() < 1e-6);
    }

    #[test]
    fn without_carry_over_unspent_money_lapses() {
        let mut plan = sample::plan(50, false);
        plan.budget.as_mut().unwrap().carry_over = false;
        let m = model(&plan, &sample::timeline(&plan));
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
        let plan = sample::plan(50, false);
        let tl = sample::timeline(&plan);
        let m = model(&plan, &tl);
        // Sample sites 13 and 53…: removal packages at the crew rate, and
        // disposal at 15 a device.
        let site = &plan.sites[12];
        let n = site.device_count() as f64;
        let remove_days: u32 = tl
            .tasks
            .iter()
            .filter(|t| t.site == site.id && t.phase == "remove")
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
    fn without_a_budget_the_chart_says_so() {
        let mut plan = sample::plan(5, false);
        plan.budget = None;
        let f = figure(&plan, &sample::timeline(&plan));
        assert!(f.title.contains("no budget limit"));
        assert!(f.m.periods.is_empty());
    }
}
