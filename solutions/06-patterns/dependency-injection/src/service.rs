//! The rules of signing up. No HTTP, no SMTP, no system clock: only the
//! ports it was given.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::ports::{Deps, Duplicate, Mail};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signup {
    pub id: u64,
    pub email: String,
    pub trial_ends_at: DateTime<Utc>,
    /// Whether the welcome mail went out. A failed mail does not undo
    /// the signup: the user exists either way.
    pub welcome_sent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub id: u64,
    pub email: String,
    pub trial_active: bool,
    /// Whole days left in the trial, rounded up; 0 once it is over.
    pub days_left: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SignupError {
    InvalidEmail,
    AlreadySignedUp,
}

pub struct Signups {
    deps: Deps,
    trial: TimeDelta,
}

impl Signups {
    pub fn new(deps: Deps, trial_days: u32) -> Self {
        Signups {
            deps,
            trial: TimeDelta::days(i64::from(trial_days)),
        }
    }

    pub async fn sign_up(&self, email: &str) -> Result<Signup, SignupError> {
        let email = email.trim();
        if !is_email(email) {
            return Err(SignupError::InvalidEmail);
        }
        let trial_ends_at = self.deps.clock.now() + self.trial;
        let user = self
            .deps
            .users
            .insert(email, trial_ends_at)
            .await
            .map_err(|Duplicate| SignupError::AlreadySignedUp)?;
        let mail = Mail {
            to: user.email.clone(),
            subject: "Welcome to the trial".to_string(),
            text: format!("Your trial runs until {}.", user.trial_ends_at.to_rfc3339()),
        };
        let welcome_sent = self.deps.mailer.send(&mail).await.is_ok();
        Ok(Signup {
            id: user.id,
            email: user.email,
            trial_ends_at: user.trial_ends_at,
            welcome_sent,
        })
    }

    pub async fn status(&self, id: u64) -> Option<Status> {
        let user = self.deps.users.get(id).await?;
        let left = user.trial_ends_at - self.deps.clock.now();
        let seconds = left.num_seconds().max(0);
        Some(Status {
            id: user.id,
            email: user.email,
            trial_active: left > TimeDelta::zero(),
            days_left: (seconds + 86_399) / 86_400,
        })
    }
}

fn is_email(s: &str) -> bool {
    matches!(s.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.'))
}
