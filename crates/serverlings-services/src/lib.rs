//! Real services for the checks — PostgreSQL, Redis, RabbitMQ, MySQL/MariaDB —
//! without Docker.
//!
//! Where a service comes from, in order (`plan`):
//! 1. a URL in the environment (`DATABASE_URL`, …) or in the config file;
//! 2. an instance `serverlings services up` started (`instance`);
//! 3. PostgreSQL and Redis: one started on demand from the local
//!    installation for this run (`registry`), stopped at the end;
//!    RabbitMQ and MySQL: a server already running on its usual loopback port;
//! 4. otherwise `ServiceError::Missing`: "needs PostgreSQL", with install
//!    commands (`messages`).
//!
//! Each check then gets its own database, logical db or vhost (`lease`),
//! released after the learner's server has stopped.
//!
//! Self-contained: nothing here uses the rest of serverlings (the benchmark
//! mounts this folder as it is).

pub mod config;
pub mod find;
pub mod instance;
pub mod lease;
pub mod messages;
pub mod mysql;
pub mod ops;
pub mod postgres;
pub mod rabbitmq;
pub mod redis;
pub mod registry;
pub mod urls;

use std::path::{Path, PathBuf};

/// A kind of service an exercise can declare in `part.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Postgres,
    Redis,
    Rabbitmq,
    Mysql,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Postgres, Kind::Redis, Kind::Rabbitmq, Kind::Mysql];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == s)
    }

    /// The kinds of a `services` list (unknown names are left out: the
    /// course loader reports them).
    pub fn parse_list(names: &[String]) -> Vec<Kind> {
        kinds(names)
    }

    /// The name in `part.toml`, the config file and the command line.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Postgres => "postgres",
            Kind::Redis => "redis",
            Kind::Rabbitmq => "rabbitmq",
            Kind::Mysql => "mysql",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::Postgres => "PostgreSQL",
            Kind::Redis => "Redis",
            Kind::Rabbitmq => "RabbitMQ",
            Kind::Mysql => "MySQL/MariaDB",
        }
    }

    /// The variable the learner's server reads its URL from.
    pub fn env(self) -> &'static str {
        match self {
            Kind::Postgres => "DATABASE_URL",
            Kind::Redis => "REDIS_URL",
            Kind::Rabbitmq => "AMQP_URL",
            Kind::Mysql => "MYSQL_URL",
        }
    }

    /// The template variable of check specs (`{database_url}`).
    pub fn var(self) -> &'static str {
        match self {
            Kind::Postgres => "database_url",
            Kind::Redis => "redis_url",
            Kind::Rabbitmq => "amqp_url",
            Kind::Mysql => "mysql_url",
        }
    }

    /// Whether serverlings can start one itself from the local installation.
    pub fn startable(self) -> bool {
        matches!(self, Kind::Postgres | Kind::Redis)
    }
}

/// How a server was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `DATABASE_URL` & co.
    Env,
    /// The config file at this path.
    Config(PathBuf),
    /// `serverlings services up`.
    Up,
    /// Started by this run from the local installation.
    OnDemand,
    /// Already running on this machine on its usual port.
    Local,
}

impl Source {
    pub fn describe(&self, kind: Kind) -> String {
        match self {
            Source::Env => format!("{} from the environment", kind.env()),
            Source::Config(p) => format!("from {}", p.display()),
            Source::Up => "started by `serverlings services up`".into(),
            Source::OnDemand => "started for this run".into(),
            Source::Local => "already running on this machine".into(),
        }
    }
}

/// A server a check can use (before isolation).
#[derive(Debug, Clone)]
pub struct Server {
    pub kind: Kind,
    pub url: String,
    pub source: Source,
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Nowhere to get it from.
    #[error("{}", messages::needs(*kind, exercise, looked))]
    Missing {
        kind: Kind,
        exercise: String,
        /// Where serverlings looked, for the message.
        looked: String,
    },
    /// A server was named or found but does not work.
    #[error("{}", messages::unusable(*kind, url, origin, reason))]
    Unusable {
        kind: Kind,
        url: String,
        origin: Source,
        reason: String,
    },
    /// The local installation was found but would not start.
    #[error("{}", messages::cannot_start(*kind, reason))]
    Start { kind: Kind, reason: String },
    /// The config file cannot be read.
    #[error("needs {}: {} is not valid: {reason}", kind.title(), path.display())]
    Config {
        kind: Kind,
        path: PathBuf,
        reason: String,
    },
}

