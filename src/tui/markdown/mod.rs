//! Our lesson renderer: markdown (pulldown-cmark) to ratatui lines at a
//! given width. Headings, emphasis, inline code, nested/ordered/task lists,
//! block quotes ("In Node.js" boxes get their own colour), tables with
//! wrapped cells, links (OSC 8 where the terminal supports it, `text (url)`
//! otherwise), rules and highlighted code fences.
//!
//! Rendering is a pure function of the text, the options and the highlight
//! cache; the result is kept by the caller until the width or the text
//! changes, so scrolling only slices `Rendered::lines`.

mod table;

use crate::tui::highlight::HighlightCache;
use crate::tui::theme;
use crate::tui::wrap::{self, Chunk};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options as MdOptions, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Width of the pane in cells.
    pub width: usize,
    /// Emit OSC 8 hyperlinks (the view writes them) instead of `text (url)`.
    pub hyperlinks: bool,
    /// Without colour, inline code keeps its backticks to stand out.
    pub colour: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub title: String,
    pub slug: String,
    pub line: usize,
}

/// Where a hyperlink sits in the rendered lines, for OSC 8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkArea {
    pub line: usize,
    pub col: usize,
    pub len: usize,
    pub url: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub headings: Vec<Heading>,
    /// (source byte offset of a block, first line of that block), in order.
    pub anchors: Vec<(usize, usize)>,
    pub links: Vec<LinkArea>,
}

impl Rendered {
    /// The first line of the block holding source offset `offset`.
    pub fn line_of_offset(&self, offset: usize) -> usize {
        let i = self.anchors.partition_point(|(o, _)| *o <= offset);
        if i == 0 { 0 } else { self.anchors[i - 1].1 }
    }

    pub fn line_of_section(&self, slug: &str) -> Option<usize> {
        self.headings
            .iter()
            .find(|h| h.slug == slug)
            .map(|h| h.line)
    }
}

enum Container {
    Quote { node: bool },
    Item { bullet: String, first: bool },
}

#[derive(Default)]
struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Chunk>>>,
    row: Vec<Vec<Chunk>>,
    header_rows: usize,
}

struct Renderer<'a> {
    src: &'a str,
    opts: Options,
    hl: &'a mut HighlightCache,
    out: Rendered,
    containers: Vec<Container>,
    lists: Vec<Option<u64>>,
    inline: Vec<Chunk>,
    styles: Vec<Style>,
    urls: Vec<String>,
    open_links: Vec<(usize, usize)>,
    code: Option<(String, String)>,
    table: Option<Table>,
    heading: Option<u8>,
    html: bool,
    blank_pending: bool,
}

pub fn render(src: &str, opts: Options, hl: &mut HighlightCache) -> Rendered {
    let mut r = Renderer {
        src,
        opts: Options {
            width: opts.width.max(10),
            ..opts
        },
        hl,
        out: Rendered::default(),
        containers: vec![],
        lists: vec![],
        inline: vec![],
        styles: vec![],
        urls: vec![],
        open_links: vec![],
        code: None,
        table: None,
        heading: None,
        html: false,
        blank_pending: false,
    };
    let md =
        MdOptions::ENABLE_TABLES | MdOptions::ENABLE_TASKLISTS | MdOptions::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(src, md).into_offset_iter() {
        r.event(event, range);
    }
    r.flush_inline();
    r.out
}

