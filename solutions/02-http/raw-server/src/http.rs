//! Just enough HTTP/1.1 to read a request and write a response. Given,
//! except the framing and the chunked bodies (TODO 7 and 8 of the stub): you wrote a strict parser in
//! `request-parser`; this one is short on purpose, but it still refuses
//! what RFC 9112 says to refuse.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt};

/// The request line and headers may not be longer than this; neither may
/// a chunk-size line or the trailer section.
const MAX_HEAD_BYTES: usize = 8 * 1024;
/// A body (an uploaded file) may not be longer than this, however it is sent.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

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

    /// Every item of a comma-separated header, over all its field lines,
    /// trimmed: `Transfer-Encoding: gzip` and `Transfer-Encoding: chunked`
    /// on two lines give `["gzip", "chunked"]`. Empty items are skipped.
    pub fn header_list(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(field, _)| field.eq_ignore_ascii_case(name))
            .flat_map(|(_, value)| value.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect()
    }

    /// Whether the `Connection` header lists `option` (`close`, `keep-alive`).
    pub fn connection_has(&self, option: &str) -> bool {
        self.header_list("connection")
            .iter()
            .any(|token| token.eq_ignore_ascii_case(option))
    }
}

/// A request that cannot be read, and the status to answer it with.
#[derive(Debug)]
struct Refused {
    status: u16,
    reason: &'static str,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason)
    }
}

impl std::error::Error for Refused {}

/// An error that answers the request with `status` (then the connection
/// closes): 400 for bytes that are not a request, 413 for a body over
/// `MAX_BODY_BYTES`, 501 for something we do not implement.
fn refuse(status: u16, reason: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Refused { status, reason })
}

fn invalid(reason: &'static str) -> io::Error {
    refuse(400, reason)
}

/// The status to answer a request that `read_request` refused with;
/// `None` when the connection itself failed and there is nobody to answer.
pub fn status_for(error: &io::Error) -> Option<u16> {
    let refused = error.get_ref()?.downcast_ref::<Refused>()?;
    Some(refused.status)
}

/// Reads the next request of a connection.
///
/// `buf` holds what was read from the connection but not used yet: a client
/// may send its next request before this one is answered (pipelining), so
/// pass the same buffer to every call for one connection.
///
/// `Ok(None)`: the client closed the connection between two requests.
/// An error with a status (`status_for`): the bytes are not a request we
/// can read (answer it and close).
pub async fn read_request<S>(stream: &mut S, buf: &mut Vec<u8>) -> io::Result<Option<Request>>
where
    S: AsyncRead + Unpin,
{
    let head_len = loop {
        // Empty lines before a request line are ignored (RFC 9112, 2.2).
        let blank = buf
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        buf.drain(..blank);
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
    if head_len > MAX_HEAD_BYTES {
        return Err(invalid("header section too large"));
    }

    let mut request = parse_head(&buf[..head_len])?;
    let body_start = head_len + 4;
    let used = match framing(&request)? {
        Framing::Length(len) => {
            while buf.len() < body_start + len {
                if !read_more(stream, buf).await? {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
            }
            request.body = buf[body_start..body_start + len].to_vec();
            len
        }
        Framing::Chunked => {
            let (body, used) = read_chunked(stream, buf, body_start).await?;
            request.body = body;
            used
        }
    };
    // Keep whatever follows: it is the start of the next request.
    buf.drain(..body_start + used);
    Ok(Some(request))
}

/// The request line and the header fields (RFC 9112, 3 and 5).
fn parse_head(head: &[u8]) -> io::Result<Request> {
    let head = std::str::from_utf8(head).map_err(|_| invalid("head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let [method, target, version] = request_line
        .split(' ')
        .collect::<Vec<_>>()
        .try_into()
        .map_err(|_| invalid("malformed request line"))?;
    if !is_token(method) || target.is_empty() || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(invalid("malformed request line"));
    }
    match version.strip_prefix("HTTP/").map(str::as_bytes) {
        Some(b"1.1" | b"1.0") => {}
        // Another version, well formed: one we do not speak (RFC 9110, 15.6.6).
        Some([major, b'.', minor]) if major.is_ascii_digit() && minor.is_ascii_digit() => {
            return Err(refuse(505, "only HTTP/1.0 and HTTP/1.1 are spoken here"));
        }
        _ => return Err(invalid("malformed HTTP version")),
    }
    let mut headers = Vec::new();
    for line in lines {
        // No whitespace before the colon (RFC 9112, 5.1), no line folded
        // onto the one before (5.2), no bare CR, LF or NUL in a value (2.2):
        // each is a way to make two parsers read two different requests.
        let (name, value) = line
            .split_once(':')
            .filter(|(name, _)| is_token(name))
            .ok_or_else(|| invalid("malformed header"))?;
        let value = value.trim_matches([' ', '\t']);
        if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(invalid("malformed header"));
        }
        headers.push((name.to_string(), value.to_string()));
    }
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
        body: Vec::new(),
    };
    // An HTTP/1.1 request names its host exactly once (RFC 9112, 3.2).
    let hosts = request
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("host"))
        .count();
    if version == "HTTP/1.1" && hosts != 1 {
        return Err(invalid("an HTTP/1.1 request has exactly one Host header"));
    }
    Ok(request)
}

