//! What a client may send, as types with their rules: the request's
//! schema, declared once.

use garde::Validate;
use serde::{Deserialize, Serialize};

/// The body of `POST /signups`.
#[derive(Clone, Debug, Deserialize, Serialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct Signup {
    #[garde(alphanumeric, length(min = 3, max = 20))]
    pub username: String,
    #[garde(email)]
    pub email: String,
    #[garde(range(min = 13, max = 130))]
    pub age: u32,
    #[serde(default)]
    #[garde(length(max = 5), inner(length(min = 1, max = 20)))]
    pub tags: Vec<String>,
}

/// A stored sign-up: its id, then its fields.
#[derive(Clone, Debug, Serialize)]
pub struct Stored {
    pub id: u64,
    #[serde(flatten)]
    pub signup: Signup,
}
