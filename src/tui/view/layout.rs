//! Where each pane goes for a window size. Pure, so `update` (widths for
//! wrapping, the pane under the mouse) and the views agree.

use crate::tui::app::Focus;
use ratatui::layout::Rect;

/// Below this the TUI says the window is too small.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Narrower than this, the sidebar shows only while it has the focus: at
/// 80 columns the lesson needs the room (code blocks are ~70 wide).
const SIDEBAR_ALWAYS: u16 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub sidebar: Option<Rect>,
    pub lesson: Rect,
    pub check: Rect,
    pub status: Rect,
}

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}

pub fn areas(size: (u16, u16), focus: Focus) -> Areas {
    let (w, h) = (size.0.max(1), size.1.max(3));
    let header = Rect::new(0, 0, w, 1);
    let status = Rect::new(0, h - 1, w, 1);
    let body_h = h - 2;
    let side_w = (w * 24 / 100).clamp(22, 32).min(w / 2);
    let docked = w >= SIDEBAR_ALWAYS;
    // Narrow windows: the sidebar is a drawer over the lesson while it has
    // the focus, so the lesson keeps its width (and its wrapping).
    let sidebar = if docked || focus == Focus::Sidebar {
        Some(Rect::new(0, 1, side_w, body_h))
    } else {
        None
    };
    let main_x = if docked { side_w } else { 0 };
    let main_w = w - main_x;
    let check_h = if focus == Focus::Check {
        body_h * 60 / 100
    } else {
        body_h * 40 / 100
    }
    .max(5)
    .min(body_h.saturating_sub(4));
    let lesson_h = body_h - check_h;
    Areas {
        header,
        sidebar,
        lesson: Rect::new(main_x, 1, main_w, lesson_h),
        check: Rect::new(main_x, 1 + lesson_h, main_w, check_h),
        status,
    }
}

/// Width of the lesson's text: the pane less its borders and a space of
/// padding on each side.
pub fn lesson_text_width(a: Areas) -> usize {
    a.lesson.width.saturating_sub(4) as usize
}

/// The text area of a pane with borders and one column of padding.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x + 2,
        r.y + 1,
        r.width.saturating_sub(4),
        r.height.saturating_sub(2),
    )
}

/// A centred overlay covering most of the window.
pub fn overlay(size: (u16, u16), max_w: u16, max_h: u16) -> Rect {
    let w = size.0.saturating_sub(4).min(max_w);
    let h = size.1.saturating_sub(2).min(max_h);
    Rect::new((size.0 - w) / 2, (size.1 - h) / 2, w, h)
}

/// The large overlay (solution, search) and its text width.
pub fn big_overlay(size: (u16, u16)) -> Rect {
    overlay(size, 100, size.1)
}

pub fn overlay_text_width(size: (u16, u16)) -> usize {
    inner(big_overlay(size)).width as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_window() {
        for size in [(60, 16), (80, 24), (120, 40), (250, 70)] {
            for focus in [Focus::Sidebar, Focus::Lesson, Focus::Check] {
                let a = areas(size, focus);
                assert_eq!(a.lesson.x + a.lesson.width, size.0);
                assert_eq!(a.check.y + a.check.height, size.1 - 1);
                assert!(
                    a.lesson.height >= 4 && a.check.height >= 4,
                    "{size:?} {a:?}"
                );
                if let Some(s) = a.sidebar
                    && size.0 >= SIDEBAR_ALWAYS
                {
                    assert_eq!(s.width, a.lesson.x);
                }
                let text = lesson_text_width(a);
                assert_eq!(
                    text,
                    lesson_text_width(areas(size, Focus::Lesson)),
                    "focus never re-wraps the lesson"
                );
            }
        }
        assert!(areas((60, 16), Focus::Lesson).sidebar.is_none());
        assert!(areas((80, 24), Focus::Lesson).sidebar.is_none());
        assert!(areas((120, 40), Focus::Lesson).sidebar.is_some());
        assert!(areas((60, 16), Focus::Sidebar).sidebar.is_some());
    }
}
