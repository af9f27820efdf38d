//! How failures read: expected vs actual, the document or response they
//! were judged on, and a hint for their class.

use super::plural;
use serverlings_core::assert::Mismatch;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{Action, Step, TcpBytes, TcpSend};
use serverlings_probe::http::{self, Prepared};
use std::collections::HashMap;
use std::time::Duration;

pub(super) async fn fetch(
    client: &reqwest::Client,
    p: Prepared,
    timeout: Duration,
) -> Result<Response, Failure> {
    http::send(client, &p, timeout)
        .await
        .map_err(|e| Failure::new(format!("{}: {}", p.url, e.summary())).hint(e.hint()))
}

/// A db step in an exercise that did not declare the service.
pub(super) fn no_service(name: &str, service: &str) -> Failure {
    Failure::new(format!(
        "this check queries {name}, but no {name} was provided for it"
    ))
    .hint(format!(
        "a problem of the check: the exercise's part.toml needs services = [\"{service}\"]"
    ))
}

pub(super) fn raw_lines(bytes: &[u8]) -> Vec<String> {
    let cut = &bytes[..bytes.len().min(4000)];
    let mut out: Vec<String> = cut
        .split_inclusive(|b| *b == b'\n')
        .map(|l| l.escape_ascii().to_string())
        .collect();
    if bytes.len() > cut.len() {
        out.push(format!("… ({} bytes in all)", bytes.len()));
    }
    out
}

/// Steps that need the server's process, not just its port.
pub(super) fn needs_process(step: &Step) -> bool {
    let l = &step.expect.load;
    matches!(
        step.action,
        Action::Signal(_)
            | Action::Restart
            | Action::Output(_)
            | Action::File(_)
            | Action::Kill(_)
            | Action::Start(_)
            | Action::Run(_)
            | Action::Processes(_)
            | Action::StartInstance(_)
    ) || l.rss_mb.is_some()
        || l.rss_growth_mb.is_some()
        || l.rss_peak_mb.is_some()
        || l.fd_growth.is_some()
}

/// The first mismatch as the failure's summary and expected/actual, the
/// others as details. `ms` is never empty.
pub(super) fn failure_from(ms: &[Mismatch]) -> Failure {
    let first = &ms[0];
    let mut f = Failure::new(format!(
        "{}: expected {}, got {}",
        first.what, first.expected, first.actual
    ))
    .expected(first.expected.clone(), first.actual.clone());
    for m in &ms[1..] {
        f.details.push(format!(
            "also {}: expected {}, got {}",
            m.what, m.expected, m.actual
        ));
    }
    f
}

pub(super) fn mismatch_failure(ms: &[Mismatch], resp: &Response, step: &Step) -> Failure {
    let first = &ms[0];
    let mut f = failure_from(ms);
    match document_label(step) {
        // A file, rows, a plan or a reply: show the document the JSON
        // paths were read from.
        Some(label) => {
            f.details.push(format!("{label} (JSON paths start at $):"));
            if let Ok(mut doc) = serde_json::from_slice::<serde_json::Value>(&resp.body) {
                if let Some(o) = doc.as_object_mut() {
                    // Whole instruction lists and raw plans are noise here.
                    o.remove("instructions");
                    o.remove("plan");
                    if let Some(stages) = o.get_mut("stages").and_then(|s| s.as_array_mut()) {
                        for s in stages {
                            s.as_object_mut().map(|o| o.remove("instructions"));
                        }
                    }
                }
                let pretty = serde_json::to_string_pretty(&doc).unwrap_or_default();
                f.details
                    .extend(pretty.lines().take(40).map(|l| format!("  {l}")));
            }
        }
        None => {
            f.details.push("the response was:".into());
            f.details
                .extend(resp.summary(400).lines().map(|l| format!("  {l}")));
        }
    }
    f.hint = step.hint.clone().or_else(|| match &step.action {
        Action::File(file) => Some(format!("edit {}: the failed assertion names the JSON path of what is wrong", file.path)),
        Action::Sql(_)
        | Action::Explain(_)
        | Action::Mysql(_)
        | Action::Redis(_)
        | Action::Queue(_) => {
            Some("the check reads the database itself: compare what your server stored with what it should have".into())
        }
        _ => Some(default_hint(first)),
    });
    f
}

