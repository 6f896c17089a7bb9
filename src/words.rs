//! Numbers, money, dates and words as a programme manager reads them:
//! thousands separators, whole currency units, day-month-year dates, shares
//! that never round up to 100% before the work is done, lists joined with
//! "and". The one home of these formats: the timeline's reasons, the
//! reports and the charts all call it.

use chrono::NaiveDate;

use crate::plan::{Region, Site, Tier};
use crate::units::{Money, Price};

/// `Name (id)` where the site has a name (other than its ID), else its
/// ID: how reports name a site.
pub fn site_label(site: &Site) -> String {
    match &site.name {
        Some(name) if *name != site.id => format!("{name} ({})", site.id),
        _ => site.id.clone(),
    }
}

/// `1,234,567`.
pub fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Signed whole number with separators.
pub fn signed(n: i64) -> String {
    if n < 0 {
        format!("-{}", int(n.unsigned_abs()))
    } else {
        int(n as u64)
    }
}

/// Money in whole units of the currency, e.g. `1,234,568 GBP`.
pub fn money(m: Money, currency: &str) -> String {
    let units = (m.0 + if m.0 < 0 { -50 } else { 50 }) / 100;
    format!("{} {currency}", signed(units))
}

/// Money short enough for a sentence: `£1.90m`, `£779k`, `£4.2k`, `£527`
/// (a symbol for GBP, USD and EUR, else the code after the figure).
pub fn money_short(m: Money, currency: &str) -> String {
    let units = m.0 as f64 / 100.0;
    let a = units.abs();
    let figure = if a >= 999_500.0 {
        format!("{:.2}m", units / 1e6)
    } else if a >= 9_995.0 {
        format!("{:.0}k", units / 1e3)
    } else if a >= 1_000.0 {
        format!("{:.1}k", units / 1e3)
    } else {
        format!("{units:.0}")
    };
    match currency {
        "GBP" => format!("£{figure}"),
        "USD" => format!("${figure}"),
        "EUR" => format!("€{figure}"),
        other => format!("{figure} {other}"),
    }
}

/// Money in the short form a chart labels with, the currency code first:
/// `GBP 1.25m`, `GBP 830k`, `GBP 2,310`. The caller makes the code safe to
/// draw.
pub fn money_label(v: f64, currency: &str) -> String {
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    let body = if a >= 1e9 {
        format!("{:.2}bn", a / 1e9)
    } else if a >= 1e6 {
        format!("{:.2}m", a / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", a / 1e3)
    } else {
        signed(a.round() as i64)
    };
    format!("{currency} {sign}{body}")
}

/// An axis tick: `0`, `500`, `5,000`, `20k`, `1.5m`, `2bn`; no trailing
/// zeros.
pub fn axis_number(v: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let a = v.abs();
    let (n, unit) = if a >= 1e9 {
        (v / 1e9, "bn")
    } else if a >= 1e6 {
        (v / 1e6, "m")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        return signed(v.round() as i64);
    };
    format!("{}{unit}", trim(format!("{n:.2}")))
}

/// A budget period as a manager names it: `FY 2026/27` for a 1 April to
/// 31 March year, else `1 Jan 2026 – 31 Mar 2026`.
pub fn period(from: NaiveDate, to: NaiveDate) -> String {
    use chrono::Datelike;
    let fy = from.month() == 4
        && from.day() == 1
        && to.month() == 3
        && to.day() == 31
        && to.year() == from.year() + 1;
    if fy {
        format!("FY {}/{:02}", from.year(), to.year() % 100)
    } else {
        format!("{} – {}", date(from), date(to))
    }
}

/// A price per device, e.g. `700 GBP` or `0.125 GBP`: whole units when it
/// has no fraction, otherwise every decimal it has.
pub fn price(p: Price, currency: &str) -> String {
    let (units, micro) = (p.0 / 1_000_000, p.0 % 1_000_000);
    if micro == 0 {
        return format!("{} {currency}", signed(units));
    }
    let fraction = format!("{micro:06}");
    format!(
        "{}.{} {currency}",
        signed(units),
        fraction.trim_end_matches('0')
    )
}

/// Money to the penny, as a manager reads it in a table or a spreadsheet:
/// `1,234,567.50`, `-0.50` (no currency; the column says it).
pub fn money_exact(m: Money) -> String {
    let sign = if m.0 < 0 { "-" } else { "" };
    let a = m.0.unsigned_abs();
    format!("{sign}{}.{:02}", int(a / 100), a % 100)
}

/// A figure from the timeline (a JSON number) to the penny.
pub fn money_exact_f64(v: f64) -> String {
    money_exact(Money::from_f64(v).unwrap_or(Money::ZERO))
}

/// A cost from the timeline (a JSON number) as money.
pub fn money_f64(v: f64, currency: &str) -> String {
    money(Money::from_f64(v).unwrap_or(Money::ZERO), currency)
}

/// A share as a whole percentage, rounded down so that 100% means all.
pub fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    let p = (part as u128 * 100 / whole as u128) as u64;
    format!("{p}%")
}

/// A percentage the caller has worked out (0 to 100), to the nearest
/// whole: `63%`. For figures read at a glance (a chart's subtitle or
/// label), where `pct`'s rounding down is not needed.
pub fn percent(v: f64) -> String {
    format!("{v:.0}%")
}

