//! `timeline.xlsx`: the timeline for people who work in Excel. Sheets
//! Summary, Sites, Tasks and Budget; real Excel dates, money as money in the
//! plan's currency (`GBP 1,234.50`, still a number), names beside IDs, the
//! tier on every task, durations that say whether they count working or
//! calendar days, the financial year of each task and budget period; frozen
//! header rows, filters and column widths that fit the content.
//!
//! Text from plans is written as string cells, which Excel never
//! evaluates; text that would start a formula (`=`, `+`, `-`, `@`, tab,
//! CR) is also given Excel's quote prefix, so it stays text when a user
//! edits the cell or copies it elsewhere, and the value itself is unchanged.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::escape::looks_like_formula;
use super::model::committed_by_period;
use super::standing;
use super::ReportError;
use crate::artifact::Context;
use crate::palette::{self, hex};
use crate::plan::Site;
use crate::timeline::{SiteRow, TaskRow};
use crate::units::Money;
use crate::words;

/// Excel's longest cell text.
const MAX_TEXT: usize = 32_767;

struct Formats {
    header: Format,
    date: Format,
    money: Format,
    int: Format,
    quoted: Format,
    working_days: Format,
    calendar_days: Format,
    percent: Format,
    /// The at-risk mark: bold on a tint, so it shows in a long list.
    at_risk: Format,
}

impl Formats {
    fn new(currency: &str) -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(hex(palette::SHEET_HEAD).as_str()),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            money: Format::new().set_num_format(money_format(currency)),
            int: Format::new().set_num_format("#,##0"),
            quoted: Format::new().set_quote_prefix(),
            working_days: Format::new().set_num_format("#,##0\" working days\""),
            calendar_days: Format::new().set_num_format("#,##0\" calendar days\""),
            percent: Format::new().set_num_format("0%"),
            at_risk: Format::new()
                .set_bold()
                .set_background_color(hex(palette::LATE_BG).as_str()),
        }
    }
}

/// Excel's number format for money in `currency`: `"GBP "#,##0.00`, the
/// label quoted (quotes and backslashes in it dropped, as a format string
/// cannot hold them), negatives with a minus.
fn money_format(currency: &str) -> String {
    let label: String = currency
        .chars()
        .filter(|c| !matches!(c, '"' | '\\') && !c.is_control())
        .take(12)
        .collect();
    if label.trim().is_empty() {
        "#,##0.00".to_string()
    } else {
        format!("\"{} \"#,##0.00", label.trim())
    }
}

pub fn render(ctx: &Context) -> Result<Vec<u8>, ReportError> {
    build(ctx).map_err(|e| ReportError::Xlsx(e.to_string()))
}

fn build(ctx: &Context) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new(&ctx.plan.currency);
    let mut wb = Workbook::new();
    // A fixed creation date from the data keeps the bytes deterministic.
    let made = ctx.timeline.status_date.unwrap_or(ctx.timeline.start);
    let props = DocProperties::new()
        .set_title(clip(&ctx.plan.name))
        .set_creation_datetime(&excel_date(made)?);
    wb.set_properties(&props);
    summary(wb.add_worksheet(), ctx, &f)?;
    // The two long sheets (a row per site, a row per task) are written row
    // by row to temporary files rather than held as cells in memory: at
    // 100,000 sites the cells alone took gigabytes.
    sites(wb.add_worksheet_with_constant_memory()?, ctx, &f)?;
    // Excel holds 1,048,576 rows a sheet: a national plan's tasks go on as
    // many Tasks sheets as they need ("Tasks", "Tasks 2", …).
    for (k, rows) in sheets_of(&ctx.timeline.tasks, SHEET_ROWS)
        .into_iter()
        .enumerate()
    {
        let name = match k {
            0 => "Tasks".to_string(),
            k => format!("Tasks {}", k + 1),
        };
        tasks(
            wb.add_worksheet_with_constant_memory()?,
            ctx,
            (k * SHEET_ROWS, rows),
            &name,
            &f,
        )?;
    }
    budget(wb.add_worksheet(), ctx, &f)?;
    wb.save_to_buffer()
}

/// Data rows a sheet holds: Excel's 1,048,576 rows less the header.
const SHEET_ROWS: usize = 1_048_575;

