//! Every Rust fence of the course's lessons, compiled as one module each
//! (see build.rs), so `cargo test` proves the lessons' code compiles, runs,
//! and prints what the prose says it prints (`tests/snippets.rs`).

/// One fence of a lesson.
#[derive(Debug, Clone, Copy)]
pub struct Snippet {
    /// `NN-slug/name`, or `NN-slug/#K` for the K-th Rust fence without a name.
    pub id: &'static str,
    /// The part's folder, `NN-slug`.
    pub part: &'static str,
    /// The `name=` of the fence, or "".
    pub name: &'static str,
    /// The lesson line where the fence's code starts.
    pub line: usize,
    /// "run", "no_run" or "test".
    pub mode: &'static str,
    /// Lines of code in the fence.
    pub lines: usize,
}

include!(concat!(env!("OUT_DIR"), "/snippets.rs"));
