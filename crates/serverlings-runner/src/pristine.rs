//! Pristine copies of the stubs, so `reset` works without git and
//! `verify --exercises` judges the stubs as shipped even after a learner has
//! solved them. The first time serverlings sees an exercise it copies the
//! stub to `.serverlings/pristine/<part>/<id>/`. An instructor who changes a
//! stub on purpose takes the new version with `verify --working-copy`.

use serverlings_core::course::{Course, Exercise};
use std::path::{Path, PathBuf};

pub fn dir(root: &Path, ex: &Exercise) -> PathBuf {
    root.join(crate::progress::DIR)
        .join("pristine")
        .join(&ex.part)
        .join(&ex.id)
}

/// Snapshots every stub that has no snapshot yet (with `refresh`, every
/// stub). Returns the ids snapshotted.
/// Takes the stubs on disk of the exercises `only` accepts as their new
/// pristine copies (an instructor changed them on purpose).
pub fn refresh(course: &Course, only: &dyn Fn(&Exercise) -> bool) -> std::io::Result<Vec<String>> {
    for ex in course.exercises().filter(|e| only(e)) {
        let snap = dir(&course.root, ex);
        let stub = course.root.join(ex.stub_dir());
        if stub.is_dir() && snap.exists() && !same(&stub, &snap)? {
            std::fs::remove_dir_all(&snap)?;
        }
    }
    ensure(course, false)
}

pub fn ensure(course: &Course, refresh: bool) -> std::io::Result<Vec<String>> {
    let mut done = Vec::new();
    for ex in course.exercises() {
        let snap = dir(&course.root, ex);
        let stub = course.root.join(ex.stub_dir());
        if !stub.is_dir() {
            continue;
        }
        if refresh && snap.exists() && !same(&stub, &snap)? {
            std::fs::remove_dir_all(&snap)?;
        }
        if !snap.exists() {
            let tmp = snap.with_extension(format!("partial-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&tmp);
            copy_tree(&stub, &tmp)?;
            // Renaming makes a half-copied snapshot impossible.
            std::fs::rename(&tmp, &snap)?;
            done.push(ex.id.clone());
        }
    }
    Ok(done)
}

/// Files of a crate, relative, sorted, without build output.
fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let name = entry.file_name();
            if name == "target" {
                continue;
            }
            let child = rel.join(&name);
            if entry.file_type()?.is_dir() {
                stack.push(child);
            } else {
                out.push(child);
            }
        }
    }
    out.sort();
    Ok(out)
}

pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for rel in files(from)? {
        let dest = to.join(&rel);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(from.join(&rel), dest)?;
    }
    std::fs::create_dir_all(to)
}

/// Whether two crate folders hold the same files with the same bytes.
pub fn same(a: &Path, b: &Path) -> std::io::Result<bool> {
    let (fa, fb) = (files(a)?, files(b)?);
    if fa != fb {
        return Ok(false);
    }
    for rel in fa {
        if std::fs::read(a.join(&rel))? != std::fs::read(b.join(&rel))? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The learner's files that differ from the pristine stub.
pub fn changed_files(stub: &Path, snap: &Path) -> std::io::Result<Vec<PathBuf>> {
    let (fs, fp) = (files(stub)?, files(snap)?);
    let mut out: Vec<PathBuf> = fs.iter().filter(|f| !fp.contains(f)).cloned().collect();
    for rel in &fp {
        let a = std::fs::read(stub.join(rel)).ok();
        if a.as_deref() != Some(std::fs::read(snap.join(rel))?.as_slice()) {
            out.push(rel.clone());
        }
    }
    out.sort();
    Ok(out)
}

/// Restores the stub from its snapshot. The learner's version of every
/// changed file is kept beside the snapshot, so a reset loses nothing.
pub fn reset(course: &Course, ex: &Exercise) -> Result<(Vec<PathBuf>, Option<PathBuf>), String> {
    let snap = dir(&course.root, ex);
    let stub = course.root.join(ex.stub_dir());
    if !snap.is_dir() {
        return Err(format!(
            "no pristine copy of `{}` was saved, so it cannot be reset without git. Try `git checkout -- {}`",
            ex.id,
            ex.stub_dir()
        ));
    }
    let changed = changed_files(&stub, &snap)
        .map_err(|e| format!("cannot compare {}: {e}", ex.stub_dir()))?;
    if changed.is_empty() {
        return Ok((changed, None));
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = course
        .root
        .join(crate::progress::DIR)
        .join("backups")
        .join(format!("{}-{stamp}", ex.id));
    for rel in &changed {
        let src = stub.join(rel);
        if src.is_file() {
            let dest = backup.join(rel);
            if let Some(p) = dest.parent() {
                std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
            }
            std::fs::copy(&src, &dest)
                .map_err(|e| format!("cannot back up {}: {e}", src.display()))?;
        }
    }
    for rel in &changed {
        let orig = snap.join(rel);
        let dest = stub.join(rel);
        if orig.is_file() {
            if let Some(p) = dest.parent() {
                std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
            }
            std::fs::copy(&orig, &dest)
                .map_err(|e| format!("cannot restore {}: {e}", dest.display()))?;
        } else {
            std::fs::remove_file(&dest)
                .map_err(|e| format!("cannot remove {}: {e}", dest.display()))?;
        }
    }
    Ok((changed, Some(backup)))
}
