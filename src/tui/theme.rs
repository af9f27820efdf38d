//! Every colour and text style of the TUI in one place. Colours are the
//! terminal's own ANSI palette, so light and dark themes both read well;
//! with `NO_COLOR` the finished frame is stripped of colour (see
//! `strip_colours`), keeping bold, underline and reverse.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

pub fn heading(level: u8) -> Style {
    let s = Style::new().add_modifier(Modifier::BOLD);
    match level {
        1 => s.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
        2 => s.fg(Color::Cyan),
        _ => s,
    }
}

pub fn inline_code() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn link() -> Style {
    Style::new()
        .fg(Color::Blue)
        .add_modifier(Modifier::UNDERLINED)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn quote_bar() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// The bar of an "In Node.js" box.
pub fn node_bar() -> Style {
    Style::new().fg(Color::Green)
}

pub fn code_gutter() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn table_rule() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn table_header() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn ok() -> Style {
    Style::new().fg(Color::Green)
}

pub fn bad() -> Style {
    Style::new().fg(Color::Red)
}

pub fn warn() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn accent() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// The selected row of a list; reverse video stays visible without colour.
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// `NO_COLOR`: drop every foreground, background and underline colour of a
/// rendered frame, keep the modifiers.
pub fn strip_colours(buf: &mut Buffer) {
    for cell in &mut buf.content {
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
        cell.underline_color = Color::Reset;
    }
}
