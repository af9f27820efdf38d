//! The routes: accounts, two-step login, enrolment of a second factor.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::accounts::Accounts;
use crate::totp;

/// How long the password step's ticket is good for, and how many wrong
/// codes it survives.
const TICKET_TTL: Duration = Duration::from_secs(300);
const TICKET_TRIES: u32 = 5;

/// A user without an entry has no second factor.
enum Mfa {
    /// Enrolled, not yet confirmed with a code: not asked at login.
    Pending(Vec<u8>),
    On {
        secret: Vec<u8>,
        last_used: Option<u64>,
    },
}

struct Ticket {
    user: String,
    expires: Instant,
    failures: u32,
}

#[derive(Default)]
struct Tables {
    mfa: HashMap<String, Mfa>,
    /// Bearer token → user.
    sessions: HashMap<String, String>,
    tickets: HashMap<String, Ticket>,
}

#[derive(Clone)]
struct App {
    accounts: Arc<Accounts>,
    tables: Arc<Mutex<Tables>>,
}

impl App {
    fn tables(&self) -> MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct SecondStep {
    ticket: String,
    code: String,
}

pub fn router() -> Router {
    let app = App {
        accounts: Arc::new(Accounts::new()),
        tables: Arc::default(),
    };
    Router::new()
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/login/2fa", post(login_2fa))
        .route("/2fa/enroll", post(enroll))
        .route("/2fa/confirm", post(confirm))
        .route("/me", get(me))
        .with_state(app)
}

fn random_token(bytes: usize) -> Vec<u8> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random generator");
    buf
}

fn new_token() -> String {
    data_encoding::BASE64URL_NOPAD.encode(&random_token(32))
}

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
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

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(json!({ "error": "a valid bearer token is required" })),
    )
        .into_response()
}

/// The user of the request's bearer token.
fn user_of(app: &App, headers: &HeaderMap) -> Option<String> {
    let token = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?;
    app.tables().sessions.get(token.trim()).cloned()
}

fn session(app: &App, user: &str) -> Response {
    let token = new_token();
    app.tables()
        .sessions
        .insert(token.clone(), user.to_string());
    Json(json!({ "token": token })).into_response()
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

/// The password step. With a second factor on, it proves half of the
/// login: the answer is a ticket for the code step, never a session.
async fn login(State(app): State<App>, Json(c): Json<Credentials>) -> Response {
    let accounts = app.accounts.clone();
    let (name, password) = (c.username.clone(), c.password);
    let ok = tokio::task::spawn_blocking(move || accounts.check(&name, &password))
        .await
        .unwrap_or(false);
    if !ok {
        return error(StatusCode::UNAUTHORIZED, "invalid credentials");
    }
    // TODO(3): with a second factor on, the password proves half of the
    // login: answer `{"mfa_required": true, "ticket"}` with a new ticket
    // (`Ticket`, in `tables.tickets`) instead of a session.
    let _ = (TICKET_TTL, Instant::now());
    session(&app, &c.username)
}

/// The code step: a live ticket and a fresh code give the session.
async fn login_2fa(State(app): State<App>, Json(s): Json<SecondStep>) -> Response {
    let mut tables = app.tables();
    let Tables { mfa, tickets, .. } = &mut *tables;
    let Some(ticket) = tickets.get_mut(&s.ticket) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "unknown or used ticket: log in again",
        );
    };
    // TODO(4): a million codes is few guesses. A ticket past `expires`,
    // or with `TICKET_TRIES` wrong codes behind it, is dead: remove it and
    // answer 401 before looking at the code.
    if ticket.expires <= Instant::now() {
        tickets.remove(&s.ticket);
        return error(StatusCode::UNAUTHORIZED, "ticket expired: log in again");
    }
    let Some(Mfa::On { secret, last_used }) = mfa.get_mut(&ticket.user) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "no second factor for this account",
        );
    };
    match totp::check(secret, s.code.trim(), now_s(), *last_used) {
        Some(step) => {
            *last_used = Some(step);
            let user = ticket.user.clone();
            tickets.remove(&s.ticket);
            drop(tables);
            session(&app, &user)
        }
        None => {
            ticket.failures += 1;
            error(StatusCode::UNAUTHORIZED, "wrong code")
        }
    }
}

/// A new secret, pending until a code from it confirms the app has it.
async fn enroll(State(app): State<App>, headers: HeaderMap) -> Response {
    let Some(user) = user_of(&app, &headers) else {
        return unauthorized();
    };
    let mut tables = app.tables();
    if matches!(tables.mfa.get(&user), Some(Mfa::On { .. })) {
        return error(
            StatusCode::CONFLICT,
            "two-factor authentication is already on",
        );
    }
    let secret = random_token(20);
    let base32 = data_encoding::BASE32_NOPAD.encode(&secret);
    tables.mfa.insert(user.clone(), Mfa::Pending(secret));
    let uri = format!(
        "otpauth://totp/serverlings:{user}?secret={base32}&issuer=serverlings&digits=6&period=30"
    );
    Json(json!({ "secret": base32, "otpauth_uri": uri })).into_response()
}

async fn confirm(State(app): State<App>, headers: HeaderMap, Json(c): Json<Code>) -> Response {
    let Some(user) = user_of(&app, &headers) else {
        return unauthorized();
    };
    let mut tables = app.tables();
    let Some(Mfa::Pending(secret)) = tables.mfa.get(&user) else {
        return error(StatusCode::CONFLICT, "nothing to confirm: enrol first");
    };
    match totp::check(secret, c.code.trim(), now_s(), None) {
        Some(step) => {
            let secret = secret.clone();
            tables.mfa.insert(
                user,
                Mfa::On {
                    secret,
                    last_used: Some(step),
                },
            );
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(StatusCode::UNPROCESSABLE_ENTITY, "wrong code"),
    }
}

async fn me(State(app): State<App>, headers: HeaderMap) -> Response {
    let Some(user) = user_of(&app, &headers) else {
        return unauthorized();
    };
    let on = matches!(app.tables().mfa.get(&user), Some(Mfa::On { .. }));
    Json(json!({ "user": user, "mfa": on })).into_response()
}
