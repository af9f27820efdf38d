//! Refusals, as `application/problem+json`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    /// axum could not read the body as the type: its status and message.
    Unreadable { status: StatusCode, detail: String },
    /// The body broke rules: one entry per broken rule.
    Invalid(Vec<FieldError>),
}

/// One broken rule: where (`"age"`, `"tags[1]"`) and what.
#[derive(Debug, Serialize)]
pub struct FieldError {
    pub field: String,
    pub detail: String,
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::Unreadable {
            status: rejection.status(),
            detail: rejection.body_text(),
        }
    }
}

impl From<garde::Report> for ApiError {
    fn from(report: garde::Report) -> Self {
        // TODO(3): one `FieldError` per broken rule of the report: the
        // field's path as the client wrote it ("age", "tags[1]") and the
        // rule's message, sorted by field; the rules of one field stay in
        // the order garde reports them.
        let _ = report;
        ApiError::Invalid(vec![FieldError {
            field: "TODO(3)".to_string(),
            detail: "turn the garde::Report into field errors".to_string(),
        }])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Unreadable { status, detail } => (
                status,
                json!({
                    "type": "about:blank",
                    "title": status.canonical_reason(),
                    "status": status.as_u16(),
                    "detail": detail,
                }),
            ),
            ApiError::Invalid(errors) => {
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                let count = errors.len();
                (
                    status,
                    json!({
                        "type": "about:blank",
                        "title": status.canonical_reason(),
                        "status": status.as_u16(),
                        "detail": format!("{count} rule(s) broken"),
                        "errors": errors,
                    }),
                )
            }
        };
        let content_type = [(header::CONTENT_TYPE, "application/problem+json")];
        (status, content_type, Json(body)).into_response()
    }
}
