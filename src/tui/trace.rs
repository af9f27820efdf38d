//! Measurements for `benches/tui.rs`: with `SERVERLINGS_TRACE=FILE` the TUI
//! appends one line per event, `<unix µs> <name> <value>`: the first frame,
//! each frame's draw time, each check's start and verdict. Off (and free)
//! otherwise.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

pub struct Trace(Option<std::fs::File>);

impl Trace {
    pub fn from_env() -> Trace {
        let file = std::env::var_os("SERVERLINGS_TRACE").and_then(|p| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .ok()
        });
        Trace(file)
    }

    pub fn on(&self) -> bool {
        self.0.is_some()
    }

    pub fn event(&mut self, name: &str, value: impl std::fmt::Display) {
        if let Some(f) = self.0.as_mut() {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_micros());
            let _ = writeln!(f, "{now} {name} {value}");
        }
    }
}
