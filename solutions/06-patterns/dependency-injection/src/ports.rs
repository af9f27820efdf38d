//! The ports: what the signup service needs from the outside world, and
//! nothing more. They belong to the service; the adapters implement them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::sync::Arc;

/// What time it is. Production reads the system clock; a test sets it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// One e-mail to send.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MailError(pub String);

/// Sends mail somewhere: an HTTP mail API, stdout, a test's list.
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// A user who signed up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: u64,
    pub email: String,
    pub trial_ends_at: DateTime<Utc>,
}

/// The email is taken already.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate;

/// Where users are kept.
#[async_trait]
pub trait Users: Send + Sync {
    /// Stores a new user with the next id (1, 2, ...), or `Duplicate`.
    async fn insert(&self, email: &str, trial_ends_at: DateTime<Utc>) -> Result<User, Duplicate>;
    async fn get(&self, id: u64) -> Option<User>;
}

/// Everything the service depends on, as trait objects.
#[derive(Clone)]
pub struct Deps {
    pub clock: Arc<dyn Clock>,
    pub mailer: Arc<dyn Mailer>,
    pub users: Arc<dyn Users>,
}
