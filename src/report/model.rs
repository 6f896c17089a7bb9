//! The programme office's report as a `Document`: headline, key figures,
//! re-plan, milestones by tier, charts, every site, spend against the budget
//! and the assumptions behind the schedule.

use std::collections::BTreeMap;

use crate::artifact::Context;
use crate::chart::{Chart, Drawn};
use crate::plan::Plan;
use crate::timeline::{by_site_id, Status, Timeline};
use crate::units::Money;

use super::doc::{Block, ChartRef, Document, Section, Table};
use super::milestones::Milestones;
use super::public;
use super::standing::{self, Standing};
use crate::words;

/// The full report. `reasons`: one per timeline site, why it is late.
pub fn document(ctx: &Context, charts: &[Drawn], reasons: &[Option<String>]) -> Document {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let st = standing::compute(plan, tl);
    let mut sections = vec![
        key_figures(plan, tl, &st),
        public::dates_section(&st, false),
    ];
    sections.extend(replan(ctx));
    if let Some(c) = ctx.committed {
        sections.push(super::committed::section(plan, tl, c));
    }
    sections.extend(super::commitments::targets_section(plan, tl));
    sections.extend(super::commitments::owners_section(plan, tl));
    sections.push(milestone_section(&st.milestones, true));
    // The tornado goes with the risk section.
    let refs: Vec<(Chart, ChartRef)> = chart_refs(ctx, charts, false)
        .into_iter()
        .filter(|(c, _)| *c != Chart::Tornado)
        .collect();
    if !refs.is_empty() {
        sections.push(Section {
            title: "Charts".into(),
            blocks: chart_blocks(refs),
        });
    }
    sections.push(site_section(ctx, reasons));
    if let Some(r) = ctx.risk {
        sections.push(super::risk::section(ctx, r, charts));
    }
    sections.push(spend_section(plan, tl));
    sections.push(assumptions(plan));
    Document {
        title: plan.name.clone(),
        subtitle: subtitle(tl),
        headline: match ctx.risk {
            Some(r) => format!("{} {}", st.headline(), super::risk::headline(plan, r)),
            None => st.headline(),
        },
        sections,
    }
}

pub fn subtitle(tl: &Timeline) -> String {
    match tl.status_date {
        Some(sd) => format!(
            "Removal timeline, re-planned as of {} (programme start {})",
            words::long_date(sd),
            words::long_date(tl.start)
        ),
        None => format!("Removal timeline from {}", words::long_date(tl.start)),
    }
}

fn key_figures(plan: &Plan, tl: &Timeline, st: &Standing) -> Section {
    let s = &tl.summary;
    let mut items: Vec<String> = st.deadline_line().into_iter().collect();
    items.extend(st.targets_line());
    items.push(st.removal_line());
    if let (true, Some(d)) = (st.unscheduled > 0, s.removal_complete) {
        items.push(format!(
            "Removal complete at every scheduled site: {}",
            words::date(d)
        ));
    }
    items.extend([
        format!(
            "Last task (secure disposal) finishes: {}",
            words::opt_date(s.finish)
        ),
        crate::words::capitalise(&st.late_phrase()),
        format!(
            "Devices: {}, of which with no removal date: {}",
            words::int(tl.sites.iter().map(|x| x.devices).sum()),
            words::int(s.devices_unscheduled)
        ),
        format!(
            "Total cost: {}",
            words::money_f64(s.total_cost, &plan.currency)
        ),
    ]);
    if s.stranded_cost > 0.0 {
        items.push(format!(
            "Committed to sites whose removal has no date: {}",
            words::money_f64(s.stranded_cost, &plan.currency)
        ));
    }
    items.push(format!(
        "Exposure (tier weight × devices × days in place): {}{}",
        words::int(s.exposure.max(0.0).round() as u64),
        standing::exposure_note(s.devices_unscheduled)
    ));
    items.push(format!(
        "How this schedule was chosen: {}",
        plan.objective.sentence()
    ));
    Section {
        title: "Key figures".into(),
        blocks: vec![Block::List(items)],
    }
}

