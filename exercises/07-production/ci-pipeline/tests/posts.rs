//! The crate's tests, as CI runs them: with a real PostgreSQL.

use ci_pipeline::{Posts, slug};

#[test]
fn slugs_are_lowercase_words_joined_by_dashes() {
    assert_eq!(slug("Hello, World!"), "hello-world");
    assert_eq!(slug("  Rust   2024 "), "rust-2024");
}

#[tokio::test]
async fn the_same_title_twice_gets_a_second_slug() {
    let url = std::env::var("DATABASE_URL")
        .expect("DATABASE_URL is not set: these tests need PostgreSQL (CI starts it as a service)");
    let pool = sqlx::PgPool::connect(&url)
        .await
        .expect("cannot reach PostgreSQL at DATABASE_URL");
    sqlx::raw_sql("DROP TABLE IF EXISTS posts")
        .execute(&pool)
        .await
        .unwrap();
    let posts = Posts::new(pool).await.unwrap();
    assert_eq!(posts.create("Shipping It").await.unwrap(), "shipping-it");
    assert_eq!(posts.create("shipping it!").await.unwrap(), "shipping-it-2");
}
