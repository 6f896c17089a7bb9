//! The one validation pass: raw plan → typed `Plan`, every rule of the plan
//! format checked and every problem collected, each at its value.
//!
//! Parts that fail still produce a placeholder (region 0, the plan's start…)
//! so that indices stay aligned and later checks can run; a plan with any
//! error is never handed on.

use chrono::NaiveDate;
use std::collections::HashMap;

use super::at::At;
use super::diag::{Diagnostic, Diagnostics, Severity};
use super::locate::Seg;
use super::model::*;
use super::progress;
use super::raw::*;
use super::values::{self, Ids};
use super::Limits;
use crate::units::{Hundredths, Money, Price};

/// A site to check, from the JSON or a CSV row.
pub struct SiteIn<'a> {
    pub raw: &'a RawSite,
    pub at: At<'a>,
}

/// A progress record to check, from the plan, a JSON file or a CSV row.
pub struct ProgressIn<'a> {
    pub raw: &'a RawProgress,
    pub at: At<'a>,
}

/// Collects diagnostics; every helper returns `None` after reporting.
pub struct Checker {
    pub diags: Vec<Diagnostic>,
    /// Longest ID and name accepted (see `Limits`).
    pub max_id_chars: usize,
    pub max_name_chars: usize,
}

impl Default for Checker {
    fn default() -> Self {
        Checker::new(&Limits::default())
    }
}

impl Checker {
    pub fn new(limits: &Limits) -> Checker {
        let chars = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Checker {
            diags: Vec::new(),
            max_id_chars: chars(limits.max_id_chars),
            max_name_chars: chars(limits.max_name_chars),
        }
    }

    pub fn err(&mut self, at: &At, field: &[Seg], msg: &str) {
        self.diags.push(at.diag(field, false, Severity::Error, msg));
    }

    pub fn err_key(&mut self, at: &At, field: &[Seg], msg: &str) {
        self.diags.push(at.diag(field, true, Severity::Error, msg));
    }

    pub fn warn(&mut self, at: &At, field: &[Seg], msg: &str) {
        self.diags
            .push(at.diag(field, false, Severity::Warning, msg));
    }

    /// A diagnostic of either severity (the network's findings).
    pub fn push(&mut self, at: &At, field: &[Seg], severity: Severity, msg: &str) {
        self.diags.push(at.diag(field, false, severity, msg));
    }

    pub fn ok<T>(&mut self, at: &At, field: &[Seg], r: Result<T, String>) -> Option<T> {
        r.map_err(|m| self.err(at, field, &m)).ok()
    }

    pub fn date(&mut self, at: &At, field: &[Seg], s: &str) -> Option<NaiveDate> {
        self.ok(at, field, values::date(s))
    }

    pub fn opt_date(&mut self, at: &At, field: &[Seg], s: &Option<String>) -> Option<NaiveDate> {
        s.as_deref().and_then(|s| self.date(at, field, s))
    }

    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(|d| d.severity == Severity::Error)
    }

    /// An ID: well formed and new in its list.
    pub fn id(&mut self, at: &At, field: &[Seg], ids: &mut Ids, id: &str) {
        if let Err(m) = values::id(id, self.max_id_chars) {
            self.err(at, field, &m);
        }
        if ids.add(id).is_err() {
            self.err(at, field, &format!("duplicate ID {id:?}"));
        }
    }

    pub fn name(&mut self, at: &At, field: &[Seg], name: &Option<String>) {
        if let Some(n) = name {
            if let Err(m) = values::name(n, self.max_name_chars) {
                self.err(at, field, &m);
            }
        }
    }
}

/// Lookups built while checking, used by later parts.
struct Index {
    tiers: Ids,
    types: Ids,
    regions: Ids,
    crews: Ids,
    sites: Ids,
    owners: Ids,
}

const FALLBACK_DAY: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();

