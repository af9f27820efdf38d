//! # event-loop-order: make tasks run in the order you need
//!
//! Five small async functions, each about one rule of tokio's scheduler.
//! They write what happens into a [`Log`]; the tests in `src/tests.rs` run
//! them on a single-threaded runtime (what `#[tokio::test]` gives by
//! default) with a paused clock, and compare the log with the order that
//! the rule predicts.
//!
//! What to do: `TODO(1)` to `TODO(5)`, in that order. Each has a group of
//! tests in `src/tests.rs`, and every failing test names its TODO.
//! `cargo run` prints what each function does as it is now.
//!
//! Checked by: `cargo test`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

// You will need these two.
#[allow(unused_imports)]
use tokio::sync::mpsc;
#[allow(unused_imports)]
use tokio::task::JoinSet;

/// What happened, in order. A clone is another handle to the same log, so
/// every task can get its own.
#[derive(Debug, Clone, Default)]
pub struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn push(&self, entry: impl Into<String>) {
        self.lock().push(entry.into());
    }

    /// A copy of everything logged so far.
    pub fn entries(&self) -> Vec<String> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        // A task that panicked while pushing left a valid Vec behind.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Waits `pause` while the other tasks of this thread keep running.
pub async fn wait_politely(pause: Duration) {
    // TODO(1): `std::thread::sleep` puts the whole thread to sleep, and every
    // task of the thread with it. Wait on the runtime's timer instead
    // (`tokio::time::sleep(..).await`): the task hands the thread back, and
    // the runtime wakes it when the time is up.
    std::thread::sleep(pause);
}

/// A long computation in `chunks` slices of about 20 ms of CPU each,
/// logged as `chunk 1`, `chunk 2`, ... Timers and sockets of other tasks on
/// the same thread must still get their turn between two slices.
pub async fn crunch(log: &Log, chunks: u32) {
    for chunk in 1..=chunks {
        busy_for(Duration::from_millis(20));
        log.push(format!("chunk {chunk}"));
        // TODO(2): a task keeps its thread until it reaches an `.await` that
        // has to wait, and nothing in this loop waits: for 100 ms no timer
        // fires and no socket is read on this thread. After each chunk, go
        // to the back of the queue (`tokio::task::yield_now().await`): the
        // runtime then polls its timers and sockets and runs who is ready.
    }
}

/// Keeps the CPU busy for `how_long` (a stand-in for real work: parsing,
/// hashing, resizing an image).
fn busy_for(how_long: Duration) {
    let started = std::time::Instant::now();
    while started.elapsed() < how_long {
        std::hint::spin_loop();
    }
}

/// Two tasks take turns `rounds` times: `ping 1`, `pong 1`, `ping 2`, ...
/// on any runtime, with any number of threads.
pub async fn ping_pong(log: &Log, rounds: usize) {
    // TODO(3): today both tasks just log, in whatever order the runtime
    // picks. Make each one wait for the other, with two channels
    // (`mpsc::channel(1)`), one in each direction. The pinger logs `ping n`,
    // sends `n` to the ponger and waits for the reply before its next
    // round; the ponger waits for a message, logs `pong n` and replies.
    // When the pinger is done, dropping its sender ends the ponger's
    // `while let Some(round) = inbox.recv().await` loop.
    let pinger = {
        let log = log.clone();
        tokio::spawn(async move {
            for round in 1..=rounds {
                log.push(format!("ping {round}"));
            }
        })
    };
    let ponger = {
        let log = log.clone();
        tokio::spawn(async move {
            for round in 1..=rounds {
                log.push(format!("pong {round}"));
            }
        })
    };
    let _ = tokio::join!(pinger, ponger);
}

/// A job takes `delay` (think: a call to another service) and returns its
/// name.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub delay: Duration,
}

impl Job {
    pub fn new(name: &str, millis: u64) -> Job {
        Job {
            name: name.to_string(),
            delay: Duration::from_millis(millis),
        }
    }

    pub async fn run(self) -> String {
        tokio::time::sleep(self.delay).await;
        self.name
    }
}

/// Runs every job at the same time; the names come back in the order of
/// `jobs`, whatever order they finish in.
pub async fn run_all(jobs: Vec<Job>) -> Vec<String> {
    // TODO(4): this awaits each job before it starts the next one, so the
    // waits add up. Start them all first: `tokio::spawn(job.run())` returns
    // a `JoinHandle` at once while the job runs in the background. Keep the
    // handles in a Vec, then await them in order (`handle.await` is a
    // `Result`: `Err` means the job panicked).
    let mut names = Vec::with_capacity(jobs.len());
    for job in jobs {
        names.push(job.run().await);
    }
    names
}

/// Runs every job at the same time; the names come back in the order the
/// jobs finish.
pub async fn as_they_finish(jobs: Vec<Job>) -> Vec<String> {
    // TODO(5): awaiting handles in order waits for the slowest first. A
    // `JoinSet` hands results back as the tasks finish: `set.spawn(..)` each
    // job, then `while let Some(done) = set.join_next().await { .. }`.
    let mut names = Vec::with_capacity(jobs.len());
    for job in jobs {
        names.push(job.run().await);
    }
    names
}

#[cfg(test)]
mod tests;
