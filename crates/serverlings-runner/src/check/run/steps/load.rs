//! Load steps: many clients at once, in the foreground or the background.

use super::super::Run;
use super::Answer;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{LoadStep, Step};

impl Run<'_> {
    /// A load: judged now, or started in the background for a later `load_wait`.
    pub(super) async fn load_step(&mut self, l: &LoadStep, step: &Step) -> Answer {
        let prepared = self.prepare(&l.request);
        let how = format!(
            "wrk -c {} -d {}s {}",
            l.concurrency,
            l.duration.as_secs().max(1),
            prepared.url
        );
        let plan = serverlings_probe::load::Plan {
            concurrency: l.concurrency,
            requests: l.requests,
            duration: l.duration,
        };
        let before = self.footprint();
        if l.background {
            let timeout = step.timeout;
            let handle = tokio::spawn(async move {
                serverlings_probe::load::run(&prepared, &plan, timeout).await
            });
            self.background = Some((handle, before));
            (
                Ok((
                    Response::default(),
                    vec![format!(
                        "{} clients started in the background",
                        l.concurrency
                    )],
                )),
                how,
            )
        } else {
            let outcome = serverlings_probe::load::run(&prepared, &plan, step.timeout).await;
            (self.judge_load(&outcome, step, before).await, how)
        }
    }

    /// Wait for the background load and judge it.
    pub(super) async fn load_wait(&mut self, step: &Step) -> Answer {
        let how = String::new();
        match self.background.take() {
            None => (
                Err(Failure::new("no background load is running")
                    .hint("start one with `load = { ..., background = true }` in an earlier step")),
                how,
            ),
            Some((handle, before)) => match handle.await {
                Ok(outcome) => (self.judge_load(&outcome, step, before).await, how),
                Err(e) => (
                    Err(Failure::new(format!("the background load failed: {e}"))),
                    how,
                ),
            },
        }
    }
}
