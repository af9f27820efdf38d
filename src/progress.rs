//! The learner's progress in `.serverlings/progress.json`: which exercises
//! pass, how many hints were shown, where the learner is. Written atomically
//! (temp file, fsync, rename), so a kill at any moment leaves a readable file.
//! A corrupt file is backed up and reported, never silently dropped.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const DIR: &str = ".serverlings";
const FILE: &str = "progress.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Progress {
    /// The exercise the learner is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ExerciseProgress {
    #[serde(default)]
    pub state: State,
    /// Hints shown so far.
    #[serde(default)]
    pub hints: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum State {
    #[default]
    Pending,
    Failed,
    Done,
}

#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("cannot write progress to {path}: {err}")]
    Write { path: PathBuf, err: std::io::Error },
    #[error("cannot read progress from {path}: {err}")]
    Read { path: PathBuf, err: std::io::Error },
}

/// What loading found, so the caller can tell the learner.
#[derive(Debug)]
pub enum Loaded {
    Fresh(Progress),
    Read(Progress),
    /// The file was not valid; it was moved to `backup`.
    Recovered {
        progress: Progress,
        backup: PathBuf,
        reason: String,
    },
}

impl Loaded {
    pub fn progress(self) -> Progress {
        match self {
            Loaded::Fresh(p) | Loaded::Read(p) | Loaded::Recovered { progress: p, .. } => p,
        }
    }
}

pub fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

pub fn load(root: &Path) -> Result<Loaded, ProgressError> {
    let path = path(root);
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded::Fresh(Progress::default()));
        }
        Err(err) => return Err(ProgressError::Read { path, err }),
    };
    match serde_json::from_slice::<Progress>(&text) {
        Ok(p) => Ok(Loaded::Read(p)),
        Err(e) => {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let backup = path.with_file_name(format!("progress.corrupt-{stamp}.json"));
            std::fs::rename(&path, &backup).map_err(|err| ProgressError::Write {
                path: backup.clone(),
                err,
            })?;
            Ok(Loaded::Recovered {
                progress: Progress::default(),
                backup,
                reason: e.to_string(),
            })
        }
    }
}

/// Writes atomically: a reader sees the old file or the new one, never half.
pub fn save(root: &Path, p: &Progress) -> Result<(), ProgressError> {
    let path = path(root);
    let dir = root.join(DIR);
    let werr = |err| ProgressError::Write {
        path: path.clone(),
        err,
    };
    std::fs::create_dir_all(&dir).map_err(werr)?;
    ensure_gitignore(&dir);
    let tmp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let json = serde_json::to_vec_pretty(p).map_err(|e| werr(std::io::Error::other(e)))?;
    let mut f = std::fs::File::create(&tmp).map_err(werr)?;
    f.write_all(&json)
        .and_then(|()| f.write_all(b"\n"))
        .and_then(|()| f.sync_all())
        .map_err(werr)?;
    drop(f);
    std::fs::rename(&tmp, &path).map_err(werr)?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// `.serverlings/` is the learner's own: keep it out of git even in a fork
/// whose top-level `.gitignore` forgot it.
fn ensure_gitignore(dir: &Path) {
    let gi = dir.join(".gitignore");
    if !gi.exists() {
        let _ = std::fs::write(gi, "*\n");
    }
}

impl Progress {
    pub fn entry(&mut self, id: &str) -> &mut ExerciseProgress {
        self.exercises.entry(id.to_string()).or_default()
    }
    pub fn state(&self, id: &str) -> State {
        self.exercises.get(id).map_or(State::Pending, |e| e.state)
    }
    pub fn hints_shown(&self, id: &str) -> usize {
        self.exercises.get(id).map_or(0, |e| e.hints)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp_root(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "serverlings-progress-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn round_trips_and_leaves_no_temp_file() {
        let root = tmp_root("rt");
        let mut p = Progress::default();
        p.current = Some("raw-server".into());
        p.entry("request-parser").state = State::Done;
        p.entry("raw-server").hints = 2;
        save(&root, &p).unwrap();
        let back = load(&root).unwrap();
        assert!(matches!(&back, Loaded::Read(b) if *b == p));
        let names: Vec<_> = std::fs::read_dir(root.join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")),
            "{names:?}"
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn corrupt_file_is_backed_up_not_lost() {
        let root = tmp_root("corrupt");
        std::fs::create_dir_all(root.join(DIR)).unwrap();
        std::fs::write(path(&root), b"{\"current\": \"raw-ser").unwrap();
        match load(&root).unwrap() {
            Loaded::Recovered {
                backup, progress, ..
            } => {
                assert_eq!(std::fs::read(&backup).unwrap(), b"{\"current\": \"raw-ser");
                assert_eq!(progress, Progress::default());
            }
            other => panic!("expected a recovery, got {other:?}"),
        }
        assert!(!path(&root).exists());
        std::fs::remove_dir_all(root).unwrap();
    }
}
