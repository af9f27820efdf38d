//! The session store of the `memory-leaks` server, as a library so it can
//! be tested on its own (`cargo test`). The server is in `main.rs`; read its
//! header comment first.

pub mod http;
pub mod sessions;