/// Checks a whole plan. `sites` are the JSON sites then the CSV rows.
pub fn plan(
    raw: &RawPlan,
    top: At,
    sites: &[SiteIn],
    progress_in: &[ProgressIn],
    limits: &Limits,
    c: &mut Checker,
) -> Option<Plan> {
    let start = c.date(&top, &[Seg::K("start")], &raw.start);
    let deadline = c.opt_date(&top, &[Seg::K("deadline")], &raw.deadline);
    let status_date = c.opt_date(&top, &[Seg::K("status_date")], &raw.status_date);
    let financial_year_start = raw
        .financial_year_start
        .as_deref()
        .and_then(|s| {
            let r = values::fy_start(s);
            c.ok(&top, &[Seg::K("financial_year_start")], r)
        })
        .unwrap_or_default();
    if raw.name.trim().is_empty() {
        c.err(&top, &[Seg::K("name")], "the programme needs a name");
    }
    c.name(&top, &[Seg::K("name")], &Some(raw.name.clone()));
    let mut ix = Index {
        tiers: Ids::new("tier"),
        types: Ids::new("device type"),
        regions: Ids::new("region"),
        crews: Ids::new("crew"),
        sites: Ids::new("site"),
        owners: Ids::new("owner"),
    };
    let calendar = calendar(raw.calendar.as_ref(), top, c);
    let workflow = workflow(raw.workflow.as_ref(), top, c);
    let tiers = tiers(raw, top, &mut ix, c);
    let device_types = device_types(raw, top, &mut ix, c);
    let regions = regions(raw, top, &mut ix, c);
    let crews = crews(raw, top, &mut ix, c);
    let owners = owners(raw, top, &mut ix, c);
    let budget = raw.budget.as_ref().map(|b| budget(b, top, c));
    let cover = cover(&crews, regions.len(), start);
    let mut site_ok = Vec::with_capacity(sites.len());
    let sites: Vec<Site> = sites
        .iter()
        .map(|s| {
            let before = c.diags.len();
            let site = site(s, &mut ix, &cover, limits, c);
            site_ok.push(c.diags.len() == before);
            site
        })
        .collect();
    if sites.is_empty() {
        c.err(
            &top,
            &[Seg::K("sites")],
            "the plan has no sites (in `sites` or `sites_csv`)",
        );
    }
    let mut plan = Plan {
        name: raw.name.clone(),
        start: start.unwrap_or(FALLBACK_DAY),
        deadline,
        currency: raw.currency.clone().unwrap_or_else(|| "GBP".into()),
        financial_year_start,
        calendar,
        workflow,
        tiers,
        device_types,
        regions,
        crews,
        budget,
        sites,
        dependencies: Vec::new(),
        status_date,
        progress: Vec::new(),
        objective: objective(raw.objective.as_deref(), top, c),
        owners,
        targets: Vec::new(),
    };
    plan.targets = super::targets::check(raw, top, &plan, &ix.tiers, &ix.owners, c);
    task_limit(&plan, top, limits, c);
    plan.dependencies = dependencies(raw, top, &plan, &ix, &site_ok, c);
    if !progress_in.is_empty() && raw.status_date.is_none() {
        c.err(
            &top,
            &[Seg::K("progress")],
            "progress is given but status_date is not; say the day it is reported as of",
        );
    }
    plan.progress = progress::check(&plan, status_date, progress_in, &site_ok, c);
    // Warnings read the plan as consistent; after an error, a reference may
    // stand in for one that did not resolve, and the warning would mislead.
    if !c.has_errors() {
        warnings(&plan, top, c);
    }
    Some(plan)
}

/// The plan's `objective`; an unknown name is an error that suggests the
/// nearest known one.
fn objective(raw: Option<&str>, top: At, c: &mut Checker) -> Objective {
    let Some(given) = raw else {
        return Objective::default();
    };
    if let Some(o) = Objective::ALL.into_iter().find(|o| o.as_str() == given) {
        return o;
    }
    let known: Vec<String> = Objective::ALL.iter().map(|o| o.as_str().into()).collect();
    let hint = match values::suggest(given, &known) {
        Some(s) => format!("; did you mean {s:?}?"),
        None => format!("; use one of {}", known.join(", ")),
    };
    c.err(
        &top,
        &[Seg::K("objective")],
        &format!("{given:?} is not an objective{hint}"),
    );
    Objective::default()
}

