//! Launching one server process and waiting until it is ready: an early
//! exit, the readiness deadline, and a server that listens elsewhere.

use crate::check::run::{Run, RunError, probe_ready};
use serverlings_core::outcome::Failure;
use serverlings_core::spec::{Ready, ServeSpec};
use serverlings_proc::process::{Owned, Spawn};
use std::time::{Duration, Instant};

/// Starts a binary of the crate (the server, a copy of it, a worker) in
/// the crate's folder, owned: its own process group, reaped on drop.
pub(in crate::check::run) fn spawn_in(
    exe: &std::path::Path,
    env: Vec<(String, String)>,
    cwd: &std::path::Path,
) -> Result<Owned, RunError> {
    Owned::spawn(Spawn {
        program: exe,
        args: vec![],
        env,
        cwd,
    })
    .map_err(|err| RunError::Spawn {
        what: exe.display().to_string(),
        err,
    })
}

impl Run<'_> {
    /// The server (`server`) or a process of `[serve] also`, by role, while
    /// one is held.
    pub(in crate::check::run) fn process_of(&mut self, role: &str) -> Option<&mut Owned> {
        if role == "server" {
            self.server.as_mut()
        } else {
            self.aux
                .iter_mut()
                .find(|a| a.role == role)
                .and_then(|a| a.proc.as_mut())
        }
    }

    /// Starts the server binary and waits until it is ready, notices an
    /// early exit, and gives up at the readiness deadline. Used by `start`
    /// and by `restart` steps (same port, same files).
    pub(in crate::check::run) async fn launch(
        &mut self,
        exe: &std::path::Path,
        env: Vec<(String, String)>,
        serve: &ServeSpec,
    ) -> Result<Result<String, Failure>, RunError> {
        let server = spawn_in(exe, env, &self.subject.crate_dir)?;
        let started = Instant::now();
        let server = self.server.insert(server);
        let deadline = started + serve.timeout;
        let mut backoff = Duration::from_millis(2);
        let mut next_look = started + Duration::from_millis(200);
        // Since when the server has listened only elsewhere (a grace of a
        // second: some servers open another port before the main one).
        let mut elsewhere_since: Option<Instant> = None;
        loop {
            if let Some(status) = server.try_exited() {
                // Let the pumps catch the last lines it wrote (a child that
                // kept the pipes open bounds the wait).
                server.drained(Duration::from_millis(300)).await;
                let strays = server.strays();
                if !strays.is_empty() {
                    let shown: Vec<String> = strays
                        .iter()
                        .map(|p| {
                            let at: Vec<String> = serverlings_proc::procs::listening_self(p.pid)
                                .iter()
                                .map(|a| a.to_string())
                                .collect();
                            if at.is_empty() {
                                format!("pid {} ({})", p.pid, p.comm)
                            } else {
                                format!("pid {} ({}) listening on {}", p.pid, p.comm, at.join(", "))
                            }
                        })
                        .collect();
                    let mut f = Failure::new(format!(
                        "the server's process exited ({}) and left {} running in the background: {}",
                        serverlings_proc::process::describe_exit(status),
                        if strays.len() == 1 { "a process" } else { "processes" },
                        shown.join("; ")
                    ))
                    .hint("stay in the foreground: do not fork into the background or call setsid(); a process manager (systemd, Docker, Kubernetes, this checker) watches the process it started");
                    f.details = server.tail.render(15);
                    return Ok(Err(f));
                }
                let mut f = Failure::new(format!("the server exited before it was ready ({})", serverlings_proc::process::describe_exit(status)))
                    .hint("a server runs until it is stopped: did main return, panic, or fail to bind? its last output is above");
                f.details = server.tail.render(15);
                return Ok(Err(f));
            }
            if probe_ready(self.port, &serve.ready, &self.client).await {
                crate::trace::event("ready", self.port);

                return Ok(Ok(format!(
                    "ready on 127.0.0.1:{} after {}",
                    self.port,
                    serverlings_core::duration::show(started.elapsed())
                )));
            }
            if Instant::now() >= next_look {
                next_look = Instant::now() + Duration::from_millis(200);
                let addrs = serverlings_proc::procs::listening(server.pid());
                if let Some(f) = listens_elsewhere(&addrs, self.port) {
                    let since = *elsewhere_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= Duration::from_secs(1) {
                        let mut f = f;
                        f.details = server.tail.render(15);
                        return Ok(Err(f));
                    }
                } else {
                    elsewhere_since = None;
                }
            }
            if Instant::now() >= deadline {
                let what = match &serve.ready {
                    Ready::Tcp => format!("accept connections on 127.0.0.1:{}", self.port),
                    Ready::Http(p) => format!(
                        "answer GET {p} with a 2xx status on 127.0.0.1:{}",
                        self.port
                    ),
                };
                let mut f = Failure::new(format!("the server did not {what} within {}", serverlings_core::duration::show(serve.timeout)))
                    .hint("read the port from the PORT environment variable and bind 127.0.0.1:$PORT before doing anything slow");
                f.details = server.tail.render(15);
                return Ok(Err(f));
            }
            // Most servers bind within their first tenth of a second: look
            // every timer tick (1 ms) until then, so a quick server is seen
            // ready about as soon as a tight connect loop would see it; then
            // back off to 25 ms for the slow starters.
            if started.elapsed() < Duration::from_millis(100) {
                tokio::time::sleep(Duration::from_micros(500)).await;
            } else {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_millis(25));
            }
        }
    }
}

/// The diagnosis when a server listens, but not where the checker connects
/// (127.0.0.1:`port`): another port, or only an address 127.0.0.1 does not
/// reach. `None` while it listens nowhere yet, or on the right socket.
pub(super) fn listens_elsewhere(addrs: &[std::net::SocketAddr], port: u16) -> Option<Failure> {
    use std::net::IpAddr;
    if addrs.is_empty() {
        return None;
    }
    let reaches = |a: &std::net::SocketAddr| {
        a.port() == port
            && match a.ip() {
                IpAddr::V4(ip) => ip.is_loopback() || ip.is_unspecified(),
                // [::] takes IPv4 too unless IPV6_V6ONLY is set.
                IpAddr::V6(ip) => ip.is_unspecified(),
            }
    };
    if addrs.iter().any(reaches) {
        return None;
    }
    let shown: Vec<String> = addrs.iter().map(|a| a.to_string()).collect();
    let on_port = addrs.iter().any(|a| a.port() == port);
    let f = if on_port {
        Failure::new(format!(
            "the server listens on {}, which 127.0.0.1:{port} does not reach",
            shown.join(", ")
        ))
        .hint("bind 127.0.0.1 (or 0.0.0.0) and the port from $PORT: a server on ::1 or another interface is not reachable at 127.0.0.1")
    } else {
        Failure::new(format!(
            "the server listens on {}, not on port {port} from $PORT",
            shown.join(", ")
        ))
        .hint("read the port from the PORT environment variable (std::env::var(\"PORT\")) instead of a fixed number")
    };
    Some(f.expected(format!("listening on 127.0.0.1:{port}"), shown.join(", ")))
}
