//! Charts a programme manager can put in a report: Gantt, burndown, budget
//! and crew utilisation, as PNG and SVG bytes.
//!
//! Pure: a timeline (and the plan, for names, deadlines, crews and budget)
//! goes in, `Artifact`s come out; nothing here knows how the schedule was
//! found or touches files. Each chart is built as a *model* (rows, bars,
//! pages, scales, labels: plain data, unit-tested) and then drawn with
//! plotters in pixel coordinates onto an in-memory bitmap and an SVG string
//! (`canvas`). Text uses Noto Sans compiled into the binary, so the PNGs are
//! the same bytes on every machine. See `docs/charts.md`.

mod axis;
mod budget;
mod burndown;
mod canvas;
mod crews;
mod font;
mod gantt;
pub mod model;
pub mod notes;
mod plot;
#[doc(hidden)]
pub mod sample;
mod style;
pub mod text;
mod tornado;

use chrono::NaiveDate;

pub use style::MIN_TEXT_RATIO;

use crate::artifact::{Artifact, Context};
use crate::plan::{Phase, Plan};
use crate::timeline::{Links, Timeline};
use burndown::BurndownFigure;
use gantt::{Band, Bands, Frame, Page};
use plot::VLine;

/// A chart could not be drawn or encoded. Not expected with valid input;
/// reported rather than panicking.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw chart: {0}")]
    Draw(String),
    #[error("cannot encode chart image: {0}")]
    Encode(String),
}

/// The `risk` command's chart: `tornado` (`.png` and `.svg`), what moves
/// the programme's P80 date; nothing without risk figures.
pub fn render_tornado(ctx: &Context) -> Result<Vec<Artifact>, ChartError> {
    match ctx.risk {
        Some(r) => canvas::render(
            &tornado::Tornado::new(&ctx.plan.name, r),
            &Chart::Tornado.stem(),
        ),
        None => Ok(Vec::new()),
    }
}

/// Charts to draw, as independent jobs (one per Gantt page, one per other
/// chart) that a caller may run on any threads in any order alongside
/// other work: job `i` always gives the same bytes.
pub struct Charts<'a> {
    ctx: Context<'a>,
    /// The site-by-site Gantt, laid out once for all its pages.
    gantt: Option<Gantt>,
    jobs: Vec<Chart>,
}

/// One chart of the bundle. Its kind is known where it is drawn and
/// travels with its image (`Drawn`), so nothing downstream reads it back
/// from a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// Page `page` (from 0) of the `of` pages of the Gantt by site.
    GanttPage {
        page: usize,
        of: usize,
    },
    /// The Gantt by tier and region, when the one by site runs to pages.
    GanttOverview,
    Burndown,
    Budget,
    Crews,
    /// With risk: what moves the programme's P80 date.
    Tornado,
    PublicBurndown,
    PublicGantt,
}

impl Chart {
    /// Its files' path without the extension: `gantt` (the Gantt on one
    /// page, or the overview of a paged one), `gantt-01` …, `burndown`,
    /// `budget`, `crews`, `tornado`, `public/burndown`, `public/gantt`.
    pub fn stem(self) -> String {
        match self {
            Chart::GanttPage { page, of } if of > 1 => format!("gantt-{:02}", page + 1),
            Chart::GanttPage { .. } | Chart::GanttOverview => "gantt".into(),
            Chart::Burndown => "burndown".into(),
            Chart::Budget => "budget".into(),
            Chart::Crews => "crews".into(),
            Chart::Tornado => "tornado".into(),
            Chart::PublicBurndown => "public/burndown".into(),
            Chart::PublicGantt => "public/gantt".into(),
        }
    }

    /// Whether it belongs to the publishable `public/` folder.
    pub fn is_public(self) -> bool {
        matches!(self, Chart::PublicBurndown | Chart::PublicGantt)
    }

    /// A page of a Gantt too long for one page (`gantt-01` …), which the
    /// report embeds only up to a few pages.
    pub fn is_gantt_page(self) -> bool {
        matches!(self, Chart::GanttPage { of, .. } if of > 1)
    }

