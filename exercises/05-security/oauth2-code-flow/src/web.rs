//! The routes: start a login, come back from the provider, who am I.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use serde_json::json;

use crate::flow::{self, Identity, Pending};
use crate::provider::Provider;

const LOGIN_COOKIE: &str = "login";
const SESSION_COOKIE: &str = "session";
/// How long the provider's page may take the user.
const LOGIN_TTL: Duration = Duration::from_secs(600);

#[derive(Default)]
struct Tables {
    /// Logins in progress, by the id in the `login` cookie.
    pending: HashMap<String, (Pending, Instant)>,
    sessions: HashMap<String, Identity>,
}

#[derive(Clone)]
struct App {
    provider: Arc<Provider>,
    tables: Arc<Mutex<Tables>>,
}

impl App {
    fn tables(&self) -> MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What the provider sends back: a code and the state, or an error.
#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub fn router(provider: Provider) -> Router {
    let app = App {
        provider: Arc::new(provider),
        tables: Arc::default(),
    };
    Router::new()
        .route("/login", get(login))
        .route("/callback", get(callback))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .with_state(app)
}

/// `SameSite=Lax`: the browser comes back from the provider with a
/// top-level GET, which Lax cookies accompany (Strict ones would not).
fn cookie(name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .path("/")
        .build()
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

async fn login(State(app): State<App>, jar: CookieJar) -> Response {
    let (pending, url) = flow::start(&app.provider);
    let id = flow::random();
    let mut tables = app.tables();
    tables
        .pending
        .retain(|_, (_, since)| since.elapsed() < LOGIN_TTL);
    tables.pending.insert(id.clone(), (pending, Instant::now()));
    drop(tables);
    (jar.add(cookie(LOGIN_COOKIE, id)), Redirect::to(&url)).into_response()
}

async fn callback(State(app): State<App>, jar: CookieJar, Query(cb): Query<Callback>) -> Response {
    if let Some(e) = cb.error {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("the provider refused: {e}"),
        );
    }
    // TODO(2): the login this browser started must be used once (taken out
    // of `pending`, whatever happens next), and the callback's `state` must
    // be that login's (compared in constant time: `flow::same`), or 400
    // `{"error": "state mismatch"}` before the code is exchanged. Without
    // it, anyone can send a victim's browser here with the attacker's own
    // code and log the victim into the attacker's account.
    let Some(pending) = jar
        .get(LOGIN_COOKIE)
        .and_then(|c| app.tables().pending.get(c.value()).cloned())
        .filter(|(_, since)| since.elapsed() < LOGIN_TTL)
        .map(|(p, _)| p)
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "no login in progress: start at /login",
        );
    };
    let _ = &cb.state;
    let Some(code) = cb.code else {
        return error(StatusCode::BAD_REQUEST, "no code");
    };
    let tokens = match app.provider.exchange(&code, &pending.verifier).await {
        Ok(tokens) => tokens,
        Err(e) => return error(StatusCode::BAD_GATEWAY, &e),
    };
    let identity = match flow::verify_id_token(&app.provider, &tokens.id_token, &pending).await {
        Ok(identity) => identity,
        Err(e) => return error(StatusCode::BAD_GATEWAY, &e),
    };
    let body = json!({ "sub": identity.sub, "email": identity.email });
    let sid = flow::random();
    app.tables().sessions.insert(sid.clone(), identity);
    let jar = jar
        .remove(Cookie::build(LOGIN_COOKIE).path("/"))
        .add(cookie(SESSION_COOKIE, sid));
    (jar, Json(body)).into_response()
}

async fn me(State(app): State<App>, jar: CookieJar) -> Response {
    let tables = app.tables();
    match jar
        .get(SESSION_COOKIE)
        .and_then(|c| tables.sessions.get(c.value()))
    {
        Some(who) => Json(json!({ "sub": who.sub, "email": who.email })).into_response(),
        None => error(StatusCode::UNAUTHORIZED, "not logged in"),
    }
}

async fn logout(State(app): State<App>, jar: CookieJar) -> Response {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        app.tables().sessions.remove(c.value());
    }
    (
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        StatusCode::NO_CONTENT,
    )
        .into_response()
}
