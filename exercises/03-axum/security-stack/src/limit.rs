//! Rate limiting per client, with tower_governor (the GCRA algorithm of the
//! `governor` crate: a token bucket that needs no timer).

use axum::Router;

/// Rate limits the routes of `router`: each API key gets a burst of 5
/// requests, then one more per minute; a request without a key is 401.
pub fn per_api_key<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    // TODO(3): two parts, both in this file.
    //
    // A key extractor, which tells the limiter whose bucket a request
    // draws from: `#[derive(Clone)] pub struct ApiKey;` and
    // `impl KeyExtractor for ApiKey` (tower_governor::key_extractor) with
    // `type Key = String;` and
    // `fn extract<T>(&self, request: &Request<T>) -> Result<String, GovernorError>`
    // returning the `x-api-key` header's value, or, without one,
    // `Err(GovernorError::Other { code: StatusCode::UNAUTHORIZED,
    // msg: Some("x-api-key required".into()), headers: None })`.
    //
    // Then here: `GovernorConfigBuilder::default().key_extractor(ApiKey)
    // .per_second(60).burst_size(5).finish()` (tower_governor::governor;
    // `per_second(60)` reads "one request back every 60 seconds", and
    // `finish` is None only for zeros: `.expect(...)`), and
    // `router.route_layer(GovernorLayer::new(config))`. Over the limit,
    // the layer answers 429 with `Retry-After` by itself.
    router
}
