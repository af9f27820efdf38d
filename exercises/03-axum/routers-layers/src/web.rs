//! Handlers: the thin HTTP edge. Each one extracts what it needs, calls
//! one service method, and turns the result into a response. No rules
//! live here, and no storage.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::repo::{Counts, Task};
use crate::routes::AppState;
use crate::service::{ProjectView, ServiceError};

/// Which status each rule violation becomes: the only place that maps
/// the domain to HTTP.
impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ServiceError::ProjectNotFound(id) => {
                (StatusCode::NOT_FOUND, format!("no project {id}"))
            }
            ServiceError::TaskNotFound(id) => (StatusCode::NOT_FOUND, format!("no task {id}")),
            ServiceError::Blank(field) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{field} must not be blank"),
            ),
            ServiceError::TooManyOpenTasks => (
                StatusCode::CONFLICT,
                "too many open tasks in this project".to_string(),
            ),
            ServiceError::AlreadyDone(id) => {
                (StatusCode::CONFLICT, format!("task {id} is done already"))
            }
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

/// Routes under `/projects`, relative to wherever they are nested.
pub fn project_routes() -> Router<AppState> {
    Router::new()
        .route("/", post(create_project))
        .route("/{id}", get(project))
        .route("/{id}/tasks", get(tasks).post(add_task))
}

/// Routes under `/tasks`.
pub fn task_routes() -> Router<AppState> {
    Router::new().route("/{id}/complete", post(complete_task))
}

/// Routes under `/admin`; the token check is added where they are mounted.
pub fn admin_routes() -> Router<AppState> {
    Router::new().route("/stats", get(stats))
}

#[derive(Deserialize)]
struct NewProject {
    name: String,
}

#[derive(Deserialize)]
struct NewTask {
    title: String,
}

async fn create_project(
    State(state): State<AppState>,
    Json(body): Json<NewProject>,
) -> Result<(StatusCode, Json<ProjectView>), ServiceError> {
    let project = state.service.create_project(&body.name)?;
    Ok((StatusCode::CREATED, Json(project)))
}

async fn project(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<ProjectView>, ServiceError> {
    state.service.project(id).map(Json)
}

async fn tasks(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<Vec<Task>>, ServiceError> {
    state.service.tasks(id).map(Json)
}

async fn add_task(
    State(state): State<AppState>,
    Path(id): Path<u64>,
    Json(body): Json<NewTask>,
) -> Result<(StatusCode, Json<Task>), ServiceError> {
    let task = state.service.add_task(id, &body.title)?;
    Ok((StatusCode::CREATED, Json(task)))
}

async fn complete_task(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<Task>, ServiceError> {
    state.service.complete_task(id).map(Json)
}

async fn stats(State(state): State<AppState>) -> Json<Counts> {
    Json(state.service.stats())
}
