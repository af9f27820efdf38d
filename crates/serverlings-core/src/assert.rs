//! Judging a response against a step's `expect`: every mismatch as data.

use crate::json_path;
use crate::response::{Response, show_bytes};
use crate::spec::{Assert, Encoding, Expect, JsonAssert, JsonType};
use std::collections::HashMap;
use std::io::Read;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What was looked at: `status`, `header content-type`, `body`, `json $.id`.
    pub what: String,
    pub expected: String,
    pub actual: String,
}

pub fn mismatch(
    what: impl Into<String>,
    expected: impl Into<String>,
    actual: impl Into<String>,
) -> Mismatch {
    Mismatch {
        what: what.into(),
        expected: expected.into(),
        actual: actual.into(),
    }
}

/// All mismatches between `resp` and `expect`, in the order the spec lists them.
pub fn judge(resp: &Response, expect: &Expect, vars: &HashMap<String, String>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if !expect.status.is_empty() && !expect.status.contains(&resp.status) {
        let want: Vec<String> = expect.status.iter().map(u16::to_string).collect();
        let actual = format!("{} {}", resp.status, resp.reason);
        out.push(mismatch("status", want.join(" or "), actual.trim_end()));
    }
    for (name, a) in &expect.headers {
        let values: Vec<&str> = resp.headers_named(name).collect();
        let actual = if values.is_empty() {
            None
        } else {
            Some(values.join(", "))
        };
        if let Some(m) = text_assert(&format!("header {name}"), a, actual.as_deref(), vars) {
            out.push(m);
        }
    }
    if let Some(ms) = expect.first_byte_ms
        && resp.first_byte.as_millis() as u64 > ms
    {
        out.push(mismatch(
            "time to first byte",
            format!("at most {ms} ms"),
            format!("{} ms", resp.first_byte.as_millis()),
        ));
    }
    if let Some(ms) = expect.max_ms
        && resp.elapsed.as_millis() as u64 > ms
    {
        out.push(mismatch(
            "response time",
            format!("at most {ms} ms"),
            format!("{} ms", resp.elapsed.as_millis()),
        ));
    }
    let body = match decoded_body(resp, expect.encoding) {
        Ok(b) => b,
        Err(m) => {
            out.push(m);
            return out;
        }
    };
    if let Some(a) = &expect.body {
        let text = String::from_utf8_lossy(&body);
        if let Some(mut m) = text_assert("body", a, Some(&text), vars) {
            if std::str::from_utf8(&body).is_err() {
                m.actual = show_bytes(&body, 300);
            }
            out.push(m);
        }
    }
    if !expect.json.is_empty() {
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Err(e) => out.push(mismatch(
                "body",
                "a JSON document",
                format!("not JSON ({e}): {}", show_bytes(&body, 200)),
            )),
            Ok(doc) => {
                for (path, a) in &expect.json {
                    if let Some(m) = json_assert(&doc, path, a, vars) {
                        out.push(m);
                    }
                }
            }
        }
    }
    out
}

/// The body after undoing `Content-Encoding` as the step expects.
fn decoded_body(resp: &Response, enc: Option<Encoding>) -> Result<Vec<u8>, Mismatch> {
    let header = resp.header("content-encoding");
    match enc {
        None => Ok(resp.body.clone()),
        Some(Encoding::Identity) => match header {
            None => Ok(resp.body.clone()),
            Some(h) if h.eq_ignore_ascii_case("identity") => Ok(resp.body.clone()),
            Some(h) => Err(mismatch(
                "header content-encoding",
                "absent (no encoding the client accepts)",
                h,
            )),
        },
        Some(Encoding::Gzip) => {
            if !header.is_some_and(|h| h.eq_ignore_ascii_case("gzip")) {
                return Err(mismatch(
                    "header content-encoding",
                    "gzip",
                    header.unwrap_or("absent"),
                ));
            }
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(resp.body.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| {
                    mismatch(
                        "body",
                        "gzip-compressed bytes",
                        format!("{} bytes that do not gunzip ({e})", resp.body.len()),
                    )
                })?;
            Ok(out)
        }
    }
}

