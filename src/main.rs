//! serverlings: a terminal course runner for backend engineering in Rust.

mod cli;
mod cmd;
mod doctor;
#[cfg(test)]
mod fuzz;
mod lint;
mod out;
mod prepare;
mod report;
mod scaffold;
mod session;
mod sources;
mod style;
mod tui;
mod verify;

use clap::Parser;
use std::process::ExitCode;

/// Exit code for usage, content and infrastructure errors.
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let style = style::Style::detect(cli.color);
    match cmd::dispatch(cli, style) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{} {e:#}", style.red("error:"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}
