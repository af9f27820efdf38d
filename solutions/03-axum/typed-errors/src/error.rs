//! The application's one error type, and how it goes out on the wire.

use axum::Json;
use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

/// Everything a handler can fail with. Handlers return
/// `Result<T, AppError>` and use `?`; this type decides the status and the
/// body, in one place.
#[derive(Debug)]
pub enum AppError {
    /// 404: no such account.
    AccountNotFound(u64),
    /// 404: no route for this path.
    RouteNotFound(String),
    /// 409: the withdrawal is larger than the balance.
    InsufficientFunds { balance: u64, requested: u64 },
    /// 400, 415, 422...: the request body was refused before the handler
    /// ran; `status` and `detail` come from axum's rejection.
    BadBody { status: StatusCode, detail: String },
    /// 500: a bug. The cause goes to the log, never to the client.
    Internal,
}

/// An RFC 9457 problem document. `extra` holds extension members such as
/// `balance`, flattened next to the standard ones.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

pub const INSUFFICIENT_FUNDS: &str = "https://serverlings.dev/problems/insufficient-funds";

impl Problem {
    /// A problem of type `about:blank`: the title is the status's own name.
    fn plain(status: StatusCode, detail: Option<String>) -> Self {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail,
            extra: Map::new(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = match self {
            AppError::AccountNotFound(id) => {
                Problem::plain(StatusCode::NOT_FOUND, Some(format!("no account {id}")))
            }
            AppError::RouteNotFound(path) => {
                Problem::plain(StatusCode::NOT_FOUND, Some(format!("no route for {path}")))
            }
            AppError::InsufficientFunds { balance, requested } => {
                let mut extra = Map::new();
                extra.insert("balance".into(), balance.into());
                extra.insert("requested".into(), requested.into());
                Problem {
                    kind: INSUFFICIENT_FUNDS,
                    title: "Insufficient funds",
                    status: StatusCode::CONFLICT.as_u16(),
                    detail: Some(format!(
                        "the balance is {balance}, {requested} was requested"
                    )),
                    extra,
                }
            }
            AppError::BadBody { status, detail } => Problem::plain(status, Some(detail)),
            AppError::Internal => Problem::plain(StatusCode::INTERNAL_SERVER_ERROR, None),
        };
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            Json(problem),
        )
            .into_response()
    }
}

/// `Json<T>`, except that a refused body becomes an `AppError`.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        AppError::BadBody {
            status: rejection.status(),
            detail: rejection.body_text(),
        }
    }
}
