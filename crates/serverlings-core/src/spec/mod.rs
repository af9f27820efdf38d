//! What a check says, parsed from `checks/<part>/<exercise>.toml`.
//! Pure: text in, `Spec` or diagnostics out. The format is documented in
//! `docs/checks.md`.

mod expect;
mod kinds;
mod parse;
mod raw;
mod step;
#[cfg(test)]
mod tests;

use crate::template::Template;
use std::time::Duration;

pub use parse::{parse, toml_to_json};

pub const BUILTINS: [&str; 8] = [
    "tmp",
    "port",
    "base",
    // the check's own service URLs (exercises with `services` in part.toml)
    "database_url",
    "redis_url",
    "amqp_url",
    "amqp_queue_prefix",
    "mysql_url",
];

#[derive(Debug, Clone)]
pub struct Spec {
    pub build_timeout: Duration,
    pub test: Option<TestSpec>,
    /// The learner's tests against the reference code and seeded mutants.
    pub mutation: Option<MutationSpec>,
    pub serve: Option<ServeSpec>,
    pub vars: Vec<(String, VarKind)>,
    /// Scripted upstreams the checker serves for the server to call.
    pub upstreams: Vec<UpstreamSpec>,
    /// An OpenID Connect provider the checker serves.
    pub oidc: Option<OidcSpec>,
    /// Certificates the checker issues for the run, and HTTPS probes.
    pub tls: Option<TlsSpec>,
    pub steps: Vec<Step>,
}

/// `[tls]`: an authority made for the run and a server certificate for
/// `hosts`, given to the server as files; `https = true` requests trust
/// that authority only.
#[derive(Debug, Clone)]
pub struct TlsSpec {
    /// DNS names and IP addresses the server certificate is for.
    pub hosts: Vec<String>,
}

/// The names `[tls]` adds to the templates.
pub const TLS_BUILTINS: [&str; 5] = ["tls_cert", "tls_key", "tls_ca", "https_port", "https_base"];

#[derive(Debug, Clone)]
pub struct MutationSpec {
    /// Files of the crate replaced by the reference solution's before the
    /// learner's tests run (the code under test; the tests live elsewhere).
    pub code: Vec<String>,
    pub timeout: Duration,
    pub mutants: Vec<Mutant>,
}

/// The reference with one change the learner's tests must notice.
#[derive(Debug, Clone)]
pub struct Mutant {
    pub name: String,
    pub file: String,
    pub replace: String,
    pub with: String,
}

#[derive(Debug, Clone)]
pub struct OidcSpec {
    pub client_id: Template,
    pub client_secret: Template,
    /// The learner's callback path; the redirect URI is `{base}` + this.
    pub redirect_path: Template,
    pub pkce: bool,
    /// Claims of the user who logs in (`sub`, `email`, …).
    pub user: Vec<(String, Template)>,
}

#[derive(Debug, Clone)]
pub struct UpstreamSpec {
    pub name: String,
    pub routes: Vec<RouteSpec>,
}

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Option<String>,
    pub path: String,
    pub replies: Vec<ReplySpec>,
}

#[derive(Debug, Clone)]
pub struct ReplySpec {
    pub status: u16,
    pub headers: Vec<(String, Template)>,
    pub body: Template,
    pub delay: Duration,
    pub hang: bool,
    pub drop: bool,
}

/// Judge the calls an upstream received.
#[derive(Debug, Clone)]
pub struct CallsStep {
    pub upstream: String,
    pub method: Option<String>,
    /// Only calls whose path starts with this (templated).
    pub path: Option<Template>,
    /// Only calls made since the previous step began.
    pub since_previous: bool,
}

/// What a calls step expects (headers and body apply to every call).
#[derive(Debug, Clone, Default)]
pub struct CallsExpect {
    pub count: Option<Number>,
    pub count_min: Option<Number>,
    pub count_max: Option<Number>,
    /// Consecutive calls at least this far apart (a backoff).
    pub gap_min_ms: Option<Number>,
}

/// A whole number of a check: written as one (`count = 3`), or a template
/// that renders to one (`count = "{retries}"`, a var drawn per run, so no
/// answer can be written in advance).
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    Lit(i64),
    Var(Template),
}

