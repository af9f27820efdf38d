//! Request steps: how each is sent (HTTP/1.1, h2c, HTTPS, from another
//! loopback address) and the curl line that repeats it.

use super::super::Run;
use super::Answer;
use serverlings_core::outcome::Failure;
use serverlings_core::response::Response;
use serverlings_core::spec::{HttpRequest, Step};
use serverlings_probe::curl;
use serverlings_probe::http::{self, Prepared};

impl Run<'_> {
    /// One request (or `parallel` copies of it).
    pub(super) async fn http_step(&mut self, req: &HttpRequest, step: &Step) -> Answer {
        let prepared = self.prepare(req);
        let how = self.how_of(&prepared, req);
        let client = match self.client_for(req) {
            Ok(c) => c,
            Err(f) => return (Err(f), how),
        };
        let result = if req.parallel > 1 {
            match &client {
                Sender::Plain(c) => self.parallel(c, &prepared, req.parallel, step).await,
                Sender::Tls { .. } => Err(Failure::new(
                    "parallel HTTPS requests are not supported (fix the check)",
                )),
            }
        } else {
            match client.send(&prepared, step.timeout).await {
                Ok(resp) => {
                    let notes = if self.opts.verbose {
                        http::transcript(&prepared, Some(&resp))
                    } else {
                        vec![]
                    };
                    Ok((resp, notes))
                }
                Err(e) => {
                    let mut f = Failure::new(e.summary()).hint(e.hint());
                    if self.opts.verbose {
                        f.details.extend(http::transcript(&prepared, None));
                    }
                    Err(f)
                }
            }
        };
        (result, how)
    }
}

impl Run<'_> {
    /// How a request step is sent: HTTP/2 without TLS, HTTPS trusting the
    /// run's authority, from another loopback address, or the check's plain
    /// client.
    fn client_for(&self, req: &serverlings_core::spec::HttpRequest) -> Result<Sender, Failure> {
        let from = match &req.from {
            None => None,
            Some(t) => {
                let text = t.render(&self.vars);
                match text.parse::<std::net::IpAddr>() {
                    Ok(ip) if ip.is_loopback() && ip.is_ipv4() => Some(ip),
                    _ => {
                        return Err(Failure::new(format!(
                            "`from = \"{text}\"` is not a loopback IPv4 address"
                        ))
                        .hint(
                            "a request may leave from 127.0.0.2 … 127.255.255.254 (fix the check)",
                        ));
                    }
                }
            }
        };
        if req.https {
            let Some(tls) = &self.tls else {
                return Err(Failure::new(
                    "this HTTPS step needs the certificate the checker issues to the server it starts",
                )
                .hint("run `serverlings check`: a server you started yourself has no certificate from this run"));
            };
            return Ok(Sender::Tls {
                config: Box::new(tls.client.clone()),
                host: tls.host.clone(),
                port: tls.port,
                from,
            });
        }
        Ok(Sender::Plain(match (req.http2, from) {
            (true, _) => http::http2_client(),
            (false, Some(ip)) => http::client_from(ip),
            (false, None) => self.client.clone(),
        }))
    }

    /// The curl line that repeats a request step.
    fn how_of(&self, prepared: &Prepared, req: &serverlings_core::spec::HttpRequest) -> String {
        let mut extra = String::new();
        if req.http2 {
            extra.push_str(" --http2-prior-knowledge");
        }
        if let (true, Some(tls)) = (req.https, &self.tls) {
            let ca = self.vars.get("tls_ca").cloned().unwrap_or_default();
            extra.push_str(&format!(
                " --cacert {ca} --resolve {}:{}:127.0.0.1",
                tls.host, tls.port
            ));
        }
        if let Some(from) = &req.from {
            extra.push_str(&format!(" --interface {}", from.render(&self.vars)));
        }
        curl::curl(prepared).replacen("curl -i", &format!("curl -i{extra}"), 1)
    }
}

/// A request step's way to the server.
enum Sender {
    Plain(reqwest::Client),
    Tls {
        config: Box<rustls::ClientConfig>,
        host: String,
        port: u16,
        from: Option<std::net::IpAddr>,
    },
}

impl Sender {
    async fn send(
        &self,
        req: &Prepared,
        timeout: std::time::Duration,
    ) -> Result<Response, http::SendError> {
        match self {
            Sender::Plain(c) => http::send(c, req, timeout).await,
            Sender::Tls {
                config,
                host,
                port,
                from,
            } => serverlings_probe::tls::send(config, host, *port, *from, req, timeout).await,
        }
    }
}
