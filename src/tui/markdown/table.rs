//! A markdown table laid out in a width: columns as wide as their content,
//! the widest shrunk first (never below their longest word, up to 14 cells)
//! when the table does not fit, cells wrapped, a rule under the header.

use crate::tui::theme;
use crate::tui::wrap::{self, Chunk};
use pulldown_cmark::Alignment;
use ratatui::text::Span;

/// The lines of a table (without any prefix), at most `avail` cells wide
/// when the columns can shrink that far.
pub fn layout(
    rows: &[Vec<Vec<Chunk>>],
    aligns: &[Alignment],
    header_rows: usize,
    avail: usize,
) -> Vec<Vec<Span<'static>>> {
    let mut out = vec![];
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if ncols == 0 {
        return out;
    }
    let plain = |cell: &[Chunk]| -> String { cell.iter().map(|c| c.text.as_str()).collect() };
    let mut widths = vec![1usize; ncols];
    let mut mins = vec![1usize; ncols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let text = plain(cell);
            widths[i] = widths[i].max(wrap::width(&text));
            let longest = text.split_whitespace().map(wrap::width).max().unwrap_or(1);
            mins[i] = mins[i].max(longest.min(14));
        }
    }
    let total = |w: &[usize]| 1 + w.iter().sum::<usize>() + 3 * (w.len() - 1);
    while total(&widths) > avail {
        let shrinkable = (0..ncols)
            .filter(|&i| widths[i] > mins[i])
            .max_by_key(|&i| widths[i] - mins[i]);
        let i = match shrinkable {
            Some(i) => i,
            None => match (0..ncols)
                .filter(|&i| widths[i] > 3)
                .max_by_key(|&i| widths[i])
            {
                Some(i) => i,
                None => break,
            },
        };
        widths[i] -= 1;
        mins[i] = mins[i].min(widths[i]);
    }
    for (r, row) in rows.iter().enumerate() {
        let header = r < header_rows;
        let cells: Vec<Vec<Vec<Chunk>>> = (0..ncols)
            .map(|i| {
                let mut cell: Vec<Chunk> = row.get(i).cloned().unwrap_or_default();
                for c in &mut cell {
                    c.link = None;
                    if header {
                        c.style = c.style.patch(theme::table_header());
                    }
                }
                wrap::wrap(&cell, widths[i])
            })
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for l in 0..height {
            let mut spans = vec![Span::raw(" ")];
            for (i, cell) in cells.iter().enumerate() {
                let chunks = cell.get(l).cloned().unwrap_or_default();
                let w: usize = chunks.iter().map(|c| wrap::width(&c.text)).sum();
                let pad = widths[i].saturating_sub(w);
                let (left, right) = match aligns.get(i) {
                    Some(Alignment::Right) => (pad, 0),
                    Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                if left > 0 {
                    spans.push(Span::raw(" ".repeat(left)));
                }
                spans.extend(chunks.into_iter().map(|c| Span::styled(c.text, c.style)));
                if i + 1 < ncols {
                    spans.push(Span::raw(" ".repeat(right)));
                    spans.push(Span::styled(" │ ", theme::table_rule()));
                }
            }
            out.push(spans);
        }
        if header && r + 1 == header_rows {
            let rule: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(i, w)| "─".repeat(if i + 1 == ncols { w + 1 } else { w + 2 }))
                .collect();
            out.push(vec![Span::styled(rule.join("┼"), theme::table_rule())]);
        }
    }
    out
}
