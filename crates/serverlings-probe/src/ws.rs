//! WebSocket sessions: several clients, a script of sends and expected
//! messages, every read bounded by the step's deadline.

use futures_util::{SinkExt, StreamExt};
use serverlings_core::assert::text_assert;
use serverlings_core::spec::{Assert, WsAction, WsKind, WsSession};
use std::collections::HashMap;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Why a session failed, with the transcript so far.
#[derive(Debug)]
pub struct WsFailure {
    pub summary: String,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub hint: String,
    pub transcript: Vec<String>,
}

/// What a client received next.
enum Got {
    Text(String),
    Binary(Vec<u8>),
    Pong(Vec<u8>),
    Close(Option<u16>),
    Ended,
    Nothing,
}

fn show(g: &Got) -> String {
    match g {
        Got::Text(t) => format!("text {t:?}"),
        Got::Binary(b) => format!("binary {}", serverlings_core::response::show_bytes(b, 80)),
        Got::Pong(p) => format!("pong {:?}", String::from_utf8_lossy(p)),
        Got::Close(Some(c)) => format!("a close frame with code {c}"),
        Got::Close(None) => "a close frame".into(),
        Got::Ended => "the connection ended".into(),
        Got::Nothing => "nothing".into(),
    }
}

async fn next(ws: &mut Ws, deadline: tokio::time::Instant, want_pong: bool) -> Got {
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return Got::Nothing,
            Ok(None) | Ok(Some(Err(_))) => return Got::Ended,
            Ok(Some(Ok(m))) => match m {
                Message::Text(t) => return Got::Text(t.to_string()),
                Message::Binary(b) => return Got::Binary(b.to_vec()),
                Message::Pong(p) if want_pong => return Got::Pong(p.to_vec()),
                Message::Close(f) => return Got::Close(f.map(|f| u16::from(f.code))),
                // Pings are answered by the library; stray pongs and raw
                // frames are not messages.
                _ => {}
            },
        }
    }
}

