//! `verify`: every solution passes, every pristine stub fails (for CI).

use super::{cancel_on_signals, load_progress, runtime};
use crate::cli::{Format, VerifyArgs};
use crate::out::outln;
use crate::style::Style;
use anyhow::{Context, Result, bail};
use serverlings_core::course::Course;
use std::process::ExitCode;

pub fn verify(course: &Course, args: VerifyArgs, style: Style) -> Result<ExitCode> {
    let VerifyArgs {
        solutions,
        exercises,
        part,
        exercise,
        junit,
        seed,
        working_copy,
        jobs,
        partition,
        format,
        dry_run,
    } = args;
    if !solutions && !exercises {
        bail!("say what to verify: --solutions, --exercises, or both");
    }
    if let Some(id) = &exercise {
        course.find(id).map_err(anyhow::Error::msg)?;
    }
    load_progress(course)?;
    if working_copy {
        let only = |e: &serverlings_core::course::Exercise| {
            exercise.as_ref().is_none_or(|id| *id == e.id)
                && part.is_none_or(|n| course.part_of(e).is_some_and(|p| p.number == n))
        };
        let taken = serverlings_runner::pristine::refresh(course, &only)
            .context("cannot refresh the pristine copies")?;

        for id in taken {
            outln!("took the stub of {id} in exercises/ as its new pristine copy");
        }
    }
    let req = crate::verify::Request {
        solutions,
        stubs: exercises,
        part,
        exercise,
        seed,
        jobs,
        partition,
        json: format == Format::Json,
        progress: std::io::IsTerminal::is_terminal(&std::io::stdout()),
        dry_run,
    };

    let summary = runtime()?.block_on(async {
        let cancel = cancel_on_signals();
        let summary = crate::verify::verify(course, &req, style, cancel).await;
        serverlings_services::shutdown().await;
        summary
    });
    if let Some(path) = junit {
        std::fs::write(
            &path,
            crate::report::junit::render(&summary.reports, &summary.errors),
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let bad = summary
        .reports
        .iter()
        .filter(|r| r.verdict().is_err())
        .count()
        + summary.errors.len();
    let total = summary.reports.len() + summary.errors.len();
    if dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    if format == Format::Json {
        outln!(
            "{}",
            serde_json::json!({ "type": "summary", "passed": total - bad, "failed": bad })
        );
    } else {
        outln!("{} passed, {} failed", total - bad, bad);
    }

    Ok(if summary.ok() {
        ExitCode::SUCCESS
    } else if summary.errors.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::from(crate::EXIT_ERROR)
    })
}
