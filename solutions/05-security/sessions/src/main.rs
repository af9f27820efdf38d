//! # sessions: server-side sessions and their cookie
//!
//! Log-ins that a stolen or planted cookie cannot turn into somebody else's
//! account. The server (`127.0.0.1:$PORT`; sessions last `SESSION_TTL_S`
//! seconds, default 28800):
//! - `GET /` → 200 `{"user": name or null}`; a request without a live
//!   session gets a visitor's session and its cookie `sid`
//! - `POST /register` `{"username", "password"}` → 201, 409 when taken
//! - `POST /login` `{"username", "password"}` → 200 `{"user"}` and a
//!   session cookie, or 401 `{"error": "invalid credentials"}`
//! - `GET /me` → 200 `{"user"}` with a logged-in session, else 401
//! - `POST /logout` → 204, the session ended
//!
//! The cookie is `sid`: `HttpOnly`, `Secure`, `SameSite=Lax`, `Path=/`,
//! `Max-Age` the session's lifetime. Its value is 32 random bytes,
//! base64url. A login never keeps the id the request came with; a logout
//! ends the session on the server, not only in the browser; an expired
//! session is no session.
//!
//! ```text
//! web.rs       routes and the cookie
//! sessions.rs  the session store
//! accounts.rs  users and their password hashes (given)
//! ```
//!
//! Checked by: the checker visits, registers, logs in with the visitor's
//! cookie, replays old and tampered cookies, logs out, and waits for a
//! session to expire.

mod accounts;
mod sessions;
mod web;

use std::time::Duration;

const TEN_YEARS: u64 = 10 * 365 * 24 * 3600;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ttl = match std::env::var("SESSION_TTL_S") {
        Err(_) => 28_800,
        Ok(text) => text
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=TEN_YEARS).contains(s))
            .ok_or_else(|| {
                format!("SESSION_TTL_S must be 1 to {TEN_YEARS} seconds, not {text:?}")
            })?,
    };
    let sessions = sessions::Sessions::new(Duration::from_secs(ttl));
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(sessions)).await?;
    Ok(())
}
