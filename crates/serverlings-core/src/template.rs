//! `{name}` placeholders in check specs. Only `{identifier}` is a
//! placeholder; any other brace is literal text, and `{{`/`}}` write a
//! literal `{`/`}` where it would otherwise read as a placeholder.
//! `{totp:name}` (or `{totp:name:-90}`, seconds from now) is the TOTP code
//! of the base32 secret held by `name`, computed when the template renders.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Var(String),
    /// The RFC 6238 code of the secret in a var, `offset` seconds from now.
    Totp {
        secret: String,
        offset: i64,
    },
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
                if let Some(piece) = totp_piece(name) {
                    if !lit.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut lit)));
                    }
                    pieces.push(piece);
                    rest = &rest[end + 2..];
                    continue;
                }
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

    /// The template as written (placeholders in braces).
    pub fn source(&self) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(&t.replace('{', "{{").replace('}', "}}")),
                Piece::Var(n) => out.push_str(&format!("{{{n}}}")),
                Piece::Totp { secret, offset: 0 } => out.push_str(&format!("{{totp:{secret}}}")),
                Piece::Totp { secret, offset } => {
                    out.push_str(&format!("{{totp:{secret}:{offset}}}"))
                }
            }
        }
        out
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var(n) => Some(n.as_str()),
            Piece::Totp { secret, .. } => Some(secret.as_str()),
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
                Piece::Totp { secret, offset } => {
                    let now = crate::tokens::unix_now().saturating_add(*offset);
                    match values.get(secret).and_then(|s| crate::tokens::totp(s, now)) {
                        Some(code) => out.push_str(&code),
                        // Not base32 (or not captured): visible in the report.
                        None => out.push_str(&format!("{{totp:{secret}}}")),
                    }
                }
            }
        }
        out
    }
}

/// `totp:name` or `totp:name:-90`.
fn totp_piece(inside: &str) -> Option<Piece> {
    let rest = inside.strip_prefix("totp:")?;
    let (name, offset) = match rest.split_once(':') {
        Some((n, o)) => (n, o.parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let ok = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(is_name_char);
    ok.then(|| Piece::Totp {
        secret: name.to_string(),
        offset,
    })
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
    fn totp_codes_render_from_a_secret() {
        use crate::tokens::{totp, unix_now};
        let t = Template::parse("{totp:seed} {totp:seed:-90} {totp:}");
        assert_eq!(t.names().collect::<Vec<_>>(), ["seed", "seed"]);
        let secret = "GEZDGNBVGY3TQOJQ";
        let vals = HashMap::from([("seed".to_string(), secret.to_string())]);
        let before = unix_now();
        let out = t.render(&vals);
        let after = unix_now();
        let parts: Vec<&str> = out.split(' ').collect();
        let codes = |offset: i64| [totp(secret, before + offset), totp(secret, after + offset)];
        assert!(codes(0).contains(&Some(parts[0].to_string())), "{out}");
        assert!(codes(-90).contains(&Some(parts[1].to_string())), "{out}");
        assert_eq!(parts[2], "{totp:}");
        let missing = Template::parse("{totp:nope}").render(&HashMap::new());
        assert_eq!(missing, "{totp:nope}");
    }

    #[test]
    fn unknown_at_render_is_left_visible() {
        let t = Template::parse("{id}");
        assert_eq!(t.render(&HashMap::new()), "{id}");
    }
}
