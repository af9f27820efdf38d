//! serverlings: a terminal course runner for backend engineering in Rust.

mod cargo;
mod check;
mod cli;
mod commands;
mod doctor;
#[cfg(test)]
mod fuzz;
mod lint;
mod out;
mod prepare;
mod pristine;
mod probe;
mod process;
mod progress;
mod report;
mod scaffold;
mod scratch;
mod services;
mod sources;
mod style;
mod trace;
mod tui;
mod verify;

use serverlings_core::{course, diag, duration};

use clap::Parser;
use course::{Course, Exercise};
use std::process::ExitCode;

/// Exit code for usage, content and infrastructure errors.
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let style = style::Style::detect(cli.color);
    match commands::dispatch(cli, style) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{} {e:#}", style.red("error:"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Parses an exercise's check spec, rendering diagnostics as text.
pub fn load_spec(course: &Course, ex: &Exercise) -> Result<check::spec::Spec, String> {
    let text = std::fs::read_to_string(course.root.join(&ex.check_file))
        .map_err(|e| format!("cannot read {}: {e}", ex.check_file))?;
    check::spec::parse(&ex.check_file, &text).map_err(|ds| {
        ds.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}
