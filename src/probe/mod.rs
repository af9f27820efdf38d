//! Talking to the learner's server: HTTP requests, raw TCP exchanges, and
//! judging what comes back against a step's `expect`.

pub mod assert;
pub mod curl;
pub mod db;
pub mod files;
pub mod http;
pub mod json_path;
pub mod load;
pub mod oidc;
pub mod output;
pub mod pgproxy;
pub mod procs;
pub mod response;
pub mod sse;
pub mod tcp;
pub mod tls;
pub mod upstream;
pub mod ws;
