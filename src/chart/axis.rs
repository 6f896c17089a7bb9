//! The date axis shared by the time charts: days to pixels, month ticks with
//! financial-year boundaries (the plan's `financial_year_start`), and placing labels so that they never
//! overlap or leave their area.

use chrono::{Datelike, Months, NaiveDate};

use super::text;
use crate::plan::FyStart;

/// Maps days to x pixels. A day occupies `[x(d), x(d + 1))`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeScale {
    /// First day shown (a first of month).
    pub from: NaiveDate,
    /// First day not shown (a first of month).
    pub to: NaiveDate,
    pub x0: f64,
    pub x1: f64,
    /// Where financial years begin.
    pub fy: FyStart,
}

impl TimeScale {
    /// A scale covering `lo..=hi`, widened to whole months.
    pub fn covering(lo: NaiveDate, hi: NaiveDate, x0: f64, x1: f64, fy: FyStart) -> TimeScale {
        let from = first_of_month(lo.min(hi));
        let to = first_of_month(hi.max(lo)) + Months::new(1);
        TimeScale {
            from,
            to,
            x0,
            x1,
            fy,
        }
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days().max(1)
    }

    pub fn px_per_day(&self) -> f64 {
        (self.x1 - self.x0) / self.days() as f64
    }

    /// Left edge of `day`, clamped to the axis.
    pub fn x(&self, day: NaiveDate) -> f64 {
        let d = (day - self.from).num_days().clamp(0, self.days());
        self.x0 + d as f64 * self.px_per_day()
    }

    /// Right edge of `day` (where the next day begins).
    pub fn x_end(&self, day: NaiveDate) -> f64 {
        self.x(day.succ_opt().unwrap_or(day))
    }

    /// Month ticks with labels thinned so that none overlaps its neighbour.
    pub fn ticks(&self, label_px: f64) -> Vec<Tick> {
        let month_px = self.px_per_day() * 30.4;
        let widest = text::width("Sep", label_px, false) + 8.0;
        // The smallest step (in months) whose labels fit; steps divide a
        // year so that labels land on the same months every year.
        let step = [1u32, 2, 3, 6, 12]
            .into_iter()
            .find(|&s| s as f64 * month_px >= widest)
            .unwrap_or(12);
        let mut out = Vec::new();
        let mut d = self.from;
        while d < self.to {
            let fy = d.month() == self.fy.month;
            // The step grid counts from the financial year's first month, so
            // every year is labelled alike and no label runs across an FY
            // boundary.
            let on_grid = fy_month(d, self.fy).is_multiple_of(step);
            let label = on_grid.then(|| month_label(d, step));
            out.push(Tick {
                day: d,
                x: self.x(d),
                fy_boundary: fy,
                label,
            });
            d = d + Months::new(1);
        }
        drop_colliding(&mut out, label_px);
        out
    }

    /// Financial years that the axis shows, with the span each occupies,
    /// labelled `FY 2026/27`.
    pub fn financial_years(&self) -> Vec<(String, f64, f64)> {
        let mut out = Vec::new();
        let mut y = self.fy.year_of(self.from);
        loop {
            let start = self.fy.first_day(y);
            if start >= self.to {
                break;
            }
            let end = self.fy.first_day(y + 1);
            let (a, b) = (self.x(start.max(self.from)), self.x(end.min(self.to)));
            out.push((self.fy.label(y), a, b));
            y += 1;
        }
        out
    }
}

impl TimeScale {
    /// Financial-year labels that fit their span whole, with their left x
    /// (a name cut to "FY 2…" tells nobody anything).
    pub fn fy_labels(&self, label_px: f64) -> Vec<(String, f64)> {
        self.financial_years()
            .into_iter()
            .filter(|(l, a, b)| text::width(l, label_px, true) + 8.0 <= b - a)
            .map(|(l, a, _)| (l, a + 4.0))
            .collect()
    }
}

/// One month tick.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub day: NaiveDate,
    pub x: f64,
    /// The first month of a financial year: drawn stronger.
    pub fy_boundary: bool,
    pub label: Option<String>,
}

/// Removes labels that would still touch their left neighbour (long
/// "Jan 2027" labels on a tight axis).
fn drop_colliding(ticks: &mut [Tick], label_px: f64) {
    let mut right_of_last = f64::NEG_INFINITY;
    for t in ticks.iter_mut() {
        if let Some(l) = &t.label {
            let w = text::width(l, label_px, false);
            if t.x < right_of_last + 6.0 {
                t.label = None;
            } else {
                right_of_last = t.x + w;
            }
        }
    }
}

/// Months since the start of the financial year (its first month is 0).
pub fn fy_month(d: NaiveDate, fy: FyStart) -> u32 {
    (d.month() + 12 - fy.month) % 12
}

/// A month tick's label: the year is named at January when every month is
/// labelled, and on every label when only one month a year is.
pub fn month_label(d: NaiveDate, step: u32) -> String {
    match (d.month(), step) {
        (1, 1) | (_, 12) => format!("{} {}", text::month_abbr(d.month()), d.year()),
        (m, _) => text::month_abbr(m).to_string(),
    }
}

pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

/// A label to place near an x position: its width in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelWant {
    pub x: f64,
    pub width: f64,
}

/// Where a label went: its left edge and its lane (0 is the first line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub left: f64,
    pub lane: usize,
}

/// Places labels that point at x positions inside `[lo, hi]`, in lanes
/// (lane 0 on top), each with a line running down from it past the lanes
/// below. A label starts at its x where it can, else ends there, else sits
/// anywhere over its x (its line leaves from under it). It takes the first
/// lane and position where it overlaps no label of that lane, crosses no
/// line coming down from a lane above, and puts its own line through no
/// label of a lane below. Deterministic: placed in the order given
/// (callers give date order).
pub fn place_labels(wants: &[LabelWant], lo: f64, hi: f64, gap: f64) -> Vec<Placed> {
    let mut placed: Vec<(f64, f64, f64, usize)> = Vec::new(); // x, left, right, lane
    let mut out: Vec<Placed> = Vec::with_capacity(wants.len());
    for w in wants {
        let width = w.width.min(hi - lo);
        let clamp = |left: f64| left.clamp(lo, (hi - width).max(lo));
        // Where the label may go, best first: starting at its x, ending
        // there, then just clear of each line already drawn.
        let mut lefts = if w.x + width <= hi {
            vec![clamp(w.x)]
        } else {
            let mut v = vec![clamp(w.x - width), clamp(w.x)];
            for &(x, ..) in &placed {
                v.push(clamp(x + gap + 1.0));
                v.push(clamp(x - gap - 1.0 - width));
            }
            v
        };
        lefts.retain(|&l| l <= w.x + 0.5 && w.x <= l + width + 0.5);
        if lefts.is_empty() {
            lefts.push(clamp(w.x));
        }
        let inside = |x: f64, a: f64, b: f64| a - gap < x && x < b + gap;
        let free = |lane: usize, left: f64| {
            let right = left + width;
            placed.iter().all(|&(x, a, b, l)| match l.cmp(&lane) {
                std::cmp::Ordering::Equal => right + gap <= a || b + gap <= left,
                std::cmp::Ordering::Less => !inside(x, left, right),
                std::cmp::Ordering::Greater => !inside(w.x, a, b),
            })
        };
        let deepest = placed.iter().map(|p| p.3 + 1).max().unwrap_or(0);
        let found =
            (0..=deepest).find_map(|l| lefts.iter().find(|&&x| free(l, x)).map(|&x| (l, x)));
        // Else, when its own line passes through no label placed so far, a
        // new lane on top takes it (every other label moves down one): a
        // label near the right edge that must end at its line, over the
        // line of an earlier label that starts there.
        let on_top = || {
            let crosses = placed.iter().any(|&(_, a, b, _)| inside(w.x, a, b));
            (!crosses).then(|| lefts.first().copied().unwrap_or(clamp(w.x)))
        };
        let (lane, left) = match (found, on_top()) {
            (Some(f), _) => f,
            (None, Some(left)) => {
                for p in &mut placed {
                    p.3 += 1;
                }
                for o in &mut out {
                    o.lane += 1;
                }
                (0, left)
            }
            // Lines at the same x (a status date on a deadline) cannot
            // avoid each other's labels; such a label goes below all
            // others.
            (None, None) => (deepest, lefts.first().copied().unwrap_or(clamp(w.x))),
        };
        placed.push((w.x, left, left + width, lane));
        out.push(Placed { left, lane });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn scale_covers_whole_months_and_maps_days_in_order() {
        let s = TimeScale::covering(
            d(2026, 1, 5),
            d(2027, 11, 20),
            100.0,
            1100.0,
            FyStart::default(),
        );
        assert_eq!(s.from, d(2026, 1, 1));
        assert_eq!(s.to, d(2027, 12, 1));
        assert_eq!(s.x(s.from), 100.0);
        assert_eq!(s.x(s.to), 1100.0);
        assert!(s.x(d(2026, 6, 1)) < s.x(d(2026, 6, 2)));
        assert!((s.x_end(d(2026, 6, 1)) - s.x(d(2026, 6, 2))).abs() < 1e-9);
        // Outside the axis clamps rather than drawing off the chart.
        assert_eq!(s.x(d(2020, 1, 1)), 100.0);
    }

    #[test]
    fn ticks_every_month_with_fy_boundaries() {
        let s = TimeScale::covering(
            d(2026, 1, 5),
            d(2026, 12, 20),
            0.0,
            1200.0,
            FyStart::default(),
        );
        let t = s.ticks(13.0);
        assert_eq!(t.len(), 12);
        assert!(t.iter().all(|t| t.label.is_some()));
        let fy: Vec<_> = t.iter().filter(|t| t.fy_boundary).map(|t| t.day).collect();
        assert_eq!(fy, vec![d(2026, 4, 1)]);
        assert_eq!(t[0].label.as_deref(), Some("Jan 2026"));
    }

    #[test]
    fn long_axes_thin_labels_so_none_overlap() {
        let s = TimeScale::covering(
            d(2026, 1, 1),
            d(2035, 12, 31),
            0.0,
            800.0,
            FyStart::default(),
        );
        let t = s.ticks(13.0);
        assert_eq!(t.len(), 120);
        let labelled: Vec<_> = t.iter().filter(|t| t.label.is_some()).collect();
        assert!(labelled.len() < 40, "{}", labelled.len());
        for w in labelled.windows(2) {
            let right = w[0].x + text::width(w[0].label.as_ref().unwrap(), 13.0, false);
            assert!(right < w[1].x, "{:?} overlaps {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn financial_years_follow_the_plan() {
        let us = FyStart { month: 10, day: 1 };
        let s = TimeScale::covering(d(2026, 1, 5), d(2027, 5, 1), 0.0, 1000.0, us);
        let names: Vec<_> = s.financial_years().into_iter().map(|f| f.0).collect();
        assert_eq!(names, ["FY 2025/26", "FY 2026/27"]);
        let t = s.ticks(13.0);
        let fy: Vec<_> = t.iter().filter(|t| t.fy_boundary).map(|t| t.day).collect();
        assert_eq!(fy, vec![d(2026, 10, 1)]);
    }

    #[test]
    fn financial_years_run_april_to_march() {
        let s = TimeScale::covering(
            d(2026, 1, 5),
            d(2027, 5, 1),
            0.0,
            1000.0,
            FyStart::default(),
        );
        let fy = s.financial_years();
        let names: Vec<_> = fy.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["FY 2025/26", "FY 2026/27", "FY 2027/28"]);
        assert_eq!(fy[0].1, 0.0);
        assert_eq!(fy[1].1, s.x(d(2026, 4, 1)));
        assert_eq!(fy[2].2, 1000.0);
    }

    #[test]
    fn placed_labels_never_overlap_or_leave_the_area() {
        let wants: Vec<_> = [10.0, 20.0, 30.0, 500.0, 900.0, 990.0]
            .iter()
            .map(|&x| LabelWant { x, width: 80.0 })
            .collect();
        let placed = place_labels(&wants, 0.0, 1000.0, 4.0);
        for (i, a) in placed.iter().enumerate() {
            assert!(a.left >= 0.0 && a.left + 80.0 <= 1000.0);
            for b in &placed[i + 1..] {
                if a.lane == b.lane {
                    assert!(a.left + 80.0 + 4.0 <= b.left || b.left + 80.0 + 4.0 <= a.left);
                }
            }
        }
        // A line from an upper lane never crosses a label below it, and a
        // label's own line never runs through a label of a lower lane.
        for (i, a) in placed.iter().enumerate() {
            for (j, b) in placed.iter().enumerate() {
                if i != j && a.lane < b.lane {
                    let x = wants[i].x;
                    assert!(
                        !(b.left - 4.0 < x && x < b.left + 84.0),
                        "line {i} crosses label {j}"
                    );
                }
            }
        }
        assert_eq!(placed[0].lane, 0);
        assert_eq!(placed[3].lane, 0);
        // Near the right edge a label ends at its x instead of running off.
        assert_eq!(placed[5].left, 990.0 - 80.0);
        assert_eq!(placed[5].lane, 1);
    }

    #[test]
    fn a_label_near_the_edge_sits_clear_of_the_lines_above() {
        // The third label cannot start at its x (the edge) nor end there
        // (the second line would cross it): it sits over its x, right of
        // that line.
        let wants = [
            LabelWant {
                x: 600.0,
                width: 300.0,
            },
            LabelWant {
                x: 760.0,
                width: 200.0,
            },
            LabelWant {
                x: 900.0,
                width: 220.0,
            },
        ];
        let placed = place_labels(&wants, 0.0, 1000.0, 4.0);
        let third = placed[2];
        assert!(third.left > 760.0 + 4.0, "{third:?}");
        assert!(third.left <= 900.0 && 900.0 <= third.left + 220.0);
        assert!(third.left + 220.0 <= 1000.0);
    }

    /// The audit story's deadlines (issue 21): a tier deadline whose label
    /// must end at its line near the right edge, then the programme's a
    /// little later, too long to sit anywhere but over that line. The later
    /// label goes on top, so neither line runs through a label.
    #[test]
    fn a_label_that_would_sit_on_an_earlier_line_goes_on_top() {
        let wants = [
            LabelWant {
                x: 1490.0,
                width: 290.0,
            },
            LabelWant {
                x: 1650.0,
                width: 400.0,
            },
        ];
        let placed = place_labels(&wants, 170.0, 1760.0, 8.0);
        assert_eq!((placed[0].lane, placed[1].lane), (1, 0), "{placed:?}");
        for (i, a) in placed.iter().enumerate() {
            for (j, b) in placed.iter().enumerate() {
                let width = wants[j].width;
                if a.lane < b.lane {
                    let x = wants[i].x;
                    assert!(
                        !(b.left - 8.0 < x && x < b.left + width + 8.0),
                        "{i} crosses {j}"
                    );
                }
            }
            assert!(a.left >= 170.0 && a.left + wants[i].width <= 1760.0);
        }
    }
}
