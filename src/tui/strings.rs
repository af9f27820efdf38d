//! What the TUI says to the learner, in one place.

/// Every key, for the help overlay: (keys, what they do).
pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓  j k", "scroll the pane in focus / move in the list"),
    ("PgUp PgDn  Space", "a page up / down"),
    ("g G  Home End", "top / bottom"),
    ("Tab  Shift-Tab", "move the focus: exercises, lesson, check"),
    ("Enter  Esc", "open the exercise / close the list"),
    ("n  p", "next / previous exercise"),
    ("e", "edit the exercise in $VISUAL / $EDITOR"),
    ("c", "check now"),
    ("h", "next hint"),
    ("s", "reference solution (once your copy passes)"),
    ("r", "reset the exercise to the stub (asks first)"),
    ("/", "search exercises and lessons"),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
    ("mouse wheel", "scroll the pane under the pointer"),
    ("Shift+drag", "select text to copy (e.g. a curl line)"),
];

pub const NO_HINTS: &str = "This exercise has no hints.";
pub const LAST_EXERCISE: &str = "That is the last exercise of the course.";
pub const FIRST_EXERCISE: &str = "That is the first exercise of the course.";

pub fn passed(id: &str, next: Option<&str>) -> String {
    match next {
        Some(_) => format!("✓ {id} passes!  s: the reference solution  ·  n: the next exercise"),
        None => format!("✓ {id} passes! Every exercise is done.  s: the reference solution"),
    }
}

pub fn solution_locked(id: &str) -> String {
    format!("The solution to {id} opens once your copy passes. Stuck? h shows the next hint.")
}

pub fn nothing_to_reset(id: &str) -> String {
    format!("{id} is already as shipped: nothing to reset.")
}

pub fn reset_done(id: &str, files: usize, backup: Option<&str>) -> String {
    let s = if files == 1 { "" } else { "s" };
    match backup {
        Some(b) => format!("Restored {files} file{s} of {id}; your version is kept in {b}."),
        None => format!("Restored {files} file{s} of {id}."),
    }
}

pub fn confirm_reset(id: &str, dir: &str) -> String {
    format!(
        "Reset {id} to the stub as shipped?\n\nEvery file you changed in {dir} is restored; your version is kept in .serverlings/backups/.\n\ny: reset  ·  n or Esc: keep my work"
    )
}

pub fn no_editor(file: &str) -> String {
    format!(
        "Set $VISUAL or $EDITOR (e.g. export EDITOR=nano) to edit from here. Or open {file} in your editor: every save runs the check."
    )
}

pub fn editor_failed(editor: &str, err: &str) -> String {
    format!("Could not start the editor `{editor}`: {err}. Check $VISUAL / $EDITOR.")
}

/// The check pane before any check of this exercise in this session.
pub fn not_checked(
    state: serverlings_runner::progress::State,
    dir: &str,
    manual: bool,
) -> Vec<String> {
    use serverlings_runner::progress::State;
    let first = match state {
        State::Done => "✓ This exercise passed before. c checks it again.".to_string(),
        State::Failed => "✗ This exercise failed its last check.".to_string(),
        State::Pending => "Not checked yet.".to_string(),
    };
    let how = if manual {
        format!("Edit the files in {dir} (e opens the first with a TODO), then press c to check.")
    } else {
        format!(
            "Edit the files in {dir} (e opens the first with a TODO): every save runs the check. c checks now."
        )
    };
    vec![first, how]
}

pub fn too_small(w: u16, h: u16) -> String {
    format!(
        "The window is too small ({w}×{h}).\nserverlings needs at least {}×{}.\nMake it larger, or press q to quit.",
        crate::tui::view::layout::MIN_WIDTH,
        crate::tui::view::layout::MIN_HEIGHT
    )
}

pub fn polling(reason: &str) -> String {
    format!("polling for changes: {reason}")
}

/// A check task panicked: a bug of serverlings, not of the learner's code.
pub fn check_panicked(message: &str) -> String {
    format!(
        "serverlings hit a bug during this check ({message}). Your files are unchanged and the server was stopped; press c to check again, and please report the message above."
    )
}
