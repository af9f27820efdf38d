//! Steps about processes rather than requests: run a binary to its exit,
//! read the server's process tree, start a deferred instance; and reading a
//! token the server issued.

use super::Run;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{RunStep, Step};
use serverlings_proc::process::{Owned, Spawn};
use std::time::{Duration, Instant};

/// A JSON document as the body a step's `expect.json` reads.
fn document(doc: &serde_json::Value) -> Response {
    Response {
        status: 200,
        body: doc.to_string().into_bytes(),
        ..Response::default()
    }
}

impl Run<'_> {
    /// Runs a binary of the crate with the server's environment (or PORT
    /// and the services'), changed as the step says, until it exits; judges
    /// its exit code and its output.
    pub(super) async fn run_step(
        &mut self,
        r: &RunStep,
        step: &Step,
    ) -> Result<(Response, Vec<String>), Failure> {
        let bin = match &r.bin {
            None => self.subject.package.clone(),
            Some(role) => format!("{}-{role}", self.subject.package),
        };
        let Some(exe) = self.bins.get(&bin).cloned() else {
            return Err(
                Failure::new(format!("the crate has no binary `{bin}` to run"))
                    .hint("keep the binaries as the exercise shipped them"),
            );
        };
        let port = serverlings_services::instance::free_port()
            .map_err(|e| Failure::new(format!("no free port for the run: {e}")))?;
        let mut env: Vec<(String, String)> = match &self.launch_with {
            Some((_, env)) => env.clone(),
            None => {
                let mut env = vec![("RUST_BACKTRACE".to_string(), "0".to_string())];
                if let Some(leases) = &self.leases {
                    env.extend(leases.env());
                }
                env
            }
        };
        // Its own port: the server may be running on the check's.
        env.retain(|(k, _)| k != "PORT");
        env.push(("PORT".into(), port.to_string()));
        for (k, v) in &r.env {
            env.retain(|(old, _)| old != k);
            env.push((k.clone(), v.render(&self.vars)));
        }
        env.retain(|(k, _)| !r.unset.contains(k));
        let args: Vec<String> = r.args.iter().map(|a| a.render(&self.vars)).collect();
        let shown = format!(
            "{} {}{}",
            r.env
                .iter()
                .map(|(k, v)| format!("{k}={}", v.render(&self.vars)))
                .chain(r.unset.iter().map(|k| format!("-u {k}")))
                .collect::<Vec<_>>()
                .join(" "),
            exe.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
            args.iter().map(|a| format!(" {a}")).collect::<String>()
        );
        let mut proc = Owned::spawn(Spawn {
            program: &exe,
            args,
            env,
            cwd: &self.subject.crate_dir,
        })
        .map_err(|e| Failure::new(format!("cannot start {}: {e}", exe.display())))?;
        let started = Instant::now();
        let within = step.expect.exit.within.unwrap_or(step.timeout);
        let status = proc.wait_for(within).await;
        let Some(status) = status else {
            proc.stop(Duration::from_millis(500)).await;
            let mut f = Failure::new(format!(
                "`{}` was still running after {}",
                shown.trim(),
                serverlings_core::duration::show(within)
            ))
            .hint("with this configuration the program must stop by itself: check it at start, print every problem, and exit with a non-zero code");
            f.details = proc.tail.render(15);
            return Err(f);
        };
        proc.drained(Duration::from_secs(2)).await;
        let took = serverlings_core::duration::show(started.elapsed());
        let lines: Vec<String> = proc
            .tail
            .last(usize::MAX)
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        let exit = serverlings_proc::process::describe_exit(status);
        let code = match step
            .expect
            .exit
            .code
            .as_ref()
            .map(|n| n.value(&self.vars))
            .transpose()
        {
            Ok(c) => c,
            Err(why) => return Err(Failure::new(format!("the check's expectation: {why}"))),
        };
        if let Some(code) = code
            && status.code().map(i64::from) != Some(code)
        {
            let mut f = Failure::new(format!("`{}` ended with {exit}", shown.trim()))
                .expected(format!("exit code {code}"), exit.clone())
                .hint(step.hint.clone().unwrap_or_else(|| {
                    "the exit code tells the caller (a shell, systemd, Kubernetes) whether start-up failed: exit(0) only when all is well".into()
                }));
            f.details = proc.tail.render(15);
            return Err(f);
        }
        let (ms, _) = serverlings_probe::output::judge(&lines, &step.expect, &self.vars);
        if !ms.is_empty() {
            let mut f =
                super::report::failure_from(&ms).hint(step.hint.clone().unwrap_or_else(|| {
                    "print what went wrong, each problem on its own line, before exiting".into()
                }));
            f.details.push(format!("what `{}` printed:", shown.trim()));
            f.details.extend(proc.tail.render(15));
            return Err(f);
        }
        Ok((
            Response::default(),
            vec![format!(
                "`{}` ended with {exit} after {took}, {} line{} of output",
                shown.trim(),
                lines.len(),
                super::plural(lines.len())
            )],
        ))
    }

    /// The process tree under the server (or a worker) as a JSON document.
    pub(super) fn processes_step(
        &mut self,
        role: &str,
    ) -> Result<(Response, Vec<String>), Failure> {
        let Some(proc) = self.process_of(role) else {
            return Err(Failure::new(format!("the {role} is not running")));
        };
        if let Some(st) = proc.try_exited() {
            return Err(Failure::new(format!(
                "the {role} has exited ({})",
                serverlings_proc::process::describe_exit(st)
            )));
        }
        let procs = serverlings_proc::procs::all();
        let tree = serverlings_proc::procs::tree(proc.pid(), &procs);
        let doc = serverlings_proc::procs::document(&tree);
        let summary: Vec<String> = tree
            .iter()
            .map(|p| format!("{} {} ({})", p.pid, p.comm, p.state))
            .collect();
        Ok((
            document(&doc),
            vec![format!("processes: {}", summary.join(", "))],
        ))
    }

    /// Starts instance `n` of `[serve]`, which waited for this step.
    pub(super) async fn start_instance(
        &mut self,
        n: usize,
    ) -> Result<(Response, Vec<String>), Failure> {
        let spec = self.spec;
        let Some(serve) = spec.serve.as_ref() else {
            return Err(Failure::new("there is no [serve] table"));
        };
        let Some((exe, env)) = self.launch_with.clone() else {
            return Err(Failure::new("the server was never started"));
        };
        match self.launch_instance(n, &exe, &env, serve).await {
            Ok(Ok(note)) => Ok((Response::default(), vec![note])),
            Ok(Err(f)) => Err(f),
            Err(e) => Err(self.infrastructure(e)),
        }
    }

    /// A JWT as `{ header, claims, valid, expires_in }`.
    pub(super) fn jwt_step(
        &self,
        token: &serverlings_core::template::Template,
        key: Option<&serverlings_core::template::Template>,
    ) -> Result<(Response, Vec<String>), Failure> {
        let token = token.render(&self.vars);
        let key = key.map(|k| k.render(&self.vars));
        let d = serverlings_core::tokens::decode_jwt(&token, key.as_deref().map(str::as_bytes))
            .map_err(|e| {
                Failure::new(format!("not a JWT: {e}"))
                    .expected("header.payload.signature, each base64url", shown_token(&token))
                    .hint("a JWT is three base64url parts joined by dots: the header and claims as JSON, then the signature")
            })?;
        let now = serverlings_core::tokens::unix_now();
        let expires_in = d
            .claims
            .get("exp")
            .and_then(|e| e.as_i64())
            .map(|e| e - now);
        let doc = serde_json::json!({
            "header": d.header,
            "claims": d.claims,
            "valid": d.valid,
            "expires_in": expires_in,
        });
        let alg = doc["header"]["alg"].as_str().unwrap_or("?").to_string();
        let valid = match d.valid {
            Some(true) => "signature verified",
            Some(false) => "signature does NOT verify",
            None => "signature not checked",
        };
        Ok((document(&doc), vec![format!("{alg} token, {valid}")]))
    }
}

/// A token cut short for a report.
fn shown_token(t: &str) -> String {
    let mut s: String = t.chars().take(60).collect();
    if t.chars().count() > 60 {
        s.push('…');
    }
    s
}
