//! The Gantt chart: a row per site grouped by tier then region, split into
//! pages of at most `PAGE_ROWS` rows sharing one date axis when the
//! programme is too long for one page, with an overview of tier × region
//! bands; and the tier-level band chart the public bundle uses.

use chrono::NaiveDate;

use super::axis::{place_labels, LabelWant, TimeScale};
use super::canvas::{Anchor, Drawn, Figure, Font, Pen};
use super::model::{Group, Marker, SiteLine};
use super::plot::Titles;
use super::style::*;
use super::text;
use crate::plan::{FyStart, Phase};
use plotters::prelude::DrawingBackend;

/// Up to this many sites fit one page that still prints on one A4 page
/// with text at 7 pt or more.
pub const ONE_PAGE_ROWS: usize = 36;
/// Rows per page when the programme is split.
pub const PAGE_ROWS: usize = 30;

/// Row height on a page of many sites: the label text and some air.
const ROW_H: f64 = 48.0;

/// Row height for a Gantt of `sites` sites: taller rows when a few sites
/// would look lost; every page of a split Gantt alike.
pub fn row_h(sites: usize) -> f64 {
    if sites > ONE_PAGE_ROWS {
        ROW_H
    } else {
        (600.0 / sites.max(1) as f64).clamp(ROW_H, 64.0)
    }
}
const GROUP_X: f64 = 20.0;
const GROUP_W: f64 = 250.0;
const LABEL_X: f64 = 282.0;
const LABEL_W: f64 = 360.0;
const STATUS_RIGHT: f64 = 860.0;
const STATUS_W: f64 = 200.0;
const CHART_X0: f64 = 876.0;
const CHART_X1: f64 = WIDTH as f64 - 30.0;
const LANE_H: f64 = 44.0;
/// Room above the rows for the financial-year and month labels.
const AXIS_ABOVE: f64 = 92.0;

/// One row of a page: a site, and whether it opens its group on this page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub group: usize,
    pub site: usize,
    pub opens_group: bool,
}

/// Splits the rows into pages: one page when every site fits, else pages
/// of at most `PAGE_ROWS` rows. A group split across pages opens again on
/// the next page, so every page names the groups it shows.
pub fn paginate(groups: &[Group]) -> Vec<Vec<Row>> {
    let total: usize = groups.iter().map(|g| g.sites.len()).sum();
    let per_page = if total <= ONE_PAGE_ROWS {
        ONE_PAGE_ROWS
    } else {
        PAGE_ROWS
    };
    let mut pages: Vec<Vec<Row>> = vec![Vec::new()];
    for (g, grp) in groups.iter().enumerate() {
        for site in 0..grp.sites.len() {
            if pages.last().is_some_and(|p| p.len() == per_page) {
                pages.push(Vec::new());
            }
            let page = pages.last_mut().expect("one page at least");
            let opens_group = page.last().is_none_or(|r| r.group != g);
            page.push(Row {
                group: g,
                site,
                opens_group,
            });
        }
    }
    pages
}

/// What every Gantt page shares.
#[derive(Debug, Clone)]
pub struct Frame {
    pub title: String,
    pub subtitle: String,
    pub lo: NaiveDate,
    pub hi: NaiveDate,
    pub fy: FyStart,
    pub deadlines: Vec<Marker>,
    pub status_date: Option<NaiveDate>,
    pub has_baseline: bool,
    /// `schedule --risk` ran: whiskers to each site's P80, at-risk marks.
    pub has_risk: bool,
}

impl Frame {
    fn scale(&self) -> TimeScale {
        TimeScale::covering(self.lo, self.hi, CHART_X0, CHART_X1, self.fy)
    }

    /// Markers with a label: deadlines then the status date.
    fn markers(&self) -> Vec<Marker> {
        let mut m = self.deadlines.clone();
        if let Some(d) = self.status_date {
            m.push(Marker {
                day: d,
                label: format!("Status {}", text::date(d)),
                tier_ix: None,
            });
        }
        // Labels are placed in date order (see `place_labels`).
        m.sort_by_key(|m| m.day);
        m
    }

