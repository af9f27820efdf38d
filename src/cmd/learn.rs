//! Where the learner is and what helps: the overview, `list`, `hint`,
//! `reset`, `solution`.

use super::{current, load_progress, pick};
use crate::out::outln;
use crate::style::Style;
use anyhow::{Result, bail};
use serverlings_core::course::Course;
use serverlings_runner::progress::{self, State};
use std::process::ExitCode;

pub fn overview(course: &Course, style: Style) -> Result<ExitCode> {
    let p = load_progress(course)?;
    let total = course.exercises().count();
    let done = course
        .exercises()
        .filter(|e| p.state(&e.id) == State::Done)
        .count();
    outln!(
        "{} — {done} of {total} exercises done",
        style.bold(&course.title)
    );
    match current(course, &p) {
        None => outln!("Every exercise passes. `serverlings list` shows them all."),
        Some(ex) => {
            let part = course.part_of(ex);
            outln!();
            if let Some(part) = part {
                outln!("Part {:02}: {}", part.number, part.title);
            }
            outln!("Current exercise: {} — {}", style.cyan(&ex.id), ex.title);
            outln!();
            outln!(
                "  1. Read the lesson: {}#{}",
                part.map_or("", |p| p.lesson_file.as_str()),
                ex.section
            );
            outln!(
                "  2. Edit the stub:   {}/src/ (look for TODO)",
                ex.stub_dir()
            );
            outln!("  3. Check it:        serverlings check {}", ex.id);
            outln!("  Stuck? serverlings hint {}", ex.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn list(course: &Course, style: Style) -> Result<ExitCode> {
    let p = load_progress(course)?;
    let cur = current(course, &p).map(|e| e.id.clone());
    for entry in course.outline() {
        let part = match entry {
            serverlings_core::course::Entry::Planned(j) => {
                outln!("{}", style.dim(&course.planned[j].label()));
                continue;
            }
            serverlings_core::course::Entry::Part(i) => &course.parts[i],
        };
        let done = part
            .exercises
            .iter()
            .filter(|e| p.state(&e.id) == State::Done)
            .count();
        outln!(
            "{} {}",
            style.bold(&format!("{:02} {}", part.number, part.title)),
            style.dim(&format!("{done}/{}", part.exercises.len()))
        );
        for ex in &part.exercises {
            let mark = match p.state(&ex.id) {
                State::Done => style.green("✓"),
                State::Failed => style.red("✗"),
                State::Pending => style.dim("·"),
            };
            let arrow = if cur.as_deref() == Some(ex.id.as_str()) {
                style.yellow(" ← current")
            } else {
                String::new()
            };
            outln!("  {mark} {:<22} {}{arrow}", ex.id, ex.title);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn hint(
    course: &Course,
    id: Option<String>,
    level: Option<usize>,
    style: Style,
) -> Result<ExitCode> {
    let mut p = load_progress(course)?;
    let base = p.clone();
    let ex = pick(course, &p, id)?.clone();
    let n = ex.hints.len();
    let shown = p.hints_shown(&ex.id);
    let which = match level {
        Some(0) => bail!("hints are numbered from 1 to {n}"),
        Some(l) if l > n => bail!("`{}` has {n} hints: pick --level 1 to {n}", ex.id),
        Some(l) => l,
        None => (shown + 1).min(n),
    };
    outln!(
        "{} {}/{n} for {}:",
        style.yellow("Hint"),
        which,
        style.cyan(&ex.id)
    );
    outln!("  {}", ex.hints[which - 1]);
    if which < n {
        outln!(
            "{}",
            style.dim(&format!(
                "(run `serverlings hint {}` again for the next one)",
                ex.id
            ))
        );
    } else {
        outln!("{}", style.dim("(that was the last hint)"));
    }
    if which > shown {
        p.entry(&ex.id).hints = which;
        progress::save_changes(&course.root, &base, &p)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reset(course: &Course, id: &str, style: Style) -> Result<ExitCode> {
    let ex = course.find(id).map_err(anyhow::Error::msg)?;
    let (changed, backup) =
        serverlings_runner::pristine::reset(course, ex).map_err(anyhow::Error::msg)?;
    if !changed.is_empty() {
        let mut p = load_progress(course)?;
        let base = p.clone();
        p.entry(&ex.id).state = State::Pending;
        progress::save_changes(&course.root, &base, &p)?;
    }
    if changed.is_empty() {
        outln!("{} is already as shipped: nothing to reset", ex.stub_dir());
    } else {
        outln!(
            "{} restored {} file{} in {}:",
            style.green("✓"),
            changed.len(),
            if changed.len() == 1 { "" } else { "s" },
            ex.stub_dir()
        );
        for f in &changed {
            outln!("  {}", f.display());
        }
        if let Some(b) = backup {
            outln!(
                "Your version is kept in {}",
                b.strip_prefix(&course.root).unwrap_or(&b).display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn solution(course: &Course, id: &str, force: bool, style: Style) -> Result<ExitCode> {
    let p = load_progress(course)?;
    let ex = course.find(id).map_err(anyhow::Error::msg)?;
    if p.state(&ex.id) != State::Done && !force {
        outln!(
            "The solution to `{}` opens once your copy passes (`serverlings check {}`). Try `serverlings hint {}` first — or pass --force if you really want it now.",
            ex.id,
            ex.id,
            ex.id
        );
        return Ok(ExitCode::from(1));
    }
    let dir = course.root.join(ex.solution_dir());
    let mut files = Vec::new();
    crate::sources::collect(&dir, &dir, &mut files)?;
    files.sort();
    for rel in files {
        outln!(
            "{}",
            style.bold(&format!("── {}/{} ──", ex.solution_dir(), rel))
        );
        outln!("{}", std::fs::read_to_string(dir.join(&rel))?);
    }
    Ok(ExitCode::SUCCESS)
}
