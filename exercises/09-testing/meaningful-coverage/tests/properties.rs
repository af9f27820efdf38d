//! Property tests (proptest) and examples for the duration parser of
//! src/lib.rs, whose header states the grammar. src/lib.rs is correct;
//! this file is yours.
//!
//! How it is checked: `serverlings check meaningful-coverage` runs these
//! tests against the given src/lib.rs (they must all pass), then against
//! copies of it with one planted bug each: each must make at least one
//! test fail. The test below covers most lines of src/lib.rs and catches
//! almost nothing: that is where you start. Run `cargo test`.

#![allow(unused_imports)]

use meaningful_coverage::{MAX_MS, ParseError, format, parse};
use proptest::prelude::*;

#[test]
fn covers_a_lot_checks_little() {
    assert!(parse("1h30m15s250ms").is_ok());
    assert!(!format(5_400_000).is_empty());
}

// TODO(1): properties. In a `proptest! { ... }` block, state rules that
// hold for every input, and let proptest generate the inputs:
// - what `format` writes, `parse` reads back as the same value;
// - the canonical form has no zero parts;
// - any text at all gets an answer, never a panic (and very large numbers
//   in every unit are `TooLong`, whatever the build);
// - whatever `parse` accepts is within `MAX_MS` and is the sum of its parts.

// TODO(2): examples for what a random input rarely hits: the limit itself
// and one millisecond above it, each refusal of the grammar (an empty
// string, a number without a unit, a unit that repeats or comes out of
// order), and a canonical form or two.
