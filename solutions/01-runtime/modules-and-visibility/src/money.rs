//! Amounts of money, in cents: never floating point.

use std::fmt;
use std::ops::Add;

/// An amount in cents. The field is private: an amount is made with
/// `Money::cents` and only ever changed by the operations below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Money {
    cents: i64,
}

impl Money {
    pub fn cents(cents: i64) -> Money {
        Money { cents }
    }

    pub fn as_cents(self) -> i64 {
        self.cents
    }

    /// This amount times `percent` / 100, rounded half up.
    pub fn percent(self, percent: u32) -> Money {
        let scaled = self.cents * i64::from(percent);
        Money::cents((scaled + 50).div_euclid(100))
    }
}

impl Add for Money {
    type Output = Money;

    fn add(self, other: Money) -> Money {
        Money::cents(self.cents + other.cents)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let cents = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02}", cents / 100, cents % 100)
    }
}
