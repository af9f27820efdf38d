//! Scratch workspaces: a copy of one crate in a workspace of its own under
//! `.serverlings/`, sharing the course's dependency list, profiles, lock file
//! and target dir (so nothing is compiled twice), with a package name of its
//! own (so its binary never overwrites the original's in the shared target
//! dir). Used to verify pristine stubs and to run mutation tests.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Scratch {
    pub workspace: PathBuf,
    pub crate_dir: PathBuf,
    pub package: String,
    /// `CARGO_TARGET_DIR` pointing at the course's target dir.
    pub cargo_env: Vec<(String, String)>,
}

/// Copies the crate at `from` into `.serverlings/<name>/<member>` as package
/// `package`, keeping the library name `lib_name` its code imports.
pub fn create(
    root: &Path,
    name: &str,
    member: &str,
    from: &Path,
    package: &str,
    lib_name: &str,
) -> Result<Scratch, String> {
    let ws = root.join(crate::progress::DIR).join(name);
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let table: toml::Table =
        toml::from_str(&manifest).map_err(|e| format!("cannot parse Cargo.toml: {e}"))?;
    let mut out = toml::Table::new();
    let mut wsp = toml::Table::new();
    wsp.insert(
        "members".into(),
        toml::Value::Array(vec![toml::Value::String(member.to_string())]),
    );
    wsp.insert("resolver".into(), "3".into());
    if let Some(deps) = table.get("workspace").and_then(|w| w.get("dependencies")) {
        wsp.insert("dependencies".into(), deps.clone());
    }
    out.insert("workspace".into(), toml::Value::Table(wsp));
    if let Some(p) = table.get("profile") {
        out.insert("profile".into(), p.clone());
    }
    let crate_dir = ws.join(member);
    let _ = std::fs::remove_dir_all(&ws);
    crate::pristine::copy_tree(from, &crate_dir)
        .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    rename(&crate_dir, package, lib_name)?;
    std::fs::write(
        ws.join("Cargo.toml"),
        toml::to_string(&out).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        std::fs::write(ws.join("Cargo.lock"), lock).map_err(|e| e.to_string())?;
    }
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(Scratch {
        workspace: ws,
        crate_dir,
        package: package.to_string(),
        cargo_env: vec![("CARGO_TARGET_DIR".into(), target_dir.display().to_string())],
    })
}

fn rename(crate_dir: &Path, package: &str, lib_name: &str) -> Result<(), String> {
    let path = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read the crate's Cargo.toml: {e}"))?;
    let mut t: toml::Table =
        toml::from_str(&text).map_err(|e| format!("cannot parse the crate's Cargo.toml: {e}"))?;
    let old = t
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    if let Some(pkg) = t.get_mut("package").and_then(|p| p.as_table_mut()) {
        pkg.insert("name".into(), package.into());
    }
    // Binaries named after the package (`src/bin/<package>-worker.rs`, or
    // `[[bin]] name = "<package>-worker"`) follow it, so a check finds the
    // copy's worker by its role as it finds the original's.
    if let Some(old) = &old {
        let prefix = format!("{old}-");
        if let Ok(entries) = std::fs::read_dir(crate_dir.join("src/bin")) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(role) = name.strip_prefix(&prefix) {
                    let to = crate_dir.join("src/bin").join(format!("{package}-{role}"));
                    std::fs::rename(e.path(), to)
                        .map_err(|e| format!("cannot rename src/bin/{name}: {e}"))?;
                }
            }
        }
        if let Some(bins) = t.get_mut("bin").and_then(|b| b.as_array_mut()) {
            for b in bins.iter_mut().filter_map(|b| b.as_table_mut()) {
                let renamed = b
                    .get("name")
                    .and_then(|n| n.as_str())
                    .and_then(|n| n.strip_prefix(&prefix))
                    .map(|role| format!("{package}-{role}"));
                if let Some(n) = renamed {
                    b.insert("name".into(), n.into());
                }
                // A path under src/bin/ named after the package moved too.
                let moved = b
                    .get("path")
                    .and_then(|p| p.as_str())
                    .and_then(|p| p.strip_prefix("src/bin/"))
                    .and_then(|f| f.strip_prefix(&prefix))
                    .map(|role| format!("src/bin/{package}-{role}"));
                if let Some(p) = moved {
                    b.insert("path".into(), p.into());
                }
            }
        }
    }
    // Keep the library's name, which the crate's own code imports.
    if crate_dir.join("src/lib.rs").is_file() {
        let lib = t
            .entry("lib")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let Some(lib) = lib.as_table_mut() {
            lib.entry("name").or_insert_with(|| lib_name.into());
        }
    }
    std::fs::write(&path, toml::to_string(&t).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())
}
