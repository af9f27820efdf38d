//! Integration tests: the public API only, as another crate uses it.

mod common;

mod slugify {
    use test_runner::slugify;

    #[test]
    fn words_are_lowered_and_joined_by_single_dashes() {
        assert_eq!(slugify("Hello World"), "hello-world");
        assert_eq!(slugify("a  --  b"), "a-b");
    }

    #[test]
    fn no_dash_at_either_end() {
        assert_eq!(slugify("  Rust! "), "rust");
        assert_eq!(slugify("?!"), "");
    }

    #[test]
    fn accents_are_folded_and_digits_kept() {
        assert_eq!(slugify("Crème Brûlée 2"), "creme-brulee-2");
    }

    /// Every title of up to six characters from a small alphabet: a
    /// slug is its own slug. Thorough and slow, so it runs on request.
    #[test]
    #[ignore = "slow: every short title; run with cargo test -- --ignored"]
    fn every_short_title_round_trips() {
        let alphabet: Vec<char> = "aZ9 -é!ü_".chars().collect();
        let mut titles = vec![String::new()];
        for _ in 0..6 {
            titles = titles
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for t in &titles {
                let s = slugify(t);
                assert_eq!(slugify(&s), s, "{t:?}");
                assert!(!s.starts_with('-') && !s.ends_with('-'), "{t:?} → {s:?}");
                assert!(!s.contains("--"), "{t:?} → {s:?}");
            }
        }
    }
}

mod unique {
    use super::common::taken;
    use test_runner::unique;

    #[test]
    fn a_free_slug_is_kept() {
        assert_eq!(unique("news", &taken(&["blog"])), "news");
    }

    #[test]
    fn a_taken_slug_gets_the_first_free_number_from_2() {
        assert_eq!(unique("news", &taken(&["news"])), "news-2");
        assert_eq!(
            unique("news", &taken(&["news", "news-2", "news-3"])),
            "news-4"
        );
    }
}
