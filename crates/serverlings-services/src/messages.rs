//! What the learner reads when a service cannot be provided: which one, why
//! the exercise needs it, and what to type on Debian/Ubuntu, Fedora, macOS.

use super::{Kind, Source};

/// Why a check needs the service.
pub fn why(kind: Kind) -> &'static str {
    match kind {
        Kind::Postgres => {
            "its check starts your server with DATABASE_URL pointing at a fresh PostgreSQL database of its own"
        }
        Kind::Redis => {
            "its check starts your server with REDIS_URL pointing at an empty Redis database of its own"
        }
        Kind::Rabbitmq => {
            "its check starts your server with AMQP_URL pointing at a RabbitMQ virtual host of its own"
        }
        Kind::Mysql => {
            "its check starts your server with MYSQL_URL pointing at a fresh MySQL/MariaDB database of its own"
        }
    }
}

/// Install commands: (system, command).
pub fn install_commands(kind: Kind) -> [(&'static str, &'static str); 3] {
    match kind {
        Kind::Postgres => [
            ("Debian/Ubuntu", "sudo apt install postgresql"),
            ("Fedora", "sudo dnf install postgresql-server"),
            ("macOS", "brew install postgresql@17"),
        ],
        Kind::Redis => [
            ("Debian/Ubuntu", "sudo apt install redis-server"),
            ("Fedora", "sudo dnf install valkey"),
            ("macOS", "brew install redis"),
        ],
        Kind::Rabbitmq => [
            ("Debian/Ubuntu", "sudo apt install rabbitmq-server"),
            (
                "Fedora",
                "sudo dnf install rabbitmq-server && sudo systemctl start rabbitmq-server",
            ),
            (
                "macOS",
                "brew install rabbitmq && brew services start rabbitmq",
            ),
        ],
        Kind::Mysql => [
            ("Debian/Ubuntu", "sudo apt install mariadb-server"),
            (
                "Fedora",
                "sudo dnf install mariadb-server && sudo systemctl start mariadb",
            ),
            (
                "macOS",
                "brew install mariadb && brew services start mariadb",
            ),
        ],
    }
}

fn install_block(kind: Kind) -> String {
    install_commands(kind)
        .iter()
        .map(|(os, cmd)| format!("  {:<15}{cmd}", format!("{os}:")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// After installing, what happens.
fn then(kind: Kind) -> &'static str {
    if kind.startable() {
        "then check again: serverlings starts and stops it by itself."
    } else {
        "then check again (serverlings does not start this one itself: it is too heavy to start per run)."
    }
}

/// The one-line summary (doctor, status).
pub fn missing_line(kind: Kind) -> String {
    let [(_, deb), (_, fed), (_, mac)] = install_commands(kind);
    format!(
        "not found: install it (`{deb}`, `{fed}` or `{mac}`) or set {}",
        kind.env()
    )
}

/// "needs PostgreSQL: …": nothing can provide the service.
pub fn needs(kind: Kind, exercise: &str, looked: &str) -> String {
    format!(
        "needs {title}: `{exercise}` uses {title}: {why}.\n\
         {env} is not set, no instance from `serverlings services up` is running, and {looked}.\n\
         Install {title}, {then}\n{block}\n\
         Or point {env} (or `{id} = \"…\"` under [services] in .serverlings/config.toml) at a server you already have.",
        title = kind.title(),
        why = why(kind),
        env = kind.env(),
        id = kind.id(),
        then = then(kind),
        block = install_block(kind),
    )
}

/// A named or found server that does not work.
pub fn unusable(kind: Kind, url: &str, source: &Source, reason: &str) -> String {
    let fix = match source {
        Source::Env => format!(
            "Check that the server is running and {env} is right, or unset {env} to let serverlings provide one",
            env = kind.env()
        ),
        Source::Config(p) => format!(
            "Check that the server is running and the URL in {} is right, or remove it",
            p.display()
        ),
        Source::Up => {
            "Run `serverlings services down` and `serverlings services up` to start it afresh"
                .into()
        }
        Source::OnDemand => {
            "Run `serverlings doctor` to see what is wrong with the local installation".into()
        }
        Source::Local => format!(
            "Check that the server accepts this user, or set {} to a URL that works",
            kind.env()
        ),
    };
    format!(
        "needs {}: the server at {} ({}) cannot be used: {reason}.\n{fix}.",
        kind.title(),
        super::redact(url),
        source.describe(kind),
    )
}

/// The local installation would not start.
pub fn cannot_start(kind: Kind, reason: &str) -> String {
    format!(
        "needs {}: serverlings found it but could not start it: {reason}\n\
         Set {} to a server you already have, or run `serverlings doctor`.",
        kind.title(),
        kind.env()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_needs_message_says_what_why_and_how_to_install() {
        let m = needs(Kind::Postgres, "sqlx-crud", "no initdb found on PATH");
        assert!(m.starts_with("needs PostgreSQL: `sqlx-crud` uses PostgreSQL"));
        for want in [
            "DATABASE_URL",
            "sudo apt install postgresql",
            "sudo dnf install postgresql-server",
            "brew install postgresql",
            "no initdb found on PATH",
        ] {
            assert!(m.contains(want), "{want} missing from:\n{m}");
        }
        assert!(needs(Kind::Rabbitmq, "x", "y").contains("does not start this one itself"));
    }
}
