//! `update(app, action) -> effects`: the only place the state changes. No
//! I/O here: what needs the outside world comes back as an `Effect` for the
//! event loop, and its result arrives later as another `Action`.

use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, CheckRun, Mode, Overlay, Running, Tone};
use crate::tui::keys;
use crate::tui::strings;
use crate::tui::view::{check as check_view, layout};
use serverlings_runner::progress::State;

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    match action {
        Action::Key(k) => {
            app.message = None;
            keys::key(app, k, &mut fx);
        }
        Action::Scroll { up, col, row } => keys::scroll_at(app, up, col, row),
        Action::Resize(w, h) => app.size = (w, h),
        Action::Tick => app.tick = app.tick.wrapping_add(1),
        Action::ExerciseChanged(dir) => {
            if app.mode != Mode::Manual
                && let Some(ex) = app.opened_exercise()
                && app.course.root.join(ex.stub_dir()) == dir
            {
                let id = ex.id.clone();
                request_check(app, &id, &mut fx);
            }
        }
        Action::ContentChanged => fx.push(Effect::ReloadContent),
        Action::ContentLoaded(content) => app.replace_content(*content),
        Action::Polling(reason) => {
            if app.mode == Mode::Watch {
                app.mode = Mode::Poll;
            }
            app.notice = Some(reason);
        }
        Action::Highlighted(results) => app.hl.insert(results),
        Action::CheckEvent { run, event } => {
            if let Some(r) = app.running.as_ref().filter(|r| r.run == run) {
                let id = r.exercise.clone();
                app.checks.entry(id).or_default().apply(event);
            }
        }
        Action::CheckDone { run, result } => check_done(app, run, result, &mut fx),
        Action::ResetDone { exercise, result } => match result {
            Err(e) => app.message = Some((e, Tone::Bad)),
            Ok((changed, backup)) => {
                if changed.is_empty() {
                    app.message = Some((strings::nothing_to_reset(&exercise), Tone::Info));
                } else {
                    app.progress.entry(&exercise).state = State::Pending;
                    app.checks.remove(&exercise);
                    fx.push(Effect::SaveProgress);
                    let backup = backup.map(|b| {
                        b.strip_prefix(&app.course.root)
                            .unwrap_or(&b)
                            .display()
                            .to_string()
                    });
                    app.message = Some((
                        strings::reset_done(&exercise, changed.len(), backup.as_deref()),
                        Tone::Good,
                    ));
                }
            }
        },
        Action::SolutionLoaded { exercise, result } => {
            if let Some(Overlay::Solution {
                exercise: e, text, ..
            }) = &mut app.overlay
                && *e == exercise
            {
                match result {
                    Ok(md) => *text = Some(md),
                    Err(err) => {
                        app.overlay = None;
                        app.message = Some((err, Tone::Bad));
                    }
                }
            }
        }
        Action::EditorDone(result) => {
            if let Err(e) = result {
                app.message = Some((e, Tone::Bad));
            }
        }
        Action::Error(e) => app.message = Some((e, Tone::Bad)),
        Action::Quit => quit(app, &mut fx),
    }
    app.render_lesson();
    app.render_solution();
    let wanted = app.hl.take_wanted();
    if !wanted.is_empty() {
        fx.push(Effect::Highlight(wanted));
    }
    fx
}

pub fn quit(app: &mut App, fx: &mut Vec<Effect>) {
    app.quitting = true;
    app.queued = None;
    if app.running.is_some() {
        fx.push(Effect::CancelCheck);
    }
}

/// Starts a check, or cancels the running one and queues this one.
pub fn request_check(app: &mut App, id: &str, fx: &mut Vec<Effect>) {
    if let Some(r) = app.running.as_mut() {
        app.queued = Some(id.to_string());
        if !r.cancelling {
            r.cancelling = true;
            fx.push(Effect::CancelCheck);
        }
        let exercise = r.exercise.clone();
        app.checks.entry(exercise).or_default().restarting = true;
        return;
    }
    let run = app.next_run;
    app.next_run += 1;
    app.running = Some(Running {
        run,
        exercise: id.to_string(),
        cancelling: false,
    });
    app.checks.insert(id.to_string(), CheckRun::default());
    if app.opened.as_deref() == Some(id) {
        app.check_scroll = 0;
    }
    fx.push(Effect::StartCheck {
        run,
        exercise: id.to_string(),
    });
}

fn check_done(
    app: &mut App,
    run: u64,
    result: Result<serverlings_core::outcome::CheckReport, super::action::CheckError>,
    fx: &mut Vec<Effect>,
) {
    let Some(r) = app.running.take_if(|r| r.run == run) else {
        return;
    };
    let id = r.exercise;
    let entry = app.checks.entry(id.clone()).or_default();
    entry.current = None;
    entry.restarting = false;
    match result {
        Err(e) => entry.error = Some(e),
        Ok(report) => {
            let cancelled = report.cancelled;
            let passed = report.passed();
            // The report is the whole story, even if an event was missed.
            entry.steps = report.steps.clone();
            entry.report = Some(report);
            if !cancelled {
                // Exactly as `serverlings check` records it.
                let next = app.progress.record(&app.course, &id, passed);
                if passed {
                    app.message = Some((strings::passed(&id, next.as_deref()), Tone::Good));
                    if app.opened.as_deref() == Some(id.as_str()) {
                        // The verdict is at the bottom.
                        app.check_scroll = usize::MAX;
                    }
                } else if app.opened.as_deref() == Some(id.as_str()) {
                    let width =
                        layout::inner(layout::areas(app.size, app.focus).check).width as usize;
                    let (_, first) = check_view::content(app, width);
                    app.check_scroll = first.unwrap_or(0);
                }
                fx.push(Effect::SaveProgress);
            }
        }
    }
    if let Some(next) = app.queued.take()
        && !app.quitting
    {
        request_check(app, &next, fx);
    }
}

/// Opens an exercise: lesson at its section, the watcher on its crate.
pub fn open(app: &mut App, id: &str, fx: &mut Vec<Effect>) {
    if app.course.exercise(id).is_none() {
        return;
    }
    app.show(id);
    if app.progress.current.as_deref() != Some(id) {
        app.progress.current = Some(id.to_string());
        fx.push(Effect::SaveProgress);
    }
    if let Some(ex) = app.opened_exercise()
        && app.mode != Mode::Manual
    {
        fx.push(Effect::Watch(app.course.root.join(ex.stub_dir())));
    }
}
