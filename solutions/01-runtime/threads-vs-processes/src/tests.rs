//! The tests the exercise is checked with. Run them with `cargo test`.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use crate::{
    count_words, count_words_parallel, count_words_rayon, map_scoped, split_at_whitespace,
};

/// Texts with the awkward cases: runs of spaces, tabs and newlines,
/// whitespace at both ends, and characters of several bytes (`é`, `日本`,
/// the ideographic space U+3000, which is whitespace too).
fn texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "",
        " ",
        "word",
        "two words",
        "  leading and trailing  ",
        "tabs\tand\nnew\r\nlines",
        "café crème brûlée à la carte",
        "日本語\u{3000}の\u{3000}テキスト です",
    ]
    .iter()
    .map(|text| text.to_string())
    .collect();
    // A longer text, deterministic: words of 1 to 12 letters, separators of
    // one to three whitespace characters.
    let mut seed: u64 = 42;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut long = String::new();
    for _ in 0..5_000 {
        for _ in 0..=(next() % 12) {
            long.push(['a', 'é', 'z', '日'][(next() % 4) as usize]);
        }
        for _ in 0..=(next() % 3) {
            long.push([' ', '\t', '\n', '\u{3000}'][(next() % 4) as usize]);
        }
    }
    texts.push(long);
    texts
}

// --- TODO(1): splitting at whitespace ---

#[test]
fn the_pieces_put_back_together_are_the_text() {
    for text in texts() {
        for parts in [1, 2, 3, 4, 8, 64] {
            let pieces = split_at_whitespace(&text, parts);
            assert_eq!(
                pieces.concat(),
                text,
                "TODO(1): the {} pieces of {text:.40?} for parts = {parts} do not \
                 give the text back",
                pieces.len()
            );
            assert!(
                pieces.len() <= parts,
                "TODO(1): {} pieces for parts = {parts}",
                pieces.len()
            );
            assert!(
                pieces.iter().all(|piece| !piece.is_empty()),
                "TODO(1): an empty piece in {pieces:?}"
            );
        }
    }
}

#[test]
fn no_word_is_cut_in_two() {
    for text in texts() {
        for parts in [2, 3, 4, 8, 64] {
            let pieces = split_at_whitespace(&text, parts);
            for pair in pieces.windows(2) {
                let ends_clean = pair[0].ends_with(char::is_whitespace);
                assert!(
                    ends_clean,
                    "TODO(1): a piece ends with {:?} and the next starts with {:?}: \
                     cut only right after a whitespace character",
                    pair[0].chars().last(),
                    pair[1].chars().next()
                );
            }
        }
    }
}

#[test]
fn the_pieces_are_about_the_same_size() {
    let text = texts().pop().expect("the long text");
    let pieces = split_at_whitespace(&text, 4);
    assert_eq!(
        pieces.len(),
        4,
        "TODO(1): a long text with parts = 4 gives 4 pieces"
    );
    let share = text.len() / 4;
    for piece in &pieces[..3] {
        assert!(
            piece.len() >= share && piece.len() < share + 64,
            "TODO(1): a piece of {} bytes; a quarter of the text is {share} bytes",
            piece.len()
        );
    }
}

#[test]
fn an_empty_text_has_no_pieces() {
    assert!(split_at_whitespace("", 4).is_empty(), "TODO(1)");
}

// --- TODO(2): scoped threads ---

#[test]
fn map_scoped_keeps_the_order() {
    let items = [3, 1, 4, 1, 5, 9, 2, 6];
    assert_eq!(
        map_scoped(&items, |n| n * 10),
        [30, 10, 40, 10, 50, 90, 20, 60],
        "TODO(2): one result per item, in the order of the items"
    );
}

#[test]
fn map_scoped_runs_each_item_on_its_own_thread() {
    let seen: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
    let running = AtomicUsize::new(0);
    let most_at_once = AtomicUsize::new(0);
    let items = ["a", "b", "c", "d"];
    let lengths = map_scoped(&items, |item| {
        seen.lock().unwrap().insert(std::thread::current().id());
        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
        most_at_once.fetch_max(now, Ordering::SeqCst);
        // Wait (at most 2 s) until all four are running at the same time.
        let started = Instant::now();
        while running.load(Ordering::SeqCst) < items.len()
            && most_at_once.load(Ordering::SeqCst) < items.len()
            && started.elapsed() < Duration::from_secs(2)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        item.len()
    });
    assert_eq!(lengths, [1, 1, 1, 1]);
    let threads = seen.lock().unwrap().len();
    let at_once = most_at_once.load(Ordering::SeqCst);
    assert!(
        threads == items.len() && at_once == items.len(),
        "TODO(2): 4 items ran on {threads} thread(s), at most {at_once} at the same time; \
         each one gets its own scoped thread (`std::thread::scope`, then `scope.spawn` \
         for every item before joining any)"
    );
}

#[test]
fn counting_in_parallel_gives_the_same_count() {
    for text in texts() {
        let expected = count_words(&text);
        for threads in [1, 2, 4, 7] {
            assert_eq!(
                count_words_parallel(&text, threads),
                expected,
                "TODO(1)/TODO(2): the count of {text:.40?} on {threads} threads"
            );
        }
    }
}

// --- TODO(3): rayon ---

#[test]
fn rayon_gives_the_same_count() {
    for text in texts() {
        assert_eq!(
            count_words_rayon(&text),
            count_words(&text),
            "TODO(3): the count of {text:.40?} with rayon"
        );
    }
}
