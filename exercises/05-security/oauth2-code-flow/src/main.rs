//! # oauth2-code-flow: log in through an identity provider
//!
//! No passwords here: an OpenID Connect provider logs the user in, and the
//! server trusts what the provider signed, after checking it. Configured
//! with `OIDC_ISSUER` (its discovery document is read at start),
//! `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET` and `OIDC_REDIRECT_URI`, the
//! server (`127.0.0.1:$PORT`):
//! - `GET /login` → 303 to the provider's authorization endpoint (code
//!   flow: `state`, `nonce`, PKCE S256), with a cookie `login` that ties
//!   the callback to this browser
//! - `GET /callback?code&state` → 200 `{"sub", "email"}` and a session
//!   cookie `session`; 400 `{"error"}` for no login in progress or a state
//!   that is not the login's; 502 when the provider's answer does not hold
//! - `GET /me` → 200 `{"sub", "email"}` with a session, else 401
//! - `POST /logout` → 204
//!
//! The ID token is accepted only when signed (ES256) by one of the
//! provider's keys (`kid`, keys fetched again for a new one), with the
//! provider as `iss`, this client as `aud`, not expired, and the login's
//! nonce.
//!
//! ```text
//! flow.rs      the authorization request, the ID token's checks  TODO(1) TODO(3)
//! web.rs       routes, the login in progress, sessions          TODO(2)
//! provider.rs  discovery, the token endpoint, the keys (given)
//! tests.rs     the shipped tests of flow.rs (`cargo test`)
//! ```
//!
//! Checked by: `cargo test` (the shipped tests, as shipped); then the
//! checker runs the provider (it refuses requests without state or PKCE,
//! codes used twice, wrong verifiers), logs in through it, rotates its
//! signing key and logs in again, and forges callbacks.

// Parts stay unused until TODO(2) and TODO(3): delete this line then.
#![allow(dead_code)]

mod flow;
mod provider;
#[cfg(test)]
mod tests;
mod web;

fn config() -> Result<provider::Client, String> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is required"));
    Ok(provider::Client {
        issuer: var("OIDC_ISSUER")?,
        client_id: var("OIDC_CLIENT_ID")?,
        client_secret: var("OIDC_CLIENT_SECRET")?,
        redirect_uri: var("OIDC_REDIRECT_URI")?,
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let provider = provider::Provider::discover(config()?).await?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(provider)).await?;
    Ok(())
}
