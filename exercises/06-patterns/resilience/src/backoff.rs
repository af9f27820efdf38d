//! How long to wait before the next attempt.

use std::time::Duration;

// TODO(2), first half: the wait before the next attempt, after
// `failures` failed ones (1 for the first): `base × 2^(failures - 1)`,
// never above `cap`, plus a random jitter of up to half of that again
// (`rand::rng().random_range(..)`), so the minimum spacing holds and two
// clients that failed at the same moment do not retry at the same moment.
// tests/breaker.rs says exactly what is expected.

/// The wait after `failures` failed attempts.
pub fn backoff(failures: u32, base: Duration, cap: Duration) -> Duration {
    let _ = (failures, base, cap);
    todo!("TODO(2): base × 2^(failures - 1), capped, plus up to 50% jitter")
}
