//! Instances this serverlings process started on demand: one per course
//! and kind, shared by every check of the run (so `verify` starts
//! PostgreSQL once), stopped by `shutdown`.

use super::find::Install;
use super::instance::{self, Instance, Life};
use super::{Kind, Plan, Server, ServiceError, Source, plan, postgres, redis};
use std::path::{Path, PathBuf};

static STARTED: tokio::sync::Mutex<Vec<(PathBuf, Instance)>> =
    tokio::sync::Mutex::const_new(Vec::new());

/// Starts an instance of `kind` in `dir`. `seeds` keeps what makes the
/// next start quicker (a pristine PostgreSQL cluster to copy).
pub async fn start(
    kind: Kind,
    install: &Install,
    dir: &Path,
    seeds: &Path,
    life: Life,
) -> Result<Instance, String> {
    match kind {
        Kind::Postgres => postgres::start(install, dir, seeds, life).await,
        Kind::Redis => redis::start(install, dir, life).await,
        Kind::Rabbitmq | Kind::Mysql => Err(format!("serverlings does not start {}", kind.title())),
    }
}

/// A server of `kind` for a check: a named or running one, else one this
/// process starts (once) from the local installation.
pub async fn acquire(root: &Path, kind: Kind, exercise: &str) -> Result<Server, ServiceError> {
    let install = match plan(root, kind, exercise)? {
        Plan::Use(s) => return Ok(s),
        Plan::Start(i) => i,
    };
    let mut started = STARTED.lock().await;
    if let Some((_, inst)) = started.iter().find(|(r, i)| r == root && i.kind == kind) {
        return Ok(Server {
            kind,
            url: inst.state.url.clone(),
            source: Source::OnDemand,
        });
    }
    // What killed serverlings processes left behind.
    instance::clean_stale(root);
    let dir = instance::run_dir(root).join(kind.id());
    let inst = start(kind, &install, &dir, &instance::seeds_dir(root), Life::Run)
        .await
        .map_err(|reason| ServiceError::Start { kind, reason })?;
    let server = Server {
        kind,
        url: inst.state.url.clone(),
        source: Source::OnDemand,
    };
    started.push((root.to_path_buf(), inst));
    Ok(server)
}

/// Stops every instance this process started and removes their folders.
pub async fn shutdown() {
    let all: Vec<(PathBuf, Instance)> = std::mem::take(&mut *STARTED.lock().await);
    let mut roots: Vec<PathBuf> = Vec::new();
    for (root, inst) in all {
        inst.stop().await;
        if !roots.contains(&root) {
            roots.push(root);
        }
    }
    for r in roots {
        let _ = std::fs::remove_dir(instance::run_dir(&r));
    }
}
