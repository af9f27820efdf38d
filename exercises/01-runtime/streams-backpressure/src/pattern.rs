//! A source of bytes that is never all in memory: `0123456789` repeated up
//! to a given length. It stands for a large file, a database export, an
//! object in a bucket: something read piece by piece.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};

/// The bytes repeated.
pub const DIGITS: &[u8; 10] = b"0123456789";

/// `len` bytes of `0123456789` repeated, as an `AsyncRead`.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// How many bytes were produced so far.
    position: u64,
    len: u64,
}

impl Pattern {
    pub fn new(len: u64) -> Pattern {
        Pattern { position: 0, len }
    }
}

impl AsyncRead for Pattern {
    /// Fills as much of `buf` as it has room for (`buf.remaining()`) and as
    /// the pattern has bytes left, then returns `Ready(Ok(()))`. Nothing
    /// written and `Ready(Ok(()))` means the end.
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        // TODO(1): fill as much of `buf` as it has room for, but never more
        // than what is left of the `len` bytes, continuing the pattern
        // exactly where the previous call stopped. The bytes are always
        // ready, so this never waits. The contract of `poll_read`: a call
        // that puts nothing into a `buf` with room means "the end", and only
        // then.
        let len = self.len;
        let position = &mut self.position;
        let _ = (buf, DIGITS, len, position);
        todo!("TODO(1): produce the next bytes of the pattern")
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncReadExt;

    use super::Pattern;

    #[tokio::test]
    async fn the_pattern_repeats_the_digits() {
        let mut out = String::new();
        Pattern::new(25).read_to_string(&mut out).await.unwrap();
        assert_eq!(
            out, "0123456789012345678901234",
            "TODO(1): 25 bytes of 0123456789 repeated"
        );
    }

    #[tokio::test]
    async fn nothing_past_the_end() {
        let mut out = Vec::new();
        Pattern::new(0).read_to_end(&mut out).await.unwrap();
        assert!(out.is_empty(), "TODO(1): a pattern of length 0 is empty");
        let mut pattern = Pattern::new(3);
        let mut buf = [0u8; 8];
        assert_eq!(pattern.read(&mut buf).await.unwrap(), 3, "TODO(1)");
        assert_eq!(
            pattern.read(&mut buf).await.unwrap(),
            0,
            "TODO(1): after the last byte, a read of 0 bytes says: the end"
        );
    }

    #[tokio::test]
    async fn a_small_buffer_gets_no_more_than_it_holds() {
        let mut pattern = Pattern::new(100);
        let mut buf = [0u8; 7];
        assert_eq!(pattern.read(&mut buf).await.unwrap(), 7, "TODO(1)");
        assert_eq!(&buf, b"0123456", "TODO(1)");
        assert_eq!(pattern.read(&mut buf).await.unwrap(), 7, "TODO(1)");
        assert_eq!(
            &buf, b"7890123",
            "TODO(1): the next read goes on where the last one stopped"
        );
    }

    #[tokio::test]
    async fn a_large_pattern_is_exact() {
        let mut out = Vec::new();
        let len = 1_000_003;
        Pattern::new(len).read_to_end(&mut out).await.unwrap();
        assert_eq!(out.len() as u64, len, "TODO(1)");
        assert!(
            out.iter()
                .enumerate()
                .all(|(i, byte)| *byte == b'0' + (i % 10) as u8),
            "TODO(1): byte i is the digit i % 10"
        );
    }
}
