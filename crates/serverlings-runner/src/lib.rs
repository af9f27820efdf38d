//! One check, from the learner's crate to its report: `cargo` builds and
//! tests it, `check::run` starts the server and runs the steps with the
//! probes, `scratch`/`pristine` keep copies of crates, `progress` keeps the
//! learner's progress and its rules, `trace` records where time goes.

pub mod cargo;
pub mod check;
pub mod pristine;
pub mod progress;
pub mod scratch;
pub mod trace;
