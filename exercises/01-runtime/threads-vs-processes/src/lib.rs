//! # threads-vs-processes: all the cores, two ways
//!
//! Part one, threads (this file): count the words of a large text on every
//! core. Threads share memory, so each one reads its own slice of the one
//! text: nothing is copied, nothing is sent.
//!
//! Part two, processes (`main.rs`): two copies of the server listen on the
//! same port, and the kernel spreads the connections between them. They
//! share nothing but the port.
//!
//! What to do:
//! - `TODO(1)` `split_at_whitespace`: cut the text into pieces, never in the
//!   middle of a word (or of a character);
//! - `TODO(2)` `map_scoped`: one scoped thread per piece;
//! - `TODO(3)` `count_words_rayon`: the same with rayon, in one line;
//! - `TODO(4)` in `main.rs`: bind the port so that a second process can
//!   bind it too.
//!
//! Checked by: `cargo test` (the tests in `src/tests.rs`, for TODO 1 to 3),
//! then two copies of the server are started on one port and probed:
//! `POST /words` must count a random text right, and 40 requests at once
//! must be answered by both processes (the `X-Pid` header tells which).

#[allow(unused_imports)] // TODO(3) needs it
use rayon::prelude::*;

/// The number of words in `text`: runs of characters between whitespace.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The same count, with the text cut into `threads` pieces counted at the
/// same time, one thread each.
pub fn count_words_parallel(text: &str, threads: usize) -> usize {
    let pieces = split_at_whitespace(text, threads);
    map_scoped(&pieces, |piece| count_words(piece))
        .into_iter()
        .sum()
}

/// Cuts `text` into at most `parts` pieces of about the same length, only
/// right after a whitespace character, so no word is split between two
/// pieces. Put back together, the pieces are `text` again. No piece is
/// empty, and an empty text has no pieces.
pub fn split_at_whitespace(text: &str, parts: usize) -> Vec<&str> {
    // TODO(1): about `parts` pieces of about equal length in bytes (never
    // more pieces than `parts`), which joined give the text back. A cut
    // goes right after a whitespace character, never inside a word, so
    // counting each piece's words and adding gives the text's count. A
    // character may be several bytes (`é`, `日`): a cut must not fall
    // inside one. No empty pieces.
    todo!("TODO(1): split {} bytes into {parts} pieces", text.len())
}

/// Runs `work` on every item, each on its own thread, all at the same time.
/// The results come back in the order of `items`.
pub fn map_scoped<T, R, F>(items: &[T], work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    // TODO(2): this runs every item on the calling thread, one after the
    // other. Give each item its own thread, all running at the same time
    // (the tests time it), with the results in the order of `items`; a
    // panic in `work` reaches the caller as that same panic. The threads
    // may borrow `items` and `work` if the standard library can prove they
    // end before this function returns: the scope
    // waits for all of them before it returns.
    items.iter().map(work).collect()
}

/// The same count with rayon: its pool has one thread per core and splits
/// the work by itself.
pub fn count_words_rayon(text: &str) -> usize {
    // TODO(3): the same count as `count_words`, with the work shared out
    // over rayon's thread pool instead of threads you start: rayon's
    // prelude gives `str` parallel versions of its iterators.
    let _ = text;
    todo!("TODO(3): count the words with rayon")
}

#[cfg(test)]
mod tests;
