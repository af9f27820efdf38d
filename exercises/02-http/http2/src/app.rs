//! The routes, the same over HTTP/1.1 and HTTP/2. Given.

use std::time::Duration;

/// A request, whatever the protocol it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub body: Vec<u8>,
}

/// An answer, before it is framed for a protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Header names in lowercase (HTTP/2 requires it).
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(status: u16, body: &[u8]) -> Response {
        Response {
            status,
            headers: vec![("content-type".to_string(), "text/plain".to_string())],
            body: body.to_vec(),
        }
    }
}

/// - `GET /echo/{text}` → 200, the text
/// - `POST /echo` → 200, the request body
/// - `GET /slow?ms=N` → 200 after N milliseconds (at most 5 s)
/// - anything else → 404
pub async fn respond(request: &Request) -> Response {
    let (path, query) = request
        .path
        .split_once('?')
        .unwrap_or((request.path.as_str(), ""));
    match (request.method.as_str(), path) {
        ("POST", "/echo") => Response::text(200, &request.body),
        ("GET", "/slow") => {
            let ms = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("ms="))
                .and_then(|ms| ms.parse::<u64>().ok())
                .unwrap_or(500)
                .min(5_000);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Response::text(200, format!("slept {ms} ms").as_bytes())
        }
        ("GET", _) => match path.strip_prefix("/echo/") {
            Some(text) => Response::text(200, text.as_bytes()),
            None => Response::text(404, b"not found"),
        },
        _ => Response::text(404, b"not found"),
    }
}
