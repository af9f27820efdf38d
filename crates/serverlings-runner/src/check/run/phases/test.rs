//! The test phase: the learner's tests run directly (the protected ones
//! from the shipped files), doc tests, and what `[test]` requires of them.

use crate::cargo;
use crate::check::run::{Run, RunError, plural};
use serverlings_core::outcome::{Failure, Phase, StepStatus};
use std::path::PathBuf;

/// What the test step runs and requires.
struct Protected {
    tests: Vec<(String, PathBuf)>,
    dir: PathBuf,
    /// Where cargo runs for the doc tests, the package, and its environment.
    workspace: PathBuf,
    package: String,
    cargo_env: Vec<(String, String)>,
    /// Names of the shipped tests that must have passed.
    required: Vec<String>,
    notes: Vec<String>,
}

impl Run<'_> {
    /// `[test]`: the learner's tests (the shipped ones as shipped), doc tests,
    /// required and ignored tests. `false` when the check should stop.
    pub(super) async fn test_phase(
        &mut self,
        test: &serverlings_core::spec::TestSpec,
        build: &cargo::Build,
        service_env: &[(String, String)],
    ) -> Result<bool, RunError> {
        let t = self.begin("test", Phase::Test);
        let mut notes = Vec::new();
        let protected = match self.protected_tests(test, build).await? {
            Ok(p) => p,
            Err(f) => {
                self.finish("test".into(), Phase::Test, t, StepStatus::Failed(f), vec![]);
                return Ok(false);
            }
        };
        notes.extend(protected.notes.iter().cloned());
        let flags = cargo::TestFlags {
            include_ignored: test.include_ignored,
            list_ignored: !test.ignored.is_empty(),
        };
        let mut run = cargo::run_tests(
            &protected.tests,
            &protected.dir,
            test.filter.as_deref(),
            test.timeout,
            self.opts.colour,
            service_env,
            flags,
        )
        .await
        .map_err(|err| RunError::Spawn {
            what: "the tests".into(),
            err,
        })?;
        if test.doc && run.timed_out.is_none() {
            let env: Vec<(String, String)> = protected
                .cargo_env
                .iter()
                .chain(service_env.iter())
                .cloned()
                .collect();
            let doc = cargo::run_doc_tests(
                &protected.workspace,
                &protected.package,
                test.filter.as_deref(),
                test.timeout,
                self.opts.colour,
                &env,
            )
            .await
            .map_err(|err| RunError::Spawn {
                what: "the doc tests".into(),
                err,
            })?;
            run.merge(doc);
        }
        let unmet: Vec<String> = test
            .require
            .iter()
            .filter(|n| !run.passed_in.iter().any(|q| n.matches(q)))
            .map(|n| n.to_string())
            .collect();
        let not_ignored: Vec<String> = test
            .ignored
            .iter()
            .filter(|n| !run.ignored_in.iter().any(|q| n.matches(q)))
            .map(|n| n.to_string())
            .collect();
        let required: Vec<String> = protected
            .required
            .iter()
            .filter(|n| test.filter.as_ref().is_none_or(|f| n.contains(f.as_str())))
            .cloned()
            .collect();
        let missing = crate::check::run::protect::missing(&required, &run.passed_names);
        let status = if let Some(name) = &run.timed_out {
            let mut f = Failure::new(format!("the tests in `{name}` did not finish within {}", serverlings_core::duration::show(test.timeout)))
                .hint("a test is waiting forever: look for a loop without exit, a lock held twice, or a read with no data coming");
            f.details = run.failure_output.iter().map(|l| self.text(l)).collect();
            StepStatus::Failed(f)
        } else if run.failed > 0 || !run.crashed.is_empty() {
            let total = run.passed + run.failed;
            let mut f = Failure::new(if run.failed > 0 {
                format!("{} of {total} test{} failed", run.failed, plural(total))
            } else {
                "a test binary crashed".into()
            })
            .hint("start with the first failure above: its message names the TODO to work on");
            f.details = run.failure_output.iter().map(|l| self.text(l)).collect();
            f.details.extend(run.crashed.iter().cloned());
            StepStatus::Failed(f)
        } else if run.passed == 0 {
            StepStatus::Failed(
                Failure::new("no test ran")
                    .expected("the exercise's tests run and pass", "0 tests")
                    .hint("keep the test modules the exercise shipped (`mod tests;` and the files under tests/): the check needs them to run"),
            )
        } else if !unmet.is_empty() {
            let mut f = Failure::new(format!(
                "no passing test for {}",
                unmet.join(", ")
            ))
            .expected(
                "a test of each: target/name (lib = the library's unit tests, doc = doc tests, else the file in tests/)",
                format!("{} passed", run.passed),
            )
            .hint("the exercise's TODOs name the tests to write and where they go");
            f.details = run
                .passed_in
                .iter()
                .take(40)
                .map(|n| format!("passed: {n}"))
                .collect();
            StepStatus::Failed(f)
        } else if !not_ignored.is_empty() {
            StepStatus::Failed(
                Failure::new(format!(
                    "not marked #[ignore]: {}",
                    not_ignored.join(", ")
                ))
                .expected(
                    "these tests are skipped by a plain `cargo test`",
                    if run.ignored_in.is_empty() {
                        "no test is ignored".to_string()
                    } else {
                        format!("ignored: {}", run.ignored_in.join(", "))
                    },
                )
                .hint("`#[ignore = \"why\"]` under `#[test]` skips a test unless `cargo test -- --ignored` (or `--include-ignored`) asks for it"),
            )
        } else if !missing.is_empty() {
            StepStatus::Failed(
                Failure::new(format!(
                    "{} of the shipped tests did not run: {}",
                    missing.len(),
                    missing.join(", ")
                ))
                .expected(
                    format!("all {} shipped tests run", required.len()),
                    format!("{} ran", required.len() - missing.len()),
                )
                .hint("keep the test modules the exercise shipped (`mod tests;`, `#[test]` attributes, the files under tests/) as they are"),
            )
        } else {
            StepStatus::Passed
        };
        notes.insert(
            0,
            format!(
                "{} passed{}",
                run.passed,
                if run.ignored > 0 {
                    format!(", {} ignored", run.ignored)
                } else {
                    String::new()
                }
            ),
        );
        Ok(self.finish("test".into(), Phase::Test, t, status, notes))
    }

    /// The test binaries to run for `[test]`: the crate's own, or — when a
    /// protected file differs from the shipped one — those of a scratch copy
    /// with the shipped files put back (the learner's copy is not touched).
    async fn protected_tests(
        &mut self,
        test: &serverlings_core::spec::TestSpec,
        build: &cargo::Build,
    ) -> Result<Result<Protected, Failure>, RunError> {
        let mut out = Protected {
            tests: build.tests.clone(),
            dir: self.subject.crate_dir.clone(),
            workspace: self.subject.workspace.clone(),
            package: self.subject.package.clone(),
            cargo_env: self.subject.cargo_env.clone(),
            required: vec![],
            notes: vec![],
        };
        if test.protect.is_empty() {
            return Ok(Ok(out));
        }
        let root = self.course_root();
        let shipped = crate::check::run::protect::shipped_dir(&root, &self.subject.crate_dir)
            .unwrap_or_else(|| self.subject.crate_dir.clone());
        let files = crate::check::run::protect::expand(&shipped, &test.protect);
        for f in &files {
            match std::fs::read_to_string(shipped.join(f)) {
                Ok(text) => out
                    .required
                    .extend(crate::check::run::protect::test_names(&text)),
                Err(e) => {
                    return Ok(Err(Failure::new(format!(
                        "the shipped {f} cannot be read: {e}"
                    ))
                    .hint(
                        "a problem of the check, not of your code: tell the course's authors",
                    )));
                }
            }
        }
        let edited = crate::check::run::protect::edited(&self.subject.crate_dir, &shipped, &files);
        if edited.is_empty() {
            return Ok(Ok(out));
        }
        let package = format!("{}-protected", self.subject.package);
        let lib = crate::check::mutation::lib_name(&self.subject.crate_dir, &self.subject.package);
        let scratch = crate::scratch::create(
            &root,
            &format!("scratch/{package}"),
            "crate",
            &self.subject.crate_dir,
            &package,
            &lib,
        )
        .map_err(|e| RunError::Files(std::io::Error::other(e)))?;
        for f in &edited {
            let dest = scratch.crate_dir.join(f);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(RunError::Files)?;
            }
            std::fs::copy(shipped.join(f), &dest).map_err(RunError::Files)?;
        }
        let b = cargo::build_in(
            &scratch.workspace,
            &scratch.package,
            self.spec.build_timeout,
            self.opts.colour,
            &scratch.cargo_env,
        )
        .await?;
        if !b.success {
            let mut f = Failure::new(format!(
                "the crate does not compile with the shipped {}",
                edited.join(", ")
            ))
            .hint("the check runs the test files as the exercise shipped them: keep the names and signatures they use");
            for d in b.diagnostics.iter().filter(|d| d.level == "error") {
                f.details.push(self.text(&d.rendered));
            }
            return Ok(Err(f));
        }
        out.notes.push(format!(
            "{} differ{} from the shipped file{}: the check ran the shipped version (yours is kept)",
            edited.join(", "),
            if edited.len() == 1 { "s" } else { "" },
            plural(edited.len())
        ));
        out.tests = b.tests;
        out.dir = scratch.crate_dir;
        out.workspace = scratch.workspace;
        out.package = scratch.package;
        out.cargo_env = scratch.cargo_env;
        Ok(Ok(out))
    }
}
