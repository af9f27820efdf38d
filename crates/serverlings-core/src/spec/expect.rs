//! A step's `expect` table and the assertions inside it.

use super::parse::{Ctx, toml_to_json};
use super::raw::RawExpect;
use super::step::check_json_templates;
use super::{
    Assert, Bound, CallsExpect, Encoding, EventExpect, ExitExpect, Expect, JsonAssert, JsonType,
    LoadExpect, Number, OutputExpect, Tolerance,
};
use crate::diag;
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;
/// Which action a step has, for the keys of `expect` that belong to one.
pub(super) struct Kinds {
    pub(super) tcp: bool,
    pub(super) sse: bool,
    pub(super) load: bool,
    pub(super) signal: bool,
    pub(super) output: bool,
    pub(super) calls: bool,
    pub(super) run: bool,
    pub(super) request: bool,
}

pub(super) fn expect(cx: &mut Ctx, e: RawExpect, kinds: Kinds, step_span: Range<usize>) -> Expect {
    let Kinds {
        tcp: is_tcp,
        sse: is_sse,
        load: is_load,
        signal: is_signal,
        output: is_output,
        calls: is_calls,
        run: is_run,
        request: is_request,
    } = kinds;
    let mut out = Expect::default();
    let count_keys = [&e.count, &e.count_min, &e.count_max, &e.gap_min_ms];
    if !is_calls && count_keys.iter().any(|k| k.is_some()) {
        cx.err(
            step_span.clone(),
            "`count`, `count_min`, `count_max` and `gap_min_ms` only apply to calls steps",
            "judge an upstream's calls with `calls = { upstream = \"...\" }`",
        );
    }
    let non_negative =
        |v: &Option<Spanned<i64>>| v.as_ref().map(|n| (*n.get_ref()).max(0) as usize);
    out.queries = non_negative(&e.queries).map(|n| n as u64);
    out.queries_max = non_negative(&e.queries_max).map(|n| n as u64);
    if (out.queries.is_some() || out.queries_max.is_some()) && !cx.proxied {
        cx.err(
            step_span.clone(),
            "`queries` and `queries_max` count through the checker's proxy",
            "add proxy = [\"postgres\"] to [serve]",
        );
    }
    out.calls = CallsExpect {
        count: number(cx, &e.count, 0),
        count_min: number(cx, &e.count_min, 0),
        count_max: number(cx, &e.count_max, 0),
        gap_min_ms: number(cx, &e.gap_min_ms, 0),
    };

    if !is_output && !is_run && (e.line.is_some() || e.no_line.is_some() || e.lines.is_some()) {
        cx.err(
            step_span.clone(),
            "`line`, `no_line` and `lines` only apply to output and run steps",
            "read the server's output with `output = { stream = \"stdout\" }`",
        );
    }
    if let Some(d) = &e.distinct {
        let r = d.get_ref();
        match (&r.header, r.body) {
            (Some(h), false) => {
                out.distinct = Some((Some(h.to_ascii_lowercase()), r.min.max(1) as usize))
            }
            (None, true) => out.distinct = Some((None, r.min.max(1) as usize)),
            _ => cx.err(
                d.span(),
                "`distinct` needs exactly one of `header = \"...\"` and `body = true`",
                "e.g. distinct = { header = \"x-pid\", min = 2 }",
            ),
        }
    }
    out.output = OutputExpect {
        line: e.line.as_ref().and_then(|l| assertion(cx, l)),
        no_line: e.no_line.as_ref().and_then(|l| assertion(cx, l)),
        lines: e.lines.as_ref().map(|n| (*n.get_ref()).max(0) as usize),
    };

    if !is_signal && !is_run && (e.exit_code.is_some() || e.within.is_some()) {
        cx.err(
            step_span.clone(),
            "`exit_code` and `within` only apply to signal and run steps",
            "send the signal with `signal = { send = \"SIGTERM\" }`, or run the binary with `run = { }`",
        );
    }
    if !is_signal && e.refused_after.is_some() {
        cx.err(
            step_span.clone(),
            "`refused_after` only applies to signal steps",
            "send the signal with `signal = { send = \"SIGTERM\" }`",
        );
    }
    if let Some(m) = &e.first_byte_ms {
        if !is_request {
            cx.err(
                m.span(),
                "`first_byte_ms` applies to request steps",
                "time the first byte of an HTTP answer with `request = { ... }`",
            );
        } else if *m.get_ref() > 0 {
            out.first_byte_ms = Some(*m.get_ref() as u64);
        } else {
            cx.err(
                m.span(),
                "`first_byte_ms` must be positive",
                "e.g. first_byte_ms = 100",
            );
        }
    }
    out.exit = ExitExpect {
        code: number(cx, &e.exit_code, 0),
        within: e
            .within
            .as_ref()
            .map(|w| cx.duration(&Some(w.clone()), Duration::from_secs(5))),
        refused_after: e.refused_after.unwrap_or(false),
    };

    let load_keys = e.errors.is_some()
        || e.p50_ms.is_some()
        || e.p95_ms.is_some()
        || e.p99_ms.is_some()
        || e.rps.is_some()
        || e.rss_mb.is_some()
        || e.rss_growth_mb.is_some()
        || e.rss_peak_mb.is_some()
        || e.fd_growth.is_some()
        || e.busy_threads.is_some();
    if load_keys && !is_load {
        cx.err(step_span.clone(), "`errors`, `p50_ms`…`p99_ms`, `rps`, `rss_mb`, `rss_peak_mb`, `rss_growth_mb`, `fd_growth` and `busy_threads` only apply to load steps", "measure with `load = { path = \"...\" }`");
    }
    let busy_threads = match &e.busy_threads {
        None => None,
        Some(n) if (1..=1024).contains(n.get_ref()) => Some(*n.get_ref() as u64),
        Some(n) => {
            cx.err(
                n.span(),
                "`busy_threads` must be between 1 and 1024",
                "e.g. busy_threads = 2: the work was shared by at least two threads",
            );
            None
        }
    };
    let positive = |cx: &mut Ctx, v: &Option<Spanned<f64>>| match v {
        Some(x) if *x.get_ref() > 0.0 => Some(*x.get_ref()),
        Some(x) => {
            cx.err(x.span(), "must be a positive number", "e.g. p99_ms = 50");
            None
        }
        None => None,
    };
    out.load = LoadExpect {
        errors: e
            .errors
            .as_ref()
            .map_or(0, |n| (*n.get_ref()).max(0) as u64),
        p50_ms: positive(cx, &e.p50_ms),
        p95_ms: positive(cx, &e.p95_ms),
        p99_ms: positive(cx, &e.p99_ms),
        rps: positive(cx, &e.rps),
        rss_mb: positive(cx, &e.rss_mb),
        rss_growth_mb: positive(cx, &e.rss_growth_mb),
        rss_peak_mb: positive(cx, &e.rss_peak_mb),
        fd_growth: e.fd_growth.as_ref().map(|n| (*n.get_ref()).max(0) as u64),
        busy_threads,
    };

    if !is_sse && (!e.events.is_empty() || e.retry.is_some() || e.resume_after.is_some()) {
        cx.err(
            step_span,
            "`events`, `retry` and `resume_after` only apply to sse steps",
            "read the stream with `sse = { path = \"...\" }`",
        );
    }
    for ev in &e.events {
        let mut one = EventExpect::default();
        for (field, slot) in [
            (&ev.id, &mut one.id),
            (&ev.event, &mut one.event),
            (&ev.data, &mut one.data),
        ] {
            if let Some(v) = field {
                *slot = assertion(cx, v);
            }
        }
        out.events.push(one);
    }
    if let Some(r) = &e.retry {
        if *r.get_ref() >= 0 {
            out.retry = Some(*r.get_ref() as u64);
        } else {
            cx.err(
                r.span(),
                "`retry` is a number of milliseconds",
                "e.g. retry = 3000",
            );
        }
    }
    out.resume_after = e.resume_after.as_ref().map(|t| cx.template(t));

    if let Some(s) = &e.status {
        let codes: Vec<&toml::Value> = match s.get_ref() {
            toml::Value::Array(a) => a.iter().collect(),
            one => vec![one],
        };
        for c in codes {
            match c.as_integer() {
                Some(n) if (100..=599).contains(&n) => out.status.push(n as u16),
                Some(n) => cx.err(
                    s.span(),
                    format!("{n} is not an HTTP status"),
                    "use a code from 100 to 599",
                ),
                None => cx.err(
                    s.span(),
                    "a status is a number or a list of numbers",
                    "e.g. status = 404 or status = [400, 404]",
                ),
            }
        }
    }
    for (name, v) in &e.headers {
        if let Some(a) = assertion(cx, v) {
            out.headers.push((name.to_ascii_lowercase(), a));
        }
    }
    if let Some(b) = &e.body {
        out.body = assertion(cx, b);
    }
    for (path, v) in &e.json {
        if !path.starts_with('$') {
            cx.err(
                v.span(),
                format!("`{path}` is not a JSON path"),
                "JSON paths start at `$`, e.g. \"$.items[0].id\"",
            );
            continue;
        }
        if let Some(a) = json_assertion(cx, v) {
            out.json.push((path.clone(), a));
        }
    }
    if let Some(enc) = &e.encoding {
        out.encoding = match enc.get_ref().as_str() {
            "gzip" => Some(Encoding::Gzip),
            "identity" => Some(Encoding::Identity),
            other => {
                cx.err(
                    enc.span(),
                    format!("unknown encoding `{other}`"),
                    "use \"gzip\" or \"identity\"",
                );
                None
            }
        };
    }
    if let Some(m) = &e.max_ms {
        if *m.get_ref() > 0 {
            out.max_ms = Some(*m.get_ref() as u64);
        } else {
            cx.err(m.span(), "`max_ms` must be positive", "e.g. max_ms = 200");
        }
    }
    if let Some(r) = &e.responses {
        if !is_tcp {
            cx.err(
                r.span(),
                "`responses` only applies to tcp steps",
                "remove it, or send the bytes with a tcp step",
            );
        } else if *r.get_ref() >= 0 {
            out.responses = Some(*r.get_ref() as usize);
        } else {
            cx.err(
                r.span(),
                "`responses` cannot be negative",
                "e.g. responses = 2",
            );
        }
    }
    if e.closed.is_some() && !is_tcp {
        // Spans of plain bools are not kept; point at the status if any.
        let span = e.status.as_ref().map(|s| s.span()).unwrap_or(0..0);
        cx.err(
            span,
            "`closed` only applies to tcp steps",
            "send the request with a tcp step to observe the connection",
        );
    }
    out.closed = e.closed;
    if let Some(s) = &e.silent {
        if !is_tcp {
            cx.err(
                s.span(),
                "`silent` only applies to tcp steps",
                "send the bytes with a tcp step",
            );
        }
        out.silent = Some(cx.duration(&Some(s.clone()), Duration::from_secs(1)));
    }

    out
}

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
fn number(cx: &mut Ctx, raw: &Option<Spanned<toml::Value>>, min: i64) -> Option<Number> {
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
