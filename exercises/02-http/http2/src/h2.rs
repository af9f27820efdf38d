//! One HTTP/2 connection: many requests at once, each on its own stream.
//!
//! ```text
//! client                                    server
//!   preface, SETTINGS           -------->
//!                               <--------   SETTINGS, SETTINGS(ACK)
//!   HEADERS(1: GET /slow)       -------->   stream 1: a task
//!   HEADERS(3: GET /echo/hi)    -------->   stream 3: a task
//!                               <--------   HEADERS(3) DATA(3, END_STREAM)
//!                               <--------   HEADERS(1) DATA(1, END_STREAM)
//!   stream 3 was answered first: nothing waits for stream 1
//! ```
//!
//! One task reads frames and hands each complete request to a task of its
//! own; the answers go through a channel to one writer task, the only one
//! that writes to the socket, so the frames of two answers never mix.

use std::collections::HashMap;
use std::io;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::app::{self, Request, Response};
#[allow(unused_imports)] // TODO(2) and TODO(4) need ACK, PING, MAX_FRAME_SIZE
use crate::frame::{
    ACK, CONTINUATION, DATA, END_HEADERS, END_STREAM, Frame, GOAWAY, HEADERS, MAX_FRAME_SIZE,
    PADDED, PING, PRIORITY, RST_STREAM, SETTINGS, WINDOW_UPDATE, frame_bytes, read_frame,
};
#[allow(unused_imports)] // TODO(4) needs hpack::encode
use crate::hpack::{self, Decoder};

/// A stream whose request is still arriving.
#[derive(Debug, Default)]
struct Open {
    /// The header block so far (HEADERS, then CONTINUATION frames).
    block: Vec<u8>,
    method: String,
    path: String,
    body: Vec<u8>,
    /// The client sent END_STREAM: the request is complete.
    ended: bool,
}

/// The reply a SETTINGS or PING frame calls for: a SETTINGS with ACK and
/// no payload, or a PING with ACK and the same 8 bytes. `None` for every
/// other frame, and for frames that are themselves acknowledgements.
pub fn control_reply(frame: &Frame) -> Option<Vec<u8>> {
    // TODO(2): a SETTINGS frame without the ACK flag is acknowledged with
    // an empty SETTINGS frame with ACK on stream 0; a PING without ACK is
    // answered with a PING with ACK and the same 8-byte payload. Anything
    // else (acknowledgements included) needs no reply: `None`.
    // (`frame_bytes(kind, flags, stream, payload)` builds a frame.)
    todo!(
        "TODO(2): the reply to a frame of type {}",
        frame.header.kind
    )
}

/// The frames of a response on `stream`: one HEADERS frame (END_HEADERS;
/// END_STREAM too if there is no body), then the body in DATA frames of at
/// most MAX_FRAME_SIZE bytes, the last one with END_STREAM.
pub fn response_frames(stream: u32, response: &Response) -> Vec<u8> {
    // TODO(4): one HEADERS frame on `stream` whose payload is
    // `hpack::encode(&fields)`, with `:status` first, then the response's
    // headers, then `content-length`; flags END_HEADERS, and END_STREAM too
    // when the body is empty. Then the body in DATA frames of at most
    // MAX_FRAME_SIZE bytes (`chunks`), END_STREAM on the last one only.
    todo!(
        "TODO(4): frame a {} response on stream {stream}",
        response.status
    )
}

