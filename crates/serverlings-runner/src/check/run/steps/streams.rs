//! Streams: server-sent events, WebSocket sessions, raw TCP.

use super::super::report::mismatch_failure;
use super::super::{Run, plural};
use super::Answer;
use serverlings_core::assert;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{SseRequest, Step, TcpBytes, TcpSend, WsSession};
use serverlings_probe::curl;
use serverlings_probe::http::Prepared;

impl Run<'_> {
    /// An event stream: status and headers, then the events read.
    pub(super) async fn sse_step(&mut self, s: &SseRequest, step: &Step) -> Answer {
        let mut headers: Vec<(String, String)> = s
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.render(&self.vars)))
            .collect();
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept"))
        {
            headers.push(("accept".into(), "text/event-stream".into()));
        }
        let url = format!("http://{}{}", self.authority(), s.path.render(&self.vars));
        let prepared = Prepared {
            method: "GET".into(),
            url,
            headers,
            body: vec![],
        };
        let how = format!("{} -N", curl::curl(&prepared));
        let result = match serverlings_probe::sse::read(
            &self.client,
            &prepared,
            s.read,
            step.timeout,
        )
        .await
        {
            Err(e) => Err(Failure::new(e.summary()).hint(e.hint())),
            Ok(stream) => {
                // Status and headers first: a 404 has no events either.
                let mut ms = assert::judge(&stream.response, &step.expect, &self.vars);
                if ms.is_empty() {
                    ms = serverlings_probe::sse::judge(&stream, &step.expect, s.read, &self.vars);
                }

                self.events = stream.events.clone();
                if ms.is_empty() {
                    Ok((
                        stream.response,
                        vec![format!(
                            "{} event{} read",
                            stream.events.len(),
                            plural(stream.events.len())
                        )],
                    ))
                } else {
                    let mut f = mismatch_failure(&ms, &stream.response, step);
                    if ms[0].what == "events" {
                        f.hint = Some(step.hint.clone().unwrap_or_else(|| "write each event as `data: ...` lines followed by a blank line, and flush: buffered output never reaches the client".into()));
                    }
                    Err(f)
                }
            }
        };
        (result, how)
    }

    /// A WebSocket session of one or more clients, following its script.
    pub(super) async fn ws_step(&mut self, session: &WsSession, step: &Step) -> Answer {
        let url = format!(
            "ws://{}{}",
            self.authority(),
            session.path.render(&self.vars)
        );
        let how = format!("websocat {url}");
        let result =
            match serverlings_probe::ws::run(&self.authority(), session, &self.vars, step.timeout)
                .await
            {
                Ok(transcript) => {
                    let n = transcript.len();
                    Ok((
                        Response {
                            status: 101,
                            ..Response::default()
                        },
                        vec![format!(
                            "{} client{}, {n} exchanges",
                            session.clients,
                            plural(session.clients)
                        )],
                    ))
                }
                Err(w) => {
                    let mut f = Failure::new(w.summary).hint(w.hint);
                    f.expected = w.expected;
                    f.actual = w.actual;
                    f.details.push("the session so far:".into());
                    f.details
                        .extend(w.transcript.into_iter().map(|l| format!("  {l}")));
                    Err(f)
                }
            };
        (result, how)
    }

    /// Raw bytes over TCP, and the response read back.
    pub(super) async fn tcp_step(&mut self, send: &TcpSend, step: &Step) -> Answer {
        let bytes = match &send.bytes {
            TcpBytes::Text(t) => t.render(&self.vars).into_bytes(),
            TcpBytes::Bytes(b) => b.clone(),
        };
        let how = curl::printf_nc(&bytes, &self.host, self.port);
        (
            self.tcp(bytes, send.parallel, send.trickle, step).await,
            how,
        )
    }
}
