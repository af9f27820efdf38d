//! Database names and URLs.

use super::url::pid_of;
use super::*;

#[test]
fn database_names_are_identifiers_with_the_pid() {
    let n = database_name("Sqlx-Crud");
    assert!(n.starts_with("sl_sqlx_crud_"), "{n}");
    assert!(n.len() <= 63);
    assert!(
        n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    );
    assert_eq!(pid_of(&n), Some(std::process::id() as i32));
    assert!(database_name(&"x".repeat(100)).len() <= 63);
}

#[test]
fn urls_get_the_check_database() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/test?sslmode=disable", "sl_a").unwrap(),
        "postgres://u:p@h:5432/sl_a?sslmode=disable"
    );
    assert_eq!(
        admin_url("postgres://u@h:5432").unwrap(),
        "postgres://u@h:5432/postgres"
    );
    assert!(admin_url("mysql://u@h/x").is_err());
}
