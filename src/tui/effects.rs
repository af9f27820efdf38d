//! Doing what `update` asks: checks on the async runtime, progress on disk,
//! the watcher, the editor, reset, the solution, reloading the content.
//! Results come back as `Action`s on the loop's channel.

use crate::tui::action::{Action, CheckError, Content, Effect};
use crate::tui::app::App;
use crate::tui::input::Input;
use crate::tui::strings;
use crate::tui::terminal::{self, Term};
use crate::tui::watch::Watcher;
use serverlings_core::course::Course;
use serverlings_core::outcome::Target;
use serverlings_runner::check::run::{self, Cancel, Options};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

pub struct Runner {
    pub root: PathBuf,
    pub rt: tokio::runtime::Runtime,
    pub tx: Sender<Action>,
    /// Cancels the running check; kept until the next one starts (a
    /// dropped sender would read as "never cancelled").
    cancel: Option<tokio::sync::watch::Sender<bool>>,
    pub watcher: Option<Watcher>,
    pub colour: bool,
    highlight: Sender<Vec<crate::tui::highlight::Request>>,
    /// The progress as the TUI last loaded or saved it: the base of the
    /// three-way merge with what other serverlings wrote meanwhile.
    pub saved: serverlings_runner::progress::Progress,
}

/// Reads the course, its problems and every lesson's markdown.
pub fn load_content(root: &Path) -> Content {
    let (course, problems) = crate::lint::lint(root);
    let lessons = read_lessons(root, &course);
    Content {
        course,
        problems,
        lessons,
    }
}

fn read_lessons(root: &Path, course: &Course) -> Vec<String> {
    course
        .parts
        .iter()
        .map(|p| std::fs::read_to_string(root.join(&p.lesson_file)).unwrap_or_default())
        .collect()
}

/// The file to open in the editor: the first source file with a TODO,
/// `src/lib.rs` and `src/main.rs` first.
pub fn file_to_edit(dir: &Path) -> PathBuf {
    let mut files = Vec::new();
    let _ = crate::sources::collect(dir, dir, &mut files);
    files.sort_by_key(|f| {
        let rank = match f.as_str() {
            "src/lib.rs" => 0,
            "src/main.rs" => 1,
            _ => 2,
        };
        (rank, f.clone())
    });
    let todo = files
        .iter()
        .find(|f| std::fs::read_to_string(dir.join(f)).is_ok_and(|t| t.contains("TODO")));
    match todo.or(files.first()) {
        Some(f) => dir.join(f),
        None => dir.join("src/main.rs"),
    }
}

/// The solution's sources as markdown: a heading and a fence per file.
fn solution_markdown(course: &Course, id: &str) -> Result<String, String> {
    let ex = course.find(id)?;
    let dir = course.root.join(ex.solution_dir());
    let mut files = Vec::new();
    crate::sources::collect(&dir, &dir, &mut files).map_err(|e| e.to_string())?;
    files.sort();
    let mut md = String::new();
    for rel in files {
        let text = std::fs::read_to_string(dir.join(&rel))
            .map_err(|e| format!("cannot read {rel}: {e}"))?;
        md.push_str(&format!(
            "### {}/{rel}\n\n````rust\n{text}\n````\n\n",
            ex.solution_dir()
        ));
    }
    Ok(md)
}

impl Runner {
    pub fn new(
        root: &Path,
        rt: tokio::runtime::Runtime,
        tx: Sender<Action>,
        colour: bool,
    ) -> Runner {
        Runner {
            root: root.to_path_buf(),
            rt,
            tx: tx.clone(),
            cancel: None,
            watcher: None,
            colour,
            highlight: crate::tui::highlight::worker(tx.clone()),
            saved: serverlings_runner::progress::Progress::default(),
        }
    }

    fn send(&self, a: Action) {
        let _ = self.tx.send(a);
    }

