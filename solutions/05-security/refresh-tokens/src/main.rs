//! # refresh-tokens: rotation with reuse detection
//!
//! Short access tokens, and refresh tokens that a thief cannot use quietly.
//! The server (`127.0.0.1:$PORT`) signs access tokens (HS256 JWTs) with
//! `JWT_SECRET`, living `ACCESS_TTL_S` seconds (default 300):
//! - `POST /register` `{"username", "password"}` → 201, 409 when taken
//! - `POST /login` `{"username", "password"}` → 200 `{"access_token",
//!   "token_type", "expires_in", "refresh_token"}`, or 401
//! - `POST /token/refresh` `{"refresh_token"}` → 200, the same fields, with
//!   a new refresh token; the presented one is spent. 401 for an unknown,
//!   spent or revoked token; presenting a spent one revokes every refresh
//!   token descended from the same login (its family)
//! - `POST /logout` `{"refresh_token"}` → 204, the family revoked
//! - `GET /me` with a bearer access token → 200 `{"sub"}`, or 401
//!
//! ```text
//! refresh.rs   the refresh-token store
//! web.rs       routes (given)
//! access.rs    access tokens, as in jwt-basics (given)
//! accounts.rs  users and their password hashes (given)
//! ```
//!
//! Checked by: the checker logs in twice, refreshes, replays a spent
//! token, and checks which tokens still work afterwards.

mod access;
mod accounts;
mod refresh;
mod web;

fn access() -> Result<access::Access, String> {
    let secret = std::env::var("JWT_SECRET").map_err(|_| "JWT_SECRET is required")?;
    if secret.len() < 32 {
        return Err(format!(
            "JWT_SECRET must be at least 32 bytes, it has {}",
            secret.len()
        ));
    }
    let ttl = match std::env::var("ACCESS_TTL_S") {
        Err(_) => 300,
        Ok(text) => text
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=86_400).contains(s))
            .ok_or_else(|| format!("ACCESS_TTL_S must be 1 to 86400 seconds, not {text:?}"))?,
    };
    Ok(access::Access::new(secret.as_bytes(), ttl))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let access = access()?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(access)).await?;
    Ok(())
}
