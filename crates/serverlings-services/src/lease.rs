//! A check's own slice of a server: a PostgreSQL or MySQL database, a Redis
//! logical database, a RabbitMQ vhost. Released (dropped, emptied,
//! deleted) after the learner's server has stopped — by `release`, or by
//! `Drop` when a check is cancelled or panics.

use super::{Kind, Server, ServiceError, mysql, postgres, rabbitmq, redis};
use std::time::{Duration, Instant};

#[derive(Debug)]
enum Cleanup {
    Postgres { admin: String, db: String },
    Redis { url: String, db: u32, owner: String },
    Vhost { via: rabbitmq::Via, vhost: String },
    Mysql { url: String, db: String },
}

/// One isolated service for one check.
#[derive(Debug)]
pub struct Lease {
    pub kind: Kind,
    /// The isolated URL handed to the learner's server.
    pub url: String,
    /// Extra environment besides `<KIND>_URL`.
    pub extra_env: Vec<(String, String)>,
    /// What was made, for the report.
    pub note: String,
    cleanup: Option<Cleanup>,
}

/// The leases of one check.
#[derive(Debug, Default)]
pub struct Leases {
    items: Vec<Lease>,
}

impl Leases {
    pub fn push(&mut self, l: Lease) {
        self.items.push(l);
    }

    /// Environment for the learner's server.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for l in &self.items {
            out.push((l.kind.env().to_string(), l.url.clone()));
            out.extend(l.extra_env.iter().cloned());
        }
        out
    }

    /// Template variables for check steps (`database_url` → URL).
    /// With RabbitMQ also `amqp_queue_prefix`: the prefix queue names
    /// carry on a shared vhost, empty when the check has a vhost of its own.
    pub fn vars(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for l in &self.items {
            out.push((l.kind.var().to_string(), l.url.clone()));
            if l.kind == Kind::Rabbitmq {
                let prefix = l
                    .extra_env
                    .iter()
                    .find(|(k, _)| k == rabbitmq::PREFIX_ENV)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                out.push(("amqp_queue_prefix".into(), prefix));
            }
        }
        out
    }

    pub fn notes(&self) -> Vec<String> {
        self.items.iter().map(|l| l.note.clone()).collect()
    }

    /// Drops, empties or deletes what was made. Problems come back as
    /// warnings: a leftover never changes a verdict (the next check gets a
    /// fresh one, and leftovers of dead processes are cleaned).
    pub async fn release(&mut self) -> Vec<String> {
        let mut warnings = Vec::new();
        for l in self.items.drain(..) {
            let Some(c) = l.cleanup else { continue };
            let done = tokio::time::timeout(Duration::from_secs(15), release_one(&c)).await;
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => warnings.push(format!(
                    "could not clean up after the check ({}): {e}",
                    l.note
                )),
                Err(_) => warnings.push(format!(
                    "cleaning up after the check took too long ({})",
                    l.note
                )),
            }
        }
        warnings
    }
}

async fn release_one(c: &Cleanup) -> Result<(), String> {
    match c {
        Cleanup::Postgres { admin, db } => postgres::drop_database(admin, db).await,
        Cleanup::Redis { url, db, owner } => redis::release(url, *db, owner).await,
        Cleanup::Vhost { via, vhost } => rabbitmq::delete_vhost(via, vhost).await,
        Cleanup::Mysql { url, db } => mysql::drop_database(url, db).await,
    }
}

impl Drop for Leases {
    fn drop(&mut self) {
        if self.items.iter().all(|l| l.cleanup.is_none()) {
            return;
        }
        // Cancelled or panicked before `release`: clean up on a thread of
        // its own (this may run inside an async runtime, which must not block).
        let mut mine = Leases {
            items: std::mem::take(&mut self.items),
        };
        let t = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(mine.release());
            }
        });
        let _ = t.join();
    }
}

fn tag() -> String {
    // The database-name nonce, reused for other services' names.
    postgres::database_name("x")
        .rsplit('_')
        .next()
        .unwrap_or("0")
        .to_string()
}

/// Makes a check's own slice of `server`.
pub async fn isolate(server: &Server, exercise: &str) -> Result<Lease, ServiceError> {
    let unusable = |reason: String| ServiceError::Unusable {
        kind: server.kind,
        url: server.url.clone(),
        origin: server.source.clone(),
        reason,
    };
    let from = server.source.describe(server.kind);
    let t = Instant::now();
    let took = |t: Instant| format!("{} ms", t.elapsed().as_millis());
    match server.kind {
        Kind::Postgres => {
            let admin = postgres::admin_url(&server.url).map_err(unusable)?;
            let db = postgres::database_name(exercise);
            postgres::create_database(&admin, &db)
                .await
                .map_err(unusable)?;
            let url = postgres::with_database(&server.url, &db).map_err(unusable)?;
            Ok(Lease {
                kind: server.kind,
                note: format!("PostgreSQL database {db} ({from}, made in {})", took(t)),
                url,
                extra_env: vec![],
                cleanup: Some(Cleanup::Postgres { admin, db }),
            })
        }
        Kind::Redis => {
            let owner = format!("{}:{}", std::process::id(), tag());
            let db = redis::claim(&server.url, &owner).await.map_err(unusable)?;
            let url = redis::with_db(&server.url, db).map_err(unusable)?;
            Ok(Lease {
                kind: server.kind,
                note: format!("Redis database {db} ({from}, emptied in {})", took(t)),
                url,
                extra_env: vec![],
                cleanup: Some(Cleanup::Redis {
                    url: server.url.clone(),
                    db,
                    owner,
                }),
            })
        }
        Kind::Rabbitmq => {
            let iso = rabbitmq::isolate(&server.url, exercise, &tag())
                .await
                .map_err(unusable)?;
            Ok(Lease {
                kind: server.kind,
                url: iso.url,
                extra_env: vec![(rabbitmq::PREFIX_ENV.to_string(), iso.prefix)],
                note: format!("{} ({from}, {})", iso.note, took(t)),
                cleanup: iso.vhost.map(|(via, vhost)| Cleanup::Vhost { via, vhost }),
            })
        }
        Kind::Mysql => {
            let db = postgres::database_name(exercise);
            mysql::create_database(&server.url, &db)
                .await
                .map_err(unusable)?;
            let url = mysql::with_database(&server.url, &db).map_err(unusable)?;
            Ok(Lease {
                kind: server.kind,
                note: format!("MySQL database {db} ({from}, made in {})", took(t)),
                url,
                extra_env: vec![],
                cleanup: Some(Cleanup::Mysql {
                    url: server.url.clone(),
                    db,
                }),
            })
        }
    }
}
