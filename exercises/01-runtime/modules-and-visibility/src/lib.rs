//! # modules-and-visibility: give a crate a shape
//!
//! A small invoicing library: amounts of money, invoices with lines, VAT by
//! country, a text rendering and (with the `json` feature) a JSON one.
//!
//! Its public API is what `tests/public_api.rs` uses, the way another crate
//! would: `Money`, `Invoice`, `Line`, `vat_rate`, `rate_table_loads`. It all
//! grew in this one file; give it a shape without changing what it does
//! (the behaviour tests must stay green):
//!
//! - `TODO(1)`: `Money` and its impls move to `src/money.rs` (module
//!   `money`); `lib.rs` declares `mod money;` and re-exports the type with
//!   `pub use money::Money;`. The module itself stays private.
//! - `TODO(2)`: the invoice and the tax rules move under `billing`:
//!   `src/billing.rs` declares `mod invoice;` and `mod tax;`, `Invoice` and
//!   `Line` go to `src/billing/invoice.rs`, the rates to
//!   `src/billing/tax.rs`. `billing.rs` re-exports what the outside needs
//!   (`pub use invoice::{Invoice, Line};` and the two tax functions), and
//!   `lib.rs` re-exports it again. `taxable` is only for `billing`: make it
//!   `pub(super)`, not `pub`. `invoice.rs` reaches it with
//!   `use super::tax::taxable;` and `Money` with `use crate::money::Money;`.
//! - `TODO(3)` is in Cargo.toml: the `json` feature.
//! - `TODO(4)`: load the rate table once (`vat_rate`).
//!
//! Checked by: `cargo test` (`tests/public_api.rs`). It sees the module
//! tree through `std::any::type_name`, which names where a type is
//! defined, whatever path it is imported by.

use std::collections::HashMap;
use std::fmt;
use std::ops::Add;
#[allow(unused_imports)] // TODO(4) needs it
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

// ---------------------------------------------------------------- money

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

// -------------------------------------------------------------- invoice

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub description: String,
    pub amount: Money,
}

/// An invoice to a customer in `country`. Its lines are private: they are
/// only added through `add`, which keeps the invoice consistent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    pub number: u32,
    pub country: String,
    lines: Vec<Line>,
}

impl Invoice {
    pub fn new(number: u32, country: &str) -> Invoice {
        Invoice {
            number,
            country: country.to_string(),
            lines: Vec::new(),
        }
    }

    pub fn add(&mut self, description: &str, amount: Money) -> &mut Invoice {
        self.lines.push(Line {
            description: description.to_string(),
            amount,
        });
        self
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The total before tax.
    pub fn net(&self) -> Money {
        self.lines
            .iter()
            .map(|line| line.amount)
            .fold(Money::default(), |a, b| a + b)
    }

    /// The VAT due: the country's rate on the taxable lines.
    pub fn vat(&self) -> Money {
        let taxed = self
            .lines
            .iter()
            .filter(|line| taxable(&line.description))
            .map(|line| line.amount)
            .fold(Money::default(), |a, b| a + b);
        taxed.percent(vat_rate(&self.country))
    }

    pub fn total(&self) -> Money {
        self.net() + self.vat()
    }

    /// The invoice as text, one line per line.
    pub fn render(&self) -> String {
        let mut out = format!("Invoice {} ({})\n", self.number, self.country);
        for line in &self.lines {
            out.push_str(&format!("  {:<20} {:>10}\n", line.description, line.amount));
        }
        out.push_str(&format!("  {:<20} {:>10}\n", "VAT", self.vat()));
        out.push_str(&format!("  {:<20} {:>10}\n", "Total", self.total()));
        out
    }

    /// The invoice as JSON. Only with the `json` feature.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        let lines: Vec<serde_json::Value> = self
            .lines
            .iter()
            .map(|line| {
                serde_json::json!({
                    "description": line.description,
                    "cents": line.amount.as_cents(),
                })
            })
            .collect();
        serde_json::json!({
            "number": self.number,
            "country": self.country,
            "lines": lines,
            "total_cents": self.total().as_cents(),
        })
        .to_string()
    }
}

// ------------------------------------------------------------------ tax

/// The table, as it would come from a file or a service.
const RATE_TABLE: &str = "\
    # country  percent
    DE 19
    FR 20
    NL 21
    VN 10
";

/// How many times the table was loaded.
static LOADS: AtomicUsize = AtomicUsize::new(0);

fn load_rates() -> HashMap<&'static str, u32> {
    LOADS.fetch_add(1, Ordering::Relaxed);
    RATE_TABLE
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (country, percent) = line.split_once(' ')?;
            Some((country, percent.trim().parse().ok()?))
        })
        .collect()
}

/// The VAT rate of `country` in percent; 0 for a country not in the table.
pub fn vat_rate(country: &str) -> u32 {
    // TODO(4): this parses the whole table on every call: 100 lookups, 100
    // loads. Load it once, on first use, into a `static`:
    //     static RATES: LazyLock<HashMap<&'static str, u32>> =
    //         LazyLock::new(load_rates);
    // and look the country up in `RATES`. (Rust runs no code when a module
    // is loaded: a `static` is made at compile time, or lazily like this.)
    load_rates().get(country).copied().unwrap_or(0)
}

/// How many times the rate table was loaded (parsed) so far.
pub fn rate_table_loads() -> usize {
    LOADS.load(Ordering::Relaxed)
}

/// Whether a line of this kind is taxed at all. Only `billing` needs it.
fn taxable(description: &str) -> bool {
    !description.starts_with("Deposit")
}
