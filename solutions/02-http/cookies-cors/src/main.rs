//! # cookies-cors: a session cookie, and the browser rules around it
//!
//! The contract (`127.0.0.1:$PORT`; the allowed origins are listed in
//! `$ALLOWED_ORIGINS`, comma-separated):
//! - `POST /login` with `{"user": "..."}` → 200 `{"user": ...}` and
//!   `Set-Cookie: sid=<32 hex digits>; Path=/; Max-Age=3600; HttpOnly;
//!   Secure; SameSite=Lax`
//! - `GET /me` with that cookie among others → 200 `{"user": ...}`;
//!   without it, or with an unknown one → 401
//! - `POST /logout` → 204, the session ends, and `Set-Cookie: sid=;
//!   Path=/; Max-Age=0; ...` deletes the cookie
//! - a preflight (`OPTIONS`, `Origin`, `Access-Control-Request-Method`)
//!   from an allowed origin, for an allowed method and headers → 204 with
//!   the `Access-Control-Allow-*` headers; anything else → 403 without them
//! - any other request with an allowed `Origin` → its usual answer plus
//!   `Access-Control-Allow-Origin: <that origin>` and
//!   `Access-Control-Allow-Credentials: true`; every answer says
//!   `Vary: Origin`
//! - a malformed request → 400; anything else → 404
//!
//! What to do: the HTTP plumbing, the sessions and this file are given (the
//! parts live in a library, `lib.rs`, so that each has its own tests).
//! `TODO(1)` and `TODO(2)` are in `cookies.rs` (reading `Cookie`, writing
//! `Set-Cookie`), `TODO(3)` to `TODO(5)` in `cors.rs` (the origin check,
//! the preflight, the headers of actual responses). Each has unit tests:
//! `cargo test`.
//!
//! Checked by: the unit tests, then the server is started with a random
//! allowed origin and probed: login, cookies, logout, preflights from
//! allowed and lookalike origins, a malformed request and a slow client.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use cookies_cors::cookies::{SameSite, SetCookie, cookie};
use cookies_cors::cors::Policy;
use cookies_cors::http::{self, Request, Response};
use cookies_cors::sessions::Sessions;

/// How long a login lasts, in seconds.
const SESSION_SECONDS: u64 = 3600;

struct App {
    sessions: Sessions,
    cors: Policy,
}

#[derive(Deserialize)]
struct Login {
    user: String,
}

#[tokio::main]
async fn main() -> io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let origins = std::env::var("ALLOWED_ORIGINS").unwrap_or_default();
    let app = Arc::new(App {
        sessions: Sessions::default(),
        cors: Policy::from_list(&origins),
    });
    let listener = TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);

    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(connection) => connection,
            Err(error) => {
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            if let Err(error) = serve(stream, &app).await {
                eprintln!("{peer}: {error}");
            }
        });
    }
}

/// The session cookie, with the attributes every session cookie needs.
fn session_cookie(value: &str, max_age: u64) -> String {
    let mut set = SetCookie::new("sid", value);
    set.path = Some("/".to_string());
    set.max_age = Some(max_age);
    set.http_only = true;
    set.secure = true;
    set.same_site = Some(SameSite::Lax);
    set.to_header()
}

/// The answer to one request, CORS headers included.
fn respond(request: &Request, app: &App) -> Response {
    let origin = request.header("origin");
    let preflight_method = request.header("access-control-request-method");
    let response = match (request.method.as_str(), origin, preflight_method) {
        ("OPTIONS", Some(origin), Some(method)) => {
            let wanted = request.header("access-control-request-headers");
            match app.cors.preflight(origin, method, wanted) {
                Some(headers) => headers
                    .iter()
                    .fold(Response::empty(204), |r, (name, value)| {
                        r.with_header(name, value)
                    }),
                None => Response::text(403, "this origin, method or header is not allowed"),
            }
        }
        _ => {
            let response = route(request, app);
            match origin {
                Some(origin) => app
                    .cors
                    .actual(origin)
                    .iter()
                    .fold(response, |r, (name, value)| r.with_header(name, value)),
                None => response,
            }
        }
    };
    // The CORS headers depend on Origin: a cache must not hand this answer
    // to a page of another origin.
    response.with_header("Vary", "Origin")
}

fn route(request: &Request, app: &App) -> Response {
    let sid = request
        .header("cookie")
        .and_then(|header| cookie(header, "sid"));
    match (request.method.as_str(), request.target.as_str()) {
        ("POST", "/login") => match serde_json::from_slice::<Login>(&request.body) {
            Ok(Login { user }) if !user.is_empty() && user.len() <= 64 => {
                let id = app.sessions.create(&user);
                Response::json(200, &serde_json::json!({ "user": user }))
                    .with_header("Set-Cookie", &session_cookie(&id, SESSION_SECONDS))
            }
            _ => Response::text(400, r#"expected {"user": "..."} (1 to 64 characters)"#),
        },
        ("GET", "/me") => match sid.and_then(|id| app.sessions.user(id)) {
            Some(user) => Response::json(200, &serde_json::json!({ "user": user })),
            None => Response::json(401, &serde_json::json!({ "error": "not logged in" })),
        },
        ("POST", "/logout") => {
            if let Some(id) = sid {
                app.sessions.remove(id);
            }
            // Same name, path and attributes, empty value, Max-Age=0.
            Response::empty(204).with_header("Set-Cookie", &session_cookie("", 0))
        }
        _ => Response::text(404, "not found"),
    }
}

/// Answers the requests of one connection (keep-alive).
async fn serve(mut stream: TcpStream, app: &App) -> io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let request = match http::read_request(&mut stream, &mut buf).await {
            Ok(Some(request)) => request,
            Ok(None) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::InvalidData => {
                let response =
                    Response::text(400, &error.to_string()).with_header("Connection", "close");
                return stream.write_all(&response.to_bytes()).await;
            }
            Err(error) => return Err(error),
        };
        let close = request.connection_has("close");
        let mut response = respond(&request, app);
        if close {
            response = response.with_header("Connection", "close");
        }
        stream.write_all(&response.to_bytes()).await?;
        if close {
            return Ok(());
        }
    }
}