impl Number {
    /// The number, or why the rendered template is not one.
    pub fn value(&self, vars: &std::collections::HashMap<String, String>) -> Result<i64, String> {
        match self {
            Number::Lit(n) => Ok(*n),
            Number::Var(t) => {
                let text = t.render(vars);
                text.trim()
                    .parse()
                    .map_err(|_| format!("`{}` is `{text}`, not a whole number", t.source()))
            }
        }
    }

    /// The value as a count (0 or more).
    pub fn count(&self, vars: &std::collections::HashMap<String, String>) -> Result<u64, String> {
        let n = self.value(vars)?;
        u64::try_from(n).map_err(|_| format!("{n} is negative, not a count"))
    }
}

#[derive(Debug, Clone)]
pub struct TestSpec {
    pub timeout: Duration,
    pub filter: Option<String>,
    /// Test files run as shipped (from the pristine stub), whose tests must
    /// all have run: paths in the crate, `tests/*.rs` globs allowed.
    pub protect: Vec<String>,
    /// Run the doc tests too (`cargo test --doc`).
    pub doc: bool,
    /// Run the `#[ignore]` tests too (`--include-ignored`).
    pub include_ignored: bool,
    /// Tests that must have run and passed, as `target/name part`.
    pub require: Vec<TestName>,
    /// Tests that must be marked `#[ignore]`, as `target/name part`.
    pub ignored: Vec<TestName>,
}

/// `api/round_trip`: a test of target `api` (tests/api.rs; `lib` for the
/// library's unit tests, `doc` for doc tests) whose name contains
/// `round_trip`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestName {
    pub target: String,
    pub part: String,
}

impl TestName {
    /// Whether `qualified` (`target/full name`) is this test.
    pub fn matches(&self, qualified: &str) -> bool {
        qualified
            .split_once('/')
            .is_some_and(|(t, n)| t == self.target && n.contains(&self.part))
    }
}

impl std::fmt::Display for TestName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.target, self.part)
    }
}

#[derive(Debug, Clone)]
pub struct ServeSpec {
    /// A second binary by role (`worker` → `<crate>-worker`); `None` is the main one.
    pub bin: Option<String>,
    pub env: Vec<(String, Template)>,
    pub dirs: Vec<Template>,
    pub files: Vec<(Template, Template)>,
    pub ready: Ready,
    pub timeout: Duration,
    pub grace: Duration,
    /// How many copies of the server to start (default 1).
    pub instances: usize,
    /// How many of them start with the check; the rest wait for a
    /// `start = N` step (default: all).
    pub start: usize,
    /// Each copy on its own port (`{port_2}`, `instance = 2` on a step),
    /// instead of all on one port (which needs SO_REUSEPORT).
    pub separate_ports: bool,
    /// Route the server's DATABASE_URL through the checker's proxy (query
    /// counts, database cuts).
    pub proxy_postgres: bool,
    /// More binaries of the crate started beside the server, by role
    /// (`worker` → `<crate>-worker`), with the same environment.
    pub also: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    Tcp,
    Http(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum VarKind {
    Word(usize),
    Hex(usize),
    Int(i64, i64),
    Text(usize),
    /// A token the checker signs when the check starts.
    Jwt(JwtVar),
}

/// `name = { jwt = { alg, key, claims, header, tamper } }`.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtVar {
    pub alg: crate::tokens::Alg,
    pub key: Template,
    /// Templates in its strings; `exp`, `nbf`, `iat` may be `now`, `+5m`, `-60s`.
    pub claims: serde_json::Value,
    pub header: serde_json::Map<String, serde_json::Value>,
    pub tamper: bool,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: Option<Template>,
    /// What to tell the learner when this step fails.
    pub hint: Option<String>,
    pub timeout: Duration,
    /// Which server instance the step talks to (1-based).
    pub instance: usize,
    /// Repeat the step at this interval until it passes or its timeout ends
    /// (eventual consistency, a job finishing).
    pub poll: Option<Duration>,
    pub action: Action,
    pub expect: Expect,
    pub capture: Vec<(String, Capture)>,
}

#[derive(Debug, Clone)]
pub enum Action {
    Http(HttpRequest),
    Tcp(TcpSend),
    Sse(SseRequest),
    Ws(WsSession),
    Load(LoadStep),
    /// Wait for the background load started earlier and judge it.
    LoadWait,
    Signal(SignalStep),
    /// Start the server again (same port, same files), e.g. after a signal.
    Restart,
    /// SIGKILL a process (`server` or a role from `[serve] also`) and its group.
    Kill(String),
    /// Start a process of `[serve] also` again after a kill.
    Start(String),
    Output(OutputStep),
    Calls(CallsStep),
    /// Read a file of the learner's crate as a JSON document.
    File(FileStep),
    /// Rows of a SQL query on the check's PostgreSQL database, as JSON.
    Sql(Template),
    /// The EXPLAIN (FORMAT JSON) plan of a query, summarised.
    Explain(Template),
    /// Rows of a SQL query on the check's MySQL/MariaDB database, as JSON.
    Mysql(Template),
    /// A Redis command on the check's Redis database.
    Redis(Vec<Template>),
    /// A queue of the check's RabbitMQ vhost: depth and consumers.
    Queue(Template),
    /// Cut (`false`) or restore (`true`) the server's database connection.
    Database(bool),
    /// Log in through the learner's server and the checker's provider,
    /// starting at this path, the checker acting as the browser.
    Login(Template),
    /// A new signing key at the provider (the old one stays in the JWKS).
    RotateKeys,
    /// Read a JWT (one the server issued) as a JSON document, verifying an
    /// HMAC signature with the key when one is given.
    Jwt {
        token: Template,
        key: Option<Template>,
    },
    /// Run a binary of the crate to its exit (not as a server).
    Run(RunStep),
    /// The process tree of the server (or a role of `[serve] also`).
    Processes(String),
    /// Start a deferred instance (`[serve] start`), and wait until it listens.
    StartInstance(usize),
}

/// Run a binary of the crate to its end.
#[derive(Debug, Clone)]
pub struct RunStep {
    /// A binary by role (`<crate>-<role>`), or the main one.
    pub bin: Option<String>,
    /// On top of the server's environment (or PORT and the services').
    pub env: Vec<(String, Template)>,
    /// Variables removed from that environment.
    pub unset: Vec<String>,
    pub args: Vec<Template>,
}

#[derive(Debug, Clone)]
pub struct FileStep {
    /// Relative to the crate.
    pub path: String,
    pub kind: crate::files::Kind,
}

/// Judge the lines the server wrote to stdout/stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputStep {
    pub stdout: bool,
    pub stderr: bool,
    /// Only lines written since the previous step began (else since start).
    pub since_previous: bool,
}

