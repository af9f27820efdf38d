//! Everything that can happen to the TUI, as data: keys, the mouse, resizes,
//! the file watcher, check events and the results of effects. `app::update`
//! is the only consumer. `Effect` is the other direction: what `update` asks
//! the event loop to do (start a check, save progress, open the editor).

use crate::tui::highlight::{CodeLine, Request};
use serverlings_core::course::Course;
use serverlings_core::diag::Diagnostic;
use serverlings_core::outcome::{CheckReport, Event};
use std::path::PathBuf;

/// A key press, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    /// Ctrl plus a letter.
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
}

/// The course content as read again from disk.
#[derive(Debug)]
pub struct Content {
    pub course: Course,
    pub problems: Vec<Diagnostic>,
    /// Each part's lesson markdown, in the order of `course.parts`.
    pub lessons: Vec<String>,
}

#[derive(Debug)]
pub enum Action {
    Key(Key),
    /// The mouse wheel over a cell of the screen.
    Scroll {
        up: bool,
        col: u16,
        row: u16,
    },
    Resize(u16, u16),
    /// Animation tick while a check runs.
    Tick,
    /// A file of an exercise crate was saved (its folder, absolute).
    ExerciseChanged(PathBuf),
    /// A lesson, part.toml, check spec or course.toml changed.
    ContentChanged,
    ContentLoaded(Box<Content>),
    /// Native file watching is unavailable; the watcher polls (the reason).
    Polling(String),
    /// Highlighted code blocks from the worker, by cache key.
    Highlighted(Vec<(u64, Option<Vec<CodeLine>>)>),
    CheckEvent {
        run: u64,
        event: Event,
    },
    CheckDone {
        run: u64,
        result: Result<CheckReport, CheckError>,
    },
    ResetDone {
        exercise: String,
        result: Result<(Vec<PathBuf>, Option<PathBuf>), String>,
    },
    /// The reference solution as markdown (a fenced block per file).
    SolutionLoaded {
        exercise: String,
        result: Result<String, String>,
    },
    EditorDone(Result<(), String>),
    /// An effect failed (progress could not be saved, ...): tell the learner.
    Error(String),
    /// SIGTERM, SIGHUP or SIGINT.
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    StartCheck {
        run: u64,
        exercise: String,
    },
    /// Cancel the running check (its server is stopped and reaped).
    CancelCheck,
    SaveProgress,
    /// Watch this exercise crate (absolute folder) instead of the last one.
    Watch(PathBuf),
    /// Suspend the TUI and edit a file of this exercise crate.
    OpenEditor(PathBuf),
    Reset {
        exercise: String,
    },
    LoadSolution {
        exercise: String,
    },
    ReloadContent,
    /// Highlight these code blocks in the background.
    Highlight(Vec<Request>),
}

/// Why a check gave no verdict. None of these is the learner's code, and
/// none is recorded as a failure; each tells the learner what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    /// The course content is broken: a check spec with problems, an
    /// exercise the course does not have.
    Content(String),
    /// This machine lacks something: cargo, a service, a process that
    /// cannot be started.
    Machine(String),
    /// serverlings itself failed (a panic in the checker).
    Bug(String),
}

impl CheckError {
    /// The error of a check run, by whose problem it is.
    pub fn of_run(e: &serverlings_runner::check::run::RunError) -> CheckError {
        CheckError::Machine(e.to_string())
    }

    /// The label the check pane puts before the message.
    pub fn label(&self) -> &'static str {
        match self {
            CheckError::Content(_) => "the course has a problem:",
            CheckError::Machine(_) => "this machine is not ready:",
            CheckError::Bug(_) => "serverlings hit a bug:",
        }
    }

    /// The check pane's title while this is the last word.
    pub fn title(&self) -> &'static str {
        match self {
            CheckError::Content(_) => " content error ",
            CheckError::Machine(_) => " needs setup ",
            CheckError::Bug(_) => " bug ",
        }
    }

    pub fn message(&self) -> String {
        match self {
            CheckError::Content(m) => {
                format!("{m}\n(`serverlings lint` lists every problem with file:line)")
            }
            CheckError::Machine(m) => {
                format!("{m}\n(`serverlings doctor` says what this machine has and lacks)")
            }
            CheckError::Bug(m) => m.clone(),
        }
    }
}
