//! Just enough HTTP/1.1 to read a request and write a response. Given: it
//! is the plumbing of `raw-server`, with `Response::empty` for answers
//! without a body (204, 304).

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt};

/// The request line and headers may not be longer than this.
const MAX_HEAD_BYTES: usize = 8 * 1024;
/// A body may not be longer than this.
const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target: path and query, e.g. `/echo/hi?x=1`.
    pub target: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header; names are compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Whether the `Connection` header lists `option` (`close`, `keep-alive`).
    pub fn connection_has(&self, option: &str) -> bool {
        self.header("connection").is_some_and(|value| {
            value
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case(option))
        })
    }
}

/// Reads the next request of a connection.
///
/// `buf` holds what was read from the connection but not used yet: a client
/// may send its next request before this one is answered (pipelining), so
/// pass the same buffer to every call for one connection.
///
/// `Ok(None)`: the client closed the connection between two requests.
/// An error of kind `InvalidData`: the bytes are not a request (answer 400).
pub async fn read_request<S>(stream: &mut S, buf: &mut Vec<u8>) -> io::Result<Option<Request>>
where
    S: AsyncRead + Unpin,
{
    let head_len = loop {
        if let Some(end) = buf.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err(invalid("header section too large"));
        }
        if !read_more(stream, buf).await? {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
    };

    let head = std::str::from_utf8(&buf[..head_len]).map_err(|_| invalid("head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let [method, target, version] = request_line
        .split(' ')
        .collect::<Vec<_>>()
        .try_into()
        .map_err(|_| invalid("malformed request line"))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid("malformed header"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
        body: Vec::new(),
    };

    let body_start = head_len + 4;
    let body_len = if let Some(coding) = request.header("transfer-encoding") {
        // Only `chunked` is decoded here. Beside a Content-Length it is the
        // shape of request smuggling (RFC 9112, 6.1): refuse the request.
        if !coding.trim().eq_ignore_ascii_case("chunked")
            || request.header("content-length").is_some()
        {
            return Err(invalid("unsupported or conflicting Transfer-Encoding"));
        }
        let (body, used) = read_chunked(stream, buf, body_start).await?;
        request.body = body;
        used
    } else {
        let body_len = match request.header("content-length") {
            Some(value) => value.parse().map_err(|_| invalid("bad Content-Length"))?,
            None => 0,
        };
        if body_len > MAX_BODY_BYTES {
            return Err(invalid("body too large"));
        }
        while buf.len() < body_start + body_len {
            if !read_more(stream, buf).await? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        request.body = buf[body_start..body_start + body_len].to_vec();
        body_len
    };
    // Keep whatever follows: it is the start of the next request.
    buf.drain(..body_start + body_len);
    Ok(Some(request))
}

/// Reads a chunked body (RFC 9112, 7.1) that starts at `buf[start..]`: each
/// chunk is a hex size (`;extensions` ignored), CRLF, the bytes, CRLF; a
/// size of 0 ends the data, and trailer lines (ignored) end at an empty
/// line. Returns the decoded body and how many bytes of `buf` after `start`
/// it took.
async fn read_chunked<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    start: usize,
) -> io::Result<(Vec<u8>, usize)> {
    let mut body = Vec::new();
    let mut at = start;
    let mut trailers = None;
    loop {
        let eol = loop {
            if let Some(eol) = buf[at..].windows(2).position(|w| w == b"\r\n") {
                break eol;
            }
            if buf.len() - at > MAX_HEAD_BYTES {
                return Err(invalid("chunk line too long"));
            }
            if !read_more(stream, buf).await? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        };
        let line = &buf[at..at + eol];
        at += eol + 2;
        if let Some(trailers_start) = trailers {
            if line.is_empty() {
                return Ok((body, at - start));
            }
            if at - trailers_start > MAX_HEAD_BYTES {
                return Err(invalid("trailer section too large"));
            }
            continue;
        }
        let size = std::str::from_utf8(line)
            .ok()
            .and_then(|line| line.split(';').next())
            .map(str::trim)
            .filter(|hex| !hex.is_empty() && hex.len() <= 15)
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| usize::from_str_radix(hex, 16).ok())
            .ok_or_else(|| invalid("bad chunk size"))?;
        // Before a byte of the chunk is read: a huge size is refused, not
        // allocated.
        if size > MAX_BODY_BYTES - body.len() {
            return Err(invalid("body too large"));
        }
        if size == 0 {
            trailers = Some(at);
            continue;
        }
        while buf.len() < at + size + 2 {
            if !read_more(stream, buf).await? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        if &buf[at + size..at + size + 2] != b"\r\n" {
            return Err(invalid("chunk data not followed by CRLF"));
        }
        body.extend_from_slice(&buf[at..at + size]);
        at += size + 2;
    }
}

/// Appends what the stream has to `buf`; false when the stream has ended.
async fn read_more<S: AsyncRead + Unpin>(stream: &mut S, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.reserve(4096);
    Ok(stream.read_buf(buf).await? > 0)
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response without a body.
    pub fn empty(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A `text/plain` response.
    pub fn text(status: u16, body: &str) -> Response {
        Response::bytes(status, "text/plain", body.as_bytes().to_vec())
    }

    /// An `application/json` response.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::bytes(status, "application/json", value.to_string().into_bytes())
    }

    /// A response with a body of the given content type.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            body,
        }
    }

    /// The first value of a header of this response.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn with_body(mut self, body: Vec<u8>) -> Response {
        self.body = body;
        self
    }

    /// The bytes on the wire, with the `Content-Length` of the body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        // A 204 or a 304 has no body, and says nothing about one.
        if self.status != 204 && self.status != 304 {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        _ => "",
    }
}
