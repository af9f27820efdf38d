//! The template every check's database is cloned from, the databases of
//! checks whose serverlings was killed, and creating and dropping a check's
//! database.

use super::url::{nonce, pid_of};
use super::{TEMPLATE, connect, describe, with_database};
use crate::instance;
use std::time::Duration;

/// Servers whose template this process has checked.
static READY: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Makes sure the template exists (built under a temporary name and renamed,
/// so a concurrent check never clones a half-made one), and on a server of
/// this machine drops databases of checks whose serverlings was killed.
pub async fn ensure_template(admin: &str) -> Result<(), String> {
    if READY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|u| u == admin)
    {
        return Ok(());
    }
    let c = connect(admin).await?;
    let exists = c
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&TEMPLATE])
        .await
        .map_err(|e| describe(&e))?
        .is_some();
    if !exists {
        let tmp = format!("{TEMPLATE}_{}_{}", std::process::id(), nonce());
        c.batch_execute(&format!("CREATE DATABASE {tmp}"))
            .await
            .map_err(|e| cannot_create(&e))?;
        let setup = async {
            let t = connect(&with_database(admin, &tmp)?).await?;
            let preload = t
                .query_one("SHOW shared_preload_libraries", &[])
                .await
                .map(|r| r.get::<_, String>(0).contains("pg_stat_statements"))
                .unwrap_or(false);
            if preload {
                t.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                    .await
                    .map_err(|e| describe(&e))?;
            }
            drop(t);
            Ok::<(), String>(())
        }
        .await;
        let renamed = match setup {
            Ok(()) => rename_when_free(&c, &tmp).await,
            Err(e) => Err(e),
        };
        if let Err(e) = renamed {
            let _ = drop_with(&c, &tmp).await;
            // Another check made it first: fine.
            let now = c
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&TEMPLATE])
                .await
                .map_err(|e| describe(&e))?
                .is_some();
            if !now {
                return Err(e);
            }
        }
    }
    if crate::is_loopback(admin) {
        drop_abandoned(&c).await;
    }
    READY
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(admin.to_string());
    Ok(())
}

/// RENAME needs the database unused; the setup connection may take a
/// moment to close.
async fn rename_when_free(c: &tokio_postgres::Client, tmp: &str) -> Result<(), String> {
    let mut tries = 0;
    loop {
        match c
            .batch_execute(&format!("ALTER DATABASE {tmp} RENAME TO {TEMPLATE}"))
            .await
        {
            Ok(()) => return Ok(()),
            Err(e) if in_use(&e) && tries < 50 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(e) => return Err(describe(&e)),
        }
    }
}

fn in_use(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::OBJECT_IN_USE)
}

fn cannot_create(e: &tokio_postgres::Error) -> String {
    if e.code() == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
        format!(
            "{}: the user needs the right to create databases (ALTER ROLE … CREATEDB)",
            describe(e)
        )
    } else {
        describe(e)
    }
}

/// Drops `sl_*` databases whose serverlings process is gone.
async fn drop_abandoned(c: &tokio_postgres::Client) {
    let Ok(rows) = c
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'sl\\_%'",
            &[],
        )
        .await
    else {
        return;
    };
    for r in rows {
        let name: String = r.get(0);
        if pid_of(&name).is_some_and(|p| !instance::alive(p)) {
            let _ = drop_with(c, &name).await;
        }
    }
    // Half-made templates of killed processes.
    if let Ok(rows) = c
        .query(
            "SELECT datname FROM pg_database WHERE datname LIKE $1",
            &[&format!("{TEMPLATE}\\_%")],
        )
        .await
    {
        for r in rows {
            let name: String = r.get(0);
            if pid_of(&name).is_some_and(|p| !instance::alive(p)) {
                let _ = drop_with(c, &name).await;
            }
        }
    }
}

/// Creates a check's database from the template.
pub async fn create_database(admin: &str, name: &str) -> Result<(), String> {
    ensure_template(admin).await?;
    let c = connect(admin).await?;
    let mut tries = 0;
    loop {
        match c
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
            .await
        {
            Ok(()) => return Ok(()),
            // Someone is connected to the template for a moment.
            Err(e) if in_use(&e) && tries < 100 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(e) => return Err(cannot_create(&e)),
        }
    }
}

/// Drops a check's database, closing connections the server left open.
pub async fn drop_database(admin: &str, name: &str) -> Result<(), String> {
    let c = connect(admin).await?;
    drop_with(&c, name).await
}

async fn drop_with(c: &tokio_postgres::Client, name: &str) -> Result<(), String> {
    match c
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
    {
        Ok(()) => Ok(()),
        // Before PostgreSQL 13: no FORCE.
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::SYNTAX_ERROR) => {
            let _ = c
                .execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                    &[&name],
                )
                .await;
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .await
                .map_err(|e| describe(&e))
        }
        Err(e) => Err(describe(&e)),
    }
}
