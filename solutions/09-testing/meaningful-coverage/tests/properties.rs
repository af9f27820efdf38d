//! Properties of the duration parser, and the examples they cannot see.
//!
//! Checked by: `serverlings check meaningful-coverage`.

use meaningful_coverage::{MAX_MS, ParseError, format, parse};
use proptest::prelude::*;

proptest! {
    /// Whatever is written, parsing reads it back.
    #[test]
    fn format_then_parse_gives_the_value_back(ms in 0..=MAX_MS) {
        prop_assert_eq!(parse(&format(ms)), Ok(ms));
    }

    /// The canonical form has no zero parts and no repeated units.
    #[test]
    fn format_writes_no_zero_part(ms in 1..=MAX_MS) {
        let text = format(ms);
        let zero_part = ["0h", "0m", "0s", "0ms"].iter().any(|z| {
            text.match_indices(z).any(|(i, _)| i == 0 || !text.as_bytes()[i - 1].is_ascii_digit())
        });
        prop_assert!(!zero_part, "{} has a zero part", text);
    }

    /// Any text at all: an answer, never a panic.
    #[test]
    fn parse_never_panics(text in "\\PC{0,12}") {
        let _ = parse(&text);
    }

    /// Big numbers in every unit: `TooLong`, never a panic or a wrap-around.
    #[test]
    fn huge_numbers_are_too_long(n in 10_000_000_000u64..u64::MAX, unit in prop::sample::select(vec!["h", "m", "s", "ms"])) {
        prop_assert_eq!(parse(&format!("{n}{unit}")), Err(ParseError::TooLong));
    }

    /// Anything parse accepts is within the limit and is the sum of its parts.
    #[test]
    fn accepted_values_are_within_the_limit(h in 0u64..200, m in 0u64..100, s in 0u64..100) {
        let text = format!("{h}h{m}m{s}s");
        match parse(&text) {
            Ok(ms) => {
                prop_assert!(ms <= MAX_MS);
                prop_assert_eq!(ms, ((h * 60 + m) * 60 + s) * 1000);
            }
            Err(e) => prop_assert_eq!(e, ParseError::TooLong),
        }
    }
}

#[test]
fn the_limit_is_exactly_seven_days() {
    assert_eq!(parse("168h"), Ok(MAX_MS));
    assert_eq!(parse("168h1ms"), Err(ParseError::TooLong));
}

#[test]
fn examples_of_the_grammar() {
    assert_eq!(parse("1h30m"), Ok(5_400_000));
    assert_eq!(parse("250ms"), Ok(250));
    assert_eq!(parse("1m5ms"), Ok(60_005));
    assert_eq!(format(3_605_000), "1h5s");
    assert_eq!(format(0), "0s");
}

#[test]
fn what_the_grammar_refuses() {
    assert_eq!(parse(""), Err(ParseError::Empty));
    assert!(matches!(parse("90"), Err(ParseError::Syntax(_))));
    assert!(matches!(parse("9x"), Err(ParseError::Syntax(_))));
    assert!(matches!(parse("h"), Err(ParseError::Syntax(_))));
    assert!(matches!(parse("+5s"), Err(ParseError::Syntax(_))));
    assert!(matches!(parse("30m1h"), Err(ParseError::Order(_))));
    assert!(matches!(parse("1s1s"), Err(ParseError::Order(_))));
}
