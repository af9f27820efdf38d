//! `lessons/<NN-slug>/part.toml`: a part's title and its exercises, in order.
//! Pure: takes text, returns data or diagnostics.

use crate::diag::{self, Diagnostic};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartToml {
    pub title: Spanned<String>,
    #[serde(default)]
    pub summary: String,
    /// The lesson file, relative to the part's folder.
    #[serde(default = "default_lesson")]
    pub lesson: Spanned<String>,
    #[serde(default)]
    pub exercises: Vec<ExerciseToml>,
}

fn default_lesson() -> Spanned<String> {
    Spanned::new(0..0, "lesson.md".to_string())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseToml {
    pub id: Spanned<String>,
    pub title: String,
    /// The slug of the lesson heading this exercise practises.
    pub section: Spanned<String>,
    pub hints: Spanned<Vec<String>>,
    /// The check spec's name under `checks/<part>/`; defaults to the id.
    pub check: Option<Spanned<String>>,
    /// Services the check needs (`postgres`, `redis`, `rabbitmq`, `mysql`).
    #[serde(default = "no_services")]
    pub services: Spanned<Vec<String>>,
}

fn no_services() -> Spanned<Vec<String>> {
    Spanned::new(0..0, vec![])
}

pub const KNOWN_SERVICES: [&str; 4] = ["postgres", "redis", "rabbitmq", "mysql"];

/// Parses a part file; every semantic problem found is returned, not just the first.
pub fn parse(file: &str, text: &str) -> Result<PartToml, Vec<Diagnostic>> {
    let part: PartToml =
        toml::from_str(text).map_err(|e| vec![diag::from_toml_error(file, text, &e)])?;
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for ex in &part.exercises {
        let id = ex.id.get_ref();
        if !is_valid_id(id) {
            problems.push(
                Diagnostic::new(file, text, Some(ex.id.span()), format!("`{id}` is not a valid exercise id"))
                    .with_help("use lowercase letters, digits and dashes, e.g. \"raw-server\"; it is also the crate's name"),
            );
        }
        if seen.contains(&id.as_str()) {
            problems.push(
                Diagnostic::new(file, text, Some(ex.id.span()), format!("exercise `{id}` is listed twice"))
                    .with_help("give each exercise its own id; the order of [[exercises]] is the order learners see"),
            );
        }
        seen.push(id);
        if ex.hints.get_ref().len() < 2 {
            problems.push(
                Diagnostic::new(
                    file,
                    text,
                    Some(ex.hints.span()),
                    format!("exercise `{id}` has fewer than two hints"),
                )
                .with_help(
                    "write at least two progressive hints: where to look, then how to do it",
                ),
            );
        }
        if let Some(i) = ex.hints.get_ref().iter().position(|h| h.trim().is_empty()) {
            problems.push(
                Diagnostic::new(
                    file,
                    text,
                    Some(ex.hints.span()),
                    format!("hint {} of `{id}` is empty", i + 1),
                )
                .with_help("remove the empty string or write the hint"),
            );
        }
        for s in ex.services.get_ref() {
            if !KNOWN_SERVICES.contains(&s.as_str()) {
                let help = match diag::did_you_mean(s, KNOWN_SERVICES) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!("known services: {}", KNOWN_SERVICES.join(", ")),
                };
                problems.push(
                    Diagnostic::new(
                        file,
                        text,
                        Some(ex.services.span()),
                        format!("unknown service `{s}`"),
                    )
                    .with_help(help),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(part)
    } else {
        Err(problems)
    }
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "HTTP in depth"

[[exercises]]
id = "raw-server"
title = "A server on a raw socket"
section = "a-server-on-a-raw-socket"
hints = ["one", "two"]
"#;

    #[test]
    fn parses_a_part() {
        let p = parse("part.toml", GOOD).unwrap();
        assert_eq!(p.title.get_ref(), "HTTP in depth");
        assert_eq!(p.exercises[0].id.get_ref(), "raw-server");
        assert_eq!(p.lesson.get_ref(), "lesson.md");
    }

    #[test]
    fn unknown_key_gets_a_suggestion_and_a_location() {
        let bad = GOOD.replace("hints =", "hintz =");
        let errs = parse("lessons/02-http/part.toml", &bad).unwrap_err();
        let text = errs[0].to_string();
        assert!(text.contains("unknown key `hintz`"), "{text}");
        assert!(text.contains("did you mean `hints`?"), "{text}");
        assert!(text.contains("lessons/02-http/part.toml:8:1"), "{text}");
    }

    #[test]
    fn reports_every_semantic_problem() {
        let bad = GOOD.replace(
            "hints = [\"one\", \"two\"]",
            "hints = [\"one\"]\nservices = [\"postgress\"]",
        ) + "\n[[exercises]]\nid = \"raw-server\"\ntitle = \"t\"\nsection = \"s\"\nhints = [\"a\", \"b\"]\n";
        let errs = parse("part.toml", &bad).unwrap_err();
        let all: Vec<String> = errs.iter().map(|e| e.message.clone()).collect();
        assert!(
            all.iter().any(|m| m.contains("fewer than two hints")),
            "{all:?}"
        );
        assert!(
            all.iter()
                .any(|m| m.contains("unknown service `postgress`")),
            "{all:?}"
        );
        assert!(all.iter().any(|m| m.contains("listed twice")), "{all:?}");
        assert!(
            errs.iter()
                .any(|e| e.help.as_deref() == Some("did you mean `postgres`?"))
        );
    }

    #[test]
    fn broken_toml_points_at_the_error() {
        let errs = parse("part.toml", "title = \"x\n").unwrap_err();
        assert_eq!(errs[0].line_col().map(|(l, _)| l), Some(1));
    }
}