fn calendar(raw: Option<&RawCalendar>, top: At, c: &mut Checker) -> Calendar {
    let mut cal = Calendar::default();
    let Some(raw) = raw else { return cal };
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if let Some(w) = &raw.workdays {
        cal.workdays = [false; 7];
        for (i, d) in w.iter().enumerate() {
            let f = [Seg::K("calendar"), Seg::K("workdays"), Seg::I(i)];
            match DAYS.iter().position(|x| x == d) {
                Some(k) if cal.workdays[k] => c.err(&top, &f, &format!("{d:?} is listed twice")),
                Some(k) => cal.workdays[k] = true,
                None => c.err(
                    &top,
                    &f,
                    &format!("{d:?} is not a weekday; use mon, tue, wed, thu, fri, sat, sun"),
                ),
            }
        }
        if w.is_empty() {
            c.err(
                &top,
                &[Seg::K("calendar"), Seg::K("workdays")],
                "no working weekdays: no crew could ever work",
            );
        }
    }
    for (i, h) in raw.holidays.iter().enumerate() {
        let f = [Seg::K("calendar"), Seg::K("holidays"), Seg::I(i)];
        if let Some(d) = c.date(&top, &f, h) {
            cal.holidays.insert(d);
        }
    }
    cal
}

fn workflow(raw: Option<&RawWorkflow>, top: At, c: &mut Checker) -> Workflow {
    let mut wf = Workflow::default();
    let Some(raw) = raw else { return wf };
    let days = |name: &'static str, v: Option<f64>, slot: &mut u32, c: &mut Checker| {
        if let Some(v) = v {
            let f = [Seg::K("workflow"), Seg::K(name)];
            if let Some(d) = c.ok(&top, &f, values::days(v)) {
                *slot = d;
            }
        }
    };
    days("survey_days", raw.survey_days, &mut wf.survey_days, c);
    days(
        "commission_days",
        raw.commission_days,
        &mut wf.commission_days,
        c,
    );
    days("disposal_days", raw.disposal_days, &mut wf.disposal_days, c);
    if let Some(v) = raw.package_size {
        let f = [Seg::K("workflow"), Seg::K("package_size")];
        match c.ok(&top, &f, values::count(v, 1_000_000)) {
            Some(0) => c.err(&top, &f, "0: a package holds at least 1 device"),
            Some(n) => wf.package_size = n as u32,
            None => {}
        }
    }
    if let Some(v) = raw.hours_per_day {
        let f = [Seg::K("workflow"), Seg::K("hours_per_day")];
        match c.ok(&top, &f, values::hours(v)) {
            Some(h) if h.0 == 0 => c.err(&top, &f, "0: a working day needs some hours"),
            Some(h) if h.0 > 2400 => c.err(
                &top,
                &f,
                &format!("{} hours do not fit in one day", values::show(v)),
            ),
            Some(h) => wf.hours_per_day = h,
            None => {}
        }
    }
    let f = [Seg::K("workflow"), Seg::K("effort_range")];
    wf.effort_range = super::ranges::effort(&raw.effort_range, &top, &f, c);
    wf
}

/// Reports an empty required list at the list.
fn need_one(top: At, field: &'static str, len: usize, what: &str, c: &mut Checker) {
    if len == 0 {
        c.err(
            &top,
            &[Seg::K(field)],
            &format!("at least one {what} is needed"),
        );
    }
}

fn tiers(raw: &RawPlan, top: At, ix: &mut Index, c: &mut Checker) -> Vec<Tier> {
    need_one(top, "tiers", raw.tiers.len(), "tier", c);
    let mut out = Vec::new();
    for (i, t) in raw.tiers.iter().enumerate() {
        let f = |k| [Seg::K("tiers"), Seg::I(i), Seg::K(k)];
        c.id(&top, &f("id"), &mut ix.tiers, &t.id);
        c.name(&top, &f("name"), &t.name);
        if !(t.weight.is_finite() && t.weight > 0.0 && t.weight <= 1e9) {
            c.err(
                &top,
                &f("weight"),
                &format!(
                    "{} is not a weight; it must be > 0 (and at most 1e9)",
                    values::show(t.weight)
                ),
            );
        }
        out.push(Tier {
            id: t.id.clone(),
            name: t.name.clone(),
            weight: t.weight,
            deadline: c.opt_date(&top, &f("deadline"), &t.deadline),
        });
    }
    out
}

