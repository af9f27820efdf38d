//! # modules-and-visibility: give a crate a shape
//!
//! A small invoicing library: amounts of money, invoices with lines, VAT by
//! country, a text rendering and (with the `json` feature) a JSON one.
//!
//! Its public API is what `tests/public_api.rs` uses, the way another crate
//! would: `Money`, `Invoice`, `Line`, `vat_rate`, `rate_table_loads`.
//!
//! Checked by: `cargo test` (`tests/public_api.rs`).

mod billing;
mod money;

pub use billing::{Invoice, Line, rate_table_loads, vat_rate};
pub use money::Money;
