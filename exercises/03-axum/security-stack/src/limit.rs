//! Rate limiting per client, with tower_governor (the GCRA algorithm of the
//! `governor` crate: a token bucket that needs no timer).

use axum::Router;

/// Rate limits the routes of `router`: each API key gets a burst of 5
/// requests, then one more per minute; a request without a key is 401.
pub fn per_api_key<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    // TODO(3): each client draws from its own bucket, named by its
    // `x-api-key` header: a burst of 5 requests, then one more every
    // minute; over that, 429 with `Retry-After` (tower_governor answers
    // it). A request without the header is 401 `x-api-key required`. Two
    // parts, both in this file: a key extractor (tower_governor's
    // `KeyExtractor`, a type of your own that reads the key from the
    // request), and the governor layer configured with it around the
    // routes of `router` only.
    router
}