fn device_types(raw: &RawPlan, top: At, ix: &mut Index, c: &mut Checker) -> Vec<DeviceType> {
    need_one(
        top,
        "device_types",
        raw.device_types.len(),
        "device type",
        c,
    );
    let mut out = Vec::new();
    for (i, d) in raw.device_types.iter().enumerate() {
        let f = |k| [Seg::K("device_types"), Seg::I(i), Seg::K(k)];
        c.id(&top, &f("id"), &mut ix.types, &d.id);
        c.name(&top, &f("name"), &d.name);
        let price = |k, v: Option<f64>, c: &mut Checker| {
            v.and_then(|v| c.ok(&top, &f(k), values::price(v)))
                .unwrap_or(Price::ZERO)
        };
        let unit_cost = price("unit_cost", d.unit_cost, c);
        let disposal_cost = price("disposal_cost", d.disposal_cost, c);
        let hours = |k, v: Option<f64>, c: &mut Checker| {
            v.and_then(|v| c.ok(&top, &f(k), values::hours(v)))
                .unwrap_or(Hundredths(0))
        };
        let install_hours = hours("install_hours", d.install_hours, c);
        let remove_hours = hours("remove_hours", d.remove_hours, c);
        let lead_time_days = d
            .lead_time_days
            .and_then(|v| c.ok(&top, &f("lead_time_days"), values::days(v)))
            .unwrap_or(0);
        let lead_time_range_days = super::ranges::lead_time(
            &d.lead_time_range_days,
            lead_time_days,
            &top,
            &f("lead_time_range_days"),
            c,
        );
        out.push(DeviceType {
            id: d.id.clone(),
            name: d.name.clone(),
            replace: d.replace.unwrap_or(true),
            unit_cost,
            install_hours,
            remove_hours,
            lead_time_days,
            disposal_cost,
            lead_time_range_days,
        });
    }
    out
}

fn regions(raw: &RawPlan, top: At, ix: &mut Index, c: &mut Checker) -> Vec<Region> {
    need_one(top, "regions", raw.regions.len(), "region", c);
    let mut out = Vec::new();
    for (i, r) in raw.regions.iter().enumerate() {
        let f = |k| [Seg::K("regions"), Seg::I(i), Seg::K(k)];
        c.id(&top, &f("id"), &mut ix.regions, &r.id);
        c.name(&top, &f("name"), &r.name);
        out.push(Region {
            id: r.id.clone(),
            name: r.name.clone(),
        });
    }
    out
}

fn owners(raw: &RawPlan, top: At, ix: &mut Index, c: &mut Checker) -> Vec<Owner> {
    let mut out = Vec::new();
    for (i, o) in raw.owners.iter().enumerate() {
        let f = |k| [Seg::K("owners"), Seg::I(i), Seg::K(k)];
        c.id(&top, &f("id"), &mut ix.owners, &o.id);
        c.name(&top, &f("name"), &o.name);
        out.push(Owner {
            id: o.id.clone(),
            name: o.name.clone(),
        });
    }
    out
}

fn crews(raw: &RawPlan, top: At, ix: &mut Index, c: &mut Checker) -> Vec<Crew> {
    need_one(top, "crews", raw.crews.len(), "crew", c);
    let mut out = Vec::new();
    for (i, w) in raw.crews.iter().enumerate() {
        let f = |k| [Seg::K("crews"), Seg::I(i), Seg::K(k)];
        c.id(&top, &f("id"), &mut ix.crews, &w.id);
        let region = c
            .ok(&top, &f("region"), reference(&ix.regions, &w.region))
            .flatten()
            .unwrap_or(0);
        let day_rate = w
            .day_rate
            .and_then(|v| c.ok(&top, &f("day_rate"), values::money(v)))
            .unwrap_or(Money::ZERO);
        out.push(Crew {
            id: w.id.clone(),
            region: RegionIx::from(region),
            cleared: w.cleared.unwrap_or(false),
            day_rate,
            available_from: c.opt_date(&top, &f("available_from"), &w.available_from),
            available_to: c.opt_date(&top, &f("available_to"), &w.available_to),
        });
    }
    out
}

fn budget(raw: &RawBudget, top: At, c: &mut Checker) -> Budget {
    let mut periods: Vec<(usize, BudgetPeriod)> = Vec::new();
    for (i, p) in raw.periods.iter().enumerate() {
        let f = |k| [Seg::K("budget"), Seg::K("periods"), Seg::I(i), Seg::K(k)];
        let from = c.date(&top, &f("from"), &p.from);
        let to = c.date(&top, &f("to"), &p.to);
        let amount = c.ok(&top, &f("amount"), values::money(p.amount));
        let (Some(from), Some(to), Some(amount)) = (from, to, amount) else {
            continue;
        };
        if to < from {
            c.err(
                &top,
                &f("to"),
                &format!("the period ends ({to}) before it starts ({from})"),
            );
            continue;
        }
        periods.push((i, BudgetPeriod { from, to, amount }));
    }
    periods.sort_by_key(|(_, p)| (p.from, p.to));
    for w in periods.windows(2) {
        let ((a, pa), (b, pb)) = (&w[0], &w[1]);
        if pb.from <= pa.to {
            c.err(
                &top,
                &[
                    Seg::K("budget"),
                    Seg::K("periods"),
                    Seg::I(*b),
                    Seg::K("from"),
                ],
                &format!(
                    "period {}..{} overlaps budget.periods[{a}] ({}..{})",
                    pb.from, pb.to, pa.from, pa.to
                ),
            );
        }
    }
    Budget {
        carry_over: raw.carry_over.unwrap_or(false),
        periods: periods.into_iter().map(|(_, p)| p).collect(),
    }
}

