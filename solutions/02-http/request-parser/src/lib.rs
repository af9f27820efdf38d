//! # request-parser: parse an HTTP/1.1 request by hand
//!
//! `parse` turns the bytes a client sent into a [`Request`], tells the
//! caller to read more ([`Parsed::Incomplete`]), or rejects the bytes with a
//! [`ParseError`] that knows its status code (400, 413, 431, 501 or 505).
//! The server in `main.rs` reads from the socket in a loop and calls `parse`
//! after every read.
//!
//! Checked by: `cargo test` (the tests in `src/tests.rs`), then the server
//! is started and sent raw bytes: a valid request (200 with a summary),
//! a broken request line (400), a huge header section (431), an unknown
//! method and `Transfer-Encoding: gzip` (501), `HTTP/2.0` (505), and a
//! valid request again.

use std::fmt;

/// The request line and headers together may not be longer than this.
pub const MAX_HEAD_BYTES: usize = 8 * 1024;
/// A body may not be longer than this.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The methods this server implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Delete,
    Connect,
    Options,
    Trace,
    Patch,
}

impl Method {
    /// The method for a request-line token. Methods are case-sensitive:
    /// `get` is not `GET`.
    pub fn from_token(token: &str) -> Option<Method> {
        let method = match token {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "DELETE" => Method::Delete,
            "CONNECT" => Method::Connect,
            "OPTIONS" => Method::Options,
            "TRACE" => Method::Trace,
            "PATCH" => Method::Patch,
            _ => return None,
        };
        Some(method)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Connect => "CONNECT",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Patch => "PATCH",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The HTTP versions this server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        })
    }
}

/// Header fields in the order they arrived. Names keep the client's
/// spelling; lookups ignore case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    fields: Vec<(String, String)>,
}

impl Headers {
    pub fn push(&mut self, name: String, value: String) {
        self.fields.push((name, value));
    }