/// A method or a header name: one or more `tchar` (RFC 9110, 5.6.2).
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Where the body of a request ends (RFC 9112, 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// The next `n` bytes (`Content-Length`; 0 without one).
    Length(usize),
    /// Chunks, up to the last chunk and the trailer section.
    Chunked,
}

/// The length a request's `Content-Length` states, 0 without one. Every
/// value (there may be several, or a list) must be digits and the same
/// number (RFC 9110, 8.6).
fn content_length(request: &Request) -> io::Result<usize> {
    let mut length = None;
    let values = request
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .flat_map(|(_, value)| value.split(','));
    for value in values {
        let value = value.trim_matches([' ', '\t']);
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("bad Content-Length"));
        }
        // Only digits: a number too big for usize is too big for us.
        let value = value.parse().unwrap_or(usize::MAX);
        if length.is_some_and(|length| length != value) {
            return Err(invalid("Content-Length values disagree"));
        }
        length = Some(value);
    }
    let length = length.unwrap_or(0);
    if length > MAX_BODY_BYTES {
        return Err(refuse(413, "body too large"));
    }
    Ok(length)
}

/// Where the body ends: `Transfer-Encoding` first, else `Content-Length`.
fn framing(request: &Request) -> io::Result<Framing> {
    if request.header("transfer-encoding").is_none() {
        return content_length(request).map(Framing::Length);
    }
    // Two framings: a proxy in front may read the other one, and what it
    // takes for the rest of this body we would read as the next request
    // (request smuggling, RFC 9112 6.3 and 11.2).
    if request.header("content-length").is_some() {
        return Err(invalid("Transfer-Encoding beside Content-Length"));
    }
    // HTTP/1.0 has no transfer codings: its framing is faulty (6.1).
    if request.version == "HTTP/1.0" {
        return Err(invalid("Transfer-Encoding in an HTTP/1.0 request"));
    }
    let codings = request.header_list("transfer-encoding");
    let is_chunked = |coding: &str| coding.eq_ignore_ascii_case("chunked");
    let chunked = codings.iter().filter(|coding| is_chunked(coding)).count();
    match codings.as_slice() {
        [coding] if is_chunked(coding) => Ok(Framing::Chunked),
        // Chunked must be applied once, last: otherwise nothing says where
        // the body ends (6.1).
        [.., last] if is_chunked(last) && chunked == 1 => Err(refuse(
            501,
            "only the chunked transfer coding is decoded here",
        )),
        _ => Err(invalid("chunked is not the final transfer coding")),
    }
}

