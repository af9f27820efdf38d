//! The actions other than plain requests: SSE, WebSocket, load, signals,
//! output, files, upstream calls.

use super::assertion::assertion;
use super::parse::Ctx;
use super::raw::{RawCalls, RawFile, RawLoad, RawOutput, RawRequest, RawSignal, RawSse, RawWs};
use super::request::request;
use super::{
    CallsStep, FileStep, LoadStep, OutputStep, SignalStep, SseRequest, WsAction, WsKind, WsSession,
};
use crate::diag;
use crate::template::Template;
use std::collections::BTreeMap;
use std::time::Duration;
use toml::Spanned;
pub(super) fn ws(cx: &mut Ctx, w: Spanned<RawWs>) -> Option<WsSession> {
    let wspan = w.span();
    let w = w.into_inner();
    let path = match (&w.path, w.paths.first()) {
        (Some(p), _) => cx.template(p),
        (None, Some(first)) => cx.template(first),
        (None, None) => {
            cx.err(
                wspan,
                "a ws step needs a `path` (or `paths`, one per client)",
                "e.g. path = \"/chat/{room}\"",
            );
            return None;
        }
    };
    let headers = w
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), cx.template(v)))
        .collect();

    let clients = match &w.clients {
        None => 1,
        Some(n) if (1..=100).contains(n.get_ref()) => *n.get_ref() as usize,
        Some(n) => {
            cx.err(
                n.span(),
                "`clients` must be between 1 and 100",
                "e.g. clients = 3",
            );
            1
        }
    };
    let paths: Vec<Template> = w.paths.iter().map(|p| cx.template(p)).collect();
    if !paths.is_empty() && paths.len() != clients {
        cx.err(
            wspan.clone(),
            format!("`paths` has {} entries for {clients} clients", paths.len()),
            "give one path per client, or use `path` for all",
        );
    }
    if w.script.is_empty() {
        cx.err(wspan, "a ws step needs a script", "add [[step.ws.script]] entries: { client = 1, send = \"hi\" }, { client = 2, expect = \"hi\" }");
        return None;
    }
    let mut script = Vec::new();
    for a in &w.script {
        let aspan = a.span();
        let a = a.get_ref();
        let client = match &a.client {
            None => 1,
            Some(c) if (1..=clients as i64).contains(c.get_ref()) => *c.get_ref() as usize,
            Some(c) => {
                cx.err(
                    c.span(),
                    format!("there is no client {} (clients = {clients})", c.get_ref()),
                    "clients are numbered from 1",
                );
                continue;
            }
        };
        let given = [
            a.send.is_some(),
            a.send_hex.is_some(),
            a.expect.is_some(),
            a.expect_hex.is_some(),
            a.expect_none.is_some(),
            a.ping.is_some(),
            a.close.is_some(),
            a.expect_close.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            cx.err(aspan, "a script entry does exactly one thing", "use one of send, send_hex, expect, expect_hex, expect_none, ping, close, expect_close");
            continue;
        }
        let kind = if let Some(t) = &a.send {
            WsKind::SendText(cx.template(t))
        } else if let Some(h) = &a.send_hex {
            WsKind::SendBinary(cx.hex(h))
        } else if let Some(e) = &a.expect {
            match assertion(cx, e) {
                Some(x) => WsKind::Expect(x),
                None => continue,
            }
        } else if let Some(h) = &a.expect_hex {
            WsKind::ExpectBinary(cx.hex(h))
        } else if let Some(d) = &a.expect_none {
            WsKind::ExpectNone(cx.duration(&Some(d.clone()), Duration::from_millis(300)))
        } else if let Some(p) = &a.ping {
            WsKind::Ping(p.as_bytes().to_vec())
        } else if let Some(c) = &a.close {
            WsKind::Close(u16::try_from(*c.get_ref()).unwrap_or(1000))
        } else if let Some(c) = &a.expect_close {
            match c.get_ref() {
                toml::Value::Boolean(true) => WsKind::ExpectClose(None),
                toml::Value::Integer(code) => WsKind::ExpectClose(u16::try_from(*code).ok()),
                _ => {
                    cx.err(
                        c.span(),
                        "expect_close is true or a close code",
                        "e.g. expect_close = 1008",
                    );
                    continue;
                }
            }
        } else {
            continue;
        };
        script.push(WsAction { client, kind });
    }
    Some(WsSession {
        path,
        paths,
        headers,
        clients,
        script,
    })
}

pub(super) fn sse(cx: &mut Ctx, s: Spanned<RawSse>) -> SseRequest {
    let s = s.into_inner();
    let path = cx.template(&s.path);
    if !s.path.get_ref().starts_with('/') && !s.path.get_ref().starts_with('{') {
        cx.err(
            s.path.span(),
            "a path starts with `/`",
            "write the path only, e.g. \"/events\"",
        );
    }
    let headers = s
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), cx.template(v)))
        .collect();
    let read = match &s.read {
        None => 1,
        Some(n) if (1..=10_000).contains(n.get_ref()) => *n.get_ref() as usize,
        Some(n) => {
            cx.err(
                n.span(),
                "`read` must be between 1 and 10000",
                "how many events to read before closing",
            );
            1
        }
    };
    SseRequest {
        path,
        headers,
        read,
    }
}