    /// The lanes of marker labels, placed so none overlap.
    fn marker_lanes(&self) -> Vec<(Marker, f64, usize)> {
        let scale = self.scale();
        let markers = self.markers();
        let wants: Vec<LabelWant> = markers
            .iter()
            .map(|m| LabelWant {
                x: scale.x_end(m.day),
                width: text::width(&m.label, SMALL_PX, false),
            })
            .collect();
        let placed = place_labels(&wants, CHART_X0, CHART_X1, 12.0);
        markers
            .into_iter()
            .zip(placed)
            .map(|(m, p)| (m, p.left, p.lane))
            .collect()
    }

    fn titles(&self, page_note: &str) -> Titles {
        let sub = if page_note.is_empty() {
            self.subtitle.clone()
        } else {
            format!("{} — {page_note}", self.subtitle)
        };
        Titles::new(WIDTH as f64, &self.title, &sub)
    }

    /// Top of the marker label lanes: below the titles and the legend.
    fn lanes_top(&self, page_note: &str, bands: bool) -> f64 {
        let legend = self.legend_rows(bands) as f64 * LABEL_LINE;
        self.titles(page_note).height() + legend + 8.0
    }

    /// Height of the header above the first row.
    fn header_h(&self, page_note: &str, bands: bool) -> f64 {
        let lanes = self
            .marker_lanes()
            .iter()
            .map(|l| l.2 + 1)
            .max()
            .unwrap_or(0);
        self.lanes_top(page_note, bands) + lanes as f64 * LANE_H + AXIS_ABOVE
    }

    fn draw_header<DB: DrawingBackend>(
        &self,
        pen: &Pen<'_, DB>,
        page_note: &str,
        bands: bool,
    ) -> Drawn<DB> {
        let titles = self.titles(page_note);
        titles.draw(pen)?;
        self.draw_legend(pen, titles.height(), bands)
    }

    /// The key: phases for site rows, band shading for the overview.
    fn legend(&self, bands: bool) -> Vec<(Swatch, String)> {
        let mut out: Vec<(Swatch, String)> = Vec::new();
        if bands {
            out.push((
                Swatch::Box(tint(INK, 0.85)),
                "From first work to last removal".into(),
            ));
            out.push((
                Swatch::Box(tint(INK, 0.4)),
                "Share of its sites cleared".into(),
            ));
            out.push((Swatch::Diamond, "Half and all cleared".into()));
        } else {
            for p in Phase::ALL {
                out.push((
                    Swatch::Box(phase_colour(p)),
                    crate::words::capitalise(p.as_str()),
                ));
            }
            out.push((Swatch::Diamond, "Removal complete".into()));
        }
        out.push((Swatch::Dashed, "Deadline".into()));
        if !bands {
            out.push((Swatch::Box(LATE_BG), "Late (days)".into()));
        }
        if self.has_baseline && !bands {
            out.push((Swatch::Thin(BASELINE), "Baseline".into()));
        }
        if self.has_risk && !bands {
            out.push((
                Swatch::Whisker,
                "Removal complete in 4 samples of 5 (P80)".into(),
            ));
            out.push((
                Swatch::Text("at risk"),
                "on time, under 80% likely to stay so".into(),
            ));
        }
        out
    }

    /// Legend entries with their x and row, wrapped before the right edge.
    fn legend_layout(&self, bands: bool) -> Vec<(Swatch, String, f64, usize)> {
        let mut out = Vec::new();
        let (mut x, mut row) = (GROUP_X, 0);
        for (swatch, label) in self.legend(bands) {
            let w = swatch.width() + text::width(&label, LABEL_PX, false) + 32.0;
            if x > GROUP_X && x + w > CHART_X1 {
                x = GROUP_X;
                row += 1;
            }
            out.push((swatch, label, x, row));
            x += w;
        }
        out
    }

    fn legend_rows(&self, bands: bool) -> usize {
        self.legend_layout(bands).last().map_or(0, |e| e.3 + 1)
    }

