//! What keys and the mouse wheel do, in the main view and in overlays.
//! Part of `update`: state changes and effects only, no I/O.

use crate::tui::action::{Effect, Key};
use crate::tui::app::{App, Focus, Overlay, Target, Tone};
use crate::tui::search::{Hit, Search};
use crate::tui::strings;
use crate::tui::update::{open, quit, request_check};
use crate::tui::view::{check as check_view, layout, overlay as overlay_view};
use serverlings_runner::progress::State;

fn step_exercise(app: &mut App, forward: bool, fx: &mut Vec<Effect>) {
    let ids: Vec<String> = app.course.exercises().map(|e| e.id.clone()).collect();
    let Some(i) = app
        .opened
        .as_deref()
        .and_then(|o| ids.iter().position(|e| e == o))
    else {
        return;
    };
    let j = if forward { i + 1 } else { i.wrapping_sub(1) };
    match ids.get(j) {
        Some(id) => {
            let id = id.clone();
            open(app, &id, fx);
        }
        None => {
            app.message = Some((
                if forward {
                    strings::LAST_EXERCISE
                } else {
                    strings::FIRST_EXERCISE
                }
                .to_string(),
                Tone::Info,
            ))
        }
    }
}

pub fn key(app: &mut App, k: Key, fx: &mut Vec<Effect>) {
    if matches!(k, Key::Ctrl('c')) {
        quit(app, fx);
        return;
    }
    if app.overlay.is_some() {
        overlay_key(app, k, fx);
        return;
    }
    let opened = app.opened.clone();
    match k {
        Key::Char('q') => quit(app, fx),
        Key::Char('?') => app.overlay = Some(Overlay::Help),
        Key::Char('/') => app.overlay = Some(Overlay::Search(Search::default())),
        Key::Tab | Key::BackTab => {
            let order = [Focus::Sidebar, Focus::Lesson, Focus::Check];
            let i = order.iter().position(|f| *f == app.focus).unwrap_or(1);
            let n = if k == Key::Tab { i + 1 } else { i + 2 };
            app.focus = order[n % 3];
        }
        Key::Char('c') => {
            if let Some(id) = opened {
                request_check(app, &id, fx);
            }
        }
        Key::Char('h') => {
            if let Some(id) = opened {
                next_hint(app, &id, fx);
            }
        }
        Key::Char('s') => {
            if let Some(id) = opened {
                if app.progress.state(&id) == State::Done {
                    app.overlay = Some(Overlay::Solution {
                        exercise: id.clone(),
                        text: None,
                        rendered: None,
                        scroll: 0,
                    });
                    fx.push(Effect::LoadSolution { exercise: id });
                } else {
                    app.message = Some((strings::solution_locked(&id), Tone::Info));
                }
            }
        }
        Key::Char('r') => {
            if let Some(id) = opened {
                app.overlay = Some(Overlay::ConfirmReset { exercise: id });
            }
        }
        Key::Char('e') => {
            if let Some(ex) = app.opened_exercise() {
                fx.push(Effect::OpenEditor(app.course.root.join(ex.stub_dir())));
            }
        }
        Key::Char('n') => step_exercise(app, true, fx),
        Key::Char('p') => step_exercise(app, false, fx),
        Key::Esc if app.focus == Focus::Sidebar => app.focus = Focus::Lesson,
        Key::Enter if app.focus == Focus::Sidebar => {
            if let Some(id) = app.cursor.clone() {
                open(app, &id, fx);
                app.focus = Focus::Lesson;
            }
        }
        _ => {
            if let Some(m) = motion(k) {
                move_focused(app, m);
            }
        }
    }
}

fn next_hint(app: &mut App, id: &str, fx: &mut Vec<Effect>) {
    let Some(ex) = app.course.exercise(id) else {
        return;
    };
    let n = ex.hints.len();
    if n == 0 {
        app.message = Some((strings::NO_HINTS.to_string(), Tone::Info));
        return;
    }
    let shown = app.progress.hints_shown(id);
    let which = (shown + 1).min(n);
    if which > shown {
        app.progress.entry(id).hints = which;
        fx.push(Effect::SaveProgress);
    }
    match &mut app.overlay {
        Some(Overlay::Hints { scroll, .. }) => *scroll = usize::MAX,
        _ => {
            app.overlay = Some(Overlay::Hints {
                exercise: id.to_string(),
                scroll: usize::MAX,
            })
        }
    }
}

/// A movement key, as a signed line count or an absolute end.
#[derive(Debug, Clone, Copy)]
enum Motion {
    Lines(isize),
    Pages(isize),
    Top,
    Bottom,
}

fn motion(k: Key) -> Option<Motion> {
    Some(match k {
        Key::Up | Key::Char('k') => Motion::Lines(-1),
        Key::Down | Key::Char('j') => Motion::Lines(1),
        Key::PageUp | Key::Ctrl('b') | Key::Ctrl('u') => Motion::Pages(-1),
        Key::PageDown | Key::Ctrl('f') | Key::Ctrl('d') | Key::Char(' ') => Motion::Pages(1),
        Key::Home | Key::Char('g') => Motion::Top,
        Key::End | Key::Char('G') => Motion::Bottom,
        _ => return None,
    })
}

fn apply(pos: usize, m: Motion, page: usize, max: usize) -> usize {
    let page = page.max(1) as isize;
    let p = match m {
        Motion::Lines(n) => pos as isize + n,
        Motion::Pages(n) => pos as isize + n * (page - 1).max(1),
        Motion::Top => 0,
        Motion::Bottom => max as isize,
    };
    p.clamp(0, max as isize) as usize
}

fn move_focused(app: &mut App, m: Motion) {
    move_pane(app, app.focus, m);
}

