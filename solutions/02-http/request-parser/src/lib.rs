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
    let framing = body_length(&headers)?;
    if version == Version::Http10 && headers.get("transfer-encoding").is_some() {
        return Err(ParseError::BadFraming);
    }
    let (body, body_end) = match framing {
        BodyFraming::Length(length) => {
            let body_end = body_start + length;
            let Some(body) = buf.get(body_start..body_end) else {
                return Ok(Parsed::Incomplete);
            };
            (body.to_vec(), body_end)
        }
        BodyFraming::Chunked => match decode_chunked(&buf[body_start..])? {
            Some((body, used)) => (body, body_start + used),
            None => return Ok(Parsed::Incomplete),
        },
    };
    let request = Request {
        method,
        target,
        version,
        headers,
        body,
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

/// How the body that follows the header section is framed.
pub fn body_length(headers: &Headers) -> Result<BodyFraming, ParseError> {
    // Every Transfer-Encoding field is a list of codings, applied in order.
    let mut chunked = 0;
    for value in headers.get_all("transfer-encoding") {
        let codings = value.split(',').map(|c| c.trim_matches([' ', '\t']));
        for coding in codings.filter(|c| !c.is_empty()) {
            if !coding.eq_ignore_ascii_case("chunked") {
                return Err(ParseError::UnsupportedTransferEncoding(value.to_owned()));
            }
            chunked += 1;
        }
    }
    if chunked > 0 {
        // Transfer-Encoding overrides Content-Length, but a request with
        // both is how requests are smuggled past a proxy: refuse it.
        if chunked > 1 || headers.get("content-length").is_some() {
            return Err(ParseError::BadFraming);
        }
        return Ok(BodyFraming::Chunked);
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
    Ok(BodyFraming::Length(length))
}

/// Decodes a chunked body from the start of `buf` (the bytes right after
/// the header section): `Ok(Some((body, used)))` once the last chunk and the
/// trailer section are all there, `Ok(None)` while they are not.
pub fn decode_chunked(buf: &[u8]) -> Result<Option<(Vec<u8>, usize)>, ParseError> {
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let Some(eol) = find(&buf[at..], b"\r\n") else {
            return incomplete_line(&buf[at..]);
        };
        let size = chunk_size(&buf[at..at + eol])?;
        // Checked before a byte of the chunk is read: `ffffffff` is a 413,
        // not an allocation.
        if size > MAX_BODY_BYTES - body.len() {
            return Err(ParseError::BodyTooLarge);
        }
        at += eol + 2;
        if size == 0 {
            break;
        }
        let Some(data) = buf.get(at..at + size + 2) else {
            return Ok(None);
        };
        if !data.ends_with(b"\r\n") {
            return Err(ParseError::BadChunk);
        }
        body.extend_from_slice(&data[..size]);
        at += size + 2;
    }
    // The trailer section: header lines (ignored here), then an empty line.
    let trailers_start = at;
    loop {
        let Some(eol) = find(&buf[at..], b"\r\n") else {
            return incomplete_line(&buf[trailers_start..]);
        };
        at += eol + 2;
        if eol == 0 {
            return Ok(Some((body, at)));
        }
        if at - trailers_start > MAX_HEAD_BYTES {
            return Err(ParseError::HeadTooLarge);
        }
    }
}

/// `Incomplete` for a line still arriving, unless it is already too long.
fn incomplete_line(pending: &[u8]) -> Result<Option<(Vec<u8>, usize)>, ParseError> {
    if pending.len() > MAX_HEAD_BYTES {
        return Err(ParseError::HeadTooLarge);
    }
    Ok(None)
}

/// The size of a chunk-size line: hex digits, then optional `;ext=value`
/// chunk extensions, which are ignored.
fn chunk_size(line: &[u8]) -> Result<usize, ParseError> {
    let digits = line.split(|&b| b == b';').next().unwrap_or_default();
    let digits = digits.trim_ascii_end();
    if digits.is_empty() || digits.len() > 15 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(ParseError::BadChunk);
    }
    let digits = std::str::from_utf8(digits).map_err(|_| ParseError::BadChunk)?;
    usize::from_str_radix(digits, 16).map_err(|_| ParseError::BadChunk)
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