    fn draw_legend<DB: DrawingBackend>(
        &self,
        pen: &Pen<'_, DB>,
        top: f64,
        bands: bool,
    ) -> Drawn<DB> {
        let f = Font::new(LABEL_PX, INK);
        for (swatch, label, x, row) in self.legend_layout(bands) {
            let y = top + row as f64 * LABEL_LINE + LABEL_LINE / 2.0;
            match swatch {
                Swatch::Box(c) => pen.rect(x, y - 11.0, x + 34.0, y + 11.0, c)?,
                Swatch::Thin(c) => pen.rect(x, y + 2.0, x + 34.0, y + 10.0, c)?,
                Swatch::Diamond => pen.diamond(x + 17.0, y, 10.0, INK)?,
                Swatch::Dashed => pen.dashed_vline(x + 17.0, y - 14.0, y + 14.0, DEADLINE, 3)?,
                Swatch::Whisker => whisker(pen, x, x + 34.0, y, 24.0)?,
                Swatch::Text(t) => {
                    pen.text(t, x, y, Font::new(SMALL_PX, AT_RISK).bold(), Anchor::Left)?
                }
            }
            pen.text(&label, x + swatch.width(), y, f, Anchor::Left)?;
        }
        Ok(())
    }

    /// Month grid, FY boundaries and the month and FY labels above `top`;
    /// marker lines and labels; all spanning down to `bottom`.
    fn draw_axis<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, top: f64, bottom: f64) -> Drawn<DB> {
        let scale = self.scale();
        let small = Font::new(SMALL_PX, MUTED);
        let ticks = scale.ticks(SMALL_PX);
        for t in &ticks {
            let (c, w) = if t.fy_boundary {
                (GRID_STRONG, 2)
            } else {
                (GRID, 1)
            };
            pen.line(
                &[
                    (t.x, top - (if t.fy_boundary { AXIS_ABOVE } else { 44.0 })),
                    (t.x, bottom),
                ],
                c,
                w,
            )?;
        }
        // Labels after every line, so no later line runs through a label.
        for (label, x) in scale.fy_labels(SMALL_PX) {
            pen.text(&label, x, top - 66.0, small.bold(), Anchor::Left)?;
        }
        for t in &ticks {
            if let Some(l) = &t.label {
                pen.text(l, t.x + 4.0, top - 22.0, small, Anchor::Left)?;
                pen.text(l, t.x + 4.0, bottom + 24.0, small, Anchor::Left)?;
            }
        }
        pen.line(&[(CHART_X1, top - 44.0), (CHART_X1, bottom)], GRID, 1)?;
        Ok(())
    }

    fn draw_markers<DB: DrawingBackend>(
        &self,
        pen: &Pen<'_, DB>,
        lanes_top: f64,
        bottom: f64,
    ) -> Drawn<DB> {
        let scale = self.scale();
        let lanes = self.marker_lanes();
        let lane_y = |lane: usize| lanes_top + lane as f64 * LANE_H + LANE_H / 2.0;
        for (m, _, lane) in &lanes {
            let x = scale.x_end(m.day);
            let y = lane_y(*lane);
            // The status date is a solid line, deadlines dashed.
            if m.label.starts_with("Status") {
                pen.line(&[(x, y + 16.0), (x, bottom)], INK, 2)?;
            } else {
                pen.dashed_vline(x, y + 16.0, bottom, DEADLINE, 3)?;
            }
        }
        // Labels over the lines, on white: a line that cannot avoid a
        // label below it (near the right edge) passes behind it.
        for (m, left, lane) in lanes {
            let y = lane_y(lane);
            let w = text::width(&m.label, SMALL_PX, false);
            pen.rect(left - 3.0, y - 16.0, left + w + 3.0, y + 16.0, WHITE)?;
            pen.text(&m.label, left, y, Font::new(SMALL_PX, INK), Anchor::Left)?;
        }
        Ok(())
    }
}

