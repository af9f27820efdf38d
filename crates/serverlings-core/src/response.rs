//! A response as the checker saw it, and a small HTTP/1.1 response parser
//! for raw TCP exchanges (where no HTTP library may hide what the server did).

use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    /// Header names lowercased, in arrival order, duplicates kept.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub elapsed: Duration,
    /// When the status line and headers had arrived (zero when not measured).
    pub first_byte: Duration,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of cookie `name` from the `Set-Cookie` headers.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers_named("set-cookie").find_map(|v| {
            let pair = v.split(';').next()?;
            let (k, val) = pair.split_once('=')?;
            (k.trim() == name).then(|| val.trim().to_string())
        })
    }

    /// The first lines of the response for a report, the body cut short.
    pub fn summary(&self, max_body: usize) -> String {
        let mut s = format!("HTTP/1.1 {} {}", self.status, self.reason)
            .trim_end()
            .to_string();
        for (n, v) in &self.headers {
            s.push_str(&format!("\n{n}: {v}"));
        }
        if !self.body.is_empty() {
            s.push_str("\n\n");
            s.push_str(&show_bytes(&self.body, max_body));
        }
        s
    }
}

/// Bytes as text where they are text, escaped where not, cut at `max`.
pub fn show_bytes(b: &[u8], max: usize) -> String {
    let cut = &b[..b.len().min(max)];
    let mut s = match std::str::from_utf8(cut) {
        Ok(t) => t.to_string(),
        Err(_) => cut.escape_ascii().to_string(),
    };
    if b.len() > max {
        s.push_str(&format!("… ({} bytes in all)", b.len()));
    }
    s
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parse {
    /// A complete response and how many bytes it used.
    Done(usize),
    Incomplete,
    /// Not HTTP: the message and the byte offset where it went wrong.
    Invalid(String, usize),
}

/// Parses one response from the front of `buf`. `eof` says the connection is
/// closed, so a body without length ends here.
pub fn parse(buf: &[u8], eof: bool) -> (Parse, Option<Response>) {
    let Some(head_end) = find(buf, b"\r\n\r\n") else {
        if let Some(bad) = first_bad_status_byte(buf) {
            return (
                Parse::Invalid("this is not an HTTP/1.x status line".into(), bad),
                None,
            );
        }
        return (Parse::Incomplete, None);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") {
        return (
            Parse::Invalid(
                format!("status line `{status_line}` does not start with HTTP/1.x"),
                0,
            ),
            None,
        );
    }
    let Some(status) = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..=999).contains(s))
    else {
        return (
            Parse::Invalid(
                format!("status line `{status_line}` has no three-digit status"),
                version.len() + 1,
            ),
            None,
        );
    };
    let reason = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    let mut offset = status_line.len() + 2;
    for line in lines {
        match line.split_once(':') {
            Some((n, v)) if !n.is_empty() && !n.contains(' ') => {
                headers.push((n.to_ascii_lowercase(), v.trim().to_string()));
            }
            _ => {
                return (
                    Parse::Invalid(format!("header line `{line}` has no `name: value`"), offset),
                    None,
                );
            }
        }
        offset += line.len() + 2;
    }
    let mut resp = Response {
        status,
        reason,
        headers,
        body: vec![],
        elapsed: Duration::ZERO,
        first_byte: Duration::ZERO,
    };
    let body_start = head_end + 4;
    let rest = &buf[body_start..];
    let no_body = status < 200 || status == 204 || status == 304;
    if no_body {
        return (Parse::Done(body_start), Some(resp));
    }
    if resp
        .header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        return match dechunk(rest) {
            Ok(Some((body, used))) => {
                resp.body = body;
                (Parse::Done(body_start + used), Some(resp))
            }
            Ok(None) => (Parse::Incomplete, None),
            Err((m, at)) => (Parse::Invalid(m, body_start + at), None),
        };
    }
    if let Some(cl) = resp.header("content-length") {
        let Ok(len) = cl.parse::<usize>() else {
            return (
                Parse::Invalid(format!("Content-Length `{cl}` is not a number"), 0),
                None,
            );
        };
        if rest.len() < len {
            return (Parse::Incomplete, None);
        }
        resp.body = rest[..len].to_vec();
        return (Parse::Done(body_start + len), Some(resp));
    }
    // No length: the body runs until the server closes the connection.
    if eof {
        resp.body = rest.to_vec();
        (Parse::Done(buf.len()), Some(resp))
    } else {
        (Parse::Incomplete, None)
    }
}

