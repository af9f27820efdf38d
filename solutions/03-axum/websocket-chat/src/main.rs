//! # websocket-chat: rooms and broadcast over WebSocket
//!
//! The server (`127.0.0.1:$PORT`):
//! - `GET /` → 200 `chat`
//! - `GET /ws/{room}?name={name}` → upgrades to a WebSocket (a plain GET,
//!   or one without `name`, is refused with 400)
//!   - the first message to a new client is `joined {room} as {name}`
//!   - each text message a client sends reaches every *other* client of
//!     the same room as `{name}: {text}`; the sender does not get it back,
//!     and clients of other rooms get nothing
//!   - pings are answered with pongs; a close is answered with a close
//!
//! What to do: `TODO(1)` (the upgrade) and `TODO(3)` (the session loop)
//! here, `TODO(2)` (finding a room) in `rooms.rs`.
//!
//! Checked by: `serverlings check websocket-chat` starts the server and
//! connects several WebSocket clients to two rooms with random names, then
//! scripts who sends what and who must (and must not) receive it.

mod rooms;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

use crate::rooms::{Chat, Rooms};

#[derive(Deserialize)]
struct Who {
    name: String,
}

/// Everything one connection needs once upgraded.
struct Session {
    /// This connection's id: how it recognises its own messages.
    id: u64,
    room: String,
    name: String,
    /// Sends to everyone in the room (this connection included).
    tx: broadcast::Sender<Chat>,
    /// Receives what anyone in the room sent.
    rx: broadcast::Receiver<Chat>,
}

async fn upgrade(
    ws: WebSocketUpgrade,
    Path(room): Path<String>,
    Query(who): Query<Who>,
    State(rooms): State<Rooms>,
) -> Response {
    // Subscribe before answering 101: a receiver only gets what is sent
    // after it exists, and the client may talk as soon as it sees the 101.
    let tx = rooms.join(&room);
    let rx = tx.subscribe();
    let session = Session {
        id: rooms.next_id(),
        room,
        name: who.name,
        tx,
        rx,
    };
    ws.on_upgrade(move |socket| run_session(socket, rooms, session))
}

async fn run_session(mut socket: WebSocket, rooms: Rooms, mut session: Session) {
    let welcome = format!("joined {} as {}", session.room, session.name);
    if socket.send(Message::Text(welcome.into())).await.is_err() {
        return; // the client is gone already
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let chat = Chat {
                        from: session.id,
                        text: format!("{}: {}", session.name, text.as_str()),
                    };
                    // An Err only means that nobody is listening.
                    let _ = session.tx.send(chat);
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {} // pings are answered for us; binary is ignored
            },
            outgoing = session.rx.recv() => match outgoing {
                Ok(chat) if chat.from != session.id => {
                    if socket.send(Message::Text(chat.text.into())).await.is_err() {
                        break;
                    }
                }
                Ok(_) => {} // our own message
                Err(RecvError::Lagged(missed)) => {
                    eprintln!("{} in {} is too slow: missed {missed} messages", session.name, session.room);
                }
                Err(RecvError::Closed) => break,
            },
        }
    }
    // Leaving: drop this member's receiver, then forget the room if it
    // is empty now.
    let Session { room, rx, .. } = session;
    drop(rx);
    rooms.leave(&room);
}

fn app() -> Router {
    Router::new()
        .route("/", get(|| async { "chat" }))
        .route("/ws/{room}", get(upgrade))
        .with_state(Rooms::default())
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app()).await
}
