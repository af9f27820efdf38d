//! One step: dispatch on its action, judge what came back, keep captures.
//! Each kind of step is performed in the file of its family (`http`,
//! `streams`, `db`, `load`, `process`, `auth`), as the spec side has them.

mod auth;
mod db;
mod http;
mod load;
mod process;
mod streams;

use super::Run;
use super::report::mismatch_failure;
use serverlings_core::assert;
use serverlings_core::outcome::{Failure, StepStatus};
use serverlings_core::response::Response;
use serverlings_core::spec::{Action, Step};

/// What a step did: the answer to judge (or its failure), and the command
/// line that repeats it by hand.
type Answer = (Result<(Response, Vec<String>), Failure>, String);

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
        let judged = judges_itself(&step.action);
        let (result, how) = match &step.action {
            Action::Login(start) => {
                let start = start.render(&self.vars);
                (self.login(&start, step).await, String::new())
            }
            Action::Jwt { token, key } => (self.jwt_step(token, key.as_ref()), String::new()),
            Action::RotateKeys => self.rotate_keys(),
            Action::Run(r) => (self.run_step(r, step).await, String::new()),
            Action::Processes(role) => (
                self.processes_step(role),
                "ps -o pid,ppid,stat,comm --forest -g <the server's process group>".to_string(),
            ),
            Action::StartInstance(n) => (self.start_instance(*n).await, String::new()),
            Action::Signal(sig) => self.signal(sig, step).await,
            Action::Kill(role) => (self.kill(role).await, String::new()),
            Action::Start(role) => self.start_again(role).await,
            Action::Restart => (self.restart().await, String::new()),
            Action::Output(o) => (self.output_step(o, step).await, String::new()),
            Action::Calls(c) => (self.calls_step(c, step).await, String::new()),
            Action::File(f) => (self.file_step(f), format!("cat {}", f.path)),
            Action::Database(up) => self.database_step(up),
            Action::Sql(q) | Action::Explain(q) => self.sql_step(q, step).await,
            Action::Mysql(q) => self.mysql_step(q).await,
            Action::Queue(name) => self.queue_step(name).await,
            Action::Redis(args) => self.redis_step(args).await,
            Action::Load(l) => self.load_step(l, step).await,
            Action::LoadWait => self.load_wait(step).await,
            Action::Http(req) => self.http_step(req, step).await,
            Action::Sse(s) => self.sse_step(s, step).await,
            Action::Ws(session) => self.ws_step(session, step).await,
            Action::Tcp(send) => self.tcp_step(send, step).await,
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
                            serverlings_proc::process::describe_exit(status)
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

/// Steps that judge their own outcome (loads, signals, processes) skip the
/// checks on a response.
fn judges_itself(action: &Action) -> bool {
    matches!(
        action,
        Action::Run(_)
            | Action::StartInstance(_)
            | Action::RotateKeys
            | Action::Database(_)
            | Action::Load(_)
            | Action::LoadWait
            | Action::Calls(_)
            | Action::Output(_)
            | Action::Signal(_)
            | Action::Kill(_)
            | Action::Start(_)
            | Action::Restart
    )
}
