//! The course as a tree: each part with a progress gauge and its exercises,
//! each with a state mark. An overall gauge on top.

use crate::tui::app::{App, Focus};
use crate::tui::theme;
use crate::tui::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, LineGauge, Paragraph};
use serverlings_core::course::{Course, Entry};
use serverlings_runner::progress::State;

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Part(usize),
    Gauge(usize),
    Exercise(String),
    /// A part announced in course.toml, not written yet.
    Planned(usize),
}

/// The parts in number order, written ones with their exercises, planned
/// ones as a single line.
pub fn rows(course: &Course) -> Vec<Row> {
    let mut out = vec![];
    for entry in course.outline() {
        match entry {
            Entry::Planned(j) => out.push(Row::Planned(j)),
            Entry::Part(i) => {
                out.push(Row::Part(i));
                out.push(Row::Gauge(i));
                let exercises = &course.parts[i].exercises;
                out.extend(exercises.iter().map(|e| Row::Exercise(e.id.clone())));
            }
        }
    }
    out
}

/// The mark of an exercise: running, done, failed or not started.
pub fn mark(app: &App, id: &str) -> Span<'static> {
    if app.is_running(id) {
        return Span::styled(SPINNER[app.tick % SPINNER.len()], theme::warn());
    }
    match app.progress.state(id) {
        State::Done => Span::styled("✓", theme::ok()),
        State::Failed => Span::styled("✗", theme::bad()),
        State::Pending => Span::styled("·", theme::dim()),
    }
}

fn done_in(app: &App, ids: impl Iterator<Item = String>) -> (usize, usize) {
    let mut done = 0;
    let mut total = 0;
    for id in ids {
        total += 1;
        if app.progress.state(&id) == State::Done {
            done += 1;
        }
    }
    (done, total)
}

fn gauge(done: usize, total: usize, label: String) -> LineGauge<'static> {
    LineGauge::default()
        .ratio(if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        })
        .label(label)
        .filled_style(theme::ok())
        .unfilled_style(theme::dim())
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Sidebar;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(" Exercises ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 8 {
        return;
    }
    let (done, total) = done_in(app, app.course.exercises().map(|e| e.id.clone()));
    frame.render_widget(
        gauge(done, total, format!("{done}/{total} ")),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let list = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2);
    let rows = rows(&app.course);
    let focus_row = app
        .cursor
        .as_ref()
        .or(app.opened.as_ref())
        .and_then(|id| {
            rows.iter()
                .position(|r| matches!(r, Row::Exercise(e) if e == id))
        })
        .unwrap_or(0);
    let h = list.height as usize;
    let offset = focus_row
        .saturating_sub(h / 2)
        .min(rows.len().saturating_sub(h));
    let w = list.width as usize;
    for (i, row) in rows.iter().enumerate().skip(offset).take(h) {
        let r = Rect::new(list.x, list.y + (i - offset) as u16, list.width, 1);
        match row {
            Row::Part(p) => {
                let part = &app.course.parts[*p];
                let title = format!("{:02} {}", part.number, part.title);
                frame.render_widget(
                    Paragraph::new(Line::from(Span::styled(truncate(&title, w), theme::bold()))),
                    r,
                );
            }
            Row::Planned(j) => {
                // "· coming" only where it fits whole; else the heading, cut.
                let part = &app.course.planned[*j];
                let label = part.label();
                let line = if wrap::width(&label) <= w {
                    label
                } else {
                    truncate(&part.heading(), w)
                };
                frame.render_widget(
                    Paragraph::new(Line::from(Span::styled(line, theme::dim()))),
                    r,
                );
            }
            Row::Gauge(p) => {
                let part = &app.course.parts[*p];
                let (d, t) = done_in(app, part.exercises.iter().map(|e| e.id.clone()));
                frame.render_widget(gauge(d, t, format!("   {d}/{t} ")), r);
            }
            Row::Exercise(id) => {
                let opened = app.opened.as_deref() == Some(id.as_str());
                let title = app.course.exercise(id).map_or("", |e| e.title.as_str());
                let name_style = if opened {
                    theme::accent().patch(theme::bold())
                } else {
                    Default::default()
                };
                let pointer = if opened {
                    Span::styled("▸", theme::accent())
                } else {
                    Span::raw(" ")
                };
                let mut spans = vec![
                    Span::raw(" "),
                    pointer,
                    Span::raw(" "),
                    mark(app, id),
                    Span::raw(" "),
                ];
                let name_w = w.saturating_sub(5);
                spans.push(Span::styled(truncate(id, name_w), name_style));
                let used = 5 + wrap::width(id).min(name_w);
                if w > used + 12 {
                    spans.push(Span::styled(
                        format!(" {}", truncate(title, w - used - 1)),
                        theme::dim(),
                    ));
                }
                let mut p = Paragraph::new(Line::from(spans));
                if focused && app.cursor.as_deref() == Some(id.as_str()) {
                    p = p.style(theme::selected());
                }
                frame.render_widget(p, r);
            }
        }
    }
}

/// Cuts `s` to `w` cells with an ellipsis.
pub fn truncate(s: &str, w: usize) -> String {
    if wrap::width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = wrap::width(c.encode_utf8(&mut [0; 4]));
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}