    pub fn perform(&mut self, app: &App, effect: Effect, term: &mut Term, input: &Input) {
        match effect {
            Effect::StartCheck { run, exercise } => self.start_check(&app.course, run, &exercise),
            Effect::CancelCheck => {
                if let Some(c) = &self.cancel {
                    let _ = c.send(true);
                }
            }
            Effect::SaveProgress => {
                // Only what the TUI changed since its last save: a `check`
                // in another terminal may have recorded a pass meanwhile.
                match serverlings_runner::progress::save_changes(
                    &self.root,
                    &self.saved,
                    &app.progress,
                ) {
                    Ok(_) => self.saved = app.progress.clone(),
                    Err(e) => self.send(Action::Error(e.to_string())),
                }
            }
            Effect::Watch(dir) => {
                if let Some(w) = self.watcher.as_mut() {
                    w.watch_exercise(&dir);
                }
            }
            Effect::OpenEditor(dir) => {
                let result = self.edit(&dir, term, input);
                self.send(Action::EditorDone(result));
            }
            Effect::Reset { exercise } => {
                let result = app
                    .course
                    .find(&exercise)
                    .and_then(|ex| serverlings_runner::pristine::reset(&app.course, ex));
                self.send(Action::ResetDone { exercise, result });
            }
            Effect::LoadSolution { exercise } => {
                let result = solution_markdown(&app.course, &exercise);
                self.send(Action::SolutionLoaded { exercise, result });
            }
            Effect::Highlight(requests) => {
                let _ = self.highlight.send(requests);
            }
            Effect::ReloadContent => {
                let content = load_content(&self.root);
                self.send(Action::ContentLoaded(Box::new(content)));
            }
        }
    }

    fn start_check(&mut self, course: &Course, run: u64, id: &str) {
        let tx = self.tx.clone();
        let fail = |e: CheckError| {
            let _ = tx.send(Action::CheckDone {
                run,
                result: Err(e),
            });
        };
        let ex = match course.find(id) {
            Ok(ex) => ex.clone(),
            Err(e) => return fail(CheckError::Content(e)),
        };
        let spec = match crate::session::spec(course, &ex) {
            Ok(s) => s,
            Err(e) => return fail(CheckError::Content(e.to_string())),
        };
        let subject = crate::session::subject(course, &ex, Target::Exercise);

        let opts = Options {
            seed: serverlings_core::rng::Rng::fresh_seed(),
            colour: self.colour,
            verbose: false,
            attach: None,
        };

        let (cancel_tx, cancel) = Cancel::new();
        self.cancel = Some(cancel_tx);
        self.rt.spawn(async move {
            let events = tx.clone();
            let sink = move |event| {
                let _ = events.send(Action::CheckEvent { run, event });
            };
            // Its own task, so a panic in the checker ends this check with a
            // message instead of leaving it "running" forever.
            let task = tokio::spawn(async move {
                // The end-to-end tests prove a checker bug is caught.
                if std::env::var_os("SERVERLINGS_TEST_CHECK_PANIC").is_some() {
                    panic!("SERVERLINGS_TEST_CHECK_PANIC is set: panicking in the check");
                }
                run::run(&subject, &spec, &opts, &sink, cancel)
                    .await
                    .map_err(|e| CheckError::of_run(&e))
            });
            let result = match task.await {
                Ok(r) => r,
                Err(e) => Err(CheckError::Bug(strings::check_panicked(
                    &terminal::take_panic().unwrap_or_else(|| e.to_string()),
                ))),
            };
            let _ = tx.send(Action::CheckDone { run, result });
        });
    }

    /// Suspends the TUI, runs `$VISUAL` / `$EDITOR` on the exercise's file
    /// with a TODO, and takes the terminal back.
    fn edit(&self, dir: &Path, term: &mut Term, input: &Input) -> Result<(), String> {
        let file = file_to_edit(dir);
        let shown = file
            .strip_prefix(&self.root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let editor = ["VISUAL", "EDITOR"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.trim().is_empty())
            .ok_or_else(|| strings::no_editor(&shown))?;
        let mut words = editor.split_whitespace();
        let program = words.next().unwrap_or_default().to_string();
        let args: Vec<String> = words.map(str::to_string).collect();
        let paused = input.pause();
        terminal::leave();
        let status = std::process::Command::new(&program)
            .args(&args)
            .arg(&file)
            .current_dir(&self.root)
            .status();
        let back = terminal::enter().and_then(|()| term.clear());
        drop(paused);
        back.map_err(|e| format!("cannot take the terminal back: {e}"))?;
        match status {
            Err(e) => Err(strings::editor_failed(&editor, &e.to_string())),
            Ok(s) if !s.success() => Err(format!("The editor `{editor}` exited with {s}.")),
            Ok(_) => Ok(()),
        }
    }

    /// Cancels a running check and waits (up to `within`) for it to stop
    /// its server.
    pub fn stop_check(
        &mut self,
        rx: &std::sync::mpsc::Receiver<Action>,
        run: u64,
        within: std::time::Duration,
    ) {
        if let Some(c) = &self.cancel {
            let _ = c.send(true);
        }
        let deadline = std::time::Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(Action::CheckDone { run: r, .. }) if r == run => return,
                Ok(_) => {}
                Err(_) => return,
            }
        }
    }
}
