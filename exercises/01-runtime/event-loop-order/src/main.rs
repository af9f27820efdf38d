//! Prints what each function of the library does, as it is now. Given: the
//! exercise is in `lib.rs`; this is only a window on it (`cargo run`).

use std::time::{Duration, Instant};

use event_loop_order::{Job, Log, as_they_finish, crunch, ping_pong, run_all, wait_politely};

// One thread, like Node.js: the order you see is the scheduler's doing.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let ticker = tokio::spawn(async {
        let mut ticks = 0;
        let mut every = tokio::time::interval(Duration::from_millis(10));
        loop {
            every.tick().await;
            ticks += 1;
            println!("  tick {ticks}");
        }
    });
    println!("1. wait_politely(50 ms), with a ticker every 10 ms:");
    wait_politely(Duration::from_millis(50)).await;
    ticker.abort();

    let log = Log::default();
    let heartbeat = {
        let log = log.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(5));
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                every.tick().await;
                log.push("beat");
            }
        })
    };
    tokio::task::yield_now().await;
    crunch(&log, 5).await;
    heartbeat.abort();
    println!("2. crunch(5), with a heartbeat every 5 ms:");
    println!("   {}", log.entries().join(", "));

    let log = Log::default();
    let (pings, pongs) = (log.clone(), log.clone());
    ping_pong(
        3,
        move |round| pings.push(format!("ping {round}")),
        move |round| pongs.push(format!("pong {round}")),
    )
    .await;
    println!("3. ping_pong(3):   {}", log.entries().join(", "));

    let jobs = vec![Job::new("a", 300), Job::new("b", 100), Job::new("c", 200)];
    let started = Instant::now();
    let names = run_all(jobs.clone()).await;
    println!("4. run_all:        {names:?} in {:?}", started.elapsed());

    let started = Instant::now();
    let names = as_they_finish(jobs.into_iter().map(Job::run).collect()).await;
    println!("5. as_they_finish: {names:?} in {:?}", started.elapsed());
}
