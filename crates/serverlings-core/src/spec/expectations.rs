//! What a step expects (`Expect`) and the assertions inside it: on text,
//! JSON, numbers, loads, exits, output lines and upstream calls.

use crate::template::Template;
use std::time::Duration;

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

/// What a signal step expects of the server's exit.
#[derive(Debug, Clone, Default)]
pub struct ExitExpect {
    pub code: Option<Number>,
    /// The server must exit within this long of the signal.
    pub within: Option<Duration>,
    /// After the in-flight requests, a new connection must be refused.
    pub refused_after: bool,
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

/// Assertions on one received event, in order.
#[derive(Debug, Clone, Default)]
pub struct EventExpect {
    pub id: Option<Assert>,
    pub event: Option<Assert>,
    pub data: Option<Assert>,
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
