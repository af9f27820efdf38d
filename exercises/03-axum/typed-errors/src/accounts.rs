//! The accounts resource: store and handlers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::legacy;

#[derive(Clone, Debug, Serialize)]
pub struct Account {
    pub id: u64,
    pub owner: String,
    pub balance: u64,
}

#[derive(Clone, Default)]
pub struct Store {
    accounts: Arc<Mutex<BTreeMap<u64, Account>>>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, Account>> {
        self.accounts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Deserialize)]
pub struct NewAccount {
    owner: String,
}

#[derive(Deserialize)]
pub struct Amount {
    amount: u64,
}

#[derive(Deserialize)]
pub struct Month {
    month: String,
}

pub async fn create(
    State(store): State<Store>,
    Json(body): Json<NewAccount>,
) -> (StatusCode, Json<Account>) {
    let mut accounts = store.lock();
    let id = accounts.keys().next_back().map_or(1, |last| last + 1);
    let account = Account {
        id,
        owner: body.owner,
        balance: 0,
    };
    accounts.insert(id, account.clone());
    (StatusCode::CREATED, Json(account))
}

// TODO(2): these handlers trust that the account exists (`.expect`) and
// that the balance is large enough. A missing account must be the 404
// problem, and a withdrawal beyond the balance the 409 insufficient-funds
// problem, refused before anything changes. Errors leave an async handler
// the way they leave any function: as the `Err` of its `Result`.

pub async fn get(State(store): State<Store>, Path(id): Path<u64>) -> Json<Account> {
    let accounts = store.lock();
    let account = accounts
        .get(&id)
        .expect("TODO(2): the account may not exist");
    Json(account.clone())
}

pub async fn deposit(
    State(store): State<Store>,
    Path(id): Path<u64>,
    Json(body): Json<Amount>,
) -> Json<Account> {
    let mut accounts = store.lock();
    let account = accounts
        .get_mut(&id)
        .expect("TODO(2): the account may not exist");
    account.balance += body.amount;
    Json(account.clone())
}

pub async fn withdraw(
    State(store): State<Store>,
    Path(id): Path<u64>,
    Json(body): Json<Amount>,
) -> Json<Account> {
    let mut accounts = store.lock();
    let account = accounts
        .get_mut(&id)
        .expect("TODO(2): the account may not exist");
    // TODO(2): refuse when body.amount > account.balance.
    account.balance = account.balance.saturating_sub(body.amount);
    Json(account.clone())
}

/// Not to be changed: the point is what happens when `legacy` panics.
pub async fn statement(
    State(store): State<Store>,
    Path(id): Path<u64>,
    Query(query): Query<Month>,
) -> Result<String, AppError> {
    let account = store
        .lock()
        .get(&id)
        .cloned()
        .ok_or(AppError::AccountNotFound(id))?;
    Ok(legacy::render_statement(&account, &query.month))
}
