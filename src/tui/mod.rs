//! The TUI: `serverlings` with no command, in a terminal. One event loop:
//! keys, the file watcher, check events and effect results all arrive as
//! `Action`s on one channel; `update::update` changes the state and returns
//! `Effect`s, which `effects::Runner` performs; `view::draw` paints the state.

mod action;
mod ansi;
mod app;
mod effects;
mod highlight;
mod input;
mod keys;
mod markdown;
mod search;
mod strings;
mod terminal;
#[cfg(test)]
mod tests;
mod theme;
mod trace;
mod update;
mod view;
mod watch;
mod wrap;

use action::Action;
use anyhow::{Context, Result};
use app::{App, Mode, Settings, Tone};
use serverlings_runner::progress::{self, Loaded, Progress};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How the TUI was asked to run.
#[derive(Debug, Clone, Copy)]
pub struct Flags {
    /// Poll for changes instead of native file events.
    pub poll: bool,
    /// Only `c` runs the check.
    pub manual: bool,
    /// Colours (off with `NO_COLOR` or `--color never`).
    pub colour: bool,
}

const TICK: Duration = Duration::from_millis(100);

/// Reads progress as the CLI does; a recovered file becomes a message.
fn load_progress(root: &Path) -> Result<(Progress, Option<String>)> {
    Ok(match progress::load(root)? {
        Loaded::Recovered {
            progress,
            backup,
            reason,
        } => (
            progress,
            Some(format!(
                "Your progress file was not readable ({reason}); it was moved to {} and progress starts afresh.",
                backup.display()
            )),
        ),
        other => (other.progress(), None),
    })
}

/// Runs the TUI until the learner quits.
pub fn run(root: &Path, flags: Flags) -> Result<ExitCode> {
    let started = Instant::now();
    let mut trace = trace::Trace::from_env();
    let content = effects::load_content(root);
    let (progress, warning) = load_progress(root)?;
    let pristine_warning = serverlings_runner::pristine::ensure(&content.course, false)
        .err()
        .map(|e| {
            format!("Cannot save pristine copies of the stubs ({e}); r (reset) may not work.")
        });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (tx, rx) = mpsc::channel::<Action>();

    // SIGTERM, SIGHUP and a SIGINT from outside (Ctrl-C in raw mode is a
    // key) quit through the normal path: screen restored, server stopped.
    {
        let tx = tx.clone();
        rt.spawn(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
                signal(SignalKind::terminate()),
                signal(SignalKind::hangup()),
                signal(SignalKind::interrupt()),
            ) else {
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = hup.recv() => {}
                _ = int.recv() => {}
            }
            let _ = tx.send(Action::Quit);
        });
    }

    terminal::install_panic_hook();
    terminal::enter().context("cannot switch the terminal to full-screen mode")?;
    let result = event_loop(
        root,
        flags,
        content,
        progress,
        warning.or(pristine_warning),
        rt,
        tx,
        rx,
        started,
        &mut trace,
    );
    terminal::leave();
    result
}