    /// Its place in a report: the Gantt, the burndown, the budget, the
    /// crews, then the rest.
    pub fn rank(self) -> usize {
        match self {
            Chart::GanttPage { .. } | Chart::GanttOverview | Chart::PublicGantt => 0,
            Chart::Burndown | Chart::PublicBurndown => 1,
            Chart::Budget => 2,
            Chart::Crews => 3,
            Chart::Tornado => 9,
        }
    }

    /// Its caption in a report.
    pub fn caption(self) -> String {
        match self {
            Chart::PublicGantt => "When each tier's sites are cleared".into(),
            Chart::GanttPage { page, of } if of > 1 => format!("Gantt chart, page {}", page + 1),
            Chart::GanttPage { .. } | Chart::GanttOverview => "Gantt chart".into(),
            Chart::Burndown | Chart::PublicBurndown => "Devices still in place over time".into(),
            Chart::Budget => "Spend against the budget".into(),
            Chart::Crews => "Crew utilisation".into(),
            Chart::Tornado => "What moves the programme's P80 date".into(),
        }
    }
}

/// A chart drawn, as the reports embed it: what it is, and its PNG (its
/// bytes left empty when the report only points to it).
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub chart: Chart,
    pub png: Artifact,
}

impl Drawn {
    /// The PNG among a chart's files (`.png` and `.svg`).
    pub fn of(chart: Chart, files: &[Artifact]) -> Option<Drawn> {
        let png = files.iter().find(|a| a.path.ends_with(".png"))?;
        Some(Drawn {
            chart,
            png: png.clone(),
        })
    }
}