fn first_bad_status_byte(buf: &[u8]) -> Option<usize> {
    let want = b"HTTP/1.";
    buf.iter().zip(want.iter()).position(|(a, b)| a != b)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The largest chunk the checker accepts: a size beyond it is reported, not
/// waited for (and `pos + size` cannot overflow).
const MAX_CHUNK: usize = 1 << 30;

type Dechunked = Result<Option<(Vec<u8>, usize)>, (String, usize)>;

fn dechunk(buf: &[u8]) -> Dechunked {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        let Some(line_end) = find(&buf[pos..], b"\r\n") else {
            return Ok(None);
        };
        let size_text = String::from_utf8_lossy(&buf[pos..pos + line_end]);
        let size_hex = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            return Err((format!("chunk size `{size_hex}` is not hex"), pos));
        };
        if size > MAX_CHUNK {
            return Err((
                format!("chunk size `{size_hex}` is larger than the checker reads (1 GiB)"),
                pos,
            ));
        }
        pos += line_end + 2;
        if size == 0 {
            // Trailers end with an empty line.
            let Some(end) = find(&buf[pos..], b"\r\n") else {
                return Ok(None);
            };
            if end == 0 {
                return Ok(Some((body, pos + 2)));
            }
            let Some(t_end) = find(&buf[pos..], b"\r\n\r\n") else {
                return Ok(None);
            };
            return Ok(Some((body, pos + t_end + 4)));
        }
        // size ≤ MAX_CHUNK and pos ≤ buf.len(): no overflow.
        if buf.len() < pos + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&buf[pos..pos + size]);
        pos += size;
        if &buf[pos..pos + 2] != b"\r\n" {
            return Err(("a chunk does not end with CRLF".into(), pos));
        }
        pos += 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_and_pipelined_leftovers() {
        let raw =
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nhiHTTP/1.1 404 Not Found\r\n";
        let (p, r) = parse(raw, false);
        let r = r.unwrap();
        assert_eq!(p, Parse::Done(raw.len() - 24));
        assert_eq!(
            (r.status, r.body.as_slice(), r.header("x-a")),
            (200, &b"hi"[..], Some("b"))
        );
        assert_eq!(parse(&raw[raw.len() - 24..], false).0, Parse::Incomplete);
    }

    #[test]
    fn chunk_sizes_that_overflow_are_invalid() {
        for size in ["ffffffffffffffff", "fffffffffffffffff", "40000001"] {
            let raw =
                format!("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\nabc\r\n");
            let (p, _) = parse(raw.as_bytes(), false);
            assert!(matches!(p, Parse::Invalid(..)), "{size}: {p:?}");
        }
    }

    #[test]
    fn chunked_bodies() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        let (p, r) = parse(raw, false);
        assert_eq!(p, Parse::Done(raw.len()));
        assert_eq!(r.unwrap().body, b"abcde");
    }

    #[test]
    fn garbage_is_invalid_with_an_offset() {
        let (p, _) = parse(b"HTTX/1.1 200 OK\r\n", false);
        assert_eq!(
            p,
            Parse::Invalid("this is not an HTTP/1.x status line".into(), 3)
        );
        let (p, _) = parse(b"HTTP/1.1 abc\r\n\r\n", false);
        assert!(matches!(p, Parse::Invalid(_, 9)));
    }

    #[test]
    fn body_until_close() {
        let raw = b"HTTP/1.0 200 OK\r\n\r\nall of it";
        assert_eq!(parse(raw, false).0, Parse::Incomplete);
        assert_eq!(parse(raw, true).1.unwrap().body, b"all of it");
    }

    #[test]
    fn cookies() {
        let r = Response {
            headers: vec![
                ("set-cookie".into(), "a=1; Path=/".into()),
                ("set-cookie".into(), "sid=xyz; HttpOnly".into()),
            ],
            ..Default::default()
        };
        assert_eq!(r.cookie("sid").as_deref(), Some("xyz"));
        assert_eq!(r.cookie("nope"), None);
    }
}
