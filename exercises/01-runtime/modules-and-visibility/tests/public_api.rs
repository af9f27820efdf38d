//! The crate as another crate sees it: only what is `pub` and reachable
//! from the root. Run with `cargo test`.
//!
//! `std::any::type_name` tells where a type is defined, whatever path it
//! is imported by: that is how these tests see the module tree.

use std::any::type_name;

use modules_and_visibility::{Invoice, Line, Money, rate_table_loads, vat_rate};

fn invoice() -> Invoice {
    let mut invoice = Invoice::new(42, "DE");
    invoice
        .add("Consulting", Money::cents(100_000))
        .add("Travel", Money::cents(23_450))
        .add("Deposit refund", Money::cents(-5_000));
    invoice
}

// --- the behaviour: must not change while you move things around ---

#[test]
fn totals_are_right() {
    let invoice = invoice();
    assert_eq!(invoice.net(), Money::cents(118_450));
    assert_eq!(
        invoice.vat(),
        Money::cents(23_456),
        "19 % of 1234.50, rounded"
    );
    assert_eq!(invoice.total(), Money::cents(141_906));
    assert_eq!(invoice.lines().len(), 3);
    assert!(invoice.render().contains("Total"));
    assert_eq!(Money::cents(-1_234).to_string(), "-12.34");
}

// --- TODO(1) and TODO(2): the module tree ---

#[test]
fn money_has_a_module_of_its_own() {
    assert_eq!(
        type_name::<Money>(),
        "modules_and_visibility::money::Money",
        "TODO(1): define Money in src/money.rs (module `money`) and re-export it from \
         lib.rs with `pub use money::Money;`"
    );
}

#[test]
fn invoices_live_in_billing() {
    assert_eq!(
        type_name::<Invoice>(),
        "modules_and_visibility::billing::invoice::Invoice",
        "TODO(2): define Invoice in src/billing/invoice.rs (module `billing::invoice`), \
         and re-export it: `pub use invoice::Invoice;` in billing.rs, `pub use \
         billing::Invoice;` in lib.rs"
    );
    assert_eq!(
        type_name::<Line>(),
        "modules_and_visibility::billing::invoice::Line",
        "TODO(2): Line goes with Invoice"
    );
    assert_eq!(
        type_name_of(vat_rate),
        "modules_and_visibility::billing::tax::vat_rate",
        "TODO(2): vat_rate goes to src/billing/tax.rs (module `billing::tax`), \
         re-exported the same way"
    );
}

fn type_name_of<T>(_: T) -> &'static str {
    type_name::<T>()
}

// --- TODO(3): a feature ---

#[test]
fn the_json_feature_is_on_by_default() {
    assert!(
        cfg!(feature = "json"),
        "TODO(3): declare a `json` feature in Cargo.toml, on by default, that enables the \
         optional serde_json dependency"
    );
}

#[test]
fn an_invoice_as_json() {
    #[cfg(feature = "json")]
    {
        let json = invoice().to_json();
        assert!(json.contains("\"total_cents\":141906"), "{json}");
    }
    #[cfg(not(feature = "json"))]
    panic!("TODO(3): `Invoice::to_json` exists with the `json` feature, which is off");
}

// --- TODO(4): global state, loaded once ---

#[test]
fn the_rate_table_is_loaded_once() {
    for _ in 0..100 {
        assert_eq!(vat_rate("FR"), 20);
        assert_eq!(vat_rate("XX"), 0);
    }
    assert_eq!(
        rate_table_loads(),
        1,
        "TODO(4): the rate table was parsed {} times; load it once and keep it in a \
         `static RATES: LazyLock<HashMap<..>> = LazyLock::new(load_rates);`",
        rate_table_loads()
    );
}
