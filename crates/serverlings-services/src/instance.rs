//! Instances serverlings starts: their folder and state file under
//! `.serverlings/services/`, the processes, and cleaning up after a
//! serverlings that was killed.
//!
//! - `up/<kind>/` — started by `serverlings services up`, detached, until
//!   `services down`.
//! - `run-<pid>/<kind>/` — started on demand by the serverlings process
//!   `<pid>`, removed when it ends. If it was killed, the next serverlings
//!   finds `<pid>` dead and removes the folder (and any process left).
//!
//! A state file is written right after the process is spawned, so a kill at
//! any later moment leaves a pid to clean up.

use super::Kind;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const STATE_FILE: &str = "state.toml";

/// Absolute, since servers run in folders of their own.
pub fn services_dir(root: &Path) -> PathBuf {
    std::path::absolute(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .join(".serverlings")
        .join("services")
}

pub fn up_dir(root: &Path, kind: Kind) -> PathBuf {
    services_dir(root).join("up").join(kind.id())
}

/// Pristine data to copy instead of making it again (a PostgreSQL cluster).
pub fn seeds_dir(root: &Path) -> PathBuf {
    services_dir(root).join("seeds")
}

/// This process's on-demand folder.
pub fn run_dir(root: &Path) -> PathBuf {
    services_dir(root).join(format!("run-{}", std::process::id()))
}

/// What a state file records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    pub kind: String,
    pub pid: i32,
    pub port: u16,
    pub url: String,
    #[serde(default)]
    pub version: String,
    /// The data folder when it is not `<dir>/data` (see `postgres::data_dir`).
    #[serde(default)]
    pub data: Option<PathBuf>,
    /// Seconds since the epoch.
    #[serde(default)]
    pub started: u64,
}

pub fn read_state(dir: &Path) -> Option<State> {
    toml::from_str(&std::fs::read_to_string(dir.join(STATE_FILE)).ok()?).ok()
}

pub fn write_state(dir: &Path, s: &State) -> io::Result<()> {
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    std::fs::write(&tmp, toml::to_string(s).map_err(io::Error::other)?)?;
    std::fs::rename(tmp, dir.join(STATE_FILE))
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Whether a process exists (and is not a zombie).
pub fn alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence.
    let r = unsafe { libc::kill(pid, 0) };
    if r != 0 && io::Error::last_os_error().raw_os_error() != Some(libc::EPERM) {
        return false;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !matches!(
            stat.rsplit(')')
                .next()
                .and_then(|s| s.split_whitespace().next()),
            Some("Z" | "X")
        ),
        Err(_) => true, // no /proc (macOS): trust kill(0)
    }
}

/// Whether something accepts TCP connections on host:port (300 ms).
pub fn answers(host: &str, port: u16) -> bool {
    use std::net::ToSocketAddrs;
    let Ok(mut addrs) = (host, port).to_socket_addrs() else {
        return false;
    };
    addrs.any(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_millis(300)).is_ok())
}

/// The `services up` instance of `kind`, if it runs.
pub fn running_up(root: &Path, kind: Kind) -> Option<State> {
    let s = read_state(&up_dir(root, kind))?;
    (alive(s.pid) && answers("127.0.0.1", s.port)).then_some(s)
}

/// A free loopback port for a server started later (a learner's server, a
/// throwaway PostgreSQL). It is picked below the kernel's ephemeral range:
/// a port the OS hands out for `:0` is also what every outgoing connection
/// takes as its local port, so while checks run side by side a client could
/// take it before the server binds ("Address already in use"). Random, so
/// parallel checks rarely meet; never the same twice in one process; tried
/// with a bind. Falls back to the OS's choice.
pub fn free_port() -> io::Result<u16> {
    use std::collections::HashSet;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    static GIVEN: Mutex<Option<HashSet<u16>>> = Mutex::new(None);
    static STATE: AtomicU64 = AtomicU64::new(0);
    let first_ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<u16>().ok())
        .unwrap_or(32768);
    const LOW: u16 = 20000;
    if first_ephemeral > LOW + 1000 {
        let span = u64::from(first_ephemeral - LOW);
        let seed = u64::from(std::process::id())
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
        let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
        let given = given.get_or_insert_with(HashSet::new);
        if given.len() > 1000 {
            given.clear();
        }
        for _ in 0..64 {
            // splitmix64 over a shared counter: distinct draws per call.
            let mut z = STATE
                .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
                .wrapping_add(seed);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let port = LOW + ((z ^ (z >> 31)) % span) as u16;
            if !given.contains(&port) && std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
                given.insert(port);
                return Ok(port);
            }
        }
    }
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// An exclusive lock on `services/<name>.lock`, held until dropped. The
/// kernel releases it when the process dies, so a killed serverlings never
/// leaves a lock that blocks the next one.
pub struct Lock(#[allow(dead_code)] File);

pub fn lock(root: &Path, name: &str) -> io::Result<Lock> {
    let dir = services_dir(root);
    std::fs::create_dir_all(&dir)?;
    let f = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(format!("{name}.lock")))?;
    use std::os::fd::AsRawFd;
    // SAFETY: plain syscall on an fd we own.
    if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(Lock(f))
}

