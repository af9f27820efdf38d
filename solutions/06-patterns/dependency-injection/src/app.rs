//! The HTTP layer, and the composition root that wires everything.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::adapters::{HttpMailer, InMemoryUsers, LogMailer, SystemClock};
use crate::ports::{Deps, Mailer};
use crate::service::{SignupError, Signups};

/// What the process was started with.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// `MAIL_URL`: the mail API; without it, mail is printed.
    pub mail_url: Option<String>,
    /// `TRIAL_DAYS`, 14 by default.
    pub trial_days: u32,
}

impl Config {
    pub fn from_env() -> Config {
        Config {
            mail_url: std::env::var("MAIL_URL").ok().filter(|u| !u.is_empty()),
            trial_days: std::env::var("TRIAL_DAYS")
                .ok()
                .and_then(|d| d.parse().ok())
                .unwrap_or(14),
        }
    }
}

/// The composition root: the one place that names the concrete adapters.
pub fn compose(config: &Config) -> Router {
    let mailer: Arc<dyn Mailer> = match &config.mail_url {
        Some(url) => Arc::new(HttpMailer::new(url)),
        None => Arc::new(LogMailer),
    };
    let deps = Deps {
        clock: Arc::new(SystemClock),
        mailer,
        users: Arc::new(InMemoryUsers::default()),
    };
    router(Arc::new(Signups::new(deps, config.trial_days)))
}

/// The routes, over whatever service they are given (a test gives one
/// built on fakes).
pub fn router(signups: Arc<Signups>) -> Router {
    Router::new()
        .route("/signups", post(sign_up))
        .route("/signups/{id}", get(status))
        .with_state(signups)
}

#[derive(Deserialize)]
struct NewSignup {
    email: String,
}

async fn sign_up(State(signups): State<Arc<Signups>>, Json(new): Json<NewSignup>) -> Response {
    match signups.sign_up(&new.email).await {
        Ok(signup) => (StatusCode::CREATED, Json(signup)).into_response(),
        Err(SignupError::InvalidEmail) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "not an email address").into_response()
        }
        Err(SignupError::AlreadySignedUp) => {
            (StatusCode::CONFLICT, "this email has signed up already").into_response()
        }
    }
}

async fn status(State(signups): State<Arc<Signups>>, Path(id): Path<u64>) -> Response {
    match signups.status(id).await {
        Some(status) => Json(status).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
