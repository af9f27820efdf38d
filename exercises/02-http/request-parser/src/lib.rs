//! # request-parser: parse an HTTP/1.1 request by hand
//!
//! `parse` turns the bytes a client sent into a [`Request`], tells the
//! caller to read more ([`Parsed::Incomplete`]), or rejects the bytes with a
//! [`ParseError`] that knows its status code (400, 413, 431, 501 or 505).
//! The server in `main.rs` reads from the socket in a loop and calls `parse`
//! after every read.
//!
//! What to do: the types, the error and its status codes are given. Write
//! the six functions marked `TODO(1)` to `TODO(6)`, in that order; each
//! has a group of tests in `src/tests.rs` (run `cargo test`). The server in
//! `main.rs` is given and already uses `parse`.
//!
//! Checked by: `cargo test` (the tests in `src/tests.rs`), then the server
//! is started and sent raw bytes: a valid request (200 with a summary),
//! a chunked body, two framings at once (400), a broken request line
//! (400), a huge header section (431), an unknown method and
//! `Transfer-Encoding: gzip` (501), `HTTP/2.0` (505), and a valid request
//! again.

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
        // TODO(3): header names are case-insensitive: `host`, `Host` and
        // `HOST` are one header. Yield the value of every field whose name
        // matches `name` (`str::eq_ignore_ascii_case`), in arrival order.
        std::iter::from_fn(move || {
            todo!("TODO(3): find the values of header {name:?}, ignoring case")
        })
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

/// How the body of a request is delimited (RFC 9112, 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFraming {
    /// Exactly this many bytes follow the header section (0: no body).
    Length(usize),
    /// `Transfer-Encoding: chunked`: chunks follow, up to a chunk of size 0.
    Chunked,
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
    /// Two framings at once: Transfer-Encoding beside Content-Length,
    /// `chunked` applied twice, or Transfer-Encoding in an HTTP/1.0
    /// request. The classic request-smuggling shape.
    BadFraming,
    /// A chunk whose size line is not hex digits, or whose data is not
    /// followed by CRLF.
    BadChunk,
    /// An HTTP/1.1 request without exactly one Host header.
    BadHost,
    /// The request line and headers are longer than [`MAX_HEAD_BYTES`].
    HeadTooLarge,
    /// The body is longer than [`MAX_BODY_BYTES`].
    BodyTooLarge,
    /// A well-formed method this server does not implement, e.g. `BREW`.
    UnsupportedMethod(String),
    /// A transfer coding other than `chunked`, e.g. `gzip`.
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
            | ParseError::BadFraming
            | ParseError::BadChunk
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
            ParseError::BadFraming => write!(f, "conflicting message framing"),
            ParseError::BadChunk => write!(f, "malformed chunk"),
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
    // TODO(5): put the pieces together.
    // 1. The header section ends at the first "\r\n\r\n" (`find` below).
    //    Not there yet? If `buf` is already longer than MAX_HEAD_BYTES, that
    //    is `HeadTooLarge`; otherwise `Incomplete`. Also `HeadTooLarge` if
    //    the section is there but longer than MAX_HEAD_BYTES.
    // 2. The section must be UTF-8 text (`std::str::from_utf8`, else
    //    `BadHeader`); split it into lines at "\r\n": the request line
    //    first (`parse_request_line`), then the headers (`parse_header_line`).
    // 3. HTTP/1.1 needs exactly one Host header (`BadHost`).
    // 4. The body, framed as `body_length` says: that many bytes, or a
    //    chunked body (`decode_chunked`). Not all there yet? `Incomplete`.
    //    `consumed` counts the head, the empty line and the body.
    //    Transfer-Encoding in an HTTP/1.0 request is `BadFraming`.
    todo!("TODO(5): parse a whole request from {} bytes", buf.len())
}

/// Parses `GET /path HTTP/1.1` (without its CRLF).
pub fn parse_request_line(line: &str) -> Result<(Method, String, Version), ParseError> {
    // TODO(1): split the line at single spaces into exactly three parts.
    // - anything but three parts, a method that is not a token (`is_token`),
    //   or an empty target or one with bytes that are not visible ASCII
    //   (`u8::is_ascii_graphic`): `BadRequestLine`
    // - the version: `parse_version` (given) says 400 or 505
    // - then the method: `Method::from_token`, or `UnsupportedMethod` (501)
    todo!("TODO(1): parse the request line {line:?}")
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
    // TODO(2): `Name: value`.
    // - a line that starts with a space or a tab continues the previous one
    //   (obsolete line folding): `ObsoleteFold`
    // - no colon, or a name that is not a token (`is_token`; note that
    //   `Host : x` has a space in its name): `BadHeader`
    // - trim spaces and tabs around the value; a control byte left in it
    //   (other than tab) is `BadHeader`
    todo!("TODO(2): parse the header line {line:?}")
}

/// How the body that follows the header section is framed.
pub fn body_length(headers: &Headers) -> Result<BodyFraming, ParseError> {
    // TODO(4): how is the body delimited?
    // - every Transfer-Encoding value is a comma-separated list of codings;
    //   this server decodes `chunked` only: any other coding is
    //   `UnsupportedTransferEncoding(value)` (501). `chunked` once is
    //   `BodyFraming::Chunked`; beside a Content-Length, or twice, it is
    //   `BadFraming`
    // - every Content-Length value is a comma-separated list of lengths;
    //   each must be digits only, fit in a usize, and equal all the others,
    //   or it is `BadContentLength`
    // - no Content-Length: no body (0); over MAX_BODY_BYTES: `BodyTooLarge`
    todo!("TODO(4): the body framing from {} headers", headers.len())
}

/// Decodes a chunked body from the start of `buf` (the bytes right after
/// the header section): `Ok(Some((body, used)))` once the last chunk and the
/// trailer section are all there, `Ok(None)` while they are not.
pub fn decode_chunked(buf: &[u8]) -> Result<Option<(Vec<u8>, usize)>, ParseError> {
    // TODO(6): chunks (RFC 9112, 7.1), as the lesson's `decode` reads them:
    // a size in hex, optional `;name=value` extensions to ignore, CRLF,
    // that many bytes, CRLF; a chunk of size 0 is the last, then trailer
    // lines up to an empty line. `used` counts every byte up to that empty
    // line's CRLF: what follows is the next request.
    // - a size that is not hex digits, or data not followed by CRLF:
    //   `BadChunk`
    // - a body that would pass MAX_BODY_BYTES: `BodyTooLarge`, decided from
    //   the size line before the chunk is read
    // - a line (size or trailer) that is not complete yet: `Ok(None)`,
    //   unless it is already over MAX_HEAD_BYTES (`HeadTooLarge`)
    todo!("TODO(6): decode the chunks in {} bytes", buf.len())
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