/// What an output step expects of the lines (all optional).
#[derive(Debug, Clone, Default)]
pub struct OutputExpect {
    /// Some line meets this.
    pub line: Option<Assert>,
    /// No line meets this (e.g. a secret that must not be logged).
    pub no_line: Option<Assert>,
    /// At least this many lines.
    pub lines: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct SignalStep {
    pub signal: i32,
    pub name: String,
    /// Requests in flight when the signal is sent (their answers are judged
    /// with `expect.status`).
    pub during: Option<HttpRequest>,
    /// How long after starting those requests to send the signal.
    pub after: Duration,
}

/// What a signal step expects of the server's exit.
#[derive(Debug, Clone, Default)]
pub struct ExitExpect {
    pub code: Option<Number>,
    /// The server must exit within this long of the signal.
    pub within: Option<Duration>,
    /// After the in-flight requests, a new connection must be refused.
    pub refused_after: bool,
}

#[derive(Debug, Clone)]
pub struct LoadStep {
    pub request: HttpRequest,
    pub concurrency: usize,
    pub requests: Option<u64>,
    pub duration: Duration,
    /// Run while the following steps run; judged by a `load_wait` step.
    pub background: bool,
}

/// What a load must achieve (all optional).
#[derive(Debug, Clone, Default)]
pub struct LoadExpect {
    /// Most requests allowed to get no response (default 0).
    pub errors: u64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// Fewest requests per second.
    pub rps: Option<f64>,
    /// Most resident memory of the server after the load, in MiB.
    pub rss_mb: Option<f64>,
    /// Most growth of resident memory during the load, in MiB.
    pub rss_growth_mb: Option<f64>,
    /// Most resident memory the server ever had (its high-water mark), in MiB.
    pub rss_peak_mb: Option<f64>,
    /// Most growth of open file descriptors during the load.
    pub fd_growth: Option<u64>,
    /// Fewest threads of the server that each did a real share of its CPU
    /// work during the load (capped at the machine's CPU count).
    pub busy_threads: Option<u64>,
}

/// Several WebSocket clients and a script of what they send and receive.
#[derive(Debug, Clone)]
pub struct WsSession {
    pub path: Template,
    /// One path per client, overriding `path` (clients in different rooms).
    pub paths: Vec<Template>,
    pub headers: Vec<(String, Template)>,
    pub clients: usize,
    pub script: Vec<WsAction>,
}

#[derive(Debug, Clone)]
pub struct WsAction {
    /// 1-based client number.
    pub client: usize,
    pub kind: WsKind,
}

#[derive(Debug, Clone)]
pub enum WsKind {
    SendText(Template),
    SendBinary(Vec<u8>),
    /// The client's next message is text meeting this assertion.
    Expect(Assert),
    ExpectBinary(Vec<u8>),
    /// No message arrives at this client for this long.
    ExpectNone(Duration),
    /// Send a ping; the pong must carry the same bytes.
    Ping(Vec<u8>),
    /// Close with this code; the server must answer the close.
    Close(u16),
    /// The server closes the connection (with this code, if given).
    ExpectClose(Option<u16>),
}

/// Open an event stream and read events from it.
#[derive(Debug, Clone)]
pub struct SseRequest {
    pub path: Template,
    pub headers: Vec<(String, Template)>,
    /// How many events to read before closing (at least those asserted).
    pub read: usize,
}

/// Assertions on one received event, in order.
#[derive(Debug, Clone, Default)]
pub struct EventExpect {
    pub id: Option<Assert>,
    pub event: Option<Assert>,
    pub data: Option<Assert>,
}

#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: String,
    pub path: Template,
    pub query: Vec<(String, Template)>,
    pub headers: Vec<(String, Template)>,
    pub body: Body,
    pub parallel: usize,
    /// Speak HTTP/2 without TLS (h2c, prior knowledge); parallel requests
    /// then share one connection as streams.
    pub http2: bool,
    /// Send it over TLS to `{https_base}`, trusting the run's authority only.
    pub https: bool,
    /// Connect from this loopback address (a second host, to the server).
    pub from: Option<Template>,
}