/// Per region: whether it has any crew that is ever available, and any
/// such cleared crew; and how many crews it lists at all.
#[derive(Debug, Clone, Copy, Default)]
struct RegionCover {
    any: bool,
    cleared: bool,
    listed: usize,
}

type Cover = Vec<RegionCover>;

/// A crew is never available when its window closes before the programme
/// starts or before it opens: such a crew covers no site.
fn cover(crews: &[Crew], regions: usize, start: Option<NaiveDate>) -> Cover {
    let mut cover = vec![RegionCover::default(); regions];
    for w in crews {
        let never = w.available_to.is_some_and(|to| {
            start.is_some_and(|s| to < s) || w.available_from.is_some_and(|f| to < f)
        });
        if let Some(e) = cover.get_mut(w.region.ix()) {
            e.listed += 1;
            e.any |= !never;
            e.cleared |= w.cleared && !never;
        }
    }
    cover
}

fn site(s: &SiteIn, ix: &mut Index, cover: &Cover, limits: &Limits, c: &mut Checker) -> Site {
    let (raw, at) = (s.raw, &s.at);
    c.id(at, &[Seg::K("id")], &mut ix.sites, &raw.id);
    c.name(at, &[Seg::K("name")], &raw.name);
    let region = c
        .ok(at, &[Seg::K("region")], reference(&ix.regions, &raw.region))
        .flatten();
    let tier = c
        .ok(at, &[Seg::K("tier")], reference(&ix.tiers, &raw.tier))
        .flatten()
        .unwrap_or(0);
    let mut devices = Vec::new();
    for (t, &n) in &raw.devices {
        let f = [Seg::K("devices"), Seg::K(t)];
        let ty = match ix.types.get(t) {
            Ok(ty) => Some(ty),
            Err(m) => {
                c.err_key(at, &f, &m);
                None
            }
        };
        let n = c.ok(at, &f, values::count(n, u64::MAX >> 11));
        if let (Some(ty), Some(n)) = (ty, n) {
            if n > 0 {
                devices.push((DeviceTypeIx::from(ty), n));
            }
        }
    }
    // Packages follow device type IDs in string order.
    devices.sort_by(|a, b| ix_id(ix, a.0).cmp(ix_id(ix, b.0)));
    let cleared_only = raw.cleared_only.unwrap_or(false);
    let count = devices.iter().fold(0u64, |a, d| a.saturating_add(d.1));
    if count > limits.max_site_devices {
        c.err(
            at,
            &[Seg::K("devices")],
            &format!(
                "the site has {count} devices, more than the limit of {} (raise it with {})",
                limits.max_site_devices,
                super::ENV_MAX_SITE_DEVICES
            ),
        );
        // Kept out, so that no later sum can overflow.
        devices.clear();
    }
    if let Some(r) = region {
        crew_cover(at, &raw.region, cover[r], cleared_only, count, c);
    }
    let owner = raw.owner.as_ref().and_then(|o| {
        if ix.owners.is_empty() {
            let m = format!("owner {o:?} is not in `owners`, which the plan does not give");
            c.err(at, &[Seg::K("owner")], &m);
            return None;
        }
        c.ok(at, &[Seg::K("owner")], ix.owners.get(o))
    });
    Site {
        id: raw.id.clone(),
        name: raw.name.clone(),
        region: RegionIx::from(region.unwrap_or(0)),
        tier: TierIx::from(tier),
        devices,
        cleared_only,
        not_before: c.opt_date(at, &[Seg::K("not_before")], &raw.not_before),
        deadline: c.opt_date(at, &[Seg::K("deadline")], &raw.deadline),
        blackouts: blackouts(s, c),
        owner: owner.map(OwnerIx::from),
    }
}

