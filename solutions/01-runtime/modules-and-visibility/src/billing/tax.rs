//! VAT rates by country, read from a table once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Loaded the first time it is used, then shared: a `static` is the
/// crate's only global state, and `LazyLock` makes it lazy.
static RATES: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(load_rates);

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
    RATES.get(country).copied().unwrap_or(0)
}

/// How many times the rate table was loaded (parsed) so far.
pub fn rate_table_loads() -> usize {
    LOADS.load(Ordering::Relaxed)
}

/// Whether a line of this kind is taxed at all. Only `billing` needs it.
pub(super) fn taxable(description: &str) -> bool {
    !description.starts_with("Deposit")
}