/// `rows` in pieces of at most `per`, and one empty piece when there are
/// none (the sheet is still there, with its header).
fn sheets_of<T>(rows: &[T], per: usize) -> Vec<&[T]> {
    if rows.is_empty() {
        return vec![rows];
    }
    rows.chunks(per.max(1)).collect()
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

fn clip(s: &str) -> String {
    if s.len() <= MAX_TEXT {
        return s.to_string();
    }
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// A text cell that Excel and LibreOffice show as text, never as a formula.
fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str, f: &Formats) -> Result<(), XlsxError> {
    let s = clip(s);
    if looks_like_formula(&s) {
        ws.write_string_with_format(r, c, s, &f.quoted)?;
    } else {
        ws.write_string(r, c, s)?;
    }
    Ok(())
}

fn date(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    d: Option<NaiveDate>,
    f: &Formats,
) -> Result<(), XlsxError> {
    if let Some(d) = d {
        // Years Excel cannot hold (before 1900) are written as ISO text.
        match excel_date(d) {
            Ok(x) if d.year() >= 1900 => {
                ws.write_datetime_with_format(r, c, &x, &f.date)?;
            }
            _ => {
                ws.write_string(r, c, d.to_string())?;
            }
        }
    }
    Ok(())
}

/// Header row, frozen, with a filter over `rows` data rows and column widths.
fn table_head(
    ws: &mut Worksheet,
    heads: &[(&str, f64)],
    rows: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, (h, w)) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows).unwrap_or(u32::MAX).min(1_048_575);
    ws.autofilter(0, 0, last_row, (heads.len() - 1) as u16)?;
    Ok(())
}

fn summary(ws: &mut Worksheet, ctx: &Context, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    let (tl, plan) = (ctx.timeline, ctx.plan);
    let s = &tl.summary;
    table_head(ws, &[("Item", 42.0), ("Value", 60.0)], 0, f)?;
    let st = standing::compute(plan, tl);
    let mut r = 1;
    let mut row_text = |ws: &mut Worksheet, label: &str, value: &str| -> Result<(), XlsxError> {
        ws.write_string(r, 0, label)?;
        text(ws, r, 1, value, f)?;
        r += 1;
        Ok(())
    };
    row_text(ws, "Programme", &plan.name)?;
    row_text(ws, "Headline", &st.headline())?;
    if let Some(line) = st.deadline_line() {
        row_text(ws, "Programme deadline", &line)?;
    }
    if let Some(line) = st.targets_line() {
        row_text(ws, "Public targets", &line)?;
    }
    row_text(ws, "Removal", &st.removal_line())?;
    row_text(ws, "Sites missing their deadline", &st.late_phrase())?;
    for (tier, line) in st.tier_rows() {
        row_text(ws, &tier, &line)?;
    }
    row_text(ws, "Currency", &plan.currency)?;
    let dates = [
        ("Start", Some(tl.start)),
        ("Status date", tl.status_date),
        ("Removal complete at every site", st.removal_complete),
        (
            "Removal complete at every scheduled site",
            s.removal_complete,
        ),
        ("Finish", s.finish),
    ];
    for (label, d) in dates {
        ws.write_string(r, 0, label)?;
        date(ws, r, 1, d, f)?;
        r += 1;
    }
    let money = [
        ("Total cost", s.total_cost),
        ("Committed to sites with no removal date", s.stranded_cost),
    ];
    for (label, v) in money {
        ws.write_string(r, 0, label)?;
        ws.write_number_with_format(r, 1, v, &f.money)?;
        r += 1;
    }
    let counts = [
        ("Exposure (weight × devices × days)", s.exposure.round()),
        ("Sites", s.sites as f64),
        (
            "Sites missing their deadline (with no date included)",
            st.missing as f64,
        ),
        ("Sites with no removal date", s.sites_unscheduled as f64),
        ("Devices with no removal date", s.devices_unscheduled as f64),
        ("Tasks", s.tasks as f64),
        ("Tasks with no date", s.unscheduled as f64),
    ];
    for (label, v) in counts {
        ws.write_string(r, 0, label)?;
        ws.write_number_with_format(r, 1, v, &f.int)?;
        r += 1;
    }
    Ok(())
}

