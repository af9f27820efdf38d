//! The product catalogue and its search.

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
}

impl Catalogue {
    /// 21 000 listings, each name listed three times.
    pub fn generate() -> Self {
        let mut catalogue = Catalogue { names: Vec::new() };
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
        self.names.push(name);
    }

    /// Distinct names containing `query`, ignoring case.
    ///
    /// TODO(1): this is where a search spends its time. Profile it under
    /// load and fix the hot spot the profile shows; every answer must stay
    /// the same.
    pub fn search(&self, query: &str) -> Found {
        let query = query.to_lowercase();
        let mut found: Vec<&str> = Vec::new();
        for name in &self.names {
            if name.to_lowercase().contains(&query) && !found.contains(&name.as_str()) {
                found.push(name);
            }
        }
        found.sort_unstable();
        Found {
            count: found.len(),
            first: found.iter().take(10).map(|s| s.to_string()).collect(),
        }
    }
}
