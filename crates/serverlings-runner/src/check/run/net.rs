//! Talking to the server: preparing requests, parallel requests, raw TCP
//! exchanges, and the browser's part of a login.

use super::report::{caret_under, encode, fetch, mismatch_failure, raw_lines};
use super::{Run, plural};
use serverlings_core::assert;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{Body, Step};
use serverlings_probe::http::{self, Prepared};
use serverlings_probe::tcp;
use std::time::Duration;

impl Run<'_> {
    /// The checker as the browser: the learner's login route, the provider's
    /// authorize endpoint, back to the learner's callback with the cookies it
    /// set. The callback's answer is judged by the step's `expect`.
    pub(super) async fn login(
        &self,
        start: &str,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let Some(provider) = &self.oidc else {
            return Err(Failure::new("the identity provider is not running"));
        };
        let issuer = provider.issuer();
        let get = |url: String, cookies: String| Prepared {
            method: "GET".into(),
            url,
            headers: if cookies.is_empty() {
                vec![]
            } else {
                vec![("cookie".into(), cookies)]
            },
            body: vec![],
        };
        let send = |p: Prepared| fetch(&self.client, p, step.timeout);
        let first = send(get(
            format!("http://127.0.0.1:{}{start}", self.port),
            String::new(),
        ))
        .await?;
        let Some(to) = first
            .header("location")
            .filter(|_| (300..400).contains(&first.status))
            .map(String::from)
        else {
            return Err(Failure::new(format!("GET {start} should send the browser to the provider: a redirect with Location, got {} {}", first.status, first.reason))
                .hint("answer the login route with a 302 to the authorization endpoint of the discovery document, with client_id, redirect_uri, scope=openid, state, nonce and the PKCE code_challenge"));
        };
        if !to.starts_with(&format!("{issuer}/authorize")) {
            return Err(Failure::new(format!(
                "GET {start} redirects to {to}, not to the provider's authorization endpoint"
            ))
            .expected(format!("{issuer}/authorize?…"), to)
            .hint("read authorization_endpoint from {issuer}/.well-known/openid-configuration"));
        }
        let cookies: Vec<String> = first
            .headers_named("set-cookie")
            .filter_map(|c| c.split(';').next().map(str::to_string))
            .collect();
        let at_provider = send(get(to.clone(), String::new())).await?;
        let refused = provider.take_refusals();
        let Some(back) = at_provider
            .header("location")
            .filter(|_| at_provider.status == 302)
            .map(String::from)
        else {
            return Err(Failure::new(format!("the provider refused the authorization request: {}", refused.first().cloned().unwrap_or_else(|| format!("{} {}", at_provider.status, at_provider.reason))))
                .detail(format!("the request: {to}"))
                .hint("the authorization request carries response_type=code, the registered client_id and redirect_uri, scope openid, a random state, a nonce, and code_challenge with code_challenge_method=S256"));
        };
        let callback = send(get(back.clone(), cookies.join("; "))).await?;
        let mut notes = vec![format!(
            "{start} → provider → {}",
            back.split('?').next().unwrap_or(&back)
        )];
        let refused = provider.take_refusals();
        if let Some(why) = refused.first() {
            notes.push(format!("the provider refused: {why}"));
            if (200..400).contains(&callback.status) && step.expect.status.is_empty() {
                return Err(Failure::new(format!("the provider refused the token request: {why}"))
                    .hint("exchange the code at the token endpoint with grant_type, code, the same redirect_uri, your client credentials and the code_verifier"));
            }
        }
        Ok((callback, notes))
    }

    /// `host:port` of the server under test (`[::1]:port` for IPv6).
    pub(super) fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    pub(super) fn prepare(&self, req: &serverlings_core::spec::HttpRequest) -> Prepared {
        let mut url = match (&self.tls, req.https) {
            (Some(tls), true) => {
                let host = if tls.host.contains(':') {
                    format!("[{}]", tls.host)
                } else {
                    tls.host.clone()
                };
                format!("https://{host}:{}{}", tls.port, req.path.render(&self.vars))
            }
            _ => format!("http://{}{}", self.authority(), req.path.render(&self.vars)),
        };
        if !req.query.is_empty() {
            let q: Vec<String> = req
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(&v.render(&self.vars))))
                .collect();
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&q.join("&"));
        }
        let mut headers: Vec<(String, String)> = req
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.render(&self.vars)))
            .collect();
        let body = match &req.body {
            Body::None => vec![],
            Body::Text(t) => t.render(&self.vars).into_bytes(),
            Body::Bytes(b) => b.clone(),
            Body::Json(j) => {
                if !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                {
                    headers.push(("content-type".into(), "application/json".into()));
                }
                assert::render_json(j, &self.vars).to_string().into_bytes()
            }
        };
        Prepared {
            method: req.method.clone(),
            url,
            headers,
            body,
        }
    }

    pub(super) async fn parallel(
        &self,
        client: &reqwest::Client,
        prepared: &Prepared,
        n: usize,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..n {
            let (client, p, timeout) = (client.clone(), prepared.clone(), step.timeout);

            set.spawn(async move { http::send(&client, &p, timeout).await });
        }
        let mut first_ok = None;
        let mut errors = Vec::new();
        let mut slowest = Duration::ZERO;
        let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        while let Some(r) = set.join_next().await {
            match r {
                Ok(Ok(resp)) => {
                    slowest = slowest.max(resp.elapsed);
                    if let Some((of, _)) = &step.expect.distinct {
                        seen.insert(match of {
                            Some(h) => resp.header(h).unwrap_or("(absent)").to_string(),
                            None => String::from_utf8_lossy(&resp.body).into_owned(),
                        });
                    }
                    let ms = assert::judge(&resp, &step.expect, &self.vars);
                    if !ms.is_empty() {
                        return Err(mismatch_failure(&ms, &resp, step)
                            .detail(format!("(one of {n} concurrent requests)")));
                    }
                    first_ok.get_or_insert(resp);
                }
                Ok(Err(e)) => errors.push(e),
                Err(e) => errors.push(http::SendError::Other(e.to_string())),
            }
        }
        if let Some(e) = errors.first() {
            return Err(Failure::new(format!("{} of {n} concurrent requests got no answer: {}", errors.len(), e.summary()))
                .hint(step.hint.clone().unwrap_or_else(|| "handle each connection in its own task (tokio::spawn) so one slow client does not block the others".into())));
        }
        if let Some((of, min)) = &step.expect.distinct
            && seen.len() < *min
        {
            let what = of
                .as_ref()
                .map_or("bodies".to_string(), |h| format!("values of {h}"));
            let shown: Vec<&str> = seen.iter().map(String::as_str).take(5).collect();
            return Err(Failure::new(format!("{n} concurrent requests saw {} distinct {what}: {}", seen.len(), shown.join(", ")))
                .expected(format!("at least {min} distinct {what}"), seen.len().to_string())
                .hint(step.hint.clone().unwrap_or_else(|| "all the answers came from one place: are the other processes (or workers) really serving this port?".into())));
        }
        let resp = first_ok.unwrap_or_default();
        Ok((
            resp,
            vec![format!(
                "{n} concurrent requests answered, slowest in {}",
                serverlings_core::duration::show(slowest)
            )],
        ))
    }

    pub(super) async fn tcp(
        &self,
        bytes: Vec<u8>,
        parallel: usize,
        trickle: Option<Duration>,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let e = &step.expect;
        let until = tcp::Until {
            responses: e.responses.unwrap_or(1),
            wait_close: e.closed == Some(true),
            linger: if e.closed == Some(false) {
                Duration::from_millis(150)
            } else {
                Duration::ZERO
            },
            silent: e.silent,
            trickle,
        };
        if parallel == 1 {
            let ex = tcp::exchange(&self.authority(), &bytes, until, step.timeout, None).await;
            if self.opts.verbose {
                let mut lines: Vec<String> = raw_lines(&bytes)
                    .into_iter()
                    .map(|l| format!("> {l}"))
                    .collect();
                if let Ok(ex) = &ex {
                    lines.extend(raw_lines(&ex.raw).into_iter().map(|l| format!("< {l}")));
                    lines.push(if ex.closed {
                        "< (connection closed)".into()
                    } else {
                        "< (connection open)".into()
                    });
                }
                return match self.judge_exchange(ex, until, step) {
                    Ok((resp, mut notes)) => {
                        notes.extend(lines);
                        Ok((resp, notes))
                    }
                    Err(mut f) => {
                        f.details.extend(lines);
                        Err(f)
                    }
                };
            }
            return self.judge_exchange(ex, until, step);
        }
        // Every connection stays open until all have their answer: a server
        // that serves one connection at a time cannot pass.
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(parallel));
        let bytes = std::sync::Arc::new(bytes);
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..parallel {
            let (barrier, bytes, addr, timeout) = (
                barrier.clone(),
                bytes.clone(),
                self.authority(),
                step.timeout,
            );
            set.spawn(
                async move { tcp::exchange(&addr, &bytes, until, timeout, Some(&barrier)).await },
            );
        }
        let mut first = None;
        let mut failures = Vec::new();
        while let Some(joined) = set.join_next().await {
            let ex = joined.unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
            match self.judge_exchange(ex, until, step) {
                Ok((resp, _)) => {
                    let ms = assert::judge(&resp, &step.expect, &self.vars);
                    if !ms.is_empty() {
                        return Err(mismatch_failure(&ms, &resp, step)
                            .detail(format!("(one of {parallel} connections held open at once)")));
                    }
                    first.get_or_insert(resp);
                }
                Err(f) => failures.push(f),
            }
        }
        if let Some(f) = failures.first() {
            let answered = parallel - failures.len();
            return Err(Failure::new(format!(
                "{answered} of {parallel} connections held open at once were answered; the others: {}",
                f.summary
            ))
            .hint("serve each connection in its own task (tokio::spawn): while one client keeps its connection open, the others must still be answered"));
        }
        Ok((
            first.unwrap_or_default(),
            vec![format!(
                "{parallel} connections held open at once, all answered"
            )],
        ))
    }

    pub(super) fn judge_exchange(
        &self,
        ex: std::io::Result<tcp::Exchange>,
        until: tcp::Until,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let e = &step.expect;
        let ex = ex.map_err(|err| {
            if err.kind() == std::io::ErrorKind::ConnectionRefused {
                Failure::new("connection refused").hint(http::SendError::Refused.hint())
            } else {
                Failure::new(format!("the connection failed: {err}"))
            }
        })?;
        if let Some(quiet) = e.silent {
            let waited = serverlings_core::duration::show(quiet);
            if ex.closed {
                return Err(Failure::new(format!("the server closed the connection within {waited}"))
                    .expected(format!("no answer and an open connection for {waited}"), "closed")
                    .hint("the request is not complete yet: keep reading until the blank line (and the whole body) has arrived"));
            }
            if !ex.raw.is_empty() {
                return Err(Failure::new(format!("the server answered an incomplete request within {waited}"))
                    .expected(format!("silence for {waited}"), serverlings_core::response::show_bytes(&ex.raw, 200))
                    .hint("the request is not complete yet: keep reading until the blank line (and the whole body) has arrived"));
            }
            return Ok((
                Response::default(),
                vec![format!("silent for {waited}, connection open")],
            ));
        }

        if let Some((msg, at, rest)) = &ex.invalid {
            if ex.raw.len() > http::MAX_BODY {
                return Err(Failure::new("the server kept sending: more than 8 MiB came back without a complete response")
                    .hint(http::SendError::TooLarge(http::MAX_BODY).hint()));
            }
            let mut f = Failure::new(format!("the server's answer is not valid HTTP: {msg}"))
                .hint(http::SendError::Protocol(String::new()).hint());
            if !(rest.is_empty() && ex.raw.is_empty()) {
                f.details.push(caret_under(&ex.raw, *at));
            }
            return Err(f);
        }
        let want = until.responses;
        if ex.responses.len() < want {
            let got = ex.responses.len();
            let why = if ex.closed {
                "then it closed the connection"
            } else {
                "then nothing more came"
            };
            let f = Failure::new(format!("expected {want} response{} on this connection, got {got}", plural(want)))
                .expected(format!("{want} complete response{}", plural(want)), format!("{got}, {why}"))
                .hint(if ex.closed && got > 0 {
                    "HTTP/1.1 connections stay open by default: after answering, go back to reading the next request on the same socket unless the client sent `Connection: close`"
                } else if ex.raw.is_empty() && ex.closed {
                    "the server closed the connection without answering: does it read the request fully and write a response before closing?"
                } else {
                    "does the server write a complete response (status line, headers, blank line, body of Content-Length bytes)?"
                });
            return Err(f);
        }
        if e.closed == Some(true) && !ex.closed {
            return Err(Failure::new(format!("the server kept the connection open for {} after answering", serverlings_core::duration::show(step.timeout)))
                .expected("the connection closed after the response", "still open")
                .hint("when the request says `Connection: close`, close the socket after writing the response"));
        }
        if e.closed == Some(false) && ex.closed {
            return Err(Failure::new("the server closed the connection after answering")
                .expected("the connection kept open (HTTP/1.1 keep-alive)", "closed")
                .hint("HTTP/1.1 connections stay open by default: loop and read the next request on the same socket"));
        }
        let notes = if ex.responses.len() > 1 {
            vec![format!(
                "{} responses on one connection",
                ex.responses.len()
            )]
        } else {
            vec![]
        };
        let mut first = ex.responses.into_iter().next().unwrap_or_default();
        if want == 0 {
            first.status = e.status.first().copied().unwrap_or(0);
        }
        Ok((first, notes))
    }
}
