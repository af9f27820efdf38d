//! Runs every runnable Rust fence of every lesson and holds it to what the
//! lesson says of it.
//!
//! A fence marked `rust` must exit 0 within its timeout. What the prose
//! claims about a fence's output or timing lives beside the lesson, in
//! `lessons/NN-slug/snippets.toml`, keyed by the fence's `name=`:
//!
//! ```toml
//! [timer-lag]
//! prints = ["1. spawn only queued the task"]      # lines, in this order
//! matches = ['5\. the 10 ms timer fired at 2\d\dms']  # each matches a line
//! min_ms = 200                                     # wall time of the run
//! ```
//!
//! Other keys: `max_ms`, `stderr` (substrings of stderr), `exit_code`
//! (default 0), `timeout_s` (default 30), `env`, `runs` (repeat that many
//! times; every run must pass) and `services` (`postgres`, `redis`,
//! `rabbitmq`, `mysql`: the snippet gets `DATABASE_URL` — a fresh database —
//! `REDIS_URL`, `AMQP_URL` or `MYSQL_URL`).
//!
//! `cargo test -p lesson-snippets -- 04-` runs the snippets whose id
//! contains `04-`. A service that cannot be reached skips its snippets with
//! a note, or fails them when `SERVERLINGS_REQUIRE_SERVICES` is set.

use lesson_snippets::{SNIPPETS, Snippet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest fence, in lines, that a lesson may show. Aim for 40 (a screen);
/// past this the fence must be split.
const MAX_LINES: usize = 45;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    prints: Vec<String>,
    #[serde(default)]
    matches: Vec<String>,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    exit_code: i32,
    min_ms: Option<u64>,
    max_ms: Option<u64>,
    timeout_s: Option<u64>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    runs: Option<u32>,
    #[serde(default)]
    services: Vec<String>,
}

fn lessons() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

/// The expectations of every part, and the problems found reading them
/// (the good entries are kept, so one bad entry does not make every other
/// snippet run without its services and fail for the wrong reason).
fn expectations() -> (BTreeMap<String, Expect>, Vec<String>) {
    let mut all = BTreeMap::new();
    let mut problems = Vec::new();
    let parts: std::collections::BTreeSet<&str> = SNIPPETS.iter().map(|s| s.part).collect();
    for part in parts {
        let file = lessons().join(part).join("snippets.toml");
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let table: BTreeMap<String, Expect> = match toml::from_str(&text) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("lessons/{part}/snippets.toml: {e}"));
                continue;
            }
        };
        for (name, expect) in table {
            let id = format!("{part}/{name}");
            match SNIPPETS.iter().find(|s| s.id == id) {
                None => problems.push(format!(
                    "lessons/{part}/snippets.toml: [{name}] names no fence; give one `rust name={name}` in lesson.md"
                )),
                Some(s) if s.mode != "run" => problems.push(format!(
                    "lessons/{part}/snippets.toml: [{name}] is a `{}` fence, which is not run",
                    s.mode
                )),
                Some(_) => {
                    all.insert(id, expect);
                }
            }
        }
    }
    (all, problems)
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let chosen = |s: &Snippet| filters.is_empty() || filters.iter().any(|f| s.id.contains(f));
    let (expects, mut failures) = expectations();
    let require = std::env::var_os("SERVERLINGS_REQUIRE_SERVICES").is_some();
    let mut services = Services::default();
    let bin = env!("CARGO_BIN_EXE_lesson-snippets");
    let (mut ran, mut skipped) = (0, 0);
    for s in SNIPPETS.iter().filter(|s| chosen(s)) {
        if s.lines > MAX_LINES {
            failures.push(format!(
                "{} (lessons/{}/lesson.md:{}): {} lines; split it below {MAX_LINES} so it reads on one screen",
                s.id, s.part, s.line, s.lines
            ));
        }
        if s.mode != "run" {
            continue;
        }
        let default = Expect::default();
        let expect = expects.get(s.id).unwrap_or(&default);
        let mut env = expect.env.clone();
        let mut missing = None;
        for service in &expect.services {
            match services.provide(service) {
                Ok(vars) => env.extend(vars),
                Err(why) => missing = Some(why),
            }
        }
        if let Some(why) = missing {
            if require {
                failures.push(format!("{}: {why}", s.id));
            } else {
                println!("skip {} ({why})", s.id);
                skipped += 1;
            }
            continue;
        }
        for _ in 0..expect.runs.unwrap_or(1).max(1) {
            ran += 1;
            match run_one(bin, s, expect, &env) {
                Ok(ms) => println!("ok   {} ({ms} ms)", s.id),
                Err(why) => {
                    println!("FAIL {}", s.id);
                    failures.push(format!(
                        "{} (lessons/{}/lesson.md:{}): {why}",
                        s.id, s.part, s.line
                    ));
                    break;
                }
            }
        }
        services.cleanup();
    }
    println!(
        "\n{ran} runs of {} snippets, {skipped} skipped, {} problems",
        SNIPPETS.len(),
        failures.len()
    );
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("- {f}");
        }
        std::process::exit(1);
    }
}

