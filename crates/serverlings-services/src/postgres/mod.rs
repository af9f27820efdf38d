//! PostgreSQL: starting a throwaway cluster from the local installation,
//! and giving each check its own database, cloned from a template.
//!
//! `cluster` starts one, `url` names databases and URLs, `template` keeps
//! the template and the per-check databases; the client helpers are here.

mod cluster;
mod template;
#[cfg(test)]
mod tests;
mod url;

pub use cluster::{initdb_args, start};
pub use template::{create_database, drop_database, ensure_template};
pub use url::{admin_url, database_name, with_database};

use std::time::Duration;
use tokio_postgres::NoTls;

/// The database every check's database is cloned from.
pub const TEMPLATE: &str = "serverlings_template";
/// Prefix of per-check databases.
pub const PREFIX: &str = "sl_";

/// Connects, with a deadline; the connection task runs in the background.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client, String> {
    let (client, conn) =
        tokio::time::timeout(Duration::from_secs(5), tokio_postgres::connect(url, NoTls))
            .await
            .map_err(|_| "no answer within 5s".to_string())?
            .map_err(|e| describe(&e))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

/// An error as one line: the server's message when there is one.
pub fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(inner) = src {
                s = format!("{s}: {inner}");
                src = inner.source();
            }
            s
        }
    }
}

/// "PostgreSQL 15.4".
pub async fn version(url: &str) -> Result<String, String> {
    let c = connect(url).await?;
    let row = c
        .query_one("SHOW server_version", &[])
        .await
        .map_err(|e| describe(&e))?;
    let v: String = row.get(0);
    Ok(format!(
        "PostgreSQL {}",
        v.split_whitespace().next().unwrap_or(&v)
    ))
}
