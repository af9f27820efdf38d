//! The parts of the `caching-compression` server, as a library so that each
//! can be tested on its own (`cargo test`). The server is in `main.rs`;
//! read its header comment first.

pub mod articles;
pub mod caching;
pub mod compression;
pub mod http;
pub mod routes;
