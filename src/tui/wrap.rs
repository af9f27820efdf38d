//! Word wrapping of styled text to a width in terminal cells. Breaks only at
//! spaces (a word split across styles, like `**bold**,`, stays whole), keeps
//! `\n` as a hard break, and cuts a word longer than the width where it must.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A run of text in one style; `link` ties it to a link of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub text: String,
    pub style: Style,
    pub link: Option<usize>,
}

impl Chunk {
    pub fn new(text: impl Into<String>, style: Style) -> Chunk {
        Chunk {
            text: text.into(),
            style,
            link: None,
        }
    }
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

enum Token {
    Word(Vec<Chunk>, usize),
    Space,
    Break,
}

fn tokens(chunks: &[Chunk]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Vec<Chunk> = Vec::new();
    let mut word_w = 0;
    let flush = |out: &mut Vec<Token>, word: &mut Vec<Chunk>, w: &mut usize| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word), *w));
            *w = 0;
        }
    };
    for c in chunks {
        let mut piece = String::new();
        for ch in c.text.chars() {
            if ch == '\n' || ch == ' ' || ch == '\t' {
                if !piece.is_empty() {
                    word_w += width(&piece);
                    word.push(Chunk {
                        text: std::mem::take(&mut piece),
                        style: c.style,
                        link: c.link,
                    });
                }
                flush(&mut out, &mut word, &mut word_w);
                out.push(if ch == '\n' {
                    Token::Break
                } else {
                    Token::Space
                });
            } else {
                piece.push(ch);
            }
        }
        if !piece.is_empty() {
            word_w += width(&piece);
            word.push(Chunk {
                text: piece,
                style: c.style,
                link: c.link,
            });
        }
    }
    flush(&mut out, &mut word, &mut word_w);
    out
}

/// Cuts chunks into pieces of at most `width` cells each.
fn hard_split(word: Vec<Chunk>, width: usize) -> Vec<(Vec<Chunk>, usize)> {
    let width = width.max(1);
    let mut parts = vec![];
    let mut cur: Vec<Chunk> = vec![];
    let mut cur_w = 0;
    for c in word {
        let mut piece = String::new();
        for ch in c.text.chars() {
            let w = ch.width().unwrap_or(0);
            if cur_w + w > width && (cur_w > 0 || !piece.is_empty()) {
                if !piece.is_empty() {
                    cur.push(Chunk {
                        text: std::mem::take(&mut piece),
                        style: c.style,
                        link: c.link,
                    });
                }
                parts.push((std::mem::take(&mut cur), cur_w));
                cur_w = 0;
            }
            piece.push(ch);
            cur_w += w;
        }
        if !piece.is_empty() {
            cur.push(Chunk {
                text: piece,
                style: c.style,
                link: c.link,
            });
        }
    }
    if !cur.is_empty() {
        parts.push((cur, cur_w));
    }
    parts
}

/// Wraps `chunks` into lines of at most `width` cells.
pub fn wrap(chunks: &[Chunk], width: usize) -> Vec<Vec<Chunk>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Chunk>> = vec![];
    let mut cur: Vec<Chunk> = vec![];
    let mut cur_w = 0;
    let mut space_pending = false;
    for t in tokens(chunks) {
        match t {
            Token::Space => space_pending = true,
            Token::Break => {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
                space_pending = false;
            }
            Token::Word(word, w) => {
                let gap = usize::from(space_pending && cur_w > 0);
                if cur_w + gap + w <= width {
                    if gap == 1 {
                        // A space inside a link belongs to the link.
                        let before = cur.last().map(|c| (c.link, c.style));
                        let after = word.first().map(|c| c.link);
                        let mut space = Chunk::new(" ", Style::new());
                        if let Some((Some(l), style)) = before
                            && after == Some(Some(l))
                        {
                            space.link = Some(l);
                            space.style = style;
                        }
                        cur.push(space);
                    }
                    cur.extend(word);
                    cur_w += gap + w;
                } else {
                    if cur_w > 0 {
                        lines.push(std::mem::take(&mut cur));
                        cur_w = 0;
                    }
                    if w <= width {
                        cur = word;
                        cur_w = w;
                    } else {
                        let mut parts = hard_split(word, width);
                        let last = parts.pop();
                        lines.extend(parts.into_iter().map(|(p, _)| p));
                        if let Some((p, pw)) = last {
                            cur = p;
                            cur_w = pw;
                        }
                    }
                }
                space_pending = false;
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Wraps plain text in one style into ratatui lines.
pub fn lines(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    spans_to_lines(&[Chunk::new(text, style)], width)
}

/// Wraps chunks into ratatui lines (links dropped).
pub fn spans_to_lines(chunks: &[Chunk], width: usize) -> Vec<Line<'static>> {
    wrap(chunks, width)
        .into_iter()
        .map(|l| {
            Line::from(
                l.into_iter()
                    .map(|c| Span::styled(c.text, c.style))
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

/// Cuts one line of spans into lines of at most `width` cells, character by
/// character (code, compiler output): no word boundaries, nothing dropped.
pub fn cut(spans: &[Span<'static>], width: usize) -> Vec<Vec<Span<'static>>> {
    let chunks: Vec<Chunk> = spans
        .iter()
        .map(|s| Chunk::new(s.content.to_string(), s.style))
        .collect();
    let total: usize = chunks.iter().map(|c| self::width(&c.text)).sum();
    if total <= width {
        return vec![spans.to_vec()];
    }
    hard_split(chunks, width)
        .into_iter()
        .map(|(p, _)| {
            p.into_iter()
                .map(|c| Span::styled(c.text, c.style))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn text(lines: &[Vec<Chunk>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_keeps_styled_words_whole() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let chunks = [
            Chunk::new("one two ", Style::new()),
            Chunk::new("three", bold),
            Chunk::new(", four five", Style::new()),
        ];
        assert_eq!(text(&wrap(&chunks, 10)), ["one two", "three,", "four five"]);
        let l = wrap(&chunks, 10);
        assert_eq!(l[1][0].style, bold);
    }

    #[test]
    fn cuts_long_words_and_honours_hard_breaks() {
        let chunks = [Chunk::new("abcdefghij k\nl", Style::new())];
        assert_eq!(text(&wrap(&chunks, 4)), ["abcd", "efgh", "ij k", "l"]);
    }

    #[test]
    fn wide_characters_count_as_two_cells() {
        let chunks = [Chunk::new("日本語 ab", Style::new())];
        assert_eq!(text(&wrap(&chunks, 6)), ["日本語", "ab"]);
    }

    #[test]
    fn cut_splits_code_without_losing_characters() {
        let spans = vec![Span::raw("let x = 1;"), Span::raw(" // y")];
        let parts = cut(&spans, 6);
        let joined: String = parts.iter().flatten().map(|s| s.content.as_ref()).collect();
        assert_eq!(joined, "let x = 1; // y");
        assert!(parts.len() == 3);
    }
}
