//! Instances serverlings starts: their folder and state file under
//! `.serverlings/services/`, the processes, and cleaning up after a
//! serverlings that was killed.
//!
//! - `up/<kind>/` — started by `serverlings services up`, detached, until
//!   `services down`.
//! - `run-<pid>/<kind>/` — started on demand by the serverlings process
//!   `<pid>`, removed when it ends. If it was killed, the next serverlings
//!   finds `<pid>` dead and removes the folder (and any process left).
//!
//! A state file is written right after the process is spawned, so a kill at
//! any later moment leaves a pid to clean up.
//!
//! This file holds the layout of those folders and their state files;
//! `liveness` (pids, ports, locks), `run_as`, `processes` and `stale` the rest.

mod liveness;
mod processes;
mod run_as;
mod stale;
#[cfg(test)]
mod tests;

pub use liveness::{Lock, alive, answers, free_port, lock};
pub use processes::{
    Instance, Life, kill_now, log_tail, run_to_end, spawn, stop_pid, stop_state, wait_ready,
};
pub use run_as::{RunAs, chown, reachable_by, unprivileged_user};
pub use stale::{clean_abandoned, clean_stale, clean_stale_up, remove};

use super::Kind;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

pub const STATE_FILE: &str = "state.toml";

/// Absolute, since servers run in folders of their own.
pub fn services_dir(root: &Path) -> PathBuf {
    std::path::absolute(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .join(".serverlings")
        .join("services")
}

pub fn up_dir(root: &Path, kind: Kind) -> PathBuf {
    services_dir(root).join("up").join(kind.id())
}

/// Pristine data to copy instead of making it again (a PostgreSQL cluster).
pub fn seeds_dir(root: &Path) -> PathBuf {
    services_dir(root).join("seeds")
}

/// This process's on-demand folder.
pub fn run_dir(root: &Path) -> PathBuf {
    services_dir(root).join(format!("run-{}", std::process::id()))
}

/// What a state file records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    pub kind: String,
    pub pid: i32,
    pub port: u16,
    pub url: String,
    #[serde(default)]
    pub version: String,
    /// The data folder when it is not `<dir>/data` (see `postgres::data_dir`).
    #[serde(default)]
    pub data: Option<PathBuf>,
    /// Seconds since the epoch.
    #[serde(default)]
    pub started: u64,
}

pub fn read_state(dir: &Path) -> Option<State> {
    toml::from_str(&std::fs::read_to_string(dir.join(STATE_FILE)).ok()?).ok()
}

pub fn write_state(dir: &Path, s: &State) -> io::Result<()> {
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    std::fs::write(&tmp, toml::to_string(s).map_err(io::Error::other)?)?;
    std::fs::rename(tmp, dir.join(STATE_FILE))
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The `services up` instance of `kind`, if it runs.
pub fn running_up(root: &Path, kind: Kind) -> Option<State> {
    let s = read_state(&up_dir(root, kind))?;
    (alive(s.pid) && answers("127.0.0.1", s.port)).then_some(s)
}
