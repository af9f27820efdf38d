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

// The stub's pieces are unused until TODO(1) connects them: delete this
// line once it does.
#![allow(dead_code)]

mod rooms;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tokio::sync::broadcast;

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

/// `GET /ws/{room}?name={name}`. The extractors already refuse a plain
/// GET (WebSocketUpgrade) and a missing name (Query) with 400.
async fn upgrade(
    ws: WebSocketUpgrade,
    Path(room): Path<String>,
    Query(who): Query<Who>,
    State(rooms): State<Rooms>,
) -> Response {
    // TODO(1): join the room NOW, before answering: `let tx = rooms.join(&room);`
    // and `let rx = tx.subscribe();`. A receiver only gets what is sent
    // after it exists: subscribing later, inside `on_upgrade`, would miss
    // the messages sent between the 101 response and that moment.
    // Then `ws.on_upgrade(move |socket| run_session(socket, rooms, Session {
    // id: rooms.next_id(), room, name: who.name, tx, rx }))`.
    let _ = (ws, room, who, rooms);
    (
        StatusCode::NOT_IMPLEMENTED,
        "TODO(1): upgrade to a WebSocket and join the room",
    )
        .into_response()
}

async fn run_session(mut socket: WebSocket, rooms: Rooms, session: Session) {
    let welcome = format!("joined {} as {}", session.room, session.name);
    if socket.send(Message::Text(welcome.into())).await.is_err() {
        return; // the client is gone already
    }
    // TODO(3): loop over `tokio::select!` with two branches, each waiting
    // for one thing:
    // - `incoming = socket.recv()`: `Some(Ok(Message::Text(text)))` →
    //   `session.tx.send(Chat { from: session.id, text: format!("{}: {}",
    //   session.name, text.as_str()) })` (an Err only means nobody listens);
    //   `None`, `Some(Err(_))` or a `Message::Close` → the client left:
    //   break; anything else (pings are answered for you) → ignore.
    // - `outgoing = session.rx.recv()`: `Ok(chat)` from another
    //   connection (`chat.from != session.id`) → `socket.send(
    //   Message::Text(chat.text.into()))`, break if that fails;
    //   `Err(RecvError::Lagged(_))` → this client is too slow and missed
    //   messages: go on; `Err(RecvError::Closed)` → break.
    // Both branches borrow different things (`socket`, `session.rx`), so
    // select! can wait on both at once in one task.
    while let Some(Ok(message)) = socket.recv().await {
        if let Message::Close(_) = message {
            break;
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