fn is_web(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, patch: Style) {
        let s = self.style().patch(patch);
        self.styles.push(s);
    }

    fn text(&mut self, text: &str, style: Style) {
        let link = self.open_links.last().map(|(id, _)| *id);
        self.inline.push(Chunk {
            text: text.to_string(),
            style,
            link,
        });
    }

    /// The prefix of the next line (quote bars, bullets) and its width.
    fn prefix(&mut self, consume: bool) -> (Vec<Span<'static>>, usize) {
        let mut spans = vec![];
        let mut w = 0;
        for c in &mut self.containers {
            match c {
                Container::Quote { node } => {
                    let style = if *node {
                        theme::node_bar()
                    } else {
                        theme::quote_bar()
                    };
                    spans.push(Span::styled(if *node { "┃ " } else { "│ " }, style));
                    w += 2;
                }
                Container::Item { bullet, first } => {
                    let bw = wrap::width(bullet);
                    if *first && consume {
                        spans.push(Span::styled(bullet.clone(), theme::accent()));
                        *first = false;
                    } else {
                        spans.push(Span::raw(" ".repeat(bw)));
                    }
                    w += bw;
                }
            }
        }
        (spans, w)
    }

    fn avail(&mut self) -> usize {
        let (_, w) = self.prefix(false);
        self.opts.width.saturating_sub(w).max(4)
    }

    fn emit(&mut self, content: Vec<Span<'static>>) {
        let (mut spans, _) = self.prefix(true);
        spans.extend(content);
        self.out.lines.push(Line::from(spans));
    }

    fn emit_chunks(&mut self, chunks: Vec<Chunk>) {
        let (mut spans, mut col) = self.prefix(true);
        let line = self.out.lines.len();
        for c in chunks {
            let w = wrap::width(&c.text);
            if let Some(id) = c.link {
                match self.out.links.last_mut() {
                    Some(l) if l.line == line && l.col + l.len == col && l.url == self.urls[id] => {
                        l.len += w;
                    }
                    _ => self.out.links.push(LinkArea {
                        line,
                        col,
                        len: w,
                        url: self.urls[id].clone(),
                    }),
                }
            }
            col += w;
            spans.push(Span::styled(c.text, c.style));
        }
        self.out.lines.push(Line::from(spans));
    }

    fn blank(&mut self) {
        let spans: Vec<Span<'static>> = self
            .containers
            .iter()
            .map(|c| match c {
                Container::Quote { node: true } => Span::styled("┃", theme::node_bar()),
                Container::Quote { node: false } => Span::styled("│", theme::quote_bar()),
                Container::Item { bullet, .. } => Span::raw(" ".repeat(wrap::width(bullet))),
            })
            .collect();
        let trimmed: Vec<Span<'static>> =
            match spans.iter().rposition(|s| !s.content.trim().is_empty()) {
                Some(i) => spans[..=i].to_vec(),
                None => vec![],
            };
        self.out.lines.push(Line::from(trimmed));
    }

    fn block_start(&mut self, offset: usize) {
        self.flush_inline();
        if self.blank_pending {
            self.blank();
            self.blank_pending = false;
        }
        self.out.anchors.push((offset, self.out.lines.len()));
    }

    fn flush_inline(&mut self) {
        if self.inline.iter().all(|c| c.text.trim().is_empty()) {
            self.inline.clear();
            return;
        }
        let chunks = std::mem::take(&mut self.inline);
        let width = self.avail();
        for line in wrap::wrap(&chunks, width) {
            self.emit_chunks(line);
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some((_, code)) = self.code.as_mut() {
                    code.push_str(&t);
                } else if self.html {
                    let s = theme::dim();
                    self.text(&t, s);
                } else {
                    let s = self.style();
                    self.text(&t, s);
                }
            }
            Event::Code(t) => {
                let s = self.style().patch(theme::inline_code());
                if self.opts.colour {
                    self.text(&t, s);
                } else {
                    self.text(&format!("`{t}`"), s);
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                if !t.trim_start().starts_with("<!--") {
                    self.text(t.trim_end_matches('\n'), theme::dim());
                }
            }
            Event::SoftBreak => self.text(" ", Style::new()),
            Event::HardBreak => self.text("\n", Style::new()),
            Event::Rule => {
                self.block_start(range.start);
                let w = self.avail();
                self.emit(vec![Span::styled("─".repeat(w), theme::dim())]);
                self.blank_pending = true;
            }
            Event::TaskListMarker(done) => {
                if let Some(Container::Item { bullet, .. }) = self.containers.last_mut() {
                    *bullet = if done { "☑ " } else { "☐ " }.to_string();
                }
            }
            Event::FootnoteReference(t) => {
                let s = theme::dim();
                self.text(&format!("[{t}]"), s);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                let s = self.style().patch(theme::inline_code());
                self.text(&t, s);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::Paragraph => self.block_start(range.start),
            Tag::Heading { level, .. } => {
                self.block_start(range.start);
                let level = level as u8;
                self.heading = Some(level);
                self.push_style(theme::heading(level));
            }
            Tag::BlockQuote(_) => {
                self.block_start(range.start);
                let body = self.src[range.clone()]
                    .trim_start_matches(|c: char| c == '>' || c == '*' || c.is_whitespace());
                self.containers.push(Container::Quote {
                    node: body.starts_with("In Node"),
                });
            }
            Tag::CodeBlock(kind) => {
                self.block_start(range.start);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([',', ' ']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::HtmlBlock => {
                self.block_start(range.start);
                self.html = true;
            }
            Tag::List(first) => {
                if self.lists.is_empty() {
                    self.block_start(range.start);
                } else {
                    self.flush_inline();
                }
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush_inline();
                if self.blank_pending {
                    self.blank();
                    self.blank_pending = false;
                }
                let depth = self.lists.len();
                let bullet = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let b = format!("{n}. ");
                        *n += 1;
                        b
                    }
                    _ => match depth {
                        0 | 1 => "• ",
                        2 => "◦ ",
                        _ => "▪ ",
                    }
                    .to_string(),
                };
                self.containers.push(Container::Item {
                    bullet,
                    first: true,
                });
            }
            Tag::Emphasis => self.push_style(Style::new().add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(Style::new().add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(Style::new().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                self.urls.push(dest_url.to_string());
                self.open_links
                    .push((self.urls.len() - 1, self.inline.len()));
                self.push_style(theme::link());
            }
            Tag::Image { .. } => {
                let s = theme::dim();
                self.text("[image: ", s);
                self.push_style(theme::dim());
            }
            Tag::Table(aligns) => {
                self.block_start(range.start);
                self.table = Some(Table {
                    aligns,
                    ..Table::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                }
            }
            Tag::TableCell => self.inline.clear(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush_inline();
                self.blank_pending = true;
            }
            TagEnd::Heading(_) => {
                let title: String = self.inline.iter().map(|c| c.text.as_str()).collect();
                let line = self.out.lines.len();
                self.flush_inline();
                self.styles.pop();
                self.out.headings.push(Heading {
                    level: self.heading.take().unwrap_or(1),
                    slug: serverlings_core::course::lesson::slug(&title),
                    title,
                    line,
                });
                self.blank_pending = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush_inline();
                self.containers.pop();
                self.blank_pending = true;
            }
            TagEnd::CodeBlock => {
                if let Some((lang, code)) = self.code.take() {
                    self.code_block(&lang, &code);
                }
                self.blank_pending = true;
            }
            TagEnd::HtmlBlock => {
                self.flush_inline();
                self.html = false;
                self.blank_pending = true;
            }
            TagEnd::List(_) => {
                self.flush_inline();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank_pending = true;
                }
            }
            TagEnd::Item => {
                self.flush_inline();
                self.containers.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link => self.end_link(),
            TagEnd::Image => {
                self.styles.pop();
                let s = theme::dim();
                self.text("]", s);
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(t) = self.table.as_mut() {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(std::mem::take(&mut t.row));
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(std::mem::take(&mut t.row));
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.table_block(t);
                }
                self.blank_pending = true;
            }
            _ => {}
        }
    }

    fn end_link(&mut self) {
        self.styles.pop();
        let Some((id, start)) = self.open_links.pop() else {
            return;
        };
        let url = self.urls[id].clone();
        let osc8 = self.opts.hyperlinks && is_web(&url) && self.table.is_none();
        if osc8 {
            return;
        }
        let start = start.min(self.inline.len());
        let text: String = self.inline[start..]
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        for c in &mut self.inline[start..] {
            c.link = None;
        }
        let shown = url.trim_start_matches("mailto:");
        if !url.starts_with('#') && text.trim() != shown {
            let s = theme::dim();
            self.text(&format!(" ({shown})"), s);
            if let Some(last) = self.inline.last_mut() {
                last.link = None;
            }
        }
    }

    fn code_block(&mut self, lang: &str, code: &str) {
        let code = code.strip_suffix('\n').unwrap_or(code);
        let label = lang.trim();
        if !label.is_empty() && label != "text" {
            self.emit(vec![
                Span::styled("╭─ ", theme::code_gutter()),
                Span::styled(label.to_string(), theme::dim()),
            ]);
        }
        let highlighted = self.hl.get(lang, code);
        let lines: Vec<Vec<Span<'static>>> = match &highlighted {
            Some(h) => h.as_ref().clone(),
            None => code
                .split('\n')
                .map(|l| vec![Span::raw(l.replace('\t', "    "))])
                .collect(),
        };
        let width = self.avail().saturating_sub(2).max(4);
        for line in lines {
            for part in wrap::cut(&line, width) {
                let mut spans = vec![Span::styled("│ ", theme::code_gutter())];
                spans.extend(part);
                self.emit(spans);
            }
        }
    }

    fn table_block(&mut self, t: Table) {
        let avail = self.avail();
        for line in table::layout(&t.rows, &t.aligns, t.header_rows, avail) {
            self.emit(line);
        }
    }
}

#[cfg(test)]
mod tests;
