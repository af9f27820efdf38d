//! The order of a check: build, test, mutation, serve, probes; and attach
//! mode, which only probes.

use super::report::{needs_process, step_name};
use super::{Attach, Run, RunError, plural};
use crate::cargo;
use serverlings_core::outcome::{Event, Failure, Phase, StepReport, StepStatus};
use std::path::PathBuf;
use std::time::Duration;

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
    pub(super) async fn phases(&mut self) -> Result<(), RunError> {
        if let Some(a) = self.opts.attach.clone() {
            return self.attached(a).await;
        }
        // A service that cannot be had is said before a long build.
        let services = serverlings_services::kinds(&self.subject.services);
        serverlings_services::precheck(&self.course_root(), &services, &self.subject.exercise)?;
        // build
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
            return Ok(());
        }
        let mut notes = vec![format!(
            "{} unit{} compiled, {} fresh",
            build.compiled.len(),
            plural(build.compiled.len()),
            build.fresh.len()
        )];
        notes.extend(warnings);
        self.finish("build".into(), Phase::Build, t, StepStatus::Passed, notes);

        self.bins = build.bins.clone();
        // The check's databases before the tests: they, the mutation runs
        // and `run` steps may use them too.
        self.ensure_services().await?;
        let service_env = self.leases.as_ref().map(|l| l.env()).unwrap_or_default();

        // test
        if let Some(test) = &self.spec.test {
            let t = self.begin("test", Phase::Test);
            let mut notes = Vec::new();
            let protected = match self.protected_tests(test, &build).await? {
                Ok(p) => p,
                Err(f) => {
                    self.finish("test".into(), Phase::Test, t, StepStatus::Failed(f), vec![]);
                    return Ok(());
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
                &service_env,
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
            let missing = super::protect::missing(&required, &run.passed_names);
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
            if !self.finish("test".into(), Phase::Test, t, status, notes) {
                return Ok(());
            }
        }

        // mutation
        if let Some(m) = &self.spec.mutation
            && !self.mutation(m).await?
        {
            return Ok(());
        }

        // serve
        let Some(serve) = &self.spec.serve else {
            // Steps that need no server (file steps) still run.
            self.probes().await?;
            return Ok(());
        };
        // Upstreams first: the server's environment names them.
        for u in &self.spec.upstreams {
            let routes = u
                .routes
                .iter()
                .map(|r| serverlings_probe::upstream::Route {
                    method: r.method.clone(),
                    path: r.path.clone(),
                    replies: r
                        .replies
                        .iter()
                        .map(|p| serverlings_probe::upstream::Reply {
                            status: p.status,
                            headers: p
                                .headers
                                .iter()
                                .map(|(k, v)| (k.clone(), v.render(&self.vars)))
                                .collect(),
                            body: p.body.render(&self.vars),
                            delay: p.delay,
                            hang: p.hang,
                            drop: p.drop,
                        })
                        .collect(),
                })
                .collect();
            let up = serverlings_probe::upstream::Upstream::start(&u.name, routes)
                .await
                .map_err(RunError::Files)?;
            self.vars.insert(format!("upstream_{}", u.name), up.base());
            self.upstreams.push(up);
        }
        let t = self.begin("start the server", Phase::Serve);
        match self.start(serve, &build).await? {
            Ok(note) => {
                self.finish(
                    "start the server".into(),
                    Phase::Serve,
                    t,
                    StepStatus::Passed,
                    vec![note],
                );
            }
            Err(f) => {
                self.finish(
                    "start the server".into(),
                    Phase::Serve,
                    t,
                    StepStatus::Failed(f),
                    vec![],
                );
                self.skip_rest(0);
                return Ok(());
            }
        }

        self.probes().await?;
        Ok(())
    }

    /// Every `[[step]]`, in order, until one fails; an infrastructure error
    /// a step hit ends the check with that error.
    pub(super) async fn probes(&mut self) -> Result<(), RunError> {
        for (i, step) in self.spec.steps.iter().enumerate() {
            let name = step_name(step, &self.vars);
            if self.opts.attach.is_some() && needs_process(step) {
                // Signals, restarts, output and memory need the process.
                let notes = vec![
                    "needs a server serverlings started itself: run `serverlings check`"
                        .to_string(),
                ];
                let report = StepReport {
                    name,
                    phase: Phase::Probe,
                    status: StepStatus::Skipped,
                    duration: Duration::ZERO,
                    notes,
                };
                (self.sink)(Event::StepFinished(report.clone()));
                self.steps.push(report);
                continue;
            }
            let t = self.begin(&name, Phase::Probe);
            let mark = self.server.as_ref().map_or(0, |s| s.tail.mark());
            self.marks.push(mark);
            let calls: Vec<usize> = self.upstreams.iter().map(|u| u.count()).collect();
            self.call_marks.push(calls);

            // A step for instance n talks to its port and process.
            let swap = step.instance > 1 && self.others.len() >= step.instance - 1;
            if swap {
                std::mem::swap(&mut self.server, &mut self.others[step.instance - 2]);
                self.port = self.ports[step.instance - 1];
            }
            let (mut status, mut notes) = self.step(step).await;
            if let Some(every) = step.poll {
                // Again until it passes, within the step's timeout.
                let mut tries = 1;
                while !matches!(status, StepStatus::Passed) && t.elapsed() + every < step.timeout {
                    tokio::time::sleep(every).await;
                    (status, notes) = self.step(step).await;
                    tries += 1;
                }
                notes.push(format!(
                    "{tries} tr{} in {}",
                    if tries == 1 { "y" } else { "ies" },
                    serverlings_core::duration::show(t.elapsed())
                ));
            }

            if swap {
                std::mem::swap(&mut self.server, &mut self.others[step.instance - 2]);
                self.port = self.ports[0];
            }
            if let Some(e) = self.infra.take() {
                return Err(e);
            }
            if !self.finish(name, Phase::Probe, t, status, notes) {
                self.skip_rest(i + 1);
                break;
            }
        }
        Ok(())
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
        let shipped = super::protect::shipped_dir(&root, &self.subject.crate_dir)
            .unwrap_or_else(|| self.subject.crate_dir.clone());
        let files = super::protect::expand(&shipped, &test.protect);
        for f in &files {
            match std::fs::read_to_string(shipped.join(f)) {
                Ok(text) => out.required.extend(super::protect::test_names(&text)),
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
        let edited = super::protect::edited(&self.subject.crate_dir, &shipped, &files);
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

    /// Attach mode: the network steps against a server someone else runs.
    pub(super) async fn attached(&mut self, a: Attach) -> Result<(), RunError> {
        self.port = a.port;
        self.vars.insert("port".into(), a.port.to_string());
        self.vars
            .insert("base".into(), format!("http://{}", self.authority()));
        let t = self.begin("connect", Phase::Serve);
        let addr = self.authority();
        let connect = tokio::time::timeout(
            Duration::from_secs(3),
            tokio::net::TcpStream::connect(addr.as_str()),
        )
        .await;
        if !matches!(connect, Ok(Ok(_))) {
            let f = Failure::new(format!("nothing accepts connections at {addr}"))
                .hint("start your server first (on that port), then run probe again");
            self.finish(
                "connect".into(),
                Phase::Serve,
                t,
                StepStatus::Failed(f),
                vec![],
            );
            self.skip_rest(0);
            return Ok(());
        }
        self.finish(
            "connect".into(),
            Phase::Serve,
            t,
            StepStatus::Passed,
            vec![format!("connected to {addr}")],
        );
        self.probes().await?;
        Ok(())
    }

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
