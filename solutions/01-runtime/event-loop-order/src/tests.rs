//! The tests the exercise is checked with. Run them with `cargo test`.
//!
//! `#[tokio::test]` runs a test on a single-threaded runtime, the way
//! Node.js runs your code on one thread; the tests marked `multi_thread`
//! use four. The clock is the real one, so the timings are far apart
//! (100 ms steps, loose limits) and a busy machine does not change the
//! verdict. Durations, names and the order of the jobs are random: each run
//! draws new ones.
//!
//! The checker runs this file as shipped: editing it changes nothing there.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::Id;
use tokio::time::MissedTickBehavior;

use crate::{Job, Log, as_they_finish, crunch, ping_pong, run_all, wait_politely};

/// A random number below `below` (a fresh hasher seed every call).
fn random(below: u64) -> u64 {
    RandomState::new().hash_one(Instant::now()) % below.max(1)
}

/// `items` in a random order.
fn shuffled<T>(mut items: Vec<T>) -> Vec<T> {
    for i in (1..items.len()).rev() {
        let j = random(i as u64 + 1) as usize;
        items.swap(i, j);
    }
    items
}

fn name() -> String {
    format!("job-{}", 100 + random(900))
}

// --- TODO(1): waiting without blocking the thread ---

#[tokio::test]
async fn other_tasks_run_while_one_waits() {
    let pause = Duration::from_millis(80 + random(80));
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
    wait_politely(pause).await;
    let took = started.elapsed();
    ticker.abort();
    let ticks = ticks.load(Ordering::Relaxed);
    assert!(
        took >= pause,
        "TODO(1): wait_politely({pause:?}) returned after {took:?}: the wait must last the \
         whole pause"
    );
    assert!(
        ticks >= 3,
        "TODO(1): a ticker on the same thread ticked {ticks} times during a {pause:?} wait, \
         expected about {}: the wait blocked the thread, so no other task could run",
        pause.as_millis() / 10
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
    let started = Instant::now();
    work.await.expect("crunch does not panic");
    let took = started.elapsed();
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
        took >= Duration::from_millis(95),
        "TODO(2): crunch(5) took {took:?}; five slices of 20 ms of work take 100 ms. Keep \
         the work, and let other tasks in between two slices"
    );
    assert!(
        beats >= 2,
        "TODO(2): the heartbeat beat {beats} times during 100 ms of work (the log: \
         {entries:?}). A task keeps the thread until an .await that waits, so the \
         5 ms timer cannot fire: give the thread back after each chunk"
    );
}

// --- TODO(3): two tasks taking turns, on any runtime ---

/// Every call `ping` and `pong` got: the line, and the task that made it.
type Calls = Arc<Mutex<Vec<(String, Option<Id>)>>>;

