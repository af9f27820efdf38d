//! The screen as a pure function of the state: `draw(app, frame)`.

pub mod check;
pub mod layout;
pub mod lesson;
pub mod overlay;
pub mod sidebar;
pub mod status;

#[cfg(test)]
pub mod tests;

use crate::tui::app::App;
use crate::tui::{strings, theme};
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let size = (area.width, area.height);
    if layout::too_small(size) {
        let text = strings::too_small(size.0, size.1);
        let top = area.height.saturating_sub(3) / 2;
        let r = ratatui::layout::Rect::new(0, top, area.width, area.height - top);
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            r,
        );
    } else {
        let a = layout::areas(size, app.focus);
        status::header(app, frame, a.header);
        lesson::draw(app, frame, a.lesson);
        check::draw(app, frame, a.check);
        if let Some(s) = a.sidebar {
            frame.render_widget(ratatui::widgets::Clear, s);
            sidebar::draw(app, frame, s);
        }
        status::footer(app, frame, a.status);
        overlay::draw(app, frame);
    }
    if !app.colour {
        theme::strip_colours(frame.buffer_mut());
    }
}
