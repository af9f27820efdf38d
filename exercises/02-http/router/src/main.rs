//! # router: route table, 405, HEAD and idempotent POST, by hand
//!
//! The server (`127.0.0.1:$PORT`) keeps notes in memory:
//! - `GET /notes` → 200, a JSON array of `{"id", "text"}`
//! - `POST /notes` with `{"text": "..."}` → 201, `Location: /notes/{id}`, the note
//! - `GET /notes/{id}` → 200 with the note, 404 when there is none
//! - `PUT /notes/{id}` with `{"text": "..."}` → 200, the text replaced
//! - `DELETE /notes/{id}` → 204, then the note is 404
//! - a known path with another method → 405 with `Allow: GET, HEAD, POST`
//! - `HEAD` → what `GET` would answer, without the body (same Content-Length)
//! - `POST /notes` with an `Idempotency-Key` already seen: the first answer
//!   again, with `Idempotency-Replayed: true`, and no second note; the same
//!   key with another body → 422
//!
//! What to do: the HTTP plumbing (`http.rs`), this file and the notes
//! handlers (`notes.rs`) are given. Write the router in `router.rs`
//! (`TODO(1)` to `TODO(3)`: matching, 405 with Allow, HEAD) and the
//! idempotency store in `idempotency.rs` (`TODO(4)`, `TODO(5)`). Each TODO
//! has unit tests beside it: `cargo test`.
//!
//! Checked by: the unit tests (`cargo test`), then the server is started and
//! every line above is probed, with random note texts and keys.

mod http;
mod idempotency;
mod notes;
mod router;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use crate::http::{Request, Response};
use crate::notes::App;
use crate::router::{Match, Params, Router};

/// Every handler has this shape.
type Handler = fn(&App, &Request, &Params) -> Response;

fn routes() -> Router<Handler> {
    Router::<Handler>::new()
        .route("GET", "/notes", notes::list)
        .route("POST", "/notes", notes::create)
        .route("GET", "/notes/{id}", notes::read)
        .route("PUT", "/notes/{id}", notes::replace)
        .route("DELETE", "/notes/{id}", notes::delete)
}

/// The answer to one request.
fn respond(app: &App, router: &Router<Handler>, request: &Request) -> Response {
    match router.find(&request.method, request.path()) {
        Match::Found { handler, params } => handler(app, request, &params),
        Match::MethodNotAllowed { allow } => {
            Response::error(405, "method not allowed").with_header("Allow", &allow.join(", "))
        }
        Match::NotFound => Response::error(404, "not found"),
    }
}

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

    let app = Arc::new(App::default());
    let router = Arc::new(routes());
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(connection) => connection,
            Err(error) => {
                // Usually out of file descriptors: pause instead of spinning.
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = Arc::clone(&app);
        let router = Arc::clone(&router);
        tokio::spawn(async move {
            if let Err(error) = serve(stream, &app, &router).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

/// Answers the requests of one connection (keep-alive, as in `raw-server`).
async fn serve(mut stream: TcpStream, app: &App, router: &Router<Handler>) -> io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let request = match http::read_request(&mut stream, &mut buf).await {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                let response =
                    Response::error(400, &error.to_string()).with_header("Connection", "close");
                return stream.write_all(&response.to_bytes(true)).await;
            }
            Err(error) => return Err(error),
        };
        let close = if request.version == "HTTP/1.0" {
            !request.connection_has("keep-alive")
        } else {
            request.connection_has("close")
        };

        let mut response = respond(app, router, &request);
        if close {
            response = response.with_header("Connection", "close");
        }
        // HEAD gets the head of the GET answer, Content-Length included.
        let with_body = request.method != "HEAD";
        stream.write_all(&response.to_bytes(with_body)).await?;
        if close {
            return Ok(());
        }
    }
}