/// One side's callback: takes a random time (up to `jitter_us`, and now and
/// then 10 to 30 ms, so no schedule fixed in advance keeps the turns), then
/// records the call and the task it ran in.
fn side(calls: &Calls, word: &'static str, jitter_us: u64) -> impl FnMut(usize) + Send + 'static {
    let calls = Arc::clone(calls);
    move |round| {
        if jitter_us > 0 {
            let pause = match random(10) {
                0 => 10_000 + random(20_000),
                _ => random(jitter_us),
            };
            std::thread::sleep(Duration::from_micros(pause));
        }
        let entry = (format!("{word} {round}"), tokio::task::try_id());
        calls.lock().unwrap().push(entry);
    }
}

fn alternating(rounds: usize) -> Vec<String> {
    (1..=rounds)
        .flat_map(|round| [format!("ping {round}"), format!("pong {round}")])
        .collect()
}

/// Runs `ping_pong(rounds)` and checks the order of the calls and who made
/// them.
async fn judge_ping_pong(rounds: usize, jitter_us: u64, threads: &str) {
    let calls = Calls::default();
    ping_pong(
        rounds,
        side(&calls, "ping", jitter_us),
        side(&calls, "pong", jitter_us),
    )
    .await;
    let calls = calls.lock().unwrap().clone();
    let lines: Vec<&str> = calls.iter().map(|(line, _)| line.as_str()).collect();
    let expected = alternating(rounds);
    let differs = |i: usize| lines.get(i).copied() != expected.get(i).map(String::as_str);
    if let Some(at) = (0..expected.len()).find(|&i| differs(i)) {
        panic!(
            "TODO(3): on {threads}, call {} was {:?}, expected {:?} (the calls: {lines:?}). \
             Each side may start a round only after the other side's call before it: \
             something has to tell it that it is its turn",
            at + 1,
            lines.get(at),
            expected[at],
        );
    }
    assert_eq!(
        lines.len(),
        expected.len(),
        "TODO(3): ping_pong({rounds}) makes {} calls",
        expected.len()
    );
    for word in ["ping", "pong"] {
        let tasks: Vec<Option<Id>> = calls
            .iter()
            .filter(|(line, _)| line.starts_with(word))
            .map(|(_, task)| *task)
            .collect();
        assert!(
            tasks.iter().all(Option::is_some),
            "TODO(3): `{word}` was called outside any task: every {word} belongs in its \
             own spawned task"
        );
        assert!(
            tasks.windows(2).all(|w| w[0] == w[1]),
            "TODO(3): the {word} calls came from {} different tasks; one task makes them all",
            {
                let mut distinct = tasks.clone();
                distinct.sort_by_key(|t| t.map(|id| id.to_string()));
                distinct.dedup();
                distinct.len()
            }
        );
    }
    let ping_task = calls[0].1;
    let pong_task = calls[1].1;
    assert_ne!(
        ping_task, pong_task,
        "TODO(3): ping and pong were called by the same task. The exercise is two tasks \
         taking turns: the pinger and the ponger each run in their own"
    );
}

#[tokio::test]
async fn ping_and_pong_alternate() {
    judge_ping_pong(3 + random(4) as usize, 1_500, "one thread").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ping_and_pong_alternate_on_many_threads() {
    // Yielding cannot order tasks that run on different threads at once, and
    // the calls take a random time: only waiting for the other side can.
    for _ in 0..10 {
        judge_ping_pong(30 + random(20) as usize, 1_500, "four threads").await;
    }
}

// --- TODO(4): at the same time, answers in the order asked ---

#[tokio::test]
async fn run_all_runs_the_jobs_at_the_same_time() {
    let delays = shuffled(vec![400, 100, 200]);
    let jobs: Vec<Job> = delays.iter().map(|&ms| Job::new(&name(), ms)).collect();
    let wanted: Vec<String> = jobs.iter().map(|job| job.name.clone()).collect();
    let started = Instant::now();
    let names = run_all(jobs).await;
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(400),
        "TODO(4): jobs of {delays:?} ms were done after {took:?}: the longest alone takes \
         400 ms. Every job has to run"
    );
    assert!(
        took < Duration::from_millis(600),
        "TODO(4): jobs of {delays:?} ms took {took:?} together: they ran one after the \
         other. Started at the same time they take as long as the longest, 400 ms"
    );
    assert_eq!(
        names, wanted,
        "TODO(4): the answers come back in the order of the jobs"
    );
}

#[tokio::test]
async fn run_all_of_nothing_is_nothing() {
    assert!(run_all(Vec::new()).await.is_empty());
}

// --- TODO(5): at the same time, answers as they come ---

/// A job the test made: it sleeps `ms`, notes that it finished, and
/// answers its name. Nothing outside it can tell how long it takes.
async fn opaque_job(name: String, ms: u64, finished: Arc<Mutex<Vec<String>>>) -> String {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    finished.lock().unwrap().push(name.clone());
    name
}

async fn judge_as_they_finish() {
    let delays = shuffled(vec![50, 150, 250, 350]);
    let finished = Arc::new(Mutex::new(Vec::new()));
    let names: Vec<String> = delays.iter().map(|_| name()).collect();
    let jobs: Vec<_> = names
        .iter()
        .zip(&delays)
        .map(|(name, &ms)| opaque_job(name.clone(), ms, Arc::clone(&finished)))
        .collect();
    let started = Instant::now();
    let answers = as_they_finish(jobs).await;
    let took = started.elapsed();
    let finished = finished.lock().unwrap().clone();
    assert_eq!(
        finished.len(),
        names.len(),
        "TODO(5): {} of the {} jobs ran to their end; every job has to run",
        finished.len(),
        names.len()
    );
    assert_eq!(
        answers, finished,
        "TODO(5): jobs {names:?} of {delays:?} ms finished in the order {finished:?}; the \
         answers must come back in that order"
    );
    assert!(
        took < Duration::from_millis(600),
        "TODO(5): jobs of {delays:?} ms took {took:?} together; at the same time they take \
         350 ms"
    );
}

#[tokio::test]
async fn as_they_finish_reports_the_fastest_first() {
    // Two draws: awaiting in the given order is right only by chance.
    judge_as_they_finish().await;
    judge_as_they_finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn as_they_finish_on_many_threads() {
    judge_as_they_finish().await;
}
