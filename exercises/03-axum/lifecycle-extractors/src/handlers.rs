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
    // TODO(1): take the name with `Path(name): Path<String>` and the
    // optional greeting with `Query(q): Query<Greeting>`, where `Greeting`
    // is a `#[derive(Deserialize)]` struct with `greeting: Option<String>`
    // (an absent parameter is `None`, not an error). A `String` (or
    // `format!`) is already a response: 200, `text/plain; charset=utf-8`.
    not_yet("TODO(1): answer `hello, {name}!` from the Path and the optional ?greeting= Query")
}

/// `POST /items` with `{"name": "...", "qty": 3}` → 201, `Location`, the item.
pub async fn create_item() -> Response {
    // TODO(2): take `State(state): State<AppState>` and, last, the body as
    // `Json(new): Json<NewItem>` (a `Deserialize` struct with `name` and
    // `qty`). Lock the inventory, add 1 to `last_id`, insert the item, and
    // answer `(StatusCode::CREATED, [(header::LOCATION, format!(...))],
    // Json(item))`. The `Json` extractor already answers 415 and 422.
    not_yet("TODO(2): create the item from State<AppState> and Json<NewItem>, then answer 201")
}

/// `GET /items/{id}` → 200 with the item, 404 when there is none.
pub async fn get_item() -> Response {
    // TODO(3): `Path(id): Path<u64>` (axum answers 400 for `/items/abc`)
    // and `State(state): State<AppState>`. Return
    // `Result<Json<Item>, StatusCode>`: `.cloned().map(Json)
    // .ok_or(StatusCode::NOT_FOUND)`.
    not_yet("TODO(3): look the item up with Path<u64> and State<AppState>; 404 when absent")
}

/// `GET /items` → every item in id order; `?min_qty=N` keeps `qty >= N`.
pub async fn list_items() -> Response {
    // TODO(4): `State` and `Query(filter): Query<ListFilter>` with
    // `min_qty: Option<u32>`. The `BTreeMap` iterates in id order already.
    not_yet(
        "TODO(4): list the items from State<AppState>, filtered by the optional ?min_qty= Query",
    )
}
