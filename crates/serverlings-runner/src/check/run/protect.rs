//! Shipped test files a learner cannot weaken: `[test] protect` names them;
//! the checker runs them as shipped (from the pristine stub) and requires
//! every test in them to have run.

use std::path::{Path, PathBuf};

/// The protected files, relative to the crate, as found in `shipped`
/// (`tests/*.rs` globs the last component).
pub(super) fn expand(shipped: &Path, patterns: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in patterns {
        let (dir, name) = p.rsplit_once('/').unwrap_or(("", p.as_str()));
        if !name.contains('*') {
            out.push(p.clone());
            continue;
        }
        let (prefix, suffix) = name.split_once('*').unwrap_or((name, ""));
        let Ok(entries) = std::fs::read_dir(shipped.join(dir)) else {
            continue;
        };
        let mut found: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(String::from))
            .filter(|f| {
                f.starts_with(prefix)
                    && f.ends_with(suffix)
                    && f.len() >= prefix.len() + suffix.len()
            })
            .map(|f| {
                if dir.is_empty() {
                    f
                } else {
                    format!("{dir}/{f}")
                }
            })
            .collect();
        found.sort();
        out.extend(found);
    }
    out.dedup();
    out
}

/// The names of the `#[test]` functions of a file (also `#[tokio::test]`,
/// with or without arguments), in order.
pub(super) fn test_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut armed = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("#[test]") || l.starts_with("#[tokio::test") {
            armed = true;
            continue;
        }
        if !armed || l.starts_with("#[") || l.is_empty() || l.starts_with("//") {
            continue;
        }
        let rest = l
            .trim_start_matches("pub ")
            .trim_start_matches("async ")
            .strip_prefix("fn ");
        if let Some(rest) = rest {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
        armed = false;
    }
    names
}

/// Where the shipped stub of a crate is: its pristine snapshot, or the
/// stub itself. `crate_dir` is `exercises/<part>/<id>` or
/// `solutions/<part>/<id>` under `root`.
pub(super) fn shipped_dir(root: &Path, crate_dir: &Path) -> Option<PathBuf> {
    let rel = crate_dir.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    parts.next()?;
    let tail: PathBuf = parts.collect();
    let snap = root.join(crate::progress::DIR).join("pristine").join(&tail);
    if snap.is_dir() {
        return Some(snap);
    }
    let stub = root.join("exercises").join(&tail);
    stub.is_dir().then_some(stub)
}

/// The protected files whose copy in the crate differs from the shipped
/// one (or is missing).
pub(super) fn edited(crate_dir: &Path, shipped: &Path, files: &[String]) -> Vec<String> {
    files
        .iter()
        .filter(|f| std::fs::read(crate_dir.join(f)).ok() != std::fs::read(shipped.join(f)).ok())
        .cloned()
        .collect()
}

/// Which of the required tests did not pass (`passed` are full names such
/// as `tests::pings_alternate`).
pub(super) fn missing(required: &[String], passed: &[String]) -> Vec<String> {
    required
        .iter()
        .filter(|name| {
            !passed
                .iter()
                .any(|p| p == *name || p.rsplit("::").next() == Some(name.as_str()))
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_of_a_file() {
        let text = "#[test]\nfn a() {}\n#[tokio::test(flavor = \"multi_thread\")]\n#[should_panic]\nasync fn b_2() {}\nfn helper() {}\n    #[test]\n    pub fn c() {}\n";
        assert_eq!(test_names(text), ["a", "b_2", "c"]);
    }

    #[test]
    fn missing_tests_by_their_last_segment() {
        let req = vec!["a".to_string(), "b".to_string()];
        assert_eq!(missing(&req, &["tests::a".into()]), ["b"]);
        assert!(missing(&req, &["a".into(), "m::b".into()]).is_empty());
    }

    #[test]
    fn globs_expand_in_the_shipped_folder() {
        let dir = std::env::temp_dir().join(format!("sl-protect-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(dir.join("tests/b.rs"), "").unwrap();
        std::fs::write(dir.join("tests/a.rs"), "").unwrap();
        std::fs::write(dir.join("tests/notes.txt"), "").unwrap();
        let got = expand(&dir, &["tests/*.rs".into(), "src/tests.rs".into()]);
        assert_eq!(got, ["tests/a.rs", "tests/b.rs", "src/tests.rs"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
