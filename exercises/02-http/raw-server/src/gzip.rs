//! Compressing responses for clients that ask for it.

use std::io::{self, Write};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::http::Response;

/// Whether an `Accept-Encoding` value lists gzip, e.g. `deflate, gzip;q=0.8`.
/// Coding names ignore case; `q=0` means "not acceptable".
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    // TODO(6): the value is a list of codings separated by commas, each
    // maybe with parameters after `;` (`br;q=1.0, gzip;q=0.5`), with
    // optional spaces around the parts. gzip is acceptable when an item
    // names it (in any case) with a weight `q` above 0; an item without a
    // weight weighs 1.
    let _ = accept_encoding;
    false
}

/// Compresses `response` when the client's `Accept-Encoding` lists gzip,
/// and leaves it as it is otherwise.
pub fn encode(response: Response, accept_encoding: Option<&str>) -> io::Result<Response> {
    if response.body.is_empty() {
        return Ok(response);
    }
    // TODO(6): a client that accepts gzip gets the body compressed, and the
    // response says which coding it carries; the Content-Length must be
    // that of the bytes sent. Whether compressed or not, the response also
    // tells caches that its body depends on the request's Accept-Encoding.
    let _ = accept_encoding;
    Ok(response)
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
