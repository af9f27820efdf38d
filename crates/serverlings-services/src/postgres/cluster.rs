//! A throwaway cluster from the local installation: its data folder (a
//! copy of a seed made once with initdb), its user, and `postgres` started
//! on a free loopback port.

use super::url::nonce;
use super::version;
use crate::Kind;
use crate::find::Install;
use crate::instance::{self, Instance, Life, RunAs, State};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
        crate::find::version(postgres).hash(&mut h);
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
