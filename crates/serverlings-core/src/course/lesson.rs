//! What the runner needs to know about a lesson's markdown: its sections
//! (headings and their slugs) and its code fences. Pure.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub level: u8,
    pub title: String,
    pub slug: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    pub lang: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonOutline {
    pub sections: Vec<Section>,
    pub fences: Vec<Fence>,
    /// Relative link targets (not URLs, not anchors) with their spans.
    pub links: Vec<(String, Range<usize>)>,
}

/// The slug of a heading: lowercase, spaces to `-`, punctuation dropped.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

pub fn outline(markdown: &str) -> LessonOutline {
    let mut outline = LessonOutline::default();
    let mut heading: Option<(u8, String, Range<usize>)> = None;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(markdown, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((heading_level(level), String::new(), range));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title, span)) = heading.take() {
                    let slug = slug(&title);
                    outline.sections.push(Section {
                        level,
                        title,
                        slug,
                        span,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title, _)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([',', ' ']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                outline.fences.push(Fence { lang, span: range });
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let dest = dest_url.to_string();
                if !dest.contains("://") && !dest.starts_with('#') && !dest.starts_with("mailto:") {
                    outline.links.push((dest, range));
                }
            }
            _ => {}
        }
    }
    outline
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_what_instructors_write() {
        assert_eq!(slug("Parsing a request"), "parsing-a-request");
        assert_eq!(slug("HTTP/1.1 vs HTTP/2: why?"), "http11-vs-http2-why");
        assert_eq!(
            slug("  `Idempotency-Key` replay "),
            "idempotency-key-replay"
        );
    }

    #[test]
    fn finds_sections_fences_and_local_links() {
        let md = "# Part\n\n## Routing by hand\n\n```rust\nfn main() {}\n```\n\n```\nplain\n```\n\n[spec](docs/x.md) [web](https://x.org)\n";
        let o = outline(md);
        let slugs: Vec<_> = o.sections.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["part", "routing-by-hand"]);
        let langs: Vec<_> = o.fences.iter().map(|f| f.lang.as_str()).collect();
        assert_eq!(langs, ["rust", ""]);
        assert_eq!(o.links.len(), 1);
        assert_eq!(o.links[0].0, "docs/x.md");
    }
}
