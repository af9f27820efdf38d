//! The steps: every `[[step]]` in order, and attach mode, which only probes
//! a server someone else runs.

use crate::check::run::report::{needs_process, step_name};
use crate::check::run::{Attach, Run, RunError};
use serverlings_core::outcome::{Event, Failure, Phase, StepReport, StepStatus};
use std::time::Duration;

impl Run<'_> {
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
}
