//! The learner's progress in `.serverlings/progress.json`: which exercises
//! pass, how many hints were shown, where the learner is. Written atomically
//! (temp file, fsync, rename), so a kill at any moment leaves a readable file.
//! A corrupt file is backed up and reported, never silently dropped.

use serde::{Deserialize, Serialize};
use serverlings_core::course::{Course, Exercise};
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
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(&json)?;
        f.write_all(b"\n")?;
        f.sync_all()
    });
    // A full disk (or a read-only folder): the old file stays as it was and
    // no half-written temp file is left behind.
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(werr(e));
    }
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Saves what `mine` changed since `base` (the copy it started from) on top
/// of the file as it is now, under a lock: two serverlings on one course (a
/// TUI and a `check` in another terminal) lose no update of each other's.
/// An exercise (or `current`) that `mine` did not change keeps what the file
/// says. Returns what was written.
pub fn save_changes(
    root: &Path,
    base: &Progress,
    mine: &Progress,
) -> Result<Progress, ProgressError> {
    let dir = root.join(DIR);
    let werr = |err| ProgressError::Write {
        path: path(root),
        err,
    };
    std::fs::create_dir_all(&dir).map_err(werr)?;
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("progress.lock"))
        .map_err(werr)?;
    // SAFETY: flock on a file we hold open; released when `lock` closes.
    #[cfg(unix)]
    unsafe {
        use std::os::fd::AsRawFd;
        libc::flock(lock.as_raw_fd(), libc::LOCK_EX);
    }
    let theirs = match load(root)? {
        Loaded::Fresh(p) | Loaded::Read(p) => p,
        // Backed up by load; what this process knows is all there is.
        Loaded::Recovered { .. } => base.clone(),
    };
    let merged = merge(base, mine, &theirs);
    save(root, &merged)?;
    drop(lock);
    Ok(merged)
}

/// Three-way merge: `mine`'s changes since `base`, on top of `theirs`.
pub fn merge(base: &Progress, mine: &Progress, theirs: &Progress) -> Progress {
    let mut out = theirs.clone();
    if mine.current != base.current {
        out.current = mine.current.clone();
    }
    let ids: std::collections::BTreeSet<&String> =
        base.exercises.keys().chain(mine.exercises.keys()).collect();
    for id in ids {
        let (b, m) = (base.exercises.get(id), mine.exercises.get(id));
        if b != m {
            match m {
                Some(m) => {
                    out.exercises.insert(id.clone(), m.clone());
                }
                None => {
                    out.exercises.remove(id);
                }
            }
        }
    }
    out
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

    // The rules of progress, for `check`, the TUI and `list` alike.

    /// The exercise the learner is on: the recorded one, else the first not
    /// done; `None` once every exercise is done.
    pub fn current<'a>(&self, course: &'a Course) -> Option<&'a Exercise> {
        self.current
            .as_deref()
            .and_then(|id| course.exercise(id))
            .or_else(|| {
                course
                    .exercises()
                    .find(|e| self.state(&e.id) != State::Done)
            })
    }

    /// The first exercise after `id`, in course order, not done yet.
    pub fn next_after(&self, course: &Course, id: &str) -> Option<String> {
        course
            .exercises()
            .skip_while(|e| e.id != id)
            .skip(1)
            .find(|e| self.state(&e.id) != State::Done)
            .map(|e| e.id.clone())
    }

    /// Records a check of the learner's `id`: done or failed. A pass moves
    /// the learner on to the next exercise not done (returned; `None` after
    /// the last), a failure keeps them on this one.
    pub fn record(&mut self, course: &Course, id: &str, passed: bool) -> Option<String> {
        self.entry(id).state = if passed { State::Done } else { State::Failed };
        self.current = if passed {
            self.next_after(course, id)
        } else {
            Some(id.to_string())
        };
        self.current.clone()
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
        let mut p = Progress {
            current: Some("raw-server".into()),
            ..Progress::default()
        };
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
    fn two_writers_keep_each_others_changes() {
        let root = tmp_root("merge");
        let start = Progress {
            current: Some("a".into()),
            ..Progress::default()
        };
        save(&root, &start).unwrap();
        // A TUI loaded `start`; meanwhile a `check` in another terminal
        // marks b done and moves on to c.
        let mut cli = start.clone();
        cli.entry("b").state = State::Done;
        cli.current = Some("c".into());
        save_changes(&root, &start, &cli).unwrap();
        // The TUI, still on its old copy, records a hint for a.
        let mut tui = start.clone();
        tui.entry("a").hints = 1;
        let merged = save_changes(&root, &start, &tui).unwrap();
        assert_eq!(merged.state("b"), State::Done, "the CLI's pass is kept");
        assert_eq!(merged.hints_shown("a"), 1);
        assert_eq!(merged.current.as_deref(), Some("c"));
        let Loaded::Read(on_disk) = load(&root).unwrap() else {
            panic!()
        };
        assert_eq!(on_disk, merged);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_says_where() {
        let root = tmp_root("failed-write");
        let mut p = Progress::default();
        p.entry("a").state = State::Done;
        save(&root, &p).unwrap();
        // The temp file cannot be created (as on a full disk or a read-only
        // folder; a folder in its place works also for root).
        let tmp = root
            .join(DIR)
            .join(format!(".{FILE}.{}.tmp", std::process::id()));
        std::fs::create_dir(&tmp).unwrap();
        let mut q = p.clone();
        q.entry("b").state = State::Done;
        let e = save(&root, &q).unwrap_err();
        assert!(e.to_string().contains("cannot write progress to"), "{e}");
        assert!(e.to_string().contains("progress.json"), "{e}");
        let Loaded::Read(kept) = load(&root).unwrap() else {
            panic!()
        };
        assert_eq!(kept, p, "the old progress is intact");
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

    #[test]
    fn a_pass_moves_on_to_the_next_exercise_not_done_and_a_failure_stays() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/course");
        let (course, problems) = serverlings_core::course::load(&root);
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<String> = course.exercises().map(|e| e.id.clone()).collect();
        let on = |p: &Progress| p.current(&course).map(|e| e.id.clone());
        let mut p = Progress::default();
        assert_eq!(on(&p).as_ref(), Some(&ids[0]));
        // The second is already done: a pass of the first skips it.
        p.entry(&ids[1]).state = State::Done;
        assert_eq!(p.record(&course, &ids[0], true).as_ref(), Some(&ids[2]));
        assert_eq!(p.state(&ids[0]), State::Done);
        assert_eq!(on(&p).as_ref(), Some(&ids[2]));
        assert_eq!(p.record(&course, &ids[2], false).as_ref(), Some(&ids[2]));
        assert_eq!(p.state(&ids[2]), State::Failed);
        // After the last exercise there is nowhere to go…
        let last = ids.last().unwrap();
        assert_eq!(p.record(&course, last, true), None);
        // …and the learner is on the first exercise not done.
        assert_eq!(on(&p).as_ref(), Some(&ids[2]));
    }
}
