//! The parts of the `http2` server, as a library so that each can be
//! tested on its own (`cargo test`). The server is in `main.rs`; read its
//! header comment first.

pub mod app;
pub mod frame;
pub mod h2;
pub mod hpack;
pub mod http1;
