//! What the kernel says about the learner's processes (Linux `/proc`): the
//! tree under a process (zombies included), and the TCP ports a process
//! listens on. Elsewhere both are empty.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// One process as `/proc/<pid>/stat` and `cmdline` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    /// `R`, `S`, `Z` (a zombie: exited, not yet reaped by its parent), …
    pub state: char,
    pub comm: String,
    pub cmdline: String,
    pub threads: u64,
    /// Its process group.
    pub pgrp: i32,
}

/// Parses `/proc/<pid>/stat`: `pid (comm) state ppid pgrp …`; the command
/// name may itself hold spaces and parentheses.
pub fn parse_stat(text: &str) -> Option<(i32, String, char, i32)> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let pid = text.get(..open)?.trim().parse().ok()?;
    let comm = text.get(open + 1..close)?.to_string();
    let mut rest = text.get(close + 1..)?.split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((pid, comm, state, ppid))
}

/// When a live process started (field 22 of `/proc/<pid>/stat`, clock ticks
/// since boot): with the pid, it tells a process from a later one the
/// kernel gave the same pid. `None` when there is no such process, or it is
/// a zombie (it has exited).
pub fn start_time(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    start_time_of(&stat)
}

fn start_time_of(stat: &str) -> Option<u64> {
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    // Fields from the state (3rd) on: the start time is the 22nd.
    let state = fields.next()?;
    if state == "Z" || state == "X" {
        return None;
    }
    fields.nth(18)?.parse().ok()
}

fn read_proc(pid: i32) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (pid, comm, state, ppid) = parse_stat(&stat)?;
    let pgrp = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(2)?.parse().ok())
        .unwrap_or(0);
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let threads = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0);
    Some(Proc {
        pid,
        ppid,
        state,
        comm,
        cmdline,
        threads,
        pgrp,
    })
}

/// Every process now running (or a zombie).
pub fn all() -> Vec<Proc> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(read_proc)
        .collect()
}

/// `root` and every descendant of it, parents before children.
pub fn tree(root: i32, procs: &[Proc]) -> Vec<Proc> {
    let mut children: HashMap<i32, Vec<&Proc>> = HashMap::new();
    for p in procs {
        children.entry(p.ppid).or_default().push(p);
    }
    let mut out: Vec<Proc> = procs.iter().filter(|p| p.pid == root).cloned().collect();
    let mut i = 0;
    while i < out.len() {
        let pid = out[i].pid;
        if let Some(kids) = children.get(&pid) {
            let mut kids: Vec<Proc> = kids.iter().map(|p| (*p).clone()).collect();
            kids.sort_by_key(|p| p.pid);
            out.extend(kids);
        }
        i += 1;
    }
    out
}

/// The tree as the `processes` step's JSON document.
pub fn document(tree: &[Proc]) -> serde_json::Value {
    let zombies = tree.iter().filter(|p| p.state == 'Z').count();
    let threads: u64 = tree.iter().map(|p| p.threads).sum();
    serde_json::json!({
        "count": tree.len(),
        "zombies": zombies,
        "threads": threads,
        "tree": tree.iter().map(|p| serde_json::json!({
            "pid": p.pid,
            "ppid": p.ppid,
            "state": p.state.to_string(),
            "comm": p.comm,
            "cmdline": p.cmdline,
        })).collect::<Vec<_>>(),
    })
}

/// The socket inodes a process holds open (`/proc/<pid>/fd/* -> socket:[N]`).
fn socket_inodes(pid: i32) -> HashSet<u64> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return HashSet::new();
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|link| {
            link.to_str()?
                .strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect()
}