fn sites(ws: &mut Worksheet, ctx: &Context, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Sites")?;
    let mut heads = vec![
        ("Site", 18.0),
        ("Name", 28.0),
        ("Tier", 10.0),
        ("Tier name", 22.0),
        ("Region", 14.0),
        ("Region name", 20.0),
        ("Devices", 9.0),
        ("Removal complete", 16.0),
        ("Deadline", 12.0),
        ("Days late (calendar)", 12.0),
        ("Reason", 80.0),
    ];
    let owners = !ctx.plan.owners.is_empty();
    if owners {
        heads.extend([("Owner", 14.0), ("Owner name", 28.0)]);
    }
    if ctx.risk.is_some() {
        heads.extend([
            ("Chance on time", 12.0),
            ("P80 removal complete", 16.0),
            ("At risk", 10.0),
        ]);
    }
    table_head(ws, &heads, ctx.timeline.sites.len(), f)?;
    for (row, i) in site_order(ctx).into_iter().enumerate() {
        let r = row as u32 + 1;
        let (s, site) = ctx.site(i);
        site_row(ws, r, ctx, site, s, f)?;
        let mut c = 11;
        if owners {
            text(ws, r, c, s.owner.as_deref().unwrap_or(""), f)?;
            let name = site.owner.map(|o| &ctx.plan.owners[o.ix()]);
            text(
                ws,
                r,
                c + 1,
                name.and_then(|o| o.name.as_deref()).unwrap_or(""),
                f,
            )?;
            c += 2;
        }
        if let Some(sr) = ctx.site_risk(i) {
            if let Some(p) = sr.on_time_probability {
                ws.write_number_with_format(r, c, p, &f.percent)?;
            }
            date(ws, r, c + 1, sr.p80, f)?;
            if sr.at_risk {
                ws.write_string_with_format(r, c + 2, "at risk", &f.at_risk)?;
            }
        }
    }
    Ok(())
}

/// Sites (by index) in plan order; grouped by owner (in the plan's order
/// of owners, sites without one last) when the plan has owners.
fn site_order(ctx: &Context) -> Vec<usize> {
    let mut sites: Vec<usize> = (0..ctx.timeline.sites.len()).collect();
    if !ctx.plan.owners.is_empty() {
        sites.sort_by_key(|&i| ctx.plan.sites[i].owner.map_or(usize::MAX, |o| o.ix()));
    }
    sites
}

fn site_row(
    ws: &mut Worksheet,
    r: u32,
    ctx: &Context,
    site: &Site,
    s: &SiteRow,
    f: &Formats,
) -> Result<(), XlsxError> {
    text(ws, r, 0, &s.id, f)?;
    text(ws, r, 1, site.name.as_deref().unwrap_or(""), f)?;
    text(ws, r, 2, &s.tier, f)?;
    text(
        ws,
        r,
        3,
        &words::tier_label(&ctx.plan.tiers[site.tier.ix()]),
        f,
    )?;
    text(ws, r, 4, &s.region, f)?;
    text(
        ws,
        r,
        5,
        &words::region_label(&ctx.plan.regions[site.region.ix()]),
        f,
    )?;
    ws.write_number_with_format(r, 6, s.devices as f64, &f.int)?;
    date(ws, r, 7, s.removal_complete, f)?;
    date(ws, r, 8, s.deadline, f)?;
    if let Some(late) = s.late_days {
        ws.write_number_with_format(r, 9, late as f64, &f.int)?;
    }
    text(ws, r, 10, s.late_reason.as_deref().unwrap_or(""), f)
}

fn tasks(
    ws: &mut Worksheet,
    ctx: &Context,
    (first, rows): (usize, &[TaskRow]),
    name: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let heads = [
        ("Task", 26.0),
        ("Site", 18.0),
        ("Site name", 28.0),
        ("Tier", 10.0),
        ("Phase", 12.0),
        ("Package", 9.0),
        ("Devices", 9.0),
        ("Start", 12.0),
        ("Finish", 12.0),
        ("Duration", 20.0),
        ("Duration counts", 16.0),
        ("Crew", 14.0),
        ("Cost", 16.0),
        ("Financial year (start)", 14.0),
        ("Status", 12.0),
        ("Reason", 60.0),
    ];
    table_head(ws, &heads, rows.len(), f)?;
    for (i, t) in rows.iter().enumerate() {
        let s = ctx.links.site_of(first + i);
        let site = TaskSite {
            name: ctx.plan.sites[s].name.as_deref().unwrap_or(""),
            tier: &ctx.timeline.sites[s].tier,
        };
        task_row(ws, i as u32 + 1, ctx, t, &site, f)?;
    }
    Ok(())
}

/// What the Tasks sheet repeats from a task's site.
struct TaskSite<'a> {
    name: &'a str,
    tier: &'a str,
}

