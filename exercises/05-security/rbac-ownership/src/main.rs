//! # rbac-ownership: roles, permissions, and whose invoice it is
//!
//! Invoices that only the right people can see and change. Callers come
//! with bearer JWTs (HS256, `JWT_SECRET`, audience `JWT_AUDIENCE`) whose
//! claims are `sub` and `role`; verifying them is given (auth.rs). The
//! server (`127.0.0.1:$PORT`):
//! - `POST /invoices` `{"amount"}` → 201 `{"id", "owner", "amount"}`; the
//!   owner is the caller, whatever the body says
//! - `GET /invoices[?owner=sub]` → 200 the invoices the caller may read
//! - `GET /invoices/{id}`, `PUT /invoices/{id}` `{"amount"}`,
//!   `DELETE /invoices/{id}` (204)
//!
//! Roles: `customer` creates, reads and changes its own invoices;
//! `support` reads everyone's; `admin` does everything, and is the only one
//! who deletes. Any other role, or none, may do nothing. An invoice the
//! caller may not read is 404, as if it did not exist; one it may read but
//! not change or delete is 403; no valid token is 401.
//!
//! ```text
//! policy.rs  roles → permissions, and ownership rules
//! web.rs     the routes and the invoice table
//! auth.rs    bearer token → Principal (given)
//! ```
//!
//! Checked by: the checker signs tokens for two customers, support, an
//! admin and a made-up role, and tries every route with each, including
//! one customer's ids with the other's token.

mod auth;
mod policy;
mod web;

fn verifier() -> Result<auth::Verifier, String> {
    let secret = std::env::var("JWT_SECRET").map_err(|_| "JWT_SECRET is required")?;
    if secret.len() < 32 {
        return Err(format!(
            "JWT_SECRET must be at least 32 bytes, it has {}",
            secret.len()
        ));
    }
    let audience = std::env::var("JWT_AUDIENCE").map_err(|_| "JWT_AUDIENCE is required")?;
    Ok(auth::Verifier::new(secret.as_bytes(), &audience))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let verifier = verifier()?;
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, web::router(verifier)).await?;
    Ok(())
}
