//! Tests against a real PostgreSQL for the functions of src/lib.rs. That
//! file and migrations/ are correct; this file is yours.
//!
//! How it is checked: `serverlings check real-database-tests` runs these
//! tests against the given src/lib.rs (they must all pass), then against
//! copies of it with one planted bug each: each must make at least one
//! test fail. Empty tests catch nothing: that is where you start.
//!
//! The tests need a PostgreSQL server in `DATABASE_URL` (the check gives
//! one). `cargo test` runs them in parallel: each test must have a world
//! of its own (no shared rows, no assumed ids).

#![allow(unused_imports)]

use real_database_tests::{
    BankError, accounts_of, balance, create_user, find_user, open_account, transfer,
};
use sqlx::PgPool;

// TODO(1): isolation. Give every test its own database (with the
// migrations applied) or its own transaction that is never committed. The
// `#[sqlx::test]` attribute below creates a fresh database per test on the
// server in DATABASE_URL and hands the test a pool to it: keep it, or
// replace it with a scheme of your own.

// TODO(2): fill in each test (add more if you like). Check the database
// after every refusal: "it returned an error" is half of "nothing changed".

#[sqlx::test]
async fn an_email_is_one_user_whatever_its_case(pool: PgPool) {
    // " Ada@Example.TEST " and "ada@example.test" are the same user.
}

#[sqlx::test]
async fn a_transfer_moves_the_money(pool: PgPool) {}

#[sqlx::test]
async fn the_whole_balance_can_be_moved_but_not_a_cent_more(pool: PgPool) {}

#[sqlx::test]
async fn a_transfer_to_an_unknown_account_changes_nothing(pool: PgPool) {
    // The error, and the source's balance afterwards.
}

#[sqlx::test]
async fn amounts_must_be_positive(pool: PgPool) {}

#[sqlx::test]
async fn accounts_come_newest_first_and_at_most_the_limit(pool: PgPool) {}
