//! The mutation phase: the learner's tests against the reference code and
//! each seeded mutant.

use crate::check::run::{Run, RunError};
use serverlings_core::outcome::{Failure, Phase, StepStatus};

impl Run<'_> {
    /// The learner's tests against the reference code (they must pass),
    /// then against each mutant (each must make a test fail). One step per
    /// run; `false` when the check should stop.
    pub(super) async fn mutation(
        &mut self,
        m: &serverlings_core::spec::MutationSpec,
    ) -> Result<bool, RunError> {
        use crate::check::mutation::{self, Tested};
        let service_env = self.leases.as_ref().map(|l| l.env()).unwrap_or_default();
        let t = self.begin("your tests pass on the reference code", Phase::Test);
        if let Some((file, line, text)) = mutation::reads_the_code(&self.subject.crate_dir, m) {
            let f = Failure::new(format!("{file}:{line} reads the source of the code under test: `{text}`"))
                .hint("a test judges what the code does (its results, its errors), not its text: call the functions instead of reading the file");
            self.finish(
                "your tests pass on the reference code".into(),
                Phase::Test,
                t,
                StepStatus::Failed(f),
                vec![],
            );
            return Ok(false);
        }
        let root = serverlings_core::course::find_root(&self.subject.workspace)
            .unwrap_or_else(|| self.subject.workspace.clone());
        let prepared = mutation::prepare(&root, &self.subject.crate_dir, &self.subject.package)
            .and_then(|s| mutation::apply(&s, &self.subject.reference_dir, m, None).map(|()| s));
        let scratch = match prepared {
            Ok(s) => s,
            Err(e) => {
                let f = Failure::new(e).hint(
                    "this is a problem of the check, not of your code: tell the course's authors",
                );
                self.finish(
                    "your tests pass on the reference code".into(),
                    Phase::Test,
                    t,
                    StepStatus::Failed(f),
                    vec![],
                );
                return Ok(false);
            }
        };
        let status = match mutation::test(&scratch, m.timeout, self.opts.colour, &service_env)
            .await?
        {
            Tested::Passed(0) => StepStatus::Failed(
                Failure::new("there are no tests to judge")
                    .hint("write tests in the files the TODOs name (not in the code under test)"),
            ),
            Tested::Passed(_) => StepStatus::Passed,
            Tested::Failed { failed, output, .. } => {
                let mut f = Failure::new(format!("{failed} of your tests fail on the reference code"))
                    .hint("a test must describe what the code should do: these expect something the correct implementation does not do");
                f.details = output.iter().map(|l| self.text(l)).collect();
                StepStatus::Failed(f)
            }
            Tested::NoBuild(errors) => {
                let mut f = Failure::new("your tests do not compile against the reference code")
                    .hint("use only the public API the exercise describes");
                f.details = errors.iter().map(|l| self.text(l)).collect();
                StepStatus::Failed(f)
            }
        };
        if !self.finish(
            "your tests pass on the reference code".into(),
            Phase::Test,
            t,
            status,
            vec![],
        ) {
            return Ok(false);
        }
        let mut survived = Vec::new();
        for mutant in &m.mutants {
            let name = format!("mutant: {}", mutant.name);
            let t = self.begin(&name, Phase::Test);
            if let Err(e) = mutation::apply(&scratch, &self.subject.reference_dir, m, Some(mutant))
            {
                let f = Failure::new(e).hint(
                    "this is a problem of the check, not of your code: tell the course's authors",
                );
                self.finish(name, Phase::Test, t, StepStatus::Failed(f), vec![]);
                return Ok(false);
            }
            let (status, notes) = match mutation::test(&scratch, m.timeout, self.opts.colour, &service_env).await? {
                Tested::Failed { names, .. } => (StepStatus::Passed, vec![format!("killed by {}", if names.is_empty() { "a test".to_string() } else { names.join(", ") })]),
                Tested::NoBuild(_) => (
                    StepStatus::Failed(Failure::new(format!("mutant “{}” does not compile", mutant.name)).hint("this is a problem of the check, not of your code: tell the course's authors")),
                    vec![],
                ),
                Tested::Passed(n) => {
                    survived.push(mutant.name.clone());
                    let f = Failure::new(format!("the mutant survived: all {n} of your tests still pass with this change"))
                        .expected("some test fails", "every test passes")
                        .detail(format!("{}: `{}` became `{}`", mutant.file, mutant.replace, mutant.with))
                        .hint("add a test that passes on the correct code but fails with this change");
                    (StepStatus::Failed(f), vec![])
                }
            };
            // Every mutant is tried, so the learner sees all survivors at once.
            self.finish(name, Phase::Test, t, status, notes);
        }
        Ok(survived.is_empty()
            && !self
                .steps
                .iter()
                .any(|s| matches!(s.status, StepStatus::Failed(_))))
    }
}