fn task_row(
    ws: &mut Worksheet,
    r: u32,
    ctx: &Context,
    t: &TaskRow,
    site: &TaskSite,
    f: &Formats,
) -> Result<(), XlsxError> {
    text(ws, r, 0, &t.id, f)?;
    text(ws, r, 1, &t.site, f)?;
    text(ws, r, 2, site.name, f)?;
    text(ws, r, 3, site.tier, f)?;
    ws.write_string(r, 4, t.phase.as_str())?;
    if let Some(p) = t.package {
        ws.write_number(r, 5, p)?;
    }
    ws.write_number_with_format(r, 6, t.devices as f64, &f.int)?;
    date(ws, r, 7, t.start, f)?;
    date(ws, r, 8, t.finish, f)?;
    // Crew tasks last working days; procurement and disposal run on
    // calendar days (timeline format), and the cell says which.
    let calendar = !t.phase.is_crew();
    let (fmt, unit) = if calendar {
        (&f.calendar_days, "calendar days")
    } else {
        (&f.working_days, "working days")
    };
    ws.write_number_with_format(r, 9, t.duration, fmt)?;
    ws.write_string(r, 10, unit)?;
    text(ws, r, 11, t.crew.as_deref().unwrap_or(""), f)?;
    if let Some(c) = t.cost {
        ws.write_number_with_format(r, 12, c, &f.money)?;
    }
    if let Some(d) = t.start {
        let fy = ctx.plan.financial_year_start;
        ws.write_string(r, 13, fy.label(fy.year_of(d)))?;
    }
    ws.write_string(r, 14, t.status.as_str())?;
    text(ws, r, 15, t.reason.as_deref().unwrap_or(""), f)
}

fn budget(ws: &mut Worksheet, ctx: &Context, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Budget")?;
    let heads = [
        ("From", 12.0),
        ("To", 12.0),
        ("Budget", 16.0),
        ("Committed", 16.0),
        ("Left", 16.0),
        ("Carry-over", 11.0),
        ("Financial year (from)", 14.0),
    ];
    let Some(b) = ctx.plan.budget.as_ref() else {
        table_head(ws, &heads, 1, f)?;
        ws.write_string(1, 0, "No budget set: money is taken as unlimited.")?;
        return Ok(());
    };
    table_head(ws, &heads, b.periods.len(), f)?;
    let (per, _) = committed_by_period(ctx.plan, ctx.timeline).unwrap_or_default();
    let (mut cum_amount, mut cum_spent) = (Money::ZERO, Money::ZERO);
    for (i, (p, spent)) in b.periods.iter().zip(&per).enumerate() {
        let r = i as u32 + 1;
        cum_amount += p.amount;
        cum_spent += *spent;
        let left = if b.carry_over {
            cum_amount - cum_spent
        } else {
            p.amount - *spent
        };
        date(ws, r, 0, Some(p.from), f)?;
        date(ws, r, 1, Some(p.to), f)?;
        ws.write_number_with_format(r, 2, p.amount.to_f64(), &f.money)?;
        ws.write_number_with_format(r, 3, spent.to_f64(), &f.money)?;
        ws.write_number_with_format(r, 4, left.to_f64(), &f.money)?;
        ws.write_string(r, 5, if b.carry_over { "yes" } else { "no" })?;
        let fy = ctx.plan.financial_year_start;
        ws.write_string(r, 6, fy.label(fy.year_of(p.from)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{money_format, sheets_of, SHEET_ROWS};

    #[test]
    fn tasks_beyond_a_sheet_go_on_further_sheets_and_none_still_has_one() {
        assert_eq!(SHEET_ROWS, 1_048_576 - 1);
        let rows: Vec<u32> = (0..5).collect();
        let sheets = sheets_of(&rows, 2);
        assert_eq!(sheets, vec![&rows[0..2], &rows[2..4], &rows[4..5]]);
        assert_eq!(sheets_of::<u32>(&[], 2), vec![&[] as &[u32]]);
        assert_eq!(sheets_of(&rows, SHEET_ROWS).len(), 1);
    }

    #[test]
    fn money_is_formatted_in_the_plans_currency() {
        assert_eq!(money_format("GBP"), "\"GBP \"#,##0.00");
        assert_eq!(money_format("A\"U\\D"), "\"AUD \"#,##0.00");
        assert_eq!(money_format(""), "#,##0.00");
    }
}