/// Moves the sidebar cursor or scrolls a pane, with the pane sizes on screen.
fn move_pane(app: &mut App, pane: Focus, m: Motion) {
    let areas = layout::areas(app.size, app.focus);
    match pane {
        Focus::Sidebar => {
            let ids: Vec<String> = app.course.exercises().map(|e| e.id.clone()).collect();
            if ids.is_empty() {
                return;
            }
            let i = app
                .cursor
                .as_deref()
                .and_then(|c| ids.iter().position(|e| e == c))
                .unwrap_or(0);
            let page = areas.sidebar.map_or(10, |s| s.height as usize / 2);
            app.cursor = Some(ids[apply(i, m, page, ids.len() - 1)].clone());
        }
        Focus::Lesson => {
            let page = areas.lesson.height.saturating_sub(2) as usize;
            app.lesson.scroll = apply(app.lesson.scroll, m, page, app.lesson_max_scroll());
        }
        Focus::Check => {
            let inner = layout::inner(areas.check);
            let (lines, _) = check_view::content(app, inner.width as usize);
            let max = lines.len().saturating_sub(inner.height as usize);
            app.check_scroll = apply(app.check_scroll.min(max), m, inner.height as usize, max);
        }
    }
}

pub fn scroll_at(app: &mut App, up: bool, col: u16, row: u16) {
    let m = Motion::Lines(if up { -3 } else { 3 });
    if app.overlay.is_some() {
        overlay_scroll(app, m);
        return;
    }
    let a = layout::areas(app.size, app.focus);
    let at = ratatui::layout::Position::new(col, row);
    // The sidebar first: on a narrow window it lies over the lesson.
    if a.sidebar.is_some_and(|s| s.contains(at)) {
        sidebar_wheel(app, up);
    } else if a.lesson.contains(at) {
        move_pane(app, Focus::Lesson, m);
    } else if a.check.contains(at) {
        move_pane(app, Focus::Check, m);
    }
}

fn sidebar_wheel(app: &mut App, up: bool) {
    let ids: Vec<String> = app.course.exercises().map(|e| e.id.clone()).collect();
    if ids.is_empty() {
        return;
    }
    let i = app
        .cursor
        .as_deref()
        .and_then(|c| ids.iter().position(|e| e == c))
        .unwrap_or(0);
    let j = if up {
        i.saturating_sub(1)
    } else {
        (i + 1).min(ids.len() - 1)
    };
    app.cursor = Some(ids[j].clone());
}

fn overlay_scroll(app: &mut App, m: Motion) {
    let size = app.size;
    let page = layout::inner(layout::big_overlay(size)).height as usize;
    let max_solution = overlay_view::solution_max_scroll(app);
    let max_hints = overlay_view::hints_max_scroll(app);
    match &mut app.overlay {
        Some(Overlay::Solution { scroll, .. }) => {
            *scroll = apply((*scroll).min(max_solution), m, page, max_solution)
        }
        Some(Overlay::Hints { scroll, .. }) => {
            *scroll = apply((*scroll).min(max_hints), m, page, max_hints)
        }
        Some(Overlay::Search(s)) if !s.hits.is_empty() => {
            s.selected = apply(s.selected, m, page, s.hits.len() - 1);
        }
        _ => {}
    }
}

fn overlay_key(app: &mut App, k: Key, fx: &mut Vec<Effect>) {
    let Some(overlay) = app.overlay.as_mut() else {
        return;
    };
    match overlay {
        Overlay::Help => app.overlay = None,
        Overlay::ConfirmReset { exercise } => {
            if matches!(k, Key::Char('y') | Key::Char('Y')) {
                fx.push(Effect::Reset {
                    exercise: exercise.clone(),
                });
            }
            app.overlay = None;
        }
        Overlay::Hints { exercise, .. } => match k {
            Key::Char('h') => {
                let id = exercise.clone();
                next_hint(app, &id, fx);
            }
            Key::Esc | Key::Char('q') | Key::Enter => app.overlay = None,
            _ => {
                if let Some(m) = motion(k) {
                    overlay_scroll(app, m);
                }
            }
        },
        Overlay::Solution { .. } => match k {
            Key::Esc | Key::Char('q') | Key::Char('s') | Key::Enter => app.overlay = None,
            _ => {
                if let Some(m) = motion(k) {
                    overlay_scroll(app, m);
                }
            }
        },
        Overlay::Search(s) => match k {
            Key::Esc => app.overlay = None,
            Key::Enter => {
                let hit = s.hits.get(s.selected).cloned();
                app.overlay = None;
                match hit {
                    Some(Hit::Exercise { id, .. }) => {
                        open(app, &id, fx);
                        app.focus = Focus::Lesson;
                    }
                    Some(Hit::Lesson { part, offset, .. }) => {
                        app.lesson.part = part;
                        app.lesson.pending = Some(Target::Offset(offset));
                        app.focus = Focus::Lesson;
                    }
                    None => {}
                }
            }
            Key::Up | Key::Ctrl('p') => s.selected = s.selected.saturating_sub(1),
            Key::Down | Key::Ctrl('n') => {
                s.selected = (s.selected + 1).min(s.hits.len().saturating_sub(1))
            }
            Key::PageUp | Key::PageDown => overlay_scroll(
                app,
                if k == Key::PageUp {
                    Motion::Pages(-1)
                } else {
                    Motion::Pages(1)
                },
            ),
            Key::Backspace => {
                s.query.pop();
                s.update(&app.course, &app.lessons);
            }
            Key::Ctrl('u') => {
                s.query.clear();
                s.update(&app.course, &app.lessons);
            }
            Key::Char(c) => {
                s.query.push(c);
                s.update(&app.course, &app.lessons);
            }
            _ => {}
        },
    }
}
