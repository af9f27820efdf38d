//! The result of a check as data. A failed step is not an error: it is a
//! `StepStatus::Failed` carrying what was expected, what came back and a
//! hint. Reporters (terminal, JSON, JUnit, and later the TUI) only read this.

use serde::Serialize;
use std::time::Duration;

/// Which copy of an exercise was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// The learner's working copy in `exercises/`.
    Exercise,
    /// The pristine stub (as shipped), for `verify --exercises`.
    Stub,
    /// The reference solution in `solutions/`.
    Solution,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Build,
    Test,
    Serve,
    Probe,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// One line: what went wrong.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// What to do next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// A command that repeats the request by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curl: Option<String>,
    /// Longer context: compiler errors, failing tests' output, the server's
    /// last log lines, further failed assertions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

impl Failure {
    pub fn new(summary: impl Into<String>) -> Failure {
        Failure {
            summary: summary.into(),
            expected: None,
            actual: None,
            hint: None,
            curl: None,
            details: vec![],
        }
    }
    pub fn expected(mut self, e: impl Into<String>, a: impl Into<String>) -> Failure {
        self.expected = Some(e.into());
        self.actual = Some(a.into());
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Failure {
        self.hint = Some(h.into());
        self
    }
    pub fn detail(mut self, d: impl Into<String>) -> Failure {
        self.details.push(d.into());
        self
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum StepStatus {
    Passed,
    Failed(Failure),
    /// Not run because an earlier step failed.
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub name: String,
    pub phase: Phase,
    #[serde(flatten)]
    pub status: StepStatus,
    #[serde(serialize_with = "as_millis", rename = "duration_ms")]
    pub duration: Duration,
    /// Short facts worth showing on success too ("12 tests passed").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub exercise: String,
    pub target: Target,
    pub seed: u64,
    pub steps: Vec<StepReport>,
    #[serde(serialize_with = "as_millis", rename = "duration_ms")]
    pub duration: Duration,
    /// Set when the run was interrupted (Ctrl-C) before a verdict.
    pub cancelled: bool,
}

impl CheckReport {
    /// No step failed (steps skipped because an earlier one failed imply a
    /// failure; steps skipped in attach mode do not).
    pub fn passed(&self) -> bool {
        !self.cancelled && !self.steps.is_empty() && self.first_failure().is_none()
    }

    pub fn first_failure(&self) -> Option<&StepReport> {
        self.steps
            .iter()
            .find(|s| matches!(s.status, StepStatus::Failed(_)))
    }
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// What the runner tells a reporter while a check runs.
#[derive(Debug, Clone)]
pub enum Event {
    Started {
        exercise: String,
        target: Target,
        seed: u64,
    },
    StepStarted {
        name: String,
        phase: Phase,
    },
    StepFinished(StepReport),
}

impl CheckReport {
    /// Whether this report is the verdict its direction wants (a solution
    /// passes, a stub fails after it builds); the reason if not.
    pub fn verdict(&self) -> Result<String, String> {
        let r = self;
        if r.cancelled {
            return Err("interrupted".into());
        }
        match r.target {
            Target::Solution => {
                if r.passed() {
                    Ok("passes".into())
                } else {
                    let at = r
                        .first_failure()
                        .map_or("?".to_string(), |s| s.name.clone());
                    Err(format!("the reference solution fails at “{at}”"))
                }
            }
            Target::Stub | Target::Exercise => {
                let failed = r.first_failure();
                match failed {
                    None => Err("the stub passes its check: the check does not test what the exercise asks, or the stub gives the answer away".into()),
                    Some(s) if s.phase == Phase::Build => Err("the stub does not compile: stubs must build and fail at a later step".into()),
                    Some(s) => {
                        let why = match &s.status {
                            StepStatus::Failed(f) => f.summary.clone(),
                            _ => String::new(),
                        };
                        Ok(format!("fails as it should, at “{}”: {why}", s.name))
                    }
                }
            }
        }
    }
}
