//! Rate limiting per client, with tower_governor (the GCRA algorithm of the
//! `governor` crate: a token bucket that needs no timer).

use axum::Router;
use axum::http::{Request, StatusCode};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

/// Whose bucket a request draws from: the `x-api-key` header.
#[derive(Clone)]
pub struct ApiKey;

impl KeyExtractor for ApiKey {
    type Key = String;

    fn extract<T>(&self, request: &Request<T>) -> Result<String, GovernorError> {
        request
            .headers()
            .get("x-api-key")
            .and_then(|value| value.to_str().ok())
            .filter(|key| !key.is_empty())
            .map(str::to_owned)
            .ok_or(GovernorError::Other {
                code: StatusCode::UNAUTHORIZED,
                msg: Some("x-api-key required".into()),
                headers: None,
            })
    }
}

/// Rate limits the routes of `router`: each API key gets a burst of 5
/// requests, then one more per minute; a request without a key is 401.
pub fn per_api_key<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let config = GovernorConfigBuilder::default()
        .key_extractor(ApiKey)
        .per_second(60)
        .burst_size(5)
        .finish()
        .expect("the period and the burst are not zero");
    router.route_layer(GovernorLayer::new(config))
}
