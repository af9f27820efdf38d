//! A parser and formatter for durations such as `1h30m`, `90s` or `250ms`:
//! the code under test.
//!
//! This file is correct: leave it as it is. Your work is in
//! tests/properties.rs (see the TODOs there): property tests with proptest,
//! plus the few examples a property cannot see. The check runs your tests
//! against this file (they must pass), then against copies with one bug
//! planted in each: each bug must make one of your tests fail. Line
//! coverage of this file is easy to reach with tests that catch none.
//!
//! The grammar: one or more `<digits><unit>` parts, units `h`, `m`, `s`,
//! `ms`, each at most once and in that order (`1h30m`, not `30m1h`), no
//! signs, spaces or empty numbers; the total is at most 7 days
//! (`MAX_MS`). `format` writes the canonical form: the largest units
//! first, zero parts left out, `0s` for zero. For every `ms` in
//! `0..=MAX_MS`, `parse(&format(ms)) == Ok(ms)`.
//!
//! Checked by: `serverlings check meaningful-coverage`.

/// Seven days, in milliseconds.
pub const MAX_MS: u64 = 7 * 24 * 3_600_000;

const UNITS: [(&str, u64); 4] = [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    /// A part has no digits, or a character is not a digit or a unit.
    Syntax(usize),
    /// A unit repeats or comes after a smaller one.
    Order(usize),
    /// The total is above `MAX_MS` (or overflows).
    TooLong,
}

/// Parses a duration into milliseconds.
pub fn parse(text: &str) -> Result<u64, ParseError> {
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut total: u64 = 0;
    let mut next_unit = 0; // the index in UNITS a part may use, at least
    while at < bytes.len() {
        let digits = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return Err(ParseError::Syntax(at));
        }
        let number: u64 = text[at..at + digits]
            .parse()
            .map_err(|_| ParseError::TooLong)?;
        at += digits;
        let rest = &text[at..];
        // "ms" before "m", so that "5ms" is not read as 5 minutes and an "s".
        let unit = [3, 0, 1, 2]
            .into_iter()
            .find(|&i| rest.starts_with(UNITS[i].0));
        let Some(unit) = unit else {
            return Err(ParseError::Syntax(at));
        };
        if unit < next_unit {
            return Err(ParseError::Order(at));
        }
        next_unit = unit + 1;
        at += UNITS[unit].0.len();
        let part = number
            .checked_mul(UNITS[unit].1)
            .ok_or(ParseError::TooLong)?;
        total = total.checked_add(part).ok_or(ParseError::TooLong)?;
    }
    if total > MAX_MS {
        return Err(ParseError::TooLong);
    }
    Ok(total)
}

/// Writes milliseconds in the canonical form.
pub fn format(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    let mut left = ms;
    for (unit, size) in UNITS {
        let n = left / size;
        left %= size;
        if n > 0 {
            out.push_str(&n.to_string());
            out.push_str(unit);
        }
    }
    out
}
