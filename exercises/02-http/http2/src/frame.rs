//! HTTP/2 frames: every byte on an HTTP/2 connection, after the client's
//! preface, is a frame.
//!
//! ```text
//! +-----------------------------------------------+
//! |                 Length (24)                   |  payload length, bytes
//! +---------------+---------------+---------------+
//! |   Type (8)    |   Flags (8)   |
//! +-+-------------+---------------+-------------------------------+
//! |R|                 Stream Identifier (31)                      |  0: the connection
//! +=+=============================================================+
//! |                   Frame Payload (Length bytes)              ...
//! +---------------------------------------------------------------+
//! ```

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt};

/// What a client sends first, before any frame, to say "HTTP/2".
pub const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// The largest frame payload either side may send without a SETTINGS that
/// says otherwise.
pub const MAX_FRAME_SIZE: usize = 16_384;

// Frame types.
pub const DATA: u8 = 0x0;
pub const HEADERS: u8 = 0x1;
pub const RST_STREAM: u8 = 0x3;
pub const SETTINGS: u8 = 0x4;
pub const PING: u8 = 0x6;
pub const GOAWAY: u8 = 0x7;
pub const WINDOW_UPDATE: u8 = 0x8;
pub const CONTINUATION: u8 = 0x9;

// Flags (their meaning depends on the type).
/// DATA, HEADERS: the last frame of this side of the stream.
pub const END_STREAM: u8 = 0x1;
/// SETTINGS, PING: this frame acknowledges the peer's.
pub const ACK: u8 = 0x1;
/// HEADERS, CONTINUATION: the header block is complete.
pub const END_HEADERS: u8 = 0x4;
/// DATA, HEADERS: the payload starts with a pad length and ends with padding.
pub const PADDED: u8 = 0x8;
/// HEADERS: the payload starts with 5 bytes of priority.
pub const PRIORITY: u8 = 0x20;

/// The 9 bytes in front of every frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// Length of the payload in bytes (24 bits).
    pub length: usize,
    pub kind: u8,
    pub flags: u8,
    /// The stream (31 bits; 0 is the connection itself).
    pub stream: u32,
}

impl FrameHeader {
    /// Reads the 9 bytes: 24-bit big-endian length, type, flags, then a
    /// reserved bit (ignored) and a 31-bit big-endian stream id.
    pub fn parse(bytes: [u8; 9]) -> FrameHeader {
        // TODO(1): bytes 0..3 are the payload length, big-endian (24 bits:
        // `u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]])`); byte 3 the
        // type, byte 4 the flags; bytes 5..9 the stream id, big-endian, whose
        // top bit is reserved and must be ignored (`& 0x7fff_ffff`).
        todo!("TODO(1): parse the frame header {bytes:02x?}")
    }

    /// The 9 bytes on the wire, the reserved bit 0.
    pub fn to_bytes(self) -> [u8; 9] {
        // TODO(1): the same layout, the other way: `to_be_bytes()` of the
        // length (keep its last 3 bytes) and of the stream id (reserved bit 0).
        todo!("TODO(1): write the frame header {self:?}")
    }
}

/// A frame: its header and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub header: FrameHeader,
    pub payload: Vec<u8>,
}

/// The bytes of one frame.
pub fn frame_bytes(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let header = FrameHeader {
        length: payload.len(),
        kind,
        flags,
        stream,
    };
    let mut bytes = header.to_bytes().to_vec();
    bytes.extend_from_slice(payload);
    bytes
}

/// Reads the next frame; `Ok(None)` when the peer closed the connection
/// between two frames.
pub async fn read_frame<R: AsyncRead + Unpin>(reader: &mut R) -> io::Result<Option<Frame>> {
    let mut head = [0u8; 9];
    match reader.read_exact(&mut head).await {
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(error) => return Err(error),
    }
    let header = FrameHeader::parse(head);
    if header.length > MAX_FRAME_SIZE {
        // FRAME_SIZE_ERROR: the peer broke the rules; the connection ends.
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {} bytes", header.length),
        ));
    }
    let mut payload = vec![0; header.length];
    reader.read_exact(&mut payload).await?;
    Ok(Some(Frame { header, payload }))
}

#[cfg(test)]
mod tests {
    use super::{FrameHeader, HEADERS, SETTINGS, frame_bytes};

    #[test]
    fn a_header_is_read_big_endian() {
        let header = FrameHeader::parse([0x00, 0x40, 0x01, 0x01, 0x05, 0x00, 0x00, 0x00, 0x03]);
        assert_eq!(
            header,
            FrameHeader {
                length: 16_385,
                kind: HEADERS,
                flags: 0x05,
                stream: 3
            },
            "TODO(1): 3 bytes of length, type, flags, 4 bytes of stream id, all big-endian"
        );
    }

    #[test]
    fn the_reserved_bit_is_not_part_of_the_stream_id() {
        let header = FrameHeader::parse([0, 0, 0, 0x0, 0x1, 0x80, 0, 0, 0x07]);
        assert_eq!(
            header.stream, 7,
            "TODO(1): the top bit of the stream id is reserved: mask it off (& 0x7fff_ffff)"
        );
    }

    #[test]
    fn a_header_round_trips() {
        let header = FrameHeader {
            length: 0x01_02_03,
            kind: SETTINGS,
            flags: 0x01,
            stream: 0x7fff_fffe,
        };
        assert_eq!(
            header.to_bytes(),
            [0x01, 0x02, 0x03, 0x04, 0x01, 0x7f, 0xff, 0xff, 0xfe],
            "TODO(1): to_bytes writes the same layout"
        );
        assert_eq!(FrameHeader::parse(header.to_bytes()), header, "TODO(1)");
        assert_eq!(
            frame_bytes(SETTINGS, 0, 0, &[]),
            [0, 0, 0, 4, 0, 0, 0, 0, 0]
        );
    }
}
