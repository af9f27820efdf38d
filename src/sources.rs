//! The Rust sources of an exercise's crate, as paths relative to it (the
//! files the TUI lists and `solution` shows), `target/` left out.

use anyhow::{Context, Result};

pub fn collect(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                collect(base, &path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(
                path.strip_prefix(base)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
            );
        }
    }
    Ok(())
}
