//! Checks: what a spec says (`spec`), how a run turns out (`outcome`), and
//! doing it (`run`).

pub mod mutation;
pub mod run;
