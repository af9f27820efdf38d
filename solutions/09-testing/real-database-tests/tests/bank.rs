//! Tests against a real PostgreSQL. `#[sqlx::test]` gives each test a
//! fresh database on the server in `DATABASE_URL`, with migrations/
//! applied, so the tests run in parallel without seeing each other's rows.
//!
//! Checked by: `serverlings check real-database-tests`.

use real_database_tests::{
    BankError, accounts_of, balance, create_user, find_user, open_account, transfer,
};
use sqlx::PgPool;

type TestResult = Result<(), BankError>;

/// A user with two accounts holding 100 and 50 cents.
async fn two_accounts(pool: &PgPool) -> Result<(i64, i64), BankError> {
    let owner = create_user(pool, "ada@example.test", "Ada").await?;
    Ok((
        open_account(pool, owner, 100).await?,
        open_account(pool, owner, 50).await?,
    ))
}

#[sqlx::test]
async fn an_email_is_one_user_whatever_its_case(pool: PgPool) -> TestResult {
    let id = create_user(&pool, " Ada@Example.TEST ", "Ada").await?;
    assert_eq!(find_user(&pool, "ada@example.test").await?, Some(id));
    let again = create_user(&pool, "ada@example.test", "Ada again").await;
    assert!(
        matches!(again, Err(BankError::DuplicateEmail)),
        "got {again:?}"
    );
    Ok(())
}

#[sqlx::test]
async fn a_transfer_moves_the_money(pool: PgPool) -> TestResult {
    let (a, b) = two_accounts(&pool).await?;
    transfer(&pool, a, b, 30).await?;
    assert_eq!(
        (balance(&pool, a).await?, balance(&pool, b).await?),
        (70, 80)
    );
    Ok(())
}

#[sqlx::test]
async fn the_whole_balance_can_be_moved_but_not_a_cent_more(pool: PgPool) -> TestResult {
    let (a, b) = two_accounts(&pool).await?;
    let over = transfer(&pool, b, a, 51).await;
    assert!(
        matches!(over, Err(BankError::InsufficientFunds)),
        "got {over:?}"
    );
    assert_eq!(balance(&pool, b).await?, 50);
    transfer(&pool, b, a, 50).await?;
    assert_eq!(
        (balance(&pool, a).await?, balance(&pool, b).await?),
        (150, 0)
    );
    Ok(())
}

#[sqlx::test]
async fn a_transfer_to_an_unknown_account_changes_nothing(pool: PgPool) -> TestResult {
    let (a, _) = two_accounts(&pool).await?;
    let result = transfer(&pool, a, 9_999_999, 40).await;
    assert!(
        matches!(result, Err(BankError::UnknownAccount)),
        "got {result:?}"
    );
    assert_eq!(
        balance(&pool, a).await?,
        100,
        "the debit must be rolled back"
    );
    Ok(())
}

#[sqlx::test]
async fn amounts_must_be_positive(pool: PgPool) -> TestResult {
    let (a, b) = two_accounts(&pool).await?;
    for amount in [0, -5] {
        assert!(matches!(
            transfer(&pool, a, b, amount).await,
            Err(BankError::InvalidAmount)
        ));
    }
    assert_eq!(balance(&pool, a).await?, 100);
    Ok(())
}

#[sqlx::test]
async fn accounts_come_newest_first_and_at_most_the_limit(pool: PgPool) -> TestResult {
    let owner = create_user(&pool, "bob@example.test", "Bob").await?;
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(open_account(&pool, owner, 0).await?);
    }
    assert_eq!(accounts_of(&pool, owner, 2).await?, [ids[3], ids[2]]);
    assert_eq!(accounts_of(&pool, owner, 10).await?.len(), 4);
    Ok(())
}