/// A group's heading over its first rows on a page (`rows` of them), and
/// the muted line under it: `T1 · London` then `4 sites`; by owner, the
/// owner's name (on two rows when long and there is room) then
/// `T1 · 4 sites`, or `T1 · owner` on a group's single row.
fn heading(g: &Group, rows: usize, cont: &str) -> (Vec<String>, String) {
    let n = g.sites.len();
    let sites = format!("{n} site{}", if n == 1 { "" } else { "s" });
    let wrap = |t: &str, lines: usize| text::wrap(t, GROUP_W - 16.0, LABEL_PX, true, lines);
    match &g.owner {
        Some(owner) if rows > 1 => (
            wrap(&format!("{owner}{cont}"), (rows - 1).min(2)),
            format!("{} · {sites}", g.tier),
        ),
        Some(owner) => (wrap(&format!("{} · {owner}{cont}", g.tier), 1), sites),
        None => (
            wrap(&format!("{}{cont}", g.label()), rows.clamp(1, 2)),
            sites,
        ),
    }
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Swatch {
    Box(plotters::prelude::RGBColor),
    Thin(plotters::prelude::RGBColor),
    Diamond,
    Dashed,
    Whisker,
    /// Words as drawn in the rows (the at-risk mark).
    Text(&'static str),
}

impl Swatch {
    /// From the swatch's left to its label's.
    fn width(&self) -> f64 {
        match self {
            Swatch::Text(t) => text::width(t, SMALL_PX, true) + 12.0,
            _ => 44.0,
        }
    }
}

/// A whisker from `x0` to `x1` at `y`, with a cap `h` tall at its end.
fn whisker<DB: DrawingBackend>(pen: &Pen<'_, DB>, x0: f64, x1: f64, y: f64, h: f64) -> Drawn<DB> {
    pen.line(&[(x0, y), (x1, y)], INK, 3)?;
    pen.line(&[(x1, y - h / 2.0), (x1, y + h / 2.0)], INK, 3)
}

/// One page of site rows.
pub struct Page<'a> {
    pub frame: &'a Frame,
    pub groups: &'a [Group],
    pub rows: &'a [Row],
    /// From `row_h`.
    pub row_h: f64,
    /// `page 2 of 25, sites 41–80`; empty on a single page.
    pub note: String,
}

impl Figure for Page<'_> {
    fn size(&self) -> (u32, u32) {
        let h = self.frame.header_h(&self.note, false)
            + self.rows.len().max(1) as f64 * self.row_h
            + 56.0;
        (WIDTH, h.ceil() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        let f = self.frame;
        f.draw_header(pen, &self.note, false)?;
        let top = f.header_h(&self.note, false);
        let rh = self.row_h;
        let bottom = top + self.rows.len() as f64 * rh;
        for (i, r) in self.rows.iter().enumerate() {
            self.draw_row_background(pen, i, r, top + i as f64 * rh)?;
        }
        f.draw_axis(pen, top, bottom)?;
        for (i, r) in self.rows.iter().enumerate() {
            self.draw_row(pen, i, r, top + i as f64 * rh)?;
        }
        f.draw_markers(pen, f.lanes_top(&self.note, false), bottom)?;
        pen.line(&[(GROUP_X, bottom), (CHART_X1, bottom)], GRID_STRONG, 1)?;
        if self.rows.is_empty() {
            pen.text(
                "No sites in this plan.",
                CHART_X0,
                top + 24.0,
                Font::new(LABEL_PX, MUTED),
                Anchor::Left,
            )?;
        }
        Ok(())
    }
}

impl Page<'_> {
    fn site(&self, r: &Row) -> &SiteLine {
        &self.groups[r.group].sites[r.site]
    }

    fn draw_row_background<DB: DrawingBackend>(
        &self,
        pen: &Pen<'_, DB>,
        i: usize,
        r: &Row,
        y: f64,
    ) -> Drawn<DB> {
        let s = self.site(r);
        let bg = if s.late_days > 0 || s.unscheduled {
            Some(LATE_BG)
        } else if i % 2 == 1 {
            Some(STRIPE)
        } else {
            None
        };
        if let Some(bg) = bg {
            pen.rect(LABEL_X - 4.0, y, CHART_X1, y + self.row_h, bg)?;
        }
        Ok(())
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        pen: &Pen<'_, DB>,
        i: usize,
        r: &Row,
        y: f64,
    ) -> Drawn<DB> {
        let scale = self.frame.scale();
        let g = &self.groups[r.group];
        let s = self.site(r);
        let mid = y + self.row_h / 2.0;
        // The group's name over its first rows (wrapped onto a second when
        // long and the group has one), then its count of sites.
        let opening = (0..=i)
            .rev()
            .find(|&j| self.rows[j].opens_group)
            .unwrap_or(i);
        let on_page = self.rows[opening..]
            .iter()
            .take_while(|x| x.group == r.group)
            .count();
        let cont = if self.rows[opening].site > 0 {
            " (cont.)"
        } else {
            ""
        };
        let (name, count) = heading(g, on_page, cont);
        let k = i - opening;
        if r.opens_group {
            let new_head = i == 0 || self.groups[self.rows[i - 1].group].head() != g.head();
            let c = if new_head { INK } else { GRID_STRONG };
            pen.line(&[(GROUP_X, y), (CHART_X1, y)], c, 1)?;
            pen.rect(
                GROUP_X,
                y + 3.0,
                GROUP_X + 8.0,
                y + self.row_h - 3.0,
                series_colour(g.tier_ix),
            )?;
        }
        if let Some(line) = name.get(k) {
            pen.text(
                line,
                GROUP_X + 14.0,
                mid,
                Font::new(LABEL_PX, INK).bold(),
                Anchor::Left,
            )?;
        } else if k == name.len() {
            pen.text(
                &count,
                GROUP_X + 14.0,
                mid,
                Font::new(SMALL_PX, MUTED),
                Anchor::Left,
            )?;
        }
        let label = text::fit(&s.label, LABEL_W, LABEL_PX, false);
        pen.text(&label, LABEL_X, mid, Font::new(LABEL_PX, INK), Anchor::Left)?;
        let (status, colour) = if s.unscheduled {
            ("unscheduled".to_string(), LATE)
        } else if s.late_days > 0 {
            (
                format!("+{} d late", crate::words::signed(s.late_days)),
                LATE,
            )
        } else if let Some(p) = s.at_risk {
            (
                format!("at risk {}", crate::words::percent((p * 100.0).floor())),
                AT_RISK,
            )
        } else {
            (String::new(), LATE)
        };
        let status = text::fit(&status, STATUS_W, SMALL_PX, true);
        pen.text(
            &status,
            STATUS_RIGHT,
            mid,
            Font::new(SMALL_PX, colour).bold(),
            Anchor::Right,
        )?;
        self.draw_bars(pen, &scale, s, y)
    }

    fn draw_bars<DB: DrawingBackend>(
        &self,
        pen: &Pen<'_, DB>,
        scale: &TimeScale,
        s: &SiteLine,
        y: f64,
    ) -> Drawn<DB> {
        // Proportions of the row: the bars, and the baseline under them.
        let rh = self.row_h;
        let (bar_top, bar_bottom) = if self.frame.has_baseline {
            (y + 0.15 * rh, y + 0.65 * rh)
        } else {
            (y + 0.2 * rh, y + 0.8 * rh)
        };
        let (base_top, base_bottom) = (y + 0.68 * rh, y + 0.9 * rh);
        for b in &s.baseline {
            let (x0, x1) = (scale.x(b.from), scale.x_end(b.to));
            pen.rect(x0, base_top, x1, base_bottom, BASELINE)?;
        }
        if let Some(d) = s.baseline_removal {
            let r = (base_bottom - base_top) * 0.8;
            pen.diamond(
                scale.x_end(d),
                (base_top + base_bottom) / 2.0,
                r,
                GRID_STRONG,
            )?;
        }
        for b in &s.bars {
            let (x0, x1) = (scale.x(b.span.from), scale.x_end(b.span.to));
            pen.rect(x0, bar_top, x1, bar_bottom, phase_colour(b.phase))?;
            if b.phase == Phase::Procure && x1 - x0 > 3.0 {
                // Yellow on white needs an edge to be seen.
                pen.outline(x0, bar_top, x1, bar_bottom, tint(INK, 0.55))?;
            }
        }
        if let Some(d) = s.own_deadline {
            let x = scale.x_end(d);
            pen.line(&[(x, y + 1.0), (x, y + rh - 1.0)], DEADLINE, 3)?;
        }
        if let (Some(d), true) = (s.removal, self.frame.has_risk) {
            // The whisker runs from removal complete to its P80 (to the
            // edge when the P80 is beyond the horizon).
            let x1 = s.p80.map_or(CHART_X1, |p| scale.x_end(p));
            let x0 = scale.x_end(d);
            if x1 > x0 + 1.0 {
                whisker(
                    pen,
                    x0,
                    x1,
                    (bar_top + bar_bottom) / 2.0,
                    bar_bottom - bar_top,
                )?;
            }
        }
        if let Some(d) = s.removal {
            let r = (0.3 * rh).min(14.0);
            pen.diamond(scale.x_end(d), (bar_top + bar_bottom) / 2.0, r, INK)?;
        }
        Ok(())
    }
}