/// Re-plan facts: the status date, what has happened, what moved.
fn replan(ctx: &Context) -> Option<Section> {
    let tl = ctx.timeline;
    let sd = tl.status_date?;
    let count = |st: Status| tl.tasks.iter().filter(|t| t.status == st).count() as u64;
    let mut items = vec![
        format!("Progress as reported on {}", words::long_date(sd)),
        format!(
            "Tasks done: {}; in progress: {}; planned: {}; with no date: {}",
            words::int(count(Status::Done)),
            words::int(count(Status::InProgress)),
            words::int(count(Status::Planned)),
            words::int(count(Status::Unscheduled))
        ),
    ];
    if let Some(base) = ctx.baseline {
        items.extend(baseline_moves(base, tl));
    }
    if let Some(c) = ctx.committed {
        items.push(committed_moves(c, tl, &ctx.plan.currency));
    }
    Some(Section {
        title: "Re-plan".into(),
        blocks: vec![Block::List(items)],
    })
}

/// One line against the committed timeline (its own section has the detail).
fn committed_moves(committed: &Timeline, tl: &Timeline, currency: &str) -> String {
    let v = super::committed::site_variance(tl, committed);
    let later: Vec<i64> = v.iter().filter_map(|s| s.slip).filter(|&d| d > 0).collect();
    let undated = v.iter().filter(|s| s.slip.is_none()).count() as u64;
    let cost: Money =
        v.iter().map(|s| s.cost).sum::<Money>() - v.iter().map(|s| s.committed_cost).sum::<Money>();
    format!(
        "Against the committed timeline: {} later (by up to {}), {} with no date; cost {} against it",
        words::count(later.len() as u64, "site", "sites"),
        words::count(later.iter().max().copied().unwrap_or(0) as u64, "day", "days"),
        words::int(undated),
        words::money(cost, currency)
    )
}

fn baseline_moves(base: &Timeline, tl: &Timeline) -> Vec<String> {
    let mut items = vec![format!(
        "Removal complete everywhere: {} in the baseline, now {}",
        words::opt_date(base.summary.removal_complete),
        words::opt_date(tl.summary.removal_complete)
    )];
    let before = by_site_id(base);
    let (mut later, mut earlier) = (0u64, 0u64);
    for s in &tl.sites {
        if let Some(old) = before.site(&s.id).and_then(|b| b.removal_complete) {
            match s.removal_complete {
                Some(new) if new > old => later += 1,
                Some(new) if new < old => earlier += 1,
                None => later += 1,
                _ => {}
            }
        }
    }
    items.push(format!(
        "Sites whose removal moved later: {}; earlier: {}",
        words::int(later),
        words::int(earlier)
    ));
    items
}

/// Milestones by tier: one row per quarter end, shares of sites and devices.
pub fn milestone_section(m: &Milestones, totals: bool) -> Section {
    let mut header = vec!["Quarter end".to_string()];
    for t in &m.tiers {
        header.push(format!("{}: sites", crate::words::capitalise(&t.short)));
        header.push(format!("{}: devices", crate::words::capitalise(&t.short)));
    }
    let n = header.len();
    let mut table = Table {
        header,
        numeric: (0..n).map(|i| i > 0).collect(),
        nowrap: vec![true],
        rows: Vec::new(),
    };
    for (q, &qe) in m.quarters.iter().enumerate() {
        let mut cells = vec![words::date(qe)];
        for t in &m.tiers {
            let (s, d) = t.cleared[q];
            cells.push(words::pct(s, t.sites));
            cells.push(words::pct(d, t.devices));
        }
        table.push(cells, false);
    }
    let total_lines: Vec<String> = m
        .tiers
        .iter()
        .map(|t| {
            format!(
                "{}: {}, {}",
                t.title(),
                words::count(t.sites, "site", "sites"),
                words::count(t.devices, "device", "devices")
            )
        })
        .collect();
    Section {
        title: "Milestones by tier".into(),
        blocks: vec![
            Block::Para(
                "Share of sites, and of devices, whose removal is complete by each quarter end."
                    .into(),
            ),
            Block::Table(table),
        ]
        .into_iter()
        .chain(totals.then_some(Block::List(total_lines)))
        .collect(),
    }
}

