//! # lifecycle-extractors: a Router, extractors and shared state
//!
//! The server (`127.0.0.1:$PORT`) keeps an inventory in memory:
//! - `GET /` → 200 `inventory`
//! - `GET /hello/{name}` → 200 `text/plain`, `hello, {name}!`; with
//!   `?greeting=hi` it is `hi, {name}!`
//! - `POST /items` with `{"name": "...", "qty": 3}` → 201,
//!   `Location: /items/{id}`, the item as JSON `{"id", "name", "qty"}`;
//!   ids start at 1
//! - `GET /items/{id}` → 200 with the item, 404 when there is none
//! - `GET /items` → 200, every item in id order; `?min_qty=N` keeps the
//!   items with `qty >= N`
//!
//! What axum answers by itself, once the handlers use the right extractors
//! (nothing to write): a body that is not `application/json` is 415, JSON
//! with a field missing is 422, `/items/abc` is 400.
//!
//! What to do: the router and the state are given. Write the handlers in
//! `handlers.rs`, `TODO(1)` to `TODO(4)`; each one today answers 501 with
//! the TODO it is waiting for.
//!
//! Checked by: `serverlings check lifecycle-extractors` starts the server
//! and sends every request above, with random names and quantities.

mod handlers;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
use serde::Serialize;

/// One line of the inventory, as it goes out in JSON.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub id: u64,
    pub name: String,
    pub qty: u32,
}

/// What every handler shares. Cloning it clones the `Arc`, not the data:
/// axum clones the state for each request.
#[derive(Clone, Default)]
pub struct AppState {
    pub inventory: Arc<Mutex<Inventory>>,
}

#[derive(Default)]
pub struct Inventory {
    pub last_id: u64,
    pub items: BTreeMap<u64, Item>,
}

/// The whole application: routes, handlers, state. `main` serves it.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(|| async { "inventory" }))
        .route("/hello/{name}", get(handlers::hello))
        .route(
            "/items",
            get(handlers::list_items).post(handlers::create_item),
        )
        .route("/items/{id}", get(handlers::get_item))
        .with_state(state)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app(AppState::default())).await
}
