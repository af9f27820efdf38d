//! Scripted upstreams the checker serves on loopback: per route, a list of
//! answers (respond, fail with a status, delay, hang, drop the connection),
//! one per call in order (the last repeats), and a record of every call for
//! the steps to judge (count, headers, spacing of retries).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
    /// Never answer (until the caller gives up).
    pub hang: bool,
    /// Close the connection without answering.
    pub drop: bool,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub method: Option<String>,
    /// Exact path, or a prefix when it ends with `*`.
    pub path: String,
    pub replies: Vec<Reply>,
}

impl Route {
    fn matches(&self, method: &str, path: &str) -> bool {
        let path = path.split('?').next().unwrap_or(path);
        self.method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && match self.path.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == self.path,
            }
    }
}

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    /// Names lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Call {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
struct State {
    calls: Vec<Call>,
    /// How many calls each route has answered.
    served: HashMap<usize, usize>,
}

/// A running upstream; dropping it stops the listener task.
pub struct Upstream {
    pub name: String,
    pub port: u16,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Upstream {
    pub async fn start(name: &str, routes: Vec<Route>) -> std::io::Result<Upstream> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(Mutex::new(State::default()));
        let routes = Arc::new(routes);
        let (st, rs) = (state.clone(), routes.clone());
        let task = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((sock, _)) = listener.accept().await {
                conns.spawn(serve(sock, rs.clone(), st.clone()));
            }
        });
        Ok(Upstream {
            name: name.to_string(),
            port,
            state,
            task,
        })
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Calls recorded so far, from index `since`.
    pub fn calls(&self, since: usize) -> Vec<Call> {
        let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.calls.iter().skip(since).cloned().collect()
    }

    pub fn count(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .calls
            .len()
    }
}

async fn serve(mut sock: TcpStream, routes: Arc<Vec<Route>>, state: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    loop {
        let Some((method, path, headers, body)) = read_request(&mut sock, &mut buf).await else {
            return;
        };
        let close = headers
            .iter()
            .any(|(k, v)| k == "connection" && v.eq_ignore_ascii_case("close"));
        let reply = {
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            s.calls.push(Call {
                method: method.clone(),
                path: path.clone(),
                headers: headers.clone(),
                body,
                at: Instant::now(),
            });
            match routes.iter().position(|r| r.matches(&method, &path)) {
                None => None,
                Some(i) => {
                    let n = s.served.entry(i).or_default();
                    let replies = &routes[i].replies;
                    let reply = replies.get(*n).or(replies.last()).cloned();
                    *n += 1;
                    reply
                }
            }
        };
        let reply = reply.unwrap_or(Reply {
            status: 404,
            headers: vec![],
            body: "no such route in this upstream".into(),
            delay: Duration::ZERO,
            hang: false,
            drop: false,
        });
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        if reply.drop {
            return;
        }
        if reply.hang {
            // Hold the connection open until the caller gives up.
            let mut scratch = [0u8; 1024];
            while matches!(sock.read(&mut scratch).await, Ok(n) if n > 0) {}
            return;
        }
        let mut head = format!(
            "HTTP/1.1 {} {}\r\ncontent-length: {}\r\n",
            reply.status,
            reason(reply.status),
            reply.body.len()
        );
        if !reply
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            head.push_str("content-type: application/json\r\n");
        }
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if close {
            head.push_str("connection: close\r\n");
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(reply.body.as_bytes());
        if sock.write_all(&bytes).await.is_err() || close {
            return;
        }
    }
}

/// Method, target (path and query), headers (names lowercased), body.
pub type Request = (String, String, Vec<(String, String)>, Vec<u8>);

/// Reads one request (head and Content-Length body); `None` when the caller
/// closed the connection or sent something that is not HTTP.
pub async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Request> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    // A body larger than any request the checker's upstreams expect ends
    // the connection rather than a wait for bytes that never come.
    if len > 16 << 20 {
        return None;
    }
    let start = head_end + 4;
    while buf.len() < start + len {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buf[start..start + len].to_vec();
    buf.drain(..start + len);
    Some((method, path, headers, body))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![],
            body: format!("{{\"s\":{status}}}"),
            delay: Duration::ZERO,
            hang: false,
            drop: false,
        }
    }

    #[tokio::test]
    async fn answers_in_order_and_records_calls() {
        let up = Upstream::start(
            "pay",
            vec![Route {
                method: Some("GET".into()),
                path: "/charge*".into(),
                replies: vec![reply(503), reply(200)],
            }],
        )
        .await
        .unwrap();
        let c = reqwest::Client::new();
        let statuses: Vec<u16> = {
            let mut v = vec![];
            for _ in 0..3 {
                v.push(
                    c.get(format!("{}/charge/1", up.base()))
                        .header("x-request-id", "r1")
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16(),
                );
            }
            v
        };
        assert_eq!(statuses, [503, 200, 200], "the last reply repeats");
        assert_eq!(
            c.post(format!("{}/other", up.base()))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            404
        );
        let calls = up.calls(0);
        assert_eq!(calls.len(), 4);
        assert_eq!(calls[0].header("x-request-id"), Some("r1"));
        assert_eq!(up.calls(3).len(), 1);
    }
}
