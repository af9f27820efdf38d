//! `[tls]`: the run's authority and the server's certificate, and the
//! HTTPS port that must accept before the server counts as ready.

use crate::check::run::{Run, RunError};
use serverlings_core::outcome::Failure;
use serverlings_services::instance::free_port;
use std::path::PathBuf;
use std::time::Duration;

impl Run<'_> {
    /// `[tls]`: issues the run's authority and the server's certificate,
    /// writes them under `{tmp}/tls/`, and picks the HTTPS port.
    pub(super) fn issue_certificates(&mut self) -> Result<(), RunError> {
        let Some(tls) = &self.spec.tls else {
            return Ok(());
        };
        if self.tls.is_some() {
            return Ok(());
        }
        let issued = serverlings_probe::tls::issue(&tls.hosts)
            .map_err(|e| RunError::Files(std::io::Error::other(e)))?;
        let dir = PathBuf::from(&self.vars["tmp"]).join("tls");
        std::fs::create_dir_all(&dir).map_err(RunError::Files)?;
        for (name, var, text) in [
            ("cert.pem", "tls_cert", &issued.chain_pem),
            ("key.pem", "tls_key", &issued.key_pem),
            ("ca.pem", "tls_ca", &issued.ca_pem),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(RunError::Files)?;
            self.vars.insert(var.into(), path.display().to_string());
        }
        let port = free_port().map_err(RunError::Files)?;
        let host = tls
            .hosts
            .first()
            .cloned()
            .unwrap_or_else(|| "localhost".into());
        let authority = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        self.vars.insert("https_port".into(), port.to_string());
        self.vars
            .insert("https_base".into(), format!("https://{authority}"));
        self.tls = Some(crate::check::run::Tls {
            port,
            host,
            client: issued.client,
        });
        Ok(())
    }

    /// With `[tls]`, the server is ready once its HTTPS port accepts too.
    pub(super) async fn https_ready(&self, timeout: Duration) -> Result<(), Failure> {
        let Some(tls) = &self.tls else {
            return Ok(());
        };
        let deadline = tokio::time::Instant::now() + timeout;
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], tls.port));
        loop {
            let attempt = tokio::time::timeout(
                Duration::from_millis(500),
                tokio::net::TcpStream::connect(addr),
            )
            .await;
            if let Ok(Ok(_)) = attempt {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(Failure::new(format!(
                    "the server did not accept connections on its HTTPS port {} within {}",
                    tls.port,
                    serverlings_core::duration::show(timeout)
                ))
                .expected(
                    format!("a TLS listener on 127.0.0.1:{}", tls.port),
                    "nothing listening",
                )
                .hint("the HTTPS port is given to the server in the environment the exercise names (see its header comment); listen on it beside $PORT"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
