//! ANSI colour sequences (SGR) in compiler and test output to ratatui spans,
//! so rustc's errors keep their colours in the check pane. Other escape
//! sequences are dropped.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

fn basic(n: u16) -> Color {
    match n {
        0 => Color::Black,
        1 => Color::Red,
        2 => Color::Green,
        3 => Color::Yellow,
        4 => Color::Blue,
        5 => Color::Magenta,
        6 => Color::Cyan,
        _ => Color::Gray,
    }
}

fn bright(n: u16) -> Color {
    match n {
        0 => Color::DarkGray,
        1 => Color::LightRed,
        2 => Color::LightGreen,
        3 => Color::LightYellow,
        4 => Color::LightBlue,
        5 => Color::LightMagenta,
        6 => Color::LightCyan,
        _ => Color::White,
    }
}

/// Applies one SGR parameter list to `style`.
fn sgr(style: Style, params: &str) -> Style {
    let nums: Vec<u16> = params.split(';').map(|p| p.parse().unwrap_or(0)).collect();
    let mut s = style;
    let mut i = 0;
    while i < nums.len() {
        let n = nums[i];
        match n {
            0 => s = Style::new(),
            1 => s = s.add_modifier(Modifier::BOLD),
            2 => s = s.add_modifier(Modifier::DIM),
            3 => s = s.add_modifier(Modifier::ITALIC),
            4 => s = s.add_modifier(Modifier::UNDERLINED),
            7 => s = s.add_modifier(Modifier::REVERSED),
            22 => s = s.remove_modifier(Modifier::BOLD | Modifier::DIM),
            23 => s = s.remove_modifier(Modifier::ITALIC),
            24 => s = s.remove_modifier(Modifier::UNDERLINED),
            27 => s = s.remove_modifier(Modifier::REVERSED),
            30..=37 => s = s.fg(basic(n - 30)),
            39 => s.fg = None,
            40..=47 => s = s.bg(basic(n - 40)),
            49 => s.bg = None,
            90..=97 => s = s.fg(bright(n - 90)),
            100..=107 => s = s.bg(bright(n - 100)),
            38 | 48 => {
                let colour = match nums.get(i + 1) {
                    Some(5) => {
                        let c = nums.get(i + 2).map(|v| Color::Indexed(*v as u8));
                        i += 2;
                        c
                    }
                    Some(2) => {
                        let c = match (nums.get(i + 2), nums.get(i + 3), nums.get(i + 4)) {
                            (Some(r), Some(g), Some(b)) => {
                                Some(Color::Rgb(*r as u8, *g as u8, *b as u8))
                            }
                            _ => None,
                        };
                        i += 4;
                        c
                    }
                    _ => None,
                };
                if let Some(c) = colour {
                    s = if n == 38 { s.fg(c) } else { s.bg(c) };
                }
            }
            _ => {}
        }
        i += 1;
    }
    s
}

/// Parses text with ANSI sequences into lines of styled spans, starting
/// from `base`. Tabs become four spaces; escapes other than colours and
/// styles are dropped (see [`serverlings_core::ansi`]).
pub fn lines(text: &str, base: Style) -> Vec<Line<'static>> {
    use serverlings_core::ansi::{Segment, segments};
    let mut out = Vec::new();
    let mut style = base;
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let mut spans: Vec<Span<'static>> = Vec::new();
        for seg in segments(raw) {
            match seg {
                Segment::Text(t) => spans.push(Span::styled(t.replace('\t', "    "), style)),
                Segment::Sgr(params) => {
                    style = if params.is_empty() || params == "0" {
                        base
                    } else {
                        base.patch(sgr(style, &params))
                    };
                }
            }
        }
        out.push(Line::from(spans));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_rustc_colours_and_drops_other_escapes() {
        let text = "\x1b[0m\x1b[1m\x1b[38;5;9merror[E0308]\x1b[0m\x1b[0m\x1b[1m: mismatched types\x1b[0m\n  \x1b[1m\x1b[38;5;12m-->\x1b[0m src/main.rs:3:5\x1b[K";
        let ls = lines(text, Style::new());
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].spans[0].content, "error[E0308]");
        assert_eq!(ls[0].spans[0].style.fg, Some(Color::Indexed(9)));
        assert!(ls[0].spans[0].style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(ls[0].spans[1].content, ": mismatched types");
        assert_eq!(ls[0].spans[1].style.fg, None);
        let second: String = ls[1].spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(second, "  --> src/main.rs:3:5");
    }
}