/// A reference into a list; `Ok(None)` when the list itself is empty (that
/// is reported once, at the list).
fn reference(ids: &Ids, id: &str) -> Result<Option<usize>, String> {
    if ids.is_empty() {
        return Ok(None);
    }
    ids.get(id).map(Some)
}

fn ix_id(ix: &Index, t: DeviceTypeIx) -> &str {
    ix.types.id(t.ix())
}

/// A site with devices needs a crew of its region, cleared where it must be.
fn crew_cover(
    at: &At,
    region_id: &str,
    cover: RegionCover,
    cleared_only: bool,
    devices: u64,
    c: &mut Checker,
) {
    if devices == 0 {
        return;
    }
    if !cover.any && cover.listed > 0 {
        c.err(
            at,
            &[Seg::K("region")],
            &format!(
                "no crew of region {region_id:?} is ever available (each one's available_to \
                 falls before the programme starts or before its available_from), so the \
                 site's devices can never be removed"
            ),
        );
    } else if !cover.any {
        c.err(
            at,
            &[Seg::K("region")],
            &format!(
                "no crew works in region {region_id:?}, so the site's devices can never be removed"
            ),
        );
    } else if cleared_only && !cover.cleared {
        c.err(
            at,
            &[Seg::K("cleared_only")],
            &format!("the site needs a cleared crew, but region {region_id:?} has none"),
        );
    }
}

fn blackouts(s: &SiteIn, c: &mut Checker) -> Vec<DateRange> {
    let mut out = Vec::new();
    for (i, b) in s.raw.blackouts.iter().enumerate() {
        let f = |k| [Seg::K("blackouts"), Seg::I(i), Seg::K(k)];
        let from = c.date(&s.at, &f("from"), &b.from);
        let to = c.date(&s.at, &f("to"), &b.to);
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                c.err(
                    &s.at,
                    &f("to"),
                    &format!("the blackout ends ({to}) before it starts ({from})"),
                );
            } else {
                out.push(DateRange { from, to });
            }
        }
    }
    out.sort();
    out
}

/// Refuses plans that would expand into more tasks than the limit allows.
fn task_limit(plan: &Plan, top: At, limits: &Limits, c: &mut Checker) {
    let total = plan.task_count();
    if total > limits.max_tasks {
        c.err(
            &top,
            &[],
            &format!(
                "the plan expands to {total} tasks, more than the limit of {} (raise it with {})",
                limits.max_tasks,
                super::ENV_MAX_TASKS
            ),
        );
    }
}

/// `"SITE/PHASE"` of a dependency.
fn phase_ref(
    s: &str,
    plan: &Plan,
    ix: &Index,
    site_ok: &[bool],
) -> Result<(PhaseRef, bool), String> {
    let Some((site, phase)) = s.split_once('/') else {
        return Err(format!("{s:?} is not SITE/PHASE"));
    };
    let site = ix.sites.get(site)?;
    let Some(phase) = Phase::parse(phase) else {
        return Err(progress::not_a_phase(phase));
    };
    let r = PhaseRef {
        site: SiteIx::from(site),
        phase,
    };
    if site_ok[site] && plan.phase_task_count(r.site, phase) == 0 {
        return Err(missing_phase(plan, r));
    }
    Ok((r, site_ok[site]))
}

/// Why a site has no task of a phase, in the manager's terms.
pub fn missing_phase(plan: &Plan, r: PhaseRef) -> String {
    let site = &plan.sites[r.site.ix()];
    let why = if site.device_count() == 0 {
        "it has no devices"
    } else {
        match r.phase {
            Phase::Survey => "workflow.survey_days is 0",
            Phase::Dispose => "workflow.disposal_days is 0",
            Phase::Commission if plan.phase_task_count(r.site, Phase::Procure) > 0 => {
                "workflow.commission_days is 0"
            }
            _ => "none of its devices is replaced",
        }
    };
    format!("site {:?} has no {} task: {why}", site.id, r.phase.as_str())
}

