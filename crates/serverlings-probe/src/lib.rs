//! Talking to the learner's server: HTTP requests, raw TCP exchanges, and
//! judging what comes back against a step's `expect`.

pub mod curl;
pub mod db;
pub mod http;
pub mod load;
pub mod oidc;
pub mod output;
pub mod pgproxy;
pub mod sse;
pub mod tcp;
pub mod tls;
pub mod upstream;
pub mod ws;
