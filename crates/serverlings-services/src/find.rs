//! Finding a local installation: `PATH` first, then where Debian, Fedora
//! (PGDG), Homebrew, MacPorts and Postgres.app put the binaries.
//! `SERVERLINGS_SERVICE_DIRS` (colon-separated) replaces the well-known
//! folders, for installations in unusual places.

use super::Kind;
use std::path::{Path, PathBuf};

/// Binaries serverlings starts a service from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Install {
    Postgres {
        initdb: PathBuf,
        postgres: PathBuf,
        /// `pg_config` beside them, to find `pg_stat_statements`.
        pg_config: Option<PathBuf>,
    },
    Redis {
        server: PathBuf,
    },
}

impl Install {
    /// The program a version is asked from.
    pub fn main_binary(&self) -> &Path {
        match self {
            Install::Postgres { postgres, .. } => postgres,
            Install::Redis { server } => server,
        }
    }
}

/// Folders of `PATH`, in order.
fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default()
}

/// Well-known folders of a kind, newest version first.
pub fn well_known(kind: Kind) -> Vec<PathBuf> {
    if let Some(v) = std::env::var_os("SERVERLINGS_SERVICE_DIRS") {
        return std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
    }
    let mut out = Vec::new();
    if kind == Kind::Postgres {
        // (parent, name prefix, sub-folder): /usr/lib/postgresql/16/bin, …
        for (parent, prefix, sub) in [
            ("/usr/lib/postgresql", "", "bin"),
            ("/usr", "pgsql-", "bin"),
            ("/opt/homebrew/opt", "postgresql", "bin"),
            ("/usr/local/opt", "postgresql", "bin"),
            ("/Applications/Postgres.app/Contents/Versions", "", "bin"),
        ] {
            out.extend(versioned(Path::new(parent), prefix, sub));
        }
    }
    for d in [
        "/usr/local/bin",
        "/usr/bin",
        "/opt/homebrew/bin",
        "/opt/local/bin",
        "/usr/local/sbin",
        "/usr/sbin",
        "/opt/homebrew/sbin",
    ] {
        out.push(PathBuf::from(d));
    }
    out
}

/// `parent/<prefix><version>/<sub>` folders, highest version first.
fn versioned(parent: &Path, prefix: &str, sub: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return vec![];
    };
    let mut found: Vec<(Vec<u32>, PathBuf)> = rd
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(prefix)?;
            let dir = e.path().join(sub);
            dir.is_dir().then(|| (version_key(rest), dir))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.into_iter().map(|(_, d)| d).collect()
}

/// "@16.2" → [16, 2]; no digits → [] (sorts last).
fn version_key(s: &str) -> Vec<u32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect()
}

fn executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The first folder (PATH, then well-known) that holds all of `names`.
fn dir_with(kind: Kind, names: &[&str]) -> Option<PathBuf> {
    path_dirs()
        .into_iter()
        .chain(well_known(kind))
        .find(|d| names.iter().all(|n| executable(&d.join(n))))
}

/// A program on PATH or in the well-known folders.
pub fn program(kind: Kind, name: &str) -> Option<PathBuf> {
    dir_with(kind, &[name]).map(|d| d.join(name))
}

/// The installation serverlings would start `kind` from.
pub fn install(kind: Kind) -> Option<Install> {
    match kind {
        Kind::Postgres => {
            let dir = dir_with(kind, &["initdb", "postgres"])?;
            let pg_config = Some(dir.join("pg_config")).filter(|p| executable(p));
            Some(Install::Postgres {
                initdb: dir.join("initdb"),
                postgres: dir.join("postgres"),
                pg_config,
            })
        }
        Kind::Redis => {
            // Valkey is the drop-in Redis of newer Fedora releases.
            let server =
                program(kind, "redis-server").or_else(|| program(kind, "valkey-server"))?;
            Some(Install::Redis { server })
        }
        Kind::Rabbitmq | Kind::Mysql => None,
    }
}

/// Where `install` looked, for the "needs …" message.
pub fn looked(kind: Kind) -> String {
    let names = match kind {
        Kind::Postgres => "initdb and postgres",
        Kind::Redis => "redis-server (or valkey-server)",
        Kind::Rabbitmq => "rabbitmqctl",
        Kind::Mysql => "mysqld",
    };
    let mut dirs: Vec<String> = vec!["PATH".into()];
    if std::env::var_os("SERVERLINGS_SERVICE_DIRS").is_some() {
        dirs.extend(well_known(kind).iter().map(|d| d.display().to_string()));
    } else if kind == Kind::Postgres {
        dirs.extend(
            [
                "/usr/lib/postgresql/*/bin",
                "/usr/pgsql-*/bin",
                "/opt/homebrew/opt/postgresql*/bin",
                "/usr/local/opt/postgresql*/bin",
            ]
            .map(String::from),
        );
    } else {
        dirs.extend(["/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin"].map(String::from));
    }
    format!("no {names} found on {}", dirs.join(", "))
}

/// "PostgreSQL 15.4" from `postgres (PostgreSQL) 15.4 (Debian …)`,
/// "Redis 7.0.15" from `Redis server v=7.0.15 sha=…`.
pub fn short_version(line: &str) -> String {
    let product = if line.contains("PostgreSQL") {
        "PostgreSQL"
    } else if line.to_ascii_lowercase().contains("valkey") {
        "Valkey"
    } else if line.contains("Redis") {
        "Redis"
    } else {
        return line.to_string();
    };
    line.split_whitespace()
        .map(|w| w.trim_start_matches("v="))
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .map_or_else(|| line.to_string(), |v| format!("{product} {v}"))
}

/// The first line of `program --version`.
pub fn version(program: &Path) -> Option<String> {
    let mut cmd = std::process::Command::new(program);
    cmd.arg("--version");
    let out =
        serverlings_proc::process::output_within_sync(cmd, std::time::Duration::from_secs(10))
            .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_numerically() {
        assert!(version_key("@16") > version_key("@9.6"));
        assert!(version_key("15") > version_key(""));
        assert_eq!(version_key("@16.2"), [16, 2]);
        assert_eq!(
            short_version("postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"),
            "PostgreSQL 15.20"
        );
        assert_eq!(
            short_version("Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0"),
            "Redis 7.0.15"
        );
    }
}
