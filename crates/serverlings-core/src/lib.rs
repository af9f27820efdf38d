//! The pure part of serverlings: what a course and a check say, and how a
//! response is judged. Text in, values or diagnostics out: nothing here
//! starts a process, opens a socket or draws on a terminal, so every test
//! of it runs without a server.
//!
//! - [`course`]: `course.toml`, the parts and their lessons
//! - [`spec`]: the check language (`docs/checks.md`), raw TOML → steps
//! - [`template`], [`tokens`]: `{name}` placeholders; JWT and TOTP values
//! - [`assert`], [`json_path`], [`response`], [`files`]: judging what came
//!   back (an HTTP response, a JSON document, a file the learner wrote)
//! - [`outcome`]: steps, failures and the report of a check, and its verdict
//! - [`rng`]: the seeded generator of `[vars]`, and the OS's random bytes
//! - [`ansi`]: escape sequences in what tools print for a terminal
//! - [`diag`], [`duration`]: `file:line:col` diagnostics, `"5s"` durations

pub mod ansi;
pub mod assert;
pub mod course;
pub mod diag;
pub mod duration;
pub mod files;
pub mod json_path;
pub mod outcome;
pub mod response;
pub mod rng;
pub mod spec;
pub mod template;
pub mod tokens;