impl<'a> Charts<'a> {
    /// The programme office's charts: `gantt` (paged as `gantt-01` … with
    /// `gantt` an overview when too long for one page), `burndown`,
    /// `budget` and `crews` (and with risk `tornado`), each as `.png` and
    /// `.svg`.
    pub fn office(ctx: &Context<'a>) -> Charts<'a> {
        let gantt = Gantt::new(ctx);
        let of = gantt.pages.len();
        let mut jobs: Vec<Chart> = (0..of).map(|page| Chart::GanttPage { page, of }).collect();
        if of > 1 {
            jobs.push(Chart::GanttOverview);
        }
        jobs.extend([Chart::Burndown, Chart::Budget, Chart::Crews]);
        if ctx.risk.is_some() {
            jobs.push(Chart::Tornado);
        }
        Charts {
            ctx: *ctx,
            gantt: Some(gantt),
            jobs,
        }
    }

    /// The public bundle's charts, by tier only: `public/burndown` and
    /// `public/gantt` (a band per tier). No site or crew is named and no
    /// per-site count is shown: only tiers, shares, device totals and dates.
    pub fn public(ctx: &Context<'a>) -> Charts<'a> {
        Charts {
            ctx: *ctx,
            gantt: None,
            jobs: vec![Chart::PublicBurndown, Chart::PublicGantt],
        }
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// What job `i` (`0..len()`) draws.
    pub fn chart(&self, i: usize) -> Chart {
        self.jobs[i]
    }

    /// Draws job `i` (`0..len()`): its `.png` and `.svg`, named by
    /// `Chart::stem`.
    pub fn draw(&self, i: usize) -> Result<Vec<Artifact>, ChartError> {
        let ctx = &self.ctx;
        let chart = self.jobs[i];
        let stem = chart.stem();
        let gantt = || {
            self.gantt
                .as_ref()
                .ok_or_else(|| ChartError::Draw("no Gantt laid out".into()))
        };
        match chart {
            Chart::GanttPage { page, .. } => gantt()?.page(page, &stem),
            Chart::GanttOverview => gantt()?.overview(ctx, &stem),
            Chart::Burndown | Chart::PublicBurndown => {
                canvas::render(&burndown_figure(ctx, chart.is_public()), &stem)
            }
            Chart::Budget => canvas::render(&budget::figure(ctx), &stem),
            Chart::Crews => canvas::render(&crews::figure(ctx), &stem),
            Chart::Tornado => render_tornado(ctx),
            Chart::PublicGantt => render_public_gantt(ctx, &stem),
        }
    }
}

/// A short text summary of `chart` for a report to print beside it and
/// give as its alternative text: what it shows and its main message, in
/// the words the chart itself carries.
pub fn describe(ctx: &Context, chart: Chart) -> String {
    let tl = ctx.timeline;
    let public = chart.is_public();
    let notes = || -> String {
        let n: Vec<String> = notes::all(ctx).into_iter().map(|n| n.text).collect();
        if n.is_empty() {
            String::new()
        } else {
            format!(" {}.", n.join(". "))
        }
    };
    let summary = summary_words(tl, public);
    match chart {
        Chart::PublicBurndown | Chart::PublicGantt => format!("By tier: {summary}."),
        Chart::Burndown => format!("{}.{}", burndown_figure(ctx, false).subtitle, notes()),
        Chart::Tornado => tornado_words(ctx),
        Chart::Budget => format!("{}.{}", budget::figure(ctx).subtitle, notes()),
        Chart::Crews => format!("{}.", crews::figure(ctx).subtitle),
        Chart::GanttPage { .. } if chart.is_gantt_page() => {
            "Each site's phases as bars in work order (survey, \
             procurement, installation, commissioning, removal, disposal), its removal \
             complete day as a diamond, deadlines as dashed lines, late sites tinted and \
             marked in days."
                .to_string()
        }
        Chart::GanttPage { .. } | Chart::GanttOverview => format!(
            "Each site's (or group's) work from first task to removal complete, with \
             deadlines as dashed lines: {summary}."
        ),
    }
}

/// The tornado's summary: what it shows and the largest drivers.
fn tornado_words(ctx: &Context) -> String {
    let Some(r) = ctx.risk else {
        return String::new();
    };
    let top: Vec<String> = tornado::drivers(r)
        .iter()
        .take(3)
        .map(|d| {
            format!(
                "{} ({} to {} days)",
                text::clean(&d.what),
                d.low_days,
                d.high_days
            )
        })
        .collect();
    let mut w = "What moves the programme's P80 date: each uncertain figure alone at the \
                 low and the high end of its range, in days against the P80 with every \
                 figure drawn"
        .to_string();
    if top.is_empty() {
        w.push_str("; none moves it.");
    } else {
        w.push_str(&format!("; largest: {}.", top.join(", ")));
    }
    w
}

fn render_public_gantt(ctx: &Context, stem: &str) -> Result<Vec<Artifact>, ChartError> {
    // The public charts never show a baseline or per-site risk.
    let ctx = &Context {
        baseline: None,
        committed: None,
        risk: None,
        ..*ctx
    };
    let frame = frame(ctx, "when each tier's sites are cleared", true);
    let groups = model::groups(ctx);
    let bands = tier_bands(ctx.plan, &groups, true);
    let fig = Bands {
        frame: &frame,
        bands: &bands,
        note: String::new(),
        public: true,
    };
    canvas::render(&fig, stem)
}

/// `burndown-scenarios`: devices still in place over time, one line per
/// scenario, for `compare`: each scenario's name, timeline and links.
pub fn render_scenarios(
    plan: &Plan,
    scenarios: &[(String, Timeline, Links)],
) -> Result<Vec<Artifact>, ChartError> {
    let mut lines = Vec::new();
    let mut series = Vec::new();
    let mut lo = plan.start;
    let mut hi = plan.start;
    for (i, (name, tl, links)) in scenarios.iter().enumerate() {
        let b = model::burndown(plan, tl, links);
        let pts: Vec<(NaiveDate, u64)> =
            b.points.iter().map(|(d, c)| (*d, c.iter().sum())).collect();
        for (d, _) in &pts {
            lo = lo.min(*d);
            hi = hi.max(*d);
        }
        // "Complete" only when every device has a removal date.
        let rc = match (tl.summary.removal_complete, tl.summary.devices_unscheduled) {
            (_, u) if u > 0 => format!("{} devices never removed", crate::words::signed(u as i64)),
            (Some(d), _) => format!("complete {}", text::date(d)),
            (None, _) => "nothing to remove".to_string(),
        };
        series.push((
            format!("{} ({rc})", text::clean(name)),
            style::series_colour(i),
        ));
        lines.push(pts);
    }
    // Scenario lines take the series colours; deadlines stay neutral.
    let mut vlines = deadline_lines(plan);
    for l in &mut vlines {
        l.colour = style::MUTED;
    }
    for l in &vlines {
        hi = hi.max(l.day);
    }
    let fig = BurndownFigure {
        title: format!(
            "{}: devices still in place, by scenario",
            text::clean(&plan.name)
        ),
        subtitle: format!(
            "{} scenarios from {}",
            scenarios.len(),
            text::date(plan.start)
        ),
        series,
        burndown: model::Burndown {
            tiers: vec![],
            points: vec![],
        },
        stacked: false,
        lines,
        vlines,
        targets: Vec::new(),
        band: Vec::new(),
        lo,
        hi,
        fy: plan.financial_year_start,
        notes: vec![],
    };
    canvas::render(&fig, "burndown-scenarios")
}

fn deadline_lines(plan: &Plan) -> Vec<VLine> {
    model::deadlines(plan)
        .into_iter()
        .map(|m| VLine {
            day: m.day,
            label: m.label,
            // Deadlines look alike on every chart; the label names the tier.
            colour: style::DEADLINE,
            dashed: true,
        })
        .collect()
}

fn summary_words(tl: &Timeline, public: bool) -> String {
    let s = &tl.summary;
    let mut parts = vec![format!("from {}", text::date(tl.start))];
    if let Some(d) = s.removal_complete {
        parts.push(format!("removal complete {}", text::date(d)));
    }
    if !public {
        parts.push(format!("{} sites", crate::words::signed(s.sites as i64)));
        if s.sites_late > 0 {
            parts.push(format!(
                "{} late",
                crate::words::signed(s.sites_late as i64)
            ));
        }
        if s.sites_unscheduled > 0 {
            parts.push(format!(
                "{} unscheduled",
                crate::words::signed(s.sites_unscheduled as i64)
            ));
        }
    } else {
        let n = s.sites.max(1) as f64;
        if s.sites_late > 0 {
            parts.push(format!(
                "{} of sites late",
                crate::words::percent(100.0 * s.sites_late as f64 / n)
            ));
        }
        if s.sites_unscheduled > 0 {
            parts.push(format!(
                "{} of sites unscheduled",
                crate::words::percent(100.0 * s.sites_unscheduled as f64 / n)
            ));
        }
    }
    parts.join(" · ")
}

/// The timeline drawn in grey beside the forecast: the committed one when
/// given (it is what the programme answers for), else the baseline.
fn grey<'a>(ctx: &Context<'a>) -> Option<&'a Timeline> {
    ctx.committed.or(ctx.baseline)
}

fn frame(ctx: &Context, what: &str, public: bool) -> Frame {
    let (lo, mut hi) = model::date_range(ctx.plan, ctx.timeline, grey(ctx));
    let mut subtitle = summary_words(ctx.timeline, public);
    let risk = ctx.risk.filter(|_| !public);
    if let Some(r) = risk {
        hi = r
            .sites
            .iter()
            .filter_map(|s| s.p80)
            .fold(hi, NaiveDate::max);
        let at_risk = r.sites.iter().filter(|s| s.at_risk).count();
        subtitle.push_str(&format!(
            " · {} at risk · whiskers to the P80 of {} samples",
            crate::words::signed(at_risk as i64),
            crate::words::signed(r.samples as i64)
        ));
    }
    if ctx.committed.is_some() {
        subtitle.push_str(" · grey: the committed timeline");
    } else if ctx.baseline.is_some() {
        subtitle.push_str(" · grey: the baseline");
    }
    Frame {
        title: format!("{}: {what}", text::clean(&ctx.plan.name)),
        subtitle,
        lo,
        hi,
        fy: ctx.plan.financial_year_start,
        deadlines: model::deadlines(ctx.plan),
        status_date: ctx.timeline.status_date,
        has_baseline: grey(ctx).is_some(),
        has_risk: risk.is_some(),
    }
}

/// The site-by-site Gantt: its groups, pages and shared frame, laid out
/// once and drawn page by page.
struct Gantt {
    groups: Vec<model::Group>,
    pages: Vec<Vec<gantt::Row>>,
    frame: Frame,
    /// The number of the first site on each page (from 1).
    firsts: Vec<usize>,
    total: usize,
}

impl Gantt {
    fn new(ctx: &Context) -> Gantt {
        let groups = model::groups(ctx);
        let pages = gantt::paginate(&groups);
        let frame = frame(ctx, "removal timeline by site", false);
        let total: usize = groups.iter().map(|g| g.sites.len()).sum();
        let mut firsts = Vec::with_capacity(pages.len());
        let mut first = 1;
        for rows in &pages {
            firsts.push(first);
            first += rows.len();
        }
        Gantt {
            groups,
            pages,
            frame,
            firsts,
            total,
        }
    }

