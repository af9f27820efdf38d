//! The lesson pane: the rendered lesson at its scroll position, and above it
//! any content error (file:line:col with the line and a caret) so an
//! instructor sees it while editing.

use crate::tui::app::{App, Focus};
use crate::tui::theme;
use crate::tui::view::layout;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};

fn title(app: &App) -> String {
    match app.course.parts.get(app.lesson.part) {
        Some(p) => format!(" {:02} · {} ", p.number, p.title),
        None => " Lesson ".to_string(),
    }
}

/// The content errors as lines: the diagnostics as `lint` prints them,
/// with their gutters and carets kept.
fn problem_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let n = app.problems.len();
    let head = format!(
        "The course content has {n} problem{} (the last good version is shown where possible):",
        if n == 1 { "" } else { "s" }
    );
    let mut out = crate::tui::wrap::lines(&head, theme::bad().patch(theme::bold()), width);
    for d in &app.problems {
        for (i, l) in d.to_string().lines().enumerate() {
            let style = if i == 0 {
                theme::bad()
            } else {
                Default::default()
            };
            for part in crate::tui::wrap::cut(&[Span::styled(l.to_string(), style)], width) {
                out.push(Line::from(part));
            }
        }
    }
    out
}

/// Where the lesson text sits on screen (below any content errors).
pub fn text_area(app: &App, area: Rect) -> Rect {
    let inner = layout::inner(area);
    if app.problems.is_empty() {
        return inner;
    }
    let n = problem_lines(app, inner.width as usize).len() as u16;
    let top = (n + 1).min(inner.height / 2);
    Rect::new(inner.x, inner.y + top, inner.width, inner.height - top)
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Lesson;
    let lines = app
        .lesson
        .rendered
        .as_ref()
        .map_or(&[][..], |r| &r.lines[..]);
    let inner = layout::inner(area);
    let text = text_area(app, area);
    let h = text.height as usize;
    let scroll = app.lesson.scroll.min(lines.len().saturating_sub(1));
    let pct = if lines.len() <= h {
        100
    } else {
        ((scroll + h).min(lines.len()) * 100) / lines.len()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(title(app))
        .title_bottom(Line::from(format!(" {pct}% ")).right_aligned());
    frame.render_widget(block, area);
    if !app.problems.is_empty() {
        let top = Rect::new(inner.x, inner.y, inner.width, text.y - inner.y);
        frame.render_widget(
            Paragraph::new(problem_lines(app, inner.width as usize)),
            top,
        );
    }
    let visible: Vec<Line<'static>> = lines.iter().skip(scroll).take(h).cloned().collect();
    frame.render_widget(Paragraph::new(visible), text);
    if lines.len() > h {
        let mut state = ScrollbarState::new(lines.len().saturating_sub(h)).position(scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .thumb_style(theme::border(focused))
                .track_symbol(None),
            Rect::new(
                area.x,
                area.y + 1,
                area.width,
                area.height.saturating_sub(2),
            ),
            &mut state,
        );
    }
}

/// Links visible on screen: (x, y, width, url), for OSC 8.
pub fn visible_links(app: &App, area: Rect) -> Vec<(u16, u16, u16, String)> {
    let Some(r) = app.lesson.rendered.as_ref() else {
        return vec![];
    };
    let text = text_area(app, area);
    let scroll = app.lesson.scroll;
    r.links
        .iter()
        .filter(|l| l.line >= scroll && l.line < scroll + text.height as usize)
        .filter(|l| l.col < text.width as usize)
        .map(|l| {
            let len = l.len.min(text.width as usize - l.col);
            (
                text.x + l.col as u16,
                text.y + (l.line - scroll) as u16,
                len as u16,
                l.url.clone(),
            )
        })
        .collect()
}
