//! Redis: a small RESP client, starting a throwaway `redis-server`, and
//! giving each check a logical database of its own.
//!
//! Databases 1.. are handed out with a lease key in database 0
//! (`SET serverlings:lease:N <owner> NX`), so checks in several serverlings
//! processes sharing one server never get the same database.

use super::Kind;
use super::find::Install;
use super::instance::{self, Instance, Life, State};
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const LEASE: &str = "serverlings:lease:";
/// Marks a database serverlings has used: only those, or empty ones, are
/// ever emptied (a learner's own data in database 3 is left alone).
const OWNED: &str = "serverlings:owned:";
/// A lease outlives a killed serverlings by at most this long.
const LEASE_SECS: &str = "3600";

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Simple(String),
    Error(String),
    Int(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

impl Reply {
    pub fn text(&self) -> Option<String> {
        match self {
            Reply::Simple(s) => Some(s.clone()),
            Reply::Bulk(Some(b)) => Some(String::from_utf8_lossy(b).into_owned()),
            Reply::Int(i) => Some(i.to_string()),
            _ => None,
        }
    }
}

pub struct Conn {
    io: BufReader<TcpStream>,
}

/// host, port, user, password, db of a `redis://` URL.
#[derive(Debug)]
struct Target {
    host: String,
    port: u16,
    user: Option<String>,
    password: Option<String>,
    db: u32,
}

fn parse(url: &str) -> Result<Target, String> {
    const REDIS: super::urls::Scheme = super::urls::Scheme {
        names: &["redis"],
        tls: Some("rediss"),
        example: "Redis URL (redis://host:port/db)",
        port: 6379,
    };
    let u = super::urls::parse(url, &REDIS)?;
    Ok(Target {
        db: u.path.parse().unwrap_or(0),
        host: u.host,
        port: u.port,
        user: u.user,
        password: u.password,
    })
}

impl Conn {
    /// Connects and authenticates; selects the URL's database.
    pub async fn open(url: &str) -> Result<Conn, String> {
        let t = parse(url)?;
        let stream = tokio::time::timeout(
            Duration::from_secs(3),
            TcpStream::connect((t.host.as_str(), t.port)),
        )
        .await
        .map_err(|_| "no answer within 3s".to_string())?
        .map_err(|e| e.to_string())?;
        let mut c = Conn {
            io: BufReader::new(stream),
        };
        if let Some(pw) = &t.password {
            let r = match &t.user {
                Some(u) => c.cmd(&["AUTH", u, pw]).await?,
                None => c.cmd(&["AUTH", pw]).await?,
            };
            if let Reply::Error(e) = r {
                return Err(format!("AUTH refused: {e}"));
            }
        }
        if t.db != 0 {
            c.ok(&["SELECT", &t.db.to_string()]).await?;
        }
        Ok(c)
    }

    pub async fn cmd(&mut self, args: &[&str]) -> Result<Reply, String> {
        let mut buf = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            buf.extend(format!("${}\r\n", a.len()).into_bytes());
            buf.extend(a.as_bytes());
            buf.extend(b"\r\n");
        }
        let io = async {
            self.io.get_mut().write_all(&buf).await?;
            read_reply(&mut self.io).await
        };
        tokio::time::timeout(Duration::from_secs(5), io)
            .await
            .map_err(|_| "no answer within 5s".to_string())?
            .map_err(|e| e.to_string())
    }

    /// A command whose error reply is an error.
    pub async fn ok(&mut self, args: &[&str]) -> Result<Reply, String> {
        match self.cmd(args).await? {
            Reply::Error(e) => Err(format!("{}: {e}", args[0])),
            r => Ok(r),
        }
    }
}

fn read_reply<'a>(
    io: &'a mut BufReader<TcpStream>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<Reply>> + Send + 'a>> {
    Box::pin(async move {
        let mut line = String::new();
        if io.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("the server closed the connection"));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let (tag, rest) = line.split_at(line.len().min(1));
        let bad = || std::io::Error::other(format!("not a RESP reply: {line:?}"));
        Ok(match tag {
            "+" => Reply::Simple(rest.into()),
            "-" => Reply::Error(rest.into()),
            ":" => Reply::Int(rest.parse().map_err(|_| bad())?),
            "$" => {
                let n: i64 = rest.parse().map_err(|_| bad())?;
                if n < 0 {
                    Reply::Bulk(None)
                } else {
                    let mut b = vec![0; n as usize + 2];
                    io.read_exact(&mut b).await?;
                    b.truncate(n as usize);
                    Reply::Bulk(Some(b))
                }
            }
            "*" => {
                let n: i64 = rest.parse().map_err(|_| bad())?;
                if n < 0 {
                    Reply::Array(None)
                } else {
                    let mut items = Vec::with_capacity(n as usize);
                    for _ in 0..n {
                        items.push(read_reply(io).await?);
                    }
                    Reply::Array(Some(items))
                }
            }
            _ => return Err(bad()),
        })
    })
}

/// "Redis 7.0.15" (or "Valkey 8.0.1").
pub async fn version(url: &str) -> Result<String, String> {
    let mut c = Conn::open(url).await?;
    let info = c.ok(&["INFO", "server"]).await?.text().unwrap_or_default();
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.trim().to_string())
    };
    Ok(match field("valkey_version:") {
        Some(v) => format!("Valkey {v}"),
        None => format!(
            "Redis {}",
            field("redis_version:").unwrap_or_else(|| "?".into())
        ),
    })
}