    /// Page `i`, as `stem` (`gantt` when the programme fits one page, else
    /// `gantt-NN`).
    fn page(&self, i: usize, stem: &str) -> Result<Vec<Artifact>, ChartError> {
        let rows = &self.pages[i];
        if self.pages.len() == 1 {
            let page = Page {
                frame: &self.frame,
                groups: &self.groups,
                rows,
                row_h: gantt::row_h(rows.len()),
                note: String::new(),
            };
            return canvas::render(&page, stem);
        }
        let note = format!(
            "page {} of {}, sites {}–{} of {}",
            i + 1,
            self.pages.len(),
            self.firsts[i],
            self.firsts[i] + rows.len() - 1,
            self.total
        );
        let page = Page {
            frame: &self.frame,
            groups: &self.groups,
            rows,
            row_h: gantt::row_h(self.total),
            note,
        };
        canvas::render(&page, stem)
    }

    /// `gantt`, the overview of a Gantt split into pages.
    fn overview(&self, ctx: &Context, stem: &str) -> Result<Vec<Artifact>, ChartError> {
        let groups = &self.groups;
        // One band per tier and region, unless that is more than a page holds.
        let (bands, what) = if groups.len() <= gantt::MAX_BANDS {
            let bands = groups
                .iter()
                .map(|g| Band::of(g.label(), g.tier_ix, g.sites.iter(), false))
                .collect();
            let by = if ctx.plan.owners.is_empty() {
                "overview by tier and region"
            } else {
                "overview by owner and tier"
            };
            (bands, by.to_string())
        } else {
            let what = format!(
                "overview by tier ({} {} groups are too many for one page)",
                groups.len(),
                if ctx.plan.owners.is_empty() {
                    "tier and region"
                } else {
                    "owner and tier"
                }
            );
            (tier_bands(ctx.plan, groups, false), what)
        };
        let overview_frame = frame_with_title(self.frame.clone(), ctx, &what);
        let fig = Bands {
            frame: &overview_frame,
            bands: &bands,
            note: format!("site by site on gantt-01 to gantt-{:02}", self.pages.len()),
            public: false,
        };
        canvas::render(&fig, stem)
    }
}

fn frame_with_title(mut f: Frame, ctx: &Context, what: &str) -> Frame {
    f.title = format!("{}: {what}", text::clean(&ctx.plan.name));
    f
}

/// One band per tier (in plan order), across regions.
fn tier_bands(plan: &Plan, groups: &[model::Group], public: bool) -> Vec<Band> {
    // Groups by owner repeat tiers; each tier is one band.
    let mut tiers: Vec<(usize, String)> =
        groups.iter().map(|g| (g.tier_ix, g.tier.clone())).collect();
    tiers.sort();
    tiers.dedup();
    tiers
        .into_iter()
        .map(|(ix, id)| {
            let name = plan
                .tiers
                .get(ix)
                .and_then(|t| t.name.as_deref())
                .map_or(id.clone(), |n| format!("{id} · {}", text::clean(n)));
            let sites = groups
                .iter()
                .filter(|g| g.tier_ix == ix)
                .flat_map(|g| g.sites.iter());
            Band::of(name, ix, sites, public)
        })
        .collect()
}

/// The risk's weekly P10–P90 of devices in place, up to and including the
/// first week in which even the P90 has every device removed.
fn risk_band(r: &crate::odds::Risk) -> Vec<crate::odds::BurnPoint> {
    let end = r
        .burndown
        .iter()
        .position(|p| p.p90 == 0)
        .map_or(r.burndown.len(), |i| i + 1);
    r.burndown[..end].to_vec()
}

/// Each target as a marker: devices in place on its day, from the removal
/// packages that finish by then.
fn target_marks(tl: &Timeline) -> Vec<burndown::TargetMark> {
    let total: u64 = tl.sites.iter().map(|s| s.devices).sum();
    tl.targets
        .iter()
        .map(|t| {
            let removed: u64 = tl
                .tasks
                .iter()
                .filter(|r| r.phase == Phase::Remove && r.finish.is_some_and(|f| f <= t.by))
                .map(|r| r.devices)
                .sum();
            burndown::TargetMark::new(t, total.saturating_sub(removed))
        })
        .collect()
}

fn burndown_figure(ctx: &Context, public: bool) -> BurndownFigure {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let b = model::burndown(plan, tl, ctx.links);
    let series = b
        .tiers
        .iter()
        .enumerate()
        .map(|(i, id)| {
            // The plan's tiers come first, in its order.
            let name = plan.tiers.get(i).and_then(|t| t.name.as_deref());
            let devices = b.points.first().map_or(0, |p| p.1[i]);
            let label = match name {
                Some(n) => format!(
                    "{} · {} ({} devices)",
                    text::clean(id),
                    text::clean(n),
                    crate::words::signed(devices as i64)
                ),
                None => format!(
                    "{} ({} devices)",
                    text::clean(id),
                    crate::words::signed(devices as i64)
                ),
            };
            (label, style::series_colour(i))
        })
        .collect();
    let mut vlines = deadline_lines(plan);
    if let Some(d) = tl.status_date {
        vlines.push(VLine {
            day: d,
            label: format!("Status {}", text::date(d)),
            colour: style::INK,
            dashed: false,
        });
    }
    // Labels are placed in date order (see `axis::place_labels`).
    vlines.sort_by_key(|l| l.day);
    let (lo, mut hi) = model::date_range(plan, tl, None);
    let targets = target_marks(tl);
    // A target after the last removal is still drawn, at its day.
    hi = targets
        .iter()
        .map(|t| t.day)
        .fold(hi.max(lo), NaiveDate::max);
    let mut subtitle = format!(
        "Exposure {} weighted device-days · {}",
        crate::words::signed(tl.summary.exposure.round() as i64),
        summary_words(tl, public)
    );
    if tl.summary.devices_unscheduled > 0 {
        subtitle.push_str(&format!(
            " · {} devices have no scheduled removal",
            crate::words::signed(tl.summary.devices_unscheduled as i64)
        ));
    }
    // With risk, the office chart shows the P10–P90 band of devices in
    // place, up to the week its P90 reaches nought.
    let band = match (ctx.risk, public) {
        (Some(r), false) => risk_band(r),
        _ => Vec::new(),
    };
    if let (Some(r), Some(last)) = (ctx.risk.filter(|_| !public), band.last()) {
        hi = hi.max(last.date);
        subtitle.push_str(&format!(
            " · grey band: the middle 80% of {} samples (P10–P90)",
            crate::words::signed(r.samples as i64)
        ));
    }
    BurndownFigure {
        band,
        title: format!(
            "{}: devices still in place, by tier",
            text::clean(&plan.name)
        ),
        subtitle,
        series,
        targets,
        burndown: b,
        stacked: true,
        lines: vec![],
        vlines,
        lo,
        hi,
        fy: plan.financial_year_start,
        // The public charts say no more than their data.
        notes: if public { vec![] } else { notes::all(ctx) },
    }
}

#[cfg(test)]
mod tests;
