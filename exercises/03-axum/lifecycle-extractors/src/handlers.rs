//! The handlers. A handler is an async function whose arguments are
//! extractors (`Path`, `Query`, `State`, `Json`, ...) and whose return
//! value implements `IntoResponse`. axum runs the extractors in argument
//! order before your code; the one that consumes the body must come last.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The answer of a handler that is not written yet.
fn not_yet(todo: &str) -> Response {
    (StatusCode::NOT_IMPLEMENTED, todo.to_string()).into_response()
}

/// `GET /hello/{name}` → `hello, {name}!`, or `{greeting}, {name}!` with
/// `?greeting=...`.
pub async fn hello() -> Response {
    // TODO(1): greet the name from the path: `hello, {name}!`, or with
    // `?greeting=hi` in the query, `hi, {name}!`. A request without the
    // parameter is no error. Let axum's extractors read the path and the
    // query into typed values; text is already a response (200,
    // `text/plain; charset=utf-8`).
    not_yet("TODO(1): answer `hello, {name}!` from the Path and the optional ?greeting= Query")
}

/// `POST /items` with `{"name": "...", "qty": 3}` → 201, `Location`, the item.
pub async fn create_item() -> Response {
    // TODO(2): create an item from a JSON body with a `name` (text) and a
    // `qty` (a whole number >= 0), both required. Ids count up from 1 in the
    // shared inventory (`AppState`). Answer 201 with `Location:
    // /items/{id}` and the new item as JSON. A body that is not JSON, or
    // misses a field, must be refused before your code runs (415, 422):
    // choose the extractor that does that, and remember which extractor
    // has to come last.
    not_yet("TODO(2): create the item from State<AppState> and Json<NewItem>, then answer 201")
}

/// `GET /items/{id}` → 200 with the item, 404 when there is none.
pub async fn get_item() -> Response {
    // TODO(3): the item whose id is in the path, as JSON; 404 when there
    // is none. `/items/abc` must be a 400 that axum answers before your
    // code runs: read the id as a number, not as text you parse.
    not_yet("TODO(3): look the item up with Path<u64> and State<AppState>; 404 when absent")
}

/// `GET /items` → every item in id order; `?min_qty=N` keeps `qty >= N`.
pub async fn list_items() -> Response {
    // TODO(4): every item, in id order, as a JSON array; with
    // `?min_qty=N` only the items with `qty >= N`, without it all of them.
    not_yet(
        "TODO(4): list the items from State<AppState>, filtered by the optional ?min_qty= Query",
    )
}
