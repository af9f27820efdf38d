//! What a client may send, as types with their rules: the request's
//! schema, declared once.

use garde::Validate;
use serde::{Deserialize, Serialize};

/// The body of `POST /signups`.
// TODO(1): write the rules of main.rs as attributes.
// - serde: `#[serde(deny_unknown_fields)]` on the struct refuses fields
//   it does not declare; `#[serde(default)]` on `tags` makes it optional.
// - garde, one `#[garde(...)]` per field instead of `skip`:
//   `alphanumeric, length(min = 3, max = 20)`, `email`,
//   `range(min = 13, max = 130)`, and for the list
//   `length(max = 5), inner(length(min = 1, max = 20))`.
#[derive(Clone, Debug, Deserialize, Serialize, Validate)]
pub struct Signup {
    #[garde(skip)]
    pub username: String,
    #[garde(skip)]
    pub email: String,
    #[garde(skip)]
    pub age: u32,
    #[garde(skip)]
    pub tags: Vec<String>,
}

/// A stored sign-up: its id, then its fields.
#[derive(Clone, Debug, Serialize)]
pub struct Stored {
    pub id: u64,
    #[serde(flatten)]
    pub signup: Signup,
}