    /// Every value of the header `name`, compared case-insensitively.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        self.fields
            .iter()
            .filter(move |(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The first value of the header `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.get_all(name).next()
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// A complete request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub target: String,
    pub version: Version,
    pub headers: Headers,
    pub body: Vec<u8>,
}

/// What `parse` found in the buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// A whole request; it used the first `consumed` bytes of the buffer
    /// (the rest may be the start of the next request).
    Complete { request: Request, consumed: usize },
    /// Nothing wrong so far, but the request is not all there: read more.
    Incomplete,
}

/// Why a request was rejected. Each kind maps to one status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The request line is not `METHOD SP target SP HTTP/x.y`.
    BadRequestLine,
    /// A header line is not `name: value`, or holds forbidden bytes.
    BadHeader,
    /// A header line starts with a space or tab (obsolete line folding).
    ObsoleteFold,
    /// Content-Length is not a number, or its values disagree.
    BadContentLength,
    /// An HTTP/1.1 request without exactly one Host header.
    BadHost,
    /// The request line and headers are longer than [`MAX_HEAD_BYTES`].
    HeadTooLarge,
    /// The body is longer than [`MAX_BODY_BYTES`].
    BodyTooLarge,
    /// A well-formed method this server does not implement, e.g. `BREW`.
    UnsupportedMethod(String),
    /// A Transfer-Encoding other than `identity`, e.g. `chunked` or `gzip`.
    UnsupportedTransferEncoding(String),
    /// A well-formed version other than HTTP/1.0 and HTTP/1.1.
    UnsupportedVersion(String),
}

impl ParseError {
    /// The status code to answer with.
    pub fn status(&self) -> u16 {
        match self {
            ParseError::BadRequestLine
            | ParseError::BadHeader
            | ParseError::ObsoleteFold
            | ParseError::BadContentLength
            | ParseError::BadHost => 400,
            ParseError::BodyTooLarge => 413,
            ParseError::HeadTooLarge => 431,
            ParseError::UnsupportedMethod(_) | ParseError::UnsupportedTransferEncoding(_) => 501,
            ParseError::UnsupportedVersion(_) => 505,
        }
    }

    /// The reason phrase that goes with [`ParseError::status`].
    pub fn reason(&self) -> &'static str {
        match self.status() {
            400 => "Bad Request",
            413 => "Content Too Large",
            431 => "Request Header Fields Too Large",
            501 => "Not Implemented",
            _ => "HTTP Version Not Supported",
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::BadRequestLine => write!(f, "malformed request line"),
            ParseError::BadHeader => write!(f, "malformed header line"),
            ParseError::ObsoleteFold => write!(f, "obsolete line folding is not allowed"),
            ParseError::BadContentLength => write!(f, "invalid Content-Length"),
            ParseError::BadHost => write!(f, "HTTP/1.1 needs exactly one Host header"),
            ParseError::HeadTooLarge => write!(f, "header section over {MAX_HEAD_BYTES} bytes"),
            ParseError::BodyTooLarge => write!(f, "body over {MAX_BODY_BYTES} bytes"),
            ParseError::UnsupportedMethod(m) => write!(f, "method {m} is not implemented"),
            ParseError::UnsupportedTransferEncoding(te) => {
                write!(f, "Transfer-Encoding {te} is not implemented")
            }
            ParseError::UnsupportedVersion(v) => write!(f, "{v} is not supported"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses one request from the start of `buf`.
pub fn parse(buf: &[u8]) -> Result<Parsed, ParseError> {
    // The header section ends at the first empty line.
    let Some(head_len) = find(buf, b"\r\n\r\n") else {
        if buf.len() > MAX_HEAD_BYTES {
            return Err(ParseError::HeadTooLarge);
        }
        return Ok(Parsed::Incomplete);
    };
    if head_len > MAX_HEAD_BYTES {
        return Err(ParseError::HeadTooLarge);
    }
    let head = std::str::from_utf8(&buf[..head_len]).map_err(|_| ParseError::BadHeader)?;

    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let (method, target, version) = parse_request_line(request_line)?;
    let mut headers = Headers::default();
    for line in lines {
        let (name, value) = parse_header_line(line)?;
        headers.push(name, value);
    }
    if version == Version::Http11 && headers.get_all("host").count() != 1 {
        return Err(ParseError::BadHost);
    }

    let body_start = head_len + 4;
    let body_end = body_start + body_length(&headers)?;
    let Some(body) = buf.get(body_start..body_end) else {
        return Ok(Parsed::Incomplete);
    };
    let request = Request {
        method,
        target,
        version,
        headers,
        body: body.to_vec(),
    };
    Ok(Parsed::Complete {
        request,
        consumed: body_end,
    })
}

/// Parses `GET /path HTTP/1.1` (without its CRLF).
pub fn parse_request_line(line: &str) -> Result<(Method, String, Version), ParseError> {
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ParseError::BadRequestLine);
    };
    if !is_token(method) || target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ParseError::BadRequestLine);
    }
    let version = parse_version(version)?;
    let method = Method::from_token(method)
        .ok_or_else(|| ParseError::UnsupportedMethod(method.to_owned()))?;
    Ok((method, target.to_owned(), version))
}

/// `HTTP/1.0` and `HTTP/1.1` are spoken; any other `HTTP/d.d` is 505, and
/// anything else is not a version at all (400).
fn parse_version(text: &str) -> Result<Version, ParseError> {
    match text.strip_prefix("HTTP/").map(str::as_bytes) {
        Some(b"1.0") => Ok(Version::Http10),
        Some(b"1.1") => Ok(Version::Http11),
        Some([major, b'.', minor]) if major.is_ascii_digit() && minor.is_ascii_digit() => {
            Err(ParseError::UnsupportedVersion(text.to_owned()))
        }
        _ => Err(ParseError::BadRequestLine),
    }
}

/// Parses `Name: value` (without its CRLF) into the name and the trimmed value.
pub fn parse_header_line(line: &str) -> Result<(String, String), ParseError> {
    if line.starts_with([' ', '\t']) {
        return Err(ParseError::ObsoleteFold);
    }
    let (name, value) = line.split_once(':').ok_or(ParseError::BadHeader)?;
    // A space before the colon makes the name invalid: `Host : x` is rejected.
    if !is_token(name) {
        return Err(ParseError::BadHeader);
    }
    let value = value.trim_matches([' ', '\t']);
    if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
        return Err(ParseError::BadHeader);
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// How many body bytes follow the header section.
pub fn body_length(headers: &Headers) -> Result<usize, ParseError> {
    for value in headers.get_all("transfer-encoding") {
        let codings = value.split(',').map(|c| c.trim_matches([' ', '\t']));
        if codings
            .filter(|c| !c.is_empty())
            .any(|c| !c.eq_ignore_ascii_case("identity"))
        {
            return Err(ParseError::UnsupportedTransferEncoding(value.to_owned()));
        }
    }

    // `Content-Length: 5, 5` and two equal Content-Length headers are the
    // same length said twice; values that disagree are an attack.
    let mut length = None;
    for value in headers.get_all("content-length") {
        for item in value.split(',').map(|item| item.trim_matches([' ', '\t'])) {
            if item.is_empty() || !item.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseError::BadContentLength);
            }
            let n: usize = item.parse().map_err(|_| ParseError::BadContentLength)?;
            if length.is_some_and(|previous| previous != n) {
                return Err(ParseError::BadContentLength);
            }
            length = Some(n);
        }
    }

    let length = length.unwrap_or(0);
    if length > MAX_BODY_BYTES {
        return Err(ParseError::BodyTooLarge);
    }
    Ok(length)
}

/// A token is what method and header names are made of (RFC 9110, 5.6.2).
pub fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The position of the first `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests;
