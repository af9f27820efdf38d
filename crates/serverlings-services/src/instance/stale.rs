//! Cleaning up after a serverlings that was killed: abandoned on-demand
//! folders and their processes, and `services up` folders whose server is gone.

use super::{Kind, alive, answers, kill_now, read_state, services_dir, up_dir};
use std::path::Path;

/// Removes an instance folder and its data folder when kept elsewhere.
pub fn remove(dir: &Path) {
    if let Some(data) = read_state(dir).and_then(|s| s.data) {
        let _ = std::fs::remove_dir_all(data);
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Kills what an abandoned instance folder's processes left running and
/// removes the folder. Knows the state file, PostgreSQL's `postmaster.pid`
/// and Redis's pid file, so a kill in the middle of a start is covered too.
pub fn clean_abandoned(dir: &Path) -> Option<String> {
    if !dir.exists() {
        return None;
    }
    let mut pids = Vec::new();
    let state = read_state(dir);
    if let Some(s) = &state {
        pids.push(s.pid);
    }
    let data = state
        .as_ref()
        .and_then(|s| s.data.clone())
        .unwrap_or_else(|| dir.join("data"));
    for f in [data.join("postmaster.pid"), dir.join("redis.pid")] {
        if let Some(pid) = std::fs::read_to_string(&f)
            .ok()
            .and_then(|t| t.lines().next()?.trim().parse::<i32>().ok())
        {
            pids.push(pid);
        }
    }
    let mut killed = Vec::new();
    for pid in pids {
        if alive(pid) && belongs_to(pid, dir, &data) {
            kill_now(pid, None);
            killed.push(pid);
        }
    }
    remove(dir);
    Some(if killed.is_empty() {
        format!("removed the stale {}", dir.display())
    } else {
        format!(
            "stopped a leftover server (pid {}) and removed {}",
            killed
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            dir.display()
        )
    })
}

/// Whether `pid` is a server of this folder (its command line names it);
/// without /proc, trust the pid file.
fn belongs_to(pid: i32, dir: &Path, data: &Path) -> bool {
    match std::fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(cmd) => {
            let cmd = String::from_utf8_lossy(&cmd);
            cmd.contains(&*dir.to_string_lossy()) || cmd.contains(&*data.to_string_lossy())
        }
        Err(_) => true,
    }
}

/// Cleans what killed serverlings processes left behind: on-demand folders
/// of dead processes, and a `services up` folder whose server is gone.
/// Returns what was done, one line each.
pub fn clean_stale(root: &Path) -> Vec<String> {
    let mut done = Vec::new();
    let base = services_dir(root);
    let Ok(rd) = std::fs::read_dir(&base) else {
        return done;
    };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("run-")
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if alive(pid) {
            continue;
        }
        for k in std::fs::read_dir(e.path())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            if let Some(line) = clean_abandoned(&k.path()) {
                done.push(line);
            }
        }
        let _ = std::fs::remove_dir_all(e.path());
    }
    done
}

/// Cleans a `services up` folder whose server is not running (a crash, a
/// reboot, a kill during `services up`). Call with the lock held.
pub fn clean_stale_up(root: &Path, kind: Kind) -> Option<String> {
    let dir = up_dir(root, kind);
    if !dir.exists() {
        return None;
    }
    if let Some(s) = read_state(&dir)
        && alive(s.pid)
        && answers("127.0.0.1", s.port)
    {
        return None;
    }
    clean_abandoned(&dir)
}
