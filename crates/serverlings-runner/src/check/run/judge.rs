//! Steps that judge something other than one response: files, upstream
//! calls, output lines, signals, loads.

use super::report::failure_from;
use super::{Run, plural};
use serverlings_core::assert;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::Step;
use serverlings_probe::http;
use std::time::{Duration, Instant};

impl Run<'_> {
    /// Reads a file of the crate as a JSON document; the step's `json`
    /// assertions are then judged on it like a response body.
    pub(super) fn file_step(
        &self,
        f: &serverlings_core::spec::FileStep,
    ) -> Result<(Response, Vec<String>), Failure> {
        let path = self.subject.crate_dir.join(&f.path);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Failure::new(format!("cannot read {}: {e}", f.path))
                .hint(format!("create {} in the exercise's folder", f.path))
        })?;
        let doc = serverlings_core::files::document(f.kind, &text).map_err(|e| {
            Failure::new(format!("{}: {e}", f.path))
                .hint("fix the syntax first: the checker reads the file as a whole")
        })?;
        Ok((
            Response {
                status: 200,
                body: doc.to_string().into_bytes(),
                ..Response::default()
            },
            vec![],
        ))
    }

    /// Judges the calls an upstream received, waiting up to the step's
    /// timeout for calls still on their way (retries with a backoff).
    pub(super) async fn calls_step(
        &mut self,
        c: &serverlings_core::spec::CallsStep,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let Some(idx) = self.upstreams.iter().position(|u| u.name == c.upstream) else {
            return Err(Failure::new(format!(
                "no upstream `{}` is running",
                c.upstream
            )));
        };
        let since = if c.since_previous {
            self.call_marks
                .iter()
                .rev()
                .nth(1)
                .and_then(|m| m.get(idx))
                .copied()
                .unwrap_or(0)
        } else {
            0
        };
        let e = &step.expect.calls;
        let resolve = |n: &Option<serverlings_core::spec::Number>| {
            n.as_ref()
                .map(|n| n.count(&self.vars))
                .transpose()
                .map_err(|why| Failure::new(format!("the check's expectation: {why}")))
        };
        let count = resolve(&e.count)?.map(|n| n as usize);
        let count_min = resolve(&e.count_min)?.map(|n| n as usize);
        let count_max = resolve(&e.count_max)?.map(|n| n as usize);
        let gap_min_ms = resolve(&e.gap_min_ms)?;
        let deadline = Instant::now() + step.timeout;
        let prefix = c.path.as_ref().map(|p| p.render(&self.vars));
        loop {
            let calls: Vec<serverlings_probe::upstream::Call> = self.upstreams[idx]
                .calls(since)
                .into_iter()
                .filter(|call| c.method.as_ref().is_none_or(|m| *m == call.method))
                .filter(|call| {
                    prefix
                        .as_ref()
                        .is_none_or(|p| call.path.starts_with(p.as_str()))
                })
                .collect();
            let n = calls.len();
            let mut problems: Vec<(String, String, String)> = Vec::new();
            let too_few =
                count.is_some_and(|want| n < want) || count_min.is_some_and(|min| n < min);
            if let Some(want) = count
                && n != want
            {
                problems.push((
                    "calls".into(),
                    format!("{want} call{}", plural(want)),
                    n.to_string(),
                ));
            }
            if let Some(min) = count_min
                && n < min
            {
                problems.push(("calls".into(), format!("at least {min}"), n.to_string()));
            }
            if let Some(max) = count_max
                && n > max
            {
                problems.push(("calls".into(), format!("at most {max}"), n.to_string()));
            }
            if let Some(gap) = gap_min_ms {
                for pair in calls.windows(2) {
                    let ms = pair[1].at.duration_since(pair[0].at).as_millis() as u64;
                    if ms < gap {
                        problems.push((
                            "time between calls".into(),
                            format!("at least {gap} ms (a backoff)"),
                            format!("{ms} ms"),
                        ));
                        break;
                    }
                }
            }
            for (i, call) in calls.iter().enumerate() {
                for (name, a) in &step.expect.headers {
                    if let Some(m) = assert::text_assert(
                        &format!("call {} header {name}", i + 1),
                        a,
                        call.header(name),
                        &self.vars,
                    ) {
                        problems.push((m.what, m.expected, m.actual));
                    }
                }
                if let Some(a) = &step.expect.body {
                    let body = String::from_utf8_lossy(&call.body);
                    if let Some(m) = assert::text_assert(
                        &format!("call {} body", i + 1),
                        a,
                        Some(&body),
                        &self.vars,
                    ) {
                        problems.push((m.what, m.expected, m.actual));
                    }
                }
            }
            let summary: Vec<String> = calls
                .iter()
                .map(|call| {
                    format!(
                        "{} {} at +{}ms",
                        call.method,
                        call.path,
                        call.at.duration_since(calls[0].at).as_millis()
                    )
                })
                .collect();
            if problems.is_empty() {
                return Ok((
                    Response::default(),
                    vec![format!("{n} call{}: {}", plural(n), summary.join(", "))],
                ));
            }
            // Calls may still be on their way (a retry after a backoff).
            if too_few && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
            let (what, expected, actual) = problems.remove(0);
            let mut f = Failure::new(format!("upstream {}: {what}: expected {expected}, got {actual}", c.upstream))
                .expected(expected, actual)
                .hint(step.hint.clone().unwrap_or_else(|| "look at how the server calls this upstream: how many times, with which headers, how long it waits between retries".into()));
            for (w, ex, ac) in problems {
                f.details.push(format!("also {w}: expected {ex}, got {ac}"));
            }
            f.details.push(format!(
                "the calls: {}",
                if summary.is_empty() {
                    "none".into()
                } else {
                    summary.join(", ")
                }
            ));
            return Err(f);
        }
    }

    /// Reads the server's output (waiting up to the step's timeout for lines
    /// still being written) and judges it.
    pub(super) async fn output_step(
        &mut self,
        o: &serverlings_core::spec::OutputStep,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let Some(server) = self.server.as_ref() else {
            return Err(Failure::new("the server is not running")
                .hint("add a `restart = true` step before this one"));
        };
        let mark = if o.since_previous {
            self.marks.iter().rev().nth(1).copied().unwrap_or(0)
        } else {
            0
        };
        let deadline = Instant::now() + step.timeout;
        loop {
            let lines: Vec<String> = server
                .tail
                .since(mark)
                .into_iter()
                .filter(|(s, _)| match s {
                    serverlings_proc::process::Stream::Stdout => o.stdout,
                    serverlings_proc::process::Stream::Stderr => o.stderr,
                })
                .map(|(_, l)| l)
                .collect();
            let (ms, could_improve) =
                serverlings_probe::output::judge(&lines, &step.expect, &self.vars);
            if ms.is_empty() {
                return Ok((
                    Response::default(),
                    vec![format!(
                        "{} line{} judged",
                        lines.len(),
                        plural(lines.len())
                    )],
                ));
            }
            if !could_improve || Instant::now() >= deadline {
                return Err(failure_from(&ms).hint(step.hint.clone().unwrap_or_else(|| {
                    "print one line per event to stdout (JSON for structured logs), and never print secrets".into()
                })));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends a signal while requests are in flight, then judges how the
    /// server finished them, whether it refused new connections, and how
    /// (and how fast) it exited.
    pub(super) async fn signal_step(
        &mut self,
        sig: &serverlings_core::spec::SignalStep,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let exit = &step.expect.exit;
        let Some(server) = self.server.as_mut() else {
            return Err(Failure::new("the server is not running")
                .hint("add a `restart = true` step before this one"));
        };
        if let Some(st) = server.try_exited() {
            return Err(Failure::new(format!(
                "the server had already exited ({}) before {}",
                serverlings_proc::process::describe_exit(st),
                sig.name
            )));
        }
        let pid = server.pid();
        let mut inflight = tokio::task::JoinSet::new();
        let mut sent = 0;
        if let Some(req) = &sig.during {
            let prepared = self.prepare(req);
            for _ in 0..req.parallel {
                let (client, p, timeout) = (self.client.clone(), prepared.clone(), step.timeout);
                inflight.spawn(async move { http::send(&client, &p, timeout).await });
                sent += 1;
            }
        }
        tokio::time::sleep(sig.after).await;
        let signalled = Instant::now();
        // SAFETY: plain syscall on our own child's pid, which is not reaped yet.
        unsafe {
            libc::kill(pid, sig.signal);
        }
        let mut lost = Vec::new();
        while let Some(r) = inflight.join_next().await {
            match r {
                Ok(Ok(resp))
                    if step.expect.status.is_empty()
                        || step.expect.status.contains(&resp.status) => {}
                Ok(Ok(resp)) => lost.push(format!("answered {} {}", resp.status, resp.reason)),
                Ok(Err(e)) => lost.push(e.summary()),
                Err(e) => lost.push(e.to_string()),
            }
        }
        if !lost.is_empty() {
            return Err(Failure::new(format!("{} of {sent} requests in flight when {} arrived did not complete: {}", lost.len(), sig.name, lost[0]))
                .hint("on the signal, stop accepting new connections but let the requests already running finish, then exit (graceful shutdown)"));
        }
        let server = self.server.as_mut().expect("checked above");
        if exit.refused_after && server.try_exited().is_none() {
            let port = self.port;
            let connect = tokio::time::timeout(
                Duration::from_millis(300),
                tokio::net::TcpStream::connect(("127.0.0.1", port)),
            )
            .await;
            if matches!(connect, Ok(Ok(_))) {
                return Err(Failure::new(format!("a new connection was accepted after {} and the in-flight requests were done", sig.name))
                    .expected("connection refused", "accepted")
                    .hint("drop (close) the listener as soon as the signal arrives: stop accepting, finish what is in flight, exit"));
            }
        }
        let within = exit.within.unwrap_or(step.timeout);
        let status = server
            .wait_for(within.saturating_sub(signalled.elapsed()))
            .await;
        let Some(status) = status else {
            return Err(Failure::new(format!("the server did not exit within {} of {}", serverlings_core::duration::show(within), sig.name))
                .hint("after the in-flight requests are done, return from main: a listener loop or a task that never ends keeps the process alive"));
        };
        let took = serverlings_core::duration::show(signalled.elapsed());
        let code = match exit.code.as_ref().map(|n| n.value(&self.vars)).transpose() {
            Ok(c) => c,
            Err(why) => return Err(Failure::new(format!("the check's expectation: {why}"))),
        };
        if let Some(code) = code
            && status.code().map(i64::from) != Some(code)
        {
            return Err(Failure::new(format!("the server exited with {} after {}", serverlings_proc::process::describe_exit(status), sig.name))
                .expected(format!("exit code {code}"), serverlings_proc::process::describe_exit(status))
                .hint("handle the signal (tokio::signal) and return normally: being killed by it means nothing was drained"));
        }
        let answered = if sent > 0 {
            format!("{sent} requests in flight answered, ")
        } else {
            String::new()
        };
        Ok((
            Response::default(),
            vec![format!(
                "{answered}exited ({}) {took} after {}",
                serverlings_proc::process::describe_exit(status),
                sig.name
            )],
        ))
    }

    pub(super) fn footprint(&self) -> Option<serverlings_probe::load::Footprint> {
        let server = self.server.as_ref()?;
        serverlings_probe::load::footprint(server.pid())
    }

    pub(super) async fn judge_load(
        &mut self,
        outcome: &serverlings_probe::load::Outcome,
        step: &Step,
        before: Option<serverlings_probe::load::Footprint>,
    ) -> Result<(Response, Vec<String>), Failure> {
        let after = match self.server.as_ref() {
            Some(s) => serverlings_probe::load::settled_footprint(s.pid()).await,
            None => None,
        };
        let ms = serverlings_probe::load::judge(
            outcome,
            &step.expect.load,
            &step.expect.status,
            before.as_ref(),
            after.as_ref(),
        );
        let mut notes = vec![outcome.summary()];
        if let (Some(b), Some(a)) = (&before, &after) {
            if step.expect.load.busy_threads.is_some() {
                let shares = serverlings_probe::load::cpu_shares(b, a);
                notes.push(format!(
                    "server: {}",
                    serverlings_probe::load::show_shares(&shares)
                ));
            }
            notes.push(format!(
                "server: resident memory {:.1} → {:.1} MiB, open file descriptors {} → {}",
                b.rss_kib as f64 / 1024.0,
                a.rss_kib as f64 / 1024.0,
                b.fds,
                a.fds
            ));
        }
        if ms.is_empty() {
            use serverlings_core::spec::{Capture, LoadFigure};
            for (name, c) in &step.capture {
                if let Capture::Load(f) = c {
                    let v = match f {
                        LoadFigure::P50 => outcome.percentile_ms(0.50),
                        LoadFigure::P95 => outcome.percentile_ms(0.95),
                        LoadFigure::P99 => outcome.percentile_ms(0.99),
                        LoadFigure::Max => outcome.latency.max() as f64 / 1000.0,
                        LoadFigure::Rps => outcome.rps(),
                        LoadFigure::Requests => outcome.requests as f64,
                        LoadFigure::Errors => outcome.errors as f64,
                    };
                    // Counts as whole numbers ("600"), times with their
                    // fraction ("12.345").
                    let text = match f {
                        LoadFigure::Requests | LoadFigure::Errors => format!("{v:.0}"),
                        _ => format!("{v:.3}"),
                    };
                    self.vars.insert(name.clone(), text);
                }
            }
            return Ok((Response::default(), notes));
        }
        let first = &ms[0];
        let mut f = failure_from(&ms);
        f.details.extend(notes);
        f.hint = Some(step.hint.clone().unwrap_or_else(|| match first.what.as_str() {
            "errors" => "some requests got no answer under load: look for a panic, a full accept backlog, or a lock held across an .await".into(),
            w if w.ends_with("latency") => "requests wait too long under load: is CPU work or a blocking call running on the async workers? (spawn_blocking moves it off)".into(),
            w if w.contains("memory") || w.contains("descriptors") => "something grows with every request: a cache without a bound, a task or connection never dropped".into(),
            _ => "compare the expected and actual figures above".into(),
        }));
        Err(f)
    }
}
