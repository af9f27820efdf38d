//! Shared by `benches/growth.rs` and `benches/save.rs` (included with
//! `#[path]`, not a bench of its own): the real binary in a pseudo-terminal,
//! the TUI's trace (`SERVERLINGS_TRACE`), and statistics.

#![allow(dead_code)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const BIN: &str = env!("CARGO_BIN_EXE_serverlings");
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

pub fn now_us() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros()
}

pub fn median(v: &[f64]) -> f64 {
    pct(v, 0.5)
}

pub fn pct(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

pub fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

/// The machine's 1-minute load average, to print beside the figures.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "target" || name == ".serverlings" {
            continue;
        }
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

pub fn scratch(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("serverlings-bench-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

pub fn set_current(course: &Path, id: &str) {
    std::fs::create_dir_all(course.join(".serverlings")).unwrap();
    std::fs::write(
        course.join(".serverlings/progress.json"),
        format!("{{\"current\": \"{id}\", \"exercises\": {{}}}}"),
    )
    .unwrap();
}

/// What the TUI wrote, and when each piece arrived (offset, time).
type Output = Arc<Mutex<(Vec<u8>, Vec<(usize, Instant)>)>>;

/// The TUI on a pseudo-terminal; everything it writes is kept with the time
/// it arrived.
pub struct Tui {
    master: File,
    pub child: Child,
    out: Output,
    pub started: Instant,
}

impl Tui {
    pub fn spawn(course: &Path, size: (u16, u16), env: &[(&str, String)]) -> Tui {
        let (mut m, mut s) = (0, 0);
        let ws = libc::winsize {
            ws_row: size.1,
            ws_col: size.0,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty fills two descriptors we then own.
        let rc =
            unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &ws) };
        assert_eq!(rc, 0, "openpty failed");
        let (master, slave) = unsafe { (File::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
        let mut cmd = Command::new(BIN);
        cmd.arg("--course")
            .arg(course)
            .current_dir(course)
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave.try_clone().unwrap()));
        for (k, v) in env {
            cmd.env(k, v);
        }
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY as _, 0);
                Ok(())
            });
        }
        let started = Instant::now();
        let child = cmd.spawn().expect("start serverlings");
        drop(slave);
        let out = Arc::new(Mutex::new((Vec::new(), Vec::new())));
        let mut reader = master.try_clone().unwrap();
        let sink = out.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut o = sink.lock().unwrap();
                o.0.extend_from_slice(&buf[..n]);
                let end = o.0.len();
                o.1.push((end, Instant::now()));
            }
        });
        Tui {
            master,
            child,
            out,
            started,
        }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.out.lock().unwrap().0.len()
    }

    /// When `needle` (searched after byte `from`) arrived.
    pub fn wait_for(&self, needle: &[u8], from: usize, within: Duration) -> Option<Instant> {
        let deadline = Instant::now() + within;
        loop {
            {
                let o = self.out.lock().unwrap();
                if let Some(i) = o.0[from.min(o.0.len())..]
                    .windows(needle.len())
                    .position(|w| w == needle)
                {
                    let end = from + i + needle.len();
                    return Some(o.1.iter().find(|(e, _)| *e >= end).unwrap().1);
                }
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).unwrap();
    }

    pub fn quit(mut self) {
        self.send(b"q");
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!("the TUI did not quit");
    }
}

/// The status line is drawn last: once "quit" is on screen, so is the frame.
pub const FRAME_DONE: &[u8] = b"quit";

pub fn trace_lines(path: &Path, name: &str) -> Vec<(u128, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let (t, n, v) = (w.next()?, w.next()?, w.next().unwrap_or(""));
            if n == name {
                Some((t.parse().ok()?, v.to_string()))
            } else {
                None
            }
        })
        .collect()
}

pub fn wait_trace(path: &Path, name: &str, count: usize, within: Duration) -> Vec<(u128, String)> {
    let deadline = Instant::now() + within;
    loop {
        let l = trace_lines(path, name);
        if l.len() >= count {
            return l;
        }
        assert!(
            Instant::now() < deadline,
            "no {count}th {name} in the trace"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Time to first frame of the TUI on `course` (spawn to the status line of
/// the first frame), ms.
pub fn first_frame_ms(course: &Path) -> f64 {
    let t = Tui::spawn(course, (120, 40), &[]);
    let at = t
        .wait_for(FRAME_DONE, 0, Duration::from_secs(20))
        .expect("a first frame");
    let v = at.duration_since(t.started).as_secs_f64() * 1e3;
    t.quit();
    v
}

/// Wall time of `serverlings ARGS --course COURSE`, ms, and whether it
/// exited 0.
pub fn run_ms(course: &Path, args: &[&str], env: &[(&str, &Path)]) -> (f64, bool) {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .arg("--course")
        .arg(course)
        .current_dir(course)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let t = Instant::now();
    let ok = cmd.status().unwrap().success();
    (ms(t), ok)
}

pub fn version_ms() -> f64 {
    let t = Instant::now();
    assert!(
        Command::new(BIN)
            .arg("--version")
            .output()
            .unwrap()
            .status
            .success()
    );
    ms(t)
}