pub fn text_assert(
    what: &str,
    a: &Assert,
    actual: Option<&str>,
    vars: &HashMap<String, String>,
) -> Option<Mismatch> {
    let shown = |v: Option<&str>| v.map_or("absent".to_string(), |s| format!("{s:?}"));
    match a {
        Assert::Exists => actual
            .is_none()
            .then(|| mismatch(what, "present", "absent")),
        Assert::Absent => actual.map(|v| mismatch(what, "absent", format!("{v:?}"))),
        Assert::Equals(t) => {
            let want = t.render(vars);
            (actual != Some(want.as_str()))
                .then(|| mismatch(what, format!("{want:?}"), shown(actual)))
        }
        Assert::Contains(t) => {
            let want = t.render(vars);
            (!actual.is_some_and(|v| v.contains(&want)))
                .then(|| mismatch(what, format!("containing {want:?}"), shown(actual)))
        }
        Assert::NotContains(t) => {
            let bad = t.render(vars);
            actual.filter(|v| v.contains(&bad)).map(|v| {
                mismatch(
                    what,
                    format!("not containing {bad:?}"),
                    crate::response::show_bytes(v.as_bytes(), 300),
                )
            })
        }
        Assert::Matches(r) => (!actual.is_some_and(|v| r.is_match(v)))
            .then(|| mismatch(what, format!("matching /{}/", r.as_str()), shown(actual))),
    }
}

