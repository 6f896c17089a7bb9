//! Single values of a plan: dates, counts, money, hours, IDs and references.
//! Each parser returns the message for the caller to locate; none panics.

use chrono::NaiveDate;
use std::collections::HashMap;

use crate::units::{Hundredths, Money, Price};

/// Dates outside these years are refused: nothing real is planned there, and
/// keeping them out keeps every date sum (horizons, lead times) in range.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;
/// Largest amount of money in one value (a budget period, a unit cost).
pub const MAX_MONEY: f64 = 1e12;
/// Largest number of days in one `*_days` value (about 270 years).
pub const MAX_DAYS: u64 = 100_000;
/// Longest ID, and longest name, in characters.
pub const MAX_ID_CHARS: usize = 200;
pub const MAX_NAME_CHARS: usize = 1_000;
/// Longest text for which a nearest known name is suggested.
const MAX_SUGGEST_BYTES: usize = 1_000;
/// Largest number of hours in one `*_hours` value.
pub const MAX_HOURS: f64 = 10_000.0;

/// A number as a message shows it: plain, or in exponent form when huge.
pub fn show(v: f64) -> String {
    if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

pub fn date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(format!("{s:?} is not a date (write YYYY-MM-DD)"));
    }
    let d =
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s:?} is not a real day"))?;
    use chrono::Datelike;
    if d.year() < FIRST_YEAR || d.year() > LAST_YEAR {
        return Err(format!(
            "{s:?} is outside the supported years {FIRST_YEAR}–{LAST_YEAR}"
        ));
    }
    Ok(d)
}

/// `financial_year_start`: "MM-DD", a day every year has (not 29 February).
pub fn fy_start(s: &str) -> Result<super::FyStart, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 5
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit());
    let bad =
        || format!("{s:?} is not a first day of a financial year (write MM-DD, e.g. \"04-01\")");
    if !shaped {
        return Err(bad());
    }
    let month: u32 = s[..2].parse().map_err(|_| bad())?;
    let day: u32 = s[3..].parse().map_err(|_| bad())?;
    // 2001 is not a leap year, so 29 February is refused: it is not a day
    // every year has.
    if NaiveDate::from_ymd_opt(2001, month, day).is_none() {
        return Err(format!(
            "{s:?} is not a day of every year (month 01–12, a day that month has, never 02-29)"
        ));
    }
    Ok(super::FyStart { month, day })
}

/// A whole number ≥ 0 no larger than `max`.
pub fn count(v: f64, max: u64) -> Result<u64, String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!(
            "{} is negative; a count must be a whole number ≥ 0",
            show(v)
        ));
    }
    if v.fract() != 0.0 {
        return Err(format!(
            "{} is not a whole number; a count must be a whole number ≥ 0",
            show(v)
        ));
    }
    if v > max as f64 {
        return Err(format!("{} is more than the limit of {max}", show(v)));
    }
    Ok(v as u64)
}

pub fn days(v: f64) -> Result<u32, String> {
    count(v, MAX_DAYS).map(|d| d as u32)
}

pub fn money(v: f64) -> Result<Money, String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!("{} is negative; money must be ≥ 0", show(v)));
    }
    if v > MAX_MONEY {
        return Err(format!(
            "{} is more than the largest supported amount, {}",
            show(v),
            show(MAX_MONEY)
        ));
    }
    Money::from_f64(v).ok_or_else(|| format!("{} is not a supported amount", show(v)))
}

/// A price per device: checked as money, kept to a millionth.
pub fn price(v: f64) -> Result<Price, String> {
    money(v)?;
    Price::from_f64(v).ok_or_else(|| format!("{} is not a supported amount", show(v)))
}

pub fn hours(v: f64) -> Result<Hundredths, String> {
    if !v.is_finite() || v < 0.0 {
        return Err(format!("{} is negative; hours must be ≥ 0", show(v)));
    }
    if v > MAX_HOURS {
        return Err(format!(
            "{} is more than the limit of {} hours",
            show(v),
            show(MAX_HOURS)
        ));
    }
    Hundredths::from_f64(v).ok_or_else(|| {
        format!(
            "{} has more than two decimals; hours are counted in hundredths",
            show(v)
        )
    })
}

/// A well-formed ID of at most `max` characters.
pub fn id(s: &str, max: usize) -> Result<(), String> {
    if s.is_empty() {
        return Err("an ID must not be empty".into());
    }
    let n = s.chars().count();
    if n > max {
        return Err(format!(
            "the ID is {n} characters long, more than the limit of {max}"
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "{s:?} contains {c:?}; IDs may use only A-Z a-z 0-9 - _ ."
        ));
    }
    Ok(())
}

/// A name of at most `max` characters.
pub fn name(s: &str, max: usize) -> Result<(), String> {
    let n = s.chars().count();
    if n > max {
        return Err(format!(
            "the name is {n} characters long, more than the limit of {max}"
        ));
    }
    Ok(())
}

