//! Mutation testing: the learner's tests run against the reference code
//! (they must pass) and against each seeded mutant (each must make some test
//! fail). The crate is copied to a scratch workspace that shares the
//! course's target dir; only the `code` files are swapped between runs.

use crate::cargo;
use crate::scratch::Scratch;
use serverlings_core::spec::{Mutant, MutationSpec};
use std::path::Path;

/// What a build and test run of the scratch crate gave.
pub enum Tested {
    /// Every test passed (how many).
    Passed(usize),
    /// Some failed: how many, and the names of the first failing tests.
    Failed {
        failed: usize,
        names: Vec<String>,
        output: Vec<String>,
    },
    /// The crate did not compile with this code.
    NoBuild(Vec<String>),
}

/// The library name the crate's code imports.
pub fn lib_name(crate_dir: &Path, package: &str) -> String {
    std::fs::read_to_string(crate_dir.join("Cargo.toml"))
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|t| t.get("lib")?.get("name")?.as_str().map(String::from))
        .unwrap_or_else(|| package.replace('-', "_"))
}

/// A scratch copy of the crate under test.
pub fn prepare(root: &Path, crate_dir: &Path, package: &str) -> Result<Scratch, String> {
    let name = format!("{package}-mutation");
    // One folder per crate: checks of different exercises may run at once.
    crate::scratch::create(
        root,
        &format!("scratch/{name}"),
        "crate",
        crate_dir,
        &name,
        &lib_name(crate_dir, package),
    )
}

/// Puts the reference's code files in place, with `mutant` applied.
pub fn apply(
    scratch: &Scratch,
    reference: &Path,
    m: &MutationSpec,
    mutant: Option<&Mutant>,
) -> Result<(), String> {
    for file in &m.code {
        let text = std::fs::read_to_string(reference.join(file))
            .map_err(|e| format!("cannot read the reference's {file}: {e}"))?;
        let text = match mutant {
            Some(mu) if mu.file == *file => {
                let n = text.matches(mu.replace.as_str()).count();
                if n != 1 {
                    return Err(format!(
                        "mutant “{}” does not apply: `{}` occurs {n} times in the reference's {file} (it must occur once)",
                        mu.name, mu.replace
                    ));
                }
                text.replacen(mu.replace.as_str(), &mu.with, 1)
            }
            Some(_) => text,
            // The reference run gets a comment no one can predict: a test
            // that pins the file's text (its length, a hash) fails on the
            // reference, instead of killing every mutant.
            None if file.ends_with(".rs") => {
                let nonce: String = serverlings_core::rng::os_random(8)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                format!("{text}\n// {nonce}\n")
            }
            None => text,
        };
        let dest = scratch.crate_dir.join(file);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
        }
        std::fs::write(&dest, text).map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
    }
    Ok(())
}

/// The first place where the learner's own files read the source of a
/// `code` file (`include_str!`, `include_bytes!`, or its path in a string):
/// such a test judges the text, not what the code does, and kills mutants
/// for the wrong reason. `(file, line number, the line)`.
pub fn reads_the_code(crate_dir: &Path, m: &MutationSpec) -> Option<(String, usize, String)> {
    let names: Vec<&str> = m
        .code
        .iter()
        .map(|c| c.rsplit('/').next().unwrap_or(c))
        .collect();
    let mut files = Vec::new();
    let mut todo = vec![crate_dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(crate_dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            if p.is_dir() {
                if rel != "target" && !rel.starts_with('.') {
                    todo.push(p);
                }
            } else if rel.ends_with(".rs") && !m.code.contains(&rel) {
                files.push((rel, p));
            }
        }
    }
    files.sort();
    for (rel, p) in files {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let hit = code.contains("include_str!")
                || code.contains("include_bytes!")
                || names
                    .iter()
                    .any(|n| code.contains(&format!("{n}\"")) && code.contains('"'));
            if hit {
                return Some((rel, i + 1, line.trim().to_string()));
            }
        }
    }
    None
}

/// Builds the scratch crate and runs its tests.
pub async fn test(
    scratch: &Scratch,
    timeout: std::time::Duration,
    colour: bool,
    env: &[(String, String)],
) -> Result<Tested, cargo::CargoError> {
    let build = cargo::build_in(
        &scratch.workspace,
        &scratch.package,
        timeout,
        colour,
        &scratch.cargo_env,
    )
    .await?;
    if !build.success {
        let errors = build
            .diagnostics
            .iter()
            .filter(|d| d.level == "error")
            .map(|d| d.rendered.clone())
            .collect();
        return Ok(Tested::NoBuild(errors));
    }
    let run = cargo::run_tests(
        &build.tests,
        &scratch.crate_dir,
        None,
        timeout,
        colour,
        env,
        cargo::TestFlags::default(),
    )
    .await
    .map_err(cargo::CargoError::Spawn)?;
    if run.failed == 0 && run.crashed.is_empty() && run.timed_out.is_none() {
        return Ok(Tested::Passed(run.passed));
    }
    let names = run
        .failure_output
        .iter()
        .filter_map(|l| {
            cargo::strip_ansi(l)
                .strip_prefix("---- ")
                .and_then(|r| r.strip_suffix(" stdout ----"))
                .map(String::from)
        })
        .collect();
    Ok(Tested::Failed {
        failed: run.failed.max(1),
        names,
        output: run.failure_output,
    })
}
