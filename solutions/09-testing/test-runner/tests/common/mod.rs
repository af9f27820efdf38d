//! What the integration tests share. A folder with mod.rs, not
//! tests/common.rs: cargo would build that as a test target of its own.

use std::collections::HashSet;

/// A set of slugs already in use.
pub fn taken(slugs: &[&str]) -> HashSet<String> {
    slugs.iter().map(|s| s.to_string()).collect()
}
