//! Checks: what a spec says (`spec`), how a run turns out (`outcome`), and
//! doing it (`run`).

pub mod mutation;
pub mod outcome;
pub mod rng;
pub mod run;
pub mod spec;
pub mod template;
pub mod tokens;
