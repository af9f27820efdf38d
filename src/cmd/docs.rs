//! `completions` and `man`: generated from the CLI's definition, no course needed.

use crate::cli::Cli;
use crate::out::out;
use anyhow::{Context, Result};
use std::process::ExitCode;

pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut cmd, "serverlings", &mut text);
    out!("{}", String::from_utf8_lossy(&text));
    Ok(ExitCode::SUCCESS)
}

pub fn man() -> Result<ExitCode> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut text = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut text)
        .context("cannot render the manual page")?;
    out!("{}", String::from_utf8_lossy(&text));
    Ok(ExitCode::SUCCESS)
}
