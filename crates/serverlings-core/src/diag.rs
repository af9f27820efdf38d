//! Content errors that point at `file:line:col`, show the line and a caret,
//! and say what to do. Pure: rendering takes the source text, never reads files.

use std::fmt;
use std::ops::Range;

/// One problem in a content file (lesson, part metadata, check spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path shown to the user, relative to the course root.
    pub file: String,
    /// Byte range in `source`; empty ranges point at a single position.
    pub span: Option<Range<usize>>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The file's text, kept so the diagnostic can print the offending line.
    source: String,
}

impl Diagnostic {
    pub fn new(
        file: &str,
        source: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            span,
            message: message.into(),
            help: None,
            source: source.to_string(),
        }
    }

    /// A problem about a whole file (missing, unreadable).
    pub fn file_level(file: &str, message: impl Into<String>) -> Self {
        Diagnostic::new(file, "", None, message)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let start = self.span.as_ref()?.start.min(self.source.len());
        let before = &self.source[..floor_char_boundary(&self.source, start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Some((line, col))
    }

    /// `file:line:col` (or just `file`).
    pub fn location(&self) -> String {
        match self.line_col() {
            Some((l, c)) => format!("{}:{}:{}", self.file, l, c),
            None => self.file.clone(),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        let gutter = self.line_col().map_or(1, |(l, _)| l.to_string().len());
        writeln!(f, "{:gutter$}--> {}", "", self.location())?;
        if let (Some((line_no, col)), Some(span)) = (self.line_col(), &self.span) {
            let line = self.source.lines().nth(line_no - 1).unwrap_or("");
            let width = {
                let start = floor_char_boundary(&self.source, span.start.min(self.source.len()));
                let end =
                    floor_char_boundary(&self.source, span.end.min(self.source.len()).max(start));
                let text = &self.source[start..end];
                let first_line = text.split('\n').next().unwrap_or("");
                first_line.chars().count().max(1)
            };
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{line_no} | {line}")?;
            writeln!(
                f,
                "{:gutter$} | {}{}",
                "",
                " ".repeat(col - 1),
                "^".repeat(width)
            )?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{:gutter$} = help: {help}", "")?;
        }
        Ok(())
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough
/// to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let max = (word.len() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: a swap of two neighbours costs one,
/// like an insertion, deletion or substitution.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Turns a `toml` deserialisation error into a diagnostic, with a "did you
/// mean" for unknown keys.
pub fn from_toml_error(file: &str, source: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim().to_string();
    let mut diag = Diagnostic::new(file, source, err.span(), message.clone());
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        diag.message = format!("unknown key `{field}`");
        diag.help = Some(match did_you_mean(field, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if candidates.is_empty() => "remove this key".to_string(),
            None => format!("expected one of: {}", candidates.join(", ")),
        });
    } else if message.starts_with("unknown variant `") {
        diag.help = Some("use one of the values listed above".to_string());
    } else if message.starts_with("missing field `") {
        let field = message
            .trim_start_matches("missing field `")
            .trim_end_matches('`');
        diag.message = format!("missing key `{field}`");
        diag.help = Some(format!("add `{field} = ...` to this table"));
    } else {
        diag.help = Some("fix the TOML syntax at this position".to_string());
    }
    diag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column_with_a_caret() {
        let src = "a = 1\nstatus = \"x\"\n";
        let d = Diagnostic::new("checks/x.toml", src, Some(15..18), "bad value")
            .with_help("use a number");
        assert_eq!(d.location(), "checks/x.toml:2:10");
        let text = d.to_string();
        assert!(text.contains("2 | status = \"x\""), "{text}");
        assert!(text.contains("|          ^^^"), "{text}");
        assert!(text.contains("  = help: use a number"), "{text}");
        assert!(text.contains(" --> checks/x.toml:2:10"), "{text}");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("sttaus", ["status", "headers"]),
            Some("status")
        );
        assert_eq!(did_you_mean("zzz", ["status", "headers"]), None);
    }
}
