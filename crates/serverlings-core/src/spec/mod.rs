//! What a check says, parsed from `checks/<part>/<exercise>.toml`.
//! Pure: text in, `Spec` or diagnostics out. The format is documented in
//! `docs/checks.md`.

mod actions;
mod assertion;
mod expect;
mod expectations;
mod kinds;
mod parse;
mod raw;
mod request;
mod sections;
mod step;
#[cfg(test)]
mod tests;

use std::time::Duration;

pub use actions::*;
pub use expectations::*;
pub use parse::{parse, toml_to_json};
pub use sections::*;

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
