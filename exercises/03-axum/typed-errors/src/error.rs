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
        // TODO(1): build a `Problem` for each variant and answer
        // `(status, [(header::CONTENT_TYPE, "application/problem+json")],
        // Json(problem))`: the header part, written before the body, still
        // wins over the `application/json` that `Json` sets. See the
        // contract in main.rs for the type, title, status and detail of
        // each. `StatusCode::canonical_reason()` gives "Not Found".
        // `Internal` has no detail at all.
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("TODO(1): render {self:?} as application/problem+json"),
        )
            .into_response()
    }
}

// TODO(3): JSON bodies that axum refuses should be problems too. Add
//
//     #[derive(axum::extract::FromRequest)]
//     #[from_request(via(axum::Json), rejection(AppError))]
//     pub struct AppJson<T>(pub T);
//
// (an extractor that runs `Json` and turns its rejection into an
// AppError), implement `From<axum::extract::rejection::JsonRejection> for
// AppError` (`rejection.status()` and `rejection.body_text()` give the
// status and the detail), and use `AppJson` instead of `Json` in the
// handlers' arguments in accounts.rs.
