//! A parsed `[[step]]`: what it does (`Action`, one kind per family of
//! probes) and what it captures.

use super::{Assert, Expect};
use crate::template::Template;
use std::time::Duration;

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

#[derive(Debug, Clone)]
pub struct LoadStep {
    pub request: HttpRequest,
    pub concurrency: usize,
    pub requests: Option<u64>,
    pub duration: Duration,
    /// Run while the following steps run; judged by a `load_wait` step.
    pub background: bool,
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