/// The charts among `charts` for one audience (`public`: those under
/// `public/`, with paths relative to that folder), in reading order.
pub fn chart_refs(ctx: &Context, charts: &[Drawn], public: bool) -> Vec<(Chart, ChartRef)> {
    // Pages the document leaves out (`chart_blocks`) are not copied: at
    // 10,000 sites they are 250 images.
    let pages = charts.iter().filter(|d| d.chart.is_gantt_page()).count();
    let pages_left_out = !public && pages > MAX_GANTT_PAGES;
    let mut refs: Vec<(Chart, ChartRef)> = charts
        .iter()
        .filter(|d| d.chart.is_public() == public)
        .map(|d| {
            let path = &d.png.path;
            let rel = path.strip_prefix("public/").unwrap_or(path);
            let left_out = pages_left_out && d.chart.is_gantt_page();
            let r = ChartRef {
                path: rel.to_string(),
                caption: d.chart.caption(),
                summary: crate::chart::describe(ctx, d.chart),
                png: if left_out {
                    Vec::new()
                } else {
                    d.png.bytes.clone()
                },
            };
            (d.chart, r)
        })
        .collect();
    refs.sort_by(|a, b| (a.0.rank(), &a.1.path).cmp(&(b.0.rank(), &b.1.path)));
    refs
}

/// Gantt pages beyond this stay beside the report instead of inside it:
/// a thousand-site Gantt would make a 20 MB page nobody prints.
pub const MAX_GANTT_PAGES: usize = 4;

/// The charts, with a long Gantt's pages left out and pointed to.
fn chart_blocks(refs: Vec<(Chart, ChartRef)>) -> Vec<Block> {
    let pages: Vec<String> = refs
        .iter()
        .filter(|(c, _)| c.is_gantt_page())
        .map(|(_, r)| r.path.clone())
        .collect();
    if pages.len() <= MAX_GANTT_PAGES {
        return vec![Block::Charts(refs.into_iter().map(|(_, r)| r).collect())];
    }
    let kept = refs
        .into_iter()
        .filter(|(c, _)| !c.is_gantt_page())
        .map(|(_, r)| r)
        .collect();
    let (first, last) = (&pages[0], &pages[pages.len() - 1]);
    vec![
        Block::Para(format!(
            "The Gantt chart by site runs to {} pages; they are beside this report as {first} to {last}. \
             The overview below shows each tier and region.",
            pages.len()
        )),
        Block::Charts(kept),
    ]
}

fn site_section(ctx: &Context, reasons: &[Option<String>]) -> Section {
    let (plan, tl) = (ctx.plan, ctx.timeline);
    let mut table = Table::new(
        &[
            "Site",
            "Tier",
            "Region",
            "Devices",
            "Removal complete",
            "Deadline",
            "Days late",
            "Reason",
        ],
        &[false, false, false, true, false, false, true, false],
    );
    table.nowrap = vec![false, true, false, true, true, true, true, false];
    let mut order: Vec<usize> = (0..tl.sites.len()).collect();
    order.sort_by_key(|&i| {
        let s = &tl.sites[i];
        (
            plan.sites[i].tier,
            s.removal_complete.is_none(),
            s.removal_complete,
            i,
        )
    });
    for i in order {
        let (s, site) = ctx.site(i);
        let name = words::site_label(site);
        let late =
            s.late_days.is_some_and(|d| d > 0) || (s.devices > 0 && s.removal_complete.is_none());
        let days_late = match s.late_days {
            Some(d) => words::signed(d),
            None if s.devices > 0 => "no date".into(),
            None => "–".into(),
        };
        let reason = reasons.get(i).cloned().flatten().unwrap_or_default();
        table.push(
            vec![
                name,
                s.tier.clone(),
                words::region_label(&plan.regions[site.region.ix()]),
                words::int(s.devices),
                words::opt_date(s.removal_complete),
                words::opt_date(s.deadline),
                days_late,
                reason,
            ],
            late,
        );
    }
    Section {
        title: "Sites".into(),
        blocks: vec![
            Block::Para(
                "By tier, then by the day removal is complete; late sites are marked.".into(),
            ),
            Block::Table(table),
        ],
    }
}

