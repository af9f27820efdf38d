//! The adapters: real implementations of the ports.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::ports::{Clock, Duplicate, Mail, MailError, Mailer, User, Users};

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// For development without a mail API: prints the mail.
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        println!("mail to {}: {}", mail.to, mail.subject);
        Ok(())
    }
}

/// A mail API over HTTP: `POST {base}/messages` with the mail as JSON
/// (`{"to", "subject", "text"}`); any 2xx means accepted.
pub struct HttpMailer {
    client: reqwest::Client,
    base: String,
}

impl HttpMailer {
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("an HTTP client");
        HttpMailer {
            client,
            base: base.trim_end_matches('/').to_string(),
        }
    }
}

#[async_trait]
impl Mailer for HttpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        // TODO(2): POST the mail as JSON to `{self.base}/messages` with
        // `self.client`; a 2xx answer is `Ok(())`, anything else (another
        // status, no connection, a timeout) is a `MailError` saying what
        // happened.
        let _ = (&self.client, &self.base, mail);
        Err(MailError(
            "TODO(2): HttpMailer::send is not written yet".into(),
        ))
    }
}

/// Users in memory.
#[derive(Default)]
pub struct InMemoryUsers {
    users: Mutex<HashMap<u64, User>>,
}

#[async_trait]
impl Users for InMemoryUsers {
    async fn insert(&self, email: &str, trial_ends_at: DateTime<Utc>) -> Result<User, Duplicate> {
        let mut users = self.users.lock().unwrap();
        if users.values().any(|u| u.email.eq_ignore_ascii_case(email)) {
            return Err(Duplicate);
        }
        let user = User {
            id: users.len() as u64 + 1,
            email: email.to_string(),
            trial_ends_at,
        };
        users.insert(user.id, user.clone());
        Ok(user)
    }

    async fn get(&self, id: u64) -> Option<User> {
        self.users.lock().unwrap().get(&id).cloned()
    }
}
