//! An invoice and its lines.

use crate::money::Money;

use super::tax::{taxable, vat_rate};

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