/// A share that is not nothing never reads as `0%`: `under 1%`, else as
/// `pct`.
pub fn pct_some(part: u64, whole: u64) -> String {
    if part > 0 && part * 100 < whole {
        "under 1%".into()
    } else {
        pct(part, whole)
    }
}

/// A share (0 to 1) as a percentage to a tenth: `70%`, `35.5%`.
pub fn pct_tenths(s: f64) -> String {
    let v = (s * 1000.0).round() / 10.0;
    format!("{v}%")
}

/// A probability in figures: `97 %`, or `< 1 %` / `> 99 %` near the ends
/// when not certain.
pub fn probability(p: f64) -> String {
    let v = (p * 100.0).round();
    if p > 0.0 && v < 1.0 {
        "< 1 %".into()
    } else if p < 1.0 && v > 99.0 {
        "> 99 %".into()
    } else {
        format!("{v} %")
    }
}

/// A probability in words, then in figures: `very likely (97 %)`.
pub fn likelihood(p: f64) -> String {
    let words = if p >= 0.95 {
        "very likely"
    } else if p >= 0.8 {
        "likely"
    } else if p >= 0.5 {
        "more likely than not"
    } else if p >= 0.2 {
        "unlikely"
    } else {
        "very unlikely"
    };
    format!("{words} ({})", probability(p))
}

/// `30 Apr 2027`: for tables.
pub fn date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// `Jan` … `Dec` for months 1 to 12: for chart axes.
pub fn month_abbr(m: u32) -> &'static str {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    M[(m as usize + 11) % 12]
}

/// `30 April 2027`: for sentences.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A date, or a dash when there is none.
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_else(|| "–".to_string())
}

/// `1 site`, `3 sites`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", int(n))
    }
}

/// How a tier is called in words: its name, else its ID.
pub fn tier_label(tier: &Tier) -> String {
    tier.name.clone().unwrap_or_else(|| tier.id.clone())
}

/// A tier in running text, short enough for a headline: `tier T1` (or the
/// ID alone when it already says "tier", e.g. `tier-1`).
pub fn tier_short(tier_id: &str) -> String {
    if tier_id.to_ascii_lowercase().starts_with("tier") {
        tier_id.to_string()
    } else {
        format!("tier {tier_id}")
    }
}

/// How a region is called in words: its name, else its ID.
pub fn region_label(region: &Region) -> String {
    region.name.clone().unwrap_or_else(|| region.id.clone())
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The text with its first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The sentence with its first letter in lower case, to follow a colon
/// ("now: waits for …").
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A change as a signed percentage with one decimal: `+12.5%`, `-3.0%`.
pub fn percent_change(before: f64, after: f64) -> String {
    format!("{:+.1}%", (after - before) / before * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_signed_and_a_following_sentence_starts_low() {
        assert_eq!(percent_change(200.0, 225.0), "+12.5%");
        assert_eq!(percent_change(200.0, 194.0), "-3.0%");
        assert_eq!(lower_first("Waits for money"), "waits for money");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(signed(-1234), "-1,234");
        assert_eq!(money(Money(123456750), "GBP"), "1,234,568 GBP");
        assert_eq!(money_exact(Money(280428900)), "2,804,289.00");
        assert_eq!(money_exact(Money(99950)), "999.50");
        assert_eq!(money_exact(Money(100000)), "1,000.00");
        assert_eq!(money_exact(Money(-123456789)), "-1,234,567.89");
        assert_eq!(money_exact(Money(-50)), "-0.50");
        assert_eq!(money_exact_f64(1234567.504), "1,234,567.50");
        assert_eq!(pct(199, 200), "99%");
        assert_eq!(pct(200, 200), "100%");
        assert_eq!(pct(0, 0), "–");
        assert_eq!(money_short(Money(190_000_000), "GBP"), "£1.90m");
        assert_eq!(money_short(Money(77_900_000), "GBP"), "£779k");
        assert_eq!(money_short(Money(420_000), "USD"), "$4.2k");
        assert_eq!(money_short(Money(52_700), "CHF"), "527 CHF");
        assert_eq!(money_label(1_250_000.0, "GBP"), "GBP 1.25m");
        assert_eq!(money_label(830_400.0, "GBP"), "GBP 830k");
        assert_eq!(money_label(950.0, "EUR"), "EUR 950");
        assert_eq!(money_label(2310.4, "GBP"), "GBP 2,310");
        assert_eq!(money_label(-2.5e9, "GBP"), "GBP -2.50bn");
        assert_eq!(axis_number(160e6), "160m");
        assert_eq!(axis_number(2.5e6), "2.5m");
        assert_eq!(axis_number(20_000.0), "20k");
        assert_eq!(axis_number(5_000.0), "5,000");
        assert_eq!(axis_number(0.0), "0");
        assert_eq!(percent(62.5), "62%");
        assert_eq!(percent(99.6), "100%");
    }

    #[test]
    fn periods_read_well() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(period(d(2026, 4, 1), d(2027, 3, 31)), "FY 2026/27");
        assert_eq!(
            period(d(2026, 1, 5), d(2026, 3, 31)),
            "5 Jan 2026 – 31 Mar 2026"
        );
    }

    #[test]
    fn dates_read_well() {
        let d = NaiveDate::from_ymd_opt(2027, 4, 3).unwrap();
        assert_eq!(date(d), "3 Apr 2027");
        assert_eq!(long_date(d), "3 April 2027");
    }
}
