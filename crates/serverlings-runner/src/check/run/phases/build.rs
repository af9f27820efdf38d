//! The build phase: `cargo build`, its warnings, and the failure a learner
//! sees when the crate does not compile.

use crate::cargo;
use crate::check::run::{Run, RunError, plural};
use serverlings_core::outcome::{Failure, Phase, StepStatus};

impl Run<'_> {
    /// `cargo build` of the crate: its warnings and unit counts, or why it
    /// failed. `None` when the check ends there.
    pub(super) async fn build_phase(&mut self) -> Result<Option<cargo::Build>, RunError> {
        let t = self.begin("build", Phase::Build);
        let build = cargo::build_in(
            &self.subject.workspace,
            &self.subject.package,
            self.spec.build_timeout,
            self.opts.colour,
            &self.subject.cargo_env,
        )
        .await?;
        let warnings: Vec<String> = build
            .diagnostics
            .iter()
            .filter(|d| d.level == "warning")
            .map(|d| self.text(&d.rendered))
            .collect();
        if !build.success {
            let mut f = if build.timed_out {
                Failure::new(format!("the build did not finish within {}", serverlings_core::duration::show(self.spec.build_timeout)))
                    .hint("a first build compiles the course's dependencies and can take minutes; `serverlings prepare` does that ahead of time")
            } else {
                let errors = build
                    .diagnostics
                    .iter()
                    .filter(|d| d.level == "error")
                    .count();
                Failure::new(if errors > 0 { format!("the crate does not compile ({errors} error{})", plural(errors)) } else { "cargo could not build the crate".into() })
                    .hint("fix the first error first: later ones are often caused by it. The TODO comments in src/ say what is missing")
            };
            for d in build.diagnostics.iter().filter(|d| d.level == "error") {
                f.details.push(self.text(&d.rendered));
            }
            f.details.extend(build.cargo_errors.iter().cloned());
            self.finish(
                "build".into(),
                Phase::Build,
                t,
                StepStatus::Failed(f),
                warnings,
            );
            return Ok(None);
        }
        let mut notes = vec![format!(
            "{} unit{} compiled, {} fresh",
            build.compiled.len(),
            plural(build.compiled.len()),
            build.fresh.len()
        )];
        notes.extend(warnings);
        self.finish("build".into(), Phase::Build, t, StepStatus::Passed, notes);
        Ok(Some(build))
    }
}
