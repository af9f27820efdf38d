//! The command line, as clap definitions. Exit codes: 0 the check passed
//! (or the command succeeded), 1 a check failed, 2 a usage, content or
//! infrastructure error.

use crate::style::ColorChoice;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "serverlings",
    version,
    about = "Learn backend engineering in Rust: read a lesson, edit a stub crate, and let the checker build, test, serve and probe it.",
    after_help = "Run without a command to open the course: in a terminal, a full-screen view of the lesson and your exercise that checks it on every save (? lists the keys); otherwise, where you are and what to do next.\n\nExit codes: 0 success, 1 a check failed, 2 usage, content or infrastructure error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The course folder (default: the nearest folder above with course.toml).
    #[arg(long, global = true, value_name = "DIR")]
    pub course: Option<PathBuf>,
    /// Colours in the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Without a command, in a terminal: poll for file changes instead of
    /// native file events (network drives, WSL's /mnt, some containers).
    #[arg(long)]
    pub poll: bool,
    /// Without a command, in a terminal: check only when you press `c`,
    /// not on every save.
    #[arg(long)]
    pub manual: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the parts and exercises, with your progress.
    List,
    /// Build, test, start and probe an exercise (default: the current one).
    Check {
        /// Exercise id, e.g. raw-server.
        exercise: Option<String>,
        /// Check the reference solution instead of your copy.
        #[arg(long)]
        solution: bool,
        /// Replay the random inputs of an earlier run.
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also show compiler warnings and every step's notes.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Run an exercise's network steps against a server you started
    /// yourself, in Rust or any other language.
    Probe {
        /// Exercise id, e.g. raw-server.
        exercise: String,
        /// Where your server listens, e.g. http://127.0.0.1:8080
        #[arg(long)]
        url: String,
        /// Allow a host that is not this machine's loopback.
        #[arg(long)]
        allow_remote: bool,
        /// Replay the random inputs of an earlier run.
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Print every exchange in full (`>` sent, `<` received).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Show the next hint for an exercise (default: the current one).
    Hint {
        exercise: Option<String>,
        /// Show hint N (1-based) instead of the next one.
        #[arg(long, value_name = "N")]
        level: Option<usize>,
    },
    /// Restore an exercise's stub as shipped; your changed files are backed up.
    Reset { exercise: String },
    /// Show the reference solution (after your copy passes, or with --force).
    Solution {
        exercise: String,
        #[arg(long)]
        force: bool,
    },
    /// Check the course content for mistakes (file:line:col for each).
    Lint,
    /// Check that this machine has what the course needs.
    Doctor,
    /// Print shell completions: `serverlings completions bash > ~/.local/share/bash-completion/completions/serverlings`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `serverlings man | man -l -`.
    Man,
    /// Add an exercise to a part: stub, solution, check and hints from a
    /// template, registered in the part's part.toml.
    New {
        /// The part, by number (2) or folder (02-http).
        part: String,
        /// The exercise id (also its crate name), e.g. rate-limiter.
        name: String,
        #[arg(long, value_enum, default_value_t = crate::scaffold::Kind::Server)]
        kind: crate::scaffold::Kind,
        /// The title learners see.
        #[arg(long)]
        title: Option<String>,
    },

    /// Start, stop or list the PostgreSQL and Redis instances checks use.
    Services {
        #[command(subcommand)]
        action: ServicesAction,
    },
    /// Compile the course's dependencies ahead of time, with a progress bar,
    /// so the first check of a part does not wait for them. Safe to stop
    /// with Ctrl-C and run again.
    Prepare,
    /// For CI: every solution passes its check, every pristine stub fails it.
    Verify(VerifyArgs),
}

/// What `verify` checks, and how.
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Check the reference solutions.
    #[arg(long)]
    pub solutions: bool,
    /// Check the pristine stubs (they must fail).
    #[arg(long)]
    pub exercises: bool,
    /// Only this part (its number, e.g. 2).
    #[arg(long, value_name = "N")]
    pub part: Option<u32>,
    /// Only this exercise.
    #[arg(long, value_name = "ID")]
    pub exercise: Option<String>,
    /// Write a JUnit XML report.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    #[arg(long)]
    pub seed: Option<u64>,
    /// Take the stubs in exercises/ as they are now as the pristine ones
    /// (for instructors who changed a stub on purpose).
    #[arg(long)]
    pub working_copy: bool,
    /// How many checks run at once.
    #[arg(long, short, value_name = "N", default_value_t = 1)]
    pub jobs: usize,
    /// Run the Kth of N deterministic shares of the course (a CI
    /// matrix: 1/3, 2/3, 3/3 together cover every exercise).
    #[arg(long, value_name = "K/N", value_parser = parse_partition)]
    pub partition: Option<(usize, usize)>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// List the cases this run would check, and check none.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum ServicesAction {
    /// Start PostgreSQL and Redis (or the ones named) from the local
    /// installation, for every check until `services down`.
    Up {
        #[arg(value_enum)]
        services: Vec<ServiceName>,
    },
    /// Stop what `services up` started and remove its data.
    Down {
        #[arg(value_enum)]
        services: Vec<ServiceName>,
    },
    /// Where each service comes from, its URL and version.
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceName {
    Postgres,
    Redis,
    Rabbitmq,
    Mysql,
}

/// `K/N` with 1 ≤ K ≤ N.
fn parse_partition(s: &str) -> Result<(usize, usize), String> {
    let (k, n) = s.split_once('/').ok_or("write K/N, e.g. 2/3")?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| "K is not a number")?,
        n.trim().parse().map_err(|_| "N is not a number")?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("{k}/{n}: K goes from 1 to N"));
    }
    Ok((k, n))
}
