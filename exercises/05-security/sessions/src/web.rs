//! The routes, and the session cookie.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;
use serde_json::json;

use crate::accounts::Accounts;
use crate::sessions::Sessions;

const COOKIE: &str = "sid";

#[derive(Clone)]
struct App {
    accounts: Arc<Accounts>,
    sessions: Arc<Sessions>,
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

pub fn router(sessions: Sessions) -> Router {
    let app = App {
        accounts: Arc::new(Accounts::new()),
        sessions: Arc::new(sessions),
    };
    Router::new()
        .route("/", get(home))
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .with_state(app)
}

/// TODO(1): the session cookie must be out of reach of page scripts, sent
/// over HTTPS only, not sent with cross-site POSTs (`SameSite=Lax`), valid
/// for every path, and kept by the browser exactly as long as the session
/// lives (`ttl`). Cookie's Max-Age takes a `time::Duration`: `ttl.try_into()`
/// converts (main keeps the TTL in range).
fn session_cookie(id: String, ttl: Duration) -> Cookie<'static> {
    let _ = ttl;
    Cookie::new(COOKIE, id)
}

/// What a 401 asks for (RFC 9110 wants every 401 to name a scheme).
const SCHEME: &str = "Cookie";

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

/// The user of the request's session, if it has a live one.
fn current(app: &App, jar: &CookieJar) -> Option<Option<String>> {
    jar.get(COOKIE).and_then(|c| app.sessions.lookup(c.value()))
}

/// Every visitor gets a session, logged in or not (a cart, say).
async fn home(State(app): State<App>, jar: CookieJar) -> Response {
    match current(&app, &jar) {
        Some(user) => Json(json!({ "user": user })).into_response(),
        None => {
            let id = app.sessions.create(None);
            let jar = jar.add(session_cookie(id, app.sessions.ttl()));
            (jar, Json(json!({ "user": null }))).into_response()
        }
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

async fn login(State(app): State<App>, jar: CookieJar, Json(c): Json<Credentials>) -> Response {
    let accounts = app.accounts.clone();
    let (name, password) = (c.username.clone(), c.password);
    let ok = tokio::task::spawn_blocking(move || accounts.check(&name, &password))
        .await
        .unwrap_or(false);
    if !ok {
        return error(StatusCode::UNAUTHORIZED, "invalid credentials");
    }
    let presented = jar.get(COOKIE).map(|c| c.value().to_string());
    let id = app.sessions.log_in(presented.as_deref(), &c.username);
    let jar = jar.add(session_cookie(id, app.sessions.ttl()));
    (jar, Json(json!({ "user": c.username }))).into_response()
}

async fn me(State(app): State<App>, jar: CookieJar) -> Response {
    match current(&app, &jar) {
        Some(Some(user)) => Json(json!({ "user": user })).into_response(),
        _ => error(StatusCode::UNAUTHORIZED, "not logged in"),
    }
}

async fn logout(State(app): State<App>, jar: CookieJar) -> Response {
    // TODO(4): the browser is told to drop its cookie, but the session
    // lives on in the store: anyone holding a copy of the cookie is still
    // logged in. End it on the server too.
    let _ = &app;
    let jar = jar.remove(Cookie::build(COOKIE).path("/"));
    (jar, StatusCode::NO_CONTENT).into_response()
}
