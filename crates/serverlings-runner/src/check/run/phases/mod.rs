//! The order of a check: build, test, mutation, serve, probes; and attach
//! mode, which only probes.
//!
//! Each phase is a file: `build`, `test`, `mutation`, `probes` (the steps,
//! and attach mode); this one runs them in order and starts the upstreams.

mod build;
mod mutation;
mod probes;
mod test;

use super::{Run, RunError};
use serverlings_core::outcome::{Phase, StepStatus};

impl Run<'_> {
    pub(super) async fn phases(&mut self) -> Result<(), RunError> {
        if let Some(a) = self.opts.attach.clone() {
            return self.attached(a).await;
        }
        // A service that cannot be had is said before a long build.
        let services = serverlings_services::kinds(&self.subject.services);
        serverlings_services::precheck(&self.course_root(), &services, &self.subject.exercise)?;
        // build
        let Some(build) = self.build_phase().await? else {
            return Ok(());
        };

        self.bins = build.bins.clone();
        // The check's databases before the tests: they, the mutation runs
        // and `run` steps may use them too.
        self.ensure_services().await?;
        let service_env = self.leases.as_ref().map(|l| l.env()).unwrap_or_default();

        // test
        if let Some(test) = &self.spec.test
            && !self.test_phase(test, &build, &service_env).await?
        {
            return Ok(());
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
}