/// What serverlings would do to provide a service, without starting anything.
#[derive(Debug, Clone)]
pub enum Plan {
    /// Use this server.
    Use(Server),
    /// Start an instance from these binaries for the run.
    Start(find::Install),
}

/// Where `kind` would come from for a check in the course at `root`.
/// Cheap: reads the environment, the config and state files, looks for
/// binaries, and (RabbitMQ, MySQL) tries a loopback connection.
pub fn plan(root: &Path, kind: Kind, exercise: &str) -> Result<Plan, ServiceError> {
    if let Some(server) = config::explicit(root, kind)? {
        return Ok(Plan::Use(server));
    }
    if let Some(state) = instance::running_up(root, kind) {
        return Ok(Plan::Use(Server {
            kind,
            url: state.url,
            source: Source::Up,
        }));
    }
    match kind {
        Kind::Postgres | Kind::Redis => match find::install(kind) {
            Some(install) => Ok(Plan::Start(install)),
            None => Err(ServiceError::Missing {
                kind,
                exercise: exercise.into(),
                looked: find::looked(kind),
            }),
        },
        Kind::Rabbitmq | Kind::Mysql => {
            let url = default_local_url(kind);
            if instance::answers("127.0.0.1", default_port(kind)) {
                Ok(Plan::Use(Server {
                    kind,
                    url,
                    source: Source::Local,
                }))
            } else {
                Err(ServiceError::Missing {
                    kind,
                    exercise: exercise.into(),
                    looked: format!("nothing answers on 127.0.0.1:{} either", default_port(kind)),
                })
            }
        }
    }
}

pub fn default_port(kind: Kind) -> u16 {
    match kind {
        Kind::Postgres => 5432,
        Kind::Redis => 6379,
        Kind::Rabbitmq => 5672,
        Kind::Mysql => 3306,
    }
}

/// The URL of a server on its usual port with the usual default user.
fn default_local_url(kind: Kind) -> String {
    match kind {
        Kind::Rabbitmq => "amqp://guest:guest@127.0.0.1:5672/%2f".into(),
        Kind::Mysql => "mysql://root@127.0.0.1:3306/".into(),
        Kind::Postgres => "postgres://postgres@127.0.0.1:5432/postgres".into(),
        Kind::Redis => "redis://127.0.0.1:6379/0".into(),
    }
}

/// Parses the `services` list of an exercise (validated by the course
/// loader; unknown names are ignored here).
pub fn kinds(names: &[String]) -> Vec<Kind> {
    let mut out: Vec<Kind> = names.iter().filter_map(|n| Kind::parse(n)).collect();
    out.sort();
    out.dedup();
    out
}

/// Checks, without starting anything, that every service can be provided:
/// a check that cannot run says so before it builds.
pub fn precheck(root: &Path, kinds: &[Kind], exercise: &str) -> Result<(), ServiceError> {
    for &kind in kinds {
        plan(root, kind, exercise)?;
    }
    Ok(())
}

/// Gets every service an exercise needs and isolates each for one check.
pub async fn provision(
    root: &Path,
    kinds: &[Kind],
    exercise: &str,
) -> Result<lease::Leases, ServiceError> {
    let mut leases = lease::Leases::default();
    for &kind in kinds {
        let got = async {
            let server = registry::acquire(root, kind, exercise).await?;
            lease::isolate(&server, exercise).await
        }
        .await;
        match got {
            Ok(l) => leases.push(l),
            Err(e) => {
                leases.release().await;
                return Err(e);
            }
        }
    }
    Ok(leases)
}

/// Stops what this process started on demand (call once, at the end of a
/// command that ran checks).
pub async fn shutdown() {
    registry::shutdown().await;
}

/// A URL with its password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Whether a URL's host is this machine.
pub fn is_loopback(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    match u.host_str() {
        None | Some("") => true, // a Unix socket
        Some(h) => matches!(h, "localhost" | "127.0.0.1" | "[::1]" | "::1"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_dedup() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.id()), Some(k));
        }
        assert_eq!(
            kinds(&["redis".into(), "postgres".into(), "redis".into()]),
            [Kind::Postgres, Kind::Redis]
        );
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://u:secret@db:5432/x"),
            "postgres://u:***@db:5432/x"
        );
        assert_eq!(
            redact("redis://127.0.0.1:6379/1"),
            "redis://127.0.0.1:6379/1"
        );
        assert!(is_loopback("postgres://u@localhost/x"));
        assert!(!is_loopback("postgres://u@db.example.com/x"));
    }
}
