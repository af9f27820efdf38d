//! Unit tests of `Invites`, with a fake clock and a repository double.
//!
//! The check runs these tests against the given src/lib.rs (they must pass)
//! and against copies of it with one planted bug each (each must make a test
//! fail). Run them with `cargo test`; run the check with
//! `serverlings check unit-and-doubles`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use unit_and_doubles::{Clock, Invite, InviteRepo, Invites, RedeemError, StorageError, Timestamp};

// TODO(1), the doubles.

/// A fake clock: the time is whatever the test sets.
#[derive(Default)]
struct FakeClock(AtomicU64);

impl FakeClock {
    fn at(t: Timestamp) -> Self {
        FakeClock(AtomicU64::new(t))
    }
}

impl Clock for &FakeClock {
    fn now(&self) -> Timestamp {
        self.0.load(Ordering::SeqCst)
    }
}

/// A fake repository over a map, which also records every write (a spy),
/// and can be told to fail its reads or its writes (a stub of a bad day).
#[derive(Default)]
struct FakeRepo {
    invites: Mutex<HashMap<String, Invite>>,
    writes: Mutex<Vec<(String, Timestamp)>>,
    fail_find: bool,
    fail_write: bool,
}

impl FakeRepo {
    fn with(invites: &[Invite]) -> Self {
        let map = invites
            .iter()
            .map(|i| (i.code.clone(), i.clone()))
            .collect();
        FakeRepo {
            invites: Mutex::new(map),
            ..FakeRepo::default()
        }
    }
    fn writes(&self) -> Vec<(String, Timestamp)> {
        self.writes.lock().unwrap().clone()
    }
}

impl InviteRepo for &FakeRepo {
    async fn find(&self, code: &str) -> Result<Option<Invite>, StorageError> {
        if self.fail_find {
            return Err(StorageError("connection reset".into()));
        }
        Ok(self.invites.lock().unwrap().get(code).cloned())
    }
    async fn mark_redeemed(&self, code: &str, at: Timestamp) -> Result<(), StorageError> {
        if self.fail_write {
            return Err(StorageError("statement timeout".into()));
        }
        self.writes.lock().unwrap().push((code.to_string(), at));
        if let Some(invite) = self.invites.lock().unwrap().get_mut(code) {
            invite.redeemed_at = Some(at);
        }
        Ok(())
    }
}

const T0: Timestamp = 1_700_000_000;

fn invite(code: &str, expires_at: Timestamp) -> Invite {
    Invite {
        code: code.into(),
        expires_at,
        redeemed_at: None,
    }
}

// TODO(2), the behaviours.

#[tokio::test]
async fn a_valid_code_is_redeemed_and_the_time_recorded() {
    let clock = FakeClock::at(T0);
    let repo = FakeRepo::with(&[invite("abc", T0 + 60)]);
    let invites = Invites::new(&clock, &repo);
    assert_eq!(invites.redeem("abc").await, Ok(T0));
    assert_eq!(repo.writes(), [("abc".to_string(), T0)]);
}

#[tokio::test]
async fn the_last_second_before_expiry_still_works() {
    let clock = FakeClock::at(T0 + 59);
    let repo = FakeRepo::with(&[invite("abc", T0 + 60)]);
    assert_eq!(Invites::new(&clock, &repo).redeem("abc").await, Ok(T0 + 59));
}

#[tokio::test]
async fn at_the_expiry_second_the_code_is_refused_and_nothing_written() {
    let clock = FakeClock::at(T0 + 60);
    let repo = FakeRepo::with(&[invite("abc", T0 + 60)]);
    assert_eq!(
        Invites::new(&clock, &repo).redeem("abc").await,
        Err(RedeemError::Expired)
    );
    assert!(repo.writes().is_empty());
}

#[tokio::test]
async fn a_code_works_once() {
    let clock = FakeClock::at(T0);
    let repo = FakeRepo::with(&[invite("abc", T0 + 60)]);
    let invites = Invites::new(&clock, &repo);
    assert!(invites.redeem("abc").await.is_ok());
    assert_eq!(
        invites.redeem("abc").await,
        Err(RedeemError::AlreadyRedeemed)
    );
    assert_eq!(repo.writes().len(), 1);
}

#[tokio::test]
async fn an_unknown_code_is_unknown() {
    let clock = FakeClock::at(T0);
    let repo = FakeRepo::with(&[invite("abc", T0 + 60)]);
    assert_eq!(
        Invites::new(&clock, &repo).redeem("xyz").await,
        Err(RedeemError::Unknown)
    );
}

#[tokio::test]
async fn a_failed_lookup_is_a_storage_error_not_an_unknown_code() {
    let clock = FakeClock::at(T0);
    let repo = FakeRepo {
        fail_find: true,
        ..FakeRepo::with(&[invite("abc", T0 + 60)])
    };
    let invites = Invites::new(&clock, &repo);
    assert!(matches!(
        invites.redeem("abc").await,
        Err(RedeemError::Storage(_))
    ));
    assert!(matches!(
        invites.seconds_left("abc").await,
        Err(RedeemError::Storage(_))
    ));
}

#[tokio::test]
async fn a_failed_write_is_a_storage_error_not_a_success() {
    let clock = FakeClock::at(T0);
    let repo = FakeRepo {
        fail_write: true,
        ..FakeRepo::with(&[invite("abc", T0 + 60)])
    };
    let result = Invites::new(&clock, &repo).redeem("abc").await;
    assert!(
        matches!(result, Err(RedeemError::Storage(_))),
        "got {result:?}"
    );
}

#[tokio::test]
async fn seconds_left_counts_down_and_stops_at_zero() {
    let repo = FakeRepo::with(&[invite("abc", T0 + 60)]);
    let clock = FakeClock::at(T0);
    let invites = Invites::new(&clock, &repo);
    assert_eq!(invites.seconds_left("abc").await, Ok(60));
    clock.0.store(T0 + 60, Ordering::SeqCst);
    assert_eq!(invites.seconds_left("abc").await, Ok(0));
    clock.0.store(T0 + 3600, Ordering::SeqCst);
    assert_eq!(invites.seconds_left("abc").await, Ok(0));
    assert_eq!(invites.seconds_left("xyz").await, Err(RedeemError::Unknown));
}
