//! The output pumps: stdout and stderr read line by line into a bounded
//! tail (`Tail`) that tells the lines since a moment.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

const TAIL_LINES: usize = 5000;
/// A line longer than this is cut (the rest of it is dropped, with a note).
const MAX_LINE: usize = 16 * 1024;

/// The last lines a process wrote, tagged by stream, and how many it wrote
/// in all (so a caller can ask for the lines since a moment).
#[derive(Debug, Clone, Default)]
pub struct Tail(Arc<Mutex<Lines>>);

#[derive(Debug, Default)]
struct Lines {
    kept: VecDeque<(Stream, String)>,
    total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Tail {
    fn push(&self, stream: Stream, line: String) {
        let mut q = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if q.kept.len() == TAIL_LINES {
            q.kept.pop_front();
        }
        q.kept.push_back((stream, line));
        q.total += 1;
    }

    /// The last `n` lines of both streams, in the order they arrived.
    pub fn last(&self, n: usize) -> Vec<(Stream, String)> {
        let q = self.0.lock().unwrap_or_else(|p| p.into_inner());
        q.kept
            .iter()
            .skip(q.kept.len().saturating_sub(n))
            .cloned()
            .collect()
    }

    /// How many lines were written so far.
    pub fn mark(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).total
    }

    /// The lines written since `mark` (as many as are still kept).
    pub fn since(&self, mark: usize) -> Vec<(Stream, String)> {
        let q = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let first_kept = q.total - q.kept.len();
        q.kept
            .iter()
            .skip(mark.saturating_sub(first_kept))
            .cloned()
            .collect()
    }

    /// The last `n` lines, formatted for a report (`stderr| ...`).
    pub fn render(&self, n: usize) -> Vec<String> {
        self.last(n)
            .into_iter()
            .map(|(s, l)| {
                format!(
                    "{}| {l}",
                    if s == Stream::Stdout {
                        "stdout"
                    } else {
                        "stderr"
                    }
                )
            })
            .collect()
    }
}

/// Reads a pipe as bytes, line by line: a line is decoded lossily (a bad
/// byte does not stop the reading, so the child never dies of SIGPIPE), and
/// cut at `MAX_LINE` with a note.
pub(super) fn pump<R: AsyncRead + Unpin + Send + 'static>(
    r: R,
    stream: Stream,
    tail: Tail,
    open: Arc<tokio::sync::watch::Sender<usize>>,
) {
    tokio::spawn(async move {
        let mut reader = BufReader::new(r);
        let mut line = Vec::new();
        loop {
            line.clear();
            let mut cut = false;
            // Read up to a newline, keeping at most MAX_LINE bytes of it.
            let done = loop {
                let buf = match reader.fill_buf().await {
                    Ok(b) => b,
                    Err(_) => break true,
                };
                if buf.is_empty() {
                    break true;
                }
                let (take, newline) = match buf.iter().position(|b| *b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                };
                let room = MAX_LINE.saturating_sub(line.len());
                line.extend_from_slice(&buf[..take.min(room)]);
                cut |= take > room;
                reader.consume(take);
                if newline {
                    break false;
                }
            };
            if !line.is_empty() {
                while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                    line.pop();
                }
                let mut text = String::from_utf8_lossy(&line).into_owned();
                if cut {
                    text.push_str(&format!(" … [line cut at {MAX_LINE} bytes]"));
                }
                tail.push(stream, text);
            }
            if done {
                break;
            }
        }
        open.send_modify(|n| *n = n.saturating_sub(1));
    });
}