/// Starts `redis-server` in `dir` on a free loopback port, without
/// persistence, with 64 logical databases for parallel checks.
pub async fn start(install: &Install, dir: &Path, life: Life) -> Result<Instance, String> {
    let Install::Redis { server } = install else {
        return Err("not a Redis installation".into());
    };
    instance::remove(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let log = dir.join("redis.log");
    let mut last_err = String::new();
    for _ in 0..3 {
        let port = instance::free_port().map_err(|e| format!("no free port: {e}"))?;
        let args: Vec<String> = [
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--databases",
            "64",
            "--daemonize",
            "no",
            "--dir",
            &dir.display().to_string(),
            "--pidfile",
            &dir.join("redis.pid").display().to_string(),
            "--logfile",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let child = instance::spawn(server, &args, dir, &log, None, life)
            .map_err(|e| format!("cannot run {}: {e}", server.display()))?;
        let url = format!("redis://127.0.0.1:{port}");
        let state = State {
            kind: Kind::Redis.id().into(),
            pid: child.id() as i32,
            port,
            url,
            version: String::new(),
            data: None,
            started: instance::now_secs(),
        };
        instance::write_state(dir, &state).map_err(|e| format!("cannot write state: {e}"))?;
        let mut inst = Instance::new(Kind::Redis, dir.to_path_buf(), state, child);
        match instance::wait_ready(
            &mut inst,
            &log,
            "redis-server",
            "answer",
            |u| async move { version(&u).await },
            Duration::from_secs(15),
        )
        .await
        {
            Ok(v) => {
                inst.state.version = v;
                let _ = instance::write_state(dir, &inst.state);
                return Ok(inst);
            }
            Err(e) => {
                last_err = e;
                let port_taken = last_err.contains("Address already in use");
                inst.stop().await;
                if !port_taken {
                    break;
                }
                std::fs::create_dir_all(dir).ok();
            }
        }
    }
    Err(last_err)
}

/// The URL with its database number replaced.
pub fn with_db(url: &str, db: u32) -> Result<String, String> {
    let mut u = url::Url::parse(url).map_err(|e| format!("not a URL ({e})"))?;
    u.set_path(&format!("/{db}"));
    Ok(u.to_string())
}

/// The URL without a database number (where leases live: database 0).
fn base(url: &str) -> Result<String, String> {
    with_db(url, 0)
}

/// Claims a free logical database, empties it and returns its number.
pub async fn claim(url: &str, owner: &str) -> Result<u32, String> {
    let base = base(url)?;
    let mut c = Conn::open(&base).await?;
    let count = match c.cmd(&["CONFIG", "GET", "databases"]).await? {
        Reply::Array(Some(items)) if items.len() == 2 => items[1]
            .text()
            .and_then(|t| t.parse::<u32>().ok())
            .unwrap_or(16),
        // CONFIG may be disabled (managed Redis): the default.
        _ => 16,
    };
    if count < 2 {
        return Err("the server has a single database (cluster mode?): point REDIS_URL at a server with `databases` ≥ 2".into());
    }
    let loopback = super::is_loopback(url);
    for pass in 0..2 {
        for n in 1..count {
            let key = format!("{LEASE}{n}");
            let got = c.ok(&["SET", &key, owner, "NX", "EX", LEASE_SECS]).await?;
            let mine = matches!(got, Reply::Simple(ref s) if s == "OK");
            // Second pass: take over leases of serverlings processes that
            // were killed (their pid is gone).
            let stale = !mine
                && pass == 1
                && loopback
                && c.ok(&["GET", &key])
                    .await?
                    .text()
                    .and_then(|o| o.split(':').next()?.parse::<i32>().ok())
                    .is_some_and(|pid| !instance::alive(pid));
            if stale {
                c.ok(&["SET", &key, owner, "EX", LEASE_SECS]).await?;
            }
            if !(mine || stale) {
                continue;
            }
            let db = n.to_string();
            c.ok(&["SELECT", &db]).await?;
            let size = c.ok(&["DBSIZE"]).await?.text().unwrap_or_default();
            c.ok(&["SELECT", "0"]).await?;
            let owned = format!("{OWNED}{n}");
            let ours = c.ok(&["EXISTS", &owned]).await? == Reply::Int(1);
            if size != "0" && !ours {
                // Someone else's data: not for a check.
                c.ok(&["DEL", &key]).await?;
                continue;
            }
            c.ok(&["SET", &owned, "1"]).await?;
            c.ok(&["SELECT", &db]).await?;
            c.ok(&["FLUSHDB"]).await?;
            return Ok(n);
        }
    }
    Err(format!(
        "none of its logical databases 1 to {} is free: each is in use by a check or holds data serverlings did not put there",
        count - 1
    ))
}

/// Empties the database and gives its lease back.
pub async fn release(url: &str, db: u32, owner: &str) -> Result<(), String> {
    let mut c = Conn::open(&with_db(url, db)?).await?;
    c.ok(&["FLUSHDB"]).await?;
    c.ok(&["SELECT", "0"]).await?;
    let key = format!("{LEASE}{db}");
    if c.ok(&["GET", &key]).await?.text().as_deref() == Some(owner) {
        c.ok(&["DEL", &key]).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_get_a_database() {
        let t = parse("redis://:p%40ss@127.0.0.1:7000/3").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.db), ("127.0.0.1", 7000, 3));
        assert_eq!(t.password.as_deref(), Some("p@ss"));
        assert_eq!(
            with_db("redis://127.0.0.1:6379", 5).unwrap(),
            "redis://127.0.0.1:6379/5"
        );
        assert!(parse("rediss://x").unwrap_err().contains("TLS"));
    }
}
