//! The tests the exercise is checked with. Run them with `cargo test`.
//!
//! `#[tokio::test]` runs each test on a single-threaded runtime, the way
//! Node.js runs your code on one thread. The timings are far apart (100 ms
//! steps, loose limits) so that a busy machine does not change the verdict.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use std::time::Instant;

use tokio::time::MissedTickBehavior;

use crate::{Job, Log, as_they_finish, crunch, ping_pong, run_all, wait_politely};

fn jobs() -> Vec<Job> {
    vec![Job::new("a", 400), Job::new("b", 100), Job::new("c", 200)]
}

// --- TODO(1): waiting without blocking the thread ---

#[tokio::test]
async fn other_tasks_run_while_one_waits() {
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
    wait_politely(Duration::from_millis(100)).await;
    ticker.abort();
    let ticks = ticks.load(Ordering::Relaxed);
    assert!(
        ticks >= 3,
        "TODO(1): a ticker on the same thread ticked {ticks} times during a 100 ms wait, \
         expected about 10: the wait blocked the thread, so no other task could run"
    );
}

// --- TODO(2): long work lets timers in ---

#[tokio::test]
async fn a_heartbeat_beats_between_chunks_of_work() {
    let log = Log::default();
    let heartbeat = {
        let log = log.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(5));
            every.set_missed_tick_behavior(MissedTickBehavior::Skip);
            loop {
                every.tick().await;
                log.push("beat");
            }
        })
    };
    // In its own task, as a request handler in a server would be.
    let work = tokio::spawn({
        let log = log.clone();
        async move { crunch(&log, 5).await }
    });
    work.await.expect("crunch does not panic");
    heartbeat.abort();

    let entries = log.entries();
    let last_chunk = entries
        .iter()
        .position(|e| e == "chunk 5")
        .expect("crunch logs `chunk 5`");
    let beats = entries[..last_chunk]
        .iter()
        .filter(|e| *e == "beat")
        .count();
    assert!(
        beats >= 2,
        "TODO(2): the heartbeat beat {beats} times during 100 ms of work (the log: \
         {entries:?}). A task keeps the thread until an .await that waits, so the \
         5 ms timer cannot fire: yield after each chunk"
    );
}

// --- TODO(3): an order that holds on any runtime ---

fn alternating(rounds: usize) -> Vec<String> {
    (1..=rounds)
        .flat_map(|round| [format!("ping {round}"), format!("pong {round}")])
        .collect()
}

#[tokio::test]
async fn ping_and_pong_alternate() {
    let log = Log::default();
    ping_pong(&log, 3).await;
    assert_eq!(
        log.entries(),
        alternating(3),
        "TODO(3): each side must wait for the other's message before its next line"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ping_and_pong_alternate_on_many_threads() {
    // Yielding cannot order tasks that run on different threads at once:
    // only waiting for a message can.
    for _ in 0..20 {
        let log = Log::default();
        ping_pong(&log, 50).await;
        let entries = log.entries();
        let expected = alternating(50);
        if let Some(at) = (0..expected.len()).find(|&i| entries.get(i) != expected.get(i)) {
            panic!(
                "TODO(3): on four threads the two tasks run at the same time; only a \
                 message from the other side can say whose turn it is. Line {} is {:?}, \
                 expected {:?}",
                at + 1,
                entries.get(at),
                expected[at],
            );
        }
        assert_eq!(
            entries.len(),
            expected.len(),
            "ping_pong(50) logs 100 lines"
        );
    }
}

// --- TODO(4): at the same time, answers in the order asked ---

#[tokio::test]
async fn run_all_runs_the_jobs_at_the_same_time() {
    let started = Instant::now();
    let names = run_all(jobs()).await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(600),
        "TODO(4): jobs of 400, 100 and 200 ms took {took:?} together: they ran one after \
         the other. Started at the same time they take as long as the longest, 400 ms"
    );
    assert_eq!(
        names,
        ["a", "b", "c"],
        "TODO(4): the answers come back in the order of the jobs"
    );
}

#[tokio::test]
async fn run_all_of_nothing_is_nothing() {
    assert!(run_all(Vec::new()).await.is_empty());
}

// --- TODO(5): at the same time, answers as they come ---

#[tokio::test]
async fn as_they_finish_reports_the_fastest_first() {
    let started = Instant::now();
    let names = as_they_finish(jobs()).await;
    let took = started.elapsed();
    assert_eq!(
        names,
        ["b", "c", "a"],
        "TODO(5): jobs of 400 (a), 100 (b) and 200 ms (c) finish in the order b, c, a"
    );
    assert!(
        took < Duration::from_millis(600),
        "TODO(5): the jobs took {took:?} together; at the same time they take 400 ms"
    );
}
