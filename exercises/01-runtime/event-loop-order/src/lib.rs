//! # event-loop-order: make tasks run in the order you need
//!
//! Five small async functions, each about one rule of tokio's scheduler.
//! The tests in `src/tests.rs` run them on tokio runtimes, most on a single
//! thread (what `#[tokio::test]` gives by default, the way Node.js runs your
//! code), some on four, with the real clock and wide margins. They record
//! what happened, in which task, and when, and compare it with what the
//! rule predicts.
//!
//! What to do: `TODO(1)` to `TODO(5)`, in that order. Each has a group of
//! tests in `src/tests.rs`, and every failing test names its TODO.
//! `cargo run` prints what each function does as it is now.
//!
//! Checked by: `cargo test`, with `src/tests.rs` as shipped (the checker
//! runs its own copy of that file, so editing it changes nothing).

use std::future::Future;
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
    // TODO(1): the wait must last `pause`, and during it the other tasks of
    // this thread must keep running (the tests count the ticks of a 10 ms
    // ticker on the same thread). Today the whole thread sleeps, and every
    // task on it with it.
    std::thread::sleep(pause);
}

/// A long computation in `chunks` slices of about 20 ms of CPU each,
/// logged as `chunk 1`, `chunk 2`, ... Timers and sockets of other tasks on
/// the same thread must still get their turn between two slices.
pub async fn crunch(log: &Log, chunks: u32) {
    for chunk in 1..=chunks {
        busy_for(Duration::from_millis(20));
        log.push(format!("chunk {chunk}"));
        // TODO(2): keep the work as it is (the CPU time is the point), but
        // between two slices let the runtime run whatever else is ready on
        // this thread: a 5 ms heartbeat must beat while `crunch` runs.
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

/// Two tasks take turns `rounds` times: the pinger calls `ping(1)`, then
/// the ponger calls `pong(1)`, then `ping(2)`, ... on any runtime, with any
/// number of threads, however long each call takes.
pub async fn ping_pong<P, Q>(rounds: usize, mut ping: P, mut pong: Q)
where
    P: FnMut(usize) + Send + 'static,
    Q: FnMut(usize) + Send + 'static,
{
    // TODO(3): today each task makes its calls as fast as it can, and the
    // order is whatever the runtime picks. Make them take turns: a side
    // starts round n only after the other side finished its part of the
    // round before. Keep the calls where they are: every `ping` in the
    // pinger task, every `pong` in the ponger task (the tests record which
    // task made each call, and make each call take a random time). The
    // function returns once both tasks have ended.
    let pinger = tokio::spawn(async move {
        for round in 1..=rounds {
            ping(round);
        }
    });
    let ponger = tokio::spawn(async move {
        for round in 1..=rounds {
            pong(round);
        }
    });
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
    // TODO(4): every job must run, all at the same time: three jobs of 400,
    // 100 and 200 ms take about 400 ms together, not 700. The answers still
    // come back in the order of `jobs`. A job that panics may panic here.
    let mut names = Vec::with_capacity(jobs.len());
    for job in jobs {
        names.push(job.run().await);
    }
    names
}

/// Runs every job at the same time; the names come back in the order the
/// jobs finish.
pub async fn as_they_finish<F>(jobs: Vec<F>) -> Vec<String>
where
    F: Future<Output = String> + Send + 'static,
{
    // TODO(5): run them all at once and return each answer as soon as its
    // job is done, the first to finish first. A job is any future here:
    // nothing in it says how long it takes, only the runtime finds out.
    let mut names = Vec::with_capacity(jobs.len());
    for job in jobs {
        names.push(job.await);
    }
    names
}

#[cfg(test)]
mod tests;
