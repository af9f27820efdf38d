//! The articles, in memory. Given.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

#[derive(Debug, Default)]
pub struct Articles {
    by_slug: Mutex<HashMap<String, String>>,
}

impl Articles {
    /// The text of an article.
    pub fn get(&self, slug: &str) -> Option<String> {
        self.lock().get(slug).cloned()
    }

    /// Stores an article if `allowed` says yes when shown the current text
    /// (`None`: there is none), all under one lock, so that nobody can
    /// change the article between the check and the write. `None`: refused;
    /// `Some(true)`: created; `Some(false)`: replaced.
    pub fn put_if(
        &self,
        slug: &str,
        text: &str,
        allowed: impl FnOnce(Option<&str>) -> bool,
    ) -> Option<bool> {
        let mut by_slug = self.lock();
        if !allowed(by_slug.get(slug).map(String::as_str)) {
            return None;
        }
        Some(by_slug.insert(slug.to_string(), text.to_string()).is_none())
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, String>> {
        self.by_slug.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
