//! The routes: log in, read and post comments, search.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use sqlx::PgPool;

use crate::db::{self, Comment};
use crate::sessions::{self, Session, Sessions};

const COOKIE: &str = "sid";

#[derive(Clone)]
struct App {
    pool: PgPool,
    sessions: Arc<Sessions>,
}

#[derive(Template)]
#[template(path = "comments.html")]
struct CommentsPage {
    comments: Vec<Comment>,
    csrf: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    q: String,
    comments: Vec<Comment>,
}

#[derive(Deserialize)]
struct Login {
    name: String,
}

#[derive(Deserialize)]
struct NewComment {
    body: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

pub fn router(pool: PgPool) -> Router {
    let app = App {
        pool,
        sessions: Arc::default(),
    };
    Router::new()
        .route("/login", post(login))
        .route("/comments", get(list).post(add))
        .route("/search", get(search))
        .with_state(app)
}

fn internal(e: impl std::fmt::Display) -> Response {
    eprintln!("internal error: {e}");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

fn page(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => internal(e),
    }
}

fn session(app: &App, jar: &CookieJar) -> Option<Session> {
    jar.get(COOKIE).and_then(|c| app.sessions.get(c.value()))
}

/// A demo login: the name is enough (passwords were part 05's first
/// exercise).
async fn login(State(app): State<App>, jar: CookieJar, Form(login): Form<Login>) -> Response {
    let name = login.name.trim();
    if name.is_empty() || name.len() > 200 {
        return (StatusCode::UNPROCESSABLE_ENTITY, "a name of 1 to 200 bytes").into_response();
    }
    if let Err(e) = db::ensure_member(&app.pool, name, &sessions::random_token()).await {
        return internal(e);
    }
    let id = app.sessions.create(name);
    let cookie = Cookie::build((COOKIE, id))
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .path("/")
        .build();
    (jar.add(cookie), Redirect::to("/comments")).into_response()
}

/// The comments, and for a member the form, carrying the session's CSRF
/// token (also in `X-CSRF-Token`, for scripts that post with fetch).
async fn list(State(app): State<App>, jar: CookieJar) -> Response {
    let comments = match db::comments(&app.pool).await {
        Ok(comments) => comments,
        Err(e) => return internal(e),
    };
    let csrf = session(&app, &jar).map(|s| s.csrf);
    let response = page(&CommentsPage {
        comments,
        csrf: csrf.clone(),
    });
    match csrf {
        Some(token) => {
            ([(HeaderName::from_static("x-csrf-token"), token)], response).into_response()
        }
        None => response,
    }
}

async fn add(State(app): State<App>, jar: CookieJar, Form(new): Form<NewComment>) -> Response {
    let Some(session) = session(&app, &jar) else {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Cookie")],
            "log in first",
        )
            .into_response();
    };
    // TODO(2): the cookie comes with any request the browser sends,
    // whichever site made it. A post is the member's only if its `csrf`
    // field is this session's token (compared in constant time); anything
    // else is 403 and stores nothing.
    let _ = (&new.csrf, &session.csrf);
    if new.body.is_empty() || new.body.len() > 4000 {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "a comment of 1 to 4000 bytes",
        )
            .into_response();
    }
    match db::add_comment(&app.pool, &session.name, &new.body).await {
        Ok(()) => Redirect::to("/comments").into_response(),
        Err(e) => internal(e),
    }
}

async fn search(State(app): State<App>, Query(s): Query<Search>) -> Response {
    match db::search(&app.pool, &s.q).await {
        Ok(comments) => page(&SearchPage { q: s.q, comments }),
        Err(e) => internal(e),
    }
}