fn run_one(
    bin: &str,
    s: &Snippet,
    expect: &Expect,
    env: &BTreeMap<String, String>,
) -> Result<u128, String> {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .arg(s.id)
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {bin}: {e}"))?;
    let limit = Duration::from_secs(expect.timeout_s.unwrap_or(30));
    let out_pipe = child.stdout.take().unwrap();
    let err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || read_all(out_pipe));
    let err = std::thread::spawn(move || read_all(err_pipe));
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "still running after {limit:?}: mark it `rust no_run`, or end it"
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let ms = started.elapsed().as_millis();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let shown = || format!("\n--- stdout\n{stdout}--- stderr\n{stderr}");
    if status.code() != Some(expect.exit_code) {
        return Err(format!(
            "exited with {status}, expected {}{}",
            expect.exit_code,
            shown()
        ));
    }
    let mut lines = stdout.lines();
    for wanted in &expect.prints {
        if !lines.by_ref().any(|l| l.contains(wanted.as_str())) {
            return Err(format!(
                "no line (in order) containing {wanted:?}{}",
                shown()
            ));
        }
    }
    for pattern in &expect.matches {
        let re = regex::Regex::new(pattern).map_err(|e| format!("bad pattern {pattern:?}: {e}"))?;
        if !stdout.lines().any(|l| re.is_match(l)) {
            return Err(format!("no line matches {pattern:?}{}", shown()));
        }
    }
    for wanted in &expect.stderr {
        if !stderr.contains(wanted.as_str()) {
            return Err(format!("stderr lacks {wanted:?}{}", shown()));
        }
    }
    if expect.min_ms.is_some_and(|min| ms < u128::from(min)) {
        return Err(format!(
            "took {ms} ms, the lesson says at least {} ms",
            expect.min_ms.unwrap()
        ));
    }
    if expect.max_ms.is_some_and(|max| ms > u128::from(max)) {
        return Err(format!(
            "took {ms} ms, the lesson says at most {} ms",
            expect.max_ms.unwrap()
        ));
    }
    Ok(ms)
}

fn read_all(mut r: impl std::io::Read) -> String {
    let mut bytes = Vec::new();
    let _ = r.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The services snippets use: the machine's servers (or the `*_URL`
/// variables), a fresh PostgreSQL database per snippet.
#[derive(Default)]
struct Services {
    runtime: Option<tokio::runtime::Runtime>,
    databases: Vec<String>,
    made: usize,
}

impl Services {
    fn rt(&mut self) -> &tokio::runtime::Runtime {
        self.runtime.get_or_insert_with(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
        })
    }

    fn admin_url() -> String {
        std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
    }

    fn provide(&mut self, service: &str) -> Result<Vec<(String, String)>, String> {
        let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
        match service {
            "postgres" => {
                self.made += 1;
                let name = format!("snippet_{}_{}", std::process::id(), self.made);
                let admin = Self::admin_url();
                let made = self.rt().block_on(async {
                    use sqlx::Connection;
                    let mut c = sqlx::PgConnection::connect(&admin).await?;
                    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                        .execute(&mut c)
                        .await?;
                    Ok::<_, sqlx::Error>(())
                });
                made.map_err(|e| format!("needs PostgreSQL at {admin}: {e}"))?;
                self.databases.push(name.clone());
                let mut url = url_with_db(&admin, &name);
                if url.is_empty() {
                    url = format!("postgres://postgres@127.0.0.1:5432/{name}");
                }
                Ok(vec![("DATABASE_URL".into(), url)])
            }
            "redis" => {
                let url = env("REDIS_URL", "redis://127.0.0.1:6379/13");
                reachable(&url, 6379).map(|()| vec![("REDIS_URL".into(), url)])
            }
            "rabbitmq" => {
                let url = env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2f");
                reachable(&url, 5672).map(|()| vec![("AMQP_URL".into(), url)])
            }
            "mysql" => {
                let url = env("MYSQL_URL", "mysql://root@127.0.0.1:3306/test");
                reachable(&url, 3306).map(|()| vec![("MYSQL_URL".into(), url)])
            }
            other => Err(format!("unknown service {other:?} in snippets.toml")),
        }
    }

    fn cleanup(&mut self) {
        let names = std::mem::take(&mut self.databases);
        if names.is_empty() {
            return;
        }
        let admin = Self::admin_url();
        let _ = self.rt().block_on(async {
            use sqlx::Connection;
            let mut c = sqlx::PgConnection::connect(&admin).await?;
            for name in names {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut c)
                .await?;
            }
            Ok::<_, sqlx::Error>(())
        });
    }
}

/// `postgres://u@h:p/db?x` with its database replaced by `name`.
fn url_with_db(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let Some(scheme_end) = base.find("://") else {
        return String::new();
    };
    let rest = &base[scheme_end + 3..];
    let host_end = rest.find('/').map_or(base.len(), |i| scheme_end + 3 + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if !query.is_empty() {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// Whether the URL's host and port accept a TCP connection.
fn reachable(url: &str, default_port: u16) -> Result<(), String> {
    let after = url.split_once("://").map_or(url, |(_, r)| r);
    let host_port = after.split(['/', '?']).next().unwrap_or("");
    let host_port = host_port.rsplit_once('@').map_or(host_port, |(_, h)| h);
    let addr = if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:{default_port}")
    };
    let addrs: Vec<_> = std::net::ToSocketAddrs::to_socket_addrs(&addr.as_str())
        .map_err(|e| format!("cannot resolve {addr}: {e}"))?
        .collect();
    for a in addrs {
        if std::net::TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok() {
            return Ok(());
        }
    }
    Err(format!(
        "nothing listens on {addr} (start it, or set the URL variable)"
    ))
}
