//! Starting what a check runs: the server (and its copies and workers),
//! the identity provider, the database proxy; restarts and kills.

use super::{Aux, Run, RunError, probe_ready};
use crate::cargo;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{Ready, ServeSpec};
use serverlings_proc::process::{Owned, Spawn};
use serverlings_services::instance::free_port;
use std::path::PathBuf;
use std::time::{Duration, Instant};

impl Run<'_> {
    /// Starts the server and waits until it is ready.
    pub(super) async fn start(
        &mut self,
        serve: &ServeSpec,
        build: &cargo::Build,
    ) -> Result<Result<String, Failure>, RunError> {
        let bin = match &serve.bin {
            None => self.subject.package.clone(),
            Some(role) => format!("{}-{role}", self.subject.package),
        };
        let Some(exe) = build.bins.get(&bin) else {
            let have: Vec<&str> = build.bins.keys().map(String::as_str).collect();
            return Ok(Err(Failure::new(format!("the crate has no binary `{bin}` to start"))
                .expected(format!("a binary named `{bin}`"), if have.is_empty() { "no binaries".to_string() } else { have.join(", ") })
                .hint("keep src/main.rs (or the [[bin]] section of Cargo.toml) as the exercise shipped it")));
        };
        self.port = free_port().map_err(RunError::Files)?;
        self.vars.insert("port".into(), self.port.to_string());
        self.vars
            .insert("base".into(), format!("http://127.0.0.1:{}", self.port));
        self.start_provider().await?;
        self.ensure_services().await?;
        self.issue_certificates()?;
        for d in &serve.dirs {
            std::fs::create_dir_all(d.render(&self.vars)).map_err(RunError::Files)?;
        }
        for (path, content) in &serve.files {
            let path = PathBuf::from(path.render(&self.vars));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(RunError::Files)?;
            }
            std::fs::write(path, content.render(&self.vars)).map_err(RunError::Files)?;
        }
        // A panic's message, not a page of backtrace frames, in the output
        // tail a failure shows (a spec's env can turn it back on).
        let mut env = vec![
            ("PORT".to_string(), self.port.to_string()),
            ("RUST_BACKTRACE".to_string(), "0".to_string()),
        ];

        if let Some(leases) = &self.leases {
            env.extend(leases.env());
        }
        self.vars.insert("instance".into(), "1".into());
        env.extend(
            serve
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.render(&self.vars))),
        );
        if serve.proxy_postgres {
            self.route_through_proxy(&mut env).await?;
        }
        self.launch_with = Some((exe.clone(), env.clone()));
        let notes = self.leases.as_ref().map(|l| l.notes()).unwrap_or_default();
        let ready = match self.launch(exe, env.clone(), serve).await? {
            Ok(r) => r,
            Err(f) => return Ok(Err(f)),
        };
        // The HTTPS listener comes up beside the plain one: seconds at most.
        if let Err(f) = self
            .https_ready(serve.timeout.min(Duration::from_secs(5)))
            .await
        {
            return Ok(Err(f));
        }
        self.ports = vec![self.port; serve.instances];
        self.others = (2..=serve.instances).map(|_| None).collect();
        let mut more = Vec::new();
        for n in 2..=serve.start {
            match self.launch_instance(n, exe, &env, serve).await? {
                Ok(note) => more.push(note),
                Err(f) => return Ok(Err(f)),
            }
        }
        for role in &serve.also {
            let bin = format!("{}-{role}", self.subject.package);
            let Some(exe) = build.bins.get(&bin) else {
                let have: Vec<&str> = build.bins.keys().map(String::as_str).collect();
                return Ok(Err(Failure::new(format!(
                    "the crate has no binary `{bin}` to start as its {role}"
                ))
                .expected(
                    format!("a binary named `{bin}` (src/bin/{bin}.rs)"),
                    have.join(", "),
                )
                .hint("keep the binaries as the exercise shipped them")));
            };
            let mut aux_env = env.clone();
            aux_env.push((
                "SERVER_URL".into(),
                format!("http://127.0.0.1:{}", self.port),
            ));
            self.aux.push(Aux {
                role: role.clone(),
                exe: exe.clone(),
                env: aux_env,
                proc: None,
            });
            if let Err(f) = self.start_aux(role).await? {
                return Ok(Err(f));
            }
            more.push(format!("{role} started"));
        }
        Ok(Ok(std::iter::once(ready)
            .chain(more)
            .chain(notes)
            .collect::<Vec<_>>()
            .join("; ")))
    }

    /// The check's own databases, vhosts and Redis slices, once: before the
    /// tests (which may use them) or the server.
    pub(super) async fn ensure_services(&mut self) -> Result<(), RunError> {
        let services = serverlings_services::kinds(&self.subject.services);
        if services.is_empty() || self.leases.is_some() {
            return Ok(());
        }
        let leases =
            serverlings_services::provision(&self.course_root(), &services, &self.subject.exercise)
                .await?;
        self.vars.extend(leases.vars());
        self.leases = Some(leases);
        Ok(())
    }

    /// `[tls]`: issues the run's authority and the server's certificate,
    /// writes them under `{tmp}/tls/`, and picks the HTTPS port.
    fn issue_certificates(&mut self) -> Result<(), RunError> {
        let Some(tls) = &self.spec.tls else {
            return Ok(());
        };
        if self.tls.is_some() {
            return Ok(());
        }
        let issued = serverlings_probe::tls::issue(&tls.hosts)
            .map_err(|e| RunError::Files(std::io::Error::other(e)))?;
        let dir = PathBuf::from(&self.vars["tmp"]).join("tls");
        std::fs::create_dir_all(&dir).map_err(RunError::Files)?;
        for (name, var, text) in [
            ("cert.pem", "tls_cert", &issued.chain_pem),
            ("key.pem", "tls_key", &issued.key_pem),
            ("ca.pem", "tls_ca", &issued.ca_pem),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(RunError::Files)?;
            self.vars.insert(var.into(), path.display().to_string());
        }
        let port = free_port().map_err(RunError::Files)?;
        let host = tls
            .hosts
            .first()
            .cloned()
            .unwrap_or_else(|| "localhost".into());
        let authority = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        self.vars.insert("https_port".into(), port.to_string());
        self.vars
            .insert("https_base".into(), format!("https://{authority}"));
        self.tls = Some(super::Tls {
            port,
            host,
            client: issued.client,
        });
        Ok(())
    }

    /// With `[tls]`, the server is ready once its HTTPS port accepts too.
    async fn https_ready(&self, timeout: Duration) -> Result<(), Failure> {
        let Some(tls) = &self.tls else {
            return Ok(());
        };
        let deadline = tokio::time::Instant::now() + timeout;
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], tls.port));
        loop {
            let attempt = tokio::time::timeout(
                Duration::from_millis(500),
                tokio::net::TcpStream::connect(addr),
            )
            .await;
            if let Ok(Ok(_)) = attempt {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(Failure::new(format!(
                    "the server did not accept connections on its HTTPS port {} within {}",
                    tls.port,
                    serverlings_core::duration::show(timeout)
                ))
                .expected(
                    format!("a TLS listener on 127.0.0.1:{}", tls.port),
                    "nothing listening",
                )
                .hint("the HTTPS port is given to the server in the environment the exercise names (see its header comment); listen on it beside $PORT"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Starts the identity provider of `[oidc]`, once the server's address
    /// (its redirect URI) is known, and names it for the templates.
    pub(super) async fn start_provider(&mut self) -> Result<(), RunError> {
        let Some(o) = &self.spec.oidc else {
            return Ok(());
        };
        if self.oidc.is_some() {
            return Ok(());
        }
        let setup = serverlings_probe::oidc::Setup {
            client_id: o.client_id.render(&self.vars),
            client_secret: o.client_secret.render(&self.vars),
            redirect_uri: format!(
                "http://127.0.0.1:{}{}",
                self.port,
                o.redirect_path.render(&self.vars)
            ),
            pkce: o.pkce,
            user: o
                .user
                .iter()
                .map(|(k, v)| (k.clone(), v.render(&self.vars)))
                .collect(),
        };
        let provider = serverlings_probe::oidc::Provider::start(setup.clone())
            .await
            .map_err(RunError::Files)?;
        self.vars.insert("oidc_issuer".into(), provider.issuer());
        self.vars.insert("oidc_client_id".into(), setup.client_id);
        self.vars
            .insert("oidc_client_secret".into(), setup.client_secret);
        self.vars
            .insert("oidc_redirect_uri".into(), setup.redirect_uri);
        self.oidc = Some(provider);
        Ok(())
    }

    /// Points the server's DATABASE_URL at the checker's proxy, which counts
    /// its queries and can cut the connection; `{database_url}` stays direct,
    /// so the checker's own queries are not counted.
    pub(super) async fn route_through_proxy(
        &mut self,
        env: &mut [(String, String)],
    ) -> Result<(), RunError> {
        let Some((_, url)) = env.iter_mut().find(|(k, _)| k == "DATABASE_URL") else {
            return Ok(());
        };
        let Ok(mut parsed) = url::Url::parse(url) else {
            return Ok(());
        };
        let upstream = format!(
            "{}:{}",
            parsed.host_str().unwrap_or("127.0.0.1"),
            parsed.port().unwrap_or(5432)
        );
        let proxy = serverlings_probe::pgproxy::Proxy::start(upstream)
            .await
            .map_err(RunError::Files)?;
        let _ = parsed.set_host(Some("127.0.0.1"));
        let _ = parsed.set_port(Some(proxy.port));
        *url = parsed.to_string();
        self.pgproxy = Some(proxy);
        Ok(())
    }

    /// Starts (again) the process of `[serve] also` with this role; it must
    /// still run a moment later.
    pub(super) async fn start_aux(&mut self, role: &str) -> Result<Result<(), Failure>, RunError> {
        let cwd = self.subject.crate_dir.clone();
        let Some(aux) = self.aux.iter_mut().find(|a| a.role == role) else {
            return Ok(Err(Failure::new(format!("no process `{role}`"))));
        };
        let proc = Owned::spawn(Spawn {
            program: &aux.exe,
            args: vec![],
            env: aux.env.clone(),
            cwd: &cwd,
        })
        .map_err(|err| RunError::Spawn {
            what: aux.exe.display().to_string(),
            err,
        })?;
        let proc = aux.proc.insert(proc);
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Some(st) = proc.try_exited() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let mut f = Failure::new(format!(
                "the {role} exited at start ({})",
                serverlings_proc::process::describe_exit(st)
            ))
            .hint(format!(
                "the {role} runs until it is stopped: read its last output above"
            ));
            f.details = proc.tail.render(10);
            return Ok(Err(f));
        }
        Ok(Ok(()))
    }

    /// SIGKILL of a process and its group, reaped: no goodbye, like a crash
    /// or the OOM killer.
    pub(super) async fn kill(&mut self, role: &str) -> Result<(Response, Vec<String>), Failure> {
        let proc = if role == "server" {
            self.server.as_mut()
        } else {
            self.aux
                .iter_mut()
                .find(|a| a.role == role)
                .and_then(|a| a.proc.as_mut())
        };
        let Some(proc) = proc else {
            return Err(Failure::new(format!("the {role} is not running")));
        };
        proc.signal_group(libc::SIGKILL);
        let status = proc.wait_for(Duration::from_secs(5)).await;
        let how = status.map_or(
            "not reaped".to_string(),
            serverlings_proc::process::describe_exit,
        );
        Ok((
            Response::default(),
            vec![format!("the {role} was killed ({how})")],
        ))
    }

    /// Starts instance `n` (2, 3, …): on the same port (the learner's code
    /// must use SO_REUSEPORT) or on its own, kept in `others`.
    pub(super) async fn launch_instance(
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

    /// The course folder (`.serverlings/services/` lives there), also when
    /// the workspace is verify's scratch copy inside it.
    pub(super) fn course_root(&self) -> PathBuf {
        serverlings_core::course::find_root(&self.subject.workspace)
            .unwrap_or_else(|| self.subject.workspace.clone())
    }

    /// Starts the server binary and waits until it is ready, notices an
    /// early exit, and gives up at the readiness deadline. Used by `start`
    /// and by `restart` steps (same port, same files).
    pub(super) async fn launch(
        &mut self,
        exe: &std::path::Path,
        env: Vec<(String, String)>,
        serve: &ServeSpec,
    ) -> Result<Result<String, Failure>, RunError> {
        let server = Owned::spawn(Spawn {
            program: exe,
            args: vec![],
            env,
            cwd: &self.subject.crate_dir,
        })
        .map_err(|err| RunError::Spawn {
            what: exe.display().to_string(),
            err,
        })?;
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

    /// Starts a copy of the server on a port another copy already serves:
    /// it is ready once the kernel shows it listening there itself.
    pub(super) async fn launch_on_shared_port(
        &mut self,
        exe: &std::path::Path,
        env: Vec<(String, String)>,
        serve: &ServeSpec,
    ) -> Result<Result<String, Failure>, RunError> {
        let server = Owned::spawn(Spawn {
            program: exe,
            args: vec![],
            env,
            cwd: &self.subject.crate_dir,
        })
        .map_err(|err| RunError::Spawn {
            what: exe.display().to_string(),
            err,
        })?;
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

    /// Stops the server if it still runs, then starts it again on the same
    /// port with the same environment and files.
    pub(super) async fn restart(&mut self) -> Result<(Response, Vec<String>), Failure> {
        let spec = self.spec;
        let Some(serve) = spec.serve.as_ref() else {
            return Err(Failure::new("there is no server to restart"));
        };
        if let Some(mut old) = self.server.take() {
            old.stop(serve.grace).await;
        }
        let Some((exe, env)) = self.launch_with.clone() else {
            return Err(Failure::new("the server was never started"));
        };
        match self.launch(&exe, env, serve).await {
            Ok(Ok(note)) => Ok((Response::default(), vec![format!("restarted, {note}")])),
            Ok(Err(f)) => Err(f),
            Err(e) => Err(self.infrastructure(e)),
        }
    }

    /// Keeps an infrastructure error for the step loop, which ends the
    /// check with it; the step itself shows it as its failure meanwhile.
    pub(super) fn infrastructure(&mut self, e: RunError) -> Failure {
        let f = Failure::new(format!("the check cannot go on: {e}"));
        self.infra = Some(e);
        f
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

#[cfg(test)]
mod tests {
    use super::listens_elsewhere;

    #[test]
    fn a_listener_elsewhere_is_named() {
        let a = |s: &str| s.parse::<std::net::SocketAddr>().unwrap();
        assert!(listens_elsewhere(&[], 8080).is_none());
        assert!(listens_elsewhere(&[a("127.0.0.1:8080")], 8080).is_none());
        assert!(listens_elsewhere(&[a("0.0.0.0:8080")], 8080).is_none());
        assert!(listens_elsewhere(&[a("[::]:8080")], 8080).is_none());
        assert!(listens_elsewhere(&[a("127.0.0.1:9100"), a("127.0.0.1:8080")], 8080).is_none());
        let f = listens_elsewhere(&[a("127.0.0.1:8081")], 8080).unwrap();
        assert!(
            f.summary.contains("127.0.0.1:8081, not on port 8080"),
            "{}",
            f.summary
        );
        let f = listens_elsewhere(&[a("[::1]:8080")], 8080).unwrap();
        assert!(
            f.summary
                .contains("[::1]:8080, which 127.0.0.1:8080 does not reach"),
            "{}",
            f.summary
        );
    }
}
