//! Entering and leaving full-screen mode. The terminal is restored on quit,
//! on panic (a hook restores it before the message prints), and around the
//! editor. SIGTERM and SIGHUP arrive as `Action::Quit` (see `mod.rs`), so
//! they go through the same exit path.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Raw mode, the alternate screen and mouse reporting.
pub fn enter() -> std::io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        crossterm::cursor::Hide
    )
}

/// Back to the shell as it was. Safe to call more than once.
pub fn leave() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            stdout(),
            DisableMouseCapture,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
        let _ = disable_raw_mode();
    }
}

pub fn new_terminal() -> std::io::Result<Term> {
    Terminal::new(CrosstermBackend::new(stdout()))
}

/// Restores the terminal before a panic message is printed.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A panic in a check task (a worker thread) is caught and shown in
        // the check pane: the terminal stays as it is, and printing the
        // message would scribble over the screen.
        if std::thread::current().name() != Some("main") {
            *LAST_PANIC.lock().unwrap_or_else(|p| p.into_inner()) = Some(info.to_string());
            return;
        }
        leave();
        previous(info);
    }));
}

/// The message of the last panic caught off the main thread.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Takes the message of the last panic of a check task.
pub fn take_panic() -> Option<String> {
    LAST_PANIC.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// Whether the terminal shows OSC 8 hyperlinks; when unsure, no (links are
/// then printed as `text (url)`). `SERVERLINGS_HYPERLINKS=0|1` decides.
pub fn supports_hyperlinks() -> bool {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    match var("SERVERLINGS_HYPERLINKS").as_str() {
        "1" => return true,
        "0" => return false,
        _ => {}
    }
    // Multiplexers pass OSC 8 on only when configured to.
    if !var("TMUX").is_empty() || var("TERM").starts_with("screen") {
        return false;
    }
    let program = var("TERM_PROGRAM");
    if [
        "iTerm.app",
        "WezTerm",
        "vscode",
        "ghostty",
        "Hyper",
        "Tabby",
        "rio",
    ]
    .contains(&program.as_str())
    {
        return true;
    }
    if var("VTE_VERSION").parse::<u32>().is_ok_and(|v| v >= 5000) {
        return true;
    }
    let term = var("TERM");
    !var("KITTY_WINDOW_ID").is_empty()
        || !var("WT_SESSION").is_empty()
        || [
            "xterm-kitty",
            "alacritty",
            "foot",
            "xterm-ghostty",
            "wezterm",
        ]
        .iter()
        .any(|t| term.starts_with(t))
}
