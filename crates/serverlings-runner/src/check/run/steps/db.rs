//! Steps that look into the check's databases and broker.

use super::super::Run;
use super::super::report::no_service;
use super::Answer;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{Action, Step};
use serverlings_core::template::Template;

impl Run<'_> {
    /// Cut (`false`) or restore (`true`) the server's way to PostgreSQL through the proxy.
    pub(super) fn database_step(&mut self, up: &bool) -> Answer {
        let result = match &self.pgproxy {
            None => Err(
                Failure::new("the database connection is not routed through the checker")
                    .hint("a problem of the check: add proxy = [\"postgres\"] to [serve]"),
            ),
            Some(p) => {
                if *up {
                    p.restore();
                    Ok((
                        Response::default(),
                        vec!["PostgreSQL is reachable again".to_string()],
                    ))
                } else {
                    p.cut();
                    Ok((
                        Response::default(),
                        vec!["every connection to PostgreSQL cut; new ones refused".to_string()],
                    ))
                }
            }
        };
        (result, String::new())
    }

    /// The rows of a query (or its plan) on the check's PostgreSQL database.
    pub(super) async fn sql_step(&mut self, q: &Template, step: &Step) -> Answer {
        let query = q.render(&self.vars);
        let explain = matches!(step.action, Action::Explain(_));
        let how = format!(
            "psql \"$DATABASE_URL\" -c {:?}",
            if explain {
                format!("EXPLAIN {query}")
            } else {
                query.clone()
            }
        );
        let result = match self.vars.get("database_url").cloned() {
            None => Err(no_service("PostgreSQL", "postgres")),
            Some(url) => {
                let doc = if explain {
                    serverlings_probe::db::explain(&url, &query).await
                } else {
                    serverlings_probe::db::rows(&url, &query).await
                };
                rows_answer("PostgreSQL", doc)
            }
        };
        (result, how)
    }

    /// The rows of a query on the check's MySQL/MariaDB database.
    pub(super) async fn mysql_step(&mut self, q: &Template) -> Answer {
        let query = q.render(&self.vars);
        let how = format!("mysql --database=<the check's database> -e {query:?}");
        let result = match self.vars.get("mysql_url").cloned() {
            None => Err(no_service("MySQL", "mysql")),
            Some(url) => rows_answer(
                "MySQL",
                serverlings_services::mysql::rows(&url, &query).await,
            ),
        };
        (result, how)
    }

    /// A queue of the check's RabbitMQ vhost: depth and consumers.
    pub(super) async fn queue_step(&mut self, name: &Template) -> Answer {
        let name = name.render(&self.vars);
        let how = format!(
            "rabbitmqctl list_queues -p <the check's vhost> name messages consumers | grep {name}"
        );
        let result = match self.vars.get("amqp_url").cloned() {
            None => Err(no_service("RabbitMQ", "rabbitmq")),
            Some(url) => serverlings_probe::db::queue(&url, &name)
                .await
                .map(|d| {
                    let note = format!("queue {name}: {d}");
                    (document(&d), vec![note])
                })
                .map_err(|e| Failure::new(format!("cannot read the queue {name}: {e}"))),
        };
        (result, how)
    }

    /// A command on the check's Redis database.
    pub(super) async fn redis_step(&mut self, args: &[Template]) -> Answer {
        let args: Vec<String> = args.iter().map(|a| a.render(&self.vars)).collect();
        let how = format!("redis-cli -u \"$REDIS_URL\" {}", args.join(" "));
        let result = match self.vars.get("redis_url").cloned() {
            None => Err(no_service("Redis", "redis")),
            Some(url) => serverlings_probe::db::redis(&url, &args)
                .await
                .map(|d| {
                    let note = format!("{} → {d}", args.join(" "));
                    (document(&d), vec![note])
                })
                .map_err(|e| Failure::new(format!("Redis did not answer the check: {e}"))),
        };
        (result, how)
    }
}

/// A JSON document as the answer a step's `expect.json` judges.
fn document(d: &serde_json::Value) -> Response {
    Response {
        status: 200,
        body: d.to_string().into_bytes(),
        ..Response::default()
    }
}

/// A database's answer to the check's own query, as the document its
/// `expect.json` judges.
fn rows_answer(
    database: &str,
    doc: Result<serde_json::Value, String>,
) -> Result<(Response, Vec<String>), Failure> {
    doc.map(|d| (document(&d), vec![])).map_err(|e| {
        Failure::new(format!("{database} refused the check's query: {e}"))
            .hint("did the server create its tables (run its migrations) at start?")
    })
}