#[allow(clippy::too_many_arguments)]
fn event_loop(
    root: &Path,
    flags: Flags,
    content: action::Content,
    progress: Progress,
    warning: Option<String>,
    rt: tokio::runtime::Runtime,
    tx: mpsc::Sender<Action>,
    rx: mpsc::Receiver<Action>,
    started: Instant,
    trace: &mut trace::Trace,
) -> Result<ExitCode> {
    let mut term = terminal::new_terminal()?;
    let size = term.size()?;
    let mode = if flags.manual {
        Mode::Manual
    } else if flags.poll {
        Mode::Poll
    } else {
        Mode::Watch
    };
    let settings = Settings {
        mode: mode.clone(),
        hyperlinks: terminal::supports_hyperlinks(),
        colour: flags.colour,
    };
    let saved = progress.clone();
    let mut app = App::new(content, progress, (size.width, size.height), settings);
    if let Some(w) = warning {
        app.message = Some((w, Tone::Bad));
    }
    let input = input::Input::start(tx.clone());
    let mut runner = effects::Runner::new(root, rt, tx.clone(), flags.colour);
    runner.saved = saved;
    let mut watcher = watch::Watcher::start(root, flags.poll, tx.clone());
    if mode != Mode::Manual
        && let Some(ex) = app.opened_exercise()
    {
        watcher.watch_exercise(&root.join(ex.stub_dir()));
    }
    runner.watcher = Some(watcher);

    draw(&mut term, &app, trace)?;
    trace.event("first_frame_us", started.elapsed().as_micros());
    // The end-to-end tests prove the panic hook gives the terminal back.
    if std::env::var_os("SERVERLINGS_TEST_PANIC").is_some() {
        panic!("SERVERLINGS_TEST_PANIC is set: panicking after the first frame");
    }

    let mut last_tick = Instant::now();
    loop {
        let first = if app.running.is_some() {
            match rx.recv_timeout(TICK.saturating_sub(last_tick.elapsed())) {
                Ok(a) => a,
                Err(mpsc::RecvTimeoutError::Timeout) => Action::Tick,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(a) => a,
                Err(_) => break,
            }
        };
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        if app.running.is_some() && last_tick.elapsed() >= TICK {
            batch.push(Action::Tick);
        }
        for a in batch {
            if matches!(a, Action::Tick) {
                last_tick = Instant::now();
            }
            let verdict = match &a {
                Action::CheckDone { result: Ok(r), .. } if !r.cancelled => Some(r.passed()),
                _ => None,
            };
            for effect in update::update(&mut app, a) {
                if let action::Effect::StartCheck { run, .. } = &effect {
                    trace.event("check_start", run);
                }
                runner.perform(&app, effect, &mut term, &input);
            }
            if let Some(passed) = verdict {
                trace.event("verdict", if passed { "passed" } else { "failed" });
            }
        }
        if app.quitting {
            break;
        }
        draw(&mut term, &app, trace)?;
    }
    // Leave the screen first, then make sure the learner's server is gone.
    terminal::leave();
    if let Some(r) = app.running.take() {
        runner.stop_check(&rx, r.run, Duration::from_secs(10));
    }
    // Databases started on demand for the checks go with the TUI.
    runner.rt.block_on(serverlings_services::shutdown());
    Ok(ExitCode::SUCCESS)
}

fn draw(term: &mut terminal::Term, app: &App, trace: &mut trace::Trace) -> Result<()> {
    let t = Instant::now();
    let frame = term.draw(|f| view::draw(app, f))?;
    let links = if app.hyperlinks && app.overlay.is_none() && !view::layout::too_small(app.size) {
        let a = view::layout::areas(app.size, app.focus);
        view::lesson::visible_links(app, a.lesson)
    } else {
        vec![]
    };
    if !links.is_empty() {
        write_links(frame.buffer, &links)?;
    }
    if trace.on() {
        trace.event("frame_us", t.elapsed().as_micros());
    }
    Ok(())
}

/// Writes OSC 8 hyperlinks over the link text just drawn: the same cells
/// again, wrapped in the escape that makes them clickable.
fn write_links(buf: &ratatui::buffer::Buffer, links: &[(u16, u16, u16, String)]) -> Result<()> {
    use crossterm::style::{Attribute, Print, SetAttribute, SetForegroundColor};
    use ratatui::backend::IntoCrossterm;
    let mut out = std::io::stdout().lock();
    for (x, y, w, url) in links {
        let text: String = (*x..x + w)
            .filter_map(|cx| buf.cell((cx, *y)))
            .map(|c| c.symbol())
            .collect();
        let fg = buf
            .cell((*x, *y))
            .map_or(ratatui::style::Color::Reset, |c| c.fg);
        crossterm::queue!(
            out,
            crossterm::cursor::MoveTo(*x, *y),
            SetForegroundColor(fg.into_crossterm()),
            SetAttribute(Attribute::Underlined),
            Print(format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\")),
            SetAttribute(Attribute::Reset)
        )?;
    }
    out.flush()?;
    Ok(())
}
