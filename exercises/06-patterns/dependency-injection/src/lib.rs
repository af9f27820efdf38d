//! Signups with a free trial, written against ports (traits) so that the
//! composition root picks the real adapters and the tests pick fakes.

pub mod adapters;
pub mod app;
pub mod ports;
pub mod service;