pub async fn run(
    addr: &str,
    session: &WsSession,
    vars: &HashMap<String, String>,
    timeout: Duration,
) -> Result<Vec<String>, WsFailure> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut transcript = Vec::new();
    let mut clients: Vec<Ws> = Vec::new();
    for n in 1..=session.clients {
        let path = session.paths.get(n - 1).unwrap_or(&session.path);
        let url = format!("ws://{addr}{}", path.render(vars));

        let mut req = url.as_str().into_client_request().map_err(|e| WsFailure {
            summary: format!("cannot build the upgrade request for {url}: {e}"),
            expected: None,
            actual: None,
            hint: "check the step's path".into(),
            transcript: vec![],
        })?;
        for (k, v) in &session.headers {
            if let (Ok(name), Ok(value)) = (
                tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(k.as_bytes()),
                tokio_tungstenite::tungstenite::http::HeaderValue::from_str(&v.render(vars)),
            ) {
                req.headers_mut().insert(name, value);
            }
        }
        let connected =
            tokio::time::timeout_at(deadline, tokio_tungstenite::connect_async(req)).await;
        match connected {
            Ok(Ok((ws, _))) => {
                transcript.push(format!("client {n}: connected to {url}"));
                clients.push(ws);
            }
            Ok(Err(tokio_tungstenite::tungstenite::Error::Http(resp))) => {
                return Err(WsFailure {
                    summary: format!("client {n}: the upgrade was answered with {} instead of 101 Switching Protocols", resp.status()),
                    expected: Some("101 Switching Protocols".into()),
                    actual: Some(resp.status().to_string()),
                    hint: "answer the upgrade on this path: check the route and that the handler accepts the WebSocket upgrade".into(),
                    transcript,
                });
            }
            Ok(Err(e)) => {
                return Err(WsFailure {
                    summary: format!("client {n}: the WebSocket handshake failed: {e}"),
                    expected: None,
                    actual: None,
                    hint: "is the server listening, and does it answer the upgrade with the Sec-WebSocket-Accept header?".into(),
                    transcript,
                });
            }
            Err(_) => {
                return Err(WsFailure {
                    summary: format!(
                        "client {n}: no handshake answer within {}",
                        serverlings_core::duration::show(timeout)
                    ),
                    expected: None,
                    actual: None,
                    hint: "the server accepted the connection but never completed the upgrade"
                        .into(),
                    transcript,
                });
            }
        }
    }
    for (i, WsAction { client, kind }) in session.script.iter().enumerate() {
        let ws = &mut clients[client - 1];
        let fail = |summary: String,
                    expected: String,
                    actual: String,
                    hint: &str,
                    transcript: &Vec<String>| WsFailure {
            summary: format!("script entry {}: {summary}", i + 1),
            expected: Some(expected),
            actual: Some(actual),
            hint: hint.to_string(),
            transcript: transcript.clone(),
        };
        match kind {
            WsKind::SendText(t) => {
                let text = t.render(vars);
                transcript.push(format!("client {client} > {text:?}"));
                if ws.send(Message::text(text)).await.is_err() {
                    return Err(fail(
                        format!("client {client} could not send"),
                        "an open connection".into(),
                        "closed".into(),
                        "the server closed this client's connection",
                        &transcript,
                    ));
                }
            }
            WsKind::SendBinary(b) => {
                transcript.push(format!("client {client} > binary {} bytes", b.len()));
                if ws.send(Message::binary(b.clone())).await.is_err() {
                    return Err(fail(
                        format!("client {client} could not send"),
                        "an open connection".into(),
                        "closed".into(),
                        "the server closed this client's connection",
                        &transcript,
                    ));
                }
            }
            WsKind::Expect(a) => {
                let got = next(ws, deadline, false).await;
                transcript.push(format!("client {client} < {}", show(&got)));
                let Got::Text(t) = &got else {
                    return Err(fail(
                        format!("client {client} expected a text message"),
                        describe(a, vars),
                        show(&got),
                        "send the message to every client that should receive it (a broadcast channel per room is the usual shape)",
                        &transcript,
                    ));
                };
                if let Some(m) =
                    text_assert(&format!("client {client}'s message"), a, Some(t), vars)
                {
                    return Err(fail(
                        format!("client {client} received the wrong message"),
                        m.expected,
                        m.actual,
                        "compare the message with what the exercise asks",
                        &transcript,
                    ));
                }
            }
            WsKind::ExpectBinary(want) => {
                let got = next(ws, deadline, false).await;
                transcript.push(format!("client {client} < {}", show(&got)));
                if !matches!(&got, Got::Binary(b) if b == want) {
                    return Err(fail(
                        format!("client {client} expected a binary message"),
                        format!(
                            "binary {}",
                            serverlings_core::response::show_bytes(want, 80)
                        ),
                        show(&got),
                        "binary messages must come back as binary frames, byte for byte",
                        &transcript,
                    ));
                }
            }
            WsKind::ExpectNone(d) => {
                let quiet_until = (tokio::time::Instant::now() + *d).min(deadline);
                let got = next(ws, quiet_until, false).await;
                if !matches!(got, Got::Nothing) {
                    transcript.push(format!("client {client} < {}", show(&got)));
                    return Err(fail(
                        format!("client {client} received a message it should not"),
                        format!("nothing for {}", serverlings_core::duration::show(*d)),
                        show(&got),
                        "this client must not get this message (e.g. the sender, or another room)",
                        &transcript,
                    ));
                }
                transcript.push(format!(
                    "client {client}: nothing for {}",
                    serverlings_core::duration::show(*d)
                ));
            }
            WsKind::Ping(payload) => {
                transcript.push(format!(
                    "client {client} > ping {:?}",
                    String::from_utf8_lossy(payload)
                ));
                let _ = ws.send(Message::Ping(payload.clone().into())).await;
                let got = next(ws, deadline, true).await;
                transcript.push(format!("client {client} < {}", show(&got)));
                if !matches!(&got, Got::Pong(p) if p == payload) {
                    return Err(fail(
                        format!("client {client} got no matching pong"),
                        format!("pong {:?}", String::from_utf8_lossy(payload)),
                        show(&got),
                        "answer a ping with a pong carrying the same bytes (most libraries do this if you keep reading the socket)",
                        &transcript,
                    ));
                }
            }
            WsKind::Close(code) => {
                transcript.push(format!("client {client} > close {code}"));
                let frame = CloseFrame {
                    code: CloseCode::from(*code),
                    reason: "".into(),
                };
                let _ = ws.send(Message::Close(Some(frame))).await;
                let got = next(ws, deadline, false).await;
                transcript.push(format!("client {client} < {}", show(&got)));
                if !matches!(got, Got::Close(_) | Got::Ended) {
                    return Err(fail(
                        format!("client {client}'s close was not answered"),
                        "a close frame".into(),
                        show(&got),
                        "answer a close frame with a close frame, then end the connection",
                        &transcript,
                    ));
                }
            }
            WsKind::ExpectClose(code) => {
                let got = next(ws, deadline, false).await;
                transcript.push(format!("client {client} < {}", show(&got)));
                let ok = match (&got, code) {
                    (Got::Close(_), None) => true,
                    (Got::Close(Some(c)), Some(want)) => c == want,
                    _ => false,
                };
                if !ok {
                    let want = code.map_or("a close frame".to_string(), |c| {
                        format!("a close frame with code {c}")
                    });
                    return Err(fail(
                        format!("client {client} expected the server to close"),
                        want,
                        show(&got),
                        "close the connection with the code the exercise asks for",
                        &transcript,
                    ));
                }
            }
        }
    }
    for ws in &mut clients {
        let _ = tokio::time::timeout(Duration::from_millis(200), ws.close(None)).await;
    }
    Ok(transcript)
}

fn describe(a: &Assert, vars: &HashMap<String, String>) -> String {
    match a {
        Assert::Equals(t) => format!("{:?}", t.render(vars)),
        Assert::Contains(t) => format!("text containing {:?}", t.render(vars)),
        Assert::NotContains(t) => format!("text not containing {:?}", t.render(vars)),

        Assert::Matches(r) => format!("text matching /{}/", r.as_str()),
        Assert::Exists => "a message".into(),
        Assert::Absent => "no message".into(),
    }
}