fn fill_json(v: &serde_json::Value, vars: &HashMap<String, String>) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::String(s) => J::String(crate::template::Template::parse(s).render(vars)),
        J::Array(a) => J::Array(a.iter().map(|x| fill_json(x, vars)).collect()),
        J::Object(o) => J::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), fill_json(x, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Fills templates in a JSON body.
pub fn render_json(v: &serde_json::Value, vars: &HashMap<String, String>) -> serde_json::Value {
    fill_json(v, vars)
}

/// A JSON number, or a string holding one.
fn as_number(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// JSON equality where numbers compare by value: `0` equals `0.0` (a
/// server's serializer may write either; JSON does not tell them apart).
fn json_eq(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn json_assert(
    doc: &serde_json::Value,
    path: &str,
    a: &JsonAssert,
    vars: &HashMap<String, String>,
) -> Option<Mismatch> {
    let what = format!("json {path}");
    let found = match json_path::get(doc, path) {
        Ok(v) => v,
        Err(e) => return Some(mismatch(what, "a valid path", e)),
    };
    let show = |v: Option<&serde_json::Value>| v.map_or("absent".to_string(), |v| v.to_string());
    match a {
        JsonAssert::Equals(want) => {
            let want = fill_json(want, vars);
            (!found.is_some_and(|f| json_eq(f, &want)))
                .then(|| mismatch(what, want.to_string(), show(found)))
        }
        JsonAssert::Type(t) => {
            let actual = found.map(JsonType::of);
            (actual != Some(*t)).then(|| {
                mismatch(
                    what,
                    format!("a {}", t.name()),
                    found.map_or("absent".into(), |v| {
                        format!("{} ({})", v, JsonType::of(v).name())
                    }),
                )
            })
        }
        JsonAssert::Range(min, max) => {
            let number = |b: &Option<crate::spec::Bound>| match b {
                None => Ok(None),
                Some(b) => b.resolve(vars).map(Some),
            };
            let (min, max) = match (number(min), number(max)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(t), _) | (_, Err(t)) => {
                    return Some(mismatch(
                        what,
                        "a bound that is a number",
                        format!("the bound {t:?}"),
                    ));
                }
            };
            let want = match (min, max) {
                (Some(a), Some(b)) => format!("a number from {a} to {b}"),
                (Some(a), None) => format!("a number of at least {a}"),
                (None, Some(b)) => format!("a number of at most {b}"),
                (None, None) => "a number".to_string(),
            };
            let n = found.and_then(as_number);
            let ok = n.is_some_and(|n| min.is_none_or(|a| n >= a) && max.is_none_or(|b| n <= b));
            (!ok).then(|| mismatch(what, want, show(found)))
        }
        JsonAssert::Near { value, tolerance } => {
            let target = match value.resolve(vars) {
                Ok(t) => t,
                Err(t) => {
                    return Some(mismatch(what, "a number to compare with", format!("{t:?}")));
                }
            };
            let slack = match tolerance {
                crate::spec::Tolerance::Fraction(f) => target.abs() * f,
                crate::spec::Tolerance::Absolute(a) => *a,
            };
            let want = match tolerance {
                crate::spec::Tolerance::Fraction(f) => {
                    format!(
                        "{target} ± {:.0}% ({:.3} to {:.3})",
                        f * 100.0,
                        target - slack,
                        target + slack
                    )
                }
                crate::spec::Tolerance::Absolute(a) => {
                    format!(
                        "{target} ± {a} ({:.3} to {:.3})",
                        target - slack,
                        target + slack
                    )
                }
            };
            let ok = found
                .and_then(as_number)
                .is_some_and(|n| (n - target).abs() <= slack + 1e-9);
            (!ok).then(|| mismatch(what, want, show(found)))
        }
        JsonAssert::Len(n) => {
            let len = match found {
                Some(serde_json::Value::Array(a)) => Some(a.len()),
                Some(serde_json::Value::String(s)) => Some(s.chars().count()),
                Some(serde_json::Value::Object(o)) => Some(o.len()),
                _ => None,
            };
            (len != Some(*n)).then(|| {
                mismatch(
                    what,
                    format!("length {n}"),
                    len.map_or(show(found), |l| format!("length {l}")),
                )
            })
        }
        JsonAssert::Text(t) => {
            let text = found.map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            text_assert(&what, t, text.as_deref(), vars)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;

    fn expect_from(toml_expect: &str) -> Expect {
        let text = format!(
            "[serve]\n[vars]\nword = \"word\"\n[[step]]\nrequest = {{ path = \"/\" }}\nexpect = {toml_expect}\n"
        );
        let s = spec::parse("t.toml", &text).unwrap_or_else(|e| panic!("{}", e[0]));
        s.steps[0].expect.clone()
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Response {
        Response {
            status,
            reason: "OK".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
            elapsed: std::time::Duration::from_millis(3),
            ..Response::default()
        }
    }

    #[test]
    fn passes_when_everything_matches() {
        let e = expect_from(
            r#"{ status = 200, headers = { content-type = { contains = "text/" }, x-gone = { absent = true } }, body = "{word}" }"#,
        );
        let vars = HashMap::from([("word".to_string(), "abc".to_string())]);
        assert_eq!(
            judge(
                &resp(200, &[("content-type", "text/plain")], b"abc"),
                &e,
                &vars
            ),
            vec![]
        );
    }

    #[test]
    fn reports_each_mismatch_with_expected_and_actual() {
        let e = expect_from(
            r#"{ status = 201, headers = { location = { exists = true } }, body = { matches = "^id=\\d+$" } }"#,
        );
        let ms = judge(&resp(404, &[], b"nope"), &e, &HashMap::new());
        let whats: Vec<_> = ms.iter().map(|m| m.what.as_str()).collect();
        assert_eq!(whats, ["status", "header location", "body"]);
        assert_eq!(ms[0].actual, "404 OK");
        assert_eq!(ms[1].actual, "absent");
    }

    #[test]
    fn json_numbers_compare_by_value() {
        use serde_json::json;
        assert!(super::json_eq(&json!(0.0), &json!(0)));
        assert!(super::json_eq(
            &json!({"a": [1.0, 2]}),
            &json!({"a": [1, 2.0]})
        ));
        assert!(!super::json_eq(&json!(0.5), &json!(0)));
        assert!(!super::json_eq(&json!("0"), &json!(0)));
        assert!(!super::json_eq(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    }

    #[test]
    fn json_paths_types_and_lengths() {
        let e = expect_from(
            r#"{ json = { "$.id" = { type = "number" }, "$.tags" = { len = 2 }, "$.name" = "{word}", "$.ok" = true } }"#,
        );
        let vars = HashMap::from([("word".to_string(), "w".to_string())]);
        let good = br#"{"id": 3, "tags": ["a","b"], "name": "w", "ok": true}"#;
        assert_eq!(judge(&resp(200, &[], good), &e, &vars), vec![]);
        let bad = br#"{"id": "3", "tags": [], "name": "x"}"#;
        let ms = judge(&resp(200, &[], bad), &e, &vars);
        assert_eq!(ms.len(), 4, "{ms:?}");
        let ok = ms.iter().find(|m| m.what == "json $.ok").unwrap();
        assert_eq!(ok.actual, "absent");
        let tags = ms.iter().find(|m| m.what == "json $.tags").unwrap();
        assert_eq!(
            (tags.expected.as_str(), tags.actual.as_str()),
            ("length 2", "length 0")
        );
        let ms = judge(&resp(200, &[], b"<html>"), &e, &vars);
        assert!(ms[0].actual.starts_with("not JSON"));
    }

    #[test]
    fn gzip_is_decoded_before_body_assertions() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"hello").unwrap();
        let gz = enc.finish().unwrap();
        let e = expect_from(r#"{ encoding = "gzip", body = "hello" }"#);
        assert_eq!(
            judge(
                &resp(200, &[("content-encoding", "gzip")], &gz),
                &e,
                &HashMap::new()
            ),
            vec![]
        );
        let ms = judge(&resp(200, &[], b"hello"), &e, &HashMap::new());
        assert_eq!(ms[0].what, "header content-encoding");
        let ms = judge(
            &resp(200, &[("content-encoding", "gzip")], b"hello"),
            &e,
            &HashMap::new(),
        );
        assert!(ms[0].actual.contains("do not gunzip"), "{ms:?}");
        let e = expect_from(r#"{ encoding = "identity" }"#);
        assert_eq!(
            judge(
                &resp(200, &[("content-encoding", "br")], b""),
                &e,
                &HashMap::new()
            )[0]
            .actual,
            "br"
        );
    }
}
