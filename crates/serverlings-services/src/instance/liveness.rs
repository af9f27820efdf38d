//! Whether a server is there: a live pid, a port that answers, a free port
//! for the next one, and the lock files that keep two starts apart.

use super::services_dir;
use std::fs::File;
use std::io;
use std::path::Path;
use std::time::Duration;

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
