//! The tests the exercise is checked with. Run them with `cargo test`; the
//! checker runs this file as shipped, so editing it changes nothing there.
//!
//! Every await below has a deadline, so a future that is never woken fails
//! its test instead of hanging it.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::legacy::{Quote, QuoteService};
use crate::reply::{Closed, reply};
use crate::{Error, fastest, quote, quote_pair, quote_within};

/// Awaits `future`, failing the test after 5 s with `what`.
async fn within_5s<F: Future>(future: F, what: &str) -> F::Output {
    match tokio::time::timeout(Duration::from_secs(5), future).await {
        Ok(output) => output,
        Err(_) => panic!("{what}"),
    }
}

fn acme() -> Quote {
    Quote {
        symbol: "ACME".to_string(),
        cents: 12_345,
    }
}

// --- TODO(1): the Reply future ---

#[tokio::test]
async fn a_value_sent_before_the_await_is_ready() {
    let (sender, answer) = reply();
    sender.send(7);
    let got = within_5s(answer, "TODO(1): the value was already there").await;
    assert_eq!(got, Ok(7), "TODO(1): poll returns Ready(Ok(value))");
}

#[tokio::test]
async fn a_value_sent_later_wakes_the_task() {
    let (sender, answer) = reply();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        sender.send("later");
    });
    let got = within_5s(
        answer,
        "TODO(1): the value was sent 50 ms later but the task was never woken: \
         before returning Pending, keep `cx.waker().clone()` in the slot so that \
         `send` can wake it",
    )
    .await;
    assert_eq!(got, Ok("later"));
}

#[tokio::test]
async fn a_dropped_sender_closes_the_reply() {
    let (sender, answer) = reply::<u32>();
    drop(sender);
    let got = within_5s(answer, "TODO(1): the sender is gone").await;
    assert_eq!(
        got,
        Err(Closed),
        "TODO(1): once the sender is gone, poll returns Ready(Err(Closed))"
    );

    let (sender, answer) = reply::<u32>();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        drop(sender);
    });
    let got = within_5s(
        answer,
        "TODO(1): the sender was dropped 50 ms later and the task never finished",
    )
    .await;
    assert_eq!(got, Err(Closed));
}

// --- TODO(2): a future over the callback ---

#[tokio::test]
async fn quote_answers_with_the_price() {
    let service = QuoteService::new();
    let got = within_5s(
        quote(&service, "ACME"),
        "TODO(2): quote(ACME) never finished",
    )
    .await;
    assert_eq!(got, Ok(acme()), "TODO(2): the callback's quote");
    assert_eq!(
        service.most_in_flight(),
        1,
        "TODO(2): the service was never asked: the quote must come from its callback"
    );
}

#[tokio::test]
async fn quote_reports_an_unknown_symbol() {
    let service = QuoteService::new();
    let got = within_5s(
        quote(&service, "NOPE"),
        "TODO(2): quote(NOPE) never finished",
    )
    .await;
    assert_eq!(
        got,
        Err(Error::Unknown("NOPE".to_string())),
        "TODO(2): LegacyError::UnknownSymbol becomes Error::Unknown"
    );
}

#[tokio::test]
async fn quote_reports_a_lost_callback() {
    let service = QuoteService::new();
    let got = within_5s(
        quote(&service, "LOST"),
        "TODO(2): the service dropped the callback for LOST, and quote waited forever",
    )
    .await;
    assert_eq!(
        got,
        Err(Error::NoAnswer),
        "TODO(2): a dropped callback (Closed) is Error::NoAnswer"
    );
}

// --- TODO(3): two at the same time ---

#[tokio::test]
async fn quote_pair_asks_for_both_at_once() {
    let service = QuoteService::new();
    let (a, b) = within_5s(
        quote_pair(&service, "ACME", "GLOBEX"),
        "TODO(3): never finished",
    )
    .await
    .expect("TODO(3): both symbols exist");
    assert_eq!(
        (a.cents, b.cents),
        (12_345, 6_789),
        "TODO(3): in the order asked"
    );
    assert_eq!(
        service.most_in_flight(),
        2,
        "TODO(3): the service never had both requests at once: the second was asked \
         for after the first answered. Poll both futures together (tokio::join!)"
    );
}

#[tokio::test]
async fn quote_pair_fails_when_one_fails() {
    let service = QuoteService::new();
    let got = within_5s(
        quote_pair(&service, "ACME", "NOPE"),
        "TODO(3): never finished",
    )
    .await;
    assert_eq!(
        got,
        Err(Error::Unknown("NOPE".to_string())),
        "TODO(3): one error fails the pair (tokio::try_join!)"
    );
}

// --- TODO(4): a deadline ---

#[tokio::test]
async fn quote_within_gives_up_at_the_limit() {
    let service = QuoteService::new();
    let started = Instant::now();
    let got = within_5s(
        quote_within(&service, "HOOLI", Duration::from_millis(200)),
        "TODO(4): HOOLI takes 3 s, the limit was 200 ms",
    )
    .await;
    let took = started.elapsed();
    assert_eq!(
        got,
        Err(Error::TimedOut),
        "TODO(4): past the limit: Error::TimedOut"
    );
    assert!(
        took < Duration::from_millis(1_500),
        "TODO(4): gave up after {took:?}; the limit was 200 ms"
    );
}

#[tokio::test]
async fn quote_within_answers_in_time() {
    let service = QuoteService::new();
    let got = within_5s(
        quote_within(&service, "ACME", Duration::from_secs(2)),
        "TODO(4): never finished",
    )
    .await;
    assert_eq!(got, Ok(acme()), "TODO(4): within the limit, the quote");
}

// --- TODO(5): a race ---

#[tokio::test]
async fn fastest_takes_the_first_answer() {
    let service = QuoteService::new();
    let started = Instant::now();
    let got = within_5s(
        fastest(&service, "HOOLI", "ACME"),
        "TODO(5): never finished",
    )
    .await;
    let took = started.elapsed();
    assert_eq!(
        got,
        Ok(acme()),
        "TODO(5): ACME (100 ms) answers before HOOLI (3 s)"
    );
    assert!(
        took < Duration::from_millis(1_500),
        "TODO(5): took {took:?}: the race waited for the slow call"
    );
    assert_eq!(
        service.most_in_flight(),
        2,
        "TODO(5): both calls must be running at once (tokio::select!)"
    );
}
