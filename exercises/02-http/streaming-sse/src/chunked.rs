//! `Transfer-Encoding: chunked`: a body sent in pieces, each with its size
//! in front, before its total length is known.
//!
//! ```text
//! HTTP/1.1 200 OK
//! Transfer-Encoding: chunked
//!
//! 6\r\n            size of the chunk, in hex
//! hello \r\n       the bytes, then CRLF
//! 5\r\n
//! world\r\n
//! 0\r\n            a chunk of size 0: the body is over
//! \r\n
//! ```

use std::io;

use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::http::reason;

/// The last chunk: size 0, and no trailer fields.
pub const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// One chunk on the wire: the length of `bytes` in hexadecimal, CRLF, the
/// bytes, CRLF. `bytes` must not be empty: an empty chunk ends the body.
pub fn chunk(bytes: &[u8]) -> Vec<u8> {
    // TODO(1): the size line is the length in hexadecimal (lowercase, no
    // `0x`: 300 bytes is `12c`) and CRLF; then the bytes; then CRLF. The
    // size counts bytes, not characters.
    todo!("TODO(1): frame {} bytes as a chunk", bytes.len())
}

/// Writes a chunked response piece by piece.
pub struct ChunkedWriter<'a, W> {
    out: &'a mut W,
}

impl<'a, W: AsyncWrite + Unpin> ChunkedWriter<'a, W> {
    /// Writes the status line and the headers, with `Transfer-Encoding:
    /// chunked` and no `Content-Length`.
    pub async fn begin(
        out: &'a mut W,
        status: u16,
        headers: &[(&str, &str)],
    ) -> io::Result<ChunkedWriter<'a, W>> {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Transfer-Encoding: chunked\r\n\r\n");
        out.write_all(head.as_bytes()).await?;
        Ok(ChunkedWriter { out })
    }

    /// Sends `bytes` as one chunk, at once: nothing waits in a buffer.
    /// Empty input sends nothing (an empty chunk would end the body).
    pub async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.out.write_all(&chunk(bytes)).await?;
        self.out.flush().await
    }

    /// Ends the body. The connection can carry the next response.
    pub async fn finish(self) -> io::Result<()> {
        self.out.write_all(LAST_CHUNK).await?;
        self.out.flush().await
    }
}

#[cfg(test)]
mod tests {
    use super::{ChunkedWriter, chunk};

    #[test]
    fn a_chunk_is_its_hex_size_then_the_bytes() {
        let message = "TODO(1): size in hex, CRLF, the bytes, CRLF";
        assert_eq!(chunk(b"hello"), b"5\r\nhello\r\n", "{message}");
        assert_eq!(chunk(b"a"), b"1\r\na\r\n", "{message}");
        let big = vec![b'x'; 300];
        let encoded = chunk(&big);
        assert!(
            encoded.starts_with(b"12c\r\nxxx"),
            "{message}: 300 bytes is 12c in hex, got {:?}",
            String::from_utf8_lossy(&encoded[..8.min(encoded.len())])
        );
        assert!(encoded.ends_with(b"xx\r\n"), "{message}");
        assert_eq!(encoded.len(), 3 + 2 + 300 + 2, "{message}");
    }

    #[tokio::test]
    async fn a_chunked_response_on_the_wire() -> std::io::Result<()> {
        let mut wire = Vec::new();
        let mut writer =
            ChunkedWriter::begin(&mut wire, 200, &[("Content-Type", "text/plain")]).await?;
        writer.send(b"hello ").await?;
        writer.send(b"").await?;
        writer.send(b"world").await?;
        writer.finish().await?;
        assert_eq!(
            String::from_utf8_lossy(&wire),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n\
             6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
            "TODO(1): every chunk framed by `chunk`, then the last chunk"
        );
        Ok(())
    }
}
