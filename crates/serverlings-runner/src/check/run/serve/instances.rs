//! The copies of `[serve] instances`: each on a port of its own, or on the
//! port another copy already serves (SO_REUSEPORT).

use super::launch::spawn_in;
use crate::check::run::{Run, RunError};
use serverlings_core::outcome::Failure;
use serverlings_core::spec::ServeSpec;
use serverlings_services::instance::free_port;
use std::time::{Duration, Instant};

impl Run<'_> {
    /// Starts instance `n` (2, 3, …): on the same port (the learner's code
    /// must use SO_REUSEPORT) or on its own, kept in `others`.
    pub(in crate::check::run) async fn launch_instance(
        &mut self,
        n: usize,
        exe: &std::path::Path,
        env: &[(String, String)],
        serve: &ServeSpec,
    ) -> Result<Result<String, Failure>, RunError> {
        let port = if serve.separate_ports {
            free_port().map_err(RunError::Files)?
        } else {
            self.port
        };
        self.vars.insert(format!("port_{n}"), port.to_string());
        self.vars
            .insert(format!("base_{n}"), format!("http://127.0.0.1:{port}"));
        let mut vars = self.vars.clone();
        vars.insert("instance".into(), n.to_string());
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| {
                if k == "PORT" {
                    (k.clone(), port.to_string())
                } else if let Some((_, t)) = serve.env.iter().find(|(name, _)| name == k) {
                    (k.clone(), t.render(&vars))
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect();
        let (first, first_port) = (self.server.take(), self.port);
        self.port = port;
        let result = if serve.separate_ports {
            self.launch(exe, env, serve).await
        } else {
            self.launch_on_shared_port(exe, env, serve).await
        };
        let started = self.server.take();
        self.server = first;
        self.port = first_port;
        let outcome = result?;
        let Some(proc) = started else {
            return Ok(Err(Failure::new(format!("instance {n} did not start"))));
        };
        let ready = match outcome {
            Ok(r) => r,
            Err(mut f) => {
                f.summary = format!(
                    "instance {n} {}",
                    f.summary.trim_start_matches("the server ")
                );
                return Ok(Err(f));
            }
        };
        self.ports[n - 1] = port;
        self.others[n - 2] = Some(proc);
        Ok(Ok(format!("instance {n}: {ready}")))
    }

    /// Starts a copy of the server on a port another copy already serves:
    /// it is ready once the kernel shows it listening there itself.
    pub(in crate::check::run) async fn launch_on_shared_port(
        &mut self,
        exe: &std::path::Path,
        env: Vec<(String, String)>,
        serve: &ServeSpec,
    ) -> Result<Result<String, Failure>, RunError> {
        let server = spawn_in(exe, env, &self.subject.crate_dir)?;
        let started = Instant::now();
        let server = self.server.insert(server);
        let port = self.port;
        let mut backoff = Duration::from_millis(2);
        loop {
            if let Some(st) = server.try_exited() {
                server.drained(Duration::from_millis(500)).await;
                let mut f = Failure::new(format!("exited ({}) while instance 1 holds the port ({port})", serverlings_proc::process::describe_exit(st)))
                    .hint("two processes can listen on one port only if each sets SO_REUSEPORT on its socket before bind (socket2 or tokio's TcpSocket)");
                f.details = server.tail.render(10);
                return Ok(Err(f));
            }
            let listening = serverlings_proc::procs::listening(server.pid());
            if listening.iter().any(|a| a.port() == port) {
                return Ok(Ok(format!(
                    "listening on port {port} beside the others after {}",
                    serverlings_core::duration::show(started.elapsed())
                )));
            }
            if started.elapsed() >= serve.timeout {
                let mut f = Failure::new(format!(
                    "did not listen on port {port} within {}",
                    serverlings_core::duration::show(serve.timeout)
                ))
                .hint("bind 127.0.0.1:$PORT with SO_REUSEPORT set, before doing anything slow");
                if !listening.is_empty() {
                    f.details.push(format!(
                        "it listens on {} instead",
                        listening
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                f.details.extend(server.tail.render(10));
                return Ok(Err(f));
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_millis(50));
        }
    }
}
