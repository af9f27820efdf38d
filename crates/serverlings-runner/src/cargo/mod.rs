//! Building and testing an exercise crate: one `cargo build` with JSON
//! messages gives the binaries, the test executables and the compiler's
//! rendered (coloured) diagnostics; tests are then run directly.
//!
//! `build` runs cargo build, `messages` reads its JSON lines, `harness` runs
//! the test executables and the doc tests.

#[cfg(test)]
mod ansi_tests;
mod build;
mod harness;
mod messages;
#[cfg(test)]
mod tests;

pub use build::build_in;
pub use harness::{TestFlags, TestRun, run_doc_tests, run_tests};
pub use messages::{CompilerMessage, Message, MsgProfile, MsgTarget};

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CargoError {
    #[error(
        "cannot run cargo: {0}. Install Rust with rustup (https://rustup.rs) and make sure `cargo` is on PATH"
    )]
    Spawn(std::io::Error),
    #[error("cargo could not start the build: {0}")]
    Cargo(String),
}

#[derive(Debug, Default)]
pub struct Build {
    pub success: bool,
    /// Binary name → executable.
    pub bins: BTreeMap<String, PathBuf>,
    /// Test harnesses: (target name, executable).
    pub tests: Vec<(String, PathBuf)>,
    /// Rendered compiler messages (ANSI colours kept), errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Units cargo compiled in this run (as opposed to fresh ones).
    pub compiled: Vec<String>,
    pub fresh: Vec<String>,
    /// Cargo's own error lines (resolution failures, missing package).
    pub cargo_errors: Vec<String>,
    pub timed_out: bool,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub level: String,
    pub rendered: String,
}

pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo"))
}

/// `line` without escape sequences (see [`serverlings_core::ansi`]).
pub fn strip_ansi(line: &str) -> String {
    serverlings_core::ansi::strip(line)
}