pub(super) fn document_label(step: &Step) -> Option<String> {
    match &step.action {
        Action::File(f) => Some(format!("{} as the checker reads it", f.path)),
        Action::Sql(_) | Action::Mysql(_) => Some("the rows".into()),
        Action::Explain(_) => Some("the plan, summarised".into()),
        Action::Redis(_) => Some("Redis's reply".into()),
        Action::Queue(_) => Some("the queue (null when it does not exist)".into()),
        _ => None,
    }
}

pub(super) fn default_hint(m: &Mismatch) -> String {
    if m.what == "status" && m.actual.starts_with("404") {
        "the server does not know this route yet: find the TODO that handles it".into()
    } else if m.what == "status" && m.actual.starts_with("501") {
        "this part is still a TODO in your code".into()
    } else if m.what.starts_with("header") {
        format!(
            "set the `{}` header on this response",
            m.what.trim_start_matches("header ")
        )
    } else {
        "compare the expected and actual values above, then run the curl line to see the whole answer".into()
    }
}

pub(super) fn step_name(step: &Step, vars: &HashMap<String, String>) -> String {
    if let Some(n) = &step.name {
        return n.render(vars);
    }
    match &step.action {
        Action::Http(r) => format!("{} {}", r.method, r.path.render(vars)),
        Action::Tcp(TcpSend {
            bytes: TcpBytes::Text(t),
            ..
        }) => {
            let s = t.render(vars);
            format!("tcp: {}", s.lines().next().unwrap_or("").trim_end())
        }
        Action::Tcp(TcpSend {
            bytes: TcpBytes::Bytes(b),
            ..
        }) => format!("tcp: {} bytes", b.len()),
        Action::Sse(s) => format!("events from {}", s.path.render(vars)),
        Action::Ws(w) => format!(
            "WebSocket {} ({} client{})",
            w.path.render(vars),
            w.clients,
            plural(w.clients)
        ),
        Action::Load(l) => format!(
            "load {} {} ({} clients)",
            l.request.method,
            l.request.path.render(vars),
            l.concurrency
        ),
        Action::LoadWait => "the background load".to_string(),
        Action::Signal(s) => format!("{} while requests are in flight", s.name),
        Action::Restart => "restart the server".to_string(),
        Action::Kill(role) => format!("kill -9 the {role}"),
        Action::Start(role) => format!("start the {role} again"),
        Action::Output(_) => "the server's output".to_string(),
        Action::Calls(c) => format!("calls to {}", c.upstream),
        Action::File(f) => format!("{} is right", f.path),
        Action::Sql(q) => format!("SQL: {}", q.render(vars)),
        Action::Mysql(q) => format!("MySQL: {}", q.render(vars)),
        Action::Explain(q) => format!("EXPLAIN {}", q.render(vars)),
        Action::Redis(a) => format!(
            "Redis: {}",
            a.iter()
                .map(|t| t.render(vars))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Action::Database(true) => "the database comes back".to_string(),
        Action::Login(s) => format!("log in through {}", s.render(vars)),
        Action::RotateKeys => "the provider rotates its signing key".to_string(),
        Action::Queue(q) => format!("queue {}", q.render(vars)),
        Action::Jwt { .. } => "the token".to_string(),
        Action::Run(r) => format!(
            "run {}",
            r.env
                .iter()
                .map(|(k, v)| format!("{k}={}", v.render(vars)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Action::Processes(role) => format!("the {role}'s processes"),
        Action::StartInstance(n) => format!("start instance {n}"),

        Action::Database(false) => "the database goes down".to_string(),
    }
}

pub(super) fn caret_under(raw: &[u8], at: usize) -> String {
    let at = at.min(raw.len());
    // At most 60 bytes either side: a line can be megabytes long.
    let line_start = raw[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
        .max(at.saturating_sub(60));
    let line_end = raw[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(raw.len(), |i| at + i)
        .min(at + 60);

    let line = raw[line_start..line_end].escape_ascii().to_string();
    let col = raw[line_start..at]
        .escape_ascii()
        .to_string()
        .chars()
        .count();
    format!("  {line}\n  {}^ here", " ".repeat(col))
}

pub(super) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
