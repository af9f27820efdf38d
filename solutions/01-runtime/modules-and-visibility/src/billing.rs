//! Invoices and the tax rules they follow. The outside sees `Invoice`,
//! `Line` and the two functions re-exported below; `tax` stays inside.

mod invoice;
mod tax;

pub use invoice::{Invoice, Line};
pub use tax::{rate_table_loads, vat_rate};
