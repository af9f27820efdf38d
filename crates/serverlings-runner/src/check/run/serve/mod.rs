//! Starting what a check runs: the server (and its copies and workers),
//! the identity provider, the database proxy; restarts and kills.
//!
//! This file starts the server phase and restarts; `launch` starts one
//! process and waits for it, `instances` the copies, `sidecars` the provider,
//! proxy and workers, `tls` the certificates.

mod instances;
mod launch;
mod sidecars;
#[cfg(test)]
mod tests;
mod tls;

use super::{Aux, Run, RunError};
use crate::cargo;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::ServeSpec;
use serverlings_services::instance::free_port;
use std::path::PathBuf;
use std::time::Duration;

impl Run<'_> {
    /// Starts the server and waits until it is ready.
    pub(super) async fn start(
        &mut self,
        serve: &ServeSpec,
        build: &cargo::Build,
    ) -> Result<Result<String, Failure>, RunError> {
        let bin = match &serve.bin {
            None => self.subject.package.clone(),
            Some(role) => format!("{}-{role}", self.subject.package),
        };
        let Some(exe) = build.bins.get(&bin) else {
            let have: Vec<&str> = build.bins.keys().map(String::as_str).collect();
            return Ok(Err(Failure::new(format!("the crate has no binary `{bin}` to start"))
                .expected(format!("a binary named `{bin}`"), if have.is_empty() { "no binaries".to_string() } else { have.join(", ") })
                .hint("keep src/main.rs (or the [[bin]] section of Cargo.toml) as the exercise shipped it")));
        };
        self.port = free_port().map_err(RunError::Files)?;
        self.vars.insert("port".into(), self.port.to_string());
        self.vars
            .insert("base".into(), format!("http://127.0.0.1:{}", self.port));
        self.start_provider().await?;
        self.ensure_services().await?;
        self.issue_certificates()?;
        for d in &serve.dirs {
            std::fs::create_dir_all(d.render(&self.vars)).map_err(RunError::Files)?;
        }
        for (path, content) in &serve.files {
            let path = PathBuf::from(path.render(&self.vars));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(RunError::Files)?;
            }
            std::fs::write(path, content.render(&self.vars)).map_err(RunError::Files)?;
        }
        // A panic's message, not a page of backtrace frames, in the output
        // tail a failure shows (a spec's env can turn it back on).
        let mut env = vec![
            ("PORT".to_string(), self.port.to_string()),
            ("RUST_BACKTRACE".to_string(), "0".to_string()),
        ];

        if let Some(leases) = &self.leases {
            env.extend(leases.env());
        }
        self.vars.insert("instance".into(), "1".into());
        env.extend(
            serve
                .env
                .iter()
                .map(|(k, v)| (k.clone(), v.render(&self.vars))),
        );
        if serve.proxy_postgres {
            self.route_through_proxy(&mut env).await?;
        }
        self.launch_with = Some((exe.clone(), env.clone()));
        let notes = self.leases.as_ref().map(|l| l.notes()).unwrap_or_default();
        let ready = match self.launch(exe, env.clone(), serve).await? {
            Ok(r) => r,
            Err(f) => return Ok(Err(f)),
        };
        // The HTTPS listener comes up beside the plain one: seconds at most.
        if let Err(f) = self
            .https_ready(serve.timeout.min(Duration::from_secs(5)))
            .await
        {
            return Ok(Err(f));
        }
        self.ports = vec![self.port; serve.instances];
        self.others = (2..=serve.instances).map(|_| None).collect();
        let mut more = Vec::new();
        for n in 2..=serve.start {
            match self.launch_instance(n, exe, &env, serve).await? {
                Ok(note) => more.push(note),
                Err(f) => return Ok(Err(f)),
            }
        }
        for role in &serve.also {
            let bin = format!("{}-{role}", self.subject.package);
            let Some(exe) = build.bins.get(&bin) else {
                let have: Vec<&str> = build.bins.keys().map(String::as_str).collect();
                return Ok(Err(Failure::new(format!(
                    "the crate has no binary `{bin}` to start as its {role}"
                ))
                .expected(
                    format!("a binary named `{bin}` (src/bin/{bin}.rs)"),
                    have.join(", "),
                )
                .hint("keep the binaries as the exercise shipped them")));
            };
            let mut aux_env = env.clone();
            aux_env.push((
                "SERVER_URL".into(),
                format!("http://127.0.0.1:{}", self.port),
            ));
            self.aux.push(Aux {
                role: role.clone(),
                exe: exe.clone(),
                env: aux_env,
                proc: None,
            });
            if let Err(f) = self.start_aux(role).await? {
                return Ok(Err(f));
            }
            more.push(format!("{role} started"));
        }
        Ok(Ok(std::iter::once(ready)
            .chain(more)
            .chain(notes)
            .collect::<Vec<_>>()
            .join("; ")))
    }

    /// The check's own databases, vhosts and Redis slices, once: before the
    /// tests (which may use them) or the server.
    pub(super) async fn ensure_services(&mut self) -> Result<(), RunError> {
        let services = serverlings_services::kinds(&self.subject.services);
        if services.is_empty() || self.leases.is_some() {
            return Ok(());
        }
        let leases =
            serverlings_services::provision(&self.course_root(), &services, &self.subject.exercise)
                .await?;
        self.vars.extend(leases.vars());
        self.leases = Some(leases);
        Ok(())
    }

    /// The course folder (`.serverlings/services/` lives there), also when
    /// the workspace is verify's scratch copy inside it.
    pub(super) fn course_root(&self) -> PathBuf {
        serverlings_core::course::find_root(&self.subject.workspace)
            .unwrap_or_else(|| self.subject.workspace.clone())
    }

    /// Stops the server if it still runs, then starts it again on the same
    /// port with the same environment and files.
    pub(super) async fn restart(&mut self) -> Result<(Response, Vec<String>), Failure> {
        let spec = self.spec;
        let Some(serve) = spec.serve.as_ref() else {
            return Err(Failure::new("there is no server to restart"));
        };
        if let Some(mut old) = self.server.take() {
            old.stop(serve.grace).await;
        }
        let Some((exe, env)) = self.launch_with.clone() else {
            return Err(Failure::new("the server was never started"));
        };
        match self.launch(&exe, env, serve).await {
            Ok(Ok(note)) => Ok((Response::default(), vec![format!("restarted, {note}")])),
            Ok(Err(f)) => Err(f),
            Err(e) => Err(self.infrastructure(e)),
        }
    }

    /// Keeps an infrastructure error for the step loop, which ends the
    /// check with it; the step itself shows it as its failure meanwhile.
    pub(super) fn infrastructure(&mut self, e: RunError) -> Failure {
        let f = Failure::new(format!("the check cannot go on: {e}"));
        self.infra = Some(e);
        f
    }
}
