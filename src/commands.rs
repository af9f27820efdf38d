//! What each command does, on top of the course, checker and progress.

use crate::cli::{Cli, Command, Format};
use crate::out::{out, outln};
use crate::report::human::Human;
use crate::style::Style;
use anyhow::{Context, Result, bail};
use serverlings_core::course::{self, Course, Exercise};
use serverlings_core::outcome::Target;
use serverlings_runner::check::run::{self, Cancel, Options};
use serverlings_runner::progress::{self, Progress, State};
use std::process::ExitCode;

pub fn dispatch(cli: Cli, style: Style) -> Result<ExitCode> {
    // These need no course.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "serverlings", &mut text);
            out!("{}", String::from_utf8_lossy(&text));
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut text)
                .context("cannot render the manual page")?;
            out!("{}", String::from_utf8_lossy(&text));
            return Ok(ExitCode::SUCCESS);
        }

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
        return Ok(lint(&root, style));
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
        None => overview(&course, style),
        Some(Command::List) => list(&course, style),
        Some(Command::Check {
            exercise,
            solution,
            seed,
            format,
            verbose,
        }) => check(&course, exercise, solution, seed, format, verbose, style),
        Some(Command::Hint { exercise, level }) => hint(&course, exercise, level, style),
        Some(Command::Probe {
            exercise,
            url,
            allow_remote,
            seed,
            format,
            verbose,
        }) => probe(
            &course,
            &exercise,
            &url,
            allow_remote,
            seed,
            format,
            verbose,
            style,
        ),

        Some(Command::Reset { exercise }) => reset(&course, &exercise, style),
        Some(Command::Solution { exercise, force }) => solution(&course, &exercise, force, style),
        Some(Command::New {
            part,
            name,
            kind,
            title,
        }) => {
            let created = crate::scaffold::new(&course, &part, &name, kind, title.as_deref())
                .map_err(anyhow::Error::msg)?;
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
                outln!(
                    "Its check needs PostgreSQL: `serverlings doctor` says how this machine gets one."
                );
            }
            outln!();
            outln!("Next: write its lesson section and hints, then");
            outln!("  serverlings lint");
            outln!("  serverlings check {name} --solution    # the reference passes");
            outln!("  serverlings verify --solutions --exercises --exercise {name}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Doctor) => {
            let findings = crate::doctor::run(&course);
            crate::doctor::print(&findings, style);
            Ok(if findings.iter().all(|f| f.ok) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(crate::EXIT_ERROR)
            })
        }
        Some(Command::Verify {
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
        }) => {
            if !solutions && !exercises {
                bail!("say what to verify: --solutions, --exercises, or both");
            }
            if let Some(id) = &exercise {
                course.find(id).map_err(anyhow::Error::msg)?;
            }
            load_progress(&course)?;
            if working_copy {
                let only = |e: &serverlings_core::course::Exercise| {
                    exercise.as_ref().is_none_or(|id| *id == e.id)
                        && part.is_none_or(|n| course.part_of(e).is_some_and(|p| p.number == n))
                };
                let taken = serverlings_runner::pristine::refresh(&course, &only)
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
                let summary = crate::verify::verify(&course, &req, style, cancel).await;
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
        Some(Command::Services { action }) => services(&course, action, style),
        Some(Command::Prepare) => crate::prepare::run(&course, style),
        Some(Command::Lint | Command::Completions { .. } | Command::Man) => {
            unreachable!("handled above")
        }
    }
}

