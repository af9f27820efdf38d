//! `serverlings services up|down|status` and the services part of
//! `doctor`, as data: one row per service, printed by the caller.

use super::instance::{self, Life};
use super::{Kind, Plan, Source, config, find, messages, mysql, plan, postgres, rabbitmq, redis};
use std::path::Path;

/// One line of output about one service.
#[derive(Debug, Clone)]
pub struct Row {
    pub kind: Kind,
    pub ok: bool,
    pub text: String,
}

/// The server's version, asked over the wire.
pub async fn version(kind: Kind, url: &str) -> Result<String, String> {
    match kind {
        Kind::Postgres => postgres::version(&postgres::admin_url(url)?).await,
        Kind::Redis => redis::version(url).await,
        Kind::Rabbitmq => rabbitmq::version(url).await,
        Kind::Mysql => mysql::version(url).await,
    }
}

async fn take_lock(root: &Path, kind: Kind) -> Result<instance::Lock, String> {
    let root = root.to_path_buf();
    tokio::task::spawn_blocking(move || instance::lock(&root, kind.id()))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot lock .serverlings/services: {e}"))
}

/// Starts detached instances that outlive serverlings.
pub async fn up(root: &Path, kinds: &[Kind]) -> Vec<Row> {
    let mut rows = Vec::new();
    instance::clean_stale(root);
    for &kind in kinds {
        let row = |ok, text: String| Row { kind, ok, text };
        if !kind.startable() {
            rows.push(row(
                false,
                format!(
                    "serverlings does not start {} (too heavy to start per run): install and start it as a system service, or set {}",
                    kind.title(),
                    kind.env()
                ),
            ));
            continue;
        }
        let _lock = match take_lock(root, kind).await {
            Ok(l) => l,
            Err(e) => {
                rows.push(row(false, e));
                continue;
            }
        };
        let cleaned = instance::clean_stale_up(root, kind);
        if let Some(s) = instance::running_up(root, kind) {
            rows.push(row(
                true,
                format!("already running: {} ({}, pid {})", s.url, s.version, s.pid),
            ));
            continue;
        }
        let Some(install) = find::install(kind) else {
            rows.push(row(false, messages::missing_line(kind)));
            continue;
        };
        let dir = instance::up_dir(root, kind);
        let seeds = instance::seeds_dir(root);
        match super::registry::start(kind, &install, &dir, &seeds, Life::Detached).await {
            Ok(inst) => {
                let s = inst.detach();
                let mut text = format!("started {} at {} (pid {})", s.version, s.url, s.pid);
                if let Some(c) = cleaned {
                    text.push_str(&format!("; {c}"));
                }
                if config::from_env(kind).is_some() {
                    text.push_str(&format!(
                        "; note: {} is set, and checks use it before this instance",
                        kind.env()
                    ));
                }
                rows.push(row(true, text));
            }
            Err(e) => rows.push(row(false, format!("could not start: {e}"))),
        }
    }
    rows
}

/// Stops what `up` started and removes its data.
pub async fn down(root: &Path, kinds: &[Kind]) -> Vec<Row> {
    let mut rows = Vec::new();
    for &kind in kinds.iter().filter(|k| k.startable()) {
        let row = |ok, text: String| Row { kind, ok, text };
        let _lock = match take_lock(root, kind).await {
            Ok(l) => l,
            Err(e) => {
                rows.push(row(false, e));
                continue;
            }
        };
        let dir = instance::up_dir(root, kind);
        match instance::read_state(&dir) {
            Some(s) if instance::alive(s.pid) => {
                instance::stop_state(kind, &s, None).await;
                instance::remove(&dir);
                rows.push(row(true, format!("stopped (pid {}), data removed", s.pid)));
            }
            _ => match instance::clean_abandoned(&dir) {
                Some(line) => rows.push(row(true, line)),
                None => rows.push(row(true, "not running".into())),
            },
        }
    }
    rows
}

/// Where each service would come from now, and whether it answers.
pub async fn status(root: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    for kind in Kind::ALL {
        rows.push(status_of(root, kind).await);
    }
    rows
}

async fn status_of(root: &Path, kind: Kind) -> Row {
    let row = |ok, text: String| Row { kind, ok, text };
    let dir = instance::up_dir(root, kind);
    let stale_up = instance::read_state(&dir)
        .filter(|s| !instance::alive(s.pid))
        .map(|s| {
            format!(
                "; a stale `services up` instance (pid {} is gone) is cleaned by the next `serverlings services up`",
                s.pid
            )
        })
        .unwrap_or_default();
    match plan(root, kind, "") {
        Ok(Plan::Use(server)) => {
            let how = match &server.source {
                Source::Up => {
                    let pid = instance::read_state(&dir).map_or(0, |s| s.pid);
                    format!("running, started by `serverlings services up` (pid {pid})")
                }
                s => s.describe(kind),
            };
            match version(kind, &server.url).await {
                Ok(v) => row(
                    true,
                    format!("{v} at {} — {how}", super::redact(&server.url)),
                ),
                Err(e) => row(
                    false,
                    format!(
                        "{} ({how}) does not answer: {e}",
                        super::redact(&server.url)
                    ),
                ),
            }
        }
        Ok(Plan::Start(install)) => {
            let bin = install.main_binary();
            let v = find::version(bin)
                .map(|l| find::short_version(&l))
                .unwrap_or_else(|| bin.display().to_string());
            let busy = others_running(root, kind);
            // A server of the machine on the usual port is reachable, but
            // checks keep to their own throwaway instance unless told.
            let port = super::default_port(kind);
            let local = if instance::answers("127.0.0.1", port) {
                format!(
                    "; the server answering on 127.0.0.1:{port} is not used unless you name it ({}=… or [services] in .serverlings/config.toml)",
                    kind.env()
                )
            } else {
                String::new()
            };
            row(
                true,
                format!(
                    "checks start their own throwaway instance from {} ({v}){local}{busy}{stale_up}",
                    bin.parent().unwrap_or(bin).display()
                ),
            )
        }
        Err(super::ServiceError::Missing { .. }) => row(false, messages::missing_line(kind)),
        Err(e) => row(false, e.to_string()),
    }
}

/// "; 1 started on demand by running checks".
fn others_running(root: &Path, kind: Kind) -> String {
    let base = instance::services_dir(root);
    let n = std::fs::read_dir(base)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("run-")
                .and_then(|p| p.parse::<i32>().ok())
                .is_some_and(instance::alive)
                && instance::read_state(&e.path().join(kind.id())).is_some()
        })
        .count();
    if n == 0 {
        String::new()
    } else {
        format!("; {n} running now for checks in progress")
    }
}
