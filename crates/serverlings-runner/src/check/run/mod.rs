//! Running a check: build → test → serve → steps, then teardown, always.
//! Produces a `CheckReport`; only infrastructure problems are errors.

// A `Failure` is the learner's report of a step (what was expected, what
// came, the hint, the transcript): built once per failing step and moved
// into the report, so its size does not matter on the error path.
#![allow(clippy::result_large_err)]

mod judge;
mod net;
mod phases;
mod procs;
mod protect;
mod report;
mod serve;
mod steps;

use report::step_name;

use crate::cargo;
use serverlings_core::outcome::{CheckReport, Event, Phase, StepReport, StepStatus, Target};
use serverlings_core::rng::Rng;
use serverlings_core::spec::{Ready, Spec, VarKind};
use serverlings_probe::http::{self, Prepared};
use serverlings_proc::process::Owned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Cargo(#[from] cargo::CargoError),
    #[error("cannot start {what}: {err}")]
    Spawn { what: String, err: std::io::Error },
    #[error("cannot prepare the check's files: {0}")]
    Files(std::io::Error),
    /// A service the exercise needs cannot be provided ("needs PostgreSQL").
    #[error(transparent)]
    Service(#[from] serverlings_services::ServiceError),
}

/// The crate to check and how to build it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub exercise: String,
    pub target: Target,
    /// The workspace to run cargo in.
    pub workspace: PathBuf,
    /// The crate's folder (tests and the server run there).
    pub crate_dir: PathBuf,
    pub package: String,
    /// Extra environment for cargo (a shared `CARGO_TARGET_DIR`).
    pub cargo_env: Vec<(String, String)>,
    /// Services the check needs (`services` in part.toml).
    pub services: Vec<String>,
    /// The reference solution's crate (mutation tests run against it).
    pub reference_dir: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    pub colour: bool,
    /// Keep the full transcript of every exchange (`>` sent, `<` received).
    pub verbose: bool,
    /// Probe a server someone else started instead of building and
    /// starting the crate (`serverlings probe --url`).
    pub attach: Option<Attach>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pub host: String,
    pub port: u16,
}

/// Cancels a running check (Ctrl-C, a new save in watch mode).
#[derive(Debug, Clone)]
pub struct Cancel(watch::Receiver<bool>);

