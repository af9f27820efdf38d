//! Judging what the server wrote to stdout/stderr: some line meets an
//! assertion, no line leaks a secret, JSON log lines carry the right fields.

use serverlings_core::assert::{Mismatch, mismatch, text_assert};
use serverlings_core::response::Response;
use serverlings_core::spec::{Expect, JsonAssert};
use std::collections::HashMap;

/// Mismatches between the lines and the step's expectations. The second
/// value says whether waiting for more output could still help.
pub fn judge(
    lines: &[String],
    expect: &Expect,
    vars: &HashMap<String, String>,
) -> (Vec<Mismatch>, bool) {
    let e = &expect.output;
    let mut out = Vec::new();
    let mut could_improve = false;
    if let Some(min) = e.lines
        && lines.len() < min
    {
        out.push(mismatch(
            "output",
            format!("at least {min} line{}", if min == 1 { "" } else { "s" }),
            format!("{} lines", lines.len()),
        ));
        could_improve = true;
    }
    if let Some(a) = &e.line
        && !lines
            .iter()
            .any(|l| text_assert("a line", a, Some(l), vars).is_none())
    {
        let shown = match a {
            serverlings_core::spec::Assert::Matches(r) => {
                format!("a line matching /{}/", r.as_str())
            }
            serverlings_core::spec::Assert::Contains(t) => {
                format!("a line containing {:?}", t.render(vars))
            }
            serverlings_core::spec::Assert::Equals(t) => format!("the line {:?}", t.render(vars)),
            _ => "a line".into(),
        };
        out.push(mismatch("output", shown, last_lines(lines)));
        could_improve = true;
    }
    if !expect.json.is_empty() {
        let only_json = Expect {
            json: expect.json.clone(),
            ..Expect::default()
        };
        let mut best: Option<Vec<Mismatch>> = None;
        let mut json_lines = 0;
        for l in lines {
            if serde_json::from_str::<serde_json::Value>(l).is_err() {
                continue;
            }
            json_lines += 1;
            let resp = Response {
                body: l.as_bytes().to_vec(),
                ..Response::default()
            };
            let ms = serverlings_core::assert::judge(&resp, &only_json, vars);
            if ms.is_empty() {
                best = None;
                break;
            }
            if best.as_ref().is_none_or(|b| ms.len() < b.len()) {
                best = Some(ms);
            }
        }
        if json_lines == 0 {
            out.push(mismatch("output", "JSON log lines", last_lines(lines)));
            could_improve = true;
        } else if let Some(ms) = best {
            let want: Vec<String> = expect
                .json
                .iter()
                .map(|(p, a)| format!("{p} {}", describe(a)))
                .collect();
            out.push(mismatch(
                "output",
                format!("a JSON line with {}", want.join(", ")),
                format!(
                    "closest line: {}",
                    ms.iter()
                        .map(|m| format!("{} was {}", m.what.trim_start_matches("json "), m.actual))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ));
            could_improve = true;
        }
    }
    if let Some(a) = &e.no_line
        && let Some(bad) = lines
            .iter()
            .find(|l| text_assert("a line", a, Some(l), vars).is_none())
    {
        out.push(mismatch("output", "no line like this", bad.clone()));
    }
    (out, could_improve)
}

fn describe(a: &JsonAssert) -> String {
    match a {
        JsonAssert::Type(t) => format!("a {}", t.name()),
        JsonAssert::Len(n) => format!("of length {n}"),
        JsonAssert::Range(a, b) => format!(
            "in {}..={}",
            a.as_ref().map_or(String::new(), |x| x.to_string()),
            b.as_ref().map_or(String::new(), |x| x.to_string())
        ),
        JsonAssert::Near { value, .. } => format!("near {value}"),

        JsonAssert::Equals(v) => format!("= {v}"),
        JsonAssert::Text(_) => "as asserted".into(),
    }
}

fn last_lines(lines: &[String]) -> String {
    if lines.is_empty() {
        return "no output".into();
    }
    let tail: Vec<&str> = lines
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(String::as_str)
        .collect();
    format!("{} lines, the last: {}", lines.len(), tail.join(" | "))
}
