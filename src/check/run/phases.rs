//! The order of a check: build, test, mutation, serve, probes; and attach
//! mode, which only probes.

use super::report::{needs_process, step_name};
use super::{Attach, Run, RunError, plural};
use crate::cargo;
use crate::check::outcome::{Event, Failure, Phase, StepReport, StepStatus};
use std::time::Duration;

impl Run<'_> {
    pub(super) async fn phases(&mut self) -> Result<(), RunError> {
        if let Some(a) = self.opts.attach.clone() {
            return self.attached(a).await;
        }
        // A service that cannot be had is said before a long build.
        let services = crate::services::kinds(&self.subject.services);
        crate::services::precheck(&self.course_root(), &services, &self.subject.exercise)?;
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
                Failure::new(format!("the build did not finish within {}", crate::duration::show(self.spec.build_timeout)))
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

        // test
        if let Some(test) = &self.spec.test {
            let t = self.begin("test", Phase::Test);
            let run = cargo::run_tests(
                &build.tests,
                &self.subject.crate_dir,
                test.filter.as_deref(),
                test.timeout,
                self.opts.colour,
            )
            .await
            .map_err(|err| RunError::Spawn {
                what: "the tests".into(),
                err,
            })?;
            let status = if let Some(name) = &run.timed_out {
                let mut f = Failure::new(format!("the tests in `{name}` did not finish within {}", crate::duration::show(test.timeout)))
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
            } else {
                StepStatus::Passed
            };
            let note = format!(
                "{} passed{}",
                run.passed,
                if run.ignored > 0 {
                    format!(", {} ignored", run.ignored)
                } else {
                    String::new()
                }
            );
            if !self.finish("test".into(), Phase::Test, t, status, vec![note]) {
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
            self.probes().await;
            return Ok(());
        };
        // Upstreams first: the server's environment names them.
        for u in &self.spec.upstreams {
            let routes = u
                .routes
                .iter()
                .map(|r| crate::probe::upstream::Route {
                    method: r.method.clone(),
                    path: r.path.clone(),
                    replies: r
                        .replies
                        .iter()
                        .map(|p| crate::probe::upstream::Reply {
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
            let up = crate::probe::upstream::Upstream::start(&u.name, routes)
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

        self.probes().await;
        Ok(())
    }

    /// Every `[[step]]`, in order, until one fails.
    pub(super) async fn probes(&mut self) {
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
                    crate::duration::show(t.elapsed())
                ));
            }

            if swap {
                std::mem::swap(&mut self.server, &mut self.others[step.instance - 2]);
                self.port = self.ports[0];
            }
            if !self.finish(name, Phase::Probe, t, status, notes) {
                self.skip_rest(i + 1);
                break;
            }
        }
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
        self.probes().await;
        Ok(())
    }

    /// The learner's tests against the reference code (they must pass),
    /// then against each mutant (each must make a test fail). One step per
    /// run; `false` when the check should stop.
    pub(super) async fn mutation(
        &mut self,
        m: &crate::check::spec::MutationSpec,
    ) -> Result<bool, RunError> {
        use crate::check::mutation::{self, Tested};
        let t = self.begin("your tests pass on the reference code", Phase::Test);
        let root = crate::course::find_root(&self.subject.workspace)
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
        let status = match mutation::test(&scratch, m.timeout, self.opts.colour).await? {
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
            let (status, notes) = match mutation::test(&scratch, m.timeout, self.opts.colour).await? {
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
