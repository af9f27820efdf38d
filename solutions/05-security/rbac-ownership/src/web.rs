//! The routes over an in-memory invoice table.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::auth::{Principal, Verifier};
use crate::policy::{self, Action, Denied, Perm};

#[derive(Clone, Serialize)]
struct Invoice {
    id: u64,
    owner: String,
    amount: i64,
}

#[derive(Default)]
struct Table {
    next: u64,
    rows: BTreeMap<u64, Invoice>,
}

#[derive(Clone)]
pub struct App {
    pub verifier: Arc<Verifier>,
    table: Arc<Mutex<Table>>,
}

impl App {
    fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a client may send. Anything else in the body (an `owner`, say) is
/// ignored: the owner is whoever is calling.
#[derive(Deserialize)]
struct NewInvoice {
    amount: i64,
}

#[derive(Deserialize)]
struct Change {
    amount: i64,
}

#[derive(Deserialize)]
struct Filter {
    owner: Option<String>,
}

pub fn router(verifier: Verifier) -> Router {
    let app = App {
        verifier: Arc::new(verifier),
        table: Arc::default(),
    };
    Router::new()
        .route("/invoices", get(list).post(create))
        .route("/invoices/{id}", get(read).put(update).delete(remove))
        .with_state(app)
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn denied(d: Denied) -> Response {
    match d {
        Denied::NotFound => error(StatusCode::NOT_FOUND, "no such invoice"),
        Denied::Forbidden => error(StatusCode::FORBIDDEN, "not allowed"),
    }
}

async fn create(State(app): State<App>, who: Principal, Json(new): Json<NewInvoice>) -> Response {
    if !policy::has(&who, Perm::Create) {
        return denied(Denied::Forbidden);
    }
    let mut table = app.table();
    table.next += 1;
    let invoice = Invoice {
        id: table.next,
        owner: who.sub.clone(),
        amount: new.amount,
    };
    table.rows.insert(invoice.id, invoice.clone());
    (StatusCode::CREATED, Json(invoice)).into_response()
}

async fn list(State(app): State<App>, who: Principal, Query(filter): Query<Filter>) -> Response {
    // Whose invoices: the caller's own, unless the role may read anyone's;
    // a filter in the query only narrows what the caller may see anyway.
    let everyone = policy::has(&who, Perm::ReadAny);
    if !everyone && !policy::has(&who, Perm::ReadOwn) {
        return denied(Denied::Forbidden);
    }
    let table = app.table();
    let rows: Vec<&Invoice> = table
        .rows
        .values()
        .filter(|i| everyone || i.owner == who.sub)
        .filter(|i| filter.owner.as_ref().is_none_or(|o| &i.owner == o))
        .collect();
    Json(rows).into_response()
}

/// Looks the invoice up and asks the policy; not found and not allowed to
/// see look the same from outside.
fn authorized(app: &App, who: &Principal, id: u64, action: Action) -> Result<Invoice, Denied> {
    let invoice = app.table().rows.get(&id).cloned().ok_or(Denied::NotFound)?;
    policy::authorize(who, action, &invoice.owner)?;
    Ok(invoice)
}

async fn read(State(app): State<App>, who: Principal, Path(id): Path<u64>) -> Response {
    match authorized(&app, &who, id, Action::Read) {
        Ok(invoice) => Json(invoice).into_response(),
        Err(d) => denied(d),
    }
}

async fn update(
    State(app): State<App>,
    who: Principal,
    Path(id): Path<u64>,
    Json(change): Json<Change>,
) -> Response {
    match authorized(&app, &who, id, Action::Update) {
        Ok(mut invoice) => {
            invoice.amount = change.amount;
            app.table().rows.insert(id, invoice.clone());
            Json(invoice).into_response()
        }
        Err(d) => denied(d),
    }
}

async fn remove(State(app): State<App>, who: Principal, Path(id): Path<u64>) -> Response {
    match authorized(&app, &who, id, Action::Delete) {
        Ok(_) => {
            app.table().rows.remove(&id);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(d) => denied(d),
    }
}
