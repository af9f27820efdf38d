//! Where every way of running a check starts — `check`, `probe`, the TUI
//! and `verify`: an exercise's spec, read and parsed one way, and the
//! subject (which crate, built where, with which services).

use serverlings_core::course::{Course, Exercise};
use serverlings_core::diag::Diagnostic;
use serverlings_core::outcome::Target;
use serverlings_core::spec::Spec;
use serverlings_runner::check::run::{self, Subject};

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {file}: {err}")]
    Read {
        file: String,
        #[source]
        err: std::io::Error,
    },
    #[error("{}\nthe check spec has problems: run `serverlings lint`", show(.0))]
    Invalid(Vec<Diagnostic>),
}

fn show(ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The exercise's check spec (`checks/<part>/<id>.toml`).
pub fn spec(course: &Course, ex: &Exercise) -> Result<Spec, SpecError> {
    let text = std::fs::read_to_string(course.root.join(&ex.check_file)).map_err(|err| {
        SpecError::Read {
            file: ex.check_file.clone(),
            err,
        }
    })?;
    serverlings_core::spec::parse(&ex.check_file, &text).map_err(SpecError::Invalid)
}

/// The learner's copy of the exercise (`Target::Exercise`) or its
/// reference solution, with the services its part declares.
pub fn subject(course: &Course, ex: &Exercise, target: Target) -> Subject {
    let (dir, package) = match target {
        Target::Solution => (ex.solution_dir(), ex.solution_package()),
        Target::Exercise | Target::Stub => (ex.stub_dir(), ex.stub_package()),
    };
    let mut subject = run::subject_for(&course.root, &ex.id, target, &dir, package);
    subject.services = ex.services.clone();
    subject
}