#[derive(Debug, Clone)]
pub enum Body {
    None,
    Text(Template),
    /// JSON with templates in its strings.
    Json(serde_json::Value),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct TcpSend {
    pub bytes: TcpBytes,
    /// Send one byte at a time with this pause (a slow client).
    pub trickle: Option<Duration>,
    /// Open this many connections at once, each sending the bytes and held
    /// open until all have their answers.
    pub parallel: usize,
}

#[derive(Debug, Clone)]
pub enum TcpBytes {
    Text(Template),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone, Default)]
pub struct Expect {
    /// The status must be one of these (usually one).
    pub status: Vec<u16>,
    pub headers: Vec<(String, Assert)>,
    pub body: Option<Assert>,
    pub json: Vec<(String, JsonAssert)>,
    pub encoding: Option<Encoding>,
    pub max_ms: Option<u64>,
    /// request: the status line and headers must arrive within this long.
    pub first_byte_ms: Option<u64>,
    pub responses: Option<usize>,
    pub closed: Option<bool>,
    /// tcp: nothing may come back, and the connection stay open, this long.
    pub silent: Option<Duration>,
    /// sse: the first events, in order.
    pub events: Vec<EventExpect>,
    /// sse: the `retry:` the server announces, in milliseconds.
    pub retry: Option<u64>,
    /// sse: a resumed stream (Last-Event-ID) starts right after this id,
    /// with ids increasing by one.
    pub resume_after: Option<Template>,
    /// load and load_wait steps.
    pub load: LoadExpect,
    /// signal steps.
    pub exit: ExitExpect,
    /// output steps.
    pub output: OutputExpect,
    /// request steps with `parallel`: the answers differ in a header (or
    /// the body) at least this many ways, e.g. two processes answered.
    pub distinct: Option<(Option<String>, usize)>,
    /// calls steps.
    pub calls: CallsExpect,
    /// Queries the server sent to PostgreSQL during the step (through the
    /// proxy): exactly, and at most.
    pub queries: Option<u64>,
    pub queries_max: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    Identity,
}

