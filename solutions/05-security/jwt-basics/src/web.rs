//! The routes: accounts, a token endpoint, and a route behind the token.

use std::sync::Arc;

use axum::extract::{FromRequestParts, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::accounts::Accounts;
use crate::tokens::{Claims, Tokens};

#[derive(Clone)]
struct App {
    accounts: Arc<Accounts>,
    tokens: Arc<Tokens>,
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

pub fn router(tokens: Tokens) -> Router {
    let app = App {
        accounts: Arc::new(Accounts::new()),
        tokens: Arc::new(tokens),
    };
    Router::new()
        .route("/register", post(register))
        .route("/token", post(token))
        .route("/me", get(me))
        .with_state(app)
}

/// What a 401 asks for (RFC 9110 wants every 401 to name a scheme).
const SCHEME: &str = "Bearer";

fn error(status: StatusCode, message: &str) -> Response {
    let mut response = (status, Json(json!({ "error": message }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        let challenge = HeaderValue::from_static(SCHEME);
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, challenge);
    }
    response
}

/// 401 with the challenge RFC 6750 asks for.
fn unauthorized(error: Option<&str>) -> Response {
    let challenge = match error {
        Some(e) => format!("Bearer error=\"{e}\""),
        None => "Bearer".to_string(),
    };
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, challenge)],
        Json(json!({ "error": "a valid bearer token is required" })),
    )
        .into_response()
}

async fn register(State(app): State<App>, Json(c): Json<Credentials>) -> Response {
    if c.username.is_empty() || !(8..=256).contains(&c.password.len()) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "a username and a password of 8 to 256 bytes",
        );
    }
    let accounts = app.accounts.clone();
    let (name, password) = (c.username.clone(), c.password);
    match tokio::task::spawn_blocking(move || accounts.register(&name, &password)).await {
        Ok(Ok(true)) => (StatusCode::CREATED, Json(json!({ "user": c.username }))).into_response(),
        Ok(Ok(false)) => error(StatusCode::CONFLICT, "username is taken"),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

async fn token(State(app): State<App>, Json(c): Json<Credentials>) -> Response {
    let accounts = app.accounts.clone();
    let (name, password) = (c.username.clone(), c.password);
    let ok = tokio::task::spawn_blocking(move || accounts.check(&name, &password))
        .await
        .unwrap_or(false);
    if !ok {
        return error(StatusCode::UNAUTHORIZED, "invalid credentials");
    }
    match app.tokens.issue(&c.username) {
        Ok(token) => Json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": app.tokens.ttl_s(),
        }))
        .into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The verified claims of the request's bearer token.
struct Authenticated(Claims);

impl FromRequestParts<App> for Authenticated {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| unauthorized(Some("invalid_request")))?;
        match app.tokens.verify(token.trim()) {
            Ok(claims) => Ok(Authenticated(claims)),
            Err(e) => {
                // Why, for the server's log; the client only learns "invalid".
                eprintln!("token refused: {:?}", e.kind());
                Err(unauthorized(Some("invalid_token")))
            }
        }
    }
}

async fn me(Authenticated(claims): Authenticated) -> Response {
    Json(json!({ "sub": claims.sub, "exp": claims.exp })).into_response()
}
