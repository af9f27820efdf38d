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
    let target = text.len().div_ceil(parts.max(1));
    let mut pieces = Vec::with_capacity(parts);
    let mut rest = text;
    while !rest.is_empty() {
        if rest.len() <= target {
            pieces.push(rest);
            break;
        }
        // The first whitespace at or after the target length; cut right
        // after it. `char_indices` keeps us on character boundaries.
        let cut = rest
            .char_indices()
            .skip_while(|&(at, _)| at < target)
            .find(|(_, c)| c.is_whitespace())
            .map_or(rest.len(), |(at, c)| at + c.len_utf8());
        let (piece, tail) = rest.split_at(cut);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// Runs `work` on every item, each on its own thread, all at the same time.
/// The results come back in the order of `items`.
pub fn map_scoped<T, R, F>(items: &[T], work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let work = &work;
    // A scope joins every thread spawned in it before it returns, so the
    // threads may borrow `items` and `work`: no Arc, no 'static, no copy.
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .iter()
            .map(|item| scope.spawn(move || work(item)))
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(result) => result,
                // A thread panicked: carry the panic to the caller.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// The same count with rayon: its pool has one thread per core and splits
/// the work by itself.
pub fn count_words_rayon(text: &str) -> usize {
    text.par_split_whitespace().count()
}

#[cfg(test)]
mod tests;
