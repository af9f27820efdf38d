//! The header (course, watch mode) and the status line (the last message,
//! or the keys that apply now).

use crate::tui::app::{App, Mode, Overlay, Tone};
use crate::tui::view::sidebar::truncate;
use crate::tui::{strings, theme, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serverlings_runner::progress::State;

pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let (mode, style) = match (&app.mode, &app.notice) {
        (Mode::Manual, _) => ("manual: c checks".to_string(), theme::dim()),
        (Mode::Poll, Some(reason)) => (strings::polling(reason), theme::warn()),
        (Mode::Poll, None) => ("◌ polling for changes".to_string(), theme::warn()),
        (Mode::Watch, _) => ("● watching for saves".to_string(), theme::ok()),
    };
    let w = area.width as usize;
    let total = app.course.exercises().count();
    let done = app
        .course
        .exercises()
        .filter(|e| app.progress.state(&e.id) == State::Done)
        .count();
    let count = format!("{done}/{total} done · ");
    let mode = truncate(&mode, (w / 2).saturating_sub(wrap::width(&count)));
    let right_w = wrap::width(&count) + wrap::width(&mode) + 1;
    let mut left = vec![Span::styled(
        " serverlings",
        theme::accent().patch(theme::bold()),
    )];
    if !app.course.title.is_empty() {
        let room = w.saturating_sub(right_w + 15);
        left.push(Span::styled(
            format!(" · {}", truncate(&app.course.title, room)),
            theme::dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(left)), area);
    let right = Line::from(vec![
        Span::styled(count, theme::dim()),
        Span::styled(mode, style),
        Span::raw(" "),
    ]);
    frame.render_widget(Paragraph::new(right.right_aligned()), area);
}

/// The keys that apply now, most useful first.
pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    match &app.overlay {
        Some(Overlay::Help) => vec![("any key", "close")],
        Some(Overlay::Search(_)) => vec![
            ("type", "search"),
            ("↑↓", "select"),
            ("Enter", "open"),
            ("Esc", "close"),
        ],
        Some(Overlay::Hints { .. }) => vec![("h", "next hint"), ("↑↓", "scroll"), ("Esc", "close")],
        Some(Overlay::Solution { .. }) => vec![("↑↓ PgUp PgDn", "scroll"), ("Esc", "close")],
        Some(Overlay::ConfirmReset { .. }) => vec![("y", "reset"), ("n", "keep my work")],
        None => {
            let passed = app
                .opened
                .as_deref()
                .is_some_and(|id| app.progress.state(id) == State::Done);
            let mut v = vec![("?", "help"), ("e", "edit"), ("c", "check"), ("h", "hint")];
            if passed {
                v.insert(1, ("n", "next"));
                v.insert(2, ("s", "solution"));
            } else {
                v.push(("n/p", "next/prev"));
            }
            v.extend([
                ("Tab", "focus"),
                ("/", "search"),
                ("r", "reset"),
                ("q", "quit"),
            ]);
            v
        }
    }
}

pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let w = area.width as usize;
    if let Some((text, tone)) = &app.message {
        let style = match tone {
            Tone::Info => Style::new(),
            Tone::Good => theme::ok(),
            Tone::Bad => theme::bad(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(" {}", truncate(text, w.saturating_sub(2))),
                style,
            )),
            area,
        );
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (k, what) in hints(app) {
        let need = wrap::width(k) + wrap::width(what) + 3;
        if used + need > w {
            break;
        }
        spans.push(Span::styled(k, theme::key()));
        spans.push(Span::styled(format!(" {what}  "), theme::dim()));
        used += need;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