fn lint(root: &std::path::Path, style: Style) -> ExitCode {
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

fn overview(course: &Course, style: Style) -> Result<ExitCode> {
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

fn list(course: &Course, style: Style) -> Result<ExitCode> {
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

fn check(
    course: &Course,
    id: Option<String>,
    solution: bool,
    seed: Option<u64>,
    format: Format,
    verbose: bool,
    style: Style,
) -> Result<ExitCode> {
    let mut p = load_progress(course)?;
    let base = p.clone();
    let ex = pick(course, &p, id)?.clone();
    let spec = crate::session::spec(course, &ex)?;
    let target = if solution {
        Target::Solution
    } else {
        Target::Exercise
    };
    let subject = crate::session::subject(course, &ex, target);
    let opts = Options {
        seed: seed.unwrap_or_else(serverlings_core::rng::Rng::fresh_seed),
        colour: style.colour,
        verbose,
        attach: None,
    };

    let human = Human { style, verbose };
    let report = runtime()?.block_on(async {
        let cancel = cancel_on_signals();
        let sink = |e: serverlings_core::outcome::Event| print_event(format, &human, &e);
        let report = run::run(&subject, &spec, &opts, &sink, cancel).await;
        // Stop what was started on demand for the check.
        serverlings_services::shutdown().await;
        report
    })?;
    match format {
        Format::Human => out!("{}", human.verdict(&report)),
        Format::Json => outln!("{}", crate::report::json::verdict(&report)),
    }
    if report.cancelled {
        return Ok(cancelled_exit());
    }
    if !solution {
        let next = p.record(course, &ex.id, report.passed());
        if report.passed() && format == Format::Human {
            outln!(
                "The reference solution is now available: serverlings solution {}",
                ex.id
            );
            match next {
                Some(n) => {
                    outln!("Next: serverlings check {n}  (or just `serverlings` to see it)")
                }
                None => outln!("That was the last one. Well done."),
            }
        }
        progress::save_changes(&course.root, &base, &p)?;
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn hint(
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

fn reset(course: &Course, id: &str, style: Style) -> Result<ExitCode> {
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

fn solution(course: &Course, id: &str, force: bool, style: Style) -> Result<ExitCode> {
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

/// `serverlings services up|down|status`.
fn services(course: &Course, action: crate::cli::ServicesAction, style: Style) -> Result<ExitCode> {
    use crate::cli::{ServiceName, ServicesAction};
    use serverlings_services::{Kind, ops};
    let kinds = |names: Vec<ServiceName>| -> Vec<Kind> {
        if names.is_empty() {
            return vec![Kind::Postgres, Kind::Redis];
        }
        let mut k: Vec<Kind> = names
            .into_iter()
            .map(|n| match n {
                ServiceName::Postgres => Kind::Postgres,
                ServiceName::Redis => Kind::Redis,
                ServiceName::Rabbitmq => Kind::Rabbitmq,
                ServiceName::Mysql => Kind::Mysql,
            })
            .collect();
        k.dedup();
        k
    };
    let root = course.root.clone();
    let changes = !matches!(action, ServicesAction::Status);
    let rows = runtime()?.block_on(async move {
        match action {
            ServicesAction::Up { services } => ops::up(&root, &kinds(services)).await,
            ServicesAction::Down { services } => ops::down(&root, &kinds(services)).await,
            ServicesAction::Status => ops::status(&root).await,
        }
    });
    for r in &rows {
        let mark = if r.ok {
            style.green("✓")
        } else {
            style.red("✗")
        };
        outln!("{mark} {:<9} {}", r.kind.id(), r.text);
    }
    // `status` only reports; `up` and `down` fail when one of them did.
    Ok(if !changes || rows.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_ERROR)
    })
}

/// Where `--url` points, refusing anything but loopback unless allowed.
pub fn attach_target(
    url: &str,
    allow_remote: bool,
) -> Result<serverlings_runner::check::run::Attach> {
    let parsed = url::Url::parse(url)
        .or_else(|_| url::Url::parse(&format!("http://{url}")))
        .with_context(|| format!("`{url}` is not a URL: write it like http://127.0.0.1:8080"))?;
    if !matches!(parsed.scheme(), "http" | "ws") {
        bail!("`{url}`: only http:// (or ws://) servers can be probed");
    }
    let host = match parsed.host() {
        Some(url::Host::Domain(d)) => d.to_string(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => bail!("`{url}` has no host: write it like http://127.0.0.1:8080"),
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback && !allow_remote {
        bail!(
            "`{host}` is not this machine: probing sends many requests (and malformed ones), so only loopback servers are probed. Pass --allow-remote if the server is yours"
        );
    }
    let port = parsed.port_or_known_default().unwrap_or(80);
    Ok(serverlings_runner::check::run::Attach {
        host: if host == "localhost" {
            "127.0.0.1".into()
        } else {
            host
        },
        port,
    })
}

#[allow(clippy::too_many_arguments)]
fn probe(
    course: &Course,
    id: &str,
    url: &str,
    allow_remote: bool,
    seed: Option<u64>,
    format: Format,
    verbose: bool,
    style: Style,
) -> Result<ExitCode> {
    let ex = course.find(id).map_err(anyhow::Error::msg)?.clone();
    let attach = attach_target(url, allow_remote)?;
    let spec = crate::session::spec(course, &ex)?;
    if spec.steps.is_empty() {
        bail!(
            "`{}` is checked by its tests only: there is nothing to probe over the network",
            ex.id
        );
    }
    let subject = crate::session::subject(course, &ex, Target::Exercise);
    let opts = Options {
        seed: seed.unwrap_or_else(serverlings_core::rng::Rng::fresh_seed),
        colour: style.colour,
        verbose,
        attach: Some(attach),
    };
    let human = Human { style, verbose };
    let report = runtime()?.block_on(async {
        let cancel = cancel_on_signals();
        let sink = |e: serverlings_core::outcome::Event| print_event(format, &human, &e);
        run::run(&subject, &spec, &opts, &sink, cancel).await
    })?;
    match format {
        Format::Human => {
            out!("{}", human.verdict(&report));
            if report.passed() {
                outln!(
                    "(probing does not mark the exercise done: `serverlings check {}` builds and judges your crate)",
                    ex.id
                );
            }
        }
        Format::Json => outln!("{}", crate::report::json::verdict(&report)),
    }
    if report.cancelled {
        return Ok(cancelled_exit());
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A check's live output: text as each step finishes, or JSON lines.
fn print_event(format: Format, human: &Human, e: &serverlings_core::outcome::Event) {
    match format {
        Format::Human => human.event(e),
        Format::Json => {
            if let Some(line) = crate::report::json::event(e) {
                outln!("{line}");
            }
        }
    }
}
