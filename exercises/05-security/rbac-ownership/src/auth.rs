//! Authentication (given): a bearer JWT becomes a `Principal`, or 401.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::json;

use crate::web::App;

/// Who is calling: the token's subject and role (empty when it has none).
#[derive(Clone, Debug)]
pub struct Principal {
    pub sub: String,
    pub role: String,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    role: String,
}

pub struct Verifier {
    key: DecodingKey,
    validation: Validation,
}

impl Verifier {
    pub fn new(secret: &[u8], audience: &str) -> Verifier {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        Verifier {
            key: DecodingKey::from_secret(secret),
            validation,
        }
    }
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        Json(json!({ "error": "a valid bearer token is required" })),
    )
        .into_response()
}

impl FromRequestParts<App> for Principal {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(unauthorized)?;
        let v = &app.verifier;
        let data = jsonwebtoken::decode::<Claims>(token.trim(), &v.key, &v.validation)
            .map_err(|_| unauthorized())?;
        Ok(Principal {
            sub: data.claims.sub,
            role: data.claims.role,
        })
    }
}
