//! Every Redis key the queue uses: the API, the worker and the checker
//! agree on these names.

/// The job's record, a hash: `url`, `payload` (JSON text), `state`
/// (`queued`, `running`, `retrying`, `done` or `dead`), `attempts` (how
/// many deliveries got an answer or an error) and `last_error`.
pub fn job(id: &str) -> String {
    format!("job:{id}")
}

/// Ids waiting to run. New ids go in on the left; workers take from the
/// right, so the oldest runs first.
pub const READY: &str = "jobs:ready";

/// Ids waiting for their next attempt: a sorted set scored by when the
/// attempt is due, in milliseconds since the Unix epoch.
pub const DELAYED: &str = "jobs:delayed";

/// Ids that will never be tried again, newest on the left.
pub const DEAD: &str = "jobs:dead";

/// The ids a worker has claimed and not finished yet, one list per worker.
pub fn processing(worker: &str) -> String {
    format!("jobs:processing:{worker}")
}
