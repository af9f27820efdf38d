//! `--format json`: one JSON object per line — a `step` object as each step
//! finishes, then one `check` object with the verdict — like a test runner's
//! results stream.

use serde_json::json;
use serverlings_core::outcome::{CheckReport, Event};

pub fn event(e: &Event) -> Option<String> {
    match e {
        Event::StepFinished(step) => {
            let mut v = serde_json::to_value(step).ok()?;
            v.as_object_mut()?.insert("type".into(), json!("step"));
            Some(v.to_string())
        }
        _ => None,
    }
}

pub fn verdict(r: &CheckReport) -> String {
    json!({
        "type": "check",
        "exercise": r.exercise,
        "target": r.target,
        "passed": r.passed(),
        "cancelled": r.cancelled,
        "seed": r.seed,
        "duration_ms": r.duration.as_millis() as u64,
        "failed_step": r.first_failure().map(|s| s.name.clone()),
    })
    .to_string()
}
