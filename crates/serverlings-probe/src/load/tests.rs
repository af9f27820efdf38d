//! Footprints and CPU shares read from /proc.

#[test]
fn reads_its_own_footprint() {
    let f = super::footprint(std::process::id() as i32).expect("/proc is readable");
    assert!(f.rss_kib > 100, "{f:?}");
    assert!(f.fds >= 3, "{f:?}");
    assert!(!f.threads.is_empty(), "{f:?}");
}

#[test]
fn stat_lines_with_spaces_in_the_name_give_their_cpu_ticks() {
    let line = "4242 (tokio-rt (w) 1) S 1 4242 4242 0 -1 4194560 200 0 0 0 37 5 0 0 20 0 3 0";
    assert_eq!(super::footprint::stat_ticks(line), Some(42));
}

#[test]
fn work_spread_over_threads_is_told_from_work_on_one() {
    let fp = |threads: Vec<(i32, u64)>| super::Footprint {
        rss_kib: 1,
        peak_kib: 1,
        fds: 1,
        threads,
    };
    let before = fp(vec![(1, 10), (2, 0), (3, 5)]);
    // One thread did the work; two others woke for a tick or two.
    let one = fp(vec![(1, 12), (2, 90), (3, 6)]);
    let shares = super::cpu_shares(&before, &one);
    assert_eq!(shares[0], (2, 90));
    assert_eq!(super::busy_threads(&shares), 1);
    // Two threads shared it; a new thread appeared meanwhile.
    let two = fp(vec![(1, 50), (2, 45), (3, 6), (4, 1)]);
    assert_eq!(super::busy_threads(&super::cpu_shares(&before, &two)), 2);
}
