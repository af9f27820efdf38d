//! Watching files: the opened exercise's crate (a save runs its check) and
//! the course content (lessons, part.toml, checks: the lesson redraws).
//!
//! Native events (inotify, FSEvents) are debounced: the first relevant
//! event opens a window that closes after 20 ms of quiet or 50 ms in all,
//! so an editor's write-rename-chmod is one change and a save is never
//! delayed by more than 50 ms. Where native events are missing (WSL's /mnt
//! drives, NFS, SMB, 9p, FUSE, or an inotify limit) the watcher polls and
//! says so; `--poll` forces it.

use crate::tui::action::Action;
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const QUIET: Duration = Duration::from_millis(20);
const WINDOW: Duration = Duration::from_millis(50);
const POLL_EVERY: Duration = Duration::from_millis(250);

enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

impl Backend {
    fn watch(&mut self, p: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(w) => w.watch(p, mode),
            Backend::Poll(w) => w.watch(p, mode),
        }
    }
    fn unwatch(&mut self, p: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(w) => w.unwatch(p),
            Backend::Poll(w) => w.unwatch(p),
        }
    }
}

pub struct Watcher {
    backend: Option<Backend>,
    root: PathBuf,
    exercise: Arc<Mutex<Option<PathBuf>>>,
    raw: Sender<notify::Result<notify::Event>>,
    actions: Sender<Action>,
}

/// Why native events cannot be trusted for `dir`, if they cannot.
pub fn needs_polling(dir: &Path) -> Option<String> {
    #[cfg(target_os = "linux")]
    {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        if release.to_lowercase().contains("microsoft") && dir.starts_with("/mnt/") {
            return Some("WSL does not report changes on /mnt drives".into());
        }
        let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).ok()?;
        // SAFETY: statfs writes into the zeroed struct we own.
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
            return None;
        }
        let what = match st.f_type as i64 {
            0x6969 => "an NFS mount",
            0x517B | 0xFF534D42 | 0xFE534D42 => "a network share (SMB)",
            0x01021997 => "a 9p share",
            0x65735546 => "a FUSE file system",
            0x786F4256 => "a VirtualBox shared folder",
            _ => return None,
        };
        Some(format!(
            "the course is on {what}, which does not report changes"
        ))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

