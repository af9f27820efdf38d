//! Sending one HTTP request to the learner's server, bounded in time and size.

use serverlings_core::response::Response;
use std::time::{Duration, Instant};

/// A request with every template filled in.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why no response came back, classified for the hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    Refused,
    Timeout(Duration),
    /// The connection was closed or reset before a full response.
    Closed(String),
    /// The bytes were not valid HTTP.
    Protocol(String),
    TooLarge(usize),
    /// The TLS handshake failed (the certificate, the name, the protocol).
    Tls(String),
    Other(String),
}

impl SendError {
    pub fn summary(&self) -> String {
        match self {
            SendError::Refused => "connection refused".into(),
            SendError::Timeout(d) => {
                format!(
                    "no complete response within {}",
                    serverlings_core::duration::show(*d)
                )
            }
            SendError::Closed(m) => {
                format!("the connection closed before a complete response ({m})")
            }
            SendError::Protocol(m) => format!("the response is not valid HTTP/1.1 ({m})"),
            SendError::TooLarge(n) => format!("the response body is larger than {n} bytes"),
            SendError::Tls(m) => format!("the TLS handshake failed: {m}"),
            SendError::Other(m) => m.clone(),
        }
    }

    pub fn hint(&self) -> String {
        match self {
            SendError::Refused => "is your server listening on the port in $PORT, on 127.0.0.1? Did it stop accepting connections?".into(),
            SendError::Timeout(_) => "the server accepted the connection but did not finish answering: is a handler stuck, waiting for more body bytes, or missing a Content-Length?".into(),
            SendError::Closed(_) => "the server closed the socket early: did the connection task panic, or close before writing the whole response?".into(),
            SendError::Protocol(_) => "check the status line (`HTTP/1.1 200 OK\\r\\n`), that every header line ends with \\r\\n, and the blank line before the body".into(),
            SendError::TooLarge(_) => "is the server sending a body without end?".into(),
            SendError::Tls(_) => "serve the certificate chain and key the check gave the server (leaf first), over TLS 1.2 or 1.3".into(),
            SendError::Other(_) => "run the curl line above to see what the server does".into(),
        }
    }
}

pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// A fresh connection per request: keep-alive is judged by tcp steps, and
/// a reused socket the server closed would blame the wrong step.
fn one_shot() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
}

pub fn client() -> reqwest::Client {
    one_shot()
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// A client like [`client`] whose connections leave from `from` (another
/// loopback address, as a second machine would).
pub fn client_from(from: std::net::IpAddr) -> reqwest::Client {
    one_shot()
        .local_address(from)
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// An HTTP/2 client without TLS (h2c with prior knowledge): concurrent
/// requests through one client share a single connection as streams.
pub fn http2_client() -> reqwest::Client {
    reqwest::Client::builder()
        .http2_prior_knowledge()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

pub async fn send(
    client: &reqwest::Client,

    req: &Prepared,
    timeout: Duration,
) -> Result<Response, SendError> {
    let method = reqwest::Method::from_bytes(req.method.as_bytes())
        .map_err(|e| SendError::Other(e.to_string()))?;
    let mut rb = client.request(method, &req.url);
    for (k, v) in &req.headers {
        rb = rb.header(k, v);
    }
    if !req.body.is_empty() {
        rb = rb.body(req.body.clone());
    }
    let started = Instant::now();
    let work = async {
        let mut resp = rb.send().await.map_err(classify)?;
        let first_byte = started.elapsed();
        let status = resp.status();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BODY {
                return Err(SendError::TooLarge(MAX_BODY));
            }
        }
        Ok(Response {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers,
            body,
            elapsed: started.elapsed(),
            first_byte,
        })
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(SendError::Timeout(timeout)),
    }
}

pub fn classify(e: reqwest::Error) -> SendError {
    // reqwest wraps hyper and io errors; walk the chain for the real cause.
    let mut chain = Vec::new();
    let mut src: Option<&dyn std::error::Error> = Some(&e);
    while let Some(s) = src {
        chain.push(s.to_string());
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return SendError::Refused,
                std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::UnexpectedEof => {
                    return SendError::Closed(io.to_string());
                }
                _ => {}
            }
        }
        src = s.source();
    }
    let text = chain.join(": ");
    if e.is_timeout() {
        SendError::Timeout(Duration::ZERO)
    } else if text.contains("incomplete")
        || text.contains("closed before")
        || text.contains("connection closed")
        || text.contains("not ready")
        || text.contains("canceled")
    {
        SendError::Closed(chain.last().cloned().unwrap_or_default())
    } else if text.contains("invalid") || text.contains("parse") || text.contains("too large") {
        SendError::Protocol(chain.last().cloned().unwrap_or_default())
    } else if e.is_connect() {
        SendError::Refused
    } else {
        SendError::Other(text)
    }
}

/// The exchange as `>` (sent) and `<` (received) lines, bodies cut short.
pub fn transcript(req: &Prepared, resp: Option<&Response>) -> Vec<String> {
    let mut lines = vec![format!("> {} {}", req.method, req.url)];
    lines.extend(req.headers.iter().map(|(k, v)| format!("> {k}: {v}")));
    if !req.body.is_empty() {
        lines.push(">".into());
        lines.extend(
            serverlings_core::response::show_bytes(&req.body, 2000)
                .lines()
                .map(|l| format!("> {l}")),
        );
    }
    if let Some(r) = resp {
        lines.extend(r.summary(2000).lines().map(|l| format!("< {l}")));
    }
    lines
}
