//! Server-Sent Events: parse the `text/event-stream` framing and read a
//! bounded number of events from a live response.

use crate::http::{Prepared, SendError};
use serverlings_core::response::Response;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
    pub retry: Option<u64>,
}

/// Incremental parser: feed bytes, take complete events.
#[derive(Debug, Default)]
pub struct Parser {
    buf: String,
    cur: Event,
    has_data: bool,
    /// The last `retry:` value seen, even on an event without data.
    pub retry: Option<u64>,
}

impl Parser {
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.buf.push_str(&String::from_utf8_lossy(bytes));
        let mut out = Vec::new();
        while let Some(pos) = self.buf.find('\n') {
            let line: String = self.buf.drain(..=pos).collect();
            let line = line.trim_end_matches('\n').trim_end_matches('\r');
            if line.is_empty() {
                // A blank line dispatches the event (if it has data).
                let ev = std::mem::take(&mut self.cur);
                if self.has_data {
                    out.push(ev);
                }
                self.has_data = false;
                continue;
            }
            if line.starts_with(':') {
                continue; // a comment, e.g. a keep-alive ping
            }
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (line, ""),
            };
            match field {
                "id" => self.cur.id = Some(value.to_string()),
                "event" => self.cur.event = Some(value.to_string()),
                "data" => {
                    if self.has_data {
                        self.cur.data.push('\n');
                    }
                    self.cur.data.push_str(value);
                    self.has_data = true;
                }
                "retry" => {
                    if let Ok(ms) = value.parse() {
                        self.cur.retry = Some(ms);
                        self.retry = Some(ms);
                    }
                }
                _ => {}
            }
        }
        out
    }
}

pub struct Stream {
    pub response: Response,
    pub events: Vec<Event>,
    pub retry: Option<u64>,
    /// The server ended the stream before `want` events.
    pub ended: bool,
    pub timed_out: bool,
}

/// Opens the stream and reads until `want` events arrived, the stream ends,
/// or `timeout` passes. Status and headers are in `response`.
pub async fn read(
    client: &reqwest::Client,
    req: &Prepared,
    want: usize,
    timeout: Duration,
) -> Result<Stream, SendError> {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + timeout;
    let mut rb = client.get(&req.url);
    for (k, v) in &req.headers {
        rb = rb.header(k, v);
    }
    let mut resp = match tokio::time::timeout_at(deadline, rb.send()).await {
        Err(_) => return Err(SendError::Timeout(timeout)),
        Ok(r) => r.map_err(crate::http::classify)?,
    };
    let status = resp.status();
    let mut out = Stream {
        response: Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers: resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: vec![],
            elapsed: Duration::ZERO,
            first_byte: Duration::ZERO,
        },
        events: vec![],
        retry: None,
        ended: false,
        timed_out: false,
    };
    let mut parser = Parser::default();
    while out.events.len() < want {
        match tokio::time::timeout_at(deadline, resp.chunk()).await {
            Err(_) => {
                out.timed_out = true;
                break;
            }
            Ok(Ok(Some(chunk))) => {
                out.response.body.extend_from_slice(&chunk);
                out.events.extend(parser.feed(&chunk));
                if out.response.body.len() > crate::http::MAX_BODY {
                    break;
                }
            }
            Ok(Ok(None)) | Ok(Err(_)) => {
                out.ended = true;
                break;
            }
        }
    }
    out.retry = parser.retry;
    out.response.elapsed = started.elapsed();
    Ok(out)
}

/// Mismatches between the events read and the step's expectations.
pub fn judge(
    stream: &Stream,
    expect: &serverlings_core::spec::Expect,
    want: usize,
    vars: &std::collections::HashMap<String, String>,
) -> Vec<serverlings_core::assert::Mismatch> {
    use serverlings_core::assert::{mismatch, text_assert};
    let mut out = Vec::new();
    let got = stream.events.len();
    // An error answer (a 404 the step expects) carries no events.
    let is_stream = (200..300).contains(&stream.response.status);
    if got < want && (is_stream || !expect.events.is_empty()) {
        let why = if stream.ended {
            "then the stream ended"
        } else {
            "then nothing more came"
        };
        out.push(mismatch(
            "events",
            format!("{want} event{}", if want == 1 { "" } else { "s" }),
            format!("{got}, {why}"),
        ));
    }
    for (i, e) in expect.events.iter().enumerate() {
        let Some(ev) = stream.events.get(i) else {
            break;
        };
        let fields = [
            ("id", &e.id, ev.id.as_deref()),
            ("event", &e.event, ev.event.as_deref()),
            ("data", &e.data, Some(ev.data.as_str())),
        ];
        for (name, a, actual) in fields {
            if let Some(a) = a
                && let Some(m) = text_assert(&format!("event {} {name}", i + 1), a, actual, vars)
            {
                out.push(m);
            }
        }
    }
    if let Some(r) = expect.retry
        && stream.retry != Some(r)
    {
        out.push(mismatch(
            "retry",
            format!("retry: {r}"),
            stream
                .retry
                .map_or("no retry: field".to_string(), |v| format!("retry: {v}")),
        ));
    }
    if let Some(after) = &expect.resume_after {
        let after_text = after.render(vars);
        match after_text.parse::<u64>() {
            Err(_) => out.push(mismatch("resume", "a numeric Last-Event-ID", after_text)),
            Ok(after) => {
                let ids: Vec<Option<u64>> = stream
                    .events
                    .iter()
                    .map(|e| e.id.as_deref().and_then(|i| i.parse().ok()))
                    .collect();
                for (i, id) in ids.iter().enumerate() {
                    let want = after + 1 + i as u64;
                    if *id != Some(want) {
                        let actual = stream.events[i]
                            .id
                            .clone()
                            .unwrap_or_else(|| "no id".into());
                        out.push(mismatch(
                            format!("event {} id after resuming from {after}", i + 1),
                            want.to_string(),
                            actual,
                        ));
                        break;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_events_across_chunks() {
        let mut p = Parser::default();
        assert!(
            p.feed(b"retry: 3000\n\n: ping\n\nid: 1\nevent: tick\ndata: a")
                .is_empty()
        );
        let evs = p.feed(b"\ndata: b\n\nid: 2\r\ndata: c\r\n\r\n");
        assert_eq!(evs.len(), 2);
        assert_eq!(
            evs[0],
            Event {
                id: Some("1".into()),
                event: Some("tick".into()),
                data: "a\nb".into(),
                retry: None
            }
        );
        assert_eq!(evs[1].id.as_deref(), Some("2"));
        assert_eq!(evs[1].data, "c");
        assert_eq!(p.retry, Some(3000));
    }
}
