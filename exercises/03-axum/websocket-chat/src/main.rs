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
    // TODO(1): answer the upgrade (101) and run the session on the new
    // socket, as a member of `room` with its own id. Join and start
    // listening to the room before answering: a receiver only gets what is
    // sent after it exists, so listening from inside the session would
    // miss what others send between the 101 and that moment.
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
    // TODO(3): the session waits for two things at once, in one task:
    // - a text from this client goes to everyone in the room as
    //   `{name}: {text}` (nobody listening is fine); the client closing,
    //   or its connection failing, ends the session; other messages are
    //   ignored (pings are answered for you)
    // - a message of the room from ANOTHER member goes to this client
    //   (its own messages do not come back); a failed send ends the
    //   session; a client too slow to keep up misses messages but stays;
    //   the room closing ends it
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
