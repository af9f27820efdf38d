//! The product catalogue and its search.

use std::collections::BTreeSet;

const ADJECTIVES: [&str; 17] = [
    "Red", "Blue", "Green", "Tiny", "Large", "Quiet", "Rapid", "Soft", "Bright", "Dark", "Smart",
    "Plain", "Golden", "Silver", "Wooden", "Steel", "Vintage",
];
const NOUNS: [&str; 2] = ["Lamp", "Chair"];

/// What `GET /search` answers.
#[derive(Debug, serde::Serialize)]
pub struct Found {
    /// Distinct names that contain the query.
    pub count: usize,
    /// The first 10 of them, in byte order.
    pub first: Vec<String>,
}

pub struct Catalogue {
    /// Every listing, duplicates included (one product, several sellers).
    names: Vec<String>,
    // Each name's lower-case form, computed once, not per request (the
    // second-widest box of the profile).
    lower: Vec<String>,
}

impl Catalogue {
    /// 21 000 listings, each name listed three times.
    pub fn generate() -> Self {
        let mut catalogue = Catalogue {
            names: Vec::new(),
            lower: Vec::new(),
        };
        for i in 0..21_000usize {
            let k = i / 3;
            let name = format!(
                "{} {} {}",
                ADJECTIVES[k % 17],
                NOUNS[(k / 17) % 2],
                k % 1000
            );
            catalogue.add(name);
        }
        catalogue
    }

    pub fn add(&mut self, name: String) {
        self.lower.push(name.to_lowercase());
        self.names.push(name);
    }

    /// Distinct names containing `query`, ignoring case.
    pub fn search(&self, query: &str) -> Found {
        let query = query.to_lowercase();
        // TODO(1), done: distinct names in a sorted set, O(log n) per
        // insert, instead of a linear search of everything found so far
        // (quadratic in the number of matches: the profile's widest box).
        let found: BTreeSet<&str> = self
            .lower
            .iter()
            .zip(&self.names)
            .filter(|(lower, _)| lower.contains(&query))
            .map(|(_, name)| name.as_str())
            .collect();
        Found {
            count: found.len(),
            first: found.iter().take(10).map(|s| s.to_string()).collect(),
        }
    }
}
