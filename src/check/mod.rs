//! Checks: what a spec says (`spec`), how a run turns out (`outcome`), and
//! doing it (`run`).

pub mod mutation;
pub mod run;

pub use serverlings_core::{outcome, rng, spec, template, tokens};
