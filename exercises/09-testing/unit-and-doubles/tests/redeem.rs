//! Unit tests of `Invites` (src/lib.rs), with a fake clock and a repository
//! double. src/lib.rs is correct; this file is yours.
//!
//! How it is checked: `serverlings check unit-and-doubles` runs these tests
//! against the given src/lib.rs (they must all pass), then against copies
//! of it with one planted bug each, the bugs a careless change makes: each
//! must make at least one test fail. Empty tests pass everything, so they
//! catch nothing: that is where you start. Run them with `cargo test`.

#![allow(unused_imports)]

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use unit_and_doubles::{Clock, Invite, InviteRepo, Invites, RedeemError, StorageError, Timestamp};

// TODO(1), the doubles. `Invites::new(clock, repo)` takes any `Clock` and
// any `InviteRepo`. Write:
// - a fake clock whose time the test sets (and can move between calls);
// - a repository double that keeps invites in memory, records every
//   `mark_redeemed(code, at)` call so a test can read them back (a spy),
//   and can be told to fail `find` or `mark_redeemed` with a StorageError.
// Tip: implement the traits for `&YourType`, so the test keeps the double
// and can look inside it after the service used it.

// TODO(2), the behaviours. Fill in each test (add more if you like). Sit on
// both sides of every boundary: a test "an hour before" and "a day after"
// passes just as well when the comparison is off by one.

#[tokio::test]
async fn a_valid_code_is_redeemed_and_the_time_recorded() {
    // redeem answers Ok(now), and the repository was told (code, now).
}

#[tokio::test]
async fn the_last_second_before_expiry_still_works() {
    // now = expires_at - 1: Ok.
}

#[tokio::test]
async fn at_the_expiry_second_the_code_is_refused_and_nothing_written() {
    // now = expires_at: Err(Expired), and no mark_redeemed call.
}

#[tokio::test]
async fn a_code_works_once() {
    // The second redeem of the same code: Err(AlreadyRedeemed).
}

#[tokio::test]
async fn an_unknown_code_is_unknown() {}

#[tokio::test]
async fn a_failed_lookup_is_a_storage_error_not_an_unknown_code() {
    // find fails: redeem and seconds_left answer Err(Storage(_)).
}

#[tokio::test]
async fn a_failed_write_is_a_storage_error_not_a_success() {
    // mark_redeemed fails: redeem answers Err(Storage(_)), not Ok.
}

#[tokio::test]
async fn seconds_left_counts_down_and_stops_at_zero() {
    // Before, at and well after the expiry.
}
