//! Terminal escape sequences in text that tools wrote for a terminal
//! (rustc's colours, a test harness's `--color always`): read once, here,
//! for whoever strips them (the test-output parser) or renders them (the
//! TUI).

/// A piece of a line: text to show, or a colour/style change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Printable text; tabs kept, other control characters dropped.
    Text(String),
    /// Select Graphic Rendition: the parameters of `ESC [ … m` (`"1;31"`).
    Sgr(String),
}

/// Splits `line` into text and SGR changes. Every other escape is dropped:
/// CSI sequences (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC ] … ESC \`,
/// hyperlinks and titles), and two- or three-byte escapes such as
/// `ESC ( B`, which terminfo's `sgr0` adds. Control characters but the tab
/// go too: `sgr0` for screen and tmux ends with SI (0x0F).
pub fn segments(line: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            if c == '\t' || !c.is_control() {
                text.push(c);
            }
            continue;
        }
        match chars.peek() {
            Some('[') => {
                chars.next();
                let mut params = String::new();
                let mut last = None;
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        last = Some(c);
                        break;
                    }
                    params.push(c);
                }
                if last == Some('m') {
                    if !text.is_empty() {
                        out.push(Segment::Text(std::mem::take(&mut text)));
                    }
                    out.push(Segment::Sgr(params));
                }
            }
            Some(']') => {
                chars.next();
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {
                while chars.peek().is_some_and(|c| (' '..='/').contains(c)) {
                    chars.next();
                }
                chars.next();
            }
        }
    }
    if !text.is_empty() {
        out.push(Segment::Text(text));
    }
    out
}

/// The text of `line` without any escape sequence.
pub fn strip(line: &str) -> String {
    segments(line)
        .into_iter()
        .filter_map(|s| match s {
            Segment::Text(t) => Some(t),
            Segment::Sgr(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_escape_form_a_terminal_tool_writes_is_read() {
        let l = "ok\u{1b}(B\u{1b}[m\u{f}. \u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{1b}\\\t!";
        assert_eq!(strip(l), "ok. link\t!");
        assert_eq!(
            segments("a\u{1b}[1;31mb\u{1b}[Kc"),
            vec![
                Segment::Text("a".into()),
                Segment::Sgr("1;31".into()),
                Segment::Text("bc".into())
            ]
        );
    }
}