/// A user to run a server as: PostgreSQL refuses to run as root.
#[derive(Debug, Clone, Copy)]
pub struct RunAs {
    pub uid: u32,
    pub gid: u32,
}

/// `Some` when serverlings runs as root and the server must not: the
/// `postgres` user (else `nobody`).
pub fn unprivileged_user() -> Result<Option<RunAs>, String> {
    // SAFETY: plain syscall.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    for name in ["postgres", "nobody"] {
        let c = std::ffi::CString::new(name).unwrap_or_default();
        // SAFETY: getpwnam returns a pointer into static storage or null;
        // we copy the two fields at once.
        let pw = unsafe { libc::getpwnam(c.as_ptr()) };
        if !pw.is_null() {
            let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
            return Ok(Some(RunAs { uid, gid }));
        }
    }
    Err("PostgreSQL refuses to run as root and this machine has no `postgres` user to run it as: create one (`useradd --system postgres`) or run serverlings as a normal user".into())
}

/// Whether `user` can reach and write `dir` (owner, group, other bits of
/// every ancestor).
pub fn reachable_by(dir: &Path, user: RunAs) -> bool {
    use std::os::unix::fs::MetadataExt;
    for a in dir.ancestors().skip(1) {
        let Ok(m) = std::fs::metadata(a) else {
            return false;
        };
        let bits = if m.uid() == user.uid {
            m.mode() >> 6
        } else if m.gid() == user.gid {
            m.mode() >> 3
        } else {
            m.mode()
        };
        if bits & 0o1 == 0 {
            return false;
        }
    }
    true
}

pub fn chown(path: &Path, user: RunAs) -> io::Result<()> {
    std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid))
}

/// How a server process is tied to serverlings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Life {
    /// Lives for this serverlings process: own process group (Ctrl-C in the
    /// terminal does not reach it; serverlings stops it), killed by the
    /// kernel if serverlings dies.
    Run,
    /// Outlives serverlings (`services up`): its own session.
    Detached,
}

/// Spawns a server with stdin closed and its output appended to `log`.
pub fn spawn(
    program: &Path,
    args: &[String],
    cwd: &Path,
    log: &Path,
    user: Option<RunAs>,
    life: Life,
) -> io::Result<Child> {
    let out = File::options().create(true).append(true).open(log)?;
    let err = out.try_clone()?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    // Servers read these; an inherited one from the learner's shell must not
    // point them elsewhere.
    for v in ["PGDATA", "PGPORT", "PGHOST", "PGUSER", "PGDATABASE"] {
        cmd.env_remove(v);
    }
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe syscalls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if life == Life::Detached {
                libc::setsid();
            } else {
                libc::setpgid(0, 0);
            }
            if let Some(u) = user
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(u.gid) != 0
                    || libc::setuid(u.uid) != 0)
            {
                return Err(io::Error::last_os_error());
            }
            // After setuid, which would clear it.
            #[cfg(target_os = "linux")]
            if life == Life::Run {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            }
            Ok(())
        });
    }
    cmd.spawn()
}

