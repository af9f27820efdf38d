//! Unit tests: a child module of `slug`, so the private `fold` is in reach.

use super::fold;

#[test]
fn fold_lowers_ascii_letters_and_keeps_digits() {
    assert_eq!(fold('Q'), Some('q'));
    assert_eq!(fold('q'), Some('q'));
    assert_eq!(fold('7'), Some('7'));
}

#[test]
fn fold_takes_accents_off() {
    assert_eq!(fold('é'), Some('e'));
    assert_eq!(fold('Ü'), Some('u'));
    assert_eq!(fold('ñ'), Some('n'));
}

#[test]
fn fold_turns_the_rest_into_separators() {
    for c in [' ', '-', '_', '!', '/', '€', '中'] {
        assert_eq!(fold(c), None, "{c:?}");
    }
}
