//! The tests the exercise is checked with, beside the probes of the server.
//! Run them with `cargo test`. The checker runs this file as shipped:
//! editing it changes nothing there.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::{SALT, hash, hash_password};

/// A password no answer can be prepared for: new on every run.
fn random_password() -> Vec<u8> {
    let n = RandomState::new().hash_one(Instant::now());
    format!("pw-{n:016x}").into_bytes()
}

// `#[tokio::test]` is a runtime with ONE thread: while the hash holds it,
// nothing else on it runs.
#[tokio::test]
async fn the_runtime_thread_stays_free_while_a_password_is_hashed() {
    let password = random_password();
    let ticks = Arc::new(AtomicUsize::new(0));
    let ticker = {
        let ticks = Arc::clone(&ticks);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(10));
            loop {
                every.tick().await;
                ticks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let started = Instant::now();
    let hashed = hash_password(password.clone()).await;
    let took = started.elapsed();
    ticker.abort();
    let ticks = ticks.load(Ordering::Relaxed);

    assert_eq!(
        hashed.as_deref().ok(),
        Some(hash::stretch(&password, SALT).as_str()),
        "TODO(1): hash_password must answer hash::stretch of the very password it was given, \
         with SALT"
    );
    assert!(
        ticks >= 3 || took < Duration::from_millis(50),
        "TODO(1): a 10 ms ticker on the runtime's only thread ticked {ticks} times while one \
         password was hashed for {took:?}: the hash held the thread. Run it where it does not \
         hold a thread of the runtime"
    );
}

#[tokio::test]
async fn two_passwords_get_two_hashes() {
    let (one, two) = (random_password(), random_password());
    let (first, second) = tokio::join!(hash_password(one.clone()), hash_password(two.clone()));
    assert_eq!(
        (first.ok(), second.ok()),
        (
            Some(hash::stretch(&one, SALT)),
            Some(hash::stretch(&two, SALT))
        ),
        "TODO(1): each password gets its own hash: hash::stretch of it, with SALT"
    );
}
