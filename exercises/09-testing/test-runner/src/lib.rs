//! # test-runner: tests where they belong, a slow one on request, an example that runs
//!
//! A small library that turns titles into URL slugs. Its code is done and
//! correct; its tests are not organised. Everything is in one module and
//! `cargo test` takes seconds because one exhaustive test runs every time.
//!
//! ```text
//! src/slug.rs         the code (given; it is not to change)
//! src/slug/tests.rs   unit tests: the private helper `fold`       TODO(1)
//! tests/slugs.rs      integration tests of the public API,
//!                     grouped `mod slugify` / `mod unique`        TODO(2)
//! tests/common/mod.rs what the integration tests share            TODO(2)
//! the slow test       skipped unless asked for                   TODO(3)
//! src/slug.rs docs    an example of `slugify` that runs          TODO(4)
//! ```
//!
//! The commands this organisation is for:
//! `cargo test` (fast: the slow test is skipped), `cargo test -- --ignored`
//! (only the slow one), `cargo test --test slugs unique::` (one group),
//! `cargo test --doc` (the examples in the documentation).
//!
//! Checked by: `cargo test -- --include-ignored` and `cargo test --doc`
//! (every test passes, and the ones named above exist where they are
//! named), then your tests against the reference `src/slug.rs` with one
//! planted bug at a time: each bug must make one of your tests fail.

mod slug;

pub use slug::{slugify, unique};