/// Editor droppings and build output never trigger anything.
fn ignored(path: &Path) -> bool {
    if path.components().any(|c| {
        let c = c.as_os_str();
        c == "target" || c == ".git" || c == ".serverlings"
    }) {
        return true;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Files of a crate whose change means "check again": sources, manifests
/// and the folders exercises keep inputs in. A server writing data into its
/// own folder does not start a loop of checks.
fn relevant_in_crate(rel: &Path) -> bool {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    matches!(
        first.as_deref(),
        Some(
            "src"
                | "tests"
                | "benches"
                | "examples"
                | "migrations"
                | "templates"
                | "static"
                | "sql"
        )
    ) || rel == Path::new("Cargo.toml")
        || rel == Path::new("build.rs")
}

/// What an event is about: the exercise crate, the content, or nothing.
fn classify(root: &Path, exercise: Option<&Path>, ev: &notify::Event) -> (bool, bool) {
    if matches!(ev.kind, EventKind::Access(_)) {
        return (false, false);
    }
    let (mut ex, mut content) = (false, false);
    // Judged relative to the watched folders: the course itself may live
    // under a folder named `target` (tests put copies there).
    for p in &ev.paths {
        if let Some(dir) = exercise
            && let Ok(rel) = p.strip_prefix(dir)
        {
            ex |= !ignored(rel) && relevant_in_crate(rel);
        } else if let Ok(rel) = p.strip_prefix(root)
            && !ignored(rel)
        {
            content |= rel.starts_with("lessons")
                || rel.starts_with("checks")
                || rel == Path::new(serverlings_core::course::COURSE_FILE);
        }
    }
    (ex, content)
}

fn debounce(
    root: PathBuf,
    exercise: Arc<Mutex<Option<PathBuf>>>,
    raw: mpsc::Receiver<notify::Result<notify::Event>>,
    actions: Sender<Action>,
) {
    let current = || exercise.lock().map(|g| g.clone()).unwrap_or(None);
    while let Ok(first) = raw.recv() {
        let dir = current();
        let Ok(first) = first else { continue };
        let (mut ex, mut content) = classify(&root, dir.as_deref(), &first);
        if !ex && !content {
            continue;
        }
        let opened = Instant::now();
        loop {
            let left = WINDOW.saturating_sub(opened.elapsed());
            if left.is_zero() {
                break;
            }
            match raw.recv_timeout(QUIET.min(left)) {
                Ok(Ok(ev)) => {
                    let (e, c) = classify(&root, dir.as_deref(), &ev);
                    ex |= e;
                    content |= c;
                }
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if content && actions.send(Action::ContentChanged).is_err() {
            return;
        }
        if ex
            && let Some(d) = dir
            && actions.send(Action::ExerciseChanged(d)).is_err()
        {
            return;
        }
    }
}

impl Watcher {
    /// Watches the course content; `watch_exercise` adds the exercise.
    /// Falls back to polling (and says why) when native watching fails.
    pub fn start(root: &Path, force_poll: bool, actions: Sender<Action>) -> Watcher {
        let (raw_tx, raw_rx) = mpsc::channel();
        let exercise = Arc::new(Mutex::new(None));
        {
            let (root, exercise, actions) = (root.to_path_buf(), exercise.clone(), actions.clone());
            std::thread::Builder::new()
                .name("watch-debounce".into())
                .spawn(move || debounce(root, exercise, raw_rx, actions))
                .expect("spawn the watcher thread");
        }
        let mut w = Watcher {
            backend: None,
            root: root.to_path_buf(),
            exercise,
            raw: raw_tx,
            actions,
        };
        let reason = if force_poll {
            Some("--poll".to_string())
        } else {
            needs_polling(root)
        };
        match reason {
            Some(r) => w.fall_back(r),
            None => match RecommendedWatcher::new(w.raw.clone(), notify::Config::default()) {
                Ok(n) => {
                    w.backend = Some(Backend::Native(n));
                    if let Err(e) = w.watch_content() {
                        w.fall_back(format!("native file events failed ({e})"));
                    }
                }
                Err(e) => w.fall_back(format!("native file events are unavailable ({e})")),
            },
        }
        w
    }

    fn fall_back(&mut self, reason: String) {
        let config = notify::Config::default().with_poll_interval(POLL_EVERY);
        match PollWatcher::new(self.raw.clone(), config) {
            Ok(p) => {
                self.backend = Some(Backend::Poll(p));
                let _ = self.watch_content();
                let dir = self.exercise.lock().ok().and_then(|g| g.clone());
                if let (Some(d), Some(b)) = (dir, self.backend.as_mut()) {
                    let _ = b.watch(&d, RecursiveMode::Recursive);
                }
                let _ = self.actions.send(Action::Polling(reason));
            }
            Err(e) => {
                self.backend = None;
                let _ = self.actions.send(Action::Polling(format!(
                    "{reason}; polling failed too ({e}): press c to check"
                )));
            }
        }
    }

    fn watch_content(&mut self) -> notify::Result<()> {
        let Some(b) = self.backend.as_mut() else {
            return Ok(());
        };
        for dir in ["lessons", "checks"] {
            let p = self.root.join(dir);
            if p.is_dir() {
                b.watch(&p, RecursiveMode::Recursive)?;
            }
        }
        let course = self.root.join(serverlings_core::course::COURSE_FILE);
        b.watch(&course, RecursiveMode::NonRecursive)
    }

    /// Watches `dir` (an exercise crate) instead of the previous one.
    pub fn watch_exercise(&mut self, dir: &Path) {
        let previous = self
            .exercise
            .lock()
            .ok()
            .and_then(|mut g| g.replace(dir.to_path_buf()));
        if previous.as_deref() == Some(dir) {
            return;
        }
        let Some(b) = self.backend.as_mut() else {
            return;
        };
        if let Some(p) = previous {
            let _ = b.unwatch(&p);
        }
        let native = matches!(b, Backend::Native(_));
        if let Err(e) = b.watch(dir, RecursiveMode::Recursive)
            && native
        {
            self.fall_back(format!("cannot watch {} natively ({e})", dir.display()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind, p: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(p))
    }

    #[test]
    fn classifies_saves_and_ignores_noise() {
        let root = Path::new("/c");
        let ex = Some(Path::new("/c/exercises/02-http/raw-server"));
        let modify = EventKind::Modify(notify::event::ModifyKind::Any);
        let c = |p| classify(root, ex, &event(modify, p));
        assert_eq!(
            c("/c/exercises/02-http/raw-server/src/main.rs"),
            (true, false)
        );
        assert_eq!(
            c("/c/exercises/02-http/raw-server/Cargo.toml"),
            (true, false)
        );
        assert_eq!(
            c("/c/exercises/02-http/raw-server/src/.main.rs.swp"),
            (false, false)
        );
        assert_eq!(
            c("/c/exercises/02-http/raw-server/src/main.rs~"),
            (false, false)
        );
        assert_eq!(
            c("/c/exercises/02-http/raw-server/data/notes.json"),
            (false, false)
        );
        assert_eq!(
            c("/c/exercises/02-http/router/src/main.rs"),
            (false, false),
            "another exercise"
        );
        assert_eq!(c("/c/lessons/02-http/lesson.md"), (false, true));
        assert_eq!(c("/c/checks/02-http/raw-server.toml"), (false, true));
        assert_eq!(c("/c/course.toml"), (false, true));
        let open = EventKind::Access(notify::event::AccessKind::Open(
            notify::event::AccessMode::Any,
        ));
        assert_eq!(
            classify(root, ex, &event(open, "/c/lessons/02-http/lesson.md")),
            (false, false)
        );
        // A course that lives under a folder named `target`.
        let root = Path::new("/w/target/tmp/course");
        let ex = Some(Path::new("/w/target/tmp/course/exercises/01-x/ex"));
        let c = |p| classify(root, ex, &event(modify, p));
        assert_eq!(
            c("/w/target/tmp/course/exercises/01-x/ex/src/main.rs"),
            (true, false)
        );
        assert_eq!(
            c("/w/target/tmp/course/exercises/01-x/ex/target/debug/x"),
            (false, false)
        );
        assert_eq!(
            c("/w/target/tmp/course/lessons/01-x/lesson.md"),
            (false, true)
        );
    }

    #[test]
    fn a_save_arrives_debounced_within_the_window() {
        let dir = std::env::temp_dir().join(format!("serverlings-watch-{}", std::process::id()));
        let ex = dir.join("exercises/01-x/ex");
        std::fs::create_dir_all(ex.join("src")).unwrap();
        std::fs::create_dir_all(dir.join("lessons")).unwrap();
        std::fs::write(dir.join("course.toml"), "").unwrap();
        let (tx, rx) = mpsc::channel();
        let mut w = Watcher::start(&dir, false, tx);
        w.watch_exercise(&ex);
        std::thread::sleep(Duration::from_millis(50));
        let saved = Instant::now();
        // An editor's save: several events in a burst.
        for i in 0..3 {
            std::fs::write(ex.join("src/main.rs"), format!("fn main() {{ {i}; }}")).unwrap();
        }
        std::fs::write(dir.join("exercises/01-x/other.rs"), "").unwrap();
        let got = rx.recv_timeout(Duration::from_secs(5)).expect("an action");
        let took = saved.elapsed();
        match got {
            Action::ExerciseChanged(d) => assert_eq!(d, ex),
            Action::Polling(_) => {} // no inotify here: polling is the fallback
            other => panic!("unexpected {other:?}"),
        }
        assert!(took < Duration::from_millis(500), "took {took:?}");
        // The burst is one change.
        std::thread::sleep(Duration::from_millis(120));
        assert!(
            rx.try_iter()
                .filter(|a| matches!(a, Action::ExerciseChanged(_)))
                .count()
                == 0,
            "a burst of writes gave more than one change"
        );
        drop(w);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
