//! A step's `expect` table: which keys belong to which kind of step, and
//! the parsed `Expect` (the assertions themselves are in `assertion`).

use super::assertion::{assertion, json_assertion, number};
use super::parse::Ctx;
use super::raw::RawExpect;
use super::{CallsExpect, Encoding, EventExpect, ExitExpect, Expect, LoadExpect, OutputExpect};
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
