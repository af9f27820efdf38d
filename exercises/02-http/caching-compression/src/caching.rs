//! Validators: an `ETag` names one version of one representation, so a
//! client that has it can ask "send it only if it changed"
//! (`If-None-Match`, answered with 304) or "change it only if nobody else
//! did" (`If-Match`, refused with 412).

/// FNV-1a, 64 bits: a fast, non-cryptographic hash. Given. Good enough to
/// tell versions apart; an ETag is not a security feature.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The strong ETag of a body: its FNV-1a hash as 16 lowercase hex digits,
/// in double quotes, e.g. `"af63bd4c8601b7df"`.
pub fn etag(body: &[u8]) -> String {
    // TODO(1): a strong tag that changes whenever the body does: the
    // body's FNV-1a 64 hash (given below) as 16 lowercase hex digits, zero
    // padded, in double quotes (they are part of an entity tag).
    todo!("TODO(1): the ETag of {} bytes", body.len())
}

/// The ETag of the gzip representation of the body tagged `tag`: the same
/// hash with `-gz`, e.g. `"af63bd4c8601b7df-gz"`. Two representations of
/// one version are different bytes, so they need different strong tags.
pub fn gzip_variant(tag: &str) -> String {
    match tag.strip_suffix('"') {
        Some(open) => format!("{open}-gz\""),
        None => format!("{tag}-gz"),
    }
}

#[allow(dead_code)] // TODO(2) and TODO(5) use it
/// The tags of an `If-None-Match` or `If-Match` list, e.g.
/// `"a", W/"b"` → `["\"a\"", "W/\"b\""]`.
fn tags(header: &str) -> impl Iterator<Item = &str> {
    header
        .split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
}

/// Whether an `If-None-Match` header matches the current `tag`: `*`, or a
/// comma-separated list with `tag` in it. The comparison is weak: `W/"x"`
/// and `"x"` match.
pub fn if_none_match(header: &str, tag: &str) -> bool {
    // TODO(2): the header is a list of tags (a helper below splits it), or
    // `*`. It matches when it is `*`, or when one of its tags is the same
    // tag as `tag` by WEAK comparison (RFC 9110, 8.8.3.2): the `W/` prefix
    // of either side does not count.
    todo!("TODO(2): does If-None-Match {header:?} match {tag}?")
}

/// Whether an `If-Match` header allows changing a resource whose current
/// tag is `current` (`None`: it does not exist). `*` matches any existing
/// resource; otherwise a tag in the list must be equal to `current`, and
/// weak tags (`W/"..."`) never match (strong comparison).
pub fn if_match(header: &str, current: Option<&str>) -> bool {
    // TODO(5): a resource that does not exist matches nothing, `*`
    // included. Otherwise `*` matches, and so does a tag of the list equal
    // to `current` by STRONG comparison: a weak tag never matches (it
    // cannot prove the bytes are the same, and a write needs that).
    todo!("TODO(5): does If-Match {header:?} allow changing {current:?}?")
}

#[cfg(test)]
mod tests {
    use super::{etag, gzip_variant, if_match, if_none_match};

    #[test]
    fn an_etag_is_the_quoted_hash() {
        assert_eq!(
            etag(b"hello"),
            "\"a430d84680aabd0b\"",
            "TODO(1): the FNV-1a hash as 16 hex digits, in double quotes"
        );
        assert_eq!(
            etag(b""),
            "\"cbf29ce484222325\"",
            "TODO(1): 16 digits, zero-padded"
        );
        assert_ne!(etag(b"v1"), etag(b"v2"), "TODO(1)");
    }

    #[test]
    fn the_gzip_variant_has_its_own_tag() {
        assert_eq!(gzip_variant("\"abc\""), "\"abc-gz\"");
    }

    #[test]
    fn if_none_match_finds_the_tag_in_a_list() {
        let tag = "\"abc\"";
        assert!(if_none_match("\"abc\"", tag), "TODO(2): the same tag");
        assert!(
            if_none_match("\"old\", \"abc\"", tag),
            "TODO(2): a comma-separated list"
        );
        assert!(if_none_match("*", tag), "TODO(2): `*` matches any version");
        assert!(!if_none_match("\"old\"", tag), "TODO(2): another tag");
        assert!(
            !if_none_match("abc", tag),
            "TODO(2): the quotes are part of the tag"
        );
    }

    #[test]
    fn if_none_match_compares_weakly() {
        assert!(
            if_none_match("W/\"abc\"", "\"abc\""),
            "TODO(2): If-None-Match ignores `W/`: a proxy may weaken the tag it got"
        );
    }

    #[test]
    fn if_match_compares_strongly() {
        let current = Some("\"abc\"");
        assert!(if_match("\"abc\"", current), "TODO(5): the current tag");
        assert!(if_match("\"x\", \"abc\"", current), "TODO(5): in a list");
        assert!(if_match("*", current), "TODO(5): `*`: it exists");
        assert!(!if_match("\"old\"", current), "TODO(5): a stale tag");
        assert!(
            !if_match("W/\"abc\"", current),
            "TODO(5): a weak tag never satisfies If-Match"
        );
        assert!(!if_match("*", None), "TODO(5): `*` and nothing there");
    }
}
