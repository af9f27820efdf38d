//! # jwt-basics: issue and verify access tokens
//!
//! Bearer tokens that cannot be forged, replayed late or used elsewhere.
//! The server (`127.0.0.1:$PORT`) signs with `JWT_SECRET` (at least 32
//! bytes), is the issuer `JWT_ISSUER`, issues for the audience
//! `JWT_AUDIENCE`, and its tokens live `ACCESS_TTL_S` seconds (default 300):
//! - `POST /register` `{"username", "password"}` → 201, 409 when taken
//! - `POST /token` `{"username", "password"}` → 200 `{"access_token",
//!   "token_type": "Bearer", "expires_in"}`, or 401
//! - `GET /me` with `Authorization: Bearer <token>` → 200 `{"sub", "exp"}`;
//!   401 with `WWW-Authenticate: Bearer ...` for no token or a bad one
//!
//! A token is an HS256 JWT with `sub`, `iss`, `aud`, `iat`, `nbf` and
//! `exp`. `GET /me` accepts only tokens signed with the secret by HS256,
//! of this issuer and audience, inside their `nbf`..`exp` window (a
//! leeway of at most a minute for clocks).
//!
//! ```text
//! tokens.rs    issue and verify
//! web.rs       routes, the bearer extractor, 401 challenges (given)
//! accounts.rs  users and their password hashes (given)
//! ```
//!
//! Checked by: the checker decodes the token the server issued with the
//! secret, then sends tokens it crafted itself: good, unsigned
//! (`alg: none`), tampered, signed with another key or algorithm,
//! expired, not yet valid, for another audience or issuer, without `aud`.

mod accounts;
mod tokens;
mod web;

fn config() -> Result<tokens::Tokens, String> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is required"));
    let secret = var("JWT_SECRET")?;
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
    Ok(tokens::Tokens::new(
        secret.as_bytes(),
        var("JWT_ISSUER")?,
        var("JWT_AUDIENCE")?,
        ttl,
    ))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tokens = config()?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(tokens)).await?;
    Ok(())
}
