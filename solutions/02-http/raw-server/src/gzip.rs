//! Compressing responses for clients that ask for it.

use std::io::{self, Write};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::http::Response;

/// Whether an `Accept-Encoding` value lists gzip, e.g. `deflate, gzip;q=0.8`.
/// Coding names ignore case; `q=0` means "not acceptable".
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        let weight = parts
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
        coding.eq_ignore_ascii_case("gzip") && weight > 0.0
    })
}

/// Compresses `response` when the client's `Accept-Encoding` lists gzip,
/// and leaves it as it is otherwise.
pub fn encode(response: Response, accept_encoding: Option<&str>) -> io::Result<Response> {
    if response.body.is_empty() {
        return Ok(response);
    }
    // The body depends on Accept-Encoding: a cache must know that.
    let response = response.with_header("Vary", "Accept-Encoding");
    if !accept_encoding.is_some_and(accepts_gzip) {
        return Ok(response);
    }
    let compressed = gzip(&response.body)?;
    Ok(response
        .with_header("Content-Encoding", "gzip")
        .with_body(compressed))
}

/// The gzip encoding of `bytes`.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use flate2::read::GzDecoder;

    use super::{accepts_gzip, encode};
    use crate::http::Response;

    fn content_encoding(response: &Response) -> Option<&str> {
        response
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-encoding"))
            .map(|(_, value)| value.as_str())
    }

    #[test]
    fn gzip_is_accepted_when_listed() {
        for value in [
            "gzip",
            "GZIP",
            "deflate, gzip",
            "br;q=1.0, gzip;q=0.5",
            " deflate ,  gzip ; q=0.8 ",
        ] {
            assert!(
                accepts_gzip(value),
                "TODO(6): Accept-Encoding: {value:?} lists gzip"
            );
        }
    }

    #[test]
    fn gzip_is_not_accepted_otherwise() {
        for value in [
            "",
            "identity",
            "deflate, br",
            "zstd",
            "gzipped",
            "gzip;q=0",
            "gzip; q=0.0",
        ] {
            assert!(
                !accepts_gzip(value),
                "TODO(6): Accept-Encoding: {value:?} does not accept gzip"
            );
        }
    }

    #[test]
    fn accepted_gzip_compresses_the_body() -> std::io::Result<()> {
        let response = encode(Response::text(200, "hello hello hello"), Some("br, gzip"))?;
        assert_eq!(
            content_encoding(&response),
            Some("gzip"),
            "TODO(6): a gzipped response says Content-Encoding: gzip"
        );
        let mut decoded = String::new();
        GzDecoder::new(response.body.as_slice()).read_to_string(&mut decoded)?;
        assert_eq!(decoded, "hello hello hello");
        Ok(())
    }

    #[test]
    fn unknown_encodings_leave_the_body_alone() -> std::io::Result<()> {
        for accept in [None, Some("br, zstd")] {
            let response = encode(Response::text(200, "hello"), accept)?;
            assert_eq!(content_encoding(&response), None);
            assert_eq!(response.body, b"hello");
        }
        Ok(())
    }
}