/// One band of the overview: a group of sites and when they clear.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub label: String,
    pub detail: String,
    pub tier_ix: usize,
    /// First day of work on any of its sites.
    pub first: Option<NaiveDate>,
    /// Removal complete of each of its sites with devices, sorted; sites
    /// whose removal is unscheduled are counted in `total` only.
    pub cleared: Vec<NaiveDate>,
    /// Sites with devices.
    pub total: usize,
    pub late: usize,
    pub unscheduled: usize,
}

impl Band {
    /// Builds a band from site lines.
    pub fn of<'a>(
        label: String,
        tier_ix: usize,
        sites: impl Iterator<Item = &'a SiteLine>,
        public: bool,
    ) -> Band {
        let mut first = None::<NaiveDate>;
        let mut cleared = Vec::new();
        let (mut total, mut late, mut unscheduled, mut devices) = (0, 0, 0, 0u64);
        for s in sites {
            for b in &s.bars {
                first = Some(first.map_or(b.span.from, |f| f.min(b.span.from)));
            }
            if s.devices == 0 {
                continue;
            }
            total += 1;
            devices += s.devices;
            late += usize::from(s.late_days > 0);
            match s.removal {
                Some(d) => cleared.push(d),
                None => unscheduled += 1,
            }
        }
        cleared.sort();
        // The public bundle gives device totals and shares, never how
        // many sites a group holds.
        let detail = if public {
            format!("{} devices", crate::words::signed(devices as i64))
        } else {
            format!(
                "{} site{} · {} devices",
                crate::words::signed(total as i64),
                if total == 1 { "" } else { "s" },
                crate::words::signed(devices as i64)
            )
        };
        Band {
            label,
            detail,
            tier_ix,
            first,
            cleared,
            total,
            late,
            unscheduled,
        }
    }

    /// Share of the band's sites cleared by the end of each clearing day.
    pub fn steps(&self) -> Vec<(NaiveDate, f64)> {
        let n = self.total.max(1) as f64;
        let mut out: Vec<(NaiveDate, f64)> = Vec::new();
        for (i, d) in self.cleared.iter().enumerate() {
            let share = (i + 1) as f64 / n;
            match out.last_mut() {
                Some(last) if last.0 == *d => last.1 = share,
                _ => out.push((*d, share)),
            }
        }
        out
    }

    /// What went wrong in the band, counted (or as shares, for the public).
    pub fn status(&self, public: bool) -> Vec<String> {
        let say = |n: usize, what: &str| {
            if public {
                let share = 100.0 * n as f64 / self.total.max(1) as f64;
                format!("{} {what}", crate::words::percent(share))
            } else {
                format!("{} {what}", crate::words::signed(n as i64))
            }
        };
        let mut out = Vec::new();
        if self.late > 0 {
            out.push(say(self.late, "late"));
        }
        if self.unscheduled > 0 {
            out.push(say(self.unscheduled, "unsched."));
        }
        out
    }

    /// The day half of the band's sites are cleared, if that happens.
    pub fn half_day(&self) -> Option<NaiveDate> {
        self.steps().into_iter().find(|s| s.1 >= 0.5).map(|s| s.0)
    }
}

