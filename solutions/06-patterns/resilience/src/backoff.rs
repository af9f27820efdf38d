//! How long to wait before the next attempt.

use std::time::Duration;

use rand::Rng;

/// The wait after `failures` failed attempts (1 for the first):
/// `base × 2^(failures - 1)`, at most `cap`, plus a random jitter of up to
/// half of that again. The minimum spacing is guaranteed; two clients that
/// failed together do not retry together.
pub fn backoff(failures: u32, base: Duration, cap: Duration) -> Duration {
    let exp = base
        .saturating_mul(1 << failures.saturating_sub(1).min(20))
        .min(cap);
    exp + rand::rng().random_range(Duration::ZERO..=exp / 2)
}
