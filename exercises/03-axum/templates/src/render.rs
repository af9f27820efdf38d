//! Text → HTML for messages: escape everything, then turn `#tags` into
//! links. The result is the only string the templates print with `safe`.

/// `text` made safe to put between HTML tags or inside a quoted
/// attribute: `&` `<` `>` `"` `'` become the numeric character references
/// `&#38;` `&#60;` `&#62;` `&#34;` `&#39;`, exactly as askama escapes.
#[allow(dead_code)] // until linkify (TODO 2) uses it
pub fn escape(text: &str) -> String {
    // TODO(1): build a String, pushing the replacement of each of the five
    // characters and every other character as it is. `&` is a character
    // like the others: replace it once, not in a second pass over the
    // output (that would turn `&#60;` into `&#38;#60;`).
    todo!("TODO(1): escape {text:?}")
}

/// A message as HTML: escaped text, and each `#tag` (a `#` followed by
/// ASCII letters, digits or `_`) as `<a href="/?tag=tag">#tag</a>`.
pub fn linkify(text: &str) -> String {
    // TODO(2): every character of the text comes out escaped, except that
    // each `#tag` becomes its link (the tag characters are safe as they
    // are); a `#` with no tag after it stays a `#`. Look for tags in the
    // RAW text: the escaped text has a `#` in every `&#60;`.
    todo!("TODO(2): linkify {text:?}")
}

#[cfg(test)]
mod tests {
    use super::{escape, linkify};

    // --- TODO(1): escape ---

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&#60;a href=&#34;x&#34;&#62;Tom &#38; &#39;Jerry&#39;&#60;/a&#62;",
            "TODO(1): escape & < > \" '"
        );
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(
            escape("plain text, ünïcode"),
            "plain text, ünïcode",
            "TODO(1)"
        );
        assert_eq!(escape(""), "", "TODO(1)");
    }

    #[test]
    fn escapes_once() {
        assert_eq!(
            escape("&#60;"),
            "&#38;#60;",
            "TODO(1): & becomes &#38; exactly once"
        );
    }

    // --- TODO(2): linkify ---

    #[test]
    fn tags_become_links() {
        assert_eq!(
            linkify("shipped #rust_lang today #v2"),
            r#"shipped <a href="/?tag=rust_lang">#rust_lang</a> today <a href="/?tag=v2">#v2</a>"#,
            "TODO(2): each #tag becomes a link"
        );
    }

    #[test]
    fn the_rest_is_escaped() {
        assert_eq!(
            linkify("<script>alert(1)</script> #xss"),
            r#"&#60;script&#62;alert(1)&#60;/script&#62; <a href="/?tag=xss">#xss</a>"#,
            "TODO(2): escape the text around the tags"
        );
    }

    #[test]
    fn a_lone_hash_stays() {
        assert_eq!(
            linkify("# 1 #"),
            "# 1 #",
            "TODO(2): # without a tag stays as it is"
        );
    }

    #[test]
    fn entities_are_not_tags() {
        assert_eq!(
            linkify("it's #fine"),
            r#"it&#39;s <a href="/?tag=fine">#fine</a>"#,
            "TODO(2): find the tags in the raw text, not in the escaped one"
        );
    }
}