/// Money committed per budget period (costs are committed on a task's start day).
pub fn committed_by_period(plan: &Plan, tl: &Timeline) -> Option<(Vec<Money>, Money)> {
    let budget = plan.budget.as_ref()?;
    let mut per = vec![Money::ZERO; budget.periods.len()];
    let mut outside = Money::ZERO;
    for t in &tl.tasks {
        let (Some(start), Some(cost)) = (t.start, t.cost) else {
            continue;
        };
        let cost = Money::from_f64(cost).unwrap_or(Money::ZERO);
        match budget
            .periods
            .iter()
            .position(|p| p.from <= start && start <= p.to)
        {
            Some(p) => per[p] += cost,
            None => outside += cost,
        }
    }
    Some((per, outside))
}

fn spend_section(plan: &Plan, tl: &Timeline) -> Section {
    let cur = &plan.currency;
    let Some(budget) = plan.budget.as_ref() else {
        return Section {
            title: "Spend".into(),
            blocks: vec![
                Block::Para("The plan sets no budget: money is taken as unlimited.".into()),
                Block::Table(spend_by_year(plan, tl)),
            ],
        };
    };
    let (per, outside) = committed_by_period(plan, tl).unwrap_or_default();
    let mut table = Table::new(
        &["Period", "Budget", "Committed", "Left", "Used"],
        &[false, true, true, true, true],
    );
    table.nowrap = vec![true];
    let (mut cum_amount, mut cum_spent) = (Money::ZERO, Money::ZERO);
    for (p, spent) in budget.periods.iter().zip(&per) {
        cum_amount += p.amount;
        cum_spent += *spent;
        let left = if budget.carry_over {
            cum_amount - cum_spent
        } else {
            p.amount - *spent
        };
        table.push(
            vec![
                format!("{} – {}", words::date(p.from), words::date(p.to)),
                words::money(p.amount, cur),
                words::money(*spent, cur),
                words::money(left, cur),
                words::pct(spent.0.max(0) as u64, p.amount.0.max(0) as u64),
            ],
            false,
        );
    }
    let mut blocks = vec![Block::Para(format!(
        "Costs are committed on the day a task starts. {}",
        if budget.carry_over {
            "Unspent money carries over to later periods; \"Left\" counts it."
        } else {
            "Unspent money does not carry over."
        }
    ))];
    blocks.push(Block::Table(table));
    if outside != Money::ZERO {
        blocks.push(Block::Para(format!(
            "Committed outside every budget period (reported actuals): {}",
            words::money(outside, cur)
        )));
    }
    Section {
        title: "Spend by budget period".into(),
        blocks,
    }
}

/// Committed spend per financial year (the plan's `financial_year_start`).
fn spend_by_year(plan: &Plan, tl: &Timeline) -> Table {
    let fy = plan.financial_year_start;
    let mut per: BTreeMap<i32, Money> = BTreeMap::new();
    for t in &tl.tasks {
        if let (Some(start), Some(cost)) = (t.start, t.cost) {
            *per.entry(fy.year_of(start)).or_default() +=
                Money::from_f64(cost).unwrap_or(Money::ZERO);
        }
    }
    let mut table = Table::new(&["Financial year", "Committed"], &[false, true]);
    for (y, m) in per {
        let span = format!(
            "{} ({} to {})",
            fy.label(y),
            words::date(fy.first_day(y)),
            words::date(fy.first_day(y + 1).pred_opt().unwrap_or(fy.first_day(y)))
        );
        table.push(vec![span, words::money(m, &plan.currency)], false);
    }
    table
}

