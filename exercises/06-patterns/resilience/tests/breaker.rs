//! The circuit breaker and the backoff, on a clock the tests move.
//! Shipped with the exercise and run as shipped: do not edit.

use std::time::{Duration, Instant};

use resilience::backoff::backoff;
use resilience::breaker::{Breaker, State};

const COOLDOWN: Duration = Duration::from_millis(500);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A breaker opened by `threshold` failures at `t0`.
fn opened(threshold: u32, t0: Instant) -> Breaker {
    let mut b = Breaker::new(threshold, COOLDOWN);
    for _ in 0..threshold {
        assert_eq!(b.allow(t0), Ok(()), "a closed breaker lets calls out");
        b.record(false, t0);
    }
    b
}

#[test]
fn failures_below_the_threshold_keep_it_closed_and_a_success_resets_them() {
    let t0 = Instant::now();
    let mut b = Breaker::new(3, COOLDOWN);
    for _ in 0..2 {
        assert_eq!(b.allow(t0), Ok(()));
        b.record(false, t0);
    }
    assert_eq!(b.state(), State::Closed { failures: 2 });
    b.record(true, t0);
    assert_eq!(
        b.state(),
        State::Closed { failures: 0 },
        "a success starts the count again"
    );
    for _ in 0..2 {
        b.record(false, t0);
    }
    assert!(
        matches!(b.state(), State::Closed { .. }),
        "2 failures after a success are below a threshold of 3: {:?}",
        b.state()
    );
}

#[test]
fn the_threshold_opens_it_and_calls_are_refused_with_the_time_left() {
    let t0 = Instant::now();
    let mut b = opened(3, t0);
    assert_eq!(
        b.state(),
        State::Open {
            until: t0 + COOLDOWN
        }
    );
    assert_eq!(
        b.allow(t0 + ms(100)),
        Err(ms(400)),
        "refused, with the rest of the cooldown"
    );
    assert_eq!(b.allow(t0 + ms(499)), Err(ms(1)));
}

#[test]
fn after_the_cooldown_one_trial_goes_out_and_the_others_wait() {
    let t0 = Instant::now();
    let mut b = opened(2, t0);
    let later = t0 + COOLDOWN;
    assert_eq!(b.allow(later), Ok(()), "the cooldown is over: one trial");
    assert_eq!(b.state(), State::HalfOpen { since: later });
    assert!(
        b.allow(later + ms(10)).is_err(),
        "a second call while the trial is out is refused"
    );
}

#[test]
fn a_good_trial_closes_it() {
    let t0 = Instant::now();
    let mut b = opened(2, t0);
    let later = t0 + COOLDOWN + ms(20);
    assert_eq!(b.allow(later), Ok(()));
    b.record(true, later + ms(5));
    assert_eq!(b.state(), State::Closed { failures: 0 });
    assert_eq!(b.allow(later + ms(6)), Ok(()));
}

#[test]
fn a_failed_trial_opens_it_again_for_a_whole_cooldown() {
    let t0 = Instant::now();
    let mut b = opened(4, t0);
    let trial = t0 + COOLDOWN + ms(50);
    assert_eq!(b.allow(trial), Ok(()));
    let failed_at = trial + ms(30);
    b.record(false, failed_at);
    assert_eq!(
        b.state(),
        State::Open {
            until: failed_at + COOLDOWN
        },
        "one failed trial is enough: no new count up to the threshold"
    );
    assert!(b.allow(failed_at + ms(1)).is_err());
}

#[test]
fn a_trial_that_never_reports_does_not_jam_it() {
    let t0 = Instant::now();
    let mut b = opened(2, t0);
    let trial = t0 + COOLDOWN;
    assert_eq!(b.allow(trial), Ok(()));
    // The caller of the trial gave up and never called record().
    assert!(b.allow(trial + COOLDOWN - ms(1)).is_err());
    assert_eq!(
        b.allow(trial + COOLDOWN),
        Ok(()),
        "after another cooldown, another trial"
    );
}

#[test]
fn backoff_doubles_from_the_base_with_up_to_half_again_of_jitter() {
    let (base, cap) = (ms(100), ms(10_000));
    for (failures, exp) in [(1, 100), (2, 200), (3, 400), (4, 800)] {
        for _ in 0..50 {
            let wait = backoff(failures, base, cap);
            assert!(
                wait >= ms(exp) && wait <= ms(exp * 3 / 2),
                "after {failures} failure(s) the wait is {exp} to {} ms, got {wait:?}",
                exp * 3 / 2
            );
        }
    }
}

#[test]
fn backoff_is_capped() {
    let wait = backoff(30, ms(100), ms(1000));
    assert!(
        wait >= ms(1000) && wait <= ms(1500),
        "capped at 1000 ms (+50%), got {wait:?}"
    );
}

#[test]
fn backoff_has_jitter() {
    let waits: std::collections::BTreeSet<Duration> =
        (0..40).map(|_| backoff(3, ms(100), ms(10_000))).collect();
    assert!(
        waits.len() > 5,
        "40 waits should not be a handful of values: {waits:?}"
    );
}
