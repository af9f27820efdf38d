//! The parts of the `cookies-cors` server, as a library so that each can be
//! tested on its own (`cargo test`). The server is in `main.rs`; read its
//! header comment first.

pub mod cookies;
pub mod cors;
pub mod http;
pub mod sessions;
