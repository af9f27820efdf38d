//! Asks the legacy service for a few prices through the async API of
//! `lib.rs` and prints what comes back (`cargo run`). Given.

use std::time::{Duration, Instant};

use callbacks_to_async::legacy::QuoteService;
use callbacks_to_async::{fastest, quote, quote_pair, quote_within};

#[tokio::main]
async fn main() {
    let service = QuoteService::new();
    let started = Instant::now();
    let show = |what: &str, result: &dyn std::fmt::Debug| {
        println!("{:>6.0?}  {what}: {result:?}", started.elapsed());
    };

    show("quote(ACME)", &quote(&service, "ACME").await);
    show("quote(NOPE)", &quote(&service, "NOPE").await);
    show("quote(LOST)", &quote(&service, "LOST").await);
    let pair = quote_pair(&service, "ACME", "GLOBEX").await;
    show("quote_pair(ACME, GLOBEX)", &pair);
    let limited = quote_within(&service, "HOOLI", Duration::from_millis(200)).await;
    show("quote_within(HOOLI, 200 ms)", &limited);
    show(
        "fastest(HOOLI, ACME)",
        &fastest(&service, "HOOLI", "ACME").await,
    );
    println!(
        "most requests in flight at once: {}",
        service.most_in_flight()
    );
}
