//! The handlers. A handler is an async function whose arguments are
//! extractors (`Path`, `Query`, `State`, `Json`, ...) and whose return
//! value implements `IntoResponse`. axum runs the extractors in argument
//! order before your code; the one that consumes the body must come last.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;

use crate::{AppState, Item};

#[derive(Deserialize)]
pub struct Greeting {
    greeting: Option<String>,
}

/// `GET /hello/{name}` → `hello, {name}!`, or `{greeting}, {name}!` with
/// `?greeting=...`.
pub async fn hello(Path(name): Path<String>, Query(q): Query<Greeting>) -> String {
    let greeting = q.greeting.as_deref().unwrap_or("hello");
    format!("{greeting}, {name}!")
}

#[derive(Deserialize)]
pub struct NewItem {
    name: String,
    qty: u32,
}

/// `POST /items` with `{"name": "...", "qty": 3}` → 201, `Location`, the item.
pub async fn create_item(
    State(state): State<AppState>,
    Json(new): Json<NewItem>,
) -> impl IntoResponse {
    let item = {
        let mut inventory = state.inventory.lock().unwrap_or_else(|e| e.into_inner());
        inventory.last_id += 1;
        let item = Item {
            id: inventory.last_id,
            name: new.name,
            qty: new.qty,
        };
        inventory.items.insert(item.id, item.clone());
        item
    }; // the lock is released here, before anything else happens
    let location = format!("/items/{}", item.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(item),
    )
}

/// `GET /items/{id}` → 200 with the item, 404 when there is none.
pub async fn get_item(
    Path(id): Path<u64>,
    State(state): State<AppState>,
) -> Result<Json<Item>, StatusCode> {
    let inventory = state.inventory.lock().unwrap_or_else(|e| e.into_inner());
    inventory
        .items
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

#[derive(Deserialize)]
pub struct ListFilter {
    min_qty: Option<u32>,
}

/// `GET /items` → every item in id order; `?min_qty=N` keeps `qty >= N`.
pub async fn list_items(
    State(state): State<AppState>,
    Query(filter): Query<ListFilter>,
) -> Json<Vec<Item>> {
    let min = filter.min_qty.unwrap_or(0);
    let inventory = state.inventory.lock().unwrap_or_else(|e| e.into_inner());
    Json(
        inventory
            .items
            .values()
            .filter(|item| item.qty >= min)
            .cloned()
            .collect(),
    )
}