impl Cancel {
    pub fn new() -> (watch::Sender<bool>, Cancel) {
        let (tx, rx) = watch::channel(false);
        (tx, Cancel(rx))
    }
    async fn cancelled(&mut self) {
        while !*self.0.borrow() {
            if self.0.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

pub type Sink<'a> = &'a (dyn Fn(Event) + Send + Sync);

struct Run<'a> {
    subject: &'a Subject,
    spec: &'a Spec,
    opts: &'a Options,
    sink: Sink<'a>,
    steps: Vec<StepReport>,
    server: Option<Owned>,
    port: u16,
    vars: HashMap<String, String>,
    client: reqwest::Client,
    /// Events read by the last sse step, for captures.
    events: Vec<serverlings_probe::sse::Event>,
    /// An infrastructure error a step hit (a process that cannot be
    /// spawned again): the check ends with it instead of blaming the
    /// learner's code.
    infra: Option<RunError>,
    /// A load started with `background = true`, and the server's footprint then.
    background: Option<(
        tokio::task::JoinHandle<serverlings_probe::load::Outcome>,
        Option<serverlings_probe::load::Footprint>,
    )>,
    /// The binary and environment the server was started with, for restarts.
    launch_with: Option<(PathBuf, Vec<(String, String)>)>,
    /// How many output lines the server had written when each step began.
    marks: Vec<usize>,
    /// The check's own databases and vhosts, released after the server stops.
    leases: Option<serverlings_services::lease::Leases>,
    /// Where the server listens: loopback, or the host of `--url`.
    host: String,
    /// The port of each instance (index 0 is instance 1).
    ports: Vec<u16>,
    /// Instances 2, 3, … (instance 1 is `server`).
    others: Vec<Option<Owned>>,
    /// The scripted upstreams of the check.
    upstreams: Vec<serverlings_probe::upstream::Upstream>,
    /// Between the server and PostgreSQL when `[serve] proxy` asks for it.
    pgproxy: Option<serverlings_probe::pgproxy::Proxy>,
    /// The processes of `[serve] also` (workers).
    aux: Vec<Aux>,
    /// The identity provider of `[oidc]`.
    oidc: Option<serverlings_probe::oidc::Provider>,
    /// Calls each upstream had received when each step began.
    call_marks: Vec<Vec<usize>>,
    /// The crate's binaries by name, once it is built.
    bins: std::collections::BTreeMap<String, PathBuf>,
    /// `[tls]`: the HTTPS port and a client trusting the run's authority.
    tls: Option<Tls>,
}

pub(super) struct Tls {
    pub(super) port: u16,
    /// The name requests send (SNI and Host): the first of `[tls] hosts`.
    pub(super) host: String,
    pub(super) client: rustls::ClientConfig,
}

/// Runs a check to its verdict. The server, if one was started, is stopped
/// before this returns, whatever happened.
pub async fn run(
    subject: &Subject,
    spec: &Spec,
    opts: &Options,
    sink: Sink<'_>,
    mut cancel: Cancel,
) -> Result<CheckReport, RunError> {
    let started = Instant::now();
    sink(Event::Started {
        exercise: subject.exercise.clone(),
        target: subject.target,
        seed: opts.seed,
    });
    let tmp = TempDir::new(&subject.exercise).map_err(RunError::Files)?;
    let mut run = Run {
        subject,
        spec,
        opts,
        sink,
        steps: vec![],
        server: None,
        port: 0,
        vars: HashMap::new(),
        client: http::client(),
        events: vec![],
        infra: None,
        background: None,
        launch_with: None,
        marks: vec![],
        host: opts
            .attach
            .as_ref()
            .map_or_else(|| "127.0.0.1".to_string(), |a| a.host.clone()),
        ports: vec![],
        others: vec![],
        upstreams: vec![],
        pgproxy: None,
        aux: vec![],
        oidc: None,

        call_marks: vec![],
        bins: Default::default(),
        leases: None,
        tls: None,
    };
    run.vars.insert("tmp".into(), tmp.0.display().to_string());
    draw_vars(&spec.vars, opts.seed, &mut run.vars);

    let outcome = tokio::select! {
        r = run.phases() => Some(r),
        _ = cancel.cancelled() => None,
    };
    // Teardown always runs, whatever the phases did.
    run.teardown().await;
    // After the server has stopped: drop the check's databases and vhosts.
    if let Some(mut leases) = run.leases.take() {
        leases.release().await;
    }
    let cancelled = outcome.is_none();
    outcome.unwrap_or(Ok(()))?;
    drop(tmp);
    Ok(CheckReport {
        exercise: subject.exercise.clone(),
        target: subject.target,
        seed: opts.seed,
        steps: run.steps,
        duration: started.elapsed(),
        cancelled,
    })
}

fn draw_vars(vars: &[(String, VarKind)], seed: u64, out: &mut HashMap<String, String>) {
    let mut rng = Rng::new(seed);
    for (name, kind) in vars {
        let v = match kind {
            VarKind::Word(n) => rng.word(*n),
            VarKind::Hex(n) => rng.hex(*n),
            VarKind::Int(a, b) => rng.range(*a, *b).to_string(),
            VarKind::Text(n) => (0..*n)
                .map(|_| {
                    let l = 3 + rng.below(6) as usize;
                    rng.word(l)
                })
                .collect::<Vec<_>>()
                .join(" "),
            // Signed below, once every other var has its value.
            VarKind::Jwt(_) => continue,
        };
        out.insert(name.clone(), v);
    }
    let now = serverlings_core::tokens::unix_now();
    for (name, kind) in vars {
        if let VarKind::Jwt(j) = kind {
            let mut claims = serverlings_core::assert::render_json(&j.claims, out);
            if let Some(o) = claims.as_object_mut() {
                for time in ["exp", "nbf", "iat"] {
                    let at = o
                        .get(time)
                        .and_then(|v| v.as_str())
                        .and_then(|v| serverlings_core::tokens::relative_time(v, now));
                    if let Some(at) = at {
                        o.insert(time.into(), at.into());
                    }
                }
            }
            let key = j.key.render(out);
            let token = serverlings_core::tokens::sign_jwt(
                j.alg,
                key.as_bytes(),
                &j.header,
                &claims,
                j.tamper,
            );
            out.insert(name.clone(), token);
        }
    }
}

impl Run<'_> {
    fn begin(&self, name: &str, phase: Phase) -> Instant {
        (self.sink)(Event::StepStarted {
            name: name.to_string(),
            phase,
        });
        Instant::now()
    }

    fn finish(
        &mut self,
        name: String,
        phase: Phase,
        started: Instant,
        status: StepStatus,
        notes: Vec<String>,
    ) -> bool {
        let passed = matches!(status, StepStatus::Passed);
        let report = StepReport {
            name,
            phase,
            status,
            duration: started.elapsed(),
            notes,
        };
        (self.sink)(Event::StepFinished(report.clone()));
        self.steps.push(report);
        passed
    }

    fn skip_rest(&mut self, from: usize) {
        for step in &self.spec.steps[from..] {
            let name = step_name(step, &self.vars);
            let report = StepReport {
                name,
                phase: Phase::Probe,
                status: StepStatus::Skipped,
                duration: Duration::ZERO,
                notes: vec![],
            };
            (self.sink)(Event::StepFinished(report.clone()));
            self.steps.push(report);
        }
    }

    fn text(&self, s: &str) -> String {
        if self.opts.colour {
            s.to_string()
        } else {
            cargo::strip_ansi(s)
        }
    }

    /// Stops the server: SIGTERM, grace, SIGKILL of the group, wait. Shown
    /// as a step of its own, so a server that ignores SIGTERM is visible.
    async fn teardown(&mut self) {
        let grace = self
            .spec
            .serve
            .as_ref()
            .map_or(Duration::from_secs(2), |s| s.grace);
        if let Some((load, _)) = self.background.take() {
            load.abort();
        }
        for aux in std::mem::take(&mut self.aux) {
            if let Some(mut proc) = aux.proc {
                proc.stop(grace).await;
            }
        }

        // Other instances first, the way the first one goes below.
        for (i, other) in std::mem::take(&mut self.others).into_iter().enumerate() {
            if let Some(mut proc) = other {
                let (_, killed) = proc.stop(grace).await;
                if killed {
                    let note = format!("instance {} ignored SIGTERM and was killed", i + 2);
                    let t = self.begin("stop the server", Phase::Serve);
                    self.finish(
                        format!("stop instance {}", i + 2),
                        Phase::Serve,
                        t,
                        StepStatus::Passed,
                        vec![note],
                    );
                }
            }
        }

        let Some(mut server) = self.server.take() else {
            return;
        };
        let t = self.begin("stop the server", Phase::Serve);
        let exited_before = server.try_exited();
        let (status, killed) = server.stop(grace).await;
        let note = if let Some(st) = exited_before {
            format!(
                "it had already exited ({})",
                serverlings_proc::process::describe_exit(st)
            )
        } else if killed {
            format!(
                "it ignored SIGTERM for {} and was killed with its process group",
                serverlings_core::duration::show(grace)
            )
        } else {
            match status {
                Some(s)
                    if std::os::unix::process::ExitStatusExt::signal(&s) == Some(libc::SIGTERM) =>
                {
                    "stopped by SIGTERM".to_string()
                }
                Some(s) => format!(
                    "exited after SIGTERM with {}",
                    serverlings_proc::process::describe_exit(s)
                ),
                None => "could not be reaped".to_string(),
            }
        };
        let mut notes = vec![note];
        if !server.escaped.is_empty() {
            notes.push(format!(
                "ended {} that had left the server's process group: {}",
                if server.escaped.len() == 1 {
                    "a process"
                } else {
                    "processes"
                },
                server.escaped.join("; ")
            ));
        }
        self.finish(
            "stop the server".into(),
            Phase::Serve,
            t,
            StepStatus::Passed,
            notes,
        );
    }
}

/// One request for a multi-request step; a failure names the URL.
/// Raw bytes as lines with their line ends shown (`\r\n`), cut short.
/// What a step's JSON document is, for steps that read one.
/// The raw answer with a caret under the byte where it stopped being HTTP.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

async fn probe_ready(port: u16, ready: &Ready, client: &reqwest::Client) -> bool {
    let connect = tokio::time::timeout(
        Duration::from_millis(200),
        tokio::net::TcpStream::connect(("127.0.0.1", port)),
    )
    .await;
    if !matches!(connect, Ok(Ok(_))) {
        return false;
    }
    match ready {
        Ready::Tcp => true,
        Ready::Http(path) => {
            let p = Prepared {
                method: "GET".into(),
                url: format!("http://127.0.0.1:{port}{path}"),
                headers: vec![],
                body: vec![],
            };
            matches!(http::send(client, &p, Duration::from_secs(1)).await, Ok(r) if (200..300).contains(&r.status))
        }
    }
}

/// The check's own temporary folder, removed when the check ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> std::io::Result<TempDir> {
        // An unguessable name, created new (never an existing folder or a
        // symlink someone planted in the shared temp dir).
        let nonce: String = serverlings_core::rng::os_random(8)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let dir = std::env::temp_dir().join(format!(
            "serverlings-{label}-{}-{nonce}",
            std::process::id()
        ));
        std::fs::create_dir(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// For callers that only have a path.
pub fn subject_for(
    root: &Path,
    exercise: &str,
    target: Target,
    crate_dir: &str,
    package: String,
) -> Subject {
    Subject {
        exercise: exercise.to_string(),
        target,
        workspace: root.to_path_buf(),
        crate_dir: root.join(crate_dir),
        package,
        cargo_env: vec![],
        services: vec![],
        // exercises/<part>/<id> and solutions/<part>/<id> share the tail.
        reference_dir: root.join(crate_dir.replacen("exercises/", "solutions/", 1)),
    }
}

/// A process started beside the server (`[serve] also`).
struct Aux {
    role: String,
    exe: PathBuf,
    env: Vec<(String, String)>,
    proc: Option<Owned>,
}
