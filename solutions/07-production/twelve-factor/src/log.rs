//! Where the service's events go.

use std::io::Write;

use serde_json::{Map, Value};

/// Writes one event: its `message`, the service's name and the given
/// fields.
///
/// One JSON object per line on stdout, written at once: the platform (the
/// container runtime, a log shipper) reads the stream and carries it away.
pub fn event(service: &str, message: &str, fields: &[(&str, Value)]) {
    let mut object = Map::new();
    object.insert("message".into(), message.into());
    object.insert("service".into(), service.into());
    for (key, value) in fields {
        object.insert((*key).to_string(), value.clone());
    }
    let mut line = Value::Object(object).to_string();
    line.push('\n');
    // One write per line, under the lock: lines of concurrent requests
    // never interleave. stdout is line-buffered, so it goes out now.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(line.as_bytes());
    let _ = out.flush();
}
