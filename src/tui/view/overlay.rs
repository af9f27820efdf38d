//! Windows over the panes: help, hints, the reset confirmation, the
//! reference solution and search.

use crate::tui::app::{App, Mode, Overlay};
use crate::tui::search::Hit;
use crate::tui::view::layout;
use crate::tui::view::sidebar::truncate;
use crate::tui::{strings, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn frame_box(frame: &mut Frame, area: Rect, title: &str) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::accent())
        .title(format!(" {title} "));
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    layout::inner(area)
}

pub fn draw(app: &App, frame: &mut Frame) {
    let size = (frame.area().width, frame.area().height);
    match &app.overlay {
        None => {}
        Some(Overlay::Help) => help(app, frame, size),
        Some(Overlay::Hints { exercise, scroll }) => {
            let area = layout::overlay(size, 90, size.1.saturating_sub(4));
            let inner = frame_box(frame, area, &format!("Hints · {exercise}"));
            let lines = hint_lines(app, exercise, inner.width as usize);
            let max = lines.len().saturating_sub(inner.height as usize);
            let visible: Vec<Line> = lines.into_iter().skip((*scroll).min(max)).collect();
            frame.render_widget(Paragraph::new(visible), inner);
        }
        Some(Overlay::ConfirmReset { exercise }) => {
            let dir = app
                .course
                .exercise(exercise)
                .map(|e| e.stub_dir())
                .unwrap_or_default();
            let text = strings::confirm_reset(exercise, &dir);
            let area = layout::overlay(size, 64, 12);
            let inner = frame_box(frame, area, "Reset?");
            frame.render_widget(
                Paragraph::new(wrap::lines(&text, Style::new(), inner.width as usize)),
                inner,
            );
        }
        Some(Overlay::Solution {
            exercise,
            rendered,
            scroll,
            ..
        }) => {
            let area = layout::big_overlay(size);
            let inner = frame_box(frame, area, &format!("Reference solution · {exercise}"));
            match rendered {
                None => frame.render_widget(Paragraph::new("loading…"), inner),
                Some((_, _, r)) => {
                    let max = r.lines.len().saturating_sub(inner.height as usize);
                    let visible: Vec<Line> = r
                        .lines
                        .iter()
                        .skip((*scroll).min(max))
                        .take(inner.height as usize)
                        .cloned()
                        .collect();
                    frame.render_widget(Paragraph::new(visible), inner);
                }
            }
        }
        Some(Overlay::Search(s)) => {
            let area = layout::big_overlay(size);
            let inner = frame_box(frame, area, "Search exercises and lessons");
            let w = inner.width as usize;
            let mut lines = vec![Line::from(vec![
                Span::styled("/ ", theme::key()),
                Span::raw(s.query.clone()),
                Span::styled("█", theme::accent()),
            ])];
            lines.push(Line::default());
            let h = inner.height.saturating_sub(2) as usize;
            if s.query.trim().is_empty() {
                lines.push(Line::from(Span::styled(
                    "Type a word: exercise ids and titles, and every lesson line.",
                    theme::dim(),
                )));
            } else if s.hits.is_empty() {
                lines.push(Line::from(Span::styled("Nothing found.", theme::dim())));
            }
            let offset = s.selected.saturating_sub(h.saturating_sub(1));
            for (i, hit) in s.hits.iter().enumerate().skip(offset).take(h) {
                let text = match hit {
                    Hit::Exercise { id, title } => format!("exercise  {id} — {title}"),
                    Hit::Lesson {
                        part,
                        section,
                        line,
                        ..
                    } => {
                        let n = app.course.parts.get(*part).map_or(0, |p| p.number);
                        format!("lesson {n:02}  {section}: {line}")
                    }
                };
                let style = if i == s.selected {
                    theme::selected()
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(truncate(&text, w), style)));
            }
            frame.render_widget(Paragraph::new(lines), inner);
        }
    }
}

fn help(app: &App, frame: &mut Frame, size: (u16, u16)) {
    let mut lines: Vec<Line> = strings::KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:<17} "), theme::key()),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("✓", theme::ok()),
        Span::raw(" done  "),
        Span::styled("✗", theme::bad()),
        Span::raw(" failed  "),
        Span::styled("⠋", theme::warn()),
        Span::raw(" running  "),
        Span::styled("·", theme::dim()),
        Span::raw(" not started  "),
        Span::styled("▸", theme::accent()),
        Span::raw(" on screen"),
    ]));
    let mode = match app.mode {
        Mode::Watch => "Every save in the exercise's folder runs its check.".to_string(),
        Mode::Poll => format!(
            "Every save runs the check; the watcher polls ({}).",
            app.notice.as_deref().unwrap_or("--poll")
        ),
        Mode::Manual => "Manual mode: only c runs the check.".to_string(),
    };
    lines.push(Line::from(Span::styled(mode, theme::dim())));
    // One spare line: the mode line may wrap on a narrow window.
    let area = layout::overlay(size, 72, lines.len() as u16 + 3);
    let inner = frame_box(frame, area, "Keys");
    // Columns line up: no wrapping here (the text fits 60 columns).
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The hints shown so far of an exercise, newest last.
pub fn hint_lines(app: &App, id: &str, width: usize) -> Vec<Line<'static>> {
    let Some(ex) = app.course.exercise(id) else {
        return vec![];
    };
    let shown = app.progress.hints_shown(id).clamp(1, ex.hints.len().max(1));
    let mut out = vec![];
    for (i, h) in ex.hints.iter().take(shown).enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        let chunks = [
            wrap::Chunk::new(format!("{}/{} ", i + 1, ex.hints.len()), theme::warn()),
            wrap::Chunk::new(h.clone(), Style::new()),
        ];
        out.extend(wrap::spans_to_lines(&chunks, width));
    }
    out.push(Line::default());
    let more = if shown < ex.hints.len() {
        "h: the next hint   Esc: close"
    } else {
        "That was the last hint.   Esc: close"
    };
    out.push(Line::from(Span::styled(more, theme::dim())));
    out
}

pub fn hints_max_scroll(app: &App) -> usize {
    let Some(Overlay::Hints { exercise, .. }) = &app.overlay else {
        return 0;
    };
    let size = app.size;
    let area = layout::overlay(size, 90, size.1.saturating_sub(4));
    let inner = layout::inner(area);
    hint_lines(app, exercise, inner.width as usize)
        .len()
        .saturating_sub(inner.height as usize)
}

pub fn solution_max_scroll(app: &App) -> usize {
    let Some(Overlay::Solution {
        rendered: Some((_, _, r)),
        ..
    }) = &app.overlay
    else {
        return 0;
    };
    let inner = layout::inner(layout::big_overlay(app.size));
    r.lines.len().saturating_sub(inner.height as usize)
}
