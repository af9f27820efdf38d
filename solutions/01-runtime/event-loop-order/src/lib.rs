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

use tokio::sync::mpsc;
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
    // The runtime's timer: the task hands the thread back, and the runtime
    // wakes it when the time is up.
    tokio::time::sleep(pause).await;
}

/// A long computation in `chunks` slices of about 20 ms of CPU each,
/// logged as `chunk 1`, `chunk 2`, ... Timers and sockets of other tasks on
/// the same thread must still get their turn between two slices.
pub async fn crunch(log: &Log, chunks: u32) {
    for chunk in 1..=chunks {
        busy_for(Duration::from_millis(20));
        log.push(format!("chunk {chunk}"));
        // Back of the queue: the runtime checks its timers and sockets, and
        // runs whoever is ready, before our next slice.
        tokio::task::yield_now().await;
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
    let (to_ponger, mut ponger_inbox) = mpsc::channel::<usize>(1);
    let (to_pinger, mut pinger_inbox) = mpsc::channel::<usize>(1);

    let pinger = tokio::spawn(async move {
        for round in 1..=rounds {
            ping(round);
            if to_ponger.send(round).await.is_err() {
                return; // the ponger is gone
            }
            // Wait for the pong before the next ping.
            if pinger_inbox.recv().await.is_none() {
                return;
            }
        }
        // Dropping `to_ponger` here ends the ponger's loop.
    });
    let ponger = tokio::spawn(async move {
        while let Some(round) = ponger_inbox.recv().await {
            pong(round);
            if to_pinger.send(round).await.is_err() {
                return;
            }
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
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|job| tokio::spawn(job.run()))
        .collect();
    let mut names = Vec::with_capacity(handles.len());
    for handle in handles {
        names.push(handle.await.expect("a job panicked"));
    }
    names
}

/// Runs every job at the same time; the names come back in the order the
/// jobs finish.
pub async fn as_they_finish<F>(jobs: Vec<F>) -> Vec<String>
where
    F: Future<Output = String> + Send + 'static,
{
    let mut set = JoinSet::new();
    for job in jobs {
        set.spawn(job);
    }
    let mut names = Vec::with_capacity(set.len());
    while let Some(done) = set.join_next().await {
        names.push(done.expect("a job panicked"));
    }
    names
}

#[cfg(test)]
mod tests;