/// The IDs of one list, for looking references up.
#[derive(Debug, Default)]
pub struct Ids {
    map: HashMap<String, usize>,
    list: Vec<String>,
    what: &'static str,
}

impl Ids {
    pub fn new(what: &'static str) -> Ids {
        Ids {
            what,
            ..Ids::default()
        }
    }

    /// Adds an ID; `Err` with the index of the earlier one when a duplicate.
    pub fn add(&mut self, id: &str) -> Result<usize, usize> {
        if let Some(&i) = self.map.get(id) {
            return Err(i);
        }
        let i = self.list.len();
        self.map.insert(id.to_string(), i);
        self.list.push(id.to_string());
        Ok(i)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The ID at an index.
    pub fn id(&self, i: usize) -> &str {
        &self.list[i]
    }

    pub fn find(&self, id: &str) -> Option<usize> {
        self.map.get(id).copied()
    }

    /// The index of a referenced ID, or `unknown region "sooth"; did you mean "south"?`.
    pub fn get(&self, id: &str) -> Result<usize, String> {
        self.find(id).ok_or_else(|| {
            let mut msg = format!("unknown {} {id:?}", self.what);
            if let Some(s) = suggest(id, &self.list) {
                msg.push_str(&format!("; did you mean {s:?}?"));
            }
            msg
        })
    }
}

/// The nearest known name, when near enough to be a likely typo.
pub fn suggest<'a>(given: &str, known: &'a [String]) -> Option<&'a str> {
    // Edit distance costs the product of the lengths: a megabyte-long
    // value would hang here, and no typo of an ID is that long.
    if given.len() > MAX_SUGGEST_BYTES {
        return None;
    }
    let lower = given.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    // Long lists: compare only names of similar length, to stay fast.
    for k in known {
        if k.len().abs_diff(given.len()) > 3 || k.len() > MAX_SUGGEST_BYTES {
            continue;
        }
        let d = strsim::osa_distance(&lower, &k.to_lowercase());
        if best.is_none_or(|(b, _)| d < b) {
            best = Some((d, k));
        }
    }
    let limit = (given.chars().count() / 3).max(1);
    best.filter(|&(d, _)| d <= limit).map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fy_starts() {
        assert_eq!(
            fy_start("04-01"),
            Ok(super::super::FyStart { month: 4, day: 1 })
        );
        assert_eq!(fy_start("10-01").map(|f| f.month), Ok(10));
        for bad in [
            "4-1", "13-01", "02-29", "04-31", "00-10", "0401", "04-01 ", "ab-cd",
        ] {
            assert!(fy_start(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(date("2026-02-28").is_ok());
        assert_eq!(
            date("2026-02-30").unwrap_err(),
            "\"2026-02-30\" is not a real day"
        );
        assert!(date("2026-2-3").unwrap_err().contains("YYYY-MM-DD"));
        assert!(date("0000-01-01").unwrap_err().contains("supported years"));
        assert!(date("9999-12-31").unwrap_err().contains("supported years"));
        assert!(date("２０２６-01-01").is_err());
    }

    #[test]
    fn counts_money_hours() {
        assert_eq!(count(3.0, 10), Ok(3));
        assert!(count(-1.0, 10).unwrap_err().contains("negative"));
        assert!(count(2.5, 10).unwrap_err().contains("whole"));
        assert!(count(1e12, 1_000_000).unwrap_err().contains("limit"));
        assert!(money(1e308).unwrap_err().contains("1e308"));
        assert_eq!(money(12.345).unwrap(), Money(1235));
        assert_eq!(hours(2.5).unwrap(), Hundredths(250));
        assert!(hours(2.505).unwrap_err().contains("two decimals"));
    }

    #[test]
    fn ids_and_suggestions() {
        assert!(id("site-1.a_b", MAX_ID_CHARS).is_ok());
        assert!(id("a/b", MAX_ID_CHARS).is_err());
        assert!(id("", MAX_ID_CHARS).is_err());
        assert!(id("abcd", 3).unwrap_err().contains("limit of 3"));
        assert!(name("abcd", 3).unwrap_err().contains("limit of 3"));
        let mut ids = Ids::new("region");
        ids.add("south").unwrap();
        ids.add("north").unwrap();
        assert_eq!(ids.add("south"), Err(0));
        assert_eq!(
            ids.get("sooth").unwrap_err(),
            "unknown region \"sooth\"; did you mean \"south\"?"
        );
        assert_eq!(ids.get("xyzzy").unwrap_err(), "unknown region \"xyzzy\"");
        // A megabyte-long reference gets no suggestion, and fast.
        let huge = "s".repeat(1 << 20);
        assert!(suggest(&format!("{huge}x"), std::slice::from_ref(&huge)).is_none());
    }
}