pub(super) fn load(cx: &mut Ctx, l: Spanned<RawLoad>) -> LoadStep {
    let lspan = l.span();
    let l = l.into_inner();
    let raw = RawRequest {
        method: l.method,
        path: l.path,
        query: BTreeMap::new(),
        headers: l.headers,
        body: l.body,
        json: l.json,
        body_hex: None,
        parallel: None,
        http2: false,
        https: false,
        from: None,
    };
    let request = request(cx, Spanned::new(lspan.clone(), raw));
    let concurrency = match &l.concurrency {
        None => 8,
        Some(c) if (1..=1000).contains(c.get_ref()) => *c.get_ref() as usize,
        Some(c) => {
            cx.err(
                c.span(),
                "`concurrency` must be between 1 and 1000",
                "e.g. concurrency = 16",
            );
            8
        }
    };
    let requests = match &l.requests {
        None => None,
        Some(n) if (1..=10_000_000).contains(n.get_ref()) => Some(*n.get_ref() as u64),
        Some(n) => {
            cx.err(
                n.span(),
                "`requests` must be between 1 and 10000000",
                "e.g. requests = 2000",
            );
            None
        }
    };
    let duration = cx.duration(
        &l.duration,
        Duration::from_secs(if requests.is_some() { 30 } else { 3 }),
    );
    if duration > Duration::from_secs(120) {
        cx.err(
            lspan,
            "a load runs at most 120s",
            "loads are bounded: use a shorter `duration`",
        );
    }
    LoadStep {
        request,
        concurrency,
        requests,
        duration,
        background: l.background,
    }
}

pub(super) fn signal(cx: &mut Ctx, s: Spanned<RawSignal>) -> Option<SignalStep> {
    let s = s.into_inner();
    let name = s.send.get_ref().to_ascii_uppercase();
    let signal = match name.trim_start_matches("SIG") {
        "TERM" => libc::SIGTERM,
        "INT" => libc::SIGINT,
        "HUP" => libc::SIGHUP,
        "QUIT" => libc::SIGQUIT,
        "KILL" => libc::SIGKILL,
        "USR1" => libc::SIGUSR1,
        "USR2" => libc::SIGUSR2,
        _ => {
            cx.err(
                s.send.span(),
                format!("unknown signal `{}`", s.send.get_ref()),
                "use SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 or SIGKILL",
            );
            return None;
        }
    };
    let name = format!("SIG{}", name.trim_start_matches("SIG"));
    let during = s.during.map(|r| request(cx, r));
    let after = cx.duration(&s.after, Duration::from_millis(100));
    Some(SignalStep {
        signal,
        name,
        during,
        after,
    })
}

pub(super) fn output(cx: &mut Ctx, o: Spanned<RawOutput>) -> OutputStep {
    let o = o.into_inner();
    let (stdout, stderr) = match o.stream.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("both") => (true, true),
        Some("stdout") => (true, false),
        Some("stderr") => (false, true),
        Some(other) => {
            let span = o.stream.as_ref().map(|s| s.span()).unwrap_or(0..0);
            cx.err(
                span,
                format!("unknown stream `{other}`"),
                "use \"stdout\", \"stderr\" or \"both\"",
            );
            (true, true)
        }
    };
    let since_previous = match o.since.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("start") => false,
        Some("previous") => true,
        Some(other) => {
            let span = o.since.as_ref().map(|s| s.span()).unwrap_or(0..0);
            cx.err(span, format!("unknown `since = \"{other}\"`"), "use \"start\" (since the server started) or \"previous\" (since the previous step began)");
            false
        }
    };
    OutputStep {
        stdout,
        stderr,
        since_previous,
    }
}

pub(super) fn file(cx: &mut Ctx, f: Spanned<RawFile>) -> Option<FileStep> {
    let f = f.into_inner();
    let path = f.path.get_ref().clone();
    if path.starts_with('/') || path.split('/').any(|p| p == "..") {
        cx.err(
            f.path.span(),
            "a file step reads a file inside the crate",
            "write a path relative to the crate, e.g. \"Dockerfile\"",
        );
        return None;
    }
    let kind = match &f.kind {
        Some(k) => crate::files::Kind::parse(k.get_ref()).or_else(|| {
            cx.err(
                k.span(),
                format!("unknown file kind `{}`", k.get_ref()),
                "use dockerfile, yaml, toml, json or text",
            );
            None
        })?,
        None => crate::files::Kind::guess(&path).or_else(|| {
            cx.err(
                f.path.span(),
                format!("cannot tell what kind of file `{path}` is"),
                "add kind = \"dockerfile\" (or yaml, toml, json, text)",
            );
            None
        })?,
    };
    Some(FileStep { path, kind })
}

pub(super) fn calls(cx: &mut Ctx, c: Spanned<RawCalls>) -> Option<CallsStep> {
    let c = c.into_inner();
    let name = c.upstream.get_ref().clone();
    if !cx.upstreams.contains(&name) {
        let help = match diag::did_you_mean(&name, cx.upstreams.iter().map(String::as_str)) {
            Some(m) => format!("did you mean `{m}`?"),
            None => "declare it with [[upstream]] name = \"...\"".to_string(),
        };
        cx.err(c.upstream.span(), format!("no upstream `{name}`"), help);
        return None;
    }
    let since_previous = match c.since.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
        None | Some(("start", _)) => false,
        Some(("previous", _)) => true,
        Some((other, span)) => {
            cx.err(
                span,
                format!("unknown `since = \"{other}\"`"),
                "use \"start\" or \"previous\"",
            );
            false
        }
    };
    Some(CallsStep {
        upstream: name,
        method: c.method.map(|m| m.to_ascii_uppercase()),
        path: c.path.as_ref().map(|p| cx.template(p)),
        since_previous,
    })
}