/// Runs a program to completion (initdb), as `user`, within `limit`.
pub async fn run_to_end(
    program: &Path,
    args: &[String],
    cwd: &Path,
    user: Option<RunAs>,
    limit: Duration,
) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for v in ["PGDATA", "PGPORT", "PGHOST", "PGUSER"] {
        cmd.env_remove(v);
    }
    // SAFETY: only async-signal-safe syscalls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if let Some(u) = user
                && (libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(u.gid) != 0
                    || libc::setuid(u.uid) != 0)
            {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let name = program.display();
    let child = cmd.spawn().map_err(|e| format!("cannot run {name}: {e}"))?;
    let out = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .map_err(|_| format!("{name} did not finish within {}s", limit.as_secs()))?
        .map_err(|e| format!("{name} failed: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let last: Vec<&str> = text.lines().rev().take(5).collect();
    Err(format!(
        "{name} failed ({}): {}",
        out.status,
        last.into_iter().rev().collect::<Vec<_>>().join(" / ")
    ))
}

/// The last lines of a log file, for error messages.
pub fn log_tail(log: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Sends `first` to `pid`, waits up to `grace` for it to go, then SIGKILL.
/// `child` is reaped when it is ours.
pub async fn stop_pid(pid: i32, first: i32, grace: Duration, mut child: Option<&mut Child>) {
    if pid <= 0 {
        return;
    }
    // SAFETY: plain syscall; ESRCH (gone) is fine.
    unsafe {
        libc::kill(pid, first);
    }
    let deadline = Instant::now() + grace;
    let mut killed = false;
    loop {
        let gone = match child.as_deref_mut() {
            Some(c) => !matches!(c.try_wait(), Ok(None)),
            None => !alive(pid),
        };
        if gone {
            return;
        }
        if Instant::now() >= deadline {
            if killed {
                return;
            }
            // SAFETY: as above.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
            killed = true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// SIGKILL now and reap (Drop paths).
pub fn kill_now(pid: i32, child: Option<&mut Child>) {
    if pid > 0 {
        // SAFETY: plain syscall.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
    if let Some(c) = child {
        let _ = c.wait();
    }
}

/// Removes an instance folder and its data folder when kept elsewhere.
pub fn remove(dir: &Path) {
    if let Some(data) = read_state(dir).and_then(|s| s.data) {
        let _ = std::fs::remove_dir_all(data);
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Kills what an abandoned instance folder's processes left running and
/// removes the folder. Knows the state file, PostgreSQL's `postmaster.pid`
/// and Redis's pid file, so a kill in the middle of a start is covered too.
pub fn clean_abandoned(dir: &Path) -> Option<String> {
    if !dir.exists() {
        return None;
    }
    let mut pids = Vec::new();
    let state = read_state(dir);
    if let Some(s) = &state {
        pids.push(s.pid);
    }
    let data = state
        .as_ref()
        .and_then(|s| s.data.clone())
        .unwrap_or_else(|| dir.join("data"));
    for f in [data.join("postmaster.pid"), dir.join("redis.pid")] {
        if let Some(pid) = std::fs::read_to_string(&f)
            .ok()
            .and_then(|t| t.lines().next()?.trim().parse::<i32>().ok())
        {
            pids.push(pid);
        }
    }
    let mut killed = Vec::new();
    for pid in pids {
        if alive(pid) && belongs_to(pid, dir, &data) {
            kill_now(pid, None);
            killed.push(pid);
        }
    }
    remove(dir);
    Some(if killed.is_empty() {
        format!("removed the stale {}", dir.display())
    } else {
        format!(
            "stopped a leftover server (pid {}) and removed {}",
            killed
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            dir.display()
        )
    })
}

/// Whether `pid` is a server of this folder (its command line names it);
/// without /proc, trust the pid file.
fn belongs_to(pid: i32, dir: &Path, data: &Path) -> bool {
    match std::fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(cmd) => {
            let cmd = String::from_utf8_lossy(&cmd);
            cmd.contains(&*dir.to_string_lossy()) || cmd.contains(&*data.to_string_lossy())
        }
        Err(_) => true,
    }
}

/// Cleans what killed serverlings processes left behind: on-demand folders
/// of dead processes, and a `services up` folder whose server is gone.
/// Returns what was done, one line each.
pub fn clean_stale(root: &Path) -> Vec<String> {
    let mut done = Vec::new();
    let base = services_dir(root);
    let Ok(rd) = std::fs::read_dir(&base) else {
        return done;
    };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("run-")
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if alive(pid) {
            continue;
        }
        for k in std::fs::read_dir(e.path())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            if let Some(line) = clean_abandoned(&k.path()) {
                done.push(line);
            }
        }
        let _ = std::fs::remove_dir_all(e.path());
    }
    done
}

/// Cleans a `services up` folder whose server is not running (a crash, a
/// reboot, a kill during `services up`). Call with the lock held.
pub fn clean_stale_up(root: &Path, kind: Kind) -> Option<String> {
    let dir = up_dir(root, kind);
    if !dir.exists() {
        return None;
    }
    if let Some(s) = read_state(&dir)
        && alive(s.pid)
        && answers("127.0.0.1", s.port)
    {
        return None;
    }
    clean_abandoned(&dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_outside_the_ephemeral_range_and_never_repeat() {
        let first_ephemeral = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .ok()
            .and_then(|t| t.split_whitespace().next()?.parse::<u16>().ok())
            .unwrap_or(32768);
        let ports: Vec<u16> = (0..200).map(|_| free_port().unwrap()).collect();
        let distinct: std::collections::HashSet<_> = ports.iter().collect();
        assert_eq!(distinct.len(), ports.len(), "{ports:?}");
        if first_ephemeral > 21000 {
            assert!(
                ports.iter().all(|p| (20000..first_ephemeral).contains(p)),
                "{ports:?}"
            );
        }
        // Each one can be bound now.
        for p in &ports[..20] {
            std::net::TcpListener::bind(("127.0.0.1", *p)).unwrap();
        }
    }

    #[test]
    fn a_dead_pid_is_not_alive() {
        assert!(alive(std::process::id() as i32));
        let mut c = Command::new("true").spawn().unwrap();
        let pid = c.id() as i32;
        c.wait().unwrap();
        assert!(!alive(pid));
        assert!(!alive(0));
    }

    #[test]
    fn state_files_round_trip() {
        let dir = std::env::temp_dir().join(format!("sl-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let s = State {
            kind: "redis".into(),
            pid: 42,
            port: 1234,
            url: "redis://127.0.0.1:1234".into(),
            version: "Redis 7".into(),
            data: None,
            started: 1,
        };
        write_state(&dir, &s).unwrap();
        assert_eq!(read_state(&dir), Some(s));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// A server serverlings started, stopped when this handle is (or, for one
/// that must outlive serverlings, `detach`ed).
/// Polls a started server with `probe` (its version query) until it
/// answers; notices an early exit (with the log's last lines); gives up at
/// `limit`. `name` and `what` make the messages: "postgres did not accept
/// connections within 30s".
pub async fn wait_ready<F, Fut>(
    inst: &mut Instance,
    log: &Path,
    name: &str,
    what: &str,
    probe: F,
    limit: Duration,
) -> Result<String, String>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let deadline = Instant::now() + limit;
    let mut backoff = Duration::from_millis(2);
    loop {
        if let Some(c) = inst.child.as_mut()
            && let Ok(Some(status)) = c.try_wait()
        {
            return Err(format!(
                "{name} exited ({status}); its log ends with:\n{}",
                log_tail(log, 8)
            ));
        }
        if let Ok(v) = probe(inst.state.url.clone()).await {
            return Ok(v);
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{name} did not {what} within {}s; its log ends with:\n{}",
                limit.as_secs(),
                log_tail(log, 8)
            ));
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_millis(50));
    }
}

#[derive(Debug)]
pub struct Instance {
    pub kind: Kind,
    pub dir: PathBuf,
    pub state: State,
    pub child: Option<Child>,
    /// How long each stage of the start took (for the benchmark).
    pub startup: Vec<(&'static str, Duration)>,
    done: bool,
}

impl Instance {
    pub fn new(kind: Kind, dir: PathBuf, state: State, child: Child) -> Instance {
        Instance {
            kind,
            dir,
            state,
            child: Some(child),
            startup: Vec::new(),
            done: false,
        }
    }

    /// Stops the server gracefully (PostgreSQL: fast shutdown) and removes
    /// its folder.
    pub async fn stop(mut self) {
        stop_state(self.kind, &self.state, self.child.as_mut()).await;
        remove(&self.dir);
        self.done = true;
    }

    /// Leaves the server running (`services up`); its state file stays.
    pub fn detach(mut self) -> State {
        self.done = true;
        self.state.clone()
    }
}

/// Stops the server a state file describes.
pub async fn stop_state(kind: Kind, s: &State, child: Option<&mut Child>) {
    // SIGINT is PostgreSQL's fast shutdown; Redis saves nothing (no persistence).
    let sig = if kind == Kind::Postgres {
        libc::SIGINT
    } else {
        libc::SIGTERM
    };
    stop_pid(s.pid, sig, Duration::from_secs(10), child).await;
}

impl Drop for Instance {
    fn drop(&mut self) {
        if !self.done {
            kill_now(self.state.pid, self.child.as_mut());
            remove(&self.dir);
        }
    }
}
