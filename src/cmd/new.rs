//! `new`: an exercise from a template — stub, solution, check, hints.

use crate::out::outln;
use crate::style::Style;
use anyhow::Result;
use serverlings_core::course::Course;
use std::process::ExitCode;

pub fn new(
    course: &Course,
    part: &str,
    name: &str,
    kind: crate::scaffold::Kind,
    title: Option<&str>,
    style: Style,
) -> Result<ExitCode> {
    let created =
        crate::scaffold::new(course, part, name, kind, title).map_err(anyhow::Error::msg)?;
    outln!("{} new exercise `{name}`:", style.green("✓"));
    for f in &created.files {
        outln!("  {f}");
    }
    outln!("  {} (registered, last in the part)", created.part_file);
    if !created.added_deps.is_empty() {
        outln!(
            "  Cargo.toml ([workspace.dependencies] now declares {})",
            created.added_deps.join(", ")
        );
    }
    let min = crate::doctor::parse_version(&format!("x {}", course.min_rust));
    if created.added_deps.iter().any(|d| d == "sqlx") && min.is_some_and(|m| m < (1, 94)) {
        outln!();
        outln!(
            "sqlx 0.9 needs Rust 1.94 or newer: raise min_rust in course.toml (now {}) so `serverlings doctor` warns learners with an older toolchain.",
            course.min_rust
        );
    }
    if kind == crate::scaffold::Kind::Db {
        outln!();
        outln!("Its check needs PostgreSQL: `serverlings doctor` says how this machine gets one.");
    }
    outln!();
    outln!("Next: write its lesson section and hints, then");
    outln!("  serverlings lint");
    outln!("  serverlings check {name} --solution    # the reference passes");
    outln!("  serverlings verify --solutions --exercises --exercise {name}");
    Ok(ExitCode::SUCCESS)
}