/// Bands of groups (overview) or tiers (public), one per line.
pub struct Bands<'a> {
    pub frame: &'a Frame,
    pub bands: &'a [Band],
    pub note: String,
    /// Shares instead of counts.
    pub public: bool,
}

/// Band height: a few tiers get tall bands that fill the page; many
/// groups get compact ones.
fn band_h(bands: usize) -> f64 {
    (900.0 / bands.max(1) as f64).clamp(TWO_LINES - 30.0, 130.0)
}

/// A band this tall holds its name and counts on two lines.
const TWO_LINES: f64 = 90.0;

/// Most bands one overview page holds; beyond, the overview is by tier.
pub const MAX_BANDS: usize = 36;

impl Figure for Bands<'_> {
    fn size(&self) -> (u32, u32) {
        let h = self.frame.header_h(&self.note, true)
            + self.bands.len().max(1) as f64 * band_h(self.bands.len())
            + 16.0
            + self.key().len() as f64 * SUBTITLE_LINE
            + 56.0;
        (WIDTH, h.ceil() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>) -> Drawn<DB> {
        let f = self.frame;
        f.draw_header(pen, &self.note, true)?;
        let top = f.header_h(&self.note, true);
        let bh = band_h(self.bands.len());
        let bottom = top + self.bands.len() as f64 * bh;
        for i in (1..self.bands.len()).step_by(2) {
            let y = top + i as f64 * bh;
            pen.rect(GROUP_X, y, CHART_X1, y + bh, STRIPE)?;
        }
        f.draw_axis(pen, top, bottom)?;
        for (i, b) in self.bands.iter().enumerate() {
            self.draw_band(pen, b, top + i as f64 * bh)?;
        }
        f.draw_markers(pen, f.lanes_top(&self.note, true), bottom)?;
        pen.line(&[(GROUP_X, bottom), (CHART_X1, bottom)], GRID_STRONG, 1)?;
        for (i, line) in self.key().iter().enumerate() {
            pen.text(
                line,
                GROUP_X,
                bottom + 56.0 + (i as f64 + 0.5) * SUBTITLE_LINE,
                Font::new(SMALL_PX, MUTED),
                Anchor::Left,
            )?;
        }
        Ok(())
    }
}

