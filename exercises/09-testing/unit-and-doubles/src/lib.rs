//! Invite codes: a code is redeemed once, before it expires.
//!
//! This file is the code under test and it is correct: leave it as it is.
//! Your work is in tests/redeem.rs (see the TODOs there). The check runs
//! your tests against this code (they must pass), then against copies of it
//! with one bug planted in each (an expiry a second late, a reuse allowed, a
//! storage error swallowed, a wrong time recorded): each bug must make one
//! of your tests fail.
//!
//! Checked by: `serverlings check unit-and-doubles`.

use std::fmt;

/// Seconds since the Unix epoch.
pub type Timestamp = u64;

/// Where the service reads the time. Production passes the system clock; a
/// test passes a clock it controls.
pub trait Clock {
    fn now(&self) -> Timestamp;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// One invite as the repository stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub code: String,
    /// The first second at which the invite no longer works.
    pub expires_at: Timestamp,
    /// When it was redeemed, if it was.
    pub redeemed_at: Option<Timestamp>,
}

/// The storage failed (the database is down, the query timed out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

/// Where invites live. Production implements it over PostgreSQL; a test
/// implements it over a `Mutex<HashMap>` or with canned answers.
pub trait InviteRepo {
    /// The invite with this code, or `None` if there is none.
    fn find(&self, code: &str) -> impl Future<Output = Result<Option<Invite>, StorageError>>;
    /// Records that the invite was redeemed at `at`.
    fn mark_redeemed(
        &self,
        code: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<(), StorageError>>;
}

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedeemError {
    /// No invite has this code.
    Unknown,
    /// The invite expired: `now >= expires_at`.
    Expired,
    /// The invite was redeemed before.
    AlreadyRedeemed,
    /// The storage failed; the caller answers 503 and may retry.
    Storage(String),
}

impl fmt::Display for RedeemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedeemError::Unknown => write!(f, "no such invite"),
            RedeemError::Expired => write!(f, "the invite has expired"),
            RedeemError::AlreadyRedeemed => write!(f, "the invite was already used"),
            RedeemError::Storage(e) => write!(f, "storage failed: {e}"),
        }
    }
}

impl std::error::Error for RedeemError {}

/// The service: redeems invites against a clock and a repository.
pub struct Invites<C, R> {
    clock: C,
    repo: R,
}

impl<C: Clock, R: InviteRepo> Invites<C, R> {
    pub fn new(clock: C, repo: R) -> Self {
        Invites { clock, repo }
    }

    /// Redeems `code` now, and returns the time it was redeemed at.
    ///
    /// The rules, in order: an unknown code is `Unknown`; a code redeemed
    /// before is `AlreadyRedeemed`; a code whose `expires_at` is now or
    /// earlier is `Expired`; otherwise the redemption is recorded with the
    /// current time. Any storage failure is `Storage`, never another error
    /// and never a success.
    pub async fn redeem(&self, code: &str) -> Result<Timestamp, RedeemError> {
        let invite = self
            .repo
            .find(code)
            .await
            .map_err(|e| RedeemError::Storage(e.0))?
            .ok_or(RedeemError::Unknown)?;
        if invite.redeemed_at.is_some() {
            return Err(RedeemError::AlreadyRedeemed);
        }
        let now = self.clock.now();
        if now >= invite.expires_at {
            return Err(RedeemError::Expired);
        }
        self.repo
            .mark_redeemed(code, now)
            .await
            .map_err(|e| RedeemError::Storage(e.0))?;
        Ok(now)
    }

    /// How many whole seconds the invite has left, `0` once it expired.
    /// Unknown codes are `Unknown`; storage failures are `Storage`.
    pub async fn seconds_left(&self, code: &str) -> Result<u64, RedeemError> {
        let invite = self
            .repo
            .find(code)
            .await
            .map_err(|e| RedeemError::Storage(e.0))?
            .ok_or(RedeemError::Unknown)?;
        Ok(invite.expires_at.saturating_sub(self.clock.now()))
    }
}
