//! Syntax highlighting of lesson code fences with syntect and two-face's
//! extra syntaxes (TOML, Dockerfile, YAML, SQL, HTTP, TypeScript, ...).
//!
//! Highlighting happens on a worker thread (`worker`): fences render plain
//! until their highlighted lines arrive. Every highlighted block is kept in
//! a `HighlightCache` keyed by its language and text: scrolling and resizing
//! never highlight again, and editing a lesson only highlights the fences
//! that changed.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme};
use syntect::parsing::{SyntaxReference, SyntaxSet};

/// One highlighted line of code: its spans, without the newline.
pub type CodeLine = Vec<Span<'static>>;

pub struct Highlighter {
    syntaxes: SyntaxSet,
    theme: Theme,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Highlighter")
    }
}

impl Highlighter {
    /// Loads the syntaxes and the `ansi` theme (the terminal's own palette).
    pub fn load() -> Highlighter {
        let themes = two_face::theme::extra();
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
            theme: themes.get(two_face::theme::EmbeddedThemeName::Ansi).clone(),
        }
    }

    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let lang = lang.trim().to_ascii_lowercase();
        let token = match lang.as_str() {
            "" | "text" | "plain" | "txt" => return None,
            "shell" | "bash" | "zsh" | "console" | "shell-session" => "sh",
            "ts" => "typescript",
            "js" | "node" => "javascript",
            "yml" => "yaml",
            "docker" | "containerfile" => "dockerfile",
            "psql" | "postgres" | "postgresql" => "sql",
            other => other,
        };
        self.syntaxes
            .find_syntax_by_token(token)
            .or_else(|| self.syntaxes.find_syntax_by_extension(token))
    }

    /// Highlights `code` as `lang`; `None` for plain text or an unknown
    /// language.
    pub fn highlight(&self, lang: &str, code: &str) -> Option<Vec<CodeLine>> {
        let syntax = self.syntax(lang)?;
        let mut h = HighlightLines::new(syntax, &self.theme);
        let mut out = Vec::new();
        for line in syntect::util::LinesWithEndings::from(code) {
            let regions = h.highlight_line(line, &self.syntaxes).ok()?;
            let spans = regions
                .into_iter()
                .filter_map(|(style, text)| {
                    let text = text.trim_end_matches(['\n', '\r']).replace('\t', "    ");
                    (!text.is_empty()).then(|| Span::styled(text, convert(style)))
                })
                .collect();
            out.push(spans);
        }
        Some(out)
    }
}

/// The `ansi` theme encodes palette colours as `#RR000000` (alpha 0: palette
/// index RR) and the terminal's default as alpha 1, like bat does.
fn colour(c: syntect::highlighting::Color) -> Option<Color> {
    match c.a {
        0 => Some(match c.r {
            0 => Color::Black,
            1 => Color::Red,
            2 => Color::Green,
            3 => Color::Yellow,
            4 => Color::Blue,
            5 => Color::Magenta,
            6 => Color::Cyan,
            7 => Color::Gray,
            n => Color::Indexed(n),
        }),
        1 => None,
        _ => Some(Color::Rgb(c.r, c.g, c.b)),
    }
}

fn convert(s: syntect::highlighting::Style) -> Style {
    let mut style = Style::new();
    if let Some(fg) = colour(s.foreground) {
        style = style.fg(fg);
    }
    if s.font_style.contains(FontStyle::BOLD) {
        style = style.add_modifier(Modifier::BOLD);
    }
    if s.font_style.contains(FontStyle::ITALIC) {
        style = style.add_modifier(Modifier::ITALIC);
    }
    if s.font_style.contains(FontStyle::UNDERLINE) {
        style = style.add_modifier(Modifier::UNDERLINED);
    }
    style
}

/// A block to highlight, by its cache key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub key: u64,
    pub lang: String,
    pub code: String,
}

/// Highlighted blocks by (language, text): `None` for a language without a
/// syntax (shown plain). A miss is answered plain at once and queued for
/// the highlight worker (`worker`), whose results arrive as an action; with
/// a highlighter set (tests), misses are highlighted on the spot.
#[derive(Debug, Default)]
pub struct HighlightCache {
    highlighter: Option<Arc<Highlighter>>,
    blocks: HashMap<u64, Option<Arc<Vec<CodeLine>>>>,
    requested: std::collections::HashSet<u64>,
    wanted: Vec<Request>,
    /// How many blocks were highlighted (not served from the cache).
    pub highlighted: usize,
    /// Bumped whenever highlighted blocks arrive: renderings made before
    /// are out of date.
    pub generation: u64,
}

fn key(lang: &str, code: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (lang, code).hash(&mut hasher);
    hasher.finish()
}

fn plain(lang: &str) -> bool {
    matches!(lang.trim(), "" | "text" | "plain" | "txt")
}

impl HighlightCache {
    /// Highlights misses on the spot instead of asking the worker (tests).
    #[cfg(test)]
    pub fn set_highlighter(&mut self, h: Arc<Highlighter>) {
        self.highlighter = Some(h);
        self.wanted.clear();
        self.requested.clear();
        self.generation += 1;
    }

