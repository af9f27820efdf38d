//! The application's one error type, and how it goes out on the wire.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

/// Everything a handler can fail with. Handlers return
/// `Result<T, AppError>` and use `?`; this type decides the status and the
/// body, in one place.
#[derive(Debug)]
#[allow(dead_code)] // until TODO(2), (3) and (4) use every variant
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
#[allow(dead_code)] // until TODO(1)
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

#[allow(dead_code)] // until TODO(1)
pub const INSUFFICIENT_FUNDS: &str = "https://serverlings.dev/problems/insufficient-funds";

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // TODO(1): each variant as the problem document of main.rs's
        // contract (type, title, status, detail, and the extension members
        // of insufficient-funds), sent as `application/problem+json` with
        // its status. `Internal` says nothing beyond its status: no detail.
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("TODO(1): render {self:?} as application/problem+json"),
        )
            .into_response()
    }
}

// TODO(3): JSON bodies that axum refuses (not JSON, wrong type, wrong
// Content-Type) should be problems too, with axum's status and its message
// as the detail. The handlers in accounts.rs must then take their bodies
// through an extractor of yours that runs `Json` and turns its rejection
// into an AppError (the lesson's "Typed errors" section shows the derive).
