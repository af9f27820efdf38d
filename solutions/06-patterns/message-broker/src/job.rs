//! The message: a thumbnail to make.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub image: String,
    pub width: u32,
}

impl Job {
    /// A job the worker can never do: no image, or a width outside
    /// 1..=4096. Retrying it would fail the same way every time.
    pub fn problem(&self) -> Option<String> {
        if self.image.trim().is_empty() {
            return Some("no image".into());
        }
        if !(1..=4096).contains(&self.width) {
            return Some(format!("width {} is outside 1..=4096", self.width));
        }
        None
    }
}

/// What the worker reports to the API when a job is done.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub width: u32,
    /// The broker had delivered this message before (to a consumer that
    /// did not acknowledge it).
    pub redelivered: bool,
}
