//! `lint`: the course content checked, every problem with file:line:col.

use crate::out::outln;
use crate::style::Style;
use std::process::ExitCode;

pub fn lint(root: &std::path::Path, style: Style) -> ExitCode {
    let (course, problems) = crate::lint::lint(root);
    for p in &problems {
        eprint!("{p}");
        eprintln!();
    }
    if problems.is_empty() {
        outln!(
            "{} {} parts, {} exercises{}: no problems",
            style.green("✓"),
            course.parts.len(),
            course.exercises().count(),
            match course.planned.len() {
                0 => String::new(),
                n => format!(" ({n} more parts planned)"),
            }
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{} {} problem{}",
            style.red("✗"),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        ExitCode::from(crate::EXIT_ERROR)
    }
}
