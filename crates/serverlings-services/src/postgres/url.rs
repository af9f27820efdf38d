//! URLs and names: a URL with another database, the admin URL, and the
//! per-check database names (`sl_<exercise>_<pid>_<nonce>`).

use super::PREFIX;

/// The URL with its database replaced.
pub fn with_database(url: &str, db: &str) -> Result<String, String> {
    let mut u = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    u.set_path(&format!("/{db}"));
    Ok(u.to_string())
}

/// The URL serverlings connects to for CREATE/DROP DATABASE: the given one,
/// or its `postgres` database when it names none.
pub fn admin_url(url: &str) -> Result<String, String> {
    let u = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(u.scheme(), "postgres" | "postgresql") {
        return Err(format!(
            "`{}` is not a PostgreSQL URL (postgres://user:password@host:port/database)",
            u.scheme()
        ));
    }
    if u.path().trim_start_matches('/').is_empty() {
        return with_database(url, "postgres");
    }
    Ok(url.to_string())
}

pub(super) fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:06x}", h.finish() & 0xff_ffff)
}

/// A fresh database name for a check of `exercise`:
/// `sl_<exercise>_<pid>_<nonce>`, within PostgreSQL's 63 bytes.
pub fn database_name(exercise: &str) -> String {
    let ex: String = exercise
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(32)
        .collect();
    format!("{PREFIX}{ex}_{}_{}", std::process::id(), nonce())
}

/// The pid in a database name made by `database_name`.
pub(super) fn pid_of(name: &str) -> Option<i32> {
    let mut parts = name.rsplit('_');
    parts.next()?;
    parts.next()?.parse().ok()
}
