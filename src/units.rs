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
