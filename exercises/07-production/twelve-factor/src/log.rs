//! Where the service's events go.

use std::io::Write;

use serde_json::Value;

/// Writes one event: its `message`, the service's name and the given
/// fields.
//
// TODO(2): this writes text lines to a file in the working directory, the
// habit that loses logs in a container (the file dies with it, and nothing
// ships it). Write each event to stdout instead, as ONE line of JSON, with
// the fields at the top level:
//   {"message":"request","service":"<SERVICE_NAME>","method":"GET","path":"/","status":200}
// and for the start-up event:
//   {"message":"listening","service":"<SERVICE_NAME>","port":8080}
// One event, one line, written when it happens (not held in a buffer).
pub fn event(service: &str, message: &str, fields: &[(&str, Value)]) {
    let mut line = format!("[{service}] {message}");
    for (key, value) in fields {
        line.push_str(&format!(" {key}={value}"));
    }
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open("service.log")
    {
        let _ = writeln!(file, "{line}");
    }
}
