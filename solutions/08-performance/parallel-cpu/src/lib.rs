//! The work of the `parallel-cpu` server, as a library its tests can use.

pub mod primes;
