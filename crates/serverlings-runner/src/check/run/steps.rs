//! One step: dispatch on its action, judge what came back, keep captures.

use super::report::{mismatch_failure, no_service};
use super::{Run, plural};
use crate::probe::curl;
use crate::probe::http::{self, Prepared};
use serverlings_core::assert;
use serverlings_core::outcome::{Failure, StepStatus};
use serverlings_core::response::Response;
use serverlings_core::spec::{Action, Step, TcpBytes};

impl Run<'_> {
    pub(super) async fn step(&mut self, step: &Step) -> (StepStatus, Vec<String>) {
        let before = self.pgproxy.as_ref().map(|p| p.queries());
        let (status, mut notes) = self.step_inner(step).await;
        let (Some(before), Some(proxy)) = (before, self.pgproxy.as_ref()) else {
            return (status, notes);
        };
        let sent = proxy.queries() - before;
        if step.expect.queries.is_none() && step.expect.queries_max.is_none() {
            return (status, notes);
        }
        notes.push(format!(
            "{sent} quer{} sent to PostgreSQL",
            if sent == 1 { "y" } else { "ies" }
        ));
        if !matches!(status, StepStatus::Passed) {
            return (status, notes);
        }
        let wrong = match (step.expect.queries, step.expect.queries_max) {
            (Some(n), _) if sent != n => Some(format!("exactly {n}")),
            (_, Some(max)) if sent > max => Some(format!("at most {max}")),
            _ => None,
        };
        match wrong {
            None => (StepStatus::Passed, notes),
            Some(want) => {
                let f = Failure::new(format!("the server sent {sent} queries to PostgreSQL during this step, expected {want}"))
                    .expected(want, sent.to_string())
                    .hint(step.hint.clone().unwrap_or_else(|| "one query per item is the N+1 problem: load what a request needs in one query (WHERE id = ANY($1), a JOIN), or cache it".into()));
                (StepStatus::Failed(f), notes)
            }
        }
    }

    pub(super) async fn step_inner(&mut self, step: &Step) -> (StepStatus, Vec<String>) {
        // Steps that judge their own outcome (loads) skip the response checks.
        let mut judged = false;
        let (result, how) = match &step.action {
            Action::Login(start) => {
                let start = start.render(&self.vars);
                (self.login(&start, step).await, String::new())
            }
            Action::Jwt { token, key } => (self.jwt_step(token, key.as_ref()), String::new()),
            Action::Run(r) => {
                judged = true;
                (self.run_step(r, step).await, String::new())
            }
            Action::Processes(role) => (
                self.processes_step(role),
                "ps -o pid,ppid,stat,comm --forest -g <the server's process group>".to_string(),
            ),
            Action::StartInstance(n) => {
                judged = true;
                (self.start_instance(*n).await, String::new())
            }
            Action::RotateKeys => {
                judged = true;
                let result = match &self.oidc {
                    Some(p) => Ok((
                        Response::default(),
                        vec![format!(
                            "new signing key {}; the old one stays in the JWKS",
                            p.rotate()
                        )],
                    )),
                    None => Err(Failure::new("the identity provider is not running")),
                };
                (result, String::new())
            }
            Action::Database(up) => {
                judged = true;
                let result = match &self.pgproxy {
                    None => Err(Failure::new(
                        "the database connection is not routed through the checker",
                    )
                    .hint("a problem of the check: add proxy = [\"postgres\"] to [serve]")),
                    Some(p) => {
                        if *up {
                            p.restore();
                            Ok((
                                Response::default(),
                                vec!["PostgreSQL is reachable again".to_string()],
                            ))
                        } else {
                            p.cut();
                            Ok((
                                Response::default(),
                                vec![
                                    "every connection to PostgreSQL cut; new ones refused"
                                        .to_string(),
                                ],
                            ))
                        }
                    }
                };
                (result, String::new())
            }
            Action::Load(l) => {
                judged = true;
                let prepared = self.prepare(&l.request);
                let how = format!(
                    "wrk -c {} -d {}s {}",
                    l.concurrency,
                    l.duration.as_secs().max(1),
                    prepared.url
                );
                let plan = crate::probe::load::Plan {
                    concurrency: l.concurrency,
                    requests: l.requests,
                    duration: l.duration,
                };
                let before = self.footprint();
                if l.background {
                    let timeout = step.timeout;
                    let handle = tokio::spawn(async move {
                        crate::probe::load::run(&prepared, &plan, timeout).await
                    });
                    self.background = Some((handle, before));
                    (
                        Ok((
                            Response::default(),
                            vec![format!(
                                "{} clients started in the background",
                                l.concurrency
                            )],
                        )),
                        how,
                    )
                } else {
                    let outcome = crate::probe::load::run(&prepared, &plan, step.timeout).await;
                    (self.judge_load(&outcome, step, before).await, how)
                }
            }
            Action::File(f) => (self.file_step(f), format!("cat {}", f.path)),
            Action::Sql(q) | Action::Explain(q) => {
                let query = q.render(&self.vars);
                let explain = matches!(step.action, Action::Explain(_));
                let how = format!(
                    "psql \"$DATABASE_URL\" -c {:?}",
                    if explain {
                        format!("EXPLAIN {query}")
                    } else {
                        query.clone()
                    }
                );
                let result = match self.vars.get("database_url").cloned() {
                    None => Err(no_service("PostgreSQL", "postgres")),
                    Some(url) => {
                        let doc = if explain {
                            crate::probe::db::explain(&url, &query).await
                        } else {
                            crate::probe::db::rows(&url, &query).await
                        };
                        rows_answer("PostgreSQL", doc)
                    }
                };
                (result, how)
            }
            Action::Mysql(q) => {
                let query = q.render(&self.vars);
                let how = format!("mysql --database=<the check's database> -e {query:?}");
                let result = match self.vars.get("mysql_url").cloned() {
                    None => Err(no_service("MySQL", "mysql")),
                    Some(url) => {
                        rows_answer("MySQL", crate::services::mysql::rows(&url, &query).await)
                    }
                };
                (result, how)
            }
            Action::Queue(name) => {
                let name = name.render(&self.vars);
                let how = format!(
                    "rabbitmqctl list_queues -p <the check's vhost> name messages consumers | grep {name}"
                );
                let result = match self.vars.get("amqp_url").cloned() {
                    None => Err(no_service("RabbitMQ", "rabbitmq")),
                    Some(url) => crate::probe::db::queue(&url, &name)
                        .await
                        .map(|d| {
                            (
                                Response {
                                    status: 200,
                                    body: d.to_string().into_bytes(),
                                    ..Response::default()
                                },
                                vec![format!("queue {name}: {d}")],
                            )
                        })
                        .map_err(|e| Failure::new(format!("cannot read the queue {name}: {e}"))),
                };
                (result, how)
            }
            Action::Redis(args) => {
                let args: Vec<String> = args.iter().map(|a| a.render(&self.vars)).collect();
                let how = format!("redis-cli -u \"$REDIS_URL\" {}", args.join(" "));
                let result = match self.vars.get("redis_url").cloned() {
                    None => Err(no_service("Redis", "redis")),
                    Some(url) => crate::probe::db::redis(&url, &args)
                        .await
                        .map(|d| {
                            (
                                Response {
                                    status: 200,
                                    body: d.to_string().into_bytes(),
                                    ..Response::default()
                                },
                                vec![format!("{} → {d}", args.join(" "))],
                            )
                        })
                        .map_err(|e| Failure::new(format!("Redis did not answer the check: {e}"))),
                };
                (result, how)
            }
            Action::Calls(c) => {
                judged = true;
                (self.calls_step(c, step).await, String::new())
            }
            Action::Output(o) => {
                judged = true;
                (self.output_step(o, step).await, String::new())
            }
            Action::Signal(sig) => {
                judged = true;
                let how = format!(
                    "kill -{} <the server's pid>",
                    sig.name.trim_start_matches("SIG")
                );
                (self.signal_step(sig, step).await, how)
            }
            Action::Kill(role) => {
                judged = true;
                (self.kill(role).await, String::new())
            }
            Action::Start(role) => {
                judged = true;
                let result = match self.start_aux(role).await {
                    Ok(Ok(())) => Ok((
                        Response::default(),
                        vec![format!("the {role} started again")],
                    )),
                    Ok(Err(f)) => Err(f),
                    Err(e) => Err(Failure::new(e.to_string())),
                };
                (result, String::new())
            }
            Action::Restart => {
                judged = true;
                (self.restart().await, String::new())
            }
            Action::LoadWait => {
                judged = true;
                let how = String::new();
                match self.background.take() {
                    None => (
                        Err(Failure::new("no background load is running").hint(
                            "start one with `load = { ..., background = true }` in an earlier step",
                        )),
                        how,
                    ),
                    Some((handle, before)) => match handle.await {
                        Ok(outcome) => (self.judge_load(&outcome, step, before).await, how),
                        Err(e) => (
                            Err(Failure::new(format!("the background load failed: {e}"))),
                            how,
                        ),
                    },
                }
            }
            Action::Http(req) => {
                let prepared = self.prepare(req);
                let how = self.how_of(&prepared, req);
                let client = match self.client_for(req) {
                    Ok(c) => c,
                    Err(f) => return (StepStatus::Failed(f), vec![how]),
                };
                let result = if req.parallel > 1 {
                    match &client {
                        Sender::Plain(c) => self.parallel(c, &prepared, req.parallel, step).await,
                        Sender::Tls { .. } => Err(Failure::new(
                            "parallel HTTPS requests are not supported (fix the check)",
                        )),
                    }
                } else {
                    match client.send(&prepared, step.timeout).await {
                        Ok(resp) => {
                            let notes = if self.opts.verbose {
                                http::transcript(&prepared, Some(&resp))
                            } else {
                                vec![]
                            };
                            Ok((resp, notes))
                        }
                        Err(e) => {
                            let mut f = Failure::new(e.summary()).hint(e.hint());
                            if self.opts.verbose {
                                f.details.extend(http::transcript(&prepared, None));
                            }
                            Err(f)
                        }
                    }
                };
                (result, how)
            }
            Action::Sse(s) => {
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
                let result = match crate::probe::sse::read(
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
                            ms =
                                crate::probe::sse::judge(&stream, &step.expect, s.read, &self.vars);
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
            Action::Ws(session) => {
                let url = format!(
                    "ws://{}{}",
                    self.authority(),
                    session.path.render(&self.vars)
                );
                let how = format!("websocat {url}");
                let result = match crate::probe::ws::run(
                    &self.authority(),
                    session,
                    &self.vars,
                    step.timeout,
                )
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
            Action::Tcp(send) => {
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
        };
        let mut notes = Vec::new();
        let failure = match result {
            Err(f) => Some(f),
            Ok((_, extra)) if judged => {
                notes.extend(extra.iter().cloned());
                None
            }
            Ok((resp, extra)) => {
                notes.extend(extra.iter().cloned());
                let ms = assert::judge(&resp, &step.expect, &self.vars);
                if ms.is_empty() {
                    self.capture(step, &resp);
                    None
                } else {
                    Some(mismatch_failure(&ms, &resp, step))
                }
            }
        };
        match failure {
            None => (StepStatus::Passed, notes),
            Some(mut f) => {
                if f.curl.is_none() && !how.is_empty() {
                    f.curl = Some(how);
                }
                if let Some(h) = &step.hint {
                    f.hint = Some(h.clone());
                }
                if let Some(server) = self.server.as_mut() {
                    if let Some(status) = server.try_exited() {
                        f.details.push(format!(
                            "the server has exited ({})",
                            crate::process::describe_exit(status)
                        ));
                    }
                    let tail = server.tail.render(10);
                    if !tail.is_empty() {
                        f.details.push("the server's last output:".into());
                        f.details.extend(tail);
                    }
                }
                (StepStatus::Failed(f), notes)
            }
        }
    }

    pub(super) fn capture(&mut self, step: &Step, resp: &Response) {
        use serverlings_core::spec::Capture;
        for (name, c) in &step.capture {
            let value = match c {
                Capture::Header(h) => resp.header(h).map(String::from),
                Capture::Body => Some(String::from_utf8_lossy(&resp.body).into_owned()),

                Capture::EventId(last) => {
                    let ev = if *last {
                        self.events.last()
                    } else {
                        self.events.first()
                    };
                    ev.and_then(|e| e.id.clone())
                }
                Capture::Cookie(k) => resp.cookie(k),
                // Kept by the load step itself (judge_load).
                Capture::Load(_) => None,
                Capture::Json(p) => serde_json::from_slice::<serde_json::Value>(&resp.body)
                    .ok()
                    .and_then(|doc| {
                        serverlings_core::json_path::get(&doc, p)
                            .ok()
                            .flatten()
                            .cloned()
                    })
                    .map(|v| match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    }),
            };
            if let Some(v) = value {
                self.vars.insert(name.clone(), v);
            }
        }
    }
}

impl Run<'_> {
    /// How a request step is sent: HTTP/2 without TLS, HTTPS trusting the
    /// run's authority, from another loopback address, or the check's plain
    /// client.
    fn client_for(&self, req: &serverlings_core::spec::HttpRequest) -> Result<Sender, Failure> {
        let from = match &req.from {
            None => None,
            Some(t) => {
                let text = t.render(&self.vars);
                match text.parse::<std::net::IpAddr>() {
                    Ok(ip) if ip.is_loopback() && ip.is_ipv4() => Some(ip),
                    _ => {
                        return Err(Failure::new(format!(
                            "`from = \"{text}\"` is not a loopback IPv4 address"
                        ))
                        .hint(
                            "a request may leave from 127.0.0.2 … 127.255.255.254 (fix the check)",
                        ));
                    }
                }
            }
        };
        if req.https {
            let Some(tls) = &self.tls else {
                return Err(Failure::new(
                    "this HTTPS step needs the certificate the checker issues to the server it starts",
                )
                .hint("run `serverlings check`: a server you started yourself has no certificate from this run"));
            };
            return Ok(Sender::Tls {
                config: Box::new(tls.client.clone()),
                host: tls.host.clone(),
                port: tls.port,
                from,
            });
        }
        Ok(Sender::Plain(match (req.http2, from) {
            (true, _) => http::http2_client(),
            (false, Some(ip)) => http::client_from(ip),
            (false, None) => self.client.clone(),
        }))
    }

    /// The curl line that repeats a request step.
    fn how_of(&self, prepared: &Prepared, req: &serverlings_core::spec::HttpRequest) -> String {
        let mut extra = String::new();
        if req.http2 {
            extra.push_str(" --http2-prior-knowledge");
        }
        if let (true, Some(tls)) = (req.https, &self.tls) {
            let ca = self.vars.get("tls_ca").cloned().unwrap_or_default();
            extra.push_str(&format!(
                " --cacert {ca} --resolve {}:{}:127.0.0.1",
                tls.host, tls.port
            ));
        }
        if let Some(from) = &req.from {
            extra.push_str(&format!(" --interface {}", from.render(&self.vars)));
        }
        curl::curl(prepared).replacen("curl -i", &format!("curl -i{extra}"), 1)
    }
}

/// A database's answer to the check's own query, as the document its
/// `expect.json` judges.
fn rows_answer(
    database: &str,
    doc: Result<serde_json::Value, String>,
) -> Result<(Response, Vec<String>), Failure> {
    doc.map(|d| {
        (
            Response {
                status: 200,
                body: d.to_string().into_bytes(),
                ..Response::default()
            },
            vec![],
        )
    })
    .map_err(|e| {
        Failure::new(format!("{database} refused the check's query: {e}"))
            .hint("did the server create its tables (run its migrations) at start?")
    })
}

/// A request step's way to the server.
enum Sender {
    Plain(reqwest::Client),
    Tls {
        config: Box<rustls::ClientConfig>,
        host: String,
        port: u16,
        from: Option<std::net::IpAddr>,
    },
}

impl Sender {
    async fn send(
        &self,
        req: &Prepared,
        timeout: std::time::Duration,
    ) -> Result<Response, http::SendError> {
        match self {
            Sender::Plain(c) => http::send(c, req, timeout).await,
            Sender::Tls {
                config,
                host,
                port,
                from,
            } => crate::probe::tls::send(config, host, *port, *from, req, timeout).await,
        }
    }
}