fn dependencies(
    raw: &RawPlan,
    top: At,
    plan: &Plan,
    ix: &Index,
    site_ok: &[bool],
    c: &mut Checker,
) -> Vec<Dependency> {
    let mut out = Vec::new();
    for (i, d) in raw.dependencies.iter().enumerate() {
        let f = |k| [Seg::K("dependencies"), Seg::I(i), Seg::K(k)];
        let from = c.ok(&top, &f("from"), phase_ref(&d.from, plan, ix, site_ok));
        let to = c.ok(&top, &f("to"), phase_ref(&d.to, plan, ix, site_ok));
        let lag_days = d
            .lag_days
            .and_then(|v| c.ok(&top, &f("lag_days"), values::days(v)))
            .unwrap_or(0);
        let (Some((from, _)), Some((to, _))) = (from, to) else {
            continue;
        };
        if from.site == to.site {
            c.err(
                &top,
                &f("to"),
                &format!(
                    "{:?} is at the same site as {:?}; dependencies link two different sites",
                    d.to, d.from
                ),
            );
            continue;
        }
        out.push(Dependency { from, to, lag_days });
    }
    out
}

/// Things that do not stop the plan but are probably not meant.
fn warnings(plan: &Plan, top: At, c: &mut Checker) {
    tier_and_crew_warnings(plan, top, c);
    if plan.budget.as_ref().is_some_and(|b| b.periods.is_empty()) {
        c.warn(
            &top,
            &[Seg::K("budget"), Seg::K("periods")],
            "the budget has no periods, so no money can ever be committed; leave `budget` out for unlimited money",
        );
    }
    let early = |d: Option<NaiveDate>| d.filter(|&d| d < plan.start);
    if let Some(d) = early(plan.deadline) {
        c.warn(
            &top,
            &[Seg::K("deadline")],
            &format!(
                "{d} is before the programme starts ({}): every site will be late",
                plan.start
            ),
        );
    }
    for (i, t) in plan.tiers.iter().enumerate() {
        if let Some(d) = early(t.deadline) {
            c.warn(
                &top,
                &[Seg::K("tiers"), Seg::I(i), Seg::K("deadline")],
                &format!("{d} is before the programme starts ({})", plan.start),
            );
        }
    }
}

fn tier_and_crew_warnings(plan: &Plan, top: At, c: &mut Checker) {
    let mut tier_used = vec![false; plan.tiers.len()];
    let mut region_sites: HashMap<usize, (bool, bool)> = HashMap::new();
    for s in &plan.sites {
        if let Some(u) = tier_used.get_mut(s.tier.ix()) {
            *u = true;
        }
        let e = region_sites.entry(s.region.ix()).or_default();
        e.0 |= s.device_count() > 0;
        e.1 |= s.device_count() > 0 && !s.cleared_only;
    }
    for (i, used) in tier_used.iter().enumerate() {
        if !used {
            c.warn(
                &top,
                &[Seg::K("tiers"), Seg::I(i), Seg::K("id")],
                &format!("tier {:?} has no sites", plan.tiers[i].id),
            );
        }
    }
    for (i, w) in plan.crews.iter().enumerate() {
        let f = |k| [Seg::K("crews"), Seg::I(i), Seg::K(k)];
        let work = region_sites
            .get(&w.region.ix())
            .copied()
            .unwrap_or_default();
        let never = |m: String, k, c: &mut Checker| {
            c.warn(&top, &f(k), &format!("crew {:?} can never work: {m}", w.id))
        };
        if !work.0 {
            let r = &plan.regions[w.region.ix()].id;
            never(
                format!("region {r:?} has no site with devices"),
                "region",
                c,
            );
        } else if !w.cleared && !work.1 {
            never(
                "every site of its region is cleared_only".into(),
                "cleared",
                c,
            );
        }
        if let Some(to) = w.available_to {
            if to < plan.start {
                never(
                    format!(
                        "available_to {to} is before the programme starts ({})",
                        plan.start
                    ),
                    "available_to",
                    c,
                );
            } else if w.available_from.is_some_and(|f| to < f) {
                never(
                    "available_to is before available_from".into(),
                    "available_to",
                    c,
                );
            }
        }
    }
}

/// Errors first then warnings, each group in file order.
pub fn finish(c: Checker, plan: Option<Plan>) -> Result<super::Loaded, Diagnostics> {
    let mut diags = c.diags;
    diags.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    let (errors, warnings): (Vec<_>, Vec<_>) = diags
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    match plan {
        Some(plan) if errors.is_empty() => Ok(super::Loaded {
            plan,
            warnings,
            files: Vec::new(),
        }),
        _ => Err(Diagnostics(errors)),
    }
}
