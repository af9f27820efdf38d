//! # graphql: a schema, resolvers, and DataLoaders against N+1
//!
//! The server (`127.0.0.1:$PORT`):
//! - `POST /graphql` with `{"query": "...", "variables": {...}}` runs this
//!   schema (`GET /schema` prints it):
//!
//!   ```graphql
//!   type Query {
//!     books: [Book!]!            # in id order
//!     book(id: ID!): Book        # null when there is none
//!     authors: [Author!]!        # in id order
//!   }
//!   type Mutation {
//!     addAuthor(name: String!): Author!
//!     addBook(title: String!, authorId: ID!): Book!  # error "no author {id}"
//!   }
//!   type Book { id: ID!, title: String!, author: Author! }
//!   type Author { id: ID!, name: String!, books: [Book!]! }
//!   ```
//!
//! - every response carries `"extensions": {"queries": {"authors": a,
//!   "books": b}}`: how many times this request read authors and books
//!   from the repository (each read is what one SQL query would be). A
//!   list of N books with their authors must read authors once, not N
//!   times: `{ books { author { name } } }` is 1 + 1 reads, and so is
//!   `{ authors { books { title } } }`.
//!
//! What to do: `TODO(1)` (a mutation) and `TODO(3)`, `TODO(4)` (two
//! resolvers) in `schema.rs`; `TODO(2)` and `TODO(4)` (two loaders) in
//! `loaders.rs`. `repo.rs` and this file are given.
//!
//! Checked by: `serverlings check graphql` starts the server, adds authors
//! and books with random names through mutations, then runs queries and
//! reads both the data and the `queries` counts.

mod loaders;
mod repo;
mod schema;

use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptySubscription, Schema, value};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::loaders::{AuthorLoader, BooksByAuthorLoader};
use crate::repo::Repo;
use crate::schema::{MutationRoot, QueryRoot};

type LibrarySchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

#[derive(Clone)]
struct AppState {
    schema: LibrarySchema,
    repo: Repo,
}

/// One GraphQL request. Everything request-scoped is made here: a
/// repository handle that counts this request's reads, and DataLoaders
/// whose batches belong to this request only.
async fn graphql(
    State(state): State<AppState>,
    Json(request): Json<async_graphql::Request>,
) -> Json<async_graphql::Response> {
    let repo = state.repo.counting();
    let request = request
        .data(repo.clone())
        .data(DataLoader::new(
            AuthorLoader::new(repo.clone()),
            tokio::spawn,
        ))
        .data(DataLoader::new(
            BooksByAuthorLoader::new(repo.clone()),
            tokio::spawn,
        ));
    let mut response = state.schema.execute(request).await;
    let (authors, books) = repo.reads();
    response.extensions.insert(
        "queries".to_string(),
        value!({ "authors": authors, "books": books }),
    );
    Json(response)
}

async fn sdl(State(state): State<AppState>) -> String {
    state.schema.sdl()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let schema = Schema::build(QueryRoot, MutationRoot, EmptySubscription).finish();
    let state = AppState {
        schema,
        repo: Repo::default(),
    };
    let app = Router::new()
        .route("/graphql", post(graphql))
        .route("/schema", get(sdl))
        .with_state(state);

    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await
}
