//! The generator's side of the wire: keep-alive connections, and the
//! request as raw bytes written on them (no HTTP library in the loop).

use crate::http::Prepared;

/// One keep-alive connection of a load client.
pub(super) struct Conn {
    stream: tokio::net::TcpStream,
    buf: Vec<u8>,
    /// Whether a response already came back on it (a reused connection the
    /// server closed while idle is retried once on a fresh one).
    used: bool,
}

/// The request as bytes, written as is on every keep-alive connection: no
/// HTTP library in the loop, so the generator keeps up with the server.
pub(super) struct RawRequest {
    addr: String,
    bytes: Vec<u8>,
    head: bool,
}

impl RawRequest {
    pub(super) fn new(req: &Prepared) -> RawRequest {
        let (addr, path) = match url::Url::parse(&req.url) {
            Ok(u) => {
                let host = u.host_str().unwrap_or("127.0.0.1").to_string();
                let host = if host.contains(':') && !host.starts_with('[') {
                    format!("[{host}]")
                } else {
                    host
                };
                let path = match u.query() {
                    Some(q) => format!("{}?{q}", u.path()),
                    None => u.path().to_string(),
                };
                (
                    format!("{host}:{}", u.port_or_known_default().unwrap_or(80)),
                    path,
                )
            }
            Err(_) => ("127.0.0.1:80".into(), "/".into()),
        };
        let mut head = format!("{} {path} HTTP/1.1\r\nhost: {addr}\r\n", req.method);
        for (k, v) in &req.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !req.body.is_empty() || matches!(req.method.as_str(), "POST" | "PUT" | "PATCH") {
            head.push_str(&format!("content-length: {}\r\n", req.body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&req.body);
        RawRequest {
            addr,
            bytes,
            head: req.method == "HEAD",
        }
    }

    pub(super) async fn send(&self, conn: &mut Option<Conn>) -> Result<u16, String> {
        use serverlings_core::response::{Parse, parse};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        for attempt in 0..2 {
            if conn.is_none() {
                let stream = tokio::net::TcpStream::connect(&self.addr)
                    .await
                    .map_err(|e| e.to_string())?;
                let _ = stream.set_nodelay(true);
                *conn = Some(Conn {
                    stream,
                    buf: Vec::new(),
                    used: false,
                });
            }
            let c = conn.as_mut().expect("connected above");
            let reused = c.used;
            if let Err(e) = c.stream.write_all(&self.bytes).await {
                *conn = None;
                if reused && attempt == 0 {
                    continue;
                }
                return Err(e.to_string());
            }
            let mut chunk = [0u8; 16 * 1024];
            loop {
                let (p, r) = parse(&c.buf, false);
                match p {
                    Parse::Done(n) => {
                        let r = r.unwrap_or_default();
                        c.buf.drain(..n);
                        c.used = true;
                        if r.header("connection")
                            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
                        {
                            *conn = None;
                        }
                        return Ok(r.status);
                    }
                    // A HEAD answer has a Content-Length but no body.
                    Parse::Incomplete
                        if self.head && c.buf.windows(4).any(|w| w == b"\r\n\r\n") =>
                    {
                        let end = c.buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) + 4;
                        let status = String::from_utf8_lossy(&c.buf[..end])
                            .split(' ')
                            .nth(1)
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(0);
                        c.buf.drain(..end);
                        c.used = true;
                        return Ok(status);
                    }
                    Parse::Invalid(m, _) => {
                        *conn = None;
                        return Err(format!("the response is not valid HTTP ({m})"));
                    }
                    Parse::Incomplete => {}
                }
                let n = match c.stream.read(&mut chunk).await {
                    Ok(n) => n,
                    Err(e) => {
                        let nothing_back = c.buf.is_empty();
                        *conn = None;
                        // A reset instead of an end: the server had closed
                        // the idle connection as the request went out (its
                        // kernel answers the request with RST). Retried like
                        // an end (RFC 9112 §9.3.1).
                        if reused && attempt == 0 && nothing_back {
                            break;
                        }
                        return Err(e.to_string());
                    }
                };
                if n == 0 {
                    let (p, r) = parse(&c.buf, true);
                    *conn = None;
                    if let (Parse::Done(_), Some(r)) = (p, r) {
                        return Ok(r.status);
                    }
                    if reused && attempt == 0 {
                        break; // the server closed an idle connection: retry
                    }
                    return Err("the connection closed before a complete response".into());
                }
                c.buf.extend_from_slice(&chunk[..n]);
            }
        }
        Err("the connection closed before a complete response".into())
    }
}
