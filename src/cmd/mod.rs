//! The commands: `dispatch` picks one, and each lives in the file of its
//! kind (`learn`, `check`, `verify`, `new`, `machine`, `lint`, `docs`);
//! what several share (the course, progress, the runtime, signals) is here.

mod check;
mod docs;
mod learn;
mod lint;
mod machine;
mod new;
mod verify;

use crate::cli::{Cli, Command};
use crate::style::Style;
use anyhow::{Context, Result, bail};
use serverlings_core::course::{self, Course, Exercise};
use serverlings_runner::check::run::Cancel;
use serverlings_runner::progress::{self, Progress};
use std::process::ExitCode;

pub fn dispatch(cli: Cli, style: Style) -> Result<ExitCode> {
    // These need no course.
    match &cli.command {
        Some(Command::Completions { shell }) => return docs::completions(*shell),
        Some(Command::Man) => return docs::man(),
        _ => {}
    }
    // What a serverlings killed with SIGKILL left behind (a server that had
    // left its process group keeps running, and keeps its port).
    if !matches!(&cli.command, Some(Command::List) | Some(Command::Lint)) {
        let ended = serverlings_proc::process::end_orphans();
        if !ended.is_empty() {
            eprintln!(
                "note: ended {} left running by an earlier serverlings that was killed: {}",
                if ended.len() == 1 {
                    "a process"
                } else {
                    "processes"
                },
                ended.join("; ")
            );
        }
    }
    let start = match &cli.course {
        Some(d) => d.clone(),
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    let Some(root) = course::find_root(&start) else {
        bail!(
            "no course here: {} has no {} above it. Run serverlings inside the course folder, or pass --course DIR",
            start.display(),
            course::COURSE_FILE
        );
    };
    if let Some(Command::Lint) = cli.command {
        return Ok(lint::lint(&root, style));
    }
    // A terminal gets the TUI; anything else (a pipe, CI) the plain overview.
    if cli.command.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let flags = crate::tui::Flags {
            poll: cli.poll,
            manual: cli.manual,
            colour: style.colour,
        };
        return crate::tui::run(&root, flags);
    }
    let course = load_course(&root)?;
    match cli.command {
        None => learn::overview(&course, style),
        Some(Command::List) => learn::list(&course, style),
        Some(Command::Check {
            exercise,
            solution,
            seed,
            format,
            verbose,
        }) => check::check(&course, exercise, solution, seed, format, verbose, style),
        Some(Command::Hint { exercise, level }) => learn::hint(&course, exercise, level, style),
        Some(Command::Probe {
            exercise,
            url,
            allow_remote,
            seed,
            format,
            verbose,
        }) => check::probe(
            &course,
            &exercise,
            &url,
            allow_remote,
            seed,
            format,
            verbose,
            style,
        ),
        Some(Command::Reset { exercise }) => learn::reset(&course, &exercise, style),
        Some(Command::Solution { exercise, force }) => {
            learn::solution(&course, &exercise, force, style)
        }
        Some(Command::New {
            part,
            name,
            kind,
            title,
        }) => new::new(&course, &part, &name, kind, title.as_deref(), style),
        Some(Command::Doctor) => machine::doctor(&course, style),
        Some(Command::Verify(args)) => verify::verify(&course, args, style),
        Some(Command::Services { action }) => machine::services(&course, action, style),
        Some(Command::Prepare) => crate::prepare::run(&course, style),
        Some(Command::Lint | Command::Completions { .. } | Command::Man) => {
            unreachable!("handled above")
        }
    }
}

fn load_course(root: &std::path::Path) -> Result<Course> {
    let (course, problems) = course::load(root);
    if !problems.is_empty() {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        bail!(
            "the course content has problems (run `serverlings lint`):\n{}",
            text.join("\n")
        );
    }
    Ok(course)
}

/// The learner's progress; also keeps the pristine copies of the stubs.
fn load_progress(course: &Course) -> Result<Progress> {
    let p = read_progress(course)?;
    if let Err(e) = serverlings_runner::pristine::ensure(course, false) {
        eprintln!("warning: cannot save pristine copies of the stubs ({e}); `reset` may not work");
    }
    Ok(p)
}

fn read_progress(course: &Course) -> Result<Progress> {
    match progress::load(&course.root)? {
        progress::Loaded::Recovered {
            progress,
            backup,
            reason,
        } => {
            eprintln!(
                "warning: your progress file was not readable ({reason}). It was moved to {} and progress starts afresh; \
                 your exercise files are untouched, and `serverlings check` marks solved ones done again",
                backup.display()
            );
            Ok(progress)
        }
        other => Ok(other.progress()),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The signal that cancelled the check (0: none yet).
static CANCELLED_BY: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// The exit code of a check a signal stopped: 128 + its number, as shells
/// report it (130 for Ctrl-C, 143 for SIGTERM).
fn cancelled_exit() -> ExitCode {
    match CANCELLED_BY.load(std::sync::atomic::Ordering::SeqCst) {
        libc::SIGTERM => ExitCode::from(143),
        _ => ExitCode::from(130),
    }
}

/// Ctrl-C and SIGTERM cancel the running check; the checker then stops the
/// server and reports.
fn cancel_on_signals() -> Cancel {
    let (tx, cancel) = Cancel::new();
    tokio::spawn(async move {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let signal = tokio::select! {
            _ = tokio::signal::ctrl_c() => libc::SIGINT,
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => libc::SIGTERM,
        };
        CANCELLED_BY.store(signal, std::sync::atomic::Ordering::SeqCst);
        let _ = tx.send(true);
        // Keep the sender alive so the receiver does not see a closed channel.
        std::future::pending::<()>().await;
    });
    cancel
}

/// The exercise the learner is on (see [`Progress::current`]).
fn current<'a>(course: &'a Course, p: &Progress) -> Option<&'a Exercise> {
    p.current(course)
}

fn pick<'a>(course: &'a Course, p: &Progress, id: Option<String>) -> Result<&'a Exercise> {
    match id {
        Some(id) => course.find(&id).map_err(anyhow::Error::msg),
        None => current(course, p)
            .context("every exercise is done: pass an exercise id to check one again"),
    }
}