fn assumptions(plan: &Plan) -> Section {
    let wf = &plan.workflow;
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let workdays: Vec<&str> = days
        .iter()
        .zip(plan.calendar.workdays)
        .filter(|(_, w)| *w)
        .map(|(d, _)| *d)
        .collect();
    let mut items = vec![
        format!("Programme start: {}", words::long_date(plan.start)),
        format!(
            "Working days: {}; holidays: {}",
            workdays.join(", "),
            holidays(plan)
        ),
        format!(
            "Per site: survey {}, commissioning {}, secure disposal {}",
            words::count(wf.survey_days.into(), "working day", "working days"),
            words::count(wf.commission_days.into(), "working day", "working days"),
            words::count(wf.disposal_days.into(), "calendar day", "calendar days")
        ),
        format!(
            "A crew works {} productive hours a day; work is split into packages of at most {} devices",
            wf.hours_per_day.to_f64(),
            wf.package_size
        ),
    ];
    if let Some(d) = plan.deadline {
        items.push(format!("Programme deadline: {}", words::long_date(d)));
    }
    for t in &plan.tiers {
        items.push(format!(
            "Tier {} ({}): weight {} per device-day, deadline {}",
            t.id,
            words::tier_label(t),
            t.weight,
            words::opt_date(t.deadline)
        ));
    }
    items.push(budget_words(plan));
    Section {
        title: "Assumptions".into(),
        blocks: vec![
            Block::List(items),
            Block::Para("Crews by region:".into()),
            Block::Table(crew_table(plan)),
            Block::Para("Device types:".into()),
            Block::Table(device_table(plan)),
        ],
    }
}

fn holidays(plan: &Plan) -> String {
    let h = &plan.calendar.holidays;
    match h.len() {
        0 => "none".into(),
        n if n <= 12 => h
            .iter()
            .map(|&d| words::date(d))
            .collect::<Vec<_>>()
            .join(", "),
        n => format!(
            "{} days from {} to {}",
            n,
            words::opt_date(h.first().copied()),
            words::opt_date(h.last().copied())
        ),
    }
}

fn budget_words(plan: &Plan) -> String {
    match &plan.budget {
        None => "Budget: none set (unlimited)".into(),
        Some(b) => {
            let total: Money = b.periods.iter().map(|p| p.amount).sum();
            format!(
                "Budget: {} in {} {}",
                words::money(total, &plan.currency),
                words::count(b.periods.len() as u64, "period", "periods"),
                if b.carry_over {
                    "with carry-over"
                } else {
                    "without carry-over"
                }
            )
        }
    }
}

fn crew_table(plan: &Plan) -> Table {
    let mut table = Table::new(
        &["Region", "Crews", "Cleared", "Day rate", "Availability"],
        &[false, true, true, true, false],
    );
    for (r, region) in plan.regions.iter().enumerate() {
        let crews: Vec<_> = plan.crews.iter().filter(|c| c.region.ix() == r).collect();
        let rates: Vec<Money> = crews.iter().map(|c| c.day_rate).collect();
        let (lo, hi) = (rates.iter().min().copied(), rates.iter().max().copied());
        let rate = match (lo, hi) {
            (Some(lo), Some(hi)) if lo == hi => words::money(lo, &plan.currency),
            (Some(lo), Some(hi)) => format!(
                "{} – {}",
                words::money(lo, &plan.currency),
                words::money(hi, &plan.currency)
            ),
            _ => "–".into(),
        };
        let windowed = crews
            .iter()
            .filter(|c| c.available_from.is_some() || c.available_to.is_some())
            .count() as u64;
        table.push(
            vec![
                words::region_label(region),
                words::int(crews.len() as u64),
                words::int(crews.iter().filter(|c| c.cleared).count() as u64),
                rate,
                if windowed == 0 {
                    "throughout".into()
                } else {
                    format!("{} with limited availability", words::int(windowed))
                },
            ],
            false,
        );
    }
    table
}

fn device_table(plan: &Plan) -> Table {
    let mut table = Table::new(
        &[
            "Device type",
            "Replaced",
            "Unit cost",
            "Install hours",
            "Removal hours",
            "Lead time (days)",
            "Disposal cost",
        ],
        &[false, false, true, true, true, true, true],
    );
    for t in &plan.device_types {
        let name = match &t.name {
            Some(n) if *n != t.id => format!("{n} ({})", t.id),
            _ => t.id.clone(),
        };
        table.push(
            vec![
                name,
                if t.replace { "yes" } else { "no" }.into(),
                words::price(t.unit_cost, &plan.currency),
                t.install_hours.to_f64().to_string(),
                t.remove_hours.to_f64().to_string(),
                t.lead_time_days.to_string(),
                words::price(t.disposal_cost, &plan.currency),
            ],
            false,
        );
    }
    table
}