    /// The highlighted lines of a block, from the cache when it was seen
    /// before; `None` for plain text and while the worker is on it.
    pub fn get(&mut self, lang: &str, code: &str) -> Option<Arc<Vec<CodeLine>>> {
        if plain(lang) {
            return None;
        }
        let k = key(lang, code);
        if let Some(lines) = self.blocks.get(&k) {
            return lines.clone();
        }
        if let Some(h) = &self.highlighter {
            let lines = h.highlight(lang, code).map(Arc::new);
            self.highlighted += 1;
            self.blocks.insert(k, lines.clone());
            return lines;
        }
        if self.requested.insert(k) {
            self.wanted.push(Request {
                key: k,
                lang: lang.to_string(),
                code: code.to_string(),
            });
        }
        None
    }

    /// The misses to send to the worker.
    pub fn take_wanted(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.wanted)
    }

    /// Results from the worker.
    pub fn insert(&mut self, results: Vec<(u64, Option<Vec<CodeLine>>)>) {
        for (k, lines) in results {
            self.requested.remove(&k);
            self.blocks.insert(k, lines.map(Arc::new));
            self.highlighted += 1;
        }
        self.generation += 1;
    }
}

/// How long the worker keeps the syntaxes after its last request.
const KEEP: std::time::Duration = std::time::Duration::from_millis(500);

/// Starts the highlight worker. It loads the syntaxes when a request comes
/// (tens of ms, off the UI thread), highlights every batch that arrives
/// while it has them, sends each result back as one `Action::Highlighted`,
/// and lets them go after `KEEP` of quiet. The compiled regexes of a few
/// syntaxes take tens of MB (Bash alone ~12 MB); results are cached by the
/// app, so holding them between lessons would only cost memory.
pub fn worker(
    actions: std::sync::mpsc::Sender<crate::tui::action::Action>,
) -> std::sync::mpsc::Sender<Vec<Request>> {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<Request>>();
    std::thread::Builder::new()
        .name("highlight".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let h = Highlighter::load();
                let mut batch = Some(first);
                while let Some(requests) = batch.take() {
                    let results = requests
                        .into_iter()
                        .map(|r| (r.key, h.highlight(&r.lang, &r.code)))
                        .collect();
                    if actions
                        .send(crate::tui::action::Action::Highlighted(results))
                        .is_err()
                    {
                        return;
                    }
                    batch = rx.recv_timeout(KEEP).ok();
                }
                drop(h);
                give_back_memory();
            }
        })
        .expect("spawn the highlight thread");
    tx
}

/// Returns freed heap pages to the system, so the resident size shrinks
/// once the syntaxes are dropped (glibc keeps them otherwise).
fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// One highlighter for all tests of a run (loading takes a while).
#[cfg(test)]
pub fn test_highlighter() -> Arc<Highlighter> {
    static H: std::sync::OnceLock<Arc<Highlighter>> = std::sync::OnceLock::new();
    H.get_or_init(|| Arc::new(Highlighter::load())).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coloured(lines: &[CodeLine]) -> usize {
        lines
            .iter()
            .flatten()
            .filter(|s| s.style.fg.is_some())
            .count()
    }

    #[test]
    fn highlights_every_language_the_course_uses() {
        let h = test_highlighter();
        let samples = [
            ("rust", "fn main() { let x = 1; }"),
            ("toml", "[package]\nname = \"x\"\n"),
            ("sql", "SELECT id FROM notes WHERE id = 1;"),
            ("json", "{\"a\": [1, true, null]}"),
            ("yaml", "a: 1\nb: [x, y]\n"),
            ("http", "GET / HTTP/1.1\nHost: x\n"),
            ("sh", "curl -i localhost:8080/echo/hi # try it"),
            ("dockerfile", "FROM rust:1.85\nRUN cargo build\n"),
            ("typescript", "const x: number = 1;"),
            ("javascript", "const x = require('x');"),
        ];
        for (lang, code) in samples {
            let lines = h
                .highlight(lang, code)
                .unwrap_or_else(|| panic!("no syntax for {lang}"));
            assert!(coloured(&lines) > 0, "{lang} came out without colour");
        }
        assert!(h.highlight("text", "plain").is_none());
    }

    #[test]
    fn the_cache_highlights_each_block_once() {
        let mut cache = HighlightCache::default();
        assert!(
            cache.get("rust", "fn a() {}").is_none(),
            "plain until the worker answers"
        );
        assert_eq!(cache.take_wanted().len(), 1);
        assert!(cache.get("rust", "fn a() {}").is_none());
        assert!(cache.take_wanted().is_empty(), "asked once");
        cache.set_highlighter(test_highlighter());
        let a = cache.get("rust", "fn a() {}").unwrap();
        let b = cache.get("rust", "fn a() {}").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(cache.highlighted, 1);
        cache.get("toml", "fn a() {}").unwrap();
        assert_eq!(cache.highlighted, 2);
    }

    #[test]
    fn the_worker_answers_requests() {
        let (tx, rx) = std::sync::mpsc::channel();
        let w = worker(tx);
        let mut cache = HighlightCache::default();
        assert!(cache.get("toml", "a = 1").is_none());
        w.send(cache.take_wanted()).unwrap();
        match rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap() {
            crate::tui::action::Action::Highlighted(results) => cache.insert(results),
            other => panic!("{other:?}"),
        }
        assert!(cache.get("toml", "a = 1").is_some());
        assert_eq!(cache.generation, 1);
    }
}