#[derive(Debug, Clone)]
pub enum Assert {
    Equals(Template),
    Contains(Template),
    /// The text must not contain this (a leaked secret, a panic message).
    NotContains(Template),
    Matches(regex::Regex),
    Exists,
    Absent,
}

#[derive(Debug, Clone)]
pub enum JsonAssert {
    Equals(serde_json::Value),
    Text(Assert),
    Type(JsonType),
    Len(usize),
    /// A number within bounds (inclusive).
    Range(Option<Bound>, Option<Bound>),
    /// A number within a tolerance of another (a capture, e.g. the
    /// checker's own p99 measured under load).
    Near {
        value: Bound,
        tolerance: Tolerance,
    },
}

/// A number in an assertion: written, or a template (`"{p99}"`) filled in
/// when the step runs.
#[derive(Debug, Clone)]
pub enum Bound {
    Num(f64),
    Var(Template),
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Num(n) => write!(f, "{n}"),
            Bound::Var(t) => write!(f, "{}", t.source()),
        }
    }
}

impl Bound {
    /// The number, or what the template rendered to when it is not one.
    pub fn resolve(&self, vars: &std::collections::HashMap<String, String>) -> Result<f64, String> {
        match self {
            Bound::Num(n) => Ok(*n),
            Bound::Var(t) => {
                let text = t.render(vars);
                text.trim().parse::<f64>().map_err(|_| text)
            }
        }
    }
}

/// How far `near` may be off: a fraction of the value (`"25%"`) or an
/// absolute amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    Fraction(f64),
    Absolute(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Number,
    Bool,
    Array,
    Object,
    Null,
}

impl JsonType {
    pub fn of(v: &serde_json::Value) -> JsonType {
        match v {
            serde_json::Value::String(_) => JsonType::String,
            serde_json::Value::Number(_) => JsonType::Number,
            serde_json::Value::Bool(_) => JsonType::Bool,
            serde_json::Value::Array(_) => JsonType::Array,
            serde_json::Value::Object(_) => JsonType::Object,
            serde_json::Value::Null => JsonType::Null,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Bool => "bool",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture {
    Json(String),
    Header(String),
    Cookie(String),
    /// The id of the first or last event read (`true` = last).
    EventId(bool),
    /// The whole response body, as text.
    Body,
    /// A figure of a load step's measurement (`p99_ms`, `rps`, …).
    Load(LoadFigure),
}

/// What a load step measured, for captures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadFigure {
    P50,
    P95,
    P99,
    Max,
    Rps,
    Requests,
    Errors,
}

impl LoadFigure {
    pub const NAMES: [&str; 7] = [
        "p50_ms", "p95_ms", "p99_ms", "max_ms", "rps", "requests", "errors",
    ];
    pub fn parse(s: &str) -> Option<LoadFigure> {
        Some(match s {
            "p50_ms" => LoadFigure::P50,
            "p95_ms" => LoadFigure::P95,
            "p99_ms" => LoadFigure::P99,
            "max_ms" => LoadFigure::Max,
            "rps" => LoadFigure::Rps,
            "requests" => LoadFigure::Requests,
            "errors" => LoadFigure::Errors,
            _ => return None,
        })
    }
}

impl Spec {
    /// The services this check talks to itself or hands to the server
    /// (`postgres`, `redis`, `rabbitmq`, `mysql`), as part.toml names them.
    pub fn services_used(&self) -> Vec<&'static str> {
        let mut used = Vec::new();
        let mut add = |s: &'static str| {
            if !used.contains(&s) {
                used.push(s);
            }
        };
        for step in &self.steps {
            match step.action {
                Action::Sql(_) | Action::Explain(_) | Action::Database(_) => add("postgres"),
                Action::Redis(_) => add("redis"),
                Action::Queue(_) => add("rabbitmq"),
                Action::Mysql(_) => add("mysql"),
                _ => {}
            }
        }
        if let Some(serve) = &self.serve {
            if serve.proxy_postgres {
                add("postgres");
            }
            for (_, t) in &serve.env {
                for name in t.names() {
                    match name {
                        "database_url" => add("postgres"),
                        "redis_url" => add("redis"),
                        "amqp_url" | "amqp_queue_prefix" => add("rabbitmq"),
                        "mysql_url" => add("mysql"),
                        _ => {}
                    }
                }
            }
        }
        used
    }
}
