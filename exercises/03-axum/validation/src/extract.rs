//! `Valid<T>`: an extractor that parses JSON into `T` and checks `T`'s
//! rules before the handler runs. A handler that takes `Valid<T>` never
//! sees an invalid `T`.

use axum::Json;
use axum::extract::{FromRequest, Request};
use garde::Validate;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct Valid<T>(pub T);

impl<S, T> FromRequest<S> for Valid<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Validate,
    T::Context: Default,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // `Json` answers 400/413/415/422 for bodies it cannot read;
        // `?` turns its rejection into an ApiError (error.rs).
        let Json(value) = Json::<T>::from_request(request, state).await?;
        // TODO(2): the JSON fitted the type; a `Valid<T>` must also keep
        // every rule of `T`. Refuse a value that breaks any of them, with
        // all its broken rules at once (error.rs turns them into the 422).
        Ok(Valid(value))
    }
}