/// Serves one HTTP/2 connection whose preface was already read.
pub async fn serve<R, W>(mut reader: R, writer: W) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (to_writer, from_readers) = mpsc::channel::<Vec<u8>>(64);
    let writer_task = tokio::spawn(write_all_frames(writer, from_readers));
    // Our SETTINGS first: empty, every setting at its default.
    send(&to_writer, frame_bytes(SETTINGS, 0, 0, &[])).await?;

    let mut decoder = Decoder::default();
    let mut open: HashMap<u32, Open> = HashMap::new();
    while let Some(frame) = read_frame(&mut reader).await? {
        if let Some(reply) = control_reply(&frame) {
            send(&to_writer, reply).await?;
            continue;
        }
        let id = frame.header.stream;
        let flags = frame.header.flags;
        match frame.header.kind {
            HEADERS | CONTINUATION => {
                let fragment = if frame.header.kind == HEADERS {
                    headers_fragment(&frame)?
                } else {
                    &frame.payload[..]
                };
                let stream = open.entry(id).or_default();
                stream.block.extend_from_slice(fragment);
                stream.ended |= flags & END_STREAM != 0;
                if flags & END_HEADERS != 0 {
                    let block = std::mem::take(&mut stream.block);
                    for (name, value) in decoder.decode(&block).map_err(invalid)? {
                        match name.as_str() {
                            ":method" => stream.method = value,
                            ":path" => stream.path = value,
                            _ => {}
                        }
                    }
                }
            }
            DATA => {
                let body = data_payload(&frame)?;
                if let Some(stream) = open.get_mut(&id) {
                    stream.body.extend_from_slice(body);
                    stream.ended |= flags & END_STREAM != 0;
                }
                // Give the flow-control credit back, to the stream and to
                // the connection, or the client stops after 65,535 bytes.
                if !frame.payload.is_empty() {
                    let credit = (frame.payload.len() as u32).to_be_bytes();
                    send(&to_writer, frame_bytes(WINDOW_UPDATE, 0, 0, &credit)).await?;
                    if flags & END_STREAM == 0 {
                        send(&to_writer, frame_bytes(WINDOW_UPDATE, 0, id, &credit)).await?;
                    }
                }
            }
            RST_STREAM => {
                open.remove(&id);
            }
            GOAWAY => break,
            // PRIORITY, WINDOW_UPDATE and the rest: nothing to do here.
            _ => {}
        }
        // A complete request: its header block decoded, END_STREAM seen.
        if open.get(&id).is_some_and(|s| s.ended && s.block.is_empty()) {
            let stream = open.remove(&id).unwrap_or_default();
            answer(id, stream, to_writer.clone()).await;
        }
    }
    // The writer ends once every task holding a sender is done.
    drop(to_writer);
    writer_task
        .await
        .map_err(|error| io::Error::other(error.to_string()))?
}

/// Answers the complete request of stream `id`: the response frames go to
/// the writer task.
async fn answer(id: u32, stream: Open, to_writer: mpsc::Sender<Vec<u8>>) {
    let request = Request {
        method: stream.method,
        path: stream.path,
        body: stream.body,
    };
    // TODO(3): the frame loop awaits this function, so while one stream is
    // answered here no frame of any other stream is read: 20 slow requests
    // on one connection take 20 times as long as one. Run the answer in a
    // task of its own (`tokio::spawn(async move { .. })`): this function
    // then returns at once, and the loop goes back to reading frames.
    let mut response = app::respond(&request).await;
    response
        .headers
        .push(("x-stream-id".to_string(), id.to_string()));
    // The connection may be gone by now: nothing to do then.
    let _ = to_writer.send(response_frames(id, &response)).await;
}

/// Writes what the channel brings, until every sender is gone.
async fn write_all_frames<W: AsyncWrite + Unpin>(
    mut writer: W,
    mut frames: mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    while let Some(bytes) = frames.recv().await {
        writer.write_all(&bytes).await?;
    }
    writer.shutdown().await
}

async fn send(to_writer: &mpsc::Sender<Vec<u8>>, bytes: Vec<u8>) -> io::Result<()> {
    to_writer
        .send(bytes)
        .await
        .map_err(|_| io::Error::other("the writer is gone"))
}

/// The header block fragment of a HEADERS frame: without padding and
/// without the priority fields.
fn headers_fragment(frame: &Frame) -> io::Result<&[u8]> {
    let mut payload = unpad(frame)?;
    if frame.header.flags & PRIORITY != 0 {
        payload = payload.get(5..).ok_or_else(|| invalid("short PRIORITY"))?;
    }
    Ok(payload)
}

/// The data of a DATA frame, without padding.
fn data_payload(frame: &Frame) -> io::Result<&[u8]> {
    unpad(frame)
}

fn unpad(frame: &Frame) -> io::Result<&[u8]> {
    let payload = &frame.payload[..];
    if frame.header.flags & PADDED == 0 {
        return Ok(payload);
    }
    let (&pad, rest) = payload
        .split_first()
        .ok_or_else(|| invalid("empty PADDED"))?;
    rest.len()
        .checked_sub(usize::from(pad))
        .map(|end| &rest[..end])
        .ok_or_else(|| invalid("padding longer than the frame"))
}

