//! PostgreSQL: starting a throwaway cluster from the local installation,
//! and giving each check its own database, cloned from a template.

use super::Kind;
use super::find::Install;
use super::instance::{self, Instance, Life, RunAs, State};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio_postgres::NoTls;

/// The database every check's database is cloned from.
pub const TEMPLATE: &str = "serverlings_template";
/// Prefix of per-check databases.
pub const PREFIX: &str = "sl_";

/// Starts a cluster in `dir` (emptied first): a copy of a pristine cluster
/// kept in `seeds` (made once with initdb), then `postgres` on a free
/// loopback port, tuned for tests (no fsync), with `pg_stat_statements`
/// preloaded when the installation has it.
pub async fn start(
    install: &Install,
    dir: &Path,
    seeds: &Path,
    life: Life,
) -> Result<Instance, String> {
    let Install::Postgres {
        initdb,
        postgres,
        pg_config,
    } = install
    else {
        return Err("not a PostgreSQL installation".into());
    };
    let user = instance::unprivileged_user()?;
    instance::remove(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let data = data_dir(dir, user)?;
    let data_parent = data.parent().unwrap_or(dir).to_path_buf();
    let t = Instant::now();
    let made = make_data(initdb, postgres, seeds, &data, user).await?;
    let initdb_took = t.elapsed();
    let preload = has_pg_stat_statements(postgres, pg_config.as_deref());
    let log = dir.join("postgres.log");
    let mut last_err = String::new();
    // The port is free when chosen but another program may take it before
    // PostgreSQL binds: try again with another.
    for _ in 0..3 {
        let port = instance::free_port().map_err(|e| format!("no free port: {e}"))?;
        let mut args: Vec<String> = vec!["-D".into(), data.display().to_string()];
        args.extend(["-p".into(), port.to_string()]);
        for c in [
            "listen_addresses=127.0.0.1",
            "unix_socket_directories=",
            "fsync=off",
            "synchronous_commit=off",
            "full_page_writes=off",
            "max_connections=200",
        ] {
            args.extend(["-c".into(), c.into()]);
        }
        if preload {
            args.extend([
                "-c".into(),
                "shared_preload_libraries=pg_stat_statements".into(),
                "-c".into(),
                "pg_stat_statements.track=all".into(),
            ]);
        }
        let child = instance::spawn(postgres, &args, &data_parent, &log, user, life)
            .map_err(|e| format!("cannot run {}: {e}", postgres.display()))?;
        let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        let state = State {
            kind: Kind::Postgres.id().into(),
            pid: child.id() as i32,
            port,
            url: url.clone(),
            version: String::new(),
            data: (data.parent() != Some(dir)).then(|| data.clone()),
            started: instance::now_secs(),
        };
        instance::write_state(dir, &state).map_err(|e| format!("cannot write state: {e}"))?;
        let mut inst = Instance::new(Kind::Postgres, dir.to_path_buf(), state, child);
        let spawned = Instant::now();
        match instance::wait_ready(
            &mut inst,
            &log,
            "postgres",
            "accept connections",
            |u| async move { version(&u).await },
            Duration::from_secs(30),
        )
        .await
        {
            Ok(version) => {
                inst.state.version = version;
                let _ = instance::write_state(dir, &inst.state);
                inst.startup = vec![
                    (made, initdb_took),
                    ("start until it accepts connections", spawned.elapsed()),
                ];
                return Ok(inst);
            }
            Err(e) => {
                last_err = e;
                let port_taken = last_err.contains("could not bind")
                    || last_err.contains("Address already in use");
                inst.stop().await;
                if !port_taken {
                    break;
                }
                std::fs::create_dir_all(dir).ok();
            }
        }
    }
    Err(last_err)
}

/// initdb's arguments for a cluster in `data`: superuser `postgres`, trust
/// authentication, UTF-8, the C locale, no fsync.
pub fn initdb_args(data: &Path) -> Vec<String> {
    let mut a: Vec<String> = vec!["-D".into(), data.display().to_string()];
    for x in [
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "-N",
    ] {
        a.push(x.into());
    }
    a
}

/// Fills `data` with a fresh cluster: a copy (`cp -a`, ~0.1 s) of a seed
/// made once per installation with initdb (~0.6 s), or initdb itself when
/// the seed folder is out of the server user's reach. Says which it did.
async fn make_data(
    initdb: &Path,
    postgres: &Path,
    seeds: &Path,
    data: &Path,
    user: Option<RunAs>,
) -> Result<&'static str, String> {
    let parent = data.parent().unwrap_or(data).to_path_buf();
    let limit = Duration::from_secs(120);
    let usable = std::fs::create_dir_all(seeds).is_ok()
        && user.is_none_or(|u| {
            instance::chown(seeds, u).is_ok() && instance::reachable_by(&seeds.join("x"), u)
        });
    if !usable {
        instance::run_to_end(initdb, &initdb_args(data), &parent, user, limit).await?;
        return Ok("initdb");
    }
    // One seed per installation and version.
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        postgres.hash(&mut h);
        super::find::version(postgres).hash(&mut h);
        format!("pg-{:012x}", h.finish() & 0xffff_ffff_ffff)
    };
    let seed = seeds.join(&key);
    let mut made = "copy of the seed cluster";
    // Complete seeds appear by rename, so PG_VERSION means complete.
    if !seed.join("PG_VERSION").is_file() {
        clean_seed_leftovers(seeds);
        let tmp = seeds.join(format!("{key}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        instance::run_to_end(initdb, &initdb_args(&tmp), seeds, user, limit).await?;
        if std::fs::rename(&tmp, &seed).is_err() {
            // Another serverlings made it first.
            let _ = std::fs::remove_dir_all(&tmp);
        }
        made = "initdb (seed cluster) and a copy";
    }
    instance::run_to_end(
        Path::new("cp"),
        &[
            "-a".into(),
            seed.display().to_string(),
            data.display().to_string(),
        ],
        &parent,
        user,
        limit,
    )
    .await?;
    Ok(made)
}

/// Half-made seeds of killed serverlings processes.
fn clean_seed_leftovers(seeds: &Path) {
    for e in std::fs::read_dir(seeds).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name
            .rsplit(".tmp-")
            .next()
            .filter(|_| name.contains(".tmp-"))
            && pid.parse::<i32>().is_ok_and(|p| !instance::alive(p))
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Where the data goes: `<dir>/data`, owned by the user PostgreSQL runs as.
/// When serverlings runs as root and that user cannot reach the course
/// folder (e.g. under /root), a folder in the temp dir instead.
fn data_dir(dir: &Path, user: Option<RunAs>) -> Result<PathBuf, String> {
    let Some(u) = user else {
        return Ok(dir.join("data"));
    };
    let parent = if instance::reachable_by(&dir.join("data"), u) {
        dir.to_path_buf()
    } else {
        let p =
            std::env::temp_dir().join(format!("serverlings-pg-{}-{}", std::process::id(), nonce()));
        std::fs::create_dir_all(&p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
        p
    };
    instance::chown(&parent, u)
        .map_err(|e| format!("cannot give {} to the postgres user: {e}", parent.display()))?;
    Ok(parent.join("data"))
}

/// Whether the installation ships `pg_stat_statements`.
fn has_pg_stat_statements(postgres: &Path, pg_config: Option<&Path>) -> bool {
    let libdir = pg_config
        .and_then(|c| {
            let mut cmd = std::process::Command::new(c);
            cmd.arg("--pkglibdir");
            let out = serverlings_proc::process::output_within_sync(
                cmd,
                std::time::Duration::from_secs(10),
            )
            .ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
        .or_else(|| Some(postgres.parent()?.parent()?.join("lib")));
    libdir.is_some_and(|d| {
        ["so", "dylib"]
            .iter()
            .any(|ext| d.join(format!("pg_stat_statements.{ext}")).is_file())
    })
}

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

fn nonce() -> String {
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
fn pid_of(name: &str) -> Option<i32> {
    let mut parts = name.rsplit('_');
    parts.next()?;
    parts.next()?.parse().ok()
}

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
    if super::is_loopback(admin) {
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

#[cfg(test)]
mod tests {
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
}
