//! The parsed top-level tables other than the steps: `[test]`, `[mutation]`,
//! `[serve]`, `[vars]`, `[[upstream]]`, `[oidc]`.

use crate::template::Template;
use std::time::Duration;

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
