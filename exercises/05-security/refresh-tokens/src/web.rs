//! The routes: log in, refresh, log out, and one route behind the token.

use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::access::Access;
use crate::accounts::Accounts;
use crate::refresh::{RefreshStore, Refreshed};

#[derive(Clone)]
struct App {
    accounts: Arc<Accounts>,
    access: Arc<Access>,
    refresh: Arc<RefreshStore>,
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

#[derive(Deserialize)]
struct RefreshRequest {
    refresh_token: String,
}

pub fn router(access: Access) -> Router {
    let app = App {
        accounts: Arc::new(Accounts::new()),
        access: Arc::new(access),
        refresh: Arc::default(),
    };
    Router::new()
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/token/refresh", post(refresh))
        .route("/logout", post(logout))
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

fn tokens(app: &App, user: &str, refresh_token: String) -> Response {
    match app.access.issue(user) {
        Ok(access_token) => Json(json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": app.access.ttl_s,
            "refresh_token": refresh_token,
        }))
        .into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
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

async fn login(State(app): State<App>, Json(c): Json<Credentials>) -> Response {
    let accounts = app.accounts.clone();
    let (name, password) = (c.username.clone(), c.password);
    let ok = tokio::task::spawn_blocking(move || accounts.check(&name, &password))
        .await
        .unwrap_or(false);
    if !ok {
        return error(StatusCode::UNAUTHORIZED, "invalid credentials");
    }
    let refresh_token = app.refresh.start(&c.username);
    tokens(&app, &c.username, refresh_token)
}

async fn refresh(State(app): State<App>, Json(r): Json<RefreshRequest>) -> Response {
    match app.refresh.refresh(&r.refresh_token) {
        Refreshed::Rotated { user, token } => tokens(&app, &user, token),
        Refreshed::Reused => {
            eprintln!("a spent refresh token was presented again: its family is revoked");
            error(
                StatusCode::UNAUTHORIZED,
                "refresh token reused: log in again",
            )
        }
        Refreshed::Unknown => error(StatusCode::UNAUTHORIZED, "unknown refresh token"),
    }
}

async fn logout(State(app): State<App>, Json(r): Json<RefreshRequest>) -> Response {
    app.refresh.revoke(&r.refresh_token);
    StatusCode::NO_CONTENT.into_response()
}

async fn me(State(app): State<App>, headers: HeaderMap) -> Response {
    let claims = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| app.access.verify(t.trim()));
    match claims {
        Some(c) => Json(json!({ "sub": c.sub })).into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(json!({ "error": "a valid bearer token is required" })),
        )
            .into_response(),
    }
}
