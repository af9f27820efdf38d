//! What a client may send, as types with their rules: the request's
//! schema, declared once.

use garde::Validate;
use serde::{Deserialize, Serialize};

/// The body of `POST /signups`.
// TODO(1): the rules of main.rs's contract, declared on the type, so that
// parsing refuses what serde can see (a field the type does not declare;
// `tags` may be left out) and `validate()` reports what it cannot
// (lengths, ranges, the address format, the size of the list and of each
// tag). Today every field is `skip`ped: anything that parses is "valid".
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
