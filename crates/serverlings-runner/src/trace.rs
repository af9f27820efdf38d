//! Measurements for the benchmarks: with `SERVERLINGS_TRACE=FILE` the runner
//! appends one line per event, `<unix µs> <name> <value>`. Off (and free)
//! otherwise.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

/// Appends one event to the trace file, if tracing is on.
pub fn event(name: &str, value: impl std::fmt::Display) {
    let Some(path) = std::env::var_os("SERVERLINGS_TRACE") else {
        return;
    };
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        let _ = writeln!(f, "{now} {name} {value}");
    }
}
