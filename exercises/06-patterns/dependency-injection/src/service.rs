//! The rules of signing up. The goal: no HTTP, no SMTP, no system clock
//! in here, only the ports it was given (`self.deps`).

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::ports::{Deps, User};

// The code as it was found reaches for its collaborators itself: this
// process-wide list is its user store. TODO(1) removes it.
static USERS: Mutex<Vec<User>> = Mutex::new(Vec::new());

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
        // TODO(1): this works, and cannot be tested: it reads the system
        // clock, keeps users in a global and "sends" mail to stdout. Use the
        // collaborators the service was given instead (`self.deps.clock`,
        // `self.deps.users`, `self.deps.mailer`):
        // - the trial ends `self.trial` after the clock's now;
        // - the user is stored through `Users::insert` (a `Duplicate` is
        //   `SignupError::AlreadySignedUp`, and sends no mail);
        // - then a welcome `Mail` goes to the user through the `Mailer`;
        //   `welcome_sent` says whether it was accepted. A failed mail does
        //   not undo the signup.
        let _ = &self.deps;
        let trial_ends_at = Utc::now() + self.trial;
        let user = {
            let mut users = USERS.lock().unwrap();
            if users.iter().any(|u| u.email.eq_ignore_ascii_case(email)) {
                return Err(SignupError::AlreadySignedUp);
            }
            let user = User {
                id: users.len() as u64 + 1,
                email: email.to_string(),
                trial_ends_at,
            };
            users.push(user.clone());
            user
        };
        println!("mail to {}: Welcome to the trial", user.email);
        Ok(Signup {
            id: user.id,
            email: user.email,
            trial_ends_at: user.trial_ends_at,
            welcome_sent: true,
        })
    }

    pub async fn status(&self, id: u64) -> Option<Status> {
        // TODO(1): the same here: the user from `self.deps.users`, the time
        // from `self.deps.clock`. `days_left` is the whole days left,
        // rounded up (10 days and 1 hour left is 11), and 0 once the trial
        // is over.
        let user = USERS.lock().unwrap().iter().find(|u| u.id == id).cloned()?;
        let left = user.trial_ends_at - Utc::now();
        Some(Status {
            id: user.id,
            email: user.email,
            trial_active: left > TimeDelta::zero(),
            days_left: left.num_days(),
        })
    }
}

fn is_email(s: &str) -> bool {
    matches!(s.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.'))
}
