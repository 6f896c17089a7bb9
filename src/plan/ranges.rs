//! The ranges `risk` draws from: a device type's `lead_time_range_days` and
//! the workflow's `effort_range`. Each is `[low, high]` around its estimate;
//! errors point at the element at fault.

use super::at::At;
use super::check::Checker;
use super::locate::Seg;
use super::values;

/// `[low, high]` in whole calendar days with low ≤ `estimate` ≤ high.
pub(super) fn lead_time(
    raw: &Option<Vec<f64>>,
    estimate: u32,
    top: &At,
    field: &[Seg],
    c: &mut Checker,
) -> Option<(u32, u32)> {
    let pair = two(raw.as_deref()?, top, field, c)?;
    let at = |k: usize| [field, &[Seg::I(k)]].concat();
    let low = c.ok(top, &at(0), values::days(pair.0));
    let high = c.ok(top, &at(1), values::days(pair.1));
    let (low, high) = (low?, high?);
    if low > estimate {
        c.err(
            top,
            &at(0),
            &format!(
                "{low} is more than lead_time_days ({estimate}); the range must hold the estimate"
            ),
        );
        return None;
    }
    if high < estimate {
        c.err(
            top,
            &at(1),
            &format!(
                "{high} is less than lead_time_days ({estimate}); the range must hold the estimate"
            ),
        );
        return None;
    }
    Some((low, high))
}

/// Largest factor an effort range may reach: ten times the estimate.
const MAX_EFFORT: f64 = 10.0;

/// `[low, high]` factors with 0 < low ≤ 1 ≤ high ≤ 10.
pub(super) fn effort(
    raw: &Option<Vec<f64>>,
    top: &At,
    field: &[Seg],
    c: &mut Checker,
) -> Option<(f64, f64)> {
    let (low, high) = two(raw.as_deref()?, top, field, c)?;
    let at = |k: usize| [field, &[Seg::I(k)]].concat();
    let mut ok = true;
    if !(low.is_finite() && low > 0.0 && low <= 1.0) {
        c.err(
            top,
            &at(0),
            &format!(
                "{} is not a low factor; it must be > 0 and ≤ 1 (1 = the estimate)",
                values::show(low)
            ),
        );
        ok = false;
    }
    if !(high.is_finite() && (1.0..=MAX_EFFORT).contains(&high)) {
        c.err(
            top,
            &at(1),
            &format!(
                "{} is not a high factor; it must be ≥ 1 (1 = the estimate) and at most {MAX_EFFORT}",
                values::show(high)
            ),
        );
        ok = false;
    }
    ok.then_some((low, high))
}

/// The two numbers of a `[low, high]` array.
fn two(v: &[f64], top: &At, field: &[Seg], c: &mut Checker) -> Option<(f64, f64)> {
    match v {
        [low, high] => Some((*low, *high)),
        _ => {
            c.err(
                top,
                field,
                &format!("has {} number(s); write [low, high]", v.len()),
            );
            None
        }
    }
}