/// Parses the lines of `/proc/net/tcp` or `tcp6` into (local address,
/// state, inode) triples; lines that do not parse are skipped.
pub fn parse_net_tcp(text: &str, v6: bool) -> Vec<(SocketAddr, u8, u64)> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (addr, port) = f.get(1)?.split_once(':')?;
            let port = u16::from_str_radix(port, 16).ok()?;
            let state = u8::from_str_radix(f.get(3)?, 16).ok()?;
            let inode = f.get(9)?.parse().ok()?;
            let ip = if v6 {
                if addr.len() != 32 {
                    return None;
                }
                let mut bytes = [0u8; 16];
                for (word, chunk) in bytes.chunks_mut(4).enumerate() {
                    let w = u32::from_str_radix(addr.get(word * 8..word * 8 + 8)?, 16).ok()?;
                    // Each 32-bit word is in host (little-endian) order.
                    chunk.copy_from_slice(&w.to_le_bytes());
                }
                IpAddr::V6(Ipv6Addr::from(bytes))
            } else {
                let w = u32::from_str_radix(addr, 16).ok()?;
                IpAddr::V4(Ipv4Addr::from(w.to_le_bytes()))
            };
            Some((SocketAddr::new(ip, port), state, inode))
        })
        .collect()
}

/// TCP addresses the process (or one of its descendants) listens on.
pub fn listening(pid: i32) -> Vec<SocketAddr> {
    let procs = all();
    let pids: Vec<i32> = tree(pid, &procs).iter().map(|p| p.pid).collect();
    listening_of(&pids)
}

/// TCP addresses this one process listens on.
pub fn listening_self(pid: i32) -> Vec<SocketAddr> {
    listening_of(&[pid])
}

fn listening_of(pids: &[i32]) -> Vec<SocketAddr> {
    let mut inodes = HashSet::new();
    for pid in pids {
        inodes.extend(socket_inodes(*pid));
    }
    if inodes.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (file, v6) in [("/proc/net/tcp", false), ("/proc/net/tcp6", true)] {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (addr, state, inode) in parse_net_tcp(&text, v6) {
            // 0x0A is TCP_LISTEN.
            if state == 0x0A && inodes.contains(&inode) && !out.contains(&addr) {
                out.push(addr);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_with_odd_command_names() {
        assert_eq!(
            parse_stat("42 (my (odd) srv) Z 7 42 42 0"),
            Some((42, "my (odd) srv".to_string(), 'Z', 7))
        );
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn start_times_tell_a_process_from_a_later_one_with_its_pid() {
        let line =
            "42 (my (odd) srv) S 7 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assert_eq!(start_time_of(line), Some(987654));
        assert_eq!(start_time_of(&line.replace(") S ", ") Z ")), None);
        let me = std::process::id() as i32;
        let mine = start_time(me).expect("this process has a start time");
        assert_eq!(start_time(me), Some(mine), "the same each time it is read");
        assert_eq!(start_time(i32::MAX), None);
    }

    #[test]
    fn net_tcp_lines() {
        let v4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0 100 0 0 10 0\n";
        assert_eq!(
            parse_net_tcp(v4, false),
            vec![("127.0.0.1:8080".parse().unwrap(), 0x0A, 12345)]
        );
        let v6 = "header\n   0: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1\n";
        assert_eq!(
            parse_net_tcp(v6, true),
            vec![("[::1]:8081".parse().unwrap(), 0x0A, 777)]
        );
        assert!(parse_net_tcp("header\nnot a line\n", false).is_empty());
    }

    #[test]
    fn this_process_is_found_listening() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let found = listening(std::process::id() as i32);
        assert!(found.contains(&addr), "{found:?} lacks {addr}");
    }

    #[test]
    fn the_tree_holds_children_and_zombies() {
        let child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id() as i32;
        // Not waited for yet: a zombie under this process.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let procs = all();
            let t = tree(std::process::id() as i32, &procs);
            if t.iter().any(|p| p.pid == pid && p.state == 'Z') {
                assert_eq!(document(&t)["zombies"].as_u64().map(|z| z >= 1), Some(true));
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no zombie seen");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let mut child = child;
        let _ = child.wait();
    }
}
