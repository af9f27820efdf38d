//! Reading the terminal on its own thread: keys, the mouse wheel and
//! resizes become `Action`s. The thread can be paused while the editor owns
//! the terminal, so it never steals the editor's keystrokes.

use crate::tui::action::{Action, Key};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub struct Input {
    paused: Arc<AtomicBool>,
    /// Held by the thread while it polls; the pauser takes it to know the
    /// thread is not reading.
    reading: Arc<Mutex<()>>,
}

/// A crossterm event as an action, if it is one we use.
pub fn action(e: Event) -> Option<Action> {
    match e {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
            let key = match k.code {
                KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
                KeyCode::Char(c) => Key::Char(c),
                KeyCode::Enter => Key::Enter,
                KeyCode::Esc => Key::Esc,
                KeyCode::Tab => Key::Tab,
                KeyCode::BackTab => Key::BackTab,
                KeyCode::Up => Key::Up,
                KeyCode::Down => Key::Down,
                KeyCode::Left => Key::Left,
                KeyCode::Right => Key::Right,
                KeyCode::PageUp => Key::PageUp,
                KeyCode::PageDown => Key::PageDown,
                KeyCode::Home => Key::Home,
                KeyCode::End => Key::End,
                KeyCode::Backspace => Key::Backspace,
                _ => return None,
            };
            Some(Action::Key(key))
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollUp => Some(Action::Scroll {
                up: true,
                col: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::Scroll {
                up: false,
                col: m.column,
                row: m.row,
            }),
            _ => None,
        },
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

impl Input {
    pub fn start(tx: Sender<Action>) -> Input {
        let paused = Arc::new(AtomicBool::new(false));
        let reading = Arc::new(Mutex::new(()));
        let (p, r) = (paused.clone(), reading.clone());
        std::thread::Builder::new()
            .name("input".into())
            .spawn(move || {
                loop {
                    let guard = r.lock().unwrap_or_else(|e| e.into_inner());
                    if p.load(Ordering::SeqCst) {
                        drop(guard);
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    }
                    let ready = event::poll(Duration::from_millis(50)).unwrap_or(false);
                    let ev = if ready { event::read().ok() } else { None };
                    drop(guard);
                    if let Some(a) = ev.and_then(action)
                        && tx.send(a).is_err()
                    {
                        return;
                    }
                }
            })
            .expect("spawn the input thread");
        Input { paused, reading }
    }

    /// Stops reading the terminal until the guard is dropped.
    pub fn pause(&self) -> Paused<'_> {
        self.paused.store(true, Ordering::SeqCst);
        let guard = self.reading.lock().unwrap_or_else(|e| e.into_inner());
        Paused {
            input: self,
            _guard: guard,
        }
    }
}

pub struct Paused<'a> {
    input: &'a Input,
    _guard: MutexGuard<'a, ()>,
}

impl Drop for Paused<'_> {
    fn drop(&mut self) {
        self.input.paused.store(false, Ordering::SeqCst);
    }
}
