//! NAME: a function and the tests it must pass.
//! Checked by: `serverlings check NAME` (builds the crate, runs its tests).

/// The answer to everything.
pub fn answer() -> u32 {
    todo!("TODO(1): return 42")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_answer_is_42() {
        assert_eq!(super::answer(), 42, "TODO(1): answer() returns 42");
    }
}