impl Bands<'_> {
    /// How to read the bands, wrapped under the chart.
    fn key(&self) -> Vec<String> {
        let key = "Each band fills from bottom (none) to top (all) as its sites' removals complete; diamonds mark half and all cleared.";
        text::wrap(key, CHART_X1 - GROUP_X, SMALL_PX, false, 3)
    }

    fn draw_band<DB: DrawingBackend>(&self, pen: &Pen<'_, DB>, b: &Band, y: f64) -> Drawn<DB> {
        let scale = self.frame.scale();
        let colour = series_colour(b.tier_ix);
        let bh = band_h(self.bands.len());
        pen.rect(GROUP_X, y + 6.0, GROUP_X + 8.0, y + bh - 6.0, colour)?;
        let w = LABEL_X + LABEL_W - GROUP_X - 12.0;
        let bold = Font::new(LABEL_PX, INK).bold();
        let muted = Font::new(SMALL_PX, MUTED);
        if bh >= TWO_LINES {
            let label = text::fit(&b.label, w, LABEL_PX, true);
            pen.text(
                &label,
                GROUP_X + 14.0,
                y + bh / 2.0 - 20.0,
                bold,
                Anchor::Left,
            )?;
            let detail = text::fit(&b.detail, w, SMALL_PX, false);
            pen.text(
                &detail,
                GROUP_X + 14.0,
                y + bh / 2.0 + 20.0,
                muted,
                Anchor::Left,
            )?;
        } else {
            // One line: the name, then the counts in the room left.
            let label = text::fit(&b.label, w * 0.6, LABEL_PX, true);
            let lw = text::width(&label, LABEL_PX, true);
            pen.text(&label, GROUP_X + 14.0, y + bh / 2.0, bold, Anchor::Left)?;
            let detail = text::fit(&b.detail, w - lw - 10.0, SMALL_PX, false);
            pen.text(
                &detail,
                GROUP_X + 20.0 + lw,
                y + bh / 2.0,
                muted,
                Anchor::Left,
            )?;
        }
        let mut status = b.status(self.public);
        if bh < TWO_LINES && !status.is_empty() {
            status = vec![status.join(", ")];
        }
        for (k, s) in status.iter().enumerate() {
            let s = text::fit(s, STATUS_W + 10.0, SMALL_PX, true);
            pen.text(
                &s,
                STATUS_RIGHT,
                y + bh / 2.0
                    + if bh < TWO_LINES {
                        0.0
                    } else {
                        40.0 * k as f64 - 20.0
                    },
                Font::new(SMALL_PX, LATE).bold(),
                Anchor::Right,
            )?;
        }
        let (y0, y1) = (y + bh - 5.0, y + 5.0);
        let (Some(first), Some(last)) = (b.first, b.cleared.last().copied().or(b.first)) else {
            return Ok(());
        };
        pen.rect(
            scale.x(first),
            y1,
            scale.x_end(last.max(first)),
            y0,
            tint(colour, 0.82),
        )?;
        let steps = b.steps();
        let mut pts = vec![(scale.x(first), y0)];
        let mut share = 0.0;
        for (d, s) in &steps {
            let x = scale.x_end(*d);
            pts.push((x, y0 - share * (y0 - y1)));
            share = *s;
            pts.push((x, y0 - share * (y0 - y1)));
        }
        if let Some(&(d, _)) = steps.last() {
            pts.push((scale.x_end(d), y0));
            pen.polygon(&pts, tint(colour, 0.25))?;
        }
        if let Some(d) = b.half_day() {
            pen.diamond(scale.x_end(d), y0 - 0.5 * (y0 - y1), 5.0, INK)?;
        }
        if b.unscheduled == 0 && !b.cleared.is_empty() {
            pen.diamond(scale.x_end(last), y1 + 1.0, 10.0, INK)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{model, sample};

    fn groups(n: usize) -> Vec<Group> {
        model::groups(&sample::Sample::of(sample::plan(n, false)).ctx())
    }

    #[test]
    fn thirty_six_sites_fit_one_page() {
        let pages = paginate(&groups(36));
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].len(), 36);
        assert_eq!(paginate(&groups(37)).len(), 2);
    }

    #[test]
    fn long_programmes_split_into_pages_of_thirty_that_reopen_groups() {
        let g = groups(1000);
        let pages = paginate(&g);
        assert_eq!(pages.len(), 34);
        assert!(pages.iter().all(|p| p.len() <= PAGE_ROWS));
        assert!(pages.iter().all(|p| p[0].opens_group));
        let rows: Vec<(usize, usize)> = pages.iter().flatten().map(|r| (r.group, r.site)).collect();
        let mut expected = Vec::new();
        for (gi, grp) in g.iter().enumerate() {
            expected.extend((0..grp.sites.len()).map(|s| (gi, s)));
        }
        assert_eq!(rows, expected, "every site once, in order");
        let opens = pages.iter().flatten().filter(|r| r.opens_group).count();
        assert!(opens >= g.len() && opens <= g.len() + pages.len());
    }

    #[test]
    fn band_steps_rise_to_the_cleared_share() {
        let g = groups(50);
        let b = Band::of(
            "T1".into(),
            0,
            g.iter()
                .filter(|g| g.tier_ix == 0)
                .flat_map(|g| g.sites.iter()),
            false,
        );
        let steps = b.steps();
        assert!(steps.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        let expect = b.cleared.len() as f64 / b.total as f64;
        assert!((steps.last().unwrap().1 - expect).abs() < 1e-12);
        assert!(b.half_day().unwrap() <= *b.cleared.last().unwrap());
    }
}
