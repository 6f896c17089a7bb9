//! Exact quantities: money in cents and hours in hundredths, so that sums,
//! budgets and durations never suffer floating-point drift.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

/// An amount of money in hundredths of the plan's currency unit (pence, cents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// From a JSON number, rounded to the cent. `None` when it does not fit.
    pub fn from_f64(v: f64) -> Option<Money> {
        let c = (v * 100.0).round();
        if c.is_finite() && c.abs() < 9.0e15 {
            Some(Money(c as i64))
        } else {
            None
        }
    }

    /// As a JSON number (exact for every amount below 2^53 cents).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn checked_mul(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).map(Money)
    }
}

impl fmt::Display for Money {
    /// `1234.50`: two decimals, no separators (for messages and reasons).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}
impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0
    }
}
impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}
impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        self.0 -= o.0
    }
}
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

/// A price per unit (per device), in millionths of the currency unit, so that
/// a price with more than two decimals (0.125 a cable tie) is kept exactly
/// and a cost, Σ count × price, is rounded to the cent once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Price(pub i64);

impl Price {
    pub const ZERO: Price = Price(0);
    const PER_CENT: i128 = 10_000;

    /// From a JSON number, rounded to a millionth. `None` when it does not fit.
    pub fn from_f64(v: f64) -> Option<Price> {
        let m = (v * 1e6).round();
        (m.is_finite() && m.abs() < 9.0e18).then_some(Price(m as i64))
    }

    /// A whole number of cents as a price (tests and the sample plan).
    pub fn cents(c: i64) -> Price {
        Price(c.saturating_mul(Self::PER_CENT as i64))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// Σ count × price over `items`, computed exactly and rounded to the
    /// nearest cent once (halves up), saturating at the largest amount.
    pub fn total(items: impl Iterator<Item = (Price, u64)>) -> Money {
        let micro: i128 = items.map(|(p, n)| p.0 as i128 * n as i128).sum();
        let cents = (micro.max(0) + Self::PER_CENT / 2) / Self::PER_CENT;
        Money(cents.min(i64::MAX as i128) as i64)
    }
}

/// A quantity in hundredths (hours: 2.5 h = 250).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hundredths(pub i64);

impl Hundredths {
    /// From a JSON number; `None` when it has more than two decimals or does not fit.
    pub fn from_f64(v: f64) -> Option<Hundredths> {
        let c = (v * 100.0).round();
        if !c.is_finite() || c.abs() >= 9.0e15 || ((c / 100.0) - v).abs() > 1e-9 * v.abs().max(1.0)
        {
            return None;
        }
        Some(Hundredths(c as i64))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_rounded_to_the_cent_once_not_per_unit() {
        // 0.125 × 3 = 0.375 → 0.38; rounding the price first gives 0.39.
        let tie = Price::from_f64(0.125).unwrap();
        assert_eq!(Price::total([(tie, 3)].into_iter()), Money(38));
        // 0.004 × 1,000 = 4.00; rounding the price first gives 0.
        let p = Price::from_f64(0.004).unwrap();
        assert_eq!(Price::total([(p, 1000)].into_iter()), Money(400));
    }

    #[test]
    fn prices_in_whole_cents_total_as_before() {
        let a = Price::from_f64(19.99).unwrap();
        let b = Price::from_f64(700.0).unwrap();
        assert_eq!(a, Price::cents(1999));
        assert_eq!(
            Price::total([(a, 3), (b, 2)].into_iter()),
            Money(5997 + 140_000)
        );
    }
}
