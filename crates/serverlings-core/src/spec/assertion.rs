//! The assertions inside `expect`: on text (`equals`, `contains`, `matches`,
//! …), on JSON values (types, lengths, ranges, `near`), and the whole numbers
//! a count may be written as.

use super::parse::{Ctx, toml_to_json};
use super::step::check_json_templates;
use super::{Assert, Bound, JsonAssert, JsonType, Number, Tolerance};
use crate::diag;
use std::ops::Range;
use toml::Spanned;

pub(super) fn assertion(cx: &mut Ctx, v: &Spanned<toml::Value>) -> Option<Assert> {
    let span = v.span();
    match v.get_ref() {
        toml::Value::String(s) => Some(Assert::Equals(cx.template_str(s, span))),
        toml::Value::Table(t) if t.len() == 1 => {
            let (k, val) = t.iter().next()?;
            match (k.as_str(), val) {
                ("equals", toml::Value::String(s)) => {
                    Some(Assert::Equals(cx.template_str(s, span)))
                }
                ("contains", toml::Value::String(s)) => {
                    Some(Assert::Contains(cx.template_str(s, span)))
                }
                ("not_contains", toml::Value::String(s)) => {
                    Some(Assert::NotContains(cx.template_str(s, span)))
                }
                ("matches", toml::Value::String(s)) => match regex::Regex::new(s) {
                    Ok(r) => Some(Assert::Matches(r)),
                    Err(e) => {
                        cx.err(
                            span,
                            format!("invalid regular expression: {e}"),
                            "fix the pattern (Rust regex syntax)",
                        );
                        None
                    }
                },
                ("exists", toml::Value::Boolean(true)) => Some(Assert::Exists),
                ("absent", toml::Value::Boolean(true)) => Some(Assert::Absent),
                (k, _) => {
                    let keys = [
                        "equals",
                        "contains",
                        "not_contains",
                        "matches",
                        "exists",
                        "absent",
                    ];

                    let help = match diag::did_you_mean(k, keys) {
                        Some(m) if m != k => format!("did you mean `{m}`?"),
                        _ => {
                            "use equals/contains/matches = \"text\", exists = true or absent = true"
                                .to_string()
                        }
                    };
                    cx.err(span, format!("`{k}` is not an assertion here"), help);
                    None
                }
            }
        }
        _ => {
            cx.err(
                span,
                "an assertion is a string or a table with one key",
                "e.g. \"text/plain\" or { contains = \"gzip\" }",
            );
            None
        }
    }
}

/// A number, or a template that renders to one when the step runs.
fn bound(cx: &mut Ctx, v: &toml::Value, span: Range<usize>) -> Option<Bound> {
    match v {
        toml::Value::Integer(i) => Some(Bound::Num(*i as f64)),
        toml::Value::Float(f) => Some(Bound::Num(*f)),
        toml::Value::String(s) if s.contains('{') => Some(Bound::Var(cx.template_str(s, span))),
        _ => {
            cx.err(
                span,
                "a bound is a number or a placeholder",
                "e.g. { min = 1, max = 60 } or { max = \"{limit}\" }",
            );
            None
        }
    }
}

pub(super) fn json_assertion(cx: &mut Ctx, v: &Spanned<toml::Value>) -> Option<JsonAssert> {
    let span = v.span();
    match v.get_ref() {
        toml::Value::Table(t) if t.len() == 1 && t.contains_key("type") => {
            let ty = match t.get("type").and_then(|x| x.as_str()) {
                Some("string") => JsonType::String,
                Some("number") => JsonType::Number,
                Some("bool") => JsonType::Bool,
                Some("array") => JsonType::Array,
                Some("object") => JsonType::Object,
                Some("null") => JsonType::Null,
                _ => {
                    cx.err(
                        span,
                        "unknown JSON type",
                        "use string, number, bool, array, object or null",
                    );
                    return None;
                }
            };
            Some(JsonAssert::Type(ty))
        }
        toml::Value::Table(t) if t.len() == 1 && t.contains_key("len") => {
            match t.get("len").and_then(|x| x.as_integer()) {
                Some(n) if n >= 0 => Some(JsonAssert::Len(n as usize)),
                _ => {
                    cx.err(span, "`len` takes a whole number", "e.g. { len = 3 }");
                    None
                }
            }
        }
        toml::Value::Table(t) if !t.is_empty() && t.keys().all(|k| k == "min" || k == "max") => {
            let min = t.get("min").and_then(|x| bound(cx, x, span.clone()));
            let max = t.get("max").and_then(|x| bound(cx, x, span.clone()));
            if t.len() != usize::from(min.is_some()) + usize::from(max.is_some()) {
                return None;
            }
            Some(JsonAssert::Range(min, max))
        }
        toml::Value::Table(t) if t.contains_key("near") => {
            let value = bound(cx, &t["near"], span.clone())?;
            let tolerance = match t.get("tolerance") {
                Some(toml::Value::String(p)) if p.ends_with('%') => {
                    match p.trim_end_matches('%').trim().parse::<f64>() {
                        Ok(f) if f >= 0.0 => Tolerance::Fraction(f / 100.0),
                        _ => {
                            cx.err(
                                span,
                                format!("`{p}` is not a percentage"),
                                "e.g. tolerance = \"25%\"",
                            );
                            return None;
                        }
                    }
                }
                Some(x)
                    if x.as_float()
                        .or(x.as_integer().map(|i| i as f64))
                        .is_some_and(|f| f >= 0.0) =>
                {
                    Tolerance::Absolute(
                        x.as_float()
                            .or(x.as_integer().map(|i| i as f64))
                            .unwrap_or(0.0),
                    )
                }
                _ => {
                    cx.err(
                        span,
                        "`near` needs a `tolerance`: a percentage or an absolute amount",
                        "e.g. { near = \"{p99}\", tolerance = \"25%\" } or tolerance = 5",
                    );
                    return None;
                }
            };
            if let Some(k) = t.keys().find(|k| *k != "near" && *k != "tolerance") {
                cx.err(
                    span,
                    format!("`{k}` does not go with `near`"),
                    "a near assertion takes near and tolerance",
                );
                return None;
            }
            Some(JsonAssert::Near { value, tolerance })
        }
        toml::Value::String(_) | toml::Value::Table(_) => assertion(cx, v).map(JsonAssert::Text),
        other => {
            let value = toml_to_json(other);
            check_json_templates(cx, &value, span);
            Some(JsonAssert::Equals(value))
        }
    }
}

/// A whole number of at least `min`, or a template (checked when the step
/// runs, once its vars and captures have values).
pub(super) fn number(cx: &mut Ctx, raw: &Option<Spanned<toml::Value>>, min: i64) -> Option<Number> {
    let v = raw.as_ref()?;
    match v.get_ref() {
        toml::Value::Integer(n) if *n >= min => Some(Number::Lit(*n)),
        toml::Value::Integer(n) => {
            cx.err(
                v.span(),
                format!("{n} is below {min}"),
                format!("write {min} or more"),
            );
            None
        }
        toml::Value::String(s) => Some(Number::Var(cx.template_str(s, v.span()))),
        other => {
            cx.err(
                v.span(),
                format!("expected a whole number, found {}", other.type_str()),
                "a number (3) or a template that gives one (\"{code}\")",
            );
            None
        }
    }
}
