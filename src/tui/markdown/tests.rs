//! Tests of the lesson renderer.

use super::*;
use crate::tui::highlight::test_highlighter;

fn plain(r: &Rendered) -> Vec<String> {
    r.lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

fn opts(width: usize) -> Options {
    Options {
        width,
        hyperlinks: false,
        colour: true,
    }
}

#[test]
fn renders_the_block_kinds() {
    let md = "# Title\n\nSome *em* and **strong** and `code`.\n\n- one\n- two\n  1. nested\n  2. more\n- [x] done\n- [ ] todo\n\n> **In Node.js** it is different.\n\n> a plain quote\n\n---\n\n| a | b |\n|---|--:|\n| x | 10 |\n";
    let mut hl = HighlightCache::default();
    let r = render(md, opts(40), &mut hl);
    let text = plain(&r);
    assert_eq!(
        text,
        [
            "Title",
            "",
            "Some em and strong and code.",
            "",
            "• one",
            "• two",
            "  1. nested",
            "  2. more",
            "☑ done",
            "☐ todo",
            "",
            "┃ In Node.js it is different.",
            "",
            "│ a plain quote",
            "",
            "────────────────────────────────────────",
            "",
            " a │  b",
            "───┼───",
            " x │ 10",
        ]
    );
    assert_eq!(r.headings[0].slug, "title");
    let node_bar = &r.lines[11].spans[0];
    assert_eq!(node_bar.style, theme::node_bar());
    let code = r.lines[2]
        .spans
        .iter()
        .find(|s| s.content == "code")
        .unwrap();
    assert_eq!(code.style, theme::inline_code());
}

#[test]
fn wraps_to_the_width_with_prefixes() {
    let md = "- a list item that is long enough to wrap around\n\n> quoted text that also wraps around the pane\n";
    let mut hl = HighlightCache::default();
    let text = plain(&render(md, opts(20), &mut hl));
    assert_eq!(
        text,
        [
            "• a list item that",
            "  is long enough to",
            "  wrap around",
            "",
            "│ quoted text that",
            "│ also wraps around",
            "│ the pane",
        ]
    );
}

#[test]
fn links_are_text_and_url_without_osc8() {
    let md = "See [the spec](https://example.org/rfc) and <https://x.org>.\n";
    let mut hl = HighlightCache::default();
    let r = render(md, opts(80), &mut hl);
    assert_eq!(
        plain(&r),
        ["See the spec (https://example.org/rfc) and https://x.org."]
    );
    assert!(r.links.is_empty());
    let r = render(
        md,
        Options {
            width: 80,
            hyperlinks: true,
            colour: true,
        },
        &mut hl,
    );
    assert_eq!(plain(&r), ["See the spec and https://x.org."]);
    assert_eq!(
        r.links[0],
        LinkArea {
            line: 0,
            col: 4,
            len: 8,
            url: "https://example.org/rfc".into()
        }
    );
}

#[test]
fn code_fences_are_highlighted_once_and_cut_to_the_width() {
    let md = "```rust\nfn main() { println!(\"a long line that does not fit\"); }\n```\n";
    let mut hl = HighlightCache::default();
    let r = render(md, opts(30), &mut hl);
    assert_eq!(plain(&r)[0], "╭─ rust");
    assert!(r.lines.iter().skip(1).all(|l| l.width() <= 30));
    hl.set_highlighter(test_highlighter());
    let r = render(md, opts(30), &mut hl);
    let coloured = r.lines[1]
        .spans
        .iter()
        .filter(|s| s.style.fg.is_some())
        .count();
    assert!(coloured > 1, "{:?}", r.lines[1]);
    render(md, opts(50), &mut hl);
    assert_eq!(
        hl.highlighted, 1,
        "a new width reuses the highlighted block"
    );
}

#[test]
fn tables_shrink_to_fit_and_wrap_cells() {
    let md = "| Method | Typical use |\n| --- | --- |\n| `GET`, `HEAD` | read a resource without changing it |\n";
    let mut hl = HighlightCache::default();
    let r = render(md, opts(30), &mut hl);
    assert!(r.lines.iter().all(|l| l.width() <= 30), "{:?}", plain(&r));
    assert!(plain(&r).len() > 3, "the long cell wraps: {:?}", plain(&r));
}

#[test]
fn offsets_and_sections_map_to_lines() {
    let md = "# A\n\ntext\n\n## Second part\n\nmore\n";
    let mut hl = HighlightCache::default();
    let r = render(md, opts(40), &mut hl);
    assert_eq!(r.line_of_section("second-part"), Some(4));
    assert_eq!(r.line_of_offset(md.find("more").unwrap()), 6);
}