/// Reads a chunked body (RFC 9112, 7.1) that starts at `buf[start..]`.
/// Returns the decoded body and how many bytes of `buf` after `start` it
/// took, trailer section included.
async fn read_chunked<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    start: usize,
) -> io::Result<(Vec<u8>, usize)> {
    let mut body = Vec::new();
    let mut at = start;
    loop {
        let line = next_line(stream, buf, &mut at).await?;
        let size = chunk_size(&buf[line])?;
        // Refused before a byte of the chunk is read: a huge size is never
        // allocated, and the limit counts every chunk so far.
        if size > MAX_BODY_BYTES - body.len() {
            return Err(refuse(413, "body too large"));
        }
        if size == 0 {
            break;
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
    // The trailer section: field lines up to an empty line, read and
    // dropped (nothing here needs them).
    let trailers = at;
    loop {
        let line = next_line(stream, buf, &mut at).await?;
        let line = &buf[line];
        if line.is_empty() {
            return Ok((body, at - start));
        }
        if at - trailers > MAX_HEAD_BYTES {
            return Err(invalid("trailer section too large"));
        }
        let field = std::str::from_utf8(line)
            .ok()
            .and_then(|line| line.split_once(':'));
        if !field.is_some_and(|(name, value)| is_token(name) && !value.contains(['\r', '\0'])) {
            return Err(invalid("malformed trailer field"));
        }
    }
}

/// The next line of `buf` from `*at`, without its CRLF, reading more as
/// needed; `*at` moves past the CRLF. A line is at most `MAX_HEAD_BYTES`.
async fn next_line<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    at: &mut usize,
) -> io::Result<std::ops::Range<usize>> {
    loop {
        if let Some(eol) = buf[*at..].windows(2).position(|w| w == b"\r\n") {
            let line = *at..*at + eol;
            *at += eol + 2;
            return Ok(line);
        }
        if buf.len() - *at > MAX_HEAD_BYTES {
            return Err(invalid("line too long"));
        }
        if !read_more(stream, buf).await? {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
}

/// The size of a chunk-size line: hex digits, then nothing or chunk
/// extensions (`;name=value`, after optional spaces), which are ignored.
fn chunk_size(line: &[u8]) -> io::Result<usize> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let (hex, rest) = line.split_at(digits);
    let rest = &rest[rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()..];
    if hex.is_empty() || !(rest.is_empty() || rest[0] == b';') || rest.contains(&b'\r') {
        return Err(invalid("bad chunk size"));
    }
    let hex = std::str::from_utf8(hex).map_err(|_| invalid("bad chunk size"))?;
    // Only hex digits: a number too big for usize is too big for us.
    Ok(usize::from_str_radix(hex, 16).unwrap_or(usize::MAX))
}

/// Appends what the stream has to `buf`; false when the stream has ended.
async fn read_more<S: AsyncRead + Unpin>(stream: &mut S, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.reserve(4096);
    Ok(stream.read_buf(buf).await? > 0)
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

    /// A response with a body of the given content type.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response::empty(status)
            .with_header("Content-Type", content_type)
            .with_body(body)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn with_body(mut self, body: Vec<u8>) -> Response {
        self.body = body;
        self
    }

    /// The bytes on the wire. `Content-Length` is always the length of the
    /// body as it is now, so set the body last (after compressing it).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", self.body.len()));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        404 => "Not Found",
        413 => "Content Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one request from `wire`; the status it is refused with, if so,
    /// and what is left over for the next request.
    async fn read(wire: &str) -> (Result<Request, Option<u16>>, String) {
        let mut stream = wire.as_bytes();
        let mut buf = Vec::new();
        let request = match read_request(&mut stream, &mut buf).await {
            Ok(Some(request)) => Ok(request),
            Ok(None) => Err(None),
            Err(error) => Err(status_for(&error)),
        };
        buf.extend_from_slice(stream);
        (request, String::from_utf8_lossy(&buf).into_owned())
    }

    const CHUNKED: &str = "POST /files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

    #[tokio::test]
    async fn chunks_are_joined_and_the_next_request_is_kept() {
        let wire = format!(
            "{CHUNKED}5;name=\"v\"\r\nhello\r\nA\r\n world\r\n!!\r\n0\r\nX-Sum: 1\r\n\r\nGET / HTTP/1.1\r\n"
        );
        let (request, rest) = read(&wire).await;
        let body = request.map(|request| request.body);
        assert_eq!(
            body.as_deref(),
            Ok(&b"hello world\r\n!!"[..]),
            "TODO(8): the chunks of a chunked body, joined (sizes in hex, extensions ignored)"
        );
        assert_eq!(
            rest, "GET / HTTP/1.1\r\n",
            "TODO(8): the trailer section is read too, and what follows it is the next request"
        );
    }

    #[tokio::test]
    async fn malformed_chunks_are_400_and_big_ones_413() {
        for (chunks, status) in [
            ("z\r\n", 400),
            ("0x3\r\nabc\r\n0\r\n\r\n", 400),
            ("3\r\nabcd\r\n0\r\n\r\n", 400),
            ("800001\r\n", 413),
            ("ffffffffffffffffffffffff\r\n", 413),
        ] {
            let (request, _) = read(&format!("{CHUNKED}{chunks}")).await;
            assert_eq!(
                request.err(),
                Some(Some(status)),
                "TODO(8): chunks {chunks:?} are refused with {status}"
            );
        }
    }

    #[tokio::test]
    async fn only_chunked_alone_frames_a_body() {
        let head = "POST / HTTP/1.1\r\nHost: x\r\n";
        for (fields, status) in [
            ("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400),
            ("Transfer-Encoding: chunked, chunked\r\n", 400),
            ("Transfer-Encoding: chunked, gzip\r\n", 400),
            ("Transfer-Encoding: gzip, chunked\r\n", 501),
        ] {
            let (request, _) = read(&format!("{head}{fields}\r\n0\r\n\r\n")).await;
            assert_eq!(
                request.err(),
                Some(Some(status)),
                "TODO(7): a request with {fields:?} is refused with {status}"
            );
        }
    }
}