fn invalid(error: impl ToString) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::{control_reply, response_frames};
    use crate::app::Response;
    use crate::frame::{
        ACK, DATA, END_HEADERS, END_STREAM, Frame, FrameHeader, HEADERS, MAX_FRAME_SIZE, PING,
        SETTINGS, WINDOW_UPDATE,
    };
    use crate::hpack::Decoder;

    fn frame(kind: u8, flags: u8, payload: &[u8]) -> Frame {
        Frame {
            header: FrameHeader {
                length: payload.len(),
                kind,
                flags,
                stream: 0,
            },
            payload: payload.to_vec(),
        }
    }

    /// Splits bytes back into frames.
    fn frames(mut bytes: &[u8]) -> Vec<Frame> {
        let mut out = Vec::new();
        while bytes.len() >= 9 {
            let header = FrameHeader::parse(bytes[..9].try_into().unwrap());
            let payload = bytes[9..9 + header.length].to_vec();
            bytes = &bytes[9 + header.length..];
            out.push(Frame { header, payload });
        }
        out
    }

    #[test]
    fn settings_and_pings_are_acknowledged() {
        let reply = control_reply(&frame(SETTINGS, 0, &[0, 3, 0, 0, 0, 100]));
        assert_eq!(
            reply.as_deref(),
            Some(&[0, 0, 0, SETTINGS, ACK, 0, 0, 0, 0][..]),
            "TODO(2): a SETTINGS is acknowledged with an empty SETTINGS with the ACK flag"
        );
        let reply = control_reply(&frame(PING, 0, b"12345678"));
        let mut expected = vec![0, 0, 8, PING, ACK, 0, 0, 0, 0];
        expected.extend_from_slice(b"12345678");
        assert_eq!(
            reply,
            Some(expected),
            "TODO(2): a PING is answered with a PING with ACK and the same 8 bytes"
        );
    }

    #[test]
    fn acknowledgements_and_other_frames_get_no_reply() {
        assert_eq!(control_reply(&frame(SETTINGS, ACK, &[])), None, "TODO(2)");
        assert_eq!(
            control_reply(&frame(PING, ACK, b"12345678")),
            None,
            "TODO(2)"
        );
        assert_eq!(
            control_reply(&frame(WINDOW_UPDATE, 0, &[0, 0, 1, 0])),
            None,
            "TODO(2)"
        );
    }

    #[test]
    fn a_short_response_is_headers_then_one_data_frame() {
        let response = Response::text(200, b"hello");
        let sent = frames(&response_frames(5, &response));
        assert_eq!(sent.len(), 2, "TODO(4): HEADERS, then one DATA frame");
        assert_eq!(sent[0].header.kind, HEADERS, "TODO(4)");
        assert_eq!(sent[0].header.stream, 5, "TODO(4): on the request's stream");
        assert_eq!(
            sent[0].header.flags, END_HEADERS,
            "TODO(4): END_HEADERS, not END_STREAM"
        );
        let fields = Decoder::default()
            .decode(&sent[0].payload)
            .expect("an HPACK block");
        assert!(
            fields.contains(&(":status".to_string(), "200".to_string())),
            "TODO(4): the block starts with :status: {fields:?}"
        );
        assert_eq!(sent[1].header.kind, DATA, "TODO(4)");
        assert_eq!(
            sent[1].header.flags, END_STREAM,
            "TODO(4): the last DATA ends the stream"
        );
        assert_eq!(sent[1].payload, b"hello", "TODO(4)");
    }

    #[test]
    fn a_large_body_is_split_into_frames_of_16_kib() {
        let response = Response::text(200, &vec![b'x'; 40_000]);
        let sent = frames(&response_frames(7, &response));
        let sizes: Vec<usize> = sent[1..].iter().map(|f| f.header.length).collect();
        assert_eq!(
            sizes,
            [MAX_FRAME_SIZE, MAX_FRAME_SIZE, 40_000 - 2 * MAX_FRAME_SIZE],
            "TODO(4): DATA frames of at most MAX_FRAME_SIZE bytes"
        );
        let ends: Vec<bool> = sent[1..]
            .iter()
            .map(|f| f.header.flags & END_STREAM != 0)
            .collect();
        assert_eq!(
            ends,
            [false, false, true],
            "TODO(4): only the last ends the stream"
        );
    }

    #[test]
    fn an_empty_body_ends_the_stream_with_the_headers() {
        let response = Response {
            status: 204,
            headers: Vec::new(),
            body: Vec::new(),
        };
        let sent = frames(&response_frames(9, &response));
        assert_eq!(sent.len(), 1, "TODO(4): no DATA frame for an empty body");
        assert_eq!(
            sent[0].header.flags,
            END_HEADERS | END_STREAM,
            "TODO(4): the HEADERS frame ends the stream"
        );
    }
}
