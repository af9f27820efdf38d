//! `{name}` placeholders in check specs. Only `{identifier}` is a
//! placeholder; any other brace is literal text, and `{{`/`}}` write a
//! literal `{`/`}` where it would otherwise read as a placeholder.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Var(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

impl Template {
    pub fn parse(text: &str) -> Template {
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("{{") || rest.starts_with("}}") {
                lit.push(c);
                rest = &rest[2..];
                continue;
            }
            if c == '{'
                && let Some(end) = rest[1..].find('}')
            {
                let name = &rest[1..1 + end];
                if !name.is_empty()
                    && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(is_name_char)
                {
                    if !lit.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut lit)));
                    }
                    pieces.push(Piece::Var(name.to_string()));
                    rest = &rest[end + 2..];
                    continue;
                }
            }
            lit.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !lit.is_empty() {
            pieces.push(Piece::Text(lit));
        }
        Template { pieces }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(n) => Some(n.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// Fills the placeholders. Names were checked when the spec was parsed,
    /// so a missing one (a capture that failed) renders as `{name}`.
    pub fn render(&self, values: &HashMap<String, String>) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(n) => match values.get(n) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(n);
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_literal_braces() {
        let t = Template::parse("/echo/{word}?x={{y}} {\"a\": 1} {not a name}");
        let names: Vec<_> = t.names().collect();
        assert_eq!(names, ["word"]);
        let vals = HashMap::from([("word".to_string(), "hi".to_string())]);
        assert_eq!(t.render(&vals), "/echo/hi?x={y} {\"a\": 1} {not a name}");
    }

    #[test]
    fn unknown_at_render_is_left_visible() {
        let t = Template::parse("{id}");
        assert_eq!(t.render(&HashMap::new()), "{id}");
    }
}
