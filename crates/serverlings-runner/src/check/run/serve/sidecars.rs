//! What runs beside the server: the identity provider of `[oidc]`, the
//! PostgreSQL proxy, the processes of `[serve] also`, and killing one.

use crate::check::run::{Run, RunError};
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use std::time::Duration;

impl Run<'_> {
    /// Starts the identity provider of `[oidc]`, once the server's address
    /// (its redirect URI) is known, and names it for the templates.
    pub(in crate::check::run) async fn start_provider(&mut self) -> Result<(), RunError> {
        let Some(o) = &self.spec.oidc else {
            return Ok(());
        };
        if self.oidc.is_some() {
            return Ok(());
        }
        let setup = serverlings_probe::oidc::Setup {
            client_id: o.client_id.render(&self.vars),
            client_secret: o.client_secret.render(&self.vars),
            redirect_uri: format!(
                "http://127.0.0.1:{}{}",
                self.port,
                o.redirect_path.render(&self.vars)
            ),
            pkce: o.pkce,
            user: o
                .user
                .iter()
                .map(|(k, v)| (k.clone(), v.render(&self.vars)))
                .collect(),
        };
        let provider = serverlings_probe::oidc::Provider::start(setup.clone())
            .await
            .map_err(RunError::Files)?;
        self.vars.insert("oidc_issuer".into(), provider.issuer());
        self.vars.insert("oidc_client_id".into(), setup.client_id);
        self.vars
            .insert("oidc_client_secret".into(), setup.client_secret);
        self.vars
            .insert("oidc_redirect_uri".into(), setup.redirect_uri);
        self.oidc = Some(provider);
        Ok(())
    }

    /// Points the server's DATABASE_URL at the checker's proxy, which counts
    /// its queries and can cut the connection; `{database_url}` stays direct,
    /// so the checker's own queries are not counted.
    pub(in crate::check::run) async fn route_through_proxy(
        &mut self,
        env: &mut [(String, String)],
    ) -> Result<(), RunError> {
        let Some((_, url)) = env.iter_mut().find(|(k, _)| k == "DATABASE_URL") else {
            return Ok(());
        };
        let Ok(mut parsed) = url::Url::parse(url) else {
            return Ok(());
        };
        let upstream = format!(
            "{}:{}",
            parsed.host_str().unwrap_or("127.0.0.1"),
            parsed.port().unwrap_or(5432)
        );
        let proxy = serverlings_probe::pgproxy::Proxy::start(upstream)
            .await
            .map_err(RunError::Files)?;
        let _ = parsed.set_host(Some("127.0.0.1"));
        let _ = parsed.set_port(Some(proxy.port));
        *url = parsed.to_string();
        self.pgproxy = Some(proxy);
        Ok(())
    }

    /// Starts (again) the process of `[serve] also` with this role; it must
    /// still run a moment later.
    pub(in crate::check::run) async fn start_aux(
        &mut self,
        role: &str,
    ) -> Result<Result<(), Failure>, RunError> {
        let cwd = self.subject.crate_dir.clone();
        let Some(aux) = self.aux.iter_mut().find(|a| a.role == role) else {
            return Ok(Err(Failure::new(format!("no process `{role}`"))));
        };
        let proc = super::launch::spawn_in(&aux.exe, aux.env.clone(), &cwd)?;
        let proc = aux.proc.insert(proc);
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Some(st) = proc.try_exited() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let mut f = Failure::new(format!(
                "the {role} exited at start ({})",
                serverlings_proc::process::describe_exit(st)
            ))
            .hint(format!(
                "the {role} runs until it is stopped: read its last output above"
            ));
            f.details = proc.tail.render(10);
            return Ok(Err(f));
        }
        Ok(Ok(()))
    }

    /// SIGKILL of a process and its group, reaped: no goodbye, like a crash
    /// or the OOM killer.
    pub(in crate::check::run) async fn kill(
        &mut self,
        role: &str,
    ) -> Result<(Response, Vec<String>), Failure> {
        let Some(proc) = self.process_of(role) else {
            return Err(Failure::new(format!("the {role} is not running")));
        };
        proc.signal_group(libc::SIGKILL);
        let status = proc.wait_for(Duration::from_secs(5)).await;
        let how = status.map_or(
            "not reaped".to_string(),
            serverlings_proc::process::describe_exit,
        );
        Ok((
            Response::default(),
            vec![format!("the {role} was killed ({how})")],
        ))
    }
}
