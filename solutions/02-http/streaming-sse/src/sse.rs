//! Server-Sent Events: a response that never ends, made of events.
//!
//! ```text
//! HTTP/1.1 200 OK
//! Content-Type: text/event-stream
//! Cache-Control: no-cache
//! Transfer-Encoding: chunked
//!
//! retry: 2000              reconnect after 2 s if the stream breaks
//!
//! id: 1                    the browser remembers the last id...
//! event: message
//! data: first line         ...one data: line per line of the text
//! data: second line
//!                          a blank line ends the event
//! : keep-alive             a comment: keeps proxies from closing the stream
//! ```
//!
//! After a reconnect the browser sends `Last-Event-ID: 1`, and the stream
//! goes on from id 2: nothing missed, nothing twice.

use std::io;
use std::time::Duration;

use tokio::io::AsyncWrite;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use crate::chunked::ChunkedWriter;
use crate::feed::Feed;

/// How long a client waits before reconnecting, announced with `retry:`.
pub const RETRY_MS: u64 = 2000;

/// How often an idle stream sends a comment line. Proxies and load
/// balancers close connections that stay silent (often after 60 s).
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// One event in the `text/event-stream` format: `id:`, `event:`, one
/// `data:` line per line of `data`, then a blank line.
pub fn format_event(id: u64, event: &str, data: &str) -> String {
    let mut out = format!("id: {id}\nevent: {event}\n");
    // A newline inside a data: line would end the field early, and the
    // rest would be read as another field. Each line gets its own data:.
    for line in data.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The id to resume after, from a `Last-Event-ID` header: 0 (from the
/// start) when there is none or it is not a number.
pub fn last_event_id(header: Option<&str>) -> u64 {
    header
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0)
}

/// Writes the response to `GET /events`: the head, `retry:`, the messages
/// of the log with an id above `after`, then each new message as it is
/// published, and a comment every `heartbeat` while nothing happens.
/// Returns when a write fails: the client has gone.
pub async fn stream_events<W: AsyncWrite + Unpin>(
    feed: &Feed,
    after: u64,
    out: &mut W,
    heartbeat: Duration,
) -> io::Result<()> {
    // Subscribe first, read the log second. A message published between
    // the two is then in both (and skipped once, by its id); the other
    // order would miss it.
    let mut live = feed.subscribe();
    let headers = [
        ("Content-Type", "text/event-stream"),
        ("Cache-Control", "no-cache"),
    ];
    let mut stream = ChunkedWriter::begin(out, 200, &headers).await?;
    stream
        .send(format!("retry: {RETRY_MS}\n\n").as_bytes())
        .await?;

    let mut sent = after;
    for message in feed.since(sent) {
        stream
            .send(format_event(message.id, "message", &message.text).as_bytes())
            .await?;
        sent = message.id;
    }

    let mut beat = tokio::time::interval_at(Instant::now() + heartbeat, heartbeat);
    loop {
        tokio::select! {
            received = live.recv() => match received {
                // Already sent from the log.
                Ok(message) if message.id <= sent => {}
                Ok(message) => {
                    stream
                        .send(format_event(message.id, "message", &message.text).as_bytes())
                        .await?;
                    sent = message.id;
                }
                // This stream fell behind the channel: catch up from the log.
                Err(RecvError::Lagged(_)) => {
                    for message in feed.since(sent) {
                        stream
                            .send(format_event(message.id, "message", &message.text).as_bytes())
                            .await?;
                        sent = message.id;
                    }
                }
                // The feed is gone (the server is stopping): end the body.
                Err(RecvError::Closed) => return stream.finish().await,
            },
            _ = beat.tick() => stream.send(b": keep-alive\n\n").await?,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, DuplexStream};

    use super::{HEARTBEAT, format_event, last_event_id, stream_events};
    use crate::feed::Feed;

    #[test]
    fn an_event_has_its_id_type_and_data() {
        assert_eq!(
            format_event(7, "message", "hello"),
            "id: 7\nevent: message\ndata: hello\n\n",
            "TODO(3): id, event and data lines, then a blank line"
        );
    }

    #[test]
    fn every_line_of_the_data_gets_its_own_data_field() {
        assert_eq!(
            format_event(8, "message", "first\nsecond\r\nthird"),
            "id: 8\nevent: message\ndata: first\ndata: second\ndata: third\n\n",
            "TODO(3): a newline inside a data: line would end the field; \
             split the text into lines, one data: each"
        );
        assert_eq!(
            format_event(9, "message", ""),
            "id: 9\nevent: message\ndata: \n\n",
            "TODO(3): an empty text is one empty data: line"
        );
    }

    #[test]
    fn last_event_id_is_a_number_or_zero() {
        assert_eq!(last_event_id(Some("41")), 41);
        assert_eq!(last_event_id(Some(" 3 ")), 3);
        assert_eq!(last_event_id(Some("abc")), 0);
        assert_eq!(last_event_id(None), 0);
    }

    /// Starts `stream_events` on one end of an in-memory pipe, and returns
    /// the other end, where the client reads.
    fn open(feed: &Arc<Feed>, after: u64, heartbeat: Duration) -> DuplexStream {
        let (mut server, client) = tokio::io::duplex(64 * 1024);
        let feed = Arc::clone(feed);
        tokio::spawn(async move {
            let _ = stream_events(&feed, after, &mut server, heartbeat).await;
        });
        client
    }

    /// Reads until `needle` has arrived; everything read so far, or a panic
    /// with `todo` after 2 s.
    async fn read_until(client: &mut DuplexStream, needle: &str, todo: &str) -> String {
        let mut seen = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
        while !String::from_utf8_lossy(&seen).contains(needle) {
            let mut buf = [0; 4096];
            match tokio::time::timeout_at(deadline, client.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => seen.extend_from_slice(&buf[..n]),
                _ => panic!(
                    "{todo}: waited 2 s for {needle:?}; the stream sent {:?}",
                    String::from_utf8_lossy(&seen)
                ),
            }
        }
        String::from_utf8_lossy(&seen).into_owned()
    }

    #[tokio::test]
    async fn the_stream_starts_with_its_head_and_retry() {
        let feed = Arc::new(Feed::default());
        let mut client = open(&feed, 0, HEARTBEAT);
        let seen = read_until(&mut client, "retry: 2000\n\n", "TODO(4)").await;
        for header in ["Content-Type: text/event-stream", "Cache-Control: no-cache"] {
            assert!(seen.contains(header), "TODO(4): no `{header}` in {seen:?}");
        }
    }

    #[tokio::test]
    async fn the_log_is_sent_then_new_messages_as_they_come() {
        let feed = Arc::new(Feed::default());
        feed.publish("one");
        feed.publish("two");
        let mut client = open(&feed, 0, HEARTBEAT);
        let seen = read_until(&mut client, "data: two\n\n", "TODO(4): the log first").await;
        assert!(
            seen.contains("id: 1\nevent: message\ndata: one\n\n"),
            "TODO(4): {seen:?}"
        );
        // Published after the client connected: must arrive too.
        feed.publish("three");
        read_until(
            &mut client,
            "id: 3\nevent: message\ndata: three\n\n",
            "TODO(4): a message published while the stream is open must reach it \
             (feed.subscribe(), then `recv().await` in a loop)",
        )
        .await;
    }

    #[tokio::test]
    async fn a_resumed_stream_starts_after_the_last_event_id() {
        let feed = Arc::new(Feed::default());
        for text in ["one", "two", "three"] {
            feed.publish(text);
        }
        let mut client = open(&feed, 2, HEARTBEAT);
        let seen = read_until(&mut client, "data: three\n\n", "TODO(4): resume after 2").await;
        assert!(
            !seen.contains("data: one") && !seen.contains("data: two"),
            "TODO(4): after Last-Event-ID 2 only id 3 is sent again, got {seen:?}"
        );
        feed.publish("four");
        let seen = read_until(&mut client, "data: four\n\n", "TODO(4): then live").await;
        assert!(
            !seen.contains("data: three"),
            "TODO(4): id 3 was sent twice (from the log, then live): skip live \
             messages whose id was already sent, got {seen:?}"
        );
    }

    #[tokio::test]
    async fn an_idle_stream_sends_a_heartbeat_comment() {
        let feed = Arc::new(Feed::default());
        let mut client = open(&feed, 0, Duration::from_millis(50));
        read_until(
            &mut client,
            "\n: ",
            "TODO(5): with nothing to send, a comment line (`: keep-alive`) every heartbeat",
        )
        .await;
    }

    #[tokio::test]
    async fn the_stream_ends_when_the_client_goes() {
        let feed = Arc::new(Feed::default());
        let (mut server, client) = tokio::io::duplex(64 * 1024);
        let task = tokio::spawn(async move {
            stream_events(&feed, 0, &mut server, Duration::from_millis(20)).await
        });
        drop(client);
        let ended = tokio::time::timeout(Duration::from_secs(2), task).await;
        assert!(
            matches!(ended, Ok(Ok(Err(_)))),
            "TODO(5): the client left, but the stream went on: a failed write \
             (the heartbeat's, at the latest) must end stream_events with the error (`?`)"
        );
    }
}
